// Command mlguard-bench is `make bench`: it measures the floor (a pack with
// no rules on mlguard's runtime), mlguard, and the same core rules as a
// @pulumi/policy pack on Node, in one run, launched and driven as the engine
// does, and prints one table with the ratios and the targets.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"text/tabwriter"
	"time"

	"github.com/mlguard/mlguard/analyzer/analyzertest"
	"github.com/mlguard/mlguard/bench"
)

func main() {
	quick := flag.Bool("quick", false, "smaller sizes and shorter runs, for a smoke test")
	withNode := flag.Bool("node", true, "measure the @pulumi/policy peer (needs node and npm)")
	cold := flag.Bool("cold", true, "measure a cold `go mod tidy && go build` of the pack")
	flag.Parse()
	if err := run(*quick, *withNode, *cold); err != nil {
		fmt.Fprintln(os.Stderr, "mlguard-bench:", err)
		os.Exit(1)
	}
}

func run(quick, withNode, cold bool) error {
	root, err := filepath.Abs(".")
	if err != nil {
		return err
	}
	out := filepath.Join(root, ".cache", "bench")
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	floorBin, packBin := filepath.Join(out, "floor"), filepath.Join(out, "mlguard")
	for pkg, bin := range map[string]string{"./bench/floorpack": floorBin, ".": packBin} {
		if err := analyzertest.Build(root, pkg, bin, false); err != nil {
			return err
		}
	}
	engineArgs := func(addr string) []string { return []string{addr} }
	targets := []bench.Target{
		{Name: "floor", Bin: floorBin, Args: engineArgs},
		{Name: "mlguard", Bin: packBin, Args: engineArgs},
	}
	if withNode {
		node, err := nodeTarget(filepath.Join(root, "bench", "nodepack"))
		if err != nil {
			return fmt.Errorf("the Node peer (run with -node=false to skip it): %w", err)
		}
		targets = append(targets, node)
	}

	o := bench.Options{Launches: 15, Duration: 6 * time.Second, Rounds: 6, Callers: 8, StackSizes: []int{1000, 5000, 50000}, StackRuns: 5}
	if quick {
		o = bench.Options{Launches: 3, Duration: time.Second, Rounds: 2, Callers: 8, StackSizes: []int{1000, 5000}, StackRuns: 1}
	}
	engine, stop, err := analyzertest.NewEngine()
	if err != nil {
		return err
	}
	defer stop()
	results, err := bench.MeasureAll(context.Background(), targets, engine, o, func(what string) {
		fmt.Fprintf(os.Stderr, "measuring %s...\n", what)
	})
	if err != nil {
		return err
	}
	// The floor pack's cold install is the price of the runtime's
	// dependencies (the Pulumi SDK's protocol package, gRPC, protobuf and the
	// standard library under them), which every Go pack pays.
	colds := map[string]bench.Cold{}
	if cold {
		for _, x := range []struct{ name, pkg string }{{"floor", "./bench/floorpack"}, {"mlguard", "."}} {
			fmt.Fprintf(os.Stderr, "measuring a cold go mod tidy && go build of %s...\n", x.name)
			if colds[x.name], err = bench.ColdInstall(root, x.pkg); err != nil {
				return err
			}
		}
	}
	report(os.Stdout, targets, results, o, colds)
	return nil
}

// nodeTarget installs the peer pack's locked dependencies if needed.
func nodeTarget(dir string) (bench.Target, error) {
	node, err := exec.LookPath("node")
	if err != nil {
		return bench.Target{}, err
	}
	runner := filepath.Join(dir, "node_modules", "@pulumi", "pulumi", "cmd", "run-policy-pack")
	if _, err := os.Stat(runner); err != nil {
		fmt.Fprintln(os.Stderr, "installing the Node peer pack (npm ci)...")
		cmd := exec.Command("npm", "ci", "--no-audit", "--no-fund")
		cmd.Dir, cmd.Stdout, cmd.Stderr = dir, os.Stderr, os.Stderr
		if err := cmd.Run(); err != nil {
			return bench.Target{}, fmt.Errorf("npm ci: %w", err)
		}
	}
	// The engine starts a Node pack in its own directory, with "." as the program.
	return bench.Target{Name: "node", Dir: dir, Bin: node, Args: func(addr string) []string { return []string{runner, addr, "."} }}, nil
}

