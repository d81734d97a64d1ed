package bench

import (
	"context"
	"net"
	"strconv"
	"testing"

	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"

	"github.com/mlguard/mlguard/analyzer"
	"github.com/mlguard/mlguard/policy"
	"github.com/mlguard/mlguard/policypack"
)

// The hot paths in process, without gRPC: rule dispatch and evaluation per
// resource, the stack rules, and property decoding.

func BenchmarkAnalyzeDispatch(b *testing.B) {
	for _, pack := range []*policy.Pack{{Name: "floor", Version: "0"}, policypack.Pack()} {
		b.Run(pack.Name, func(b *testing.B) {
			s, err := analyzer.NewServer(pack, nil)
			if err != nil {
				b.Fatal(err)
			}
			reqs := Requests(Stack(3000))
			ctx := context.Background()
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				if _, err := s.Analyze(ctx, reqs[i%len(reqs)]); err != nil {
					b.Fatal(err)
				}
				i++
			}
		})
	}
}

func BenchmarkAnalyzeStack(b *testing.B) {
	s, err := analyzer.NewServer(policypack.Pack(), nil)
	if err != nil {
		b.Fatal(err)
	}
	for _, n := range []int{1000, 5000, 50000} {
		req := &pulumirpc.AnalyzeStackRequest{Resources: Stack(n)}
		b.Run(itoa(n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := s.AnalyzeStack(context.Background(), req); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkPropertyDecoding(b *testing.B) {
	props := Stack(10)[3].Properties // a SageMaker domain
	b.ReportAllocs()
	for b.Loop() {
		v := policy.Props(props).Get("defaultUserSettings.sharingSettings.s3KmsKeyId")
		if _, ok := v.Str(); !ok {
			b.Fatal("not a string")
		}
	}
}

func itoa(n int) string {
	if n%1000 == 0 {
		return strconv.Itoa(n/1000) + "k"
	}
	return strconv.Itoa(n)
}

// The workload is what it claims: every template compliant as it stands,
// with the pack's resource and stack rules alike, and about a third of the
// stack's resources reported once the bad third is broken.
func TestStackWorkload(t *testing.T) {
	s, err := analyzer.NewServer(policypack.Pack(), nil)
	require.NoError(t, err)
	ctx := context.Background()
	stack := Stack(len(templates) * 30)
	reported := map[string]bool{}
	for i, r := range Requests(stack) {
		resp, err := s.Analyze(ctx, r)
		require.NoError(t, err)
		for _, d := range resp.Diagnostics {
			reported[d.Urn] = true
			assert.Zero(t, i%3, "compliant %s: %s", r.Type, d.Message)
		}
	}
	resp, err := s.AnalyzeStack(ctx, &pulumirpc.AnalyzeStackRequest{Resources: stack})
	require.NoError(t, err)
	for _, d := range resp.Diagnostics {
		reported[d.Urn] = true
	}
	share := float64(len(reported)) / float64(len(stack))
	assert.True(t, share > 0.2 && share < 0.5, "%d of %d resources reported: the workload is not about a third non-compliant", len(reported), len(stack))

	// A group of compliant templates is clean with the stack rules too.
	var clean []*pulumirpc.AnalyzerResource
	for k, tp := range templates {
		clean = append(clean, resource(k, 0, tp.props(0)))
	}
	resp, err = s.AnalyzeStack(ctx, &pulumirpc.AnalyzeStackRequest{Resources: clean})
	require.NoError(t, err)
	for _, d := range resp.Diagnostics {
		assert.Fail(t, "a compliant group is reported", "%s: %s", d.PolicyName, d.Message)
	}
}

// Analyze over loopback gRPC in one process: what a call costs with the
// protocol, for the floor and for mlguard (the harness measures the same
// across processes).
func BenchmarkAnalyzeGRPC(b *testing.B) {
	for _, pack := range []*policy.Pack{{Name: "floor", Version: "0"}, policypack.Pack()} {
		b.Run(pack.Name, func(b *testing.B) {
			s, err := analyzer.NewServer(pack, nil)
			if err != nil {
				b.Fatal(err)
			}
			lis, err := net.Listen("tcp", "127.0.0.1:0")
			if err != nil {
				b.Fatal(err)
			}
			gs := grpc.NewServer()
			pulumirpc.RegisterAnalyzerServer(gs, s)
			go gs.Serve(lis) //nolint:errcheck // ends with Stop
			defer gs.Stop()
			conn, err := grpc.NewClient(lis.Addr().String(), grpc.WithTransportCredentials(insecure.NewCredentials()))
			if err != nil {
				b.Fatal(err)
			}
			defer conn.Close()
			c := pulumirpc.NewAnalyzerClient(conn)
			reqs := Requests(Stack(3000))
			ctx := context.Background()
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				if _, err := c.Analyze(ctx, reqs[i%len(reqs)]); err != nil {
					b.Fatal(err)
				}
				i++
			}
		})
	}
}
