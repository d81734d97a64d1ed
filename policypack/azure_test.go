package policypack

import (
	"testing"

	pt "github.com/mlguard/mlguard/policy/policytest"
	"github.com/mlguard/mlguard/providers"
)

// seedWorkspace is seed 003's workspace made compliant.
var seedWorkspace = map[string]any{
	"resourceGroupName":   pt.Unknown,
	"location":            pt.Unknown,
	"sku":                 map[string]any{"name": "Basic"},
	"identity":            map[string]any{"type": "SystemAssigned"},
	"publicNetworkAccess": "Disabled",
	"hbiWorkspace":        true,
	"tags":                map[string]any{"data-classification": "confidential"},
}

func TestAzureMLWorkspace(t *testing.T) {
	runSpecs(t, azuremlWorkspaceIdentity, amlWorkspace, []spec{
		{name: "seed 003: SystemAssigned", props: seedWorkspace},
		{name: "both", props: pt.With(seedWorkspace, "identity.type", "SystemAssigned,UserAssigned")},
		{name: "none", props: pt.With(seedWorkspace, "identity.type", "None"), violation: `azure-native:machinelearningservices:Workspace "r": identity.type: is "None"`},
		{name: "missing", props: pt.Without(seedWorkspace, "identity"), violation: `identity.type: is not set`},
		{name: "unknown", props: pt.With(seedWorkspace, "identity.type", pt.Unknown), unknown: "identity.type is unknown"},
	})
	runSpecs(t, azuremlWorkspacePrivate, amlWorkspace, []spec{
		{name: "compliant", props: seedWorkspace},
		{name: "seed 003: unset means Enabled", props: pt.Without(seedWorkspace, "publicNetworkAccess"), violation: `publicNetworkAccess: is not set; set publicNetworkAccess = "Disabled"`},
		{name: "Enabled", props: pt.With(seedWorkspace, "publicNetworkAccess", "Enabled"), violation: `is "Enabled"`},
		{name: "unknown", props: pt.With(seedWorkspace, "publicNetworkAccess", pt.Unknown), unknown: "publicNetworkAccess is unknown"},
	})
	runSpecs(t, azuremlWorkspaceHBI, amlWorkspace, []spec{
		{name: "compliant", props: seedWorkspace},
		{name: "confidential without HBI", props: pt.Without(seedWorkspace, "hbiWorkspace"), violation: `hbiWorkspace: is not set; set hbiWorkspace = true: the workspace's data-classification tag is "confidential"`},
		{name: "restricted, HBI false", props: pt.With(pt.With(seedWorkspace, "hbiWorkspace", false), "tags.data-classification", "Restricted"), violation: `is false`},
		{name: "internal needs no HBI", props: pt.With(pt.Without(seedWorkspace, "hbiWorkspace"), "tags.data-classification", "internal")},
		{name: "untagged (seed 003)", props: pt.Without(pt.Without(seedWorkspace, "hbiWorkspace"), "tags")},
		{name: "tag key case-insensitive on Azure", props: pt.With(pt.Without(seedWorkspace, "hbiWorkspace"), "tags", map[string]any{"Data-Classification": "restricted"}), violation: `hbiWorkspace: is not set`},
		{name: "configured classes", props: pt.With(pt.Without(seedWorkspace, "hbiWorkspace"), "tags.data-classification", "internal"), config: map[string]any{"classifications": []any{"internal"}}, violation: `hbiWorkspace`},
		{name: "tags unknown", props: pt.With(seedWorkspace, "tags", pt.Unknown), unknown: "tags is unknown"},
		{name: "tag value unknown", props: pt.With(seedWorkspace, "tags.data-classification", pt.Unknown), unknown: "tags.data-classification is unknown"},
		{name: "secret classification", props: pt.Without(pt.With(seedWorkspace, "tags.data-classification", pt.Secret("restricted")), "hbiWorkspace"), violation: `tag is [secret]`},
	})
}