func report(w *os.File, targets []bench.Target, r map[string]*bench.Result, o bench.Options, colds map[string]bench.Cold) {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', tabwriter.AlignRight)
	header := "measure\t"
	for _, t := range targets {
		header += t.Name + "\t"
	}
	fmt.Fprintln(tw, header+"mlguard/floor\t")
	row := func(name string, f func(*bench.Result) float64, format string) {
		line := name + "\t"
		for _, t := range targets {
			line += fmt.Sprintf(format, f(r[t.Name])) + "\t"
		}
		fmt.Fprintln(tw, line+fmt.Sprintf("%.2f×", f(r["mlguard"])/f(r["floor"]))+"\t")
	}
	row("start-up to GetAnalyzerInfo (ms)", func(x *bench.Result) float64 { return ms(x.Startup) }, "%.1f")
	row("Analyze, 1 caller (calls/s)", func(x *bench.Result) float64 { return x.SeqPerSec }, "%.0f")
	row(fmt.Sprintf("Analyze, %d callers (calls/s)", o.Callers), func(x *bench.Result) float64 { return x.ParPerSec }, "%.0f")
	for _, n := range o.StackSizes {
		row(fmt.Sprintf("AnalyzeStack %dk resources (ms)", n/1000), func(x *bench.Result) float64 { return ms(x.Stack[n]) }, "%.1f")
	}
	row("peak RSS (MiB)", func(x *bench.Result) float64 { return float64(x.PeakRSSKB) / 1024 }, "%.1f")
	tw.Flush()

	m, f := r["mlguard"], r["floor"]
	fmt.Fprintln(w, "\ntargets:")
	check := func(name string, got, limit float64, atMost bool) {
		ok := got >= limit
		rel := "≥"
		if atMost {
			ok, rel = got <= limit, "≤"
		}
		verdict := "met"
		if !ok {
			verdict = "MISSED"
		}
		fmt.Fprintf(w, "  %-52s %8.2f %s %-6.2f %s\n", name, got, rel, limit, verdict)
	}
	check("start-up, mlguard/floor", ms(m.Startup)/ms(f.Startup), 2, true)
	check("Analyze 1 caller, mlguard/floor", m.SeqPerSec/f.SeqPerSec, 0.9, false)
	check(fmt.Sprintf("Analyze %d callers, mlguard/floor", o.Callers), m.ParPerSec/f.ParPerSec, 0.8, false)
	if _, ok := m.Stack[50000]; ok {
		check("AnalyzeStack 50k, mlguard/floor", ms(m.Stack[50000])/ms(f.Stack[50000]), 1.5, true)
		check("AnalyzeStack 50k / 5k, mlguard (linear)", ms(m.Stack[50000])/ms(m.Stack[5000]), 11, true)
	}
	check("peak RSS, mlguard/floor", float64(m.PeakRSSKB)/float64(f.PeakRSSKB), 1.5, true)
	if n, ok := r["node"]; ok {
		check("Analyze 1 caller, mlguard/node", m.SeqPerSec/n.SeqPerSec, 2.5, false)
		// One caller waits out every round trip: no pack can beat the Node
		// pack by more than the floor does.
		fmt.Fprintf(w, "  %-52s %8.2f (the most any pack on this protocol could reach here)\n", "  the floor's own Analyze 1 caller / node", f.SeqPerSec/n.SeqPerSec)
		check(fmt.Sprintf("Analyze %d callers, mlguard/node", o.Callers), m.ParPerSec/n.ParPerSec, 2.5, false)
		check("start-up speed, mlguard/node", ms(n.Startup)/ms(m.Startup), 20, false)
	}
	if c, ok := colds["mlguard"]; ok {
		f := colds["floor"]
		check("cold go mod tidy && go build, mlguard (s)", c.Total().Seconds(), 60, true)
		fmt.Fprintf(w, "  %-52s %8.1f s tidy + %.1f s build; the floor pack: %.1f s + %.1f s\n", "", c.Tidy.Seconds(), c.Build.Seconds(), f.Tidy.Seconds(), f.Build.Seconds())
	}
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
