package policypack

import (
	"testing"

	"github.com/mlguard/mlguard/policy"
	pt "github.com/mlguard/mlguard/policy/policytest"
	"github.com/mlguard/mlguard/providers"
)

func TestAzureKeyVaultAccess(t *testing.T) {
	kv := map[string]any{"vaultName": "ml-kv", "resourceGroupName": pt.Unknown, "location": "westeurope", "properties": map[string]any{
		"tenantId": "99999999-8888-7777-6666-555555555555", "sku": map[string]any{"family": "A", "name": "standard"},
		"enableRbacAuthorization": true, "enableSoftDelete": true, "softDeleteRetentionInDays": 90, "enablePurgeProtection": true,
		"publicNetworkAccess": "Disabled", "networkAcls": map[string]any{"bypass": "AzureServices", "defaultAction": "Deny"}}}
	runSpecs(t, azureKeyVaultRBAC, azKeyVault, []spec{
		{name: "RBAC", props: kv},
		{name: "access policies", props: pt.With(kv, "properties.enableRbacAuthorization", false), violation: `azure-native:keyvault:Vault "r": properties.enableRbacAuthorization: is false; set properties.enableRbacAuthorization = true`},
		{name: "unset", props: pt.Without(kv, "properties.enableRbacAuthorization"), violation: `is not set`},
		{name: "unknown", props: pt.With(kv, "properties.enableRbacAuthorization", pt.Unknown), unknown: "enableRbacAuthorization is unknown"},
	})
	runSpecs(t, azureKeyVaultSoftDelete, azKeyVault, []spec{
		{name: "on", props: kv},
		{name: "default", props: pt.Without(pt.Without(kv, "properties.enableSoftDelete"), "properties.softDeleteRetentionInDays")},
		{name: "off", props: pt.With(kv, "properties.enableSoftDelete", false), violation: `properties.enableSoftDelete: is false; set properties.enableSoftDelete = true: Azure refuses`},
		{name: "too short", props: pt.With(kv, "properties.softDeleteRetentionInDays", 3), violation: `properties.softDeleteRetentionInDays: is 3; set properties.softDeleteRetentionInDays between 7 and 90`},
		{name: "too long", props: pt.With(kv, "properties.softDeleteRetentionInDays", 365), violation: `is 365`},
		{name: "shortest allowed", props: pt.With(kv, "properties.softDeleteRetentionInDays", 7)},
		{name: "one day past the longest", props: pt.With(kv, "properties.softDeleteRetentionInDays", 91), violation: `is 91`},
		{name: "one day short of the shortest", props: pt.With(kv, "properties.softDeleteRetentionInDays", 6), violation: `is 6`},
		{name: "unknown", props: pt.With(kv, "properties.softDeleteRetentionInDays", pt.Unknown), unknown: "softDeleteRetentionInDays is unknown"},
	})
	open := pt.Without(pt.Without(kv, "properties.publicNetworkAccess"), "properties.networkAcls")
	runSpecs(t, azureKeyVaultPrivate, azKeyVault, []spec{
		{name: "disabled", props: kv},
		{name: "firewall", props: pt.With(open, "properties.networkAcls.defaultAction", "Deny")},
		{name: "open", props: open, violation: `properties.publicNetworkAccess: is not set and properties.networkAcls.defaultAction is not set`},
		{name: "unknown", props: pt.With(kv, "properties.publicNetworkAccess", pt.Unknown), unknown: "publicNetworkAccess is unknown"},
	})
}

// mlData is the azure-ml stack's storage account: private, shared keys on
// (its workspace's system datastores need them).
var mlData = map[string]any{"resourceGroupName": pt.Unknown, "location": "westeurope", "kind": "StorageV2",
	"sku": map[string]any{"name": "Standard_LRS"}, "enableHttpsTrafficOnly": true, "minimumTlsVersion": "TLS1_2",
	"allowBlobPublicAccess": false, "allowSharedKeyAccess": true, "publicNetworkAccess": "Disabled",
	"networkRuleSet": map[string]any{"bypass": "AzureServices", "defaultAction": "Deny"}}

