package tests

import (
	"context"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mlguard/mlguard/tests/clirun"
	"github.com/mlguard/mlguard/tests/examples"
)

var (
	languageHostOnce sync.Once
	languageHostErr  error
)

// newGoEnv is newEnv with the Go language host beside the CLI, built once
// from its source: what `runtime: go` programs and packs run through.
func newGoEnv(t testing.TB) *clirun.Env {
	t.Helper()
	e := newEnv(t)
	languageHostOnce.Do(func() {
		_, languageHostErr = clirun.EnsureLanguageHost(e.CLIRoot, clirun.LanguageHostSource("."), os.Stderr)
	})
	require.NoError(t, languageHostErr)
	return e
}

// repoRoot is the pack as a directory: PulumiPolicy.yaml, runtime: go.
func repoRoot(t testing.TB) string {
	abs, err := filepath.Abs("..")
	require.NoError(t, err)
	return abs
}

// copyProject copies a Pulumi project to a temporary directory, the way a
// user starts from the template: creating a stack writes its secrets salt
// into Pulumi.<stack>.yaml, which must not touch the repository.
func copyProject(t *testing.T, dir string) string {
	t.Helper()
	dst := filepath.Join(t.TempDir(), filepath.Base(dir))
	require.NoError(t, os.CopyFS(dst, os.DirFS(dir)))
	return dst
}

// Each reference stack as its own `runtime: go` project (built and run by
// the language host from its directory, with its Pulumi.dev.yaml), with the
// pack given as the repository root (built by the language host too):
// a clean preview, no diagnostic at all.
func TestE2EPackDirectoryReferenceStacks(t *testing.T) {
	e := newGoEnv(t)
	e.Pack = repoRoot(t)
	for _, stack := range []string{"aws-governance", "azure-ml"} {
		t.Run(stack, func(t *testing.T) {
			// Longer than e2eContext: the first run compiles the stack's SDKs again, with
			// the language host's -trimpath, which the tests' own build cache does not share.
			ctx, cancel := context.WithTimeout(context.Background(), 25*time.Minute)
			defer cancel()
			s, err := e.LocalStack(ctx, copyProject(t, filepath.Join("..", "stacks", stack)), "dev", nil)
			require.NoError(t, err)
			cleanPreview(ctx, t, e, s)
		})
	}
}

// A seed program is blocked by the pack as a directory with exactly the
// violations the built binary reports.
func TestE2EPackDirectoryBlocksLikeTheBinary(t *testing.T) {
	e := newGoEnv(t)
	ctx := e2eContext(t)
	ex := examples.AWS[0]
	s, err := e.Stack(ctx, ex.Name, "dev", ex.Program, ex.Config)
	require.NoError(t, err)

	binaryOut, err := preview(ctx, e, s)
	require.Error(t, err, "a mandatory violation fails the preview")
	dir := *e
	dir.Pack = repoRoot(t)
	dirOut, err := preview(ctx, &dir, s)
	require.Error(t, err, "a mandatory violation fails the preview")

	assert.Contains(t, dirOut, "❌ mlguard@v")
	assert.Equal(t, expected(ex, false), got(dirOut), dirOut)
	assert.Equal(t, clirun.Diagnostics(binaryOut), clirun.Diagnostics(dirOut), "same policies, levels, severities and resources")
}
