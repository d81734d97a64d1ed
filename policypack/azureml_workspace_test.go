package policypack

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/mlguard/mlguard/policy"
	pt "github.com/mlguard/mlguard/policy/policytest"
	"github.com/mlguard/mlguard/providers"
)

// governedWorkspace is seed 003's workspace with its dependencies set.
var governedWorkspace = func() map[string]any {
	ws := seedWorkspace
	for _, d := range workspaceDependencies {
		ws = pt.With(ws, d.path, "/subscriptions/0000/resourceGroups/ml/providers/x/"+d.path)
	}
	return ws
}()

const wsID = "/subscriptions/0000/resourceGroups/ml/providers/Microsoft.MachineLearningServices/workspaces/ws"

func TestAzureMLWorkspaceDependencies(t *testing.T) {
	runSpecs(t, azuremlWorkspaceDependencies, amlWorkspace, []spec{
		{name: "compliant", props: governedWorkspace},
		{name: "seed 003: none of them", props: seedWorkspace,
			violation: `azure-native:machinelearningservices:Workspace "r": storageAccount: is not set; set storageAccount to the resource ID of a storage account: Azure refuses a workspace without one`,
			more:      []string{`keyVault: is not set`, `applicationInsights: is not set`}},
		{name: "blank key vault", props: pt.With(governedWorkspace, "keyVault", " "), violation: `keyVault: is " "`},
		{name: "unknown storage account", props: pt.With(governedWorkspace, "storageAccount", pt.Unknown), unknown: "storageAccount is unknown"},
		{name: "secret ids are fine", props: pt.With(governedWorkspace, "keyVault", pt.Secret(secretText))},
		// A hub's project uses the hub's resources; v2's default API
		// version has no kind (every workspace there needs them).
		{name: "project", props: pt.With(seedWorkspace, "kind", "Project"), majors: []providers.Major{providers.AzureNativeV3}},
		{name: "project kind unknown", props: pt.With(seedWorkspace, "kind", pt.Unknown), majors: []providers.Major{providers.AzureNativeV3}, unknown: "kind is unknown"},
		{name: "feature store", props: pt.With(seedWorkspace, "kind", "FeatureStore"), majors: []providers.Major{providers.AzureNativeV3},
			violation: `storageAccount: is not set`, more: []string{`keyVault`, `applicationInsights`}},
	})
	t.Run("v2 API versions with a kind", func(t *testing.T) {
		got := pt.Check(azuremlWorkspaceDependencies, withProvider(res("azure-native:machinelearningservices/v20241001:Workspace", "r", pt.With(seedWorkspace, "kind", "Project"), nil), "2.90.0"), nil)
		assert.Empty(t, got.Violations)
		got = pt.Check(azuremlWorkspaceDependencies, withProvider(res(amlWorkspace, "r", pt.With(seedWorkspace, "kind", "Project"), nil), "2.90.0"), nil)
		assert.Len(t, got.Violations, 3, "2023-04-01 has no kind: the workspace is not a project")
	})
}

// withProvider gives r a default provider of the given azure-native version.
func withProvider(r *policy.Resource, version string) *policy.Resource {
	r.Provider = pt.Resource("pulumi:providers:azure-native", "default", map[string]any{"version": version})
	return r
}

