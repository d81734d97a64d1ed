package providers

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/mlguard/mlguard/policy"
	pt "github.com/mlguard/mlguard/policy/policytest"
)

// A type is taggable in a major where its token takes tags: an API version
// (or v2's default one) without a tags input is not, though others are.
func TestTaggableByToken(t *testing.T) {
	in := func(token, version string) *policy.Resource {
		r := pt.Resource(token, "r", nil)
		r.Provider = pt.Resource("pulumi:providers:"+PackageOf(token), "p", map[string]any{"version": version})
		return r
	}
	for _, tc := range []struct {
		token, version string
		want           bool
	}{
		{"azure-native:cognitiveservices:Deployment", "2.90.0", false}, // v2's default API version has no tags
		{"azure-native:cognitiveservices:Deployment", "3.28.0", true},
		{"azure-native:storage:StorageAccount", "2.90.0", true},
		{"azure-native:storage/v20230101:StorageAccount", "2.90.0", true},
		{"azure-native:storage:BlobContainer", "3.28.0", false},
		{"aws:s3/bucket:Bucket", "7.48.0", true},
		{"aws:s3/bucketVersioning:BucketVersioning", "7.48.0", false},
		{"aws:bedrock/agentAgent:AgentAgent", "6.83.4", true}, // one the old v6 list missed
	} {
		assert.Equal(t, tc.want, Taggable(in(tc.token, tc.version)), "%s %s", tc.token, tc.version)
	}
}
