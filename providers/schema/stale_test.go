package schema

import (
	"bufio"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mlguard/mlguard/internal/genschema"
)

const repoRoot = "../.."

// The checked-in index and providers/taggable_gen.go were generated from the
// pinned packages (genschema.Pins): after moving a pin, run make schema.
func TestGeneratedFromPinnedVersions(t *testing.T) {
	idx := mustLoad(t)
	var majors []Major
	for _, p := range genschema.Pins {
		m := Major(p.Major)
		majors = append(majors, m)
		assert.Equal(t, p.Name+" "+p.Version, idx.Package(m)+" "+idx.Version(m),
			"%s: the index is from another package than the pin: run make schema", m)
	}
	sort.Slice(majors, func(i, j int) bool { return majors[i] < majors[j] })
	assert.Equal(t, majors, idx.Majors(), "the index has other majors than the pins: run make schema")

	f, err := os.Open(filepath.Join(repoRoot, genschema.TaggableFile))
	require.NoError(t, err)
	defer f.Close()
	first := bufio.NewScanner(f)
	require.True(t, first.Scan())
	assert.Equal(t, genschema.TaggableHeader(genschema.Pins), first.Text(),
		"%s is from other packages than the pins: run make schema", genschema.TaggableFile)
}

// npmCache is where make schema keeps the npm tarballs.
func npmCache() string {
	if c := os.Getenv("MLGUARD_CACHE"); c != "" {
		return filepath.Join(c, "npm")
	}
	return filepath.Join(repoRoot, ".cache", "npm")
}

// Regenerating from the pinned packages gives the checked-in files byte for
// byte. The tarballs are fetched with npm on first use (48 MB); without npm
// and without them in the cache, the test is skipped. make test runs it in
// test-schema, without -race: the generator is sequential, and the race
// detector makes the run 10 s -> 60 s.
func TestGeneratedFilesAreCurrent(t *testing.T) {
	if raceDetector {
		t.Skip("skipped under -race (a minute there): make test-schema runs it")
	}
	cache := npmCache()
	for _, p := range genschema.Pins {
		if _, err := os.Stat(genschema.Tarball(cache, p)); err == nil {
			continue
		}
		if _, err := exec.LookPath("npm"); err != nil {
			t.Skipf("%s is not in %s and npm is not on PATH: the regeneration check needs the pinned npm packages (make schema fetches them)",
				filepath.Base(genschema.Tarball(cache, p)), cache)
		}
		t.Logf("fetching %s@%s into %s with npm", p.Name, p.Version, cache)
	}
	start := time.Now()
	files, err := genschema.Generate(cache, genschema.Pins)
	require.NoError(t, err)
	t.Logf("regenerated in %s", time.Since(start).Round(100*time.Millisecond))
	for name, want := range files {
		have, err := os.ReadFile(filepath.Join(repoRoot, name))
		require.NoError(t, err, "%s is missing: run make schema", name)
		assert.True(t, string(want) == string(have), "%s is stale: run make schema", name)
	}
	checkedIn, err := filepath.Glob(filepath.Join(repoRoot, "providers", "schema", "index", "*"))
	require.NoError(t, err)
	for _, path := range checkedIn {
		name := strings.TrimPrefix(filepath.ToSlash(path), repoRoot+"/")
		assert.Contains(t, files, name, "%s is not generated from any pin: remove it", name)
	}
}
