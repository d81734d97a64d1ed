package policypack

import (
	"testing"

	pt "github.com/mlguard/mlguard/policy/policytest"
)

// governedOpenAI passes every AI services policy.
var governedOpenAI = map[string]any{"accountName": "ml-openai", "resourceGroupName": pt.Unknown, "location": "swedencentral",
	"kind": "OpenAI", "sku": map[string]any{"name": "S0"}, "identity": map[string]any{"type": "SystemAssigned"},
	"properties": map[string]any{"customSubDomainName": "ml-openai", "disableLocalAuth": true, "publicNetworkAccess": "Disabled",
		"restrictOutboundNetworkAccess": true, "allowedFqdnList": []any{"mlsearch.search.windows.net"},
		"encryption": map[string]any{"keySource": "Microsoft.KeyVault", "keyVaultProperties": map[string]any{
			"keyName": "openai", "keyVaultUri": "https://kv.vault.azure.net/"}}}}

func TestAIServicesAccount(t *testing.T) {
	runSpecs(t, aiServicesLocalAuthDisabled, aiAccount, []spec{
		{name: "no keys", props: governedOpenAI},
		{name: "keys by default", props: pt.Without(governedOpenAI, "properties.disableLocalAuth"), violation: `azure-native:cognitiveservices:Account "r": properties.disableLocalAuth: is not set; set properties.disableLocalAuth = true`},
		{name: "keys", props: pt.With(governedOpenAI, "properties.disableLocalAuth", false), violation: `is false`},
		{name: "unknown", props: pt.With(governedOpenAI, "properties", pt.Unknown), unknown: "properties.disableLocalAuth is unknown"},
	})
	open := pt.Without(governedOpenAI, "properties.publicNetworkAccess")
	runSpecs(t, aiServicesPrivate, aiAccount, []spec{
		{name: "disabled", props: governedOpenAI},
		{name: "ACLs deny", props: pt.With(open, "properties.networkAcls", map[string]any{"defaultAction": "Deny"})},
		{name: "open", props: open, violation: `properties.publicNetworkAccess: is not set and properties.networkAcls.defaultAction is not set`},
		{name: "ACLs allow", props: pt.With(pt.With(open, "properties.publicNetworkAccess", "Enabled"), "properties.networkAcls.defaultAction", "Allow"), violation: `is "Enabled" and properties.networkAcls.defaultAction is "Allow"`},
		{name: "unknown", props: pt.With(open, "properties.networkAcls", pt.Unknown), unknown: "properties.networkAcls.defaultAction is unknown"},
	})
	runSpecs(t, aiServicesCMK, aiAccount, []spec{
		{name: "CMK", props: governedOpenAI},
		{name: "Microsoft-managed", props: pt.With(governedOpenAI, "properties.encryption", map[string]any{"keySource": "Microsoft.CognitiveServices"}), violation: `properties.encryption.keySource: is "Microsoft.CognitiveServices"; set properties.encryption.keySource = "Microsoft.KeyVault"`},
		{name: "unset", props: pt.Without(governedOpenAI, "properties.encryption"), violation: `keySource: is not set`},
		{name: "no key name", props: pt.Without(governedOpenAI, "properties.encryption.keyVaultProperties.keyName"), violation: `keyVaultProperties.keyName: is not set`},
		{name: "unknown", props: pt.With(governedOpenAI, "properties.encryption.keySource", pt.Unknown), unknown: "keySource is unknown"},
	})
	runSpecs(t, aiServicesManagedIdentity, aiAccount, []spec{
		{name: "system-assigned", props: governedOpenAI},
		{name: "none", props: pt.Without(governedOpenAI, "identity"), violation: `identity.type: is not set`},
		{name: "unknown", props: pt.With(governedOpenAI, "identity.type", pt.Unknown), unknown: "identity.type is unknown"},
	})
	runSpecs(t, aiServicesOutboundRestricted, aiAccount, []spec{
		{name: "restricted", props: governedOpenAI},
		{name: "AI services kind too", props: pt.With(pt.With(governedOpenAI, "kind", "AIServices"), "properties.restrictOutboundNetworkAccess", false), violation: `properties.restrictOutboundNetworkAccess: is false; set properties.restrictOutboundNetworkAccess = true`},
		{name: "other kinds are not judged", props: pt.Without(pt.With(governedOpenAI, "kind", "TextAnalytics"), "properties.restrictOutboundNetworkAccess")},
		{name: "unrestricted", props: pt.Without(governedOpenAI, "properties.restrictOutboundNetworkAccess"), violation: `is not set`},
		{name: "empty allowlist", props: pt.With(governedOpenAI, "properties.allowedFqdnList", []any{}), violation: `properties.allowedFqdnList: is a list of 0; list the destinations`},
		{name: "kind unknown", props: pt.With(governedOpenAI, "kind", pt.Unknown), unknown: "kind is unknown"},
		{name: "list unknown", props: pt.With(governedOpenAI, "properties.allowedFqdnList", pt.Unknown), unknown: "allowedFqdnList is unknown"},
	})
	dep := map[string]any{"accountName": "ml-openai", "deploymentName": "gpt-4o", "resourceGroupName": pt.Unknown,
		"sku":        map[string]any{"name": "Standard", "capacity": 10},
		"properties": map[string]any{"model": map[string]any{"format": "OpenAI", "name": "gpt-4o", "version": "2024-08-06"}, "raiPolicyName": "ml-strict"}}
	runSpecs(t, aiDeploymentContentFilter, aiDeployment, []spec{
		{name: "named", props: dep},
		{name: "unset", props: pt.Without(dep, "properties.raiPolicyName"), violation: `azure-native:cognitiveservices:Deployment "r": properties.raiPolicyName: is not set; set it to the content filter (RAI) policy`},
		{name: "blank", props: pt.With(dep, "properties.raiPolicyName", ""), violation: `is ""`},
		{name: "unknown", props: pt.With(dep, "properties.raiPolicyName", pt.Unknown), unknown: "raiPolicyName is unknown"},
	})
}
