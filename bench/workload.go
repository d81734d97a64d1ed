// Package bench measures policy packs the way the engine drives them:
// launched as a process, spoken to over gRPC, fed a synthetic ML platform
// stack. It compares mlguard with the floor (a pack with no rules on the same
// runtime) and with the same core rules as a @pulumi/policy pack on Node.
package bench

import (
	"fmt"
	"maps"
	"slices"

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
// change that breaks one of its rules. Templates come in groups (g numbers
// the group): a bucket and the companions that configure it share its name,
// and deps names, per input, the template in the same group whose URN the
// input was computed from (a property dependency, as the engine sends it).
type template struct {
	typ   string
	props func(g int) map[string]any
	bad   func(p map[string]any)
	deps  map[string]string
}

const kmsKey = "arn:aws:kms:eu-west-1:111122223333:key/k"

// The bucket's companions, as the reference stack gives every bucket.
func publicAccessBlock(bucket string) template {
	return template{"aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", func(g int) map[string]any {
		return map[string]any{"bucket": fmt.Sprintf("%s-%d", bucket, g), "blockPublicAcls": true, "blockPublicPolicy": true, "ignorePublicAcls": true, "restrictPublicBuckets": true}
	}, func(p map[string]any) { p["blockPublicPolicy"] = false }, nil}
}

func ownershipControls(bucket string) template {
	return template{"aws:s3/bucketOwnershipControls:BucketOwnershipControls", func(g int) map[string]any {
		return map[string]any{"bucket": fmt.Sprintf("%s-%d", bucket, g), "rule": map[string]any{"objectOwnership": "BucketOwnerEnforced"}}
	}, func(p map[string]any) { p["rule"] = map[string]any{"objectOwnership": "ObjectWriter"} }, nil}
}

func tlsOnlyPolicy(bucket string) template {
	return template{"aws:s3/bucketPolicy:BucketPolicy", func(g int) map[string]any {
		name := fmt.Sprintf("%s-%d", bucket, g)
		return map[string]any{"bucket": name, "policy": `{"Version":"2012-10-17","Statement":[{"Sid":"DenyInsecureTransport","Effect":"Deny","Principal":"*","Action":"s3:*",` +
			`"Resource":["arn:aws:s3:::` + name + `","arn:aws:s3:::` + name + `/*"],"Condition":{"Bool":{"aws:SecureTransport":"false"}}}]}`}
	}, func(p map[string]any) {
		p["policy"] = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"s3:GetObject","Resource":"*"}]}`
	}, nil}
}

var templates = []template{
	{"aws:s3/bucket:Bucket", func(g int) map[string]any {
		return map[string]any{"bucket": fmt.Sprintf("data-%d", g), "versioning": map[string]any{"enabled": true}, "tags": goodTags,
			"serverSideEncryptionConfiguration": map[string]any{"rule": map[string]any{"bucketKeyEnabled": true,
				"applyServerSideEncryptionByDefault": map[string]any{"sseAlgorithm": "aws:kms", "kmsMasterKeyId": kmsKey}}},
			"loggings": []any{map[string]any{"targetBucket": "access-logs", "targetPrefix": fmt.Sprintf("data-%d/", g)}}}
	}, func(p map[string]any) { delete(p, "versioning") }, nil},
	publicAccessBlock("data"), ownershipControls("data"), tlsOnlyPolicy("data"),
	{"aws:s3/bucketV2:BucketV2", func(g int) map[string]any {
		return map[string]any{"bucket": fmt.Sprintf("lake-%d", g), "tags": goodTags}
	}, func(p map[string]any) { delete(p, "tags") }, nil},
	{"aws:s3/bucketVersioningV2:BucketVersioningV2", func(g int) map[string]any {
		return map[string]any{"bucket": fmt.Sprintf("lake-%d", g), "versioningConfiguration": map[string]any{"status": "Enabled"}}
	}, func(p map[string]any) { p["versioningConfiguration"] = map[string]any{"status": "Suspended"} }, nil},
	{"aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2", func(g int) map[string]any {
		return map[string]any{"bucket": fmt.Sprintf("lake-%d", g), "rules": []any{map[string]any{"bucketKeyEnabled": true,
			"applyServerSideEncryptionByDefault": map[string]any{"sseAlgorithm": "aws:kms", "kmsMasterKeyId": kmsKey}}}}
	}, func(p map[string]any) {
		p["rules"] = []any{map[string]any{"applyServerSideEncryptionByDefault": map[string]any{"sseAlgorithm": "AES256"}}}
	}, nil},
	{"aws:s3/bucketLoggingV2:BucketLoggingV2", func(g int) map[string]any {
		return map[string]any{"bucket": fmt.Sprintf("lake-%d", g), "targetBucket": "access-logs", "targetPrefix": fmt.Sprintf("lake-%d/", g)}
	}, func(p map[string]any) { p["targetBucket"] = "" }, nil},
	publicAccessBlock("lake"), ownershipControls("lake"), tlsOnlyPolicy("lake"),
	{"aws:sagemaker/domain:Domain", func(g int) map[string]any {
		return map[string]any{"domainName": fmt.Sprintf("studio-%d", g), "authMode": "IAM", "appNetworkAccessType": "VpcOnly",
			"kmsKeyId": kmsKey, "tags": goodTags,
			"defaultUserSettings": map[string]any{"executionRole": "arn:aws:iam::111122223333:role/r", "sharingSettings": map[string]any{
				"notebookOutputOption": "Allowed", "s3KmsKeyId": kmsKey, "s3OutputPath": "s3://out/sharing"}}}
	}, func(p map[string]any) {
		p["defaultUserSettings"].(map[string]any)["sharingSettings"].(map[string]any)["s3KmsKeyId"] = ""
	}, nil},
	{"aws:sagemaker/userProfile:UserProfile", func(g int) map[string]any {
		return map[string]any{"userProfileName": fmt.Sprintf("u-%d", g), "tags": goodTags, "userSettings": map[string]any{
			"sharingSettings": map[string]any{"notebookOutputOption": "Allowed", "s3KmsKeyId": kmsKey}}}
	}, func(p map[string]any) {
		delete(p["userSettings"].(map[string]any)["sharingSettings"].(map[string]any), "s3KmsKeyId")
	}, nil},
	{"aws:codeartifact/repository:Repository", func(g int) map[string]any {
		return map[string]any{"repository": fmt.Sprintf("repo-%d", g), "domain": "ml", "description": "Pinned dependencies of the churn model", "tags": goodTags}
	}, func(p map[string]any) { p["description"] = "  " }, nil},
	{"aws:cfg/recorder:Recorder", func(g int) map[string]any {
		return map[string]any{"name": fmt.Sprintf("rec-%d", g), "roleArn": "arn:aws:iam::111122223333:role/config",
			"recordingGroup": map[string]any{"allSupported": true, "includeGlobalResourceTypes": true}}
	}, func(p map[string]any) { p["recordingGroup"].(map[string]any)["includeGlobalResourceTypes"] = false }, nil},
	{"aws:cfg/deliveryChannel:DeliveryChannel", func(g int) map[string]any {
		return map[string]any{"name": fmt.Sprintf("channel-%d", g), "s3BucketName": "config-history", "snapshotDeliveryProperties": map[string]any{"deliveryFrequency": "One_Hour"}}
	}, func(p map[string]any) { p["s3BucketName"] = "" }, nil},
	{"aws:cfg/recorderStatus:RecorderStatus", func(g int) map[string]any {
		return map[string]any{"name": fmt.Sprintf("rec-%d", g), "isEnabled": true}
	}, func(p map[string]any) { p["isEnabled"] = false }, nil},
	{"aws:kms/key:Key", func(g int) map[string]any {
		return map[string]any{"description": fmt.Sprintf("key %d", g), "enableKeyRotation": true, "tags": goodTags}
	}, func(p map[string]any) { p["enableKeyRotation"] = false }, nil},
	{"aws:iam/role:Role", func(g int) map[string]any {
		return map[string]any{"name": fmt.Sprintf("role-%d", g), "tags": goodTags,
			"assumeRolePolicy": `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"sagemaker.amazonaws.com"},"Action":"sts:AssumeRole","Condition":{"StringEquals":{"aws:SourceAccount":"111122223333"}}}]}`}
	}, func(p map[string]any) {
		p["assumeRolePolicy"] = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"sts:AssumeRole"}]}`
	}, nil},
	{"azure-native:machinelearningservices:Workspace", func(g int) map[string]any {
		return map[string]any{"workspaceName": fmt.Sprintf("ws-%d", g), "identity": map[string]any{"type": "SystemAssigned"},
			"publicNetworkAccess": "Disabled", "hbiWorkspace": true, "tags": goodTags,
			// what Azure requires of a workspace (azureml-workspace-dependencies)
			"storageAccount": "/subscriptions/0/sa", "keyVault": "/subscriptions/0/kv", "applicationInsights": "/subscriptions/0/ai"}
	}, func(p map[string]any) { p["publicNetworkAccess"] = "Enabled" }, nil},
	{"azure-native:insights:DiagnosticSetting", func(g int) map[string]any {
		return map[string]any{"name": fmt.Sprintf("ws-%d-logs", g), "resourceUri": unknown, "workspaceId": "/subscriptions/0/law",
			"logs": []any{map[string]any{"categoryGroup": "allLogs", "enabled": true}}}
	}, func(p map[string]any) { p["logs"] = []any{} }, map[string]string{"resourceUri": "azure-native:machinelearningservices:Workspace"}},
	{"azure-native:network:PrivateEndpoint", func(g int) map[string]any {
		return map[string]any{"privateEndpointName": fmt.Sprintf("ws-%d-pe", g), "tags": goodTags, "subnet": map[string]any{"id": "/subscriptions/0/subnet"},
			"privateLinkServiceConnections": []any{map[string]any{"name": "workspace", "privateLinkServiceId": unknown, "groupIds": []any{"amlworkspace"}}}}
	}, func(p map[string]any) { delete(p, "tags") }, map[string]string{"privateLinkServiceConnections": "azure-native:machinelearningservices:Workspace"}},
	{"azure-native:machinelearningservices:FeaturesetVersion", func(g int) map[string]any {
		return map[string]any{"name": fmt.Sprintf("fs-%d", g), "version": "1", "featuresetVersionProperties": map[string]any{
			"specification": map[string]any{"path": "abfss://featuresets@lake.dfs.core.windows.net/churn/spec"}, "entities": []any{"azureml:customer:1"}}}
	}, func(p map[string]any) { p["featuresetVersionProperties"].(map[string]any)["dataVersionId"] = "" }, nil},
}

