// Package clirun runs Pulumi programs through the real Pulumi CLI, offline:
// the CLI built from the Go module proxy (and cached), inline programs of the
// Automation API on a local file backend, loopback providers attached through
// PULUMI_DEBUG_PROVIDERS, and a policy pack binary given to --policy-pack;
// with the Go language host built from source beside the CLI, also
// `runtime: go` projects and pack directories.
package clirun

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/auto"
	"github.com/pulumi/pulumi/sdk/v3/go/common/tokens"
	"github.com/pulumi/pulumi/sdk/v3/go/common/workspace"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// CLIVersion is the Pulumi CLI the tests and the demo run.
const CLIVersion = "v3.274.1"

const cliPackage = "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi"

// CLIRoot is where the CLI is cached: root/bin/pulumi, as the Automation API
// expects. MLGUARD_CACHE overrides the directory (default: .cache beside the
// tests module).
func CLIRoot(testsModule string) string {
	cache := os.Getenv("MLGUARD_CACHE")
	if cache == "" {
		cache = filepath.Join(testsModule, "..", ".cache")
	}
	abs, err := filepath.Abs(filepath.Join(cache, "pulumi-"+CLIVersion))
	if err != nil {
		return filepath.Join(cache, "pulumi-"+CLIVersion)
	}
	return abs
}

// EnsureCLI builds the CLI into its cache unless it is there, telling
// progress what it does; testsModule is the directory of the tests module,
// whose go.mod pins the CLI's version.
func EnsureCLI(testsModule string, progress io.Writer) (root string, err error) {
	root = CLIRoot(testsModule)
	bin := filepath.Join(root, "bin", "pulumi")
	if out, err := exec.Command(bin, "version").Output(); err == nil && strings.TrimSpace(string(out)) == CLIVersion {
		return root, nil
	}
	if err := os.MkdirAll(filepath.Dir(bin), 0o755); err != nil {
		return "", err
	}
	fmt.Fprintf(progress, "Building the Pulumi CLI %s from the Go module proxy (first run only: about 3-6 minutes, 2 GB)...\n", CLIVersion)
	tmp := bin + ".tmp"
	cmd := exec.Command("go", "build", "-o", tmp,
		"-ldflags", "-X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version="+CLIVersion, cliPackage)
	cmd.Dir = testsModule
	cmd.Stdout, cmd.Stderr = progress, progress
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("building the Pulumi CLI: %w", err)
	}
	// Renamed into place whole, so an interrupted build is never mistaken for a CLI.
	if err := os.Rename(tmp, bin); err != nil {
		return "", err
	}
	fmt.Fprintf(progress, "Built %s\n", bin)
	return root, nil
}

// Env is one isolated Pulumi environment: its own home and state directory.
type Env struct {
	CLIRoot    string
	Pack       string         // the policy pack binary
	Dir        string         // home, state and work directories live here
	Providers  map[string]int // package name -> loopback provider port
	Passphrase string
	// WrapCommand, if set, wraps the CLI the Automation API runs: for flags
	// it does not pass (such as preview --json) and files it deletes.
	WrapCommand func(auto.PulumiCommand) auto.PulumiCommand
	// Backend is the state backend; empty means a file backend under Dir. A
	// Pulumi Cloud URL needs AccessToken.
	Backend     string
	AccessToken string
}

func (e *Env) backendURL() string {
	if e.Backend != "" {
		return e.Backend
	}
	return "file://" + filepath.Join(e.Dir, "state")
}

func (e *Env) envVars() map[string]string {
	names := make([]string, 0, len(e.Providers))
	for name := range e.Providers {
		names = append(names, name)
	}
	sort.Strings(names)
	var debug []string
	for _, name := range names {
		debug = append(debug, name+":"+strconv.Itoa(e.Providers[name]))
	}
	vars := map[string]string{
		// The CLI's bin directory first: the Go language host built beside it.
		"PATH":                     filepath.Join(e.CLIRoot, "bin") + string(os.PathListSeparator) + os.Getenv("PATH"),
		"PULUMI_DEBUG_PROVIDERS":   strings.Join(debug, ","),
		"PULUMI_SKIP_UPDATE_CHECK": "1",
		"PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION": "true",
		"PULUMI_CONFIG_PASSPHRASE":                    e.Passphrase,
		"PULUMI_HOME":                                 filepath.Join(e.Dir, "home"),
		"PULUMI_BACKEND_URL":                          e.backendURL(),
	}
	if e.AccessToken != "" {
		vars["PULUMI_ACCESS_TOKEN"] = e.AccessToken
	}
	return vars
}

