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
	Duration   time.Duration // per throughput measurement
	Callers    int           // concurrent Analyze callers
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

// Measure launches the target as the engine does and measures it.
func Measure(ctx context.Context, t Target, engine *analyzertest.Engine, o Options) (*Result, error) {
	res := &Result{Stack: map[int]time.Duration{}}
	var startups []time.Duration
	for range o.Launches {
		began := time.Now()
		p, err := analyzertest.LaunchIn(t.Dir, t.Bin, nil, t.Args(engine.Addr)...)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", t.Name, err)
		}
		_, err = p.Client.GetAnalyzerInfo(ctx, &emptypb.Empty{})
		startups = append(startups, time.Since(began))
		p.Close()
		if err != nil {
			return nil, fmt.Errorf("%s: GetAnalyzerInfo: %w", t.Name, err)
		}
	}
	res.Startup = median(startups)

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
		return nil, err
	}
	requests := Requests(Stack(3000))
	if _, err := analyzeFor(ctx, c, requests, 1, o.Duration/3); err != nil { // warm up
		return nil, fmt.Errorf("%s: %w", t.Name, err)
	}
	if res.SeqPerSec, err = analyzeFor(ctx, c, requests, 1, o.Duration); err != nil {
		return nil, fmt.Errorf("%s: %w", t.Name, err)
	}
	if res.ParPerSec, err = analyzeFor(ctx, c, requests, o.Callers, o.Duration); err != nil {
		return nil, fmt.Errorf("%s: %w", t.Name, err)
	}
	for _, n := range o.StackSizes {
		req := &pulumirpc.AnalyzeStackRequest{Resources: Stack(n)}
		var runs []time.Duration
		for range o.StackRuns {
			began := time.Now()
			if _, err := c.AnalyzeStack(ctx, req); err != nil {
				return nil, fmt.Errorf("%s: AnalyzeStack(%d): %w", t.Name, n, err)
			}
			runs = append(runs, time.Since(began))
		}
		res.Stack[n] = median(runs)
	}
	res.PeakRSSKB = peakRSS(p.Cmd.Process.Pid)
	return res, nil
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
