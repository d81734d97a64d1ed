package bench

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
)

// Cold is a cold install's time, step by step.
type Cold struct{ Tidy, Build time.Duration }

// Total is the whole install.
func (c Cold) Total() time.Duration { return c.Tidy + c.Build }

// ColdInstall measures what a machine that runs an org-enforced pack does
// with it: `go mod tidy && go build` of the pack's module (pkg is the main
// package to build: "." for the pack), with empty module and build caches.
// The pack's files are copied as git tracks them, leaving out the
// directories that are modules of their own (stacks, tests) and the Node
// peer.
func ColdInstall(root, pkg string) (Cold, error) {
	files, err := exec.Command("git", "-C", root, "ls-files").Output()
	if err != nil {
		return Cold{}, fmt.Errorf("git ls-files: %w", err)
	}
	tmp, err := os.MkdirTemp("", "mlguard-cold")
	if err != nil {
		return Cold{}, err
	}
	defer func() {
		_ = exec.Command("chmod", "-R", "u+w", tmp).Run()
		os.RemoveAll(tmp)
	}()
	src := filepath.Join(tmp, "pack")
	for _, f := range strings.Split(strings.TrimSpace(string(files)), "\n") {
		if strings.HasPrefix(f, "stacks/") || strings.HasPrefix(f, "tests/") || strings.HasPrefix(f, "bench/nodepack/") {
			continue
		}
		b, err := os.ReadFile(filepath.Join(root, f))
		if err != nil {
			return Cold{}, err
		}
		dst := filepath.Join(src, f)
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			return Cold{}, err
		}
		if err := os.WriteFile(dst, b, 0o644); err != nil {
			return Cold{}, err
		}
	}
	env := append(os.Environ(),
		"GOMODCACHE="+filepath.Join(tmp, "mod"), "GOCACHE="+filepath.Join(tmp, "cache"), "GOFLAGS=-modcacherw")
	var c Cold
	for _, step := range []struct {
		took *time.Duration
		args []string
	}{
		{&c.Tidy, []string{"mod", "tidy"}},
		{&c.Build, []string{"build", "-o", filepath.Join(tmp, "pack.bin"), pkg}},
	} {
		cmd := exec.Command("go", step.args...)
		cmd.Dir, cmd.Env = src, env
		began := time.Now()
		if out, err := cmd.CombinedOutput(); err != nil {
			return Cold{}, fmt.Errorf("go %s: %v\n%s", strings.Join(step.args, " "), err, out)
		}
		*step.took = time.Since(began)
	}
	return c, nil
}