func urnOf(typ string, i int) string { return fmt.Sprintf("urn:pulumi:bench::ml::%s::r%d", typ, i) }

// Stack builds n resources: every governed type in turn, a third of them
// non-compliant, one in ten with an unknown value and one in ten with its
// tags secret.
func Stack(n int) []*pulumirpc.AnalyzerResource {
	out := make([]*pulumirpc.AnalyzerResource, n)
	for i := range out {
		k, g := i%len(templates), i/len(templates)
		props := templates[k].props(g)
		if i%3 == 0 {
			templates[k].bad(props)
		}
		switch {
		case i%10 == 1: // the first input in name order, so that every run measures the same stack
			for _, key := range slices.Sorted(maps.Keys(props)) {
				if key != "tags" {
					props[key] = unknown
					break
				}
			}
		case i%10 == 2:
			if tags, ok := props["tags"]; ok {
				props["tags"] = secretOf(tags)
			}
		}
		out[i] = resource(k, g, props)
	}
	return out
}

// resource is template k of group g with props, its property dependencies
// naming the resources of the same group.
func resource(k, g int, props map[string]any) *pulumirpc.AnalyzerResource {
	t, i := templates[k], g*len(templates)+k
	s, err := structpb.NewStruct(props)
	if err != nil {
		panic(err)
	}
	var deps map[string]*pulumirpc.AnalyzerPropertyDependencies
	for prop, target := range t.deps {
		if deps == nil {
			deps = map[string]*pulumirpc.AnalyzerPropertyDependencies{}
		}
		at := slices.IndexFunc(templates, func(x template) bool { return x.typ == target })
		deps[prop] = &pulumirpc.AnalyzerPropertyDependencies{Urns: []string{urnOf(target, g*len(templates)+at)}}
	}
	return &pulumirpc.AnalyzerResource{
		Type: t.typ, Name: fmt.Sprintf("r%d", i), Urn: urnOf(t.typ, i), Properties: s, PropertyDependencies: deps,
		Options: &pulumirpc.AnalyzerResourceOptions{}, // the engine always sends them
	}
}

// Requests turns stack resources into Analyze requests.
func Requests(resources []*pulumirpc.AnalyzerResource) []*pulumirpc.AnalyzeRequest {
	out := make([]*pulumirpc.AnalyzeRequest, len(resources))
	for i, r := range resources {
		out[i] = &pulumirpc.AnalyzeRequest{Type: r.Type, Name: r.Name, Urn: r.Urn, Properties: r.Properties, Options: r.Options}
	}
	return out
}
