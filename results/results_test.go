package results

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestWriteIsAtomicAndReadable(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "results.json")
	require.NoError(t, os.WriteFile(path, []byte("an older run"), 0o644))
	f := &File{Pack: Pack{Name: "mlguard", Version: "1"}, Stack: Stack{Name: "dev", Project: "p"},
		Diagnostics: []Diagnostic{{URN: "urn:pulumi:dev::p::t:m:T::a", Policy: "x", Level: "advisory", Exemption: &Exemption{Source: "tag", Note: "n"}}}}
	require.NoError(t, Write(path, f))
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	require.Len(t, entries, 1, "no temporary file left beside it")
	fi, err := os.Stat(path)
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o644), fi.Mode().Perm())
	got, err := Read(path)
	require.NoError(t, err)
	assert.Equal(t, Format, got.Format)
	assert.Equal(t, Version, got.Version)
	assert.Equal(t, f.Diagnostics, got.Diagnostics)

	require.Error(t, Write(filepath.Join(dir, "missing", "results.json"), f))
}

func TestParseRejects(t *testing.T) {
	for _, tc := range []struct{ name, content, want string }{
		{"syntax", "{\n\"format\": \"mlguard-results\",\n oops}", "r.json: not an mlguard results file: line 3"},
		{"truncated", "{\n\"format\": \"mlguard-res", "line 2 (byte 24): truncated JSON"},
		{"wrong type", "{\n\"version\": \"1\"}", "line 2"},
		{"newer version", `{"format":"mlguard-results","version":2}`, "version 2, this reader knows 1"},
		{"no stack", `{"format":"mlguard-results","version":1,"pack":{"name":"m"}}`, "without its stack"},
		{"diagnostic without policy", `{"format":"mlguard-results","version":1,"pack":{"name":"m"},"stack":{"name":"d","project":"p"},"diagnostics":[{"level":"advisory"}]}`, "diagnostic 1 has no policy"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse("r.json", []byte(tc.content))
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
		})
	}
}
