package policypack

import (
	"testing"

	"github.com/mlguard/mlguard/policy"
	pt "github.com/mlguard/mlguard/policy/policytest"
	"github.com/mlguard/mlguard/providers"
)

// s3BucketV2Token is the bucket resource pulumi-aws keeps in both majors
// with its settings in lists.
const s3BucketV2Token = "aws:s3/bucketV2:BucketV2"

// A BucketV2 whose id is unknown at preview, and companions joined to it by property dependency.
func bucketV2(name string, props map[string]any) *policy.Resource {
	return res(s3BucketV2Token, name, props, nil)
}

func TestS3BucketVersioningEnabled(t *testing.T) {
	inline := map[string]any{"bucket": "config-history", "versioning": map[string]any{"enabled": true}}
	bucket := func(props map[string]any) []*policy.Resource {
		return []*policy.Resource{res(s3Bucket, "data", props, nil)}
	}
	b := res(s3Bucket, "data", map[string]any{"bucket": "data-123"}, nil)
	v2 := bucketV2("data", map[string]any{"bucket": "data-123"})
	other := res(s3Bucket, "other", map[string]any{"bucket": "other-1"}, nil)
	enabled := map[string]any{"bucket": pt.Unknown, "versioningConfiguration": map[string]any{"status": "Enabled"}}
	on := func(target *policy.Resource) map[string]*policy.Resource {
		return map[string]*policy.Resource{"bucket": target}
	}
	runStackSpecs(t, s3BucketVersioningEnabled, []stackSpec{
		{name: "inline", resources: bucket(inline)},
		{name: "inline string true accepted", resources: bucket(pt.With(inline, "versioning.enabled", "true"))},
		{name: "inline disabled", resources: bucket(pt.With(inline, "versioning.enabled", false)),
			violation: `aws:s3/bucket:Bucket "data": versioning.enabled: is false; the bucket is not versioned`},
		{name: "seed: no versioning block", resources: bucket(pt.Without(inline, "versioning")), violation: `versioning.enabled: is not set; the bucket is not versioned`},
		{name: "wrong type", resources: bucket(pt.With(inline, "versioning.enabled", 3)), violation: `is 3`},
		{name: "inline unknown", resources: bucket(pt.With(inline, "versioning", pt.Unknown)), unknown: `"data": its settings or its companion BucketVersioning`},
		{name: "inline secret false", resources: bucket(pt.With(inline, "versioning.enabled", pt.Secret(false))), violation: `is [secret]`},
		{name: "inline secret block true", resources: bucket(pt.With(inline, "versioning", pt.Secret(map[string]any{"enabled": true})))},
		{name: "BucketV2 inline list", resources: []*policy.Resource{bucketV2("x", map[string]any{"versionings": []any{map[string]any{"enabled": true}}})}},
		{name: "BucketV2 inline list disabled", resources: []*policy.Resource{bucketV2("x", map[string]any{"versionings": []any{map[string]any{"enabled": false}}})},
			violation: `BucketV2 "x": versionings: is a list of 1; the bucket is not versioned`},
		{name: "BucketV2 inline unknown", resources: []*policy.Resource{bucketV2("x", map[string]any{"versionings": pt.Unknown})}, unknown: `"x"`},
		{name: "companion by property dependency (id unknown)", resources: []*policy.Resource{b, res(s3BucketVersioning, "v", enabled, on(b))}},
		{name: "v6 Bucket with BucketVersioningV2", resources: []*policy.Resource{b, res("aws:s3/bucketVersioningV2:BucketVersioningV2", "v", enabled, on(b))}},
		{name: "BucketV2 with companion by known name", resources: []*policy.Resource{v2, res(s3BucketVersioning, "v", pt.With(enabled, "bucket", "data-123"), nil)}},
		{name: "seed: BucketV2 with no versioning at all", resources: []*policy.Resource{v2}, violation: `BucketV2 "data": versionings: is not set; the bucket is not versioned`},
		{name: "companion suspended", resources: []*policy.Resource{b, res(s3BucketVersioning, "v", pt.With(enabled, "versioningConfiguration.status", "Suspended"), on(b))},
			violation: `aws:s3/bucketVersioning:BucketVersioning "v": versioningConfiguration.status: is "Suspended"; set versioningConfiguration.status = "Enabled"`},
		{name: "companion disabled, secret", resources: []*policy.Resource{b, res(s3BucketVersioning, "v", pt.With(enabled, "versioningConfiguration.status", pt.Secret(secretText)), on(b))},
			violation: `versioningConfiguration.status: is [secret]`},
		{name: "companion status unknown", resources: []*policy.Resource{b, res(s3BucketVersioning, "v", pt.With(enabled, "versioningConfiguration.status", pt.Unknown), on(b))}, unknown: `"data"`},
		{name: "companion of another bucket", resources: []*policy.Resource{b, other, res(s3BucketVersioning, "v", enabled, on(other))}, violation: `Bucket "data"`},
		{name: "companion's bucket unknown without dependencies", resources: []*policy.Resource{b, res(s3BucketVersioning, "v", enabled, nil)}, unknown: `"data"`},
	})
}

