package policypack

import (
	"context"
	"strings"
	"testing"

	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mlguard/mlguard/analyzer"
	"github.com/mlguard/mlguard/analyzer/analyzertest"
	"github.com/mlguard/mlguard/policy"
	pt "github.com/mlguard/mlguard/policy/policytest"
)

// The runtime judges a resource by its kind: an explicit API version, a v3
// token or a v7 companion is governed by the policies of its kind.
func TestPackJudgesEveryTokenOfAKind(t *testing.T) {
	s, err := analyzer.NewServer(Pack(), nil)
	require.NoError(t, err)
	ctx := context.Background()
	for _, typ := range []string{"azure-native:storage:StorageAccount", "azure-native:storage/v20230101:StorageAccount", "azure-native:storage/v20220901preview:StorageAccount"} {
		resp, err := s.Analyze(ctx, &pulumirpc.AnalyzeRequest{Type: typ, Name: "sa", Urn: "urn:pulumi:dev::p::" + typ + "::sa",
			Properties: pt.Props(map[string]any{"enableHttpsTrafficOnly": false, "allowBlobPublicAccess": true, "minimumTlsVersion": "TLS1_2"})})
		require.NoError(t, err)
		var names []string
		for _, d := range resp.GetDiagnostics() {
			names = append(names, d.GetPolicyName())
		}
		assert.Contains(t, names, "azure-storage-secure-transport", typ)
		assert.Contains(t, names, "azure-storage-no-public-blob", typ)
	}
}

// A former policy name in the config configures the policy that replaced it,
// and the user is told to rename it.
func TestRenamedPolicyConfig(t *testing.T) {
	log := &analyzertest.LogRecorder{}
	s, err := analyzer.NewServer(Pack(), log)
	require.NoError(t, err)
	ctx := context.Background()
	_, err = s.Configure(ctx, &pulumirpc.ConfigureAnalyzerRequest{PolicyConfig: map[string]*pulumirpc.PolicyConfig{
		"s3-bucket-versioning-enabled":   {EnforcementLevel: pulumirpc.EnforcementLevel_MANDATORY},
		"s3-bucketv2-versioning-enabled": {EnforcementLevel: pulumirpc.EnforcementLevel_ADVISORY},
	}})
	require.NoError(t, err)
	resp, err := s.AnalyzeStack(ctx, &pulumirpc.AnalyzeStackRequest{Resources: []*pulumirpc.AnalyzerResource{
		{Type: "aws:s3/bucketV2:BucketV2", Name: "d", Urn: "urn:pulumi:dev::p::aws:s3/bucketV2:BucketV2::d", Properties: pt.Props(map[string]any{"bucket": "data-1"})},
	}})
	require.NoError(t, err)
	found := false
	for _, d := range resp.GetDiagnostics() {
		if d.GetPolicyName() == "s3-bucket-versioning-enabled" {
			found = true
			assert.Equal(t, pulumirpc.EnforcementLevel_ADVISORY, d.GetEnforcementLevel(), "the level given under the old name")
		}
	}
	assert.True(t, found)
	assert.True(t, strings.Contains(strings.Join(log.Take(), "\n"), `"s3-bucketv2-versioning-enabled" is deprecated and now part of "s3-bucket-versioning-enabled"`))
}

// A policy's former name still names it, in exemption tags and in the
// exemption config alike.
func TestExemptionByFormerName(t *testing.T) {
	fixNow(t, "2026-06-01")
	r := res(s3Bucket, "b", map[string]any{"tags": map[string]any{"mlguard-exemption:s3-bucketv2-versioning-enabled": "2026-06-30:migrating"}}, nil)
	open := pt.Config(exemptionValid, map[string]any{"taggable": map[string]any{"policies": []any{"s3-bucketv2-versioning-enabled"}}})
	assert.True(t, exempt(r, s3BucketVersioningEnabled, open, &policy.Stack{}).Granted)
	assert.False(t, exempt(r, s3BucketVersioningEnabled, pt.Config(exemptionValid, nil), &policy.Stack{}).Granted, "a high-severity policy is closed to tags by default")
}

// The engine (and Pulumi Cloud) see a policy's controls among its tags.
func TestControlsAreTags(t *testing.T) {
	s, err := analyzer.NewServer(Pack(), nil)
	require.NoError(t, err)
	info, err := s.GetAnalyzerInfo(context.Background(), nil)
	require.NoError(t, err)
	for _, p := range info.GetPolicies() {
		if p.GetName() == "s3-bucket-versioning-enabled" {
			assert.Subset(t, p.GetTags(), []string{"s3", "versioning", "checkov:CKV_AWS_21", "securityhub:S3.14", "awsconfig:S3_BUCKET_VERSIONING_ENABLED", "prowler:s3_bucket_object_versioning"})
			return
		}
	}
	t.Fatal("no s3-bucket-versioning-enabled in the analyzer info")
}
