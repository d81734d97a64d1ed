package policypack

import (
	"testing"

	"github.com/mlguard/mlguard/policy"
	pt "github.com/mlguard/mlguard/policy/policytest"
)

func TestS3BucketVersioningEnabled(t *testing.T) {
	compliant := map[string]any{"bucket": "config-history", "versioning": map[string]any{"enabled": true}}
	ver := map[string]any{"bucket": "b", "versioningConfiguration": map[string]any{"status": "Enabled"}}
	runSpecs(t, s3BucketVersioningEnabled, s3Bucket, []spec{
		{name: "compliant", props: compliant},
		{name: "versioning disabled", props: pt.With(compliant, "versioning.enabled", false), violation: `aws:s3/bucket:Bucket "r": versioning.enabled: versioning is false; set versioning.enabled = true`},
		{name: "seed: no versioning block", props: pt.Without(compliant, "versioning"), violation: `versioning.enabled: versioning is not set`},
		{name: "wrong type", props: pt.With(compliant, "versioning.enabled", 3), violation: `versioning is 3`},
		{name: "string true accepted", props: pt.With(compliant, "versioning.enabled", "true")},
		{name: "list shape accepted", props: map[string]any{"versionings": []any{map[string]any{"enabled": true}}}},
		{name: "list shape disabled", props: map[string]any{"versionings": []any{map[string]any{"enabled": false}}}, violation: "versionings: no element has enabled = true"},
		{name: "unknown flag", props: pt.With(compliant, "versioning.enabled", pt.Unknown), unknown: "versioning"},
		{name: "unknown block", props: pt.With(compliant, "versioning", pt.Unknown), unknown: "versioning"},
		{name: "secret flag false", props: pt.With(compliant, "versioning.enabled", pt.Secret(false)), violation: `versioning is [secret]`},
		{name: "secret block true", props: pt.With(compliant, "versioning", pt.Secret(map[string]any{"enabled": true}))},
		{name: "BucketVersioningV2 enabled", typ: s3BucketVersioning, props: ver},
		{name: "BucketVersioningV2 suspended", typ: s3BucketVersioning, props: pt.With(ver, "versioningConfiguration.status", "Suspended"), violation: `versioningConfiguration.status: is "Suspended"; set versioningConfiguration.status = "Enabled"`},
		{name: "BucketVersioningV2 secret", typ: s3BucketVersioning, props: pt.With(ver, "versioningConfiguration.status", pt.Secret(secretText)), violation: `is [secret]`},
		{name: "BucketVersioningV2 unknown", typ: s3BucketVersioning, props: pt.With(ver, "versioningConfiguration.status", pt.Unknown), unknown: "versioningConfiguration.status is unknown"},
	})
}

// A BucketV2 whose id is unknown at preview, and companions joined to it by property dependency.
func bucketV2(name string, props map[string]any) *policy.Resource {
	return res(s3BucketV2, name, props, nil)
}

func TestS3BucketV2VersioningEnabled(t *testing.T) {
	b := bucketV2("data", map[string]any{"bucket": "data-123"})
	other := bucketV2("other", map[string]any{"bucket": "other-1"})
	enabled := map[string]any{"bucket": pt.Unknown, "versioningConfiguration": map[string]any{"status": "Enabled"}}
	runStackSpecs(t, s3BucketV2VersioningEnabled, []stackSpec{
		{name: "inline versionings", resources: []*policy.Resource{bucketV2("x", map[string]any{"versionings": []any{map[string]any{"enabled": true}}})}},
		{name: "joined by property dependency (id unknown)", resources: []*policy.Resource{b, res(s3BucketVersioning, "v", enabled, map[string]*policy.Resource{"bucket": b})}},
		{name: "joined by known name", resources: []*policy.Resource{b, res(s3BucketVersioning, "v", pt.With(enabled, "bucket", "data-123"), nil)}},
		{name: "seed: no versioning at all", resources: []*policy.Resource{b},
			violation: `aws:s3/bucketV2:BucketV2 "data": versionings: the bucket is not versioned`},
		{name: "companion suspended", resources: []*policy.Resource{b, res(s3BucketVersioning, "v", pt.With(enabled, "versioningConfiguration.status", "Suspended"), map[string]*policy.Resource{"bucket": b})},
			violation: `no BucketVersioningV2 with versioningConfiguration.status = "Enabled" refers to it`},
		{name: "companion of another bucket", resources: []*policy.Resource{b, other, res(s3BucketVersioning, "v", enabled, map[string]*policy.Resource{"bucket": other})},
			violation: `BucketV2 "data"`},
		{name: "companion bucket unknown without dependencies", resources: []*policy.Resource{b, res(s3BucketVersioning, "v", enabled, nil)}, unknown: `"data"`},
		{name: "companion status unknown", resources: []*policy.Resource{b, res(s3BucketVersioning, "v", pt.With(enabled, "versioningConfiguration.status", pt.Unknown), map[string]*policy.Resource{"bucket": b})}, unknown: `"data"`},
		{name: "inline unknown", resources: []*policy.Resource{bucketV2("x", map[string]any{"versionings": pt.Unknown})}, unknown: `"x"`},
	})
}

