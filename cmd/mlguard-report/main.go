// Command mlguard-report turns a preview's policy results into what CI and
// code review show: SARIF 2.1.0 (code scanning, on the line that declared
// each resource), JUnit XML and a Markdown summary.
//
//	go install github.com/mlguard/mlguard/cmd/mlguard-report@latest
//	MLGUARD_RESULTS=results.json pulumi preview --policy-pack ... --json > preview.json
//	mlguard-report --results results.json --preview preview.json --sarif out.sarif
//
// Input: the pack's results file (--results; MLGUARD_RESULTS) and/or an
// engine event log (--events; `PULUMI_DEBUG_COMMANDS=true pulumi preview
// --event-log FILE`), which also holds other packs' violations; optionally
// the `--json` output of the same preview (--preview) for source positions.
// It uses only the standard library and is no part of the pack's build.
//
// Exit status: 0, or 1 when a violation at or above --fail-on remains
// (exempted ones never count), or 2 for bad usage or input, in which case
// no report is written at all.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

func main() { os.Exit(realMain(os.Args[1:], os.Stdout, os.Stderr)) }

type options struct {
	results, events, preview string
	sarif, junit, markdown   string
	failOn                   string
	projectDir, repoRoot     string
}

func parseFlags(args []string, stderr io.Writer) (*options, error) {
	fs := flag.NewFlagSet("mlguard-report", flag.ContinueOnError)
	fs.SetOutput(stderr)
	o := &options{}
	fs.StringVar(&o.results, "results", "", "the pack's results file (written where MLGUARD_RESULTS names)")
	fs.StringVar(&o.events, "events", "", "an engine event log (pulumi preview --event-log, with PULUMI_DEBUG_COMMANDS=true)")
	fs.StringVar(&o.preview, "preview", "", "the `pulumi preview --json` output of the same preview, for source positions")
	fs.StringVar(&o.sarif, "sarif", "", "write SARIF 2.1.0 here")
	fs.StringVar(&o.junit, "junit", "", "write JUnit XML here")
	fs.StringVar(&o.markdown, "markdown", "", "write a Markdown summary here, or - for stdout (for a PR comment or $GITHUB_STEP_SUMMARY)")
	fs.StringVar(&o.failOn, "fail-on", "mandatory", "exit 1 on violations at this level or above: mandatory, advisory or none")
	fs.StringVar(&o.projectDir, "project-dir", ".", "the Pulumi project's directory (holding Pulumi.yaml): source positions are relative to it")
	fs.StringVar(&o.repoRoot, "repo-root", "", "the repository root SARIF paths are relative to (default: the git top level of --project-dir, else the working directory)")
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	if o.results == "" && o.events == "" {
		return nil, errors.New("give --results FILE, --events FILE, or both")
	}
	switch o.failOn {
	case "mandatory", "advisory", "none":
	default:
		return nil, fmt.Errorf("--fail-on %q: want mandatory, advisory or none", o.failOn)
	}
	return o, nil
}

// realMain is main without the exit, for tests.
func realMain(args []string, stdout, stderr io.Writer) int {
	o, err := parseFlags(args, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	if err != nil {
		fmt.Fprintln(stderr, "mlguard-report:", err)
		return 2
	}
	r, outputs, err := report(o)
	if err != nil {
		fmt.Fprintln(stderr, "mlguard-report:", err)
		return 2
	}
	for _, n := range r.Notes {
		fmt.Fprintln(stderr, "mlguard-report: note:", n)
	}
	if err := writeAll(outputs, stdout); err != nil {
		fmt.Fprintln(stderr, "mlguard-report:", err)
		return 2
	}
	mandatory, advisory := 0, 0
	for _, v := range r.Violations {
		if v.failing() && v.Level == "mandatory" {
			mandatory++
		} else if v.failing() {
			advisory++
		}
	}
	fmt.Fprintf(stderr, "mlguard-report: %s/%s: %d mandatory, %d advisory violation(s), %d policy checks\n",
		r.Project, r.Stack, mandatory, advisory, len(r.Tests))
	switch {
	case o.failOn == "mandatory" && mandatory > 0, o.failOn == "advisory" && mandatory+advisory > 0:
		return 1
	}
	return 0
}

// report reads every input, and only then renders every output, in memory.
func report(o *options) (*run, map[string][]byte, error) {
	var r *run
	if o.results != "" {
		var err error
		if r, err = fromResults(o.results); err != nil {
			return nil, nil, err
		}
	}
	if o.events != "" {
		ev, err := fromEvents(o.events)
		if err != nil {
			return nil, nil, err
		}
		if r == nil {
			r = ev
		} else if err := r.merge(ev); err != nil {
			return nil, nil, err
		}
	}
	loc, err := newLocator(o.projectDir, o.repoRoot)
	if err != nil {
		return nil, nil, err
	}
	if o.preview != "" {
		positions, err := readPreview(o.preview, stackID{r.Stack, r.Project})
		if err != nil {
			return nil, nil, err
		}
		r.Sources = append(r.Sources, o.preview)
		noted := map[string]bool{}
		for i := range r.Violations {
			v := &r.Violations[i]
			pos, ok := positions[v.URN]
			if !ok {
				continue
			}
			l, why := loc.resolve(pos)
			if l == nil && !noted[why] {
				noted[why] = true
				r.Notes = append(r.Notes, fmt.Sprintf("%s: no file location: %s", v.URN, why))
			}
			v.Location = l
		}
	}
	// Resources without a position (stack-wide findings, no --preview) are
	// shown on the project file in SARIF, if it is in the repository.
	var fallback *location
	for _, name := range []string{"Pulumi.yaml", "Pulumi.yml"} {
		if _, err := os.Stat(filepath.Join(loc.projectDir, name)); err == nil {
			fallback, _ = loc.resolve("project:///" + name + "#1")
			break
		}
	}
	outputs := map[string][]byte{}
	if o.sarif != "" {
		b, err := marshalSARIF(buildSARIF(r, loc, fallback))
		if err != nil {
			return nil, nil, err
		}
		outputs[o.sarif] = b
	}
	if o.junit != "" {
		b, err := marshalJUnit(buildJUnit(r))
		if err != nil {
			return nil, nil, err
		}
		outputs[o.junit] = b
	}
	if o.markdown != "" {
		outputs[o.markdown] = buildMarkdown(r)
	}
	return r, outputs, nil
}

// writeAll writes every output to a temporary file beside it, then renames
// them all into place: no report is left half written. "-" is stdout,
// written last.
func writeAll(outputs map[string][]byte, stdout io.Writer) error {
	tmps := map[string]string{}
	defer func() {
		for _, tmp := range tmps {
			os.Remove(tmp)
		}
	}()
	for path, b := range outputs {
		if path == "-" {
			continue
		}
		f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
		if err != nil {
			return err
		}
		tmps[path] = f.Name()
		if err = f.Chmod(0o644); err == nil {
			_, err = f.Write(b)
		}
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
	}
	var failed []string
	for path, tmp := range tmps {
		if err := os.Rename(tmp, path); err != nil {
			failed = append(failed, err.Error())
			continue
		}
		delete(tmps, path)
	}
	if len(failed) > 0 {
		return errors.New(strings.Join(failed, "; "))
	}
	if b, ok := outputs["-"]; ok {
		_, err := stdout.Write(b)
		return err
	}
	return nil
}
