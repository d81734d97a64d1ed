package bench

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
)

// ColdInstall measures what a machine that runs an org-enforced pack does
// with it: `go mod tidy && go build` of the pack's module, with empty module
// and build caches. The pack's files are copied as git tracks them, leaving
// out the directories that are modules of their own (stacks, tests) and the
// Node peer.
func ColdInstall(root string) (time.Duration, error) {
	files, err := exec.Command("git", "-C", root, "ls-files").Output()
	if err != nil {
		return 0, fmt.Errorf("git ls-files: %w", err)
	}
	tmp, err := os.MkdirTemp("", "mlguard-cold")
	if err != nil {
		return 0, err
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
			return 0, err
		}
		dst := filepath.Join(src, f)
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			return 0, err
		}
		if err := os.WriteFile(dst, b, 0o644); err != nil {
			return 0, err
		}
	}
	env := append(os.Environ(),
		"GOMODCACHE="+filepath.Join(tmp, "mod"), "GOCACHE="+filepath.Join(tmp, "cache"), "GOFLAGS=-modcacherw")
	began := time.Now()
	for _, args := range [][]string{{"mod", "tidy"}, {"build", "-o", filepath.Join(tmp, "mlguard"), "."}} {
		cmd := exec.Command("go", args...)
		cmd.Dir, cmd.Env = src, env
		if out, err := cmd.CombinedOutput(); err != nil {
			return 0, fmt.Errorf("go %s: %v\n%s", strings.Join(args, " "), err, out)
		}
	}
	return time.Since(began), nil
}
