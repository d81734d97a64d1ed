package tests

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mlguard/mlguard/tests/examples"
	"github.com/mlguard/mlguard/tests/loopback"
)

// Programs written against today's majors (pulumi-aws 7.48, azure-native
// 3.28, registered by type token) through the real CLI, with loopback
// providers answering as those versions: the compliant ones preview with no
// policy output at all, the others are blocked naming the right policies.
func TestE2ECurrentMajors(t *testing.T) {
	e := newEnv(t)
	providers, stop, err := loopback.ServeCloudsAt(examples.AWSv7Version, examples.AzureNativeV3Version)
	require.NoError(t, err)
	t.Cleanup(stop)
	e.Providers = providers
	for _, ex := range examples.CurrentMajors {
		t.Run(ex.Name, func(t *testing.T) {
			ctx := e2eContext(t)
			s, err := e.Stack(ctx, ex.Name, "dev", ex.Program, ex.Config)
			require.NoError(t, err)
			out, err := preview(ctx, e, s)
			if len(ex.Expect) == 0 {
				require.NoError(t, err, out)
				assertNoPolicyOutput(t, out)
				return
			}
			require.Error(t, err, "a mandatory violation fails the preview")
			assert.Equal(t, expected(ex, false), got(out))
		})
	}
}

// A policy-pack config written for the pack before two policies merged
// still works through the CLI: the former name configures the policy that
// replaced it, and the pack says to rename it.
func TestE2ERenamedPolicyInConfig(t *testing.T) {
	e := newEnv(t)
	ctx := e2eContext(t)
	ex := examples.AWS[0] // an unversioned bucket
	s, err := e.Stack(ctx, ex.Name, "dev", ex.Program, ex.Config)
	require.NoError(t, err)
	config := writeConfig(t, map[string]any{"s3-bucketv2-versioning-enabled": "advisory"})
	out, _ := preview(ctx, e, s, config)
	diags := got(out)
	assert.Contains(t, diags, "[advisory] s3-bucket-versioning-enabled config-bucket")
	assert.NotContains(t, diags, "[mandatory] s3-bucket-versioning-enabled config-bucket")
	assert.Contains(t, out, `policy "s3-bucketv2-versioning-enabled" is deprecated and now part of "s3-bucket-versioning-enabled"`)
}