func TestS3BucketNoPublicACL(t *testing.T) {
	runSpecs(t, s3BucketNoPublicACL, s3Bucket, []spec{
		{name: "no acl", props: map[string]any{"bucket": "b"}},
		{name: "private", props: map[string]any{"acl": "private"}},
		{name: "public-read", props: map[string]any{"acl": "public-read"}, violation: `acl: is "public-read", a public canned ACL`},
		{name: "BucketV2 public-read-write", typ: s3BucketV2, props: map[string]any{"acl": "public-read-write"}, violation: `public-read-write`},
		{name: "BucketAclV2 authenticated-read", typ: s3BucketACL, props: map[string]any{"acl": "authenticated-read"}, violation: `authenticated-read`},
		{name: "unknown", props: map[string]any{"acl": pt.Unknown}, unknown: "acl is unknown"},
		{name: "secret public", props: map[string]any{"acl": pt.Secret("public-read")}, violation: `is [secret]`},
	})
}

func TestS3BucketPublicAccessBlock(t *testing.T) {
	b := res(s3Bucket, "config-bucket", map[string]any{"bucket": "config-bucket-1"}, nil)
	full := map[string]any{"bucket": pt.Unknown, "blockPublicAcls": true, "blockPublicPolicy": true, "ignorePublicAcls": true, "restrictPublicBuckets": true}
	dep := map[string]*policy.Resource{"bucket": b}
	runStackSpecs(t, s3BucketPublicAccessBlock, []stackSpec{
		{name: "full block by dependency", resources: []*policy.Resource{b, res(s3BucketPAB, "pab", full, dep)}},
		{name: "account-wide block", resources: []*policy.Resource{b, res(s3AccountPAB, "acct", pt.Without(full, "bucket"), nil)}},
		{name: "seed: none", resources: []*policy.Resource{b}, violation: `"config-bucket": bucket: no BucketPublicAccessBlock refers to this bucket`},
		{name: "one flag false", resources: []*policy.Resource{b, res(s3BucketPAB, "pab", pt.With(full, "ignorePublicAcls", false), dep)},
			violation: `BucketPublicAccessBlock "pab": ignorePublicAcls: is false; set ignorePublicAcls = true`},
		{name: "one flag missing", resources: []*policy.Resource{b, res(s3BucketPAB, "pab", pt.Without(full, "restrictPublicBuckets"), dep)}, violation: `restrictPublicBuckets: is not set`},
		{name: "flag unknown", resources: []*policy.Resource{b, res(s3BucketPAB, "pab", pt.With(full, "blockPublicPolicy", pt.Unknown), dep)}, unknown: "blockPublicPolicy is unknown"},
		{name: "bucket unknown, no dependency info", resources: []*policy.Resource{b, res(s3BucketPAB, "pab", full, nil)}, unknown: "config-bucket"},
	})
}

func TestS3BucketKMSEncryption(t *testing.T) {
	inline := map[string]any{"serverSideEncryptionConfiguration": map[string]any{"rule": map[string]any{
		"applyServerSideEncryptionByDefault": map[string]any{"sseAlgorithm": "aws:kms", "kmsMasterKeyId": "arn:aws:kms:eu-west-1:111122223333:key/k"},
		"bucketKeyEnabled":                   true,
	}}}
	v2 := bucketV2("data", map[string]any{"bucket": "data-1"})
	sse := map[string]any{"bucket": pt.Unknown, "rules": []any{map[string]any{
		"applyServerSideEncryptionByDefault": map[string]any{"sseAlgorithm": "aws:kms"}, "bucketKeyEnabled": true}}}
	runStackSpecs(t, s3BucketKMSEncryption, []stackSpec{
		{name: "Bucket inline", resources: []*policy.Resource{res(s3Bucket, "b", inline, nil)}},
		{name: "Bucket inline without bucket key", resources: []*policy.Resource{res(s3Bucket, "b", pt.With(inline, "serverSideEncryptionConfiguration.rule.bucketKeyEnabled", false), nil)},
			violation: `serverSideEncryptionConfiguration: default encryption is not SSE-KMS with a bucket key`},
		{name: "Bucket AES256", resources: []*policy.Resource{res(s3Bucket, "b", pt.With(inline, "serverSideEncryptionConfiguration.rule.applyServerSideEncryptionByDefault.sseAlgorithm", "AES256"), nil)},
			violation: `default encryption is not SSE-KMS`},
		{name: "seed: Bucket without encryption", resources: []*policy.Resource{res(s3Bucket, "config-bucket", map[string]any{}, nil)}, violation: `"config-bucket"`},
		{name: "BucketV2 inline list shape", resources: []*policy.Resource{bucketV2("x", map[string]any{"serverSideEncryptionConfigurations": []any{map[string]any{"rules": []any{map[string]any{
			"applyServerSideEncryptionByDefaults": []any{map[string]any{"sseAlgorithm": "aws:kms"}}, "bucketKeyEnabled": true}}}}})}},
		{name: "BucketV2 with companion by dependency", resources: []*policy.Resource{v2, res(s3BucketSSE, "sse", sse, map[string]*policy.Resource{"bucket": v2})}},
		{name: "DSSE needs no bucket key", resources: []*policy.Resource{v2, res(s3BucketSSE, "sse", pt.With(pt.With(sse, "rules.0.bucketKeyEnabled", false), "rules.0.applyServerSideEncryptionByDefault.sseAlgorithm", "aws:kms:dsse"), map[string]*policy.Resource{"bucket": v2})}},
		{name: "companion AES256", resources: []*policy.Resource{v2, res(s3BucketSSE, "sse", pt.With(sse, "rules.0.applyServerSideEncryptionByDefault.sseAlgorithm", "AES256"), map[string]*policy.Resource{"bucket": v2})}, violation: `"data"`},
		{name: "companion unknown algorithm", resources: []*policy.Resource{v2, res(s3BucketSSE, "sse", pt.With(sse, "rules.0.applyServerSideEncryptionByDefault.sseAlgorithm", pt.Unknown), map[string]*policy.Resource{"bucket": v2})}, unknown: `"data"`},
		{name: "inline unknown", resources: []*policy.Resource{res(s3Bucket, "b", map[string]any{"serverSideEncryptionConfiguration": pt.Unknown}, nil)}, unknown: `"b"`},
		{name: "a log target may use SSE-S3", resources: logTargetStack(res(s3BucketSSE, "logs-sse", pt.With(sse, "rules.0.applyServerSideEncryptionByDefault.sseAlgorithm", "AES256"), nil))},
	})
}

