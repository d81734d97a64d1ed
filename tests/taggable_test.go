package tests

import (
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mlguard/mlguard/internal/taggable"
)

// policypack/taggable_aws_gen.go is what the pulumi-aws SDK this module pins
// says today: regenerate it with `make taggable` when this fails.
func TestTaggableListIsCurrent(t *testing.T) {
	out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}} {{.Version}}", "github.com/pulumi/pulumi-aws/sdk/v6").Output()
	require.NoError(t, err)
	dir, version, _ := strings.Cut(strings.TrimSpace(string(out)), " ")
	tokens, err := taggable.Scan(dir)
	require.NoError(t, err)
	want, err := taggable.Render(version, tokens)
	require.NoError(t, err)
	have, err := os.ReadFile("../policypack/taggable_aws_gen.go")
	require.NoError(t, err)
	assert.True(t, string(want) == string(have), "policypack/taggable_aws_gen.go is stale: run make taggable")
}