// Stack creates (or selects) a stack running program inline, with config.
func (e *Env) Stack(ctx context.Context, project, stack string, program pulumi.RunFunc, config map[string]string) (auto.Stack, error) {
	if err := e.mkdirs(project); err != nil {
		return auto.Stack{}, err
	}
	cmd, err := auto.NewPulumiCommand(&auto.PulumiCommandOptions{Root: e.CLIRoot, SkipVersionCheck: true})
	if err != nil {
		return auto.Stack{}, err
	}
	if e.WrapCommand != nil {
		cmd = e.WrapCommand(cmd)
	}
	s, err := auto.UpsertStackInlineSource(ctx, stack, project, program,
		auto.Pulumi(cmd),
		auto.WorkDir(filepath.Join(e.Dir, project)),
		auto.PulumiHome(filepath.Join(e.Dir, "home")),
		auto.EnvVars(e.envVars()),
		auto.SecretsProvider("passphrase"),
		auto.Project(workspace.Project{
			Name:    tokens.PackageName(project),
			Runtime: workspace.NewProjectRuntimeInfo("go", nil),
			Backend: &workspace.ProjectBackend{URL: e.backendURL()},
		}),
	)
	if err != nil {
		return auto.Stack{}, err
	}
	return s, e.setConfig(ctx, s, config)
}

// LocalStack creates (or selects) a stack of the Pulumi project in dir, as
// its own `runtime: go` program: the CLI's Go language host builds and runs
// it. Its Pulumi.<stack>.yaml is its config, plus config.
func (e *Env) LocalStack(ctx context.Context, dir, stack string, config map[string]string) (auto.Stack, error) {
	if err := e.mkdirs(); err != nil {
		return auto.Stack{}, err
	}
	cmd, err := auto.NewPulumiCommand(&auto.PulumiCommandOptions{Root: e.CLIRoot, SkipVersionCheck: true})
	if err != nil {
		return auto.Stack{}, err
	}
	s, err := auto.UpsertStackLocalSource(ctx, stack, dir,
		auto.Pulumi(cmd),
		auto.PulumiHome(filepath.Join(e.Dir, "home")),
		auto.EnvVars(e.envVars()),
		auto.SecretsProvider("passphrase"),
	)
	if err != nil {
		return auto.Stack{}, err
	}
	return s, e.setConfig(ctx, s, config)
}

// mkdirs creates the home and state directories, and dirs, under Dir.
func (e *Env) mkdirs(dirs ...string) error {
	for _, d := range append([]string{"home", "state"}, dirs...) {
		if err := os.MkdirAll(filepath.Join(e.Dir, d), 0o755); err != nil {
			return err
		}
	}
	return nil
}

func (e *Env) setConfig(ctx context.Context, s auto.Stack, config map[string]string) error {
	if len(config) == 0 {
		return nil
	}
	cm := auto.ConfigMap{}
	for k, v := range config {
		cm[k] = auto.ConfigValue{Value: v}
	}
	return s.SetAllConfig(ctx, cm)
}

// Run runs the CLI itself in the environment (for commands the Automation
// API does not wrap, such as `pulumi policy analyze`).
func (e *Env) Run(ctx context.Context, dir string, args ...string) (stdout, stderr string, err error) {
	cmd := exec.CommandContext(ctx, filepath.Join(e.CLIRoot, "bin", "pulumi"), args...)
	cmd.Dir = dir
	cmd.Env = os.Environ()
	for k, v := range e.envVars() {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	var out, errOut strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err = cmd.Run()
	return out.String(), errOut.String(), err
}
