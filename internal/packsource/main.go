// Command packsource stages the pack's source for `pulumi policy publish`.
// The CLI archives the directory it runs in whole, minus what .gitignore
// excludes (it honours no other ignore file), which from the repository root
// means stacks/, tests/, bench/, docs/ and examples/ too. packsource copies
// only what a consumer builds: PulumiPolicy.yaml, go.mod, go.sum and the Go
// files of every package of this module that main imports. It then runs the
// consumer's own `go mod tidy -compat=1.18` there, so that the published
// go.mod and go.sum are what every consumer's install computes (the tests
// are left out, and with them testify).
//
//	go run ./internal/packsource -o DIR && cd DIR && pulumi policy publish ORG
package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
)

func main() {
	out := flag.String("o", "", "directory to stage the pack's source in (must not exist or be empty)")
	flag.Parse()
	if *out == "" || flag.NArg() > 0 {
		fmt.Fprintln(os.Stderr, "usage: go run ./internal/packsource -o DIR")
		os.Exit(2)
	}
	files, err := stage(".", *out)
	if err != nil {
		fmt.Fprintln(os.Stderr, "packsource:", err)
		os.Exit(1)
	}
	fmt.Printf("staged %d files of the pack in %s\n", files, *out)
}

// listed is what `go list -json` says of a package, as far as staging needs.
type listed struct {
	ImportPath string
	Dir        string
	GoFiles    []string
	EmbedFiles []string
	Module     *struct {
		Main bool
		Dir  string
	}
}

// stage copies the pack in root to out and tidies it; it returns the number of files copied.
func stage(root, out string) (int, error) {
	if entries, err := os.ReadDir(out); err == nil && len(entries) > 0 {
		return 0, fmt.Errorf("%s is not empty; give a new directory", out)
	}
	cmd := exec.Command("go", "list", "-deps", "-json", ".")
	cmd.Dir = root
	cmd.Stderr = os.Stderr
	b, err := cmd.Output()
	if err != nil {
		return 0, fmt.Errorf("go list -deps .: %w", err)
	}
	var moduleDir string
	var files []string
	dec := json.NewDecoder(bytes.NewReader(b))
	for {
		var p listed
		if err := dec.Decode(&p); errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			return 0, fmt.Errorf("reading go list: %w", err)
		}
		if p.Module == nil || !p.Module.Main {
			continue
		}
		moduleDir = p.Module.Dir
		for _, f := range append(p.GoFiles, p.EmbedFiles...) {
			rel, err := filepath.Rel(moduleDir, filepath.Join(p.Dir, f))
			if err != nil {
				return 0, err
			}
			files = append(files, rel)
		}
	}
	if moduleDir == "" {
		return 0, fmt.Errorf("go list found no package of the main module in %s", root)
	}
	files = append(files, "PulumiPolicy.yaml", "go.mod", "go.sum")
	for _, f := range files {
		if err := copyFile(filepath.Join(moduleDir, f), filepath.Join(out, f)); err != nil {
			return 0, err
		}
	}
	tidy := exec.Command("go", "mod", "tidy", "-compat=1.18")
	tidy.Dir = out
	tidy.Env = append(os.Environ(), "GOWORK=off")
	tidy.Stdout, tidy.Stderr = os.Stderr, os.Stderr
	if err := tidy.Run(); err != nil {
		return 0, fmt.Errorf("go mod tidy in %s: %w", out, err)
	}
	return len(files), nil
}

func copyFile(src, dst string) error {
	b, err := os.ReadFile(src)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return err
	}
	return os.WriteFile(dst, b, 0o644)
}
