package main

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"google.golang.org/protobuf/types/known/emptypb"

	"github.com/mlguard/mlguard/analyzer/analyzertest"
	"github.com/mlguard/mlguard/policypack"
)

func buildPack(tb testing.TB) string {
	tb.Helper()
	bin := filepath.Join(tb.TempDir(), "mlguard")
	require.NoError(tb, analyzertest.Build(".", ".", bin, false))
	return bin
}

// The built pack serves every policy of policypack, as the CLI would see it.
func TestBuiltPackServesItsPolicies(t *testing.T) {
	bin := buildPack(t)
	engine := analyzertest.StartEngine(t)
	pack := analyzertest.LaunchT(t, bin, engine.Addr)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	info, err := pack.Client.GetAnalyzerInfo(ctx, &emptypb.Empty{})
	require.NoError(t, err)
	want := policypack.Pack()
	assert.Equal(t, want.Name, info.Name)
	assert.Equal(t, want.Version, info.Version)
	assert.Len(t, info.Policies, len(want.Policies))
	for _, p := range info.Policies {
		assert.NotEmpty(t, p.Description, p.Name)
		assert.NotEmpty(t, p.RemediationSteps, p.Name)
		assert.NotEmpty(t, p.Url, p.Name)
		assert.NotZero(t, p.Severity, p.Name)
	}
}

// PulumiPolicy.yaml and the pack agree on the version the CLI reports.
func TestPolicyYAMLVersion(t *testing.T) {
	b, err := os.ReadFile("PulumiPolicy.yaml")
	require.NoError(t, err)
	assert.Contains(t, string(b), "runtime: go")
	assert.Contains(t, string(b), "version: "+policypack.Version+"\n")
}

// BenchmarkStartup measures launching the pack to its first GetAnalyzerInfo answer.
func BenchmarkStartup(b *testing.B) {
	bin := buildPack(b)
	engine := analyzertest.StartEngine(b)
	ctx := context.Background()
	b.ResetTimer()
	for b.Loop() {
		p, err := analyzertest.Launch(bin, nil, engine.Addr)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := p.Client.GetAnalyzerInfo(ctx, &emptypb.Empty{}); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		p.Close()
		b.StartTimer()
	}
}
