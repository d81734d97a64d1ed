package policypack

import (
	"testing"

	"github.com/stretchr/testify/assert"

	pt "github.com/mlguard/mlguard/policy/policytest"
	"github.com/mlguard/mlguard/providers"
)

// governedRegistry passes every container registry policy.
var governedRegistry = map[string]any{"registryName": "mlimages", "resourceGroupName": pt.Unknown, "location": "westeurope",
	"sku": map[string]any{"name": "Premium"}, "adminUserEnabled": false, "publicNetworkAccess": "Disabled",
	"networkRuleBypassOptions": "AzureServices",
	"policies":                 map[string]any{"retentionPolicy": map[string]any{"status": "enabled", "days": 30}},
	"identity":                 map[string]any{"type": "SystemAssigned"}}

func TestContainerRegistry(t *testing.T) {
	runSpecs(t, acrAdminUserDisabled, acrRegistry, []spec{
		{name: "off", props: governedRegistry},
		{name: "default", props: pt.Without(governedRegistry, "adminUserEnabled")},
		{name: "on", props: pt.With(governedRegistry, "adminUserEnabled", true), violation: `azure-native:containerregistry:Registry "r": adminUserEnabled: is true; set adminUserEnabled = false`},
		{name: "unknown", props: pt.With(governedRegistry, "adminUserEnabled", pt.Unknown), unknown: "adminUserEnabled is unknown"},
	})
	v3 := []providers.Major{providers.AzureNativeV3}
	runSpecs(t, acrAnonymousPullDisabled, acrRegistry, []spec{
		{name: "default", props: governedRegistry},
		{name: "off", props: pt.With(governedRegistry, "anonymousPullEnabled", false), majors: v3},
		{name: "on", props: pt.With(governedRegistry, "anonymousPullEnabled", true), majors: v3, violation: `anonymousPullEnabled: is true; set anonymousPullEnabled = false`},
		{name: "unknown", props: pt.With(governedRegistry, "anonymousPullEnabled", pt.Unknown), majors: v3, unknown: "anonymousPullEnabled is unknown"},
	})
	// v2's newest API version has the switch; its default (2022-12-01) does not.
	got := pt.Check(acrAnonymousPullDisabled, withProvider(res("azure-native:containerregistry/v20241101preview:Registry", "r", pt.With(governedRegistry, "anonymousPullEnabled", true), nil), "2.90.0"), nil)
	assert.Len(t, got.Violations, 1)
	open := pt.Without(governedRegistry, "publicNetworkAccess")
	runSpecs(t, acrPrivate, acrRegistry, []spec{
		{name: "disabled", props: governedRegistry},
		{name: "firewall denies", props: pt.With(open, "networkRuleSet", map[string]any{"defaultAction": "Deny", "ipRules": []any{map[string]any{"iPAddressOrRange": "203.0.113.0/24", "action": "Allow"}}})},
		{name: "open", props: open, violation: `publicNetworkAccess: is not set and networkRuleSet.defaultAction is not set; set publicNetworkAccess = "Disabled", or networkRuleSet.defaultAction = "Deny"`},
		{name: "enabled, allow", props: pt.With(pt.With(open, "publicNetworkAccess", "Enabled"), "networkRuleSet.defaultAction", "Allow"), violation: `is "Enabled" and networkRuleSet.defaultAction is "Allow"`},
		{name: "access unknown", props: pt.With(governedRegistry, "publicNetworkAccess", pt.Unknown), unknown: "publicNetworkAccess is unknown"},
		{name: "rules unknown", props: pt.With(open, "networkRuleSet", pt.Unknown), unknown: "networkRuleSet.defaultAction is unknown"},
	})
	runSpecs(t, acrRetentionPolicy, acrRegistry, []spec{
		{name: "enabled", props: governedRegistry},
		{name: "disabled", props: pt.With(governedRegistry, "policies.retentionPolicy.status", "disabled"), violation: `policies.retentionPolicy.status: is "disabled"; set policies.retentionPolicy.status = "enabled"`},
		{name: "unset", props: pt.Without(governedRegistry, "policies"), violation: `is not set`},
		{name: "unknown", props: pt.With(governedRegistry, "policies", pt.Unknown), unknown: "policies.retentionPolicy.status is unknown"},
	})
	cmk := pt.With(governedRegistry, "encryption", map[string]any{"status": "enabled", "keyVaultProperties": map[string]any{
		"keyIdentifier": "https://kv.vault.azure.net/keys/acr", "identity": "11111111-2222-3333-4444-555555555555"}})
	require := map[string]any{"require": true}
	runSpecs(t, acrCMK, acrRegistry, []spec{
		{name: "not required", props: governedRegistry},
		{name: "CMK", props: cmk, config: require},
		{name: "required", props: governedRegistry, config: require, violation: `encryption.status: is not set; set encryption.status = "enabled"`},
		{name: "no key", props: pt.Without(cmk, "encryption.keyVaultProperties.keyIdentifier"), violation: `encryption.keyVaultProperties.keyIdentifier: is not set`},
		{name: "no identity", props: pt.With(cmk, "encryption.keyVaultProperties.identity", ""), violation: `encryption.keyVaultProperties.identity: is ""`},
		{name: "unknown", props: pt.With(cmk, "encryption.status", pt.Unknown), unknown: "encryption.status is unknown"},
		{name: "secret key uri", props: pt.With(cmk, "encryption.keyVaultProperties.keyIdentifier", pt.Secret(secretText))},
	})
}