func TestAzureStorageNetwork(t *testing.T) {
	open := pt.Without(pt.Without(mlData, "publicNetworkAccess"), "networkRuleSet")
	runSpecs(t, azureStoragePrivate, azStorageAccount, []spec{
		{name: "disabled", props: mlData},
		{name: "firewall", props: pt.With(open, "networkRuleSet.defaultAction", "Deny")},
		{name: "open", props: open, violation: `azure-native:storage:StorageAccount "r": publicNetworkAccess: is not set and networkRuleSet.defaultAction is not set`},
		{name: "enabled, allow", props: pt.With(pt.With(open, "publicNetworkAccess", "Enabled"), "networkRuleSet.defaultAction", "Allow"), violation: `is "Enabled" and networkRuleSet.defaultAction is "Allow"`},
		{name: "unknown", props: pt.With(open, "networkRuleSet", pt.Unknown), unknown: "networkRuleSet.defaultAction is unknown"},
	})

	account := res(azStorageAccount, "mldata", mlData, nil)
	named := res(azStorageAccount, "mldata", pt.With(pt.With(mlData, "accountName", "mldata1"), "allowSharedKeyAccess", false), nil)
	datastore := func(props map[string]any, deps map[string]*policy.Resource) *policy.Resource {
		return res(providers.AMLDatastore, "training", map[string]any{"name": "training", "workspaceName": pt.Unknown, "resourceGroupName": pt.Unknown,
			"datastoreProperties": props}, deps)
	}
	blob := map[string]any{"datastoreType": "AzureBlob", "accountName": pt.Unknown, "containerName": "datasets", "credentials": map[string]any{"credentialsType": "None"}}
	v2 := []providers.Major{providers.AzureNativeV2}
	runStackSpecs(t, azureStorageSharedKeyDisabled, []stackSpec{
		{name: "no datastore: the workspace's own storage", resources: []*policy.Resource{account}},
		{name: "datastore by dependency", resources: []*policy.Resource{account, datastore(blob, map[string]*policy.Resource{"datastoreProperties": account})}, majors: v2,
			violation: `azure-native:storage:StorageAccount "mldata": allowSharedKeyAccess: is true; set allowSharedKeyAccess = false: Azure ML datastore "training" reads the account`},
		{name: "datastore by name, keys off", resources: []*policy.Resource{named, datastore(pt.With(blob, "accountName", "mldata1"), nil)}, majors: v2},
		{name: "datastore by name, keys unset", resources: []*policy.Resource{res(azStorageAccount, "mldata", pt.Without(pt.With(mlData, "accountName", "mldata1"), "allowSharedKeyAccess"), nil),
			datastore(pt.With(blob, "accountName", "mldata1"), nil)}, majors: v2, violation: `allowSharedKeyAccess: is not set`},
		{name: "another account's datastore", resources: []*policy.Resource{named, datastore(pt.With(blob, "accountName", "other"), nil)}, majors: v2},
		{name: "account name unknown", resources: []*policy.Resource{account, datastore(blob, nil)}, majors: v2, unknown: `the account name of an Azure ML datastore is unknown`},
	})

	hbi := res(amlWorkspace, "ws", pt.With(governedWorkspace, "storageAccount", pt.Unknown), nil)
	hbi.PropertyDependencies = map[string][]string{"storageAccount": {account.URN}}
	publicAccount := res(azStorageAccount, "mldata", pt.With(mlData, "publicNetworkAccess", "Enabled"), nil)
	const saID = "/subscriptions/0000/resourceGroups/ml/providers/Microsoft.Storage/storageAccounts/mldata1"
	runStackSpecs(t, azureStorageHBIPrivate, []stackSpec{
		{name: "private", resources: []*policy.Resource{account, hbi}},
		{name: "public, by dependency", resources: []*policy.Resource{publicAccount, hbi},
			violation: `azure-native:storage:StorageAccount "mldata": publicNetworkAccess: is "Enabled"; set publicNetworkAccess = "Disabled": it is the storage of high-business-impact workspace "ws"`},
		{name: "firewall is not enough", resources: []*policy.Resource{res(azStorageAccount, "mldata", pt.Without(mlData, "publicNetworkAccess"), nil), hbi}, violation: `publicNetworkAccess: is not set`},
		{name: "public, by known id", resources: []*policy.Resource{res(azStorageAccount, "mldata", pt.With(pt.With(mlData, "publicNetworkAccess", "Enabled"), "id", saID), nil),
			res(amlWorkspace, "ws", pt.With(governedWorkspace, "storageAccount", saID), nil)}, violation: `is "Enabled"`},
		{name: "not HBI", resources: []*policy.Resource{publicAccount, res(amlWorkspace, "ws", pt.With(pt.With(governedWorkspace, "hbiWorkspace", false), "storageAccount", pt.Unknown), map[string]*policy.Resource{"storageAccount": publicAccount})}},
		{name: "storage unknown", resources: []*policy.Resource{publicAccount, res(amlWorkspace, "ws", pt.With(governedWorkspace, "storageAccount", pt.Unknown), nil)}, unknown: `its storageAccount is unknown`},
	})
}
