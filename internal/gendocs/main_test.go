package main

import (
	"os"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mlguard/mlguard/policypack"
	"github.com/mlguard/mlguard/providers/schema"
)

// TestDocsUpToDate fails when docs/policies.md differs from what the pack generates.
func TestDocsUpToDate(t *testing.T) {
	want, err := os.ReadFile("../../docs/policies.md")
	require.NoError(t, err)
	idx, err := schema.Load()
	require.NoError(t, err)
	assert.True(t, string(want) == render(policypack.Pack(), idx),
		"docs/policies.md is out of date: run `go run ./internal/gendocs > docs/policies.md`")
}
