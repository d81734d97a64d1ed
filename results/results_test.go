package results

import (
	"errors"
	"io"
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

// A write that fails at the end leaves no temporary file behind.
func TestWriteCleansUpAfterAFailure(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "results.json")
	require.NoError(t, os.Mkdir(path, 0o755)) // a directory cannot be renamed over
	f := &File{Pack: Pack{Name: "mlguard"}, Stack: Stack{Name: "dev", Project: "p"}}
	require.Error(t, Write(path, f))
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	require.Len(t, entries, 1, "only the directory that was in the way")
	assert.True(t, entries[0].IsDir())
}

func TestParseRejects(t *testing.T) {
	for _, tc := range []struct{ name, content, want string }{
		{"syntax", "{\n\"format\": \"mlguard-results\",\n oops}", "r.json: not an mlguard results file: line 3"},
		{"truncated", "{\n\"format\": \"mlguard-res", "line 2 (byte 24): truncated JSON"},
		{"wrong type", "{\n\"version\": \"1\"}", "line 2"},
		{"newer version", `{"format":"mlguard-results","version":2}`, "version 2, this reader knows 1"},
		{"another format", `{"format":"sarif","version":1}`, `r.json: not an mlguard results file (format "sarif", want "mlguard-results")`},
		{"no format", `{"version":1}`, `(format "", want "mlguard-results")`},
		{"older version", `{"format":"mlguard-results","version":0}`, "version 0, this reader knows 1"},
		{"more after the document", "{\"format\":\"mlguard-results\",\"version\":1}\n{}", "r.json:2: not an mlguard results file: more after the JSON document"},
		{"no stack", `{"format":"mlguard-results","version":1,"pack":{"name":"m"},"stack":{"project":"p"}}`, "without its stack"},
		{"no project", `{"format":"mlguard-results","version":1,"pack":{"name":"m"},"stack":{"name":"d"}}`, "without its stack, project or pack"},
		{"no pack", `{"format":"mlguard-results","version":1,"stack":{"name":"d","project":"p"}}`, "without its stack, project or pack"},
		{"diagnostic without policy", `{"format":"mlguard-results","version":1,"pack":{"name":"m"},"stack":{"name":"d","project":"p"},"diagnostics":[{"level":"advisory"}]}`, "diagnostic 1 has no policy"},
		{"second diagnostic without level", `{"format":"mlguard-results","version":1,"pack":{"name":"m"},"stack":{"name":"d","project":"p"},"diagnostics":[{"policy":"x","level":"advisory"},{"policy":"y"}]}`, "diagnostic 2 has no policy or level"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse("r.json", []byte(tc.content))
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
		})
	}
}

func TestParseAcceptsAWholeFile(t *testing.T) {
	f, err := Parse("r.json", []byte(`{"format":"mlguard-results","version":1,"pack":{"name":"m"},"stack":{"name":"d","project":"p"},"diagnostics":[{"policy":"x","level":"advisory"}]}`+"\n"))
	require.NoError(t, err)
	assert.Equal(t, "d", f.Stack.Name)
	require.Len(t, f.Diagnostics, 1)
}

func TestDecodeError(t *testing.T) {
	other := errors.New("not a JSON error")
	assert.Same(t, other, DecodeError([]byte("{}"), other), "other errors pass through")
	err := DecodeError([]byte("{\n}"), io.ErrUnexpectedEOF)
	assert.EqualError(t, err, "line 2 (byte 3): truncated JSON: unexpected EOF")
	assert.ErrorIs(t, err, io.ErrUnexpectedEOF)
	assert.EqualError(t, DecodeError(nil, io.EOF), "line 1 (byte 0): truncated JSON: EOF")
}

func TestLineAt(t *testing.T) {
	b := []byte("a\nb\nc")
	for off, want := range map[int64]int{0: 1, 1: 1, 2: 2, 3: 2, 4: 3, 5: 3, 6: 3, 100: 3} {
		assert.Equal(t, want, LineAt(b, off), "offset %d", off)
	}
	assert.Equal(t, 2, LineAt([]byte("a\n"), 2), "an offset at the end counts the last newline")
}