func TestAzureMLFeaturesetDataReference(t *testing.T) {
	// azure-native v3 renamed featuresetVersionProperties to properties:
	// the same cases in each major's shape.
	for major, base := range map[providers.Major]string{providers.AzureNativeV2: "featuresetVersionProperties", providers.AzureNativeV3: "properties"} {
		fs := map[string]any{"name": "sampleFeatureset", "version": "1.0", "workspaceName": pt.Unknown, "resourceGroupName": pt.Unknown,
			base: map[string]any{
				"specification": map[string]any{"path": "azureml://datastores/fs/paths/txn/spec"},
				"entities":      []any{"azureml:account:1"},
			}}
		only := []providers.Major{major}
		runSpecs(t, azuremlFeaturesetDataReference, amlFeaturesetVersion, []spec{
			{name: "compliant", props: fs, majors: only},
			{name: "seed 003: empty dataVersionId, no specification", majors: only, props: map[string]any{"name": "sampleFeatureset", "version": "1.0", base: map[string]any{"dataVersionId": ""}},
				violation: base + `.specification.path: is not set; set it to the feature set specification folder`,
				more:      []string{base + `.dataVersionId: is "", an empty data reference`}},
			{name: "v2 shape in v3, or v3 shape in v2", majors: only, props: map[string]any{map[string]string{"featuresetVersionProperties": "properties", "properties": "featuresetVersionProperties"}[base]: fs[base]},
				violation: base + `.specification.path: is not set`},
			{name: "blank path", props: pt.With(fs, base+".specification.path", " "), majors: only, violation: `specification.path: is " "`},
			{name: "empty entity", props: pt.With(fs, base+".entities", []any{"azureml:account:1", ""}), majors: only, violation: base + `.entities.1: is ""`},
			{name: "known dataVersionId", props: pt.With(fs, base+".dataVersionId", "txn:3"), majors: only},
			{name: "unknown path", props: pt.With(fs, base+".specification.path", pt.Unknown), majors: only, unknown: "specification.path is unknown"},
			{name: "secret path is fine", props: pt.With(fs, base+".specification.path", pt.Secret(secretText)), majors: only},
		})
	}
}

func TestAzureStorageAndKeyVault(t *testing.T) {
	sa := map[string]any{"enableHttpsTrafficOnly": true, "minimumTlsVersion": "TLS1_2", "allowBlobPublicAccess": false}
	runSpecs(t, azureStorageSecureTransport, azStorageAccount, []spec{
		{name: "compliant", props: sa},
		{name: "https default", props: pt.Without(sa, "enableHttpsTrafficOnly")},
		{name: "http allowed", props: pt.With(sa, "enableHttpsTrafficOnly", false), violation: `enableHttpsTrafficOnly: is false`},
		{name: "TLS 1.0", props: pt.With(sa, "minimumTlsVersion", "TLS1_0"), violation: `minimumTlsVersion: is "TLS1_0"; set minimumTlsVersion = "TLS1_2"`},
		{name: "TLS unset", props: pt.Without(sa, "minimumTlsVersion"), violation: `minimumTlsVersion: is not set`},
		{name: "unknown", props: pt.With(sa, "minimumTlsVersion", pt.Unknown), unknown: "minimumTlsVersion is unknown"},
		{name: "secret", props: pt.With(sa, "minimumTlsVersion", pt.Secret(secretText)), violation: `is [secret]`},
	})
	runSpecs(t, azureStorageNoPublicBlob, azStorageAccount, []spec{
		{name: "compliant", props: sa},
		{name: "public", props: pt.With(sa, "allowBlobPublicAccess", true), violation: `allowBlobPublicAccess: is true; set allowBlobPublicAccess = false`},
		{name: "unset", props: pt.Without(sa, "allowBlobPublicAccess"), violation: `is not set`},
		{name: "unknown", props: pt.With(sa, "allowBlobPublicAccess", pt.Unknown), unknown: "allowBlobPublicAccess is unknown"},
	})
	kv := map[string]any{"properties": map[string]any{"enablePurgeProtection": true, "enableSoftDelete": true}}
	runSpecs(t, azureKeyVaultPurgeProtection, azKeyVault, []spec{
		{name: "compliant", props: kv},
		{name: "missing", props: pt.Without(kv, "properties.enablePurgeProtection"), violation: `properties.enablePurgeProtection: is not set`},
		{name: "unknown", props: pt.With(kv, "properties", pt.Unknown), unknown: "properties.enablePurgeProtection is unknown"},
	})
}