func TestAzureMLWorkspaceHygiene(t *testing.T) {
	runSpecs(t, azuremlWorkspaceLegacyModeOff, amlWorkspace, []spec{
		{name: "unset", props: governedWorkspace},
		{name: "false", props: pt.With(governedWorkspace, "v1LegacyMode", false)},
		{name: "on", props: pt.With(governedWorkspace, "v1LegacyMode", true), violation: `v1LegacyMode: is true; set v1LegacyMode = false`},
		{name: "unknown", props: pt.With(governedWorkspace, "v1LegacyMode", pt.Unknown), unknown: "v1LegacyMode is unknown"},
	})
	runSpecs(t, azuremlWorkspaceVNetNoPublic, amlWorkspace, []spec{
		{name: "unset", props: governedWorkspace},
		{name: "false", props: pt.With(governedWorkspace, "allowPublicAccessWhenBehindVnet", false)},
		{name: "on", props: pt.With(governedWorkspace, "allowPublicAccessWhenBehindVnet", true), violation: `allowPublicAccessWhenBehindVnet: is true`},
		{name: "unknown", props: pt.With(governedWorkspace, "allowPublicAccessWhenBehindVnet", pt.Unknown), unknown: "allowPublicAccessWhenBehindVnet is unknown"},
	})
	uai := pt.With(pt.With(governedWorkspace, "identity.type", "UserAssigned"), "primaryUserAssignedIdentity", "/subscriptions/0000/resourceGroups/ml/providers/Microsoft.ManagedIdentity/userAssignedIdentities/ws")
	require := map[string]any{"require": true}
	runSpecs(t, azuremlWorkspaceUserAssignedIdentity, amlWorkspace, []spec{
		{name: "not required by default", props: governedWorkspace},
		{name: "user-assigned", props: uai, config: require},
		{name: "both", props: pt.With(uai, "identity.type", "SystemAssigned,UserAssigned"), config: require},
		{name: "system-assigned", props: governedWorkspace, config: require, violation: `identity.type: is "SystemAssigned"; set identity.type to "UserAssigned"`},
		{name: "no primary", props: pt.Without(uai, "primaryUserAssignedIdentity"), violation: `primaryUserAssignedIdentity: is not set`},
		{name: "unknown", props: pt.With(uai, "identity.type", pt.Unknown), config: require, unknown: "identity.type is unknown"},
		{name: "primary unknown", props: pt.With(uai, "primaryUserAssignedIdentity", pt.Unknown), unknown: "primaryUserAssignedIdentity is unknown"},
		{name: "secret type", props: pt.With(uai, "identity.type", pt.Secret("SystemAssigned")), config: require, violation: `is [secret]`},
	})
}

func TestAzureMLWorkspaceManagedNetwork(t *testing.T) {
	v3 := []providers.Major{providers.AzureNativeV3}
	isolated := pt.With(governedWorkspace, "managedNetwork", map[string]any{"isolationMode": "AllowOnlyApprovedOutbound"})
	internet := map[string]any{"isolationMode": "AllowInternetOutbound"}
	runSpecs(t, azuremlWorkspaceManagedNetwork, amlWorkspace, []spec{
		{name: "approved outbound only", props: isolated},
		{name: "unset", props: governedWorkspace, majors: v3, violation: `managedNetwork.isolationMode: is not set (unset means Disabled); set managedNetwork.isolationMode = "AllowOnlyApprovedOutbound"`},
		{name: "disabled", props: pt.With(isolated, "managedNetwork.isolationMode", "Disabled"), majors: v3, violation: `is "Disabled"`},
		{name: "internet outbound", props: pt.With(isolated, "managedNetwork", internet), majors: v3, violation: `is "AllowInternetOutbound"`},
		{name: "internet outbound configured", props: pt.With(isolated, "managedNetwork", internet), config: map[string]any{"isolationMode": "AllowInternetOutbound"}},
		{name: "stricter than configured", props: isolated, config: map[string]any{"isolationMode": "AllowInternetOutbound"}},
		{name: "unknown", props: pt.With(isolated, "managedNetwork", pt.Unknown), majors: v3, unknown: "managedNetwork.isolationMode is unknown"},
	})
	for _, tc := range []struct {
		token string
		want  int
	}{
		{amlWorkspace, 0}, // 2023-04-01 has no managed network
		{"azure-native:machinelearningservices/v20231001:Workspace", 1},
		{"azure-native:machinelearningservices/v20250101preview:Workspace", 1},
	} {
		got := pt.Check(azuremlWorkspaceManagedNetwork, withProvider(res(tc.token, "r", governedWorkspace, nil), "2.90.0"), nil)
		assert.Len(t, got.Violations, tc.want, tc.token)
	}
}

