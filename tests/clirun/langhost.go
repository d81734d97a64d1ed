package clirun

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// languageHostModule is the Go language host's module path; its version is
// that of the Pulumi SDK its go.mod requires.
const languageHostModule = "github.com/pulumi/pulumi/sdk/v3"

// LanguageHostSource is where the Go language host's source is: the module
// proxy does not serve it, so it sits beside the repository
// (../shared/pulumi-language-go, read-only). MLGUARD_LANGUAGE_GO_SOURCE
// overrides it.
func LanguageHostSource(testsModule string) string {
	if dir := os.Getenv("MLGUARD_LANGUAGE_GO_SOURCE"); dir != "" {
		return dir
	}
	abs, err := filepath.Abs(filepath.Join(testsModule, "..", "..", "shared", "pulumi-language-go"))
	if err != nil {
		return filepath.Join(testsModule, "..", "..", "shared", "pulumi-language-go")
	}
	return abs
}

// EnsureLanguageHost builds the Go language host from source into the CLI's
// bin directory (where the CLI looks for the language hosts it bundles)
// unless the same version is there. It is what runs `runtime: go` programs
// and policy packs: it builds them with `go build` and starts them.
func EnsureLanguageHost(cliRoot, source string, progress io.Writer) (path string, err error) {
	version, err := languageHostVersion(source)
	if err != nil {
		return "", err
	}
	path = filepath.Join(cliRoot, "bin", "pulumi-language-go")
	if out, err := exec.Command(path, "-version").Output(); err == nil && strings.TrimSpace(string(out)) == version {
		return path, nil
	}
	fmt.Fprintf(progress, "Building the Pulumi Go language host %s from %s (first run only: under 2 minutes)...\n", version, source)
	tmp := path + ".tmp"
	cmd := exec.Command("go", "build", "-trimpath",
		"-ldflags", "-w -s -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version="+version, "-o", tmp, ".")
	cmd.Dir = source
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0", "GOWORK=off", "GOFLAGS="+readOnlyModFlags(os.Getenv("GOFLAGS")))
	cmd.Stdout, cmd.Stderr = progress, progress
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("building the Go language host in %s: %w", source, err)
	}
	// Renamed into place whole, so an interrupted build is never mistaken for a language host.
	if err := os.Rename(tmp, path); err != nil {
		return "", err
	}
	return path, nil
}

// languageHostVersion reads the SDK version the language host's go.mod requires.
func languageHostVersion(source string) (string, error) {
	f, err := os.Open(filepath.Join(source, "go.mod"))
	if err != nil {
		return "", fmt.Errorf("the Go language host's source is not at %s (set MLGUARD_LANGUAGE_GO_SOURCE): %w", source, err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) >= 2 && fields[0] == languageHostModule {
			return fields[1], nil
		}
	}
	return "", fmt.Errorf("%s/go.mod does not require %s", source, languageHostModule)
}

// readOnlyModFlags keeps the caller's GOFLAGS but builds with -mod=readonly:
// the source directory may be read-only, and its go.mod and go.sum are
// complete, so nothing may try to rewrite them.
func readOnlyModFlags(goflags string) string {
	var kept []string
	for _, f := range strings.Fields(goflags) {
		if !strings.HasPrefix(f, "-mod=") {
			kept = append(kept, f)
		}
	}
	return strings.Join(append(kept, "-mod=readonly"), " ")
}
