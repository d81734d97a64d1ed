package bench

import (
	"context"
	"path/filepath"
	"sync/atomic"
	"testing"

	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"

	"github.com/mlguard/mlguard/analyzer"
	"github.com/mlguard/mlguard/policypack"
)

// Analyze from 8 callers with the results file (MLGUARD_RESULTS) off and on:
// what recording costs the hot path, and that off costs nothing.
// go test -run '^$' -bench AnalyzeResults ./bench
func BenchmarkAnalyzeResults(b *testing.B) {
	for _, mode := range []string{"off", "on"} {
		b.Run(mode, func(b *testing.B) {
			s, err := analyzer.NewServer(policypack.Pack(), nil)
			if err != nil {
				b.Fatal(err)
			}
			if mode == "on" {
				s.RecordResults(filepath.Join(b.TempDir(), "results.json"))
			}
			ctx := context.Background()
			if _, err := s.ConfigureStack(ctx, &pulumirpc.AnalyzerStackConfigureRequest{Stack: "bench", Project: "bench"}); err != nil {
				b.Fatal(err)
			}
			reqs := Requests(Stack(3000))
			var next atomic.Int64
			b.SetParallelism(4) // 8 callers on 2 cores
			b.ReportAllocs()
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					if _, err := s.Analyze(ctx, reqs[int(next.Add(1))%len(reqs)]); err != nil {
						b.Error(err)
						return
					}
				}
			})
		})
	}
}
