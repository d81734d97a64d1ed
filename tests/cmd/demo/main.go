// Command demo is mlguard's main job, `make demo`: it runs the reference
// stacks and the non-compliant seed programs through the real Pulumi CLI,
// offline, with the mlguard pack, prints the CLI's own policy output for
// each, and a one-line summary per program. Cloud providers are loopback
// stand-ins (their Check echoes inputs); everything else is the real thing.
package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/auto/optpreview"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/mlguard/mlguard/analyzer/analyzertest"
	"github.com/mlguard/mlguard/stacks/aws-governance/awsmock"
	"github.com/mlguard/mlguard/stacks/aws-governance/governance"
	"github.com/mlguard/mlguard/stacks/azure-ml/azuremock"
	"github.com/mlguard/mlguard/stacks/azure-ml/mlworkspace"
	"github.com/mlguard/mlguard/tests/clirun"
	"github.com/mlguard/mlguard/tests/examples"
	"github.com/mlguard/mlguard/tests/loopback"
)

// program is one run of the demo and the verdict it should get.
type program struct {
	name, about string
	run         pulumi.RunFunc
	config      map[string]string
	compliant   bool
}

func main() {
	if err := demo(); err != nil {
		fmt.Fprintln(os.Stderr, "demo:", err)
		os.Exit(1)
	}
}

func demo() error {
	start := time.Now()
	ctx := context.Background()
	cli, err := clirun.EnsureCLI(".", os.Stderr)
	if err != nil {
		return err
	}
	pack, err := filepath.Abs(filepath.Join("..", "bin", "mlguard"))
	if err != nil {
		return err
	}
	if err := analyzertest.Build("..", ".", pack, false); err != nil {
		return err
	}
	providers, stop, err := loopback.ServeClouds()
	if err != nil {
		return err
	}
	defer stop()
	dir, err := os.MkdirTemp("", "mlguard-demo")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	env := &clirun.Env{CLIRoot: cli, Pack: pack, Dir: dir, Providers: providers, Passphrase: "mlguard-demo"}

	programs := []program{{
		name: "aws-governance", about: "reference stack: AWS Config, SageMaker, CodeArtifact",
		run: governance.Program, compliant: true,
		config: map[string]string{
			"aws:region": awsmock.Region, "aws-governance:owner": "ml-platform-team", "aws-governance:costCenter": "cc-4711",
		},
	}, {
		name: "azure-ml", about: "reference stack: Azure ML feature store workspace",
		run: mlworkspace.Program, compliant: true,
		config: map[string]string{
			"azure-native:location": azuremock.Location, "azure-ml:owner": "ml-platform-team", "azure-ml:costCenter": "cc-4711",
		},
	}}
	for _, ex := range append(examples.Seeds(), examples.Unknowns) {
		programs = append(programs, program{name: ex.Name, about: ex.About, run: ex.Program, config: ex.Config, compliant: len(ex.Expect) == 0})
	}

	var summary []string
	ok := true
	for _, p := range programs {
		fmt.Printf("\n=== %s — %s\n", p.name, p.about)
		line, matched, err := previewOne(ctx, env, p)
		if err != nil {
			return fmt.Errorf("%s: %w", p.name, err)
		}
		ok = ok && matched
		summary = append(summary, line)
	}
	fmt.Printf("\n=== Summary (pulumi %s, pack %s, %s)\n", clirun.CLIVersion, pack, time.Since(start).Round(100*time.Millisecond))
	for _, l := range summary {
		fmt.Println(l)
	}
	if !ok {
		return fmt.Errorf("a program did not get the verdict it should")
	}
	return nil
}

// previewOne previews a program with the pack and prints the CLI's policy output.
func previewOne(ctx context.Context, env *clirun.Env, p program) (summary string, asExpected bool, err error) {
	s, err := env.Stack(ctx, p.name, "demo", p.run, p.config)
	if err != nil {
		return "", false, err
	}
	var out strings.Builder
	began := time.Now()
	_, previewErr := s.Preview(ctx, optpreview.PolicyPacks(env.Pack), optpreview.ProgressStreams(&out), optpreview.ErrorProgressStreams(&out))
	took := time.Since(began).Round(10 * time.Millisecond)
	fmt.Print(policySection(out.String()))
	var mandatory, advisory int
	for _, d := range clirun.Diagnostics(out.String()) {
		if d.Level == "mandatory" {
			mandatory++
		} else {
			advisory++
		}
	}
	verdict := "PASSED "
	if previewErr != nil {
		verdict = "BLOCKED"
		if mandatory == 0 {
			return "", false, fmt.Errorf("preview failed without a policy violation:\n%s", out.String())
		}
	}
	asExpected = (previewErr == nil) == p.compliant
	mark := "ok  "
	if !asExpected {
		mark = "FAIL"
	}
	return fmt.Sprintf("%s %s %-28s %2d mandatory, %2d advisory violations (preview %s)", mark, verdict, p.name, mandatory, advisory, took), asExpected, nil
}

// policySection is the CLI's "Policies:" block.
func policySection(out string) string {
	var b strings.Builder
	in := false
	for _, line := range strings.Split(out, "\n") {
		switch {
		case strings.HasPrefix(line, "Policies:"):
			in = true
		case in && line != "" && !strings.HasPrefix(line, " "):
			return b.String()
		}
		if in {
			b.WriteString(line + "\n")
		}
	}
	return b.String()
}
