package tests

import (
	"path/filepath"
	"sort"
	"strings"
	"testing"

	resourceanalyzer "github.com/pulumi/pulumi/pkg/v3/resource/analyzer"
	"github.com/pulumi/pulumi/pkg/v3/resource/plugin"
	"github.com/pulumi/pulumi/sdk/v3/go/common/apitype"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The policy-config profiles pass the CLI's own parser and validator against
// the schemas the built pack reports, and the pack accepts what the CLI then
// sends — the path `pulumi preview --policy-pack-config` takes.
func TestPolicyConfigProfiles(t *testing.T) {
	files, err := filepath.Glob("../policy-config/*.json")
	require.NoError(t, err)
	require.NotEmpty(t, files)
	for _, file := range files {
		t.Run(filepath.Base(file), func(t *testing.T) {
			ctx := timeout(t)
			analyzer := plugin.NewAnalyzerWithClient("mlguard", launchPack(t))
			info, err := analyzer.GetAnalyzerInfo(ctx)
			require.NoError(t, err)
			fromFile, err := resourceanalyzer.LoadPolicyPackConfigFromFile(file)
			require.NoError(t, err)
			config, problems, err := resourceanalyzer.ReconcilePolicyPackConfig(info.Policies, info.InitialConfig, fromFile)
			require.NoError(t, err)
			require.Empty(t, problems)
			require.NoError(t, analyzer.Configure(ctx, config))
		})
	}
}

// A profile the CLI's validator rejects is rejected with the policy named.
func TestPolicyConfigValidatorRejectsBadValues(t *testing.T) {
	ctx := timeout(t)
	analyzer := plugin.NewAnalyzerWithClient("mlguard", launchPack(t))
	info, err := analyzer.GetAnalyzerInfo(ctx)
	require.NoError(t, err)
	bad := map[string]plugin.AnalyzerPolicyConfig{
		"awsconfig-delivery-frequency":        {EnforcementLevel: apitype.Mandatory, Properties: map[string]any{"maximumFrequency": "Weekly"}},
		"codeartifact-repository-description": {Properties: map[string]any{"minLength": "ten"}},
	}
	_, problems, err := resourceanalyzer.ReconcilePolicyPackConfig(info.Policies, info.InitialConfig, bad)
	require.NoError(t, err)
	sort.Strings(problems)
	require.Len(t, problems, 2)
	assert.Contains(t, problems[0], "awsconfig-delivery-frequency")
	assert.Contains(t, problems[1], "codeartifact-repository-description")
}

// Every policy reaches the CLI with its metadata intact.
func TestAnalyzerInfoAsTheCLISeesIt(t *testing.T) {
	info, err := plugin.NewAnalyzerWithClient("mlguard", launchPack(t)).GetAnalyzerInfo(timeout(t))
	require.NoError(t, err)
	assert.Equal(t, "mlguard", info.Name)
	assert.True(t, info.SupportsConfig)
	assert.GreaterOrEqual(t, len(info.Policies), 30)
	for _, p := range info.Policies {
		assert.NotEqual(t, apitype.PolicySeverityUnspecified, p.Severity, p.Name)
		assert.NotEmpty(t, p.RemediationSteps, p.Name)
		require.NotNil(t, p.ConfigSchema, p.Name)
		assert.Contains(t, p.ConfigSchema.Properties, "enforcementLevel", p.Name)
	}
}

// What the CLI's schema validator lets through, the pack's own checks refuse
// when the CLI configures it, naming the field: here a day that does not
// exist and a policy that is not in the pack.
func TestExemptionConfigRefusedWithTheFieldNamed(t *testing.T) {
	ctx := timeout(t)
	analyzer := plugin.NewAnalyzerWithClient("mlguard", launchPack(t))
	info, err := analyzer.GetAnalyzerInfo(ctx)
	require.NoError(t, err)
	entry := func(policy, expires string) map[string]any {
		return map[string]any{"stack": "dev", "type": "aws:s3/bucket:Bucket", "name": "*", "policy": policy, "expires": expires, "reason": "r"}
	}
	given := map[string]plugin.AnalyzerPolicyConfig{"exemption-valid": {EnforcementLevel: apitype.Mandatory, Properties: map[string]any{
		"central": []any{entry("s3-bucket-no-public-acl", "2027-01-31"), entry("s3-bucket-no-public-acl", "2027-02-30"), entry("s3-public", "2027-01-31")},
	}}}
	config, problems, err := resourceanalyzer.ReconcilePolicyPackConfig(info.Policies, info.InitialConfig, given)
	require.NoError(t, err)
	require.Empty(t, problems, "the schema allows both")
	err = analyzer.Configure(ctx, config)
	require.Error(t, err)
	assert.Contains(t, err.Error(), `policy "exemption-valid": field "central[1].expires": "2027-02-30" is not a date`)
	assert.Contains(t, err.Error(), `field "central[2].policy": "s3-public" is not a policy of this pack`)

	// And the schema the CLI validates against names a misspelt field.
	given["exemption-valid"].Properties["central"] = []any{map[string]any{"stack": "dev", "urn": "urn:pulumi:dev::p::t::n", "policy": "p", "expiry": "2027-01-31", "reason": "r"}}
	_, problems, err = resourceanalyzer.ReconcilePolicyPackConfig(info.Policies, info.InitialConfig, given)
	require.NoError(t, err)
	require.NotEmpty(t, problems)
	assert.Contains(t, strings.Join(problems, "\n"), "exemption-valid: central.0: Additional property expiry is not allowed")
}
