package policypack

import (
	"testing"

	"github.com/mlguard/mlguard/policy"
	pt "github.com/mlguard/mlguard/policy/policytest"
	"github.com/mlguard/mlguard/providers"
)

const tlsDeny = `{"Version":"2012-10-17","Statement":[{"Sid":"DenyInsecureTransport","Effect":"Deny","Principal":"*","Action":"s3:*","Resource":["arn:aws:s3:::data","arn:aws:s3:::data/*"],"Condition":{"Bool":{"aws:SecureTransport":"false"}}}]}`

func TestS3BucketTLSOnly(t *testing.T) {
	b := res(s3Bucket, "data", map[string]any{"bucket": "data"}, nil)
	pol := func(doc any, dep bool) *policy.Resource {
		if dep {
			return res(s3BucketPolicy, "data", map[string]any{"bucket": pt.Unknown, "policy": doc}, map[string]*policy.Resource{"bucket": b})
		}
		return res(s3BucketPolicy, "data", map[string]any{"bucket": "data", "policy": doc}, nil)
	}
	runStackSpecs(t, s3BucketTLSOnly, []stackSpec{
		{name: "compliant, joined by dependency", resources: []*policy.Resource{b, pol(tlsDeny, true)}},
		{name: "compliant, object document, bool false", resources: []*policy.Resource{b, pol(map[string]any{"Statement": []any{map[string]any{"Effect": "Deny", "Principal": "*", "Action": "s3:*",
			"Condition": map[string]any{"Bool": map[string]any{"aws:SecureTransport": false}}}}}, false)}},
		{name: "no bucket policy", resources: []*policy.Resource{b}, violation: `aws:s3/bucket:Bucket "data": bucket: is "data"; no bucket policy of this bucket denies requests without TLS`},
		{name: "policy without the deny", resources: []*policy.Resource{b, pol(`{"Statement":[{"Effect":"Allow","Principal":{"Service":"config.amazonaws.com"},"Action":"s3:PutObject"}]}`, true)},
			violation: `no bucket policy of this bucket denies requests without TLS`},
		{name: "unknown policy", resources: []*policy.Resource{b, pol(pt.Unknown, true)}, unknown: "its settings or its companion BucketPolicy are unknown"},
	})
}

func TestS3BucketOwnershipEnforced(t *testing.T) {
	b := res(s3Bucket, "data", map[string]any{"bucket": "data"}, nil)
	own := func(v any) *policy.Resource {
		return res(s3BucketOwnership, "data", map[string]any{"bucket": pt.Unknown, "rule": map[string]any{"objectOwnership": v}}, map[string]*policy.Resource{"bucket": b})
	}
	runStackSpecs(t, s3BucketOwnershipEnforced, []stackSpec{
		{name: "compliant", resources: []*policy.Resource{b, own("BucketOwnerEnforced")}},
		{name: "ACLs on", resources: []*policy.Resource{b, own("ObjectWriter")},
			violation: `aws:s3/bucketOwnershipControls:BucketOwnershipControls "data": rule.objectOwnership: is "ObjectWriter"; set rule.objectOwnership = "BucketOwnerEnforced"`},
		{name: "no controls", resources: []*policy.Resource{b}, violation: `no BucketOwnershipControls refers to this bucket`},
		{name: "unknown", resources: []*policy.Resource{b, own(pt.Unknown)}, unknown: "BucketOwnershipControls are unknown"},
	})
}

func TestS3AuditBucketObjectLock(t *testing.T) {
	v7 := v7Only
	history := res(s3Bucket, "history", map[string]any{"bucket": "config-history"}, nil)
	locked := res(s3Bucket, "history", map[string]any{"bucket": "config-history", "objectLockEnabled": true}, nil)
	lockedV6 := res(s3Bucket, "history", map[string]any{"bucket": "config-history", "objectLockConfiguration": map[string]any{"objectLockEnabled": "Enabled"}}, nil)
	channel := res(cfgDeliveryChannel, "channel", map[string]any{"s3BucketName": "config-history"}, nil)
	trail := res(ctTrail, "trail", map[string]any{"s3BucketName": pt.Unknown}, map[string]*policy.Resource{"s3BucketName": history})
	lockConfig := res(s3BucketObjectLock, "history", map[string]any{"bucket": "config-history", "rule": map[string]any{"defaultRetention": map[string]any{"mode": "GOVERNANCE", "days": 365}}}, nil)
	runStackSpecs(t, s3AuditBucketObjectLock, []stackSpec{
		{name: "compliant, v7 bucket", resources: []*policy.Resource{locked, channel}, majors: v7},
		{name: "compliant, v6 bucket", resources: []*policy.Resource{lockedV6, channel}, majors: []providers.Major{providers.AWSv6}},
		{name: "compliant, lock configuration", resources: []*policy.Resource{history, channel, lockConfig}},
		{name: "Config history bucket without lock", resources: []*policy.Resource{history, channel}, majors: v7,
			violation: `aws:s3/bucket:Bucket "history": objectLockEnabled: is not set, and the bucket receives audit records`},
		{name: "trail bucket without lock", resources: []*policy.Resource{history, trail}, majors: v7, violation: `the bucket receives audit records`},
		{name: "channel and trail bucket without lock", resources: []*policy.Resource{history, channel, trail}, majors: v7, violation: `the bucket receives audit records`},
		{name: "lock configuration enabled explicitly", resources: []*policy.Resource{history, channel, res(s3BucketObjectLock, "history", map[string]any{"bucket": "config-history", "objectLockEnabled": "Enabled"}, nil)}},
		{name: "not an audit bucket", resources: []*policy.Resource{history}},
		{name: "channel bucket unknown", resources: []*policy.Resource{history, res(cfgDeliveryChannel, "c", map[string]any{"s3BucketName": pt.Unknown}, nil)}, unknown: "the bucket of a delivery channel or trail is unknown"},
	})
}
