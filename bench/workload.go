// Package bench measures policy packs the way the engine drives them:
// launched as a process, spoken to over gRPC, fed a synthetic ML platform
// stack. It compares mlguard with the floor (a pack with no rules on the same
// runtime) and with the same core rules as a @pulumi/policy pack on Node.
package bench

import (
	"fmt"

	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/protobuf/types/known/structpb"
)

const (
	unknown = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"
	sigKey  = "4dabf18193072939515e22adb298388d"
	secret  = "1b47061264138c4ac30d75fd1eb44270"
)

func secretOf(v any) map[string]any { return map[string]any{sigKey: secret, "value": v} }

var goodTags = map[string]any{"owner": "ml-team", "project": "churn", "cost-center": "cc-42", "data-classification": "internal"}

// template is one governed resource type: compliant properties, and a
// change that breaks one of its rules.
type template struct {
	typ   string
	props func(i int) map[string]any
	bad   func(p map[string]any)
}

var templates = []template{
	{"aws:s3/bucket:Bucket", func(i int) map[string]any {
		return map[string]any{"bucket": fmt.Sprintf("data-%d", i), "versioning": map[string]any{"enabled": true}, "tags": goodTags}
	}, func(p map[string]any) { delete(p, "versioning") }},
	{"aws:s3/bucketV2:BucketV2", func(i int) map[string]any {
		return map[string]any{"bucket": fmt.Sprintf("lake-%d", i), "tags": goodTags}
	}, func(p map[string]any) { delete(p, "tags") }},
	{"aws:s3/bucketVersioningV2:BucketVersioningV2", func(i int) map[string]any {
		return map[string]any{"bucket": fmt.Sprintf("lake-%d", i), "versioningConfiguration": map[string]any{"status": "Enabled"}}
	}, func(p map[string]any) { p["versioningConfiguration"] = map[string]any{"status": "Suspended"} }},
	{"aws:sagemaker/domain:Domain", func(i int) map[string]any {
		return map[string]any{"domainName": fmt.Sprintf("studio-%d", i), "authMode": "IAM", "appNetworkAccessType": "VpcOnly",
			"kmsKeyId": "arn:aws:kms:eu-west-1:111122223333:key/k", "tags": goodTags,
			"defaultUserSettings": map[string]any{"executionRole": "arn:aws:iam::111122223333:role/r", "sharingSettings": map[string]any{
				"notebookOutputOption": "Allowed", "s3KmsKeyId": "arn:aws:kms:eu-west-1:111122223333:key/k", "s3OutputPath": "s3://out/sharing"}}}
	}, func(p map[string]any) {
		p["defaultUserSettings"].(map[string]any)["sharingSettings"].(map[string]any)["s3KmsKeyId"] = ""
	}},
	{"aws:sagemaker/userProfile:UserProfile", func(i int) map[string]any {
		return map[string]any{"userProfileName": fmt.Sprintf("u-%d", i), "tags": goodTags, "userSettings": map[string]any{
			"sharingSettings": map[string]any{"notebookOutputOption": "Allowed", "s3KmsKeyId": "arn:aws:kms:eu-west-1:111122223333:key/k"}}}
	}, func(p map[string]any) {
		delete(p["userSettings"].(map[string]any)["sharingSettings"].(map[string]any), "s3KmsKeyId")
	}},
	{"aws:codeartifact/repository:Repository", func(i int) map[string]any {
		return map[string]any{"repository": fmt.Sprintf("repo-%d", i), "domain": "ml", "description": "Pinned dependencies of the churn model", "tags": goodTags}
	}, func(p map[string]any) { p["description"] = "  " }},
	{"aws:cfg/recorder:Recorder", func(i int) map[string]any {
		return map[string]any{"name": fmt.Sprintf("rec-%d", i), "roleArn": "arn:aws:iam::111122223333:role/config",
			"recordingGroup": map[string]any{"allSupported": true, "includeGlobalResourceTypes": true}}
	}, func(p map[string]any) { p["recordingGroup"].(map[string]any)["includeGlobalResourceTypes"] = false }},
	{"aws:kms/key:Key", func(i int) map[string]any {
		return map[string]any{"description": fmt.Sprintf("key %d", i), "enableKeyRotation": true, "tags": goodTags}
	}, func(p map[string]any) { p["enableKeyRotation"] = false }},
	{"aws:iam/role:Role", func(i int) map[string]any {
		return map[string]any{"name": fmt.Sprintf("role-%d", i), "tags": goodTags,
			"assumeRolePolicy": `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"sagemaker.amazonaws.com"},"Action":"sts:AssumeRole","Condition":{"StringEquals":{"aws:SourceAccount":"111122223333"}}}]}`}
	}, func(p map[string]any) {
		p["assumeRolePolicy"] = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"sts:AssumeRole"}]}`
	}},
	{"azure-native:machinelearningservices:Workspace", func(i int) map[string]any {
		return map[string]any{"workspaceName": fmt.Sprintf("ws-%d", i), "identity": map[string]any{"type": "SystemAssigned"},
			"publicNetworkAccess": "Disabled", "hbiWorkspace": true, "tags": goodTags,
			// what Azure requires of a workspace (azureml-workspace-dependencies)
			"storageAccount": "/subscriptions/0/sa", "keyVault": "/subscriptions/0/kv", "applicationInsights": "/subscriptions/0/ai"}
	}, func(p map[string]any) { p["publicNetworkAccess"] = "Enabled" }},
	{"azure-native:machinelearningservices:FeaturesetVersion", func(i int) map[string]any {
		return map[string]any{"name": fmt.Sprintf("fs-%d", i), "version": "1", "featuresetVersionProperties": map[string]any{
			"specification": map[string]any{"path": "abfss://featuresets@lake.dfs.core.windows.net/churn/spec"}, "entities": []any{"azureml:customer:1"}}}
	}, func(p map[string]any) { p["featuresetVersionProperties"].(map[string]any)["dataVersionId"] = "" }},
}

// Stack builds n resources: every governed type in turn, a third of them
// non-compliant, one in ten with an unknown value and one in ten with its
// tags secret.
func Stack(n int) []*pulumirpc.AnalyzerResource {
	out := make([]*pulumirpc.AnalyzerResource, n)
	for i := range out {
		t := templates[i%len(templates)]
		props := t.props(i)
		if i%3 == 0 {
			t.bad(props)
		}
		switch {
		case i%10 == 1:
			for k := range props {
				if k != "tags" {
					props[k] = unknown
					break
				}
			}
		case i%10 == 2:
			if tags, ok := props["tags"]; ok {
				props["tags"] = secretOf(tags)
			}
		}
		s, err := structpb.NewStruct(props)
		if err != nil {
			panic(err)
		}
		name := fmt.Sprintf("r%d", i)
		out[i] = &pulumirpc.AnalyzerResource{
			Type: t.typ, Name: name, Urn: "urn:pulumi:bench::ml::" + t.typ + "::" + name, Properties: s,
			Options: &pulumirpc.AnalyzerResourceOptions{}, // the engine always sends them
		}
	}
	return out
}

// Requests turns stack resources into Analyze requests.
func Requests(resources []*pulumirpc.AnalyzerResource) []*pulumirpc.AnalyzeRequest {
	out := make([]*pulumirpc.AnalyzeRequest, len(resources))
	for i, r := range resources {
		out[i] = &pulumirpc.AnalyzeRequest{Type: r.Type, Name: r.Name, Urn: r.Urn, Properties: r.Properties, Options: r.Options}
	}
	return out
}
