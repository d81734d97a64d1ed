package bench

import (
	"context"
	"fmt"
	"os"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/protobuf/types/known/emptypb"

	"github.com/mlguard/mlguard/analyzer/analyzertest"
)

// Target is a pack to measure: how to launch it given the engine address.
type Target struct {
	Name string
	Dir  string // working directory ("" for the current one)
	Bin  string
	Args func(engine string) []string
}

// Options sizes a measurement.
type Options struct {
	Launches   int           // start-ups measured (median taken)
	Duration   time.Duration // per throughput measurement and target, split over Rounds
	Rounds     int
	Callers    int // concurrent Analyze callers
	StackSizes []int
	StackRuns  int // AnalyzeStack calls per size (median taken)
}

// Result is what one target measured.
type Result struct {
	Startup   time.Duration
	SeqPerSec float64
	ParPerSec float64
	Stack     map[int]time.Duration
	PeakRSSKB int64
}

// MeasureAll launches every target as the engine does and measures them in
// one run. Measurements are interleaved — each round measures every target
// in turn, and a figure is the median over rounds — so that a noisy
// neighbour or a drifting clock speed hits all targets alike instead of
// whichever happened to run at the time.
func MeasureAll(ctx context.Context, targets []Target, engine *analyzertest.Engine, o Options, progress func(string)) (map[string]*Result, error) {
	results := map[string]*Result{}
	for _, t := range targets {
		results[t.Name] = &Result{Stack: map[int]time.Duration{}}
	}

	progress("start-up")
	startups := map[string][]time.Duration{}
	for range o.Launches {
		for _, t := range targets {
			d, err := startup(ctx, t, engine)
			if err != nil {
				return nil, err
			}
			startups[t.Name] = append(startups[t.Name], d)
		}
	}

	// One long-lived process per target from here on.
	clients := map[string]pulumirpc.AnalyzerClient{}
	for _, t := range targets {
		p, err := analyzertest.LaunchIn(t.Dir, t.Bin, os.Stderr, t.Args(engine.Addr)...)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", t.Name, err)
		}
		defer p.Close()
		c := p.Client
		if _, err := c.ConfigureStack(ctx, &pulumirpc.AnalyzerStackConfigureRequest{Stack: "bench", Project: "ml", DryRun: true}); err != nil {
			return nil, fmt.Errorf("%s: ConfigureStack: %w", t.Name, err)
		}
		if _, err := c.GetAnalyzerInfo(ctx, &emptypb.Empty{}); err != nil {
			return nil, fmt.Errorf("%s: GetAnalyzerInfo: %w", t.Name, err)
		}
		clients[t.Name] = c
		defer func() { results[t.Name].PeakRSSKB = peakRSS(p.Cmd.Process.Pid) }()
	}

	requests := Requests(Stack(3000))
	throughput := func(callers int) (map[string]float64, error) {
		window := o.Duration / time.Duration(o.Rounds)
		rates := map[string][]float64{}
		for round := -1; round < o.Rounds; round++ { // round -1 warms up
			for _, t := range targets {
				r, err := analyzeFor(ctx, clients[t.Name], requests, callers, window)
				if err != nil {
					return nil, fmt.Errorf("%s: %w", t.Name, err)
				}
				if round >= 0 {
					rates[t.Name] = append(rates[t.Name], r)
				}
			}
		}
		out := map[string]float64{}
		for name, rs := range rates {
			sort.Float64s(rs)
			out[name] = rs[len(rs)/2]
		}
		return out, nil
	}
	progress("Analyze, 1 caller")
	seq, err := throughput(1)
	if err != nil {
		return nil, err
	}
	progress(fmt.Sprintf("Analyze, %d callers", o.Callers))
	par, err := throughput(o.Callers)
	if err != nil {
		return nil, err
	}
	for _, t := range targets {
		results[t.Name].SeqPerSec, results[t.Name].ParPerSec = seq[t.Name], par[t.Name]
	}

	for _, n := range o.StackSizes {
		progress(fmt.Sprintf("AnalyzeStack, %d resources", n))
		req := &pulumirpc.AnalyzeStackRequest{Resources: Stack(n)}
		runs := map[string][]time.Duration{}
		for range o.StackRuns {
			for _, t := range targets {
				began := time.Now()
				if _, err := clients[t.Name].AnalyzeStack(ctx, req); err != nil {
					return nil, fmt.Errorf("%s: AnalyzeStack(%d): %w", t.Name, n, err)
				}
				runs[t.Name] = append(runs[t.Name], time.Since(began))
			}
		}
		for _, t := range targets {
			results[t.Name].Stack[n] = median(runs[t.Name])
		}
	}
	for _, t := range targets {
		results[t.Name].Startup = median(startups[t.Name])
	}
	return results, nil
}

// startup launches the target and times it to its first GetAnalyzerInfo answer.
func startup(ctx context.Context, t Target, engine *analyzertest.Engine) (time.Duration, error) {
	began := time.Now()
	p, err := analyzertest.LaunchIn(t.Dir, t.Bin, nil, t.Args(engine.Addr)...)
	if err != nil {
		return 0, fmt.Errorf("%s: %w", t.Name, err)
	}
	defer p.Close()
	if _, err := p.Client.GetAnalyzerInfo(ctx, &emptypb.Empty{}); err != nil {
		return 0, fmt.Errorf("%s: GetAnalyzerInfo: %w", t.Name, err)
	}
	return time.Since(began), nil
}

// analyzeFor calls Analyze from callers goroutines for d; it returns calls per second.
func analyzeFor(ctx context.Context, c pulumirpc.AnalyzerClient, reqs []*pulumirpc.AnalyzeRequest, callers int, d time.Duration) (float64, error) {
	var calls atomic.Int64
	var firstErr error
	var once sync.Once
	deadline := time.Now().Add(d)
	var wg sync.WaitGroup
	began := time.Now()
	for g := range callers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := g; time.Now().Before(deadline); i += callers {
				if _, err := c.Analyze(ctx, reqs[i%len(reqs)]); err != nil {
					once.Do(func() { firstErr = err })
					return
				}
				calls.Add(1)
			}
		}()
	}
	wg.Wait()
	return float64(calls.Load()) / time.Since(began).Seconds(), firstErr
}

func median(ds []time.Duration) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := append([]time.Duration(nil), ds...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	return s[len(s)/2]
}

// peakRSS reads VmHWM, the process's peak resident set, in KiB (Linux).
func peakRSS(pid int) int64 {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			n, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			return n
		}
	}
	return 0
}
