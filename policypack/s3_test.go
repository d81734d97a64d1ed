package policypack

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	pt "github.com/mlguard/mlguard/policy/policytest"
)

func TestS3BucketVersioningEnabled(t *testing.T) {
	compliant := map[string]any{"bucket": "config-history", "versioning": map[string]any{"enabled": true}}
	cases := []struct {
		name      string
		props     map[string]any
		violation string // "" means compliant
		unknown   bool
	}{
		{name: "compliant", props: compliant},
		{name: "versioning disabled", props: pt.With(compliant, "versioning.enabled", false), violation: `aws:s3/bucket:Bucket "b": versioning.enabled: versioning is false; set versioning.enabled = true`},
		{name: "seed: no versioning block", props: pt.Without(compliant, "versioning"), violation: `versioning.enabled: versioning is not set`},
		{name: "wrong type", props: pt.With(compliant, "versioning.enabled", 3), violation: `versioning is 3`},
		{name: "string true accepted", props: pt.With(compliant, "versioning.enabled", "true")},
		{name: "unknown flag", props: pt.With(compliant, "versioning.enabled", pt.Unknown), unknown: true},
		{name: "unknown block", props: pt.With(compliant, "versioning", pt.Unknown), unknown: true},
		{name: "secret flag false", props: pt.With(compliant, "versioning.enabled", pt.Secret(false)), violation: `versioning is [secret]`},
		{name: "secret block true", props: pt.With(compliant, "versioning", pt.Secret(map[string]any{"enabled": true}))},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := pt.Check(s3BucketVersioningEnabled, pt.Resource(s3Bucket, "b", tc.props), nil)
			if tc.violation == "" {
				assert.Empty(t, got.Violations)
			} else {
				require.Len(t, got.Violations, 1)
				assert.Contains(t, got.Violations[0], tc.violation)
			}
			if tc.unknown {
				assert.Contains(t, got.NotApplicable, "versioning")
			} else {
				assert.Empty(t, got.NotApplicable)
			}
		})
	}
}
