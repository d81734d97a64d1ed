package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The staged pack holds the pack's source and nothing else, and builds.
func TestStageHoldsThePackAndBuilds(t *testing.T) {
	out := filepath.Join(t.TempDir(), "mlguard")
	n, err := stage("../..", out)
	require.NoError(t, err)
	var files []string
	require.NoError(t, filepath.WalkDir(out, func(path string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			rel, _ := filepath.Rel(out, path)
			files = append(files, filepath.ToSlash(rel))
		}
		return err
	}))
	assert.Len(t, files, n)
	for _, f := range []string{"PulumiPolicy.yaml", "go.mod", "go.sum", "main.go", "policypack/pack.go", "analyzer/server.go", "policy/policy.go"} {
		assert.Contains(t, files, f)
	}
	for _, f := range files {
		assert.False(t, strings.HasSuffix(f, "_test.go"), "%s is a test", f)
		for _, dir := range []string{"stacks/", "tests/", "bench/", "docs/", "examples/", "internal/", "bin/"} {
			assert.False(t, strings.HasPrefix(f, dir), "%s is not the pack's", f)
		}
	}
	build := exec.Command("go", "build", "-o", filepath.Join(t.TempDir(), "mlguard"), ".")
	build.Dir = out
	b, err := build.CombinedOutput()
	require.NoError(t, err, string(b))
}

// A directory with something in it is never written into.
func TestStageRefusesANonEmptyDirectory(t *testing.T) {
	out := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(out, "notes.txt"), []byte("mine"), 0o644))
	_, err := stage("../..", out)
	require.ErrorContains(t, err, "is not empty")
	b, err := os.ReadFile(filepath.Join(out, "notes.txt"))
	require.NoError(t, err)
	assert.Equal(t, "mine", string(b))
}
