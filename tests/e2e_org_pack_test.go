package tests

import (
	"path/filepath"
	"sort"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mlguard/mlguard/tests/examples"
)

// An organization's own pack (examples/org-pack: mlguard's policies and
// runtime, plus its own policy, in its own module) as a directory: the
// preview reports mlguard's violations and the organization's.
func TestE2EOrgPackAddsItsOwnPolicy(t *testing.T) {
	e := newGoEnv(t)
	orgPack, err := filepath.Abs(filepath.Join("..", "examples", "org-pack"))
	require.NoError(t, err)
	e.Pack = orgPack
	ctx := e2eContext(t)
	ex := examples.AWS[0]
	s, err := e.Stack(ctx, ex.Name, "dev", ex.Program, ex.Config)
	require.NoError(t, err)
	out, err := preview(ctx, e, s)
	require.Error(t, err, "a mandatory violation fails the preview")
	assert.Contains(t, out, "❌ acme-ml-governance@v0.1.0")
	want := append(expected(ex, false), "[mandatory] s3-bucket-name-prefix config-bucket")
	sort.Strings(want)
	assert.Equal(t, want, got(out), out)
	assert.Contains(t, out, `named after its resource "config-bucket", which does not start with "acme-"`)
}
