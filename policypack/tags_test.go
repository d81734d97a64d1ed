package policypack

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	pt "github.com/mlguard/mlguard/policy/policytest"
)

var goodTags = map[string]any{"owner": "ml-platform", "project": "churn", "cost-center": "cc-42", "data-classification": "internal"}

func TestRequiredTags(t *testing.T) {
	tagged := map[string]any{"bucket": "data", "tags": goodTags}
	jsonDefaults := map[string]any{"region": "eu-west-1", "defaultTags": `{"tags":{"owner":"ml-platform","project":"churn","cost-center":"cc-42","data-classification":"internal"}}`}
	objDefaults := map[string]any{"defaultTags": map[string]any{"tags": map[string]any{"owner": "ml-platform", "project": "churn", "cost-center": "cc-42"}}}
	runSpecs(t, requiredTags, s3Bucket, []spec{
		{name: "compliant", props: tagged},
		{name: "seed: untagged bucket", props: map[string]any{"bucket": "config-bucket"},
			violation: `aws:s3/bucket:Bucket "r": tags: missing required tags owner, project, cost-center, data-classification`},
		{name: "one missing", props: pt.Without(tagged, "tags.cost-center"), violation: `missing required tags cost-center;`},
		{name: "blank value", props: pt.With(tagged, "tags.owner", " "), violation: `tags.owner: tag "owner" is " " (from tags); give it a non-blank value`},
		{name: "value not allowed", props: pt.With(tagged, "tags.data-classification", "secret"), violation: `tag "data-classification" is "secret" (from tags), not one of public, internal, confidential, restricted`},
		{name: "tagsAll counts", props: map[string]any{"tagsAll": goodTags}},
		{name: "provider default tags as JSON string", props: map[string]any{"bucket": "b"}, provider: jsonDefaults},
		{name: "provider default tags as a JSON list of one block", props: map[string]any{"bucket": "b"},
			provider: map[string]any{"defaultTags": `[{"tags":{"owner":"o","project":"p","cost-center":"c","data-classification":"internal"}}]`}},
		{name: "provider default tags as JSON whose tags are JSON once more", props: map[string]any{"bucket": "b"},
			provider: map[string]any{"defaultTags": `{"tags":"{\"owner\":\"o\",\"project\":\"p\",\"cost-center\":\"c\",\"data-classification\":\"internal\"}"}`}},
		{name: "provider default tags as an empty JSON list", props: map[string]any{"bucket": "b"}, provider: map[string]any{"defaultTags": `[]`},
			violation: `missing required tags owner, project, cost-center, data-classification`},
		{name: "provider default tags as object", props: map[string]any{"tags": map[string]any{"data-classification": "public"}}, provider: objDefaults},
		{name: "provider default tag not allowed", props: map[string]any{}, provider: map[string]any{"defaultTags": `{"tags":{"owner":"o","project":"p","cost-center":"c","data-classification":"top"}}`},
			violation: `"top" (from the provider's defaultTags), not one of`},
		{name: "provider default tags unknown", props: map[string]any{"tags": map[string]any{"owner": "o"}}, provider: map[string]any{"defaultTags": pt.Unknown}, unknown: "may come from the provider's defaultTags"},
		{name: "tags unknown", props: map[string]any{"tags": pt.Unknown}, unknown: "tags is unknown"},
		{name: "one value unknown", props: pt.With(tagged, "tags.owner", pt.Unknown), unknown: "tags.owner is unknown"},
		{name: "secret value not allowed", props: pt.With(tagged, "tags.data-classification", pt.Secret(secretText)), violation: `is [secret] (from tags), not one of`},
		{name: "configured keys", props: map[string]any{"tags": map[string]any{"team": "x"}}, config: map[string]any{"requiredKeys": []any{"team"}}},
		{name: "Azure workspace, case-insensitive keys", typ: amlWorkspace, props: map[string]any{"tags": map[string]any{"Owner": "o", "Project": "p", "Cost-Center": "c", "Data-Classification": "public"}}},
		{name: "seed 003: untagged workspace", typ: amlWorkspace, props: map[string]any{"sku": map[string]any{"name": "Basic"}}, violation: `azure-native:machinelearningservices:Workspace "r": tags: missing required tags owner, project, cost-center, data-classification; add them to tags`},
		{name: "Azure: a blank value is blank whatever the key's case", typ: amlWorkspace, props: map[string]any{"tags": map[string]any{"OWNER": " ", "project": "p", "cost-center": "c", "data-classification": "public"}},
			violation: `tags.OWNER: tag "owner" is " " (from tags); give it a non-blank value`},
		{name: "tags win over tagsAll", props: map[string]any{"tags": goodTags, "tagsAll": pt.With(goodTags, "owner", " ")}},
		{name: "tagsAll wins over provider defaults", props: map[string]any{"tagsAll": pt.With(goodTags, "owner", "")}, provider: jsonDefaults,
			violation: `tagsAll.owner: tag "owner" is "" (from tagsAll)`},
		{name: "an Azure tracked resource (it has a location) without tags", typ: "azure-native:network:VirtualNetwork", props: map[string]any{"location": "westeurope"},
			violation: `azure-native:network:VirtualNetwork "r": tags: missing required tags owner`},
		{name: "Application Insights without tags or location", typ: "azure-native:insights:Component", props: map[string]any{"kind": "web"}, violation: `missing required tags owner`},
		{name: "an Azure proxy resource (no location, no tags)", typ: "azure-native:storage:BlobContainer", props: map[string]any{"accountName": "a"}},
		{name: "ungoverned AWS type without tags", typ: "aws:s3/bucketVersioningV2:BucketVersioningV2", props: map[string]any{"bucket": "b"}},
		{name: "other AWS type with tags", typ: "aws:ec2/vpc:Vpc", props: map[string]any{"tags": map[string]any{"owner": "o"}}, violation: `missing required tags project`},
		{name: "seed 002: a taggable AWS type with no tags at all", typ: "aws:ec2/securityGroup:SecurityGroup", props: map[string]any{},
			violation: `aws:ec2/securityGroup:SecurityGroup "r": tags: missing required tags owner, project, cost-center, data-classification`},
		{name: "an AWS type that takes no tags", typ: "aws:iam/rolePolicyAttachment:RolePolicyAttachment", props: map[string]any{"role": "r"}},
		{name: "providers are skipped", typ: "pulumi:providers:aws", props: map[string]any{"tags": map[string]any{}}},
		{name: "other clouds are skipped", typ: "gcp:storage/bucket:Bucket", props: map[string]any{"labels": map[string]any{}}},
	})
}

