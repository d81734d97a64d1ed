package genschema

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// Tarball is where p's npm tarball lives in the cache: npm pack's own name
// for it (@pulumi/aws@7.48.0 -> pulumi-aws-7.48.0.tgz).
func Tarball(cacheDir string, p Package) string {
	name := strings.ReplaceAll(strings.TrimPrefix(p.Name, "@"), "/", "-")
	return filepath.Join(cacheDir, name+"-"+p.Version+".tgz")
}

// Fetch makes sure p's tarball is in cacheDir, downloading it with
// `npm pack` when it is not, and returns its path.
func Fetch(cacheDir string, p Package) (string, error) {
	path := Tarball(cacheDir, p)
	if _, err := os.Stat(path); err == nil {
		return path, nil
	}
	if err := os.MkdirAll(cacheDir, 0o755); err != nil {
		return "", err
	}
	// npm writes the tarball under its final name only once complete, so a
	// cut download leaves nothing that looks cached.
	tmp, err := os.MkdirTemp(cacheDir, "fetch-")
	if err != nil {
		return "", err
	}
	defer os.RemoveAll(tmp)
	spec := p.Name + "@" + p.Version
	cmd := exec.Command("npm", "pack", "--silent", "--pack-destination", tmp, spec)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("npm pack %s: %w\n%s", spec, err, strings.TrimSpace(stderr.String()))
	}
	if err := os.Rename(filepath.Join(tmp, filepath.Base(path)), path); err != nil {
		return "", fmt.Errorf("npm pack %s did not write %s: %w", spec, filepath.Base(path), err)
	}
	return path, nil
}

// walkTarball calls fn with the path (below the tarball's package/ folder)
// and content of every file of a package tarball that keep accepts.
func walkTarball(path string, keep func(name string) bool, fn func(name string, data []byte) error) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	gz, err := gzip.NewReader(f)
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	tr := tar.NewReader(gz)
	for {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
		name, ok := strings.CutPrefix(h.Name, "package/")
		if h.Typeflag != tar.TypeReg || !ok || !keep(name) {
			continue
		}
		data, err := io.ReadAll(tr)
		if err != nil {
			return fmt.Errorf("%s: %s: %w", path, h.Name, err)
		}
		if err := fn(name, data); err != nil {
			return err
		}
	}
}
