package tests

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/auto"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optpreview"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optup"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mlguard/mlguard/analyzer/analyzertest"
	"github.com/mlguard/mlguard/stacks/aws-governance/governance"
	"github.com/mlguard/mlguard/stacks/azure-ml/mlworkspace"
	"github.com/mlguard/mlguard/tests/clirun"
	"github.com/mlguard/mlguard/tests/loopback"
)

var (
	cliOnce sync.Once
	cliRoot string
	cliErr  error
)

// newEnv gives a test its own Pulumi home and state, loopback providers and
// the real CLI (built on first use). MLGUARD_SKIP_E2E=1 skips these tests.
func newEnv(t testing.TB) *clirun.Env {
	t.Helper()
	if os.Getenv("MLGUARD_SKIP_E2E") != "" {
		t.Skip("MLGUARD_SKIP_E2E is set")
	}
	cliOnce.Do(func() { cliRoot, cliErr = clirun.EnsureCLI(".", os.Stderr) })
	require.NoError(t, cliErr)
	providers, stop, err := loopback.ServeClouds()
	require.NoError(t, err)
	t.Cleanup(stop)
	return &clirun.Env{
		CLIRoot:    cliRoot,
		Pack:       packBinary,
		Dir:        t.TempDir(),
		Providers:  providers,
		Passphrase: "mlguard-e2e",
	}
}

func e2eContext(t testing.TB) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	t.Cleanup(cancel)
	return ctx
}

func preview(ctx context.Context, e *clirun.Env, s auto.Stack, configs ...string) (string, error) {
	var out strings.Builder
	opts := []optpreview.Option{optpreview.PolicyPacks(e.Pack), optpreview.ProgressStreams(&out), optpreview.ErrorProgressStreams(&out)}
	if len(configs) > 0 {
		opts = append(opts, optpreview.PolicyPackConfigs(configs...))
	}
	_, err := s.Preview(ctx, opts...)
	return out.String(), err
}

func up(ctx context.Context, e *clirun.Env, s auto.Stack) (string, error) {
	var out strings.Builder
	_, err := s.Up(ctx, optup.PolicyPacks(e.Pack), optup.ProgressStreams(&out), optup.ErrorProgressStreams(&out))
	return out.String(), err
}

// cleanPreview and cleanUp run the CLI with the pack and expect success with
// no policy output at all.
func cleanPreview(ctx context.Context, t *testing.T, e *clirun.Env, s auto.Stack) {
	t.Helper()
	out, err := preview(ctx, e, s)
	require.NoError(t, err, out)
	assertNoPolicyOutput(t, out)
}

func cleanUp(ctx context.Context, t *testing.T, e *clirun.Env, s auto.Stack) {
	t.Helper()
	out, err := up(ctx, e, s)
	require.NoError(t, err, out)
	assertNoPolicyOutput(t, out)
}

// The AWS reference stack through the real CLI and engine: a clean preview
// (ids and ARNs unknown), a clean up, and a clean preview with values known.
func TestE2EAWSGovernance(t *testing.T) {
	e := newEnv(t)
	ctx := e2eContext(t)
	s, err := e.Stack(ctx, "aws-governance", "dev", governance.Program, awsDevConfig)
	require.NoError(t, err)
	cleanPreview(ctx, t, e, s)
	cleanUp(ctx, t, e, s)
	cleanPreview(ctx, t, e, s)
}

// The Azure reference stack the same way; up also reads the workspace keys
// (through the list-keys function), which a preview never does.
func TestE2EAzureML(t *testing.T) {
	e := newEnv(t)
	ctx := e2eContext(t)
	s, err := e.Stack(ctx, "azure-ml", "dev", mlworkspace.Program, azureDevConfig)
	require.NoError(t, err)
	cleanPreview(ctx, t, e, s)
	cleanUp(ctx, t, e, s)
	outputs, err := s.Outputs(ctx)
	require.NoError(t, err)
	require.Contains(t, outputs, "workspaceKeys")
	assert.True(t, outputs["workspaceKeys"].Secret, "workspace keys are exported only as secrets")
	cleanPreview(ctx, t, e, s)
}

// A preview of each reference stack through the CLI without a pack, with a
// pack of no rules on mlguard's runtime (what the engine's policy protocol
// costs), with mlguard, and with mlguard as a directory (the language host
// builds it on every preview): what the pack adds to a preview.
// go test -run '^$' -bench Preview -benchtime 5x
func BenchmarkPreview(b *testing.B) {
	floor := filepath.Join(b.TempDir(), "floor")
	require.NoError(b, analyzertest.Build("..", "./bench/floorpack", floor, false))
	stacks := []struct {
		name    string
		program func(*pulumi.Context) error
		config  map[string]string
	}{
		{"aws-governance", governance.Program, awsDevConfig},
		{"azure-ml", mlworkspace.Program, azureDevConfig},
	}
	packs := []struct{ name, bin string }{{"no-pack", ""}, {"floor-pack", floor}, {"mlguard", packBinary}, {"mlguard-directory", repoRoot(b)}}
	for _, st := range stacks {
		for _, pack := range packs {
			b.Run(st.name+"/"+pack.name, func(b *testing.B) {
				e := newGoEnv(b) // the directory is built by the Go language host
				ctx := e2eContext(b)
				s, err := e.Stack(ctx, st.name, "bench", st.program, st.config)
				require.NoError(b, err)
				var opts []optpreview.Option
				if pack.bin != "" {
					opts = append(opts, optpreview.PolicyPacks(pack.bin))
				}
				for b.Loop() {
					_, err := s.Preview(ctx, opts...)
					require.NoError(b, err)
				}
			})
		}
	}
}

func assertNoPolicyOutput(t *testing.T, out string) {
	t.Helper()
	for _, marker := range []string{"[mandatory]", "[advisory]", "mandatory policy violation"} {
		assert.NotContains(t, out, marker)
	}
	assert.Contains(t, out, "✅ mlguard@v", "the CLI ran the pack, and it passed")
}
