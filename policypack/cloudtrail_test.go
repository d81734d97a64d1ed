package policypack

import (
	"testing"

	"github.com/mlguard/mlguard/policy"
	pt "github.com/mlguard/mlguard/policy/policytest"
	"github.com/mlguard/mlguard/providers"
)

var v7Only = []providers.Major{providers.AWSv7}

var trailProps = map[string]any{"name": "org", "s3BucketName": "audit-logs", "isMultiRegionTrail": true, "enableLogFileValidation": true, "kmsKeyId": kmsARN}

func TestCloudTrail(t *testing.T) {
	runSpecs(t, cloudtrailMultiRegion, ctTrail, []spec{
		{name: "compliant", props: trailProps},
		{name: "regional", props: pt.Without(trailProps, "isMultiRegionTrail"), violation: `aws:cloudtrail/trail:Trail "r": isMultiRegionTrail: is not set`},
		{name: "unknown", props: pt.With(trailProps, "isMultiRegionTrail", pt.Unknown), unknown: "isMultiRegionTrail is unknown"},
	})
	runSpecs(t, cloudtrailLogValidation, ctTrail, []spec{
		{name: "compliant", props: trailProps},
		{name: "off", props: pt.With(trailProps, "enableLogFileValidation", false), violation: `enableLogFileValidation: is false`},
		{name: "unknown", props: pt.With(trailProps, "enableLogFileValidation", pt.Unknown), unknown: "enableLogFileValidation is unknown"},
	})
	runSpecs(t, cloudtrailKMS, ctTrail, []spec{
		{name: "compliant", props: trailProps},
		{name: "no key", props: pt.Without(trailProps, "kmsKeyId"), violation: `kmsKeyId: is not set`},
		{name: "unknown", props: pt.With(trailProps, "kmsKeyId", pt.Unknown), unknown: "kmsKeyId is unknown"},
	})
}

var glueProps = map[string]any{"dataCatalogEncryptionSettings": map[string]any{
	"encryptionAtRest":             map[string]any{"catalogEncryptionMode": "SSE-KMS", "sseAwsKmsKeyId": kmsARN},
	"connectionPasswordEncryption": map[string]any{"returnConnectionPasswordEncrypted": true, "awsKmsKeyId": kmsARN},
}}

func TestGlueCatalogEncryption(t *testing.T) {
	const base = "dataCatalogEncryptionSettings."
	runSpecs(t, glueCatalogEncrypted, glueCatalogEncryption, []spec{
		{name: "compliant", props: glueProps},
		{name: "not encrypted", props: pt.With(glueProps, base+"encryptionAtRest.catalogEncryptionMode", "DISABLED"),
			violation: `aws:glue/dataCatalogEncryptionSettings:DataCatalogEncryptionSettings "r": dataCatalogEncryptionSettings.encryptionAtRest.catalogEncryptionMode: is "DISABLED"`},
		{name: "passwords returned in clear", props: pt.With(glueProps, base+"connectionPasswordEncryption.returnConnectionPasswordEncrypted", false),
			violation: `connectionPasswordEncryption.returnConnectionPasswordEncrypted: is false`},
		{name: "unknown", props: pt.With(glueProps, base+"encryptionAtRest.catalogEncryptionMode", pt.Unknown), unknown: "catalogEncryptionMode is unknown"},
	})
}

func TestAWSRegionAllowlist(t *testing.T) {
	eu := map[string]any{"allowedRegions": []any{"eu-west-1", "eu-central-1"}}
	repo := map[string]any{"name": "models"}
	runSpecs(t, awsRegionAllowlist, ecrRepository, []spec{
		{name: "no allowlist", props: repo, provider: map[string]any{"region": "us-east-1"}},
		{name: "provider in an allowed region", props: repo, provider: map[string]any{"region": "eu-west-1"}, config: eu},
		{name: "provider elsewhere", props: repo, provider: map[string]any{"region": "us-east-1"}, config: eu,
			violation: `region: the provider's region is "us-east-1", outside the allowed regions (eu-west-1, eu-central-1)`},
		{name: "v7 resource region overrides the provider", props: pt.With(repo, "region", "us-west-2"), provider: map[string]any{"region": "eu-west-1"}, config: eu,
			majors: v7Only, violation: `aws:ecr/repository:Repository "r": region: is "us-west-2", outside the allowed regions`},
		{name: "v7 resource in an allowed region", props: pt.With(repo, "region", "eu-central-1"), provider: map[string]any{"region": "us-east-1"}, config: eu, majors: v7Only},
		{name: "provider region unknown", props: repo, provider: map[string]any{"region": pt.Unknown}, config: eu, unknown: "region is unknown"},
		{name: "secret region", props: repo, provider: map[string]any{"region": pt.Secret("us-east-1")}, config: eu, violation: `the provider's region is [secret]`},
		{name: "no region anywhere", props: repo, config: eu},
	})
}

