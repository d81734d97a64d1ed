package tests

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mlguard/mlguard/analyzer/analyzertest"
	"github.com/mlguard/mlguard/stacks/aws-governance/awsmock"
	"github.com/mlguard/mlguard/stacks/aws-governance/governance"
	"github.com/mlguard/mlguard/tests/packcheck"
)

// awsDevConfig is the stack configuration of the tests (Pulumi.dev.yaml's).
var awsDevConfig = map[string]string{
	"aws:region":                               awsmock.Region,
	"aws-governance:owner":                     "ml-platform-team",
	"aws-governance:costCenter":                "cc-4711",
	"aws-governance:dataClassification":        "confidential",
	"aws-governance:extraTags":                 `{"environment":"dev"}`,
	"aws-governance:externalConnection":        "public:pypi",
	"aws-governance:snapshotDeliveryFrequency": "Six_Hours",
}

func mockedAWSGovernance(t *testing.T) []*pulumirpc.AnalyzerResource {
	t.Helper()
	b, err := json.Marshal(awsDevConfig)
	require.NoError(t, err)
	t.Setenv("PULUMI_CONFIG", string(b))
	mocks := &awsmock.Mocks{}
	require.NoError(t, pulumi.RunErr(governance.Program, pulumi.WithMocks("aws-governance", "dev", mocks)))
	resources, err := packcheck.Resources("aws-governance", "dev", mocks.Registered())
	require.NoError(t, err)
	return resources
}

func launchPack(t *testing.T) pulumirpc.AnalyzerClient {
	t.Helper()
	return analyzertest.LaunchT(t, packBinary, analyzertest.StartEngine(t).Addr).Client
}

func timeout(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	t.Cleanup(cancel)
	return ctx
}

// The reference stack passes every policy at its default level: no
// diagnostic at all, mandatory or advisory.
func TestAWSGovernancePassesThePack(t *testing.T) {
	resources := mockedAWSGovernance(t)
	result, err := packcheck.Analyze(timeout(t), launchPack(t), resources)
	require.NoError(t, err)
	assert.Empty(t, result.Messages())
	assert.Greater(t, len(resources), 60)
}

// The same resources without their provider lose the provider's default
// tags, and the pack notices: the check above is not vacuous.
func TestAWSGovernanceWithoutDefaultTagsFails(t *testing.T) {
	resources := mockedAWSGovernance(t)
	for _, r := range resources {
		r.Provider = nil
	}
	result, err := packcheck.Analyze(timeout(t), launchPack(t), resources)
	require.NoError(t, err)
	require.NotEmpty(t, result.Diagnostics)
	for _, d := range result.Diagnostics {
		assert.Equal(t, "required-tags", d.PolicyName, d.Message)
	}
}
