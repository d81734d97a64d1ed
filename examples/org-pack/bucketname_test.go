package main

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	pt "github.com/mlguard/mlguard/policy/policytest"
)

func TestS3BucketNamePrefix(t *testing.T) {
	cases := []struct {
		name, resource string
		props          map[string]any
		config         map[string]any
		violation      string // substring of the only violation; "" means compliant
		notApplicable  bool
	}{
		{name: "explicit name with the prefix", resource: "data", props: map[string]any{"bucket": "acme-training-data"}},
		{name: "explicit name without it", resource: "acme-data", props: map[string]any{"bucket": "training-data"},
			violation: `bucket: bucket is "training-data"; it must start with "acme-"`},
		{name: "bucketPrefix with the prefix", resource: "data", props: map[string]any{"bucketPrefix": "acme-data-"}},
		{name: "bucketPrefix without it", resource: "data", props: map[string]any{"bucketPrefix": "data-"}, violation: `bucketPrefix is "data-"`},
		{name: "autonamed from a prefixed resource", resource: "acme-logs", props: map[string]any{}},
		{name: "autonamed from another resource", resource: "config-bucket", props: map[string]any{},
			violation: `named after its resource "config-bucket", which does not start with "acme-"`},
		{name: "configured prefix", resource: "data", props: map[string]any{"bucket": "ml-data"}, config: map[string]any{"prefix": "ml-"}},
		{name: "name unknown at preview", resource: "data", props: map[string]any{"bucket": pt.Unknown}, notApplicable: true},
		{name: "secret name is not printed", resource: "data", props: map[string]any{"bucket": pt.Secret("hidden-name")},
			violation: `bucket is [secret]`},
		{name: "not a string", resource: "data", props: map[string]any{"bucket": 42}, violation: `bucket is 42`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := pt.Check(s3BucketNamePrefix, pt.Resource("aws:s3/bucket:Bucket", tc.resource, tc.props), tc.config)
			if tc.violation == "" {
				assert.Empty(t, got.Violations)
			} else {
				require.Len(t, got.Violations, 1, "violations: %q", got.Violations)
				assert.Contains(t, got.Violations[0], tc.violation)
				assert.NotContains(t, got.Violations[0], "hidden-name")
			}
			assert.Equal(t, tc.notApplicable, got.NotApplicable != "", got.NotApplicable)
		})
	}
}

func TestOrgPackIsValid(t *testing.T) {
	pack := orgPack()
	require.NoError(t, pack.Check())
	names := map[string]bool{}
	for _, p := range pack.Policies {
		names[p.Name] = true
	}
	assert.True(t, names["s3-bucket-name-prefix"], "the organization's policy")
	assert.True(t, names["required-tags"], "mlguard's policies")
}