func TestCloudTrailS3DataEvents(t *testing.T) {
	confidential := map[string]any{"owner": "ml", "project": "churn", "cost-center": "cc-1", "data-classification": "confidential"}
	data := res(s3Bucket, "training", map[string]any{"bucket": "churn-training", "tags": confidential}, nil)
	public := res(s3Bucket, "site", map[string]any{"bucket": "site", "tags": pt.With(confidential, "data-classification", "public")}, nil)
	trail := func(props map[string]any) *policy.Resource {
		return res(ctTrail, "trail", pt.With(props, "s3BucketName", "audit-logs"), nil)
	}
	objects := func(values ...any) map[string]any {
		return map[string]any{"eventSelectors": []any{map[string]any{"readWriteType": "All", "dataResources": []any{map[string]any{"type": "AWS::S3::Object", "values": values}}}}}
	}
	advanced := map[string]any{"advancedEventSelectors": []any{map[string]any{"name": "objects", "fieldSelectors": []any{
		map[string]any{"field": "eventCategory", "equals": []any{"Data"}},
		map[string]any{"field": "resources.type", "equals": []any{"AWS::S3::Object"}},
		map[string]any{"field": "resources.ARN", "startsWiths": []any{"arn:aws:s3:::churn-training/"}},
	}}}}
	runStackSpecs(t, cloudtrailS3DataEvents, []stackSpec{
		{name: "the bucket's objects", resources: []*policy.Resource{data, trail(objects("arn:aws:s3:::churn-training/"))}},
		{name: "every bucket", resources: []*policy.Resource{data, trail(objects("arn:aws:s3"))}},
		{name: "advanced selectors", resources: []*policy.Resource{data, trail(advanced)}},
		{name: "advanced selectors without an ARN: every bucket", resources: []*policy.Resource{data, trail(pt.With(advanced, "advancedEventSelectors.0.fieldSelectors", advanced["advancedEventSelectors"].([]any)[0].(map[string]any)["fieldSelectors"].([]any)[:2]))}},
		{name: "advanced selectors of another bucket", resources: []*policy.Resource{data, trail(pt.With(advanced, "advancedEventSelectors.0.fieldSelectors.2.startsWiths.0", "arn:aws:s3:::other/"))},
			violation: `no CloudTrail trail of the stack logs S3 data events`},
		{name: "advanced selectors of management events", resources: []*policy.Resource{data, trail(pt.With(advanced, "advancedEventSelectors.0.fieldSelectors.0.equals.0", "Management"))},
			violation: `no CloudTrail trail of the stack logs S3 data events`},
		{name: "advanced selectors of another resource type", resources: []*policy.Resource{data, trail(pt.With(advanced, "advancedEventSelectors.0.fieldSelectors.1.equals.0", "AWS::Lambda::Function"))},
			violation: `no CloudTrail trail of the stack logs S3 data events`},
		{name: "no data events", resources: []*policy.Resource{data, trail(map[string]any{})},
			violation: `aws:s3/bucket:Bucket "training": bucket: holds training data (by its tags), and no CloudTrail trail of the stack logs S3 data events on it`},
		{name: "another bucket's objects", resources: []*policy.Resource{data, trail(objects("arn:aws:s3:::other/"))}, violation: `no CloudTrail trail of the stack logs S3 data events`},
		{name: "not training data", resources: []*policy.Resource{public, trail(map[string]any{})}},
		{name: "no trail in the stack", resources: []*policy.Resource{data}},
		{name: "configured tags", resources: []*policy.Resource{public, trail(map[string]any{})}, config: map[string]any{"dataBucketTags": map[string]any{"data-classification": []any{"public"}}},
			violation: `holds training data`},
		{name: "unknown bucket name", resources: []*policy.Resource{res(s3Bucket, "training", map[string]any{"bucket": pt.Unknown, "tags": confidential}, nil), trail(objects("arn:aws:s3:::churn-training/"))},
			unknown: "its name or a trail's event selectors are unknown"},
		{name: "unknown selectors", resources: []*policy.Resource{data, trail(map[string]any{"eventSelectors": pt.Unknown})}, unknown: "event selectors are unknown"},
	})
}