// logTargetStack is a data bucket logging into a log bucket, plus extra
// resources; the log bucket's companions join it by property dependency.
func logTargetStack(extra ...*policy.Resource) []*policy.Resource {
	kmsRules := []any{map[string]any{"applyServerSideEncryptionByDefault": map[string]any{"sseAlgorithm": "aws:kms"}, "bucketKeyEnabled": true}}
	logs := bucketV2("logs", map[string]any{"bucket": pt.Unknown})
	data := bucketV2("data", map[string]any{"bucket": pt.Unknown})
	out := []*policy.Resource{
		logs, data,
		res(s3BucketLogging, "data-logging", map[string]any{"bucket": pt.Unknown, "targetBucket": pt.Unknown},
			map[string]*policy.Resource{"bucket": data, "targetBucket": logs}),
		res(s3BucketSSE, "data-sse", map[string]any{"bucket": pt.Unknown, "rules": kmsRules}, map[string]*policy.Resource{"bucket": data}),
	}
	for _, e := range extra {
		e.PropertyDependencies = map[string][]string{"bucket": {logs.URN}}
		out = append(out, e)
	}
	return out
}

func TestS3BucketAccessLogging(t *testing.T) {
	v2 := bucketV2("data", map[string]any{"bucket": "data-1"})
	runStackSpecs(t, s3BucketAccessLogging, []stackSpec{
		{name: "Bucket loggings list", resources: []*policy.Resource{res(s3Bucket, "b", map[string]any{"loggings": []any{map[string]any{"targetBucket": "logs"}}}, nil)}},
		{name: "Bucket logging object", resources: []*policy.Resource{res(s3Bucket, "b", map[string]any{"logging": map[string]any{"targetBucket": "logs"}}, nil)}},
		{name: "companion with unknown target", resources: []*policy.Resource{v2, res(s3BucketLogging, "log", map[string]any{"bucket": pt.Unknown, "targetBucket": pt.Unknown}, map[string]*policy.Resource{"bucket": v2})}},
		{name: "seed: none", resources: []*policy.Resource{res(s3Bucket, "config-bucket", map[string]any{}, nil)}, violation: `"config-bucket": loggings: server access logging is off`},
		{name: "empty target", resources: []*policy.Resource{res(s3Bucket, "b", map[string]any{"loggings": []any{map[string]any{"targetBucket": ""}}}, nil)}, violation: `server access logging is off`},
		{name: "unknown inline", resources: []*policy.Resource{res(s3Bucket, "b", map[string]any{"loggings": pt.Unknown}, nil)}, unknown: `"b"`},
		{name: "the log target itself needs no logging", resources: logTargetStack()},
		{name: "inline log target by name", resources: []*policy.Resource{
			res(s3Bucket, "b", map[string]any{"loggings": []any{map[string]any{"targetBucket": "logs-1"}}}, nil),
			res(s3Bucket, "logs", map[string]any{"bucket": "logs-1"}, nil),
		}},
		{name: "a bucket logging into itself is no log target", resources: []*policy.Resource{
			res(s3Bucket, "logs", map[string]any{"bucket": "logs-1"}, nil),
		}, violation: `"logs": loggings: server access logging is off`},
	})
}
