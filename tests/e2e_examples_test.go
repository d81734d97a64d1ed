package tests

import (
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/auto/optpreview"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optup"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mlguard/mlguard/tests/clirun"
	"github.com/mlguard/mlguard/tests/examples"
)

// expected renders an example's expectations as the CLI would print them.
func expected(ex examples.Example, onlyAdvisory bool) []string {
	var out []string
	for _, v := range ex.Expect {
		level := "advisory"
		if v.Mandatory && !onlyAdvisory {
			level = "mandatory"
		}
		out = append(out, "["+level+"] "+v.Policy+" "+v.Resource)
	}
	sort.Strings(out)
	return out
}

// got renders the CLI's diagnostics the same way.
func got(out string) []string {
	var s []string
	for _, d := range clirun.Diagnostics(out) {
		s = append(s, "["+d.Level+"] "+d.Policy+" "+d.Resource)
	}
	sort.Strings(s)
	return s
}

// profile is the absolute path of a policy-config profile (the CLI runs elsewhere).
func profile(t *testing.T, name string) string {
	abs, err := filepath.Abs(filepath.Join("..", "policy-config", name+".json"))
	require.NoError(t, err)
	return abs
}

func writeConfig(t *testing.T, config map[string]any) string {
	t.Helper()
	b, err := json.Marshal(config)
	require.NoError(t, err)
	path := filepath.Join(t.TempDir(), "policy-config.json")
	require.NoError(t, os.WriteFile(path, b, 0o644))
	return path
}

// The seed programs fail the preview, and the CLI names every expected
// policy and resource: mandatory ones fail it, advisory ones warn.
func TestE2ESeedsFailThePreview(t *testing.T) {
	e := newEnv(t)
	for _, ex := range examples.Seeds() {
		t.Run(ex.Name, func(t *testing.T) {
			ctx := e2eContext(t)
			s, err := e.Stack(ctx, ex.Name, "dev", ex.Program, ex.Config)
			require.NoError(t, err)
			out, err := preview(ctx, e, s)
			require.Error(t, err, "a mandatory violation fails the preview")
			assert.Contains(t, out, "❌ mlguard@v")
			assert.Equal(t, expected(ex, false), got(out))
		})
	}
}

// With the advisory profile the same programs preview with warnings only.
func TestE2EAdvisoryProfileWarns(t *testing.T) {
	e := newEnv(t)
	for _, ex := range examples.Seeds() {
		t.Run(ex.Name, func(t *testing.T) {
			ctx := e2eContext(t)
			s, err := e.Stack(ctx, ex.Name, "dev", ex.Program, ex.Config)
			require.NoError(t, err)
			out, err := preview(ctx, e, s, profile(t, "advisory"))
			require.NoError(t, err, out)
			assert.Equal(t, expected(ex, true), got(out))
		})
	}
}

// A disabled policy does not run, and the rest still do.
func TestE2EDisabledPolicyDoesNotRun(t *testing.T) {
	e := newEnv(t)
	ctx := e2eContext(t)
	ex := examples.AWS[0]
	s, err := e.Stack(ctx, ex.Name, "dev", ex.Program, ex.Config)
	require.NoError(t, err)
	config := writeConfig(t, map[string]any{"required-tags": "disabled", "s3-bucket-versioning-enabled": "disabled"})
	out, _ := preview(ctx, e, s, config)
	diags := got(out)
	require.NotEmpty(t, diags)
	for _, d := range diags {
		assert.NotContains(t, d, "required-tags")
		assert.NotContains(t, d, "s3-bucket-versioning-enabled")
	}
	assert.Contains(t, diags, "[mandatory] awsconfig-recorder-delivery config-recorder")
}

// At the remediate level the pack fills the missing tags from the configured
// defaults; the preview shows the remediated inputs and no tag violation.
func TestE2ERemediateFillsTags(t *testing.T) {
	e := newEnv(t)
	ctx := e2eContext(t)
	ex := examples.AWS[3] // CodeArtifact: two resources without tags
	s, err := e.Stack(ctx, ex.Name, "dev", ex.Program, ex.Config)
	require.NoError(t, err)
	config := writeConfig(t, map[string]any{
		"all": "advisory",
		"required-tags": map[string]any{
			"enforcementLevel": "remediate",
			"defaultValues": map[string]any{
				"owner": "unassigned-owner", "project": "ml-platform", "cost-center": "cc-0000", "data-classification": "internal",
			},
		},
	})
	var buf strings.Builder
	_, err = s.Preview(ctx, optpreview.PolicyPacks(e.Pack), optpreview.PolicyPackConfigs(config), optpreview.Diff(),
		optpreview.ProgressStreams(&buf), optpreview.ErrorProgressStreams(&buf))
	out := buf.String()
	require.NoError(t, err, out)
	for _, d := range got(out) {
		assert.NotContains(t, d, "required-tags", "remediated, nothing left to report")
	}
	assert.Contains(t, out, "unassigned-owner", "the diff shows the remediated tags")
	assert.Contains(t, out, "cc-0000")
}

// A program whose key and buckets are created in the same update has only
// unknown ids and ARNs at preview: the pack must not call that a violation.
func TestE2EUnknownsPreviewClean(t *testing.T) {
	e := newEnv(t)
	ctx := e2eContext(t)
	ex := examples.Unknowns
	s, err := e.Stack(ctx, ex.Name, "dev", ex.Program, ex.Config)
	require.NoError(t, err)
	cleanPreview(ctx, t, e, s)
	cleanUp(ctx, t, e, s)
}

// `pulumi policy analyze --file` on the state of a non-compliant program,
// exported after an up under the advisory profile, reports the violations
// the preview reported.
func TestE2EPolicyAnalyzeExportedState(t *testing.T) {
	e := newEnv(t)
	ctx := e2eContext(t)
	ex := examples.AWS[0]
	s, err := e.Stack(ctx, ex.Name, "dev", ex.Program, ex.Config)
	require.NoError(t, err)
	var upOut strings.Builder
	_, err = s.Up(ctx, optup.PolicyPacks(e.Pack), optup.PolicyPackConfigs(profile(t, "advisory")),
		optup.ProgressStreams(&upOut), optup.ErrorProgressStreams(&upOut))
	require.NoError(t, err, upOut.String())
	state, err := s.Export(ctx)
	require.NoError(t, err)
	file := filepath.Join(t.TempDir(), "state.json")
	b, err := json.Marshal(state)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(file, b, 0o600))

	stdout, stderr, err := e.Run(ctx, t.TempDir(), "policy", "analyze", "--file", file, "--policy-pack", e.Pack)
	require.Error(t, err, "mandatory violations make analyze exit non-zero")
	assert.Equal(t, expected(ex, false), got(stdout+stderr), stdout+stderr)
}