func TestAzureMLWorkspaceJoins(t *testing.T) {
	ws := res(amlWorkspace, "ws", governedWorkspace, nil)
	wsKnown := res(amlWorkspace, "ws", pt.With(governedWorkspace, "id", wsID), nil)
	diag := func(deps map[string]*policy.Resource, uri any) *policy.Resource {
		return res(providers.DiagnosticSetting, "diag", map[string]any{"resourceUri": uri, "workspaceId": pt.Unknown,
			"logs": []any{map[string]any{"categoryGroup": "allLogs", "enabled": true}}}, deps)
	}
	runStackSpecs(t, azuremlWorkspaceDiagnostics, []stackSpec{
		{name: "by dependency", resources: []*policy.Resource{ws, diag(map[string]*policy.Resource{"resourceUri": ws}, pt.Unknown)}},
		{name: "by known id", resources: []*policy.Resource{wsKnown, diag(nil, wsID)}},
		{name: "none (seed 003)", resources: []*policy.Resource{ws},
			violation: `azure-native:machinelearningservices:Workspace "ws": workspaceName: no diagnostic setting in the stack has the workspace as its resourceUri`},
		{name: "another resource's", resources: []*policy.Resource{wsKnown, diag(nil, "/subscriptions/0000/other")}, violation: `no diagnostic setting`},
		{name: "unknown uri, no dependency", resources: []*policy.Resource{ws, diag(nil, pt.Unknown)}, unknown: `the resourceUri of a diagnostic setting is unknown`},
		{name: "secret uri", resources: []*policy.Resource{wsKnown, diag(nil, pt.Secret(secretText))}, violation: `no diagnostic setting`},
	})
	pe := func(deps map[string]*policy.Resource, id any) *policy.Resource {
		return res(providers.PrivateEndpoint, "pe", map[string]any{"subnet": map[string]any{"id": "/subscriptions/0000/subnets/ml"},
			"privateLinkServiceConnections": []any{map[string]any{"name": "ws", "privateLinkServiceId": id, "groupIds": []any{"amlworkspace"}}}}, deps)
	}
	public := res(amlWorkspace, "ws", pt.With(governedWorkspace, "publicNetworkAccess", "Enabled"), nil)
	runStackSpecs(t, azuremlWorkspacePrivateEndpoint, []stackSpec{
		{name: "by dependency", resources: []*policy.Resource{ws, pe(map[string]*policy.Resource{"privateLinkServiceConnections": ws}, pt.Unknown)}},
		{name: "by known id", resources: []*policy.Resource{wsKnown, pe(nil, wsID)}},
		{name: "public workspace needs none", resources: []*policy.Resource{public}},
		{name: "none", resources: []*policy.Resource{ws},
			violation: `azure-native:machinelearningservices:Workspace "ws": publicNetworkAccess: is "Disabled" and no private endpoint in the stack connects to the workspace`},
		{name: "to something else", resources: []*policy.Resource{wsKnown, pe(nil, "/subscriptions/0000/other")}, violation: `no private endpoint`},
		{name: "unknown service, no dependency", resources: []*policy.Resource{ws, pe(nil, pt.Unknown)}, unknown: `a private endpoint's private link service is unknown`},
		{name: "access unknown", resources: []*policy.Resource{res(amlWorkspace, "ws", pt.With(governedWorkspace, "publicNetworkAccess", pt.Unknown), nil)}},
	})
}

func TestAzureMLWorkspaceCMK(t *testing.T) {
	cmk := pt.With(governedWorkspace, "encryption", map[string]any{"status": "Enabled", "keyVaultProperties": map[string]any{
		"keyVaultArmId": "/subscriptions/0000/resourceGroups/ml/providers/Microsoft.KeyVault/vaults/kv", "keyIdentifier": "https://kv.vault.azure.net/keys/ws/0123"}})
	require := map[string]any{"require": true}
	runSpecs(t, azuremlWorkspaceCMK, amlWorkspace, []spec{
		{name: "not required", props: governedWorkspace},
		{name: "CMK", props: cmk, config: require},
		{name: "required", props: governedWorkspace, config: require, violation: `encryption.status: is not set; set encryption.status = "Enabled"`},
		{name: "disabled", props: pt.With(cmk, "encryption.status", "Disabled"), config: require, violation: `is "Disabled"`},
		{name: "no key", props: pt.Without(cmk, "encryption.keyVaultProperties.keyIdentifier"), violation: `encryption.keyVaultProperties.keyIdentifier: is not set; set it to the key's URI`},
		{name: "no vault", props: pt.With(cmk, "encryption.keyVaultProperties.keyVaultArmId", ""), violation: `keyVaultArmId: is ""`},
		{name: "unknown", props: pt.With(cmk, "encryption", pt.Unknown), unknown: "encryption.status is unknown"},
		{name: "secret key", props: pt.With(cmk, "encryption.keyVaultProperties.keyIdentifier", pt.Secret(secretText))},
	})
}