func TestRequiredTagsConfig(t *testing.T) {
	_, err := requiredTags.Config.Resolve(map[string]any{"defaultValues": map[string]any{"data-classification": "secret"}})
	require.Error(t, err)
	assert.Contains(t, err.Error(), `defaultValues.data-classification`)
	_, err = requiredTags.Config.Resolve(map[string]any{"defaultValues": map[string]any{"owner": "platform"}})
	require.NoError(t, err)
}

func TestRequiredTagsRemediation(t *testing.T) {
	cfg := map[string]any{"defaultValues": map[string]any{"owner": "ml-platform", "cost-center": "cc-0", "data-classification": "internal"}}
	r := pt.Resource(s3Bucket, "b", map[string]any{"bucket": "b", "tags": map[string]any{"owner": "alice", "project": "churn", "cost-center": " "}})
	props, got := pt.Fix(requiredTags, r, cfg)
	require.NotNil(t, props)
	assert.Empty(t, got.Violations)
	tags := props.Fields["tags"].GetStructValue().AsMap()
	assert.Equal(t, map[string]any{"owner": "alice", "project": "churn", "cost-center": "cc-0", "data-classification": "internal"}, tags)

	// Without configured defaults, nothing changes.
	props, _ = pt.Fix(requiredTags, r, nil)
	assert.Nil(t, props)
	// Unknown tags are left alone.
	props, _ = pt.Fix(requiredTags, pt.Resource(s3Bucket, "b", map[string]any{"tags": pt.Unknown}), cfg)
	assert.Nil(t, props)
	// Untagged: tags are created.
	props, _ = pt.Fix(requiredTags, pt.Resource(s3Bucket, "b", map[string]any{}), cfg)
	require.NotNil(t, props)
	assert.Len(t, props.Fields["tags"].GetStructValue().Fields, 3)
	// Null tags are no tags: created too.
	props, _ = pt.Fix(requiredTags, pt.Resource(s3Bucket, "b", map[string]any{"tags": nil}), cfg)
	require.NotNil(t, props)
	assert.Len(t, props.Fields["tags"].GetStructValue().Fields, 3)
	// Tags that are not a map are left alone: nothing safe to write.
	props, _ = pt.Fix(requiredTags, pt.Resource(s3Bucket, "b", map[string]any{"tags": "owner=alice"}), cfg)
	assert.Nil(t, props)
}
