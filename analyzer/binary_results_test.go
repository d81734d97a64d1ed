package analyzer_test

import (
	"path/filepath"
	"testing"

	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mlguard/mlguard/analyzer/analyzertest"
	pt "github.com/mlguard/mlguard/policy/policytest"
	"github.com/mlguard/mlguard/results"
)

// The built pack reads results.Env from the environment the CLI gives it.
func TestBinaryWritesResultsFromTheEnvironment(t *testing.T) {
	path := filepath.Join(t.TempDir(), "results.json")
	t.Setenv(results.Env, path)
	engine := analyzertest.StartEngine(t)
	client := analyzertest.LaunchT(t, packBinary, engine.Addr).Client
	c := ctx(t)
	_, err := client.ConfigureStack(c, &pulumirpc.AnalyzerStackConfigureRequest{Stack: "dev", Project: "p", DryRun: true})
	require.NoError(t, err)
	_, err = client.Analyze(c, bucketReq("b", pt.With(good(), "versioned", false)))
	require.NoError(t, err)
	_, err = client.AnalyzeStack(c, &pulumirpc.AnalyzeStackRequest{})
	require.NoError(t, err)
	f, err := results.Read(path)
	require.NoError(t, err)
	require.Len(t, f.Diagnostics, 1)
	assert.Equal(t, "versioned", f.Diagnostics[0].Policy)
	assert.Equal(t, "dev", f.Stack.Name)
}