func TestS3BucketNoPublicACL(t *testing.T) {
	runSpecs(t, s3BucketNoPublicACL, s3Bucket, []spec{
		{name: "no acl", props: map[string]any{"bucket": "b"}},
		{name: "private", props: map[string]any{"acl": "private"}},
		{name: "public-read", props: map[string]any{"acl": "public-read"}, violation: `acl: is "public-read", a public canned ACL`},
		{name: "BucketV2 public-read-write", typ: s3BucketV2Token, props: map[string]any{"acl": "public-read-write"}, violation: `public-read-write`},
		{name: "BucketAcl authenticated-read", typ: s3BucketACL, props: map[string]any{"acl": "authenticated-read"}, violation: `authenticated-read`},
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
			violation: `serverSideEncryptionConfiguration.rule.applyServerSideEncryptionByDefault.sseAlgorithm: is "aws:kms"; default encryption is not SSE-KMS with a bucket key`},
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
		{name: "a bucket logging into itself is no log target", majors: v7Only, resources: []*policy.Resource{res(s3Bucket, "self", map[string]any{"bucket": "self-logs",
			"logging": map[string]any{"targetBucket": "self-logs"}}, nil)}, violation: `"self"`},
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
	v6, v7 := []providers.Major{providers.AWSv6}, []providers.Major{providers.AWSv7}
	loggings := func(target any) map[string]any {
		return map[string]any{"loggings": []any{map[string]any{"targetBucket": target}}}
	}
	logging := func(target any) map[string]any {
		return map[string]any{"logging": map[string]any{"targetBucket": target}}
	}
	runStackSpecs(t, s3BucketAccessLogging, []stackSpec{
		{name: "v6 Bucket loggings list", majors: v6, resources: []*policy.Resource{res(s3Bucket, "b", loggings("logs"), nil)}},
		{name: "v7 Bucket logging object", majors: v7, resources: []*policy.Resource{res(s3Bucket, "b", logging("logs"), nil)}},
		{name: "v7 Bucket with the v6 list shape", majors: v7, resources: []*policy.Resource{res(s3Bucket, "b", loggings("logs"), nil)},
			violation: `"b": logging: is not set; server access logging is off`},
		{name: "v6 Bucket with the v7 object shape", majors: v6, resources: []*policy.Resource{res(s3Bucket, "b", logging("logs"), nil)},
			violation: `"b": loggings: is not set; server access logging is off`},
		{name: "BucketV2 loggings list", resources: []*policy.Resource{bucketV2("b", loggings("logs"))}},
		{name: "inline target from another resource", majors: v7, resources: []*policy.Resource{res(s3Bucket, "b", logging(pt.Unknown), nil)}},
		{name: "companion with unknown target", resources: []*policy.Resource{v2, res(s3BucketLogging, "log", map[string]any{"bucket": pt.Unknown, "targetBucket": pt.Unknown}, map[string]*policy.Resource{"bucket": v2})}},
		{name: "seed: none", resources: []*policy.Resource{res(s3Bucket, "config-bucket", map[string]any{}, nil)}, violation: `"config-bucket": logging`, more: nil},
		{name: "empty target", majors: v6, resources: []*policy.Resource{res(s3Bucket, "b", loggings(""), nil)}, violation: `loggings: is a list of 1; server access logging is off`},
		{name: "unknown inline", majors: v6, resources: []*policy.Resource{res(s3Bucket, "b", map[string]any{"loggings": pt.Unknown}, nil)}, unknown: `"b"`},
		{name: "unknown inline v7", majors: v7, resources: []*policy.Resource{res(s3Bucket, "b", map[string]any{"logging": pt.Unknown}, nil)}, unknown: `"b"`},
		{name: "the log target itself needs no logging", resources: logTargetStack()},
		{name: "inline log target by name", majors: v7, resources: []*policy.Resource{
			res(s3Bucket, "b", logging("logs-1"), nil),
			res(s3Bucket, "logs", map[string]any{"bucket": "logs-1"}, nil),
		}},
		{name: "a bucket logging into itself is no log target", resources: []*policy.Resource{
			res(s3Bucket, "logs", map[string]any{"bucket": "logs-1"}, nil),
		}, violation: `"logs": logging`},
	})
}
