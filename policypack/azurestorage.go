package policypack

import (
	"fmt"
	"slices"
	"strings"

	"github.com/mlguard/mlguard/policy"
	"github.com/mlguard/mlguard/providers"
)

const (
	azStorageAccount = "azure-native:storage:StorageAccount"
	azKeyVault       = "azure-native:keyvault:Vault"
)

func azureStoragePolicies() []*policy.Policy {
	return []*policy.Policy{azureStorageSecureTransport, azureStorageNoPublicBlob, azureKeyVaultPurgeProtection,
		azureKeyVaultRBAC, azureKeyVaultSoftDelete, azureKeyVaultPrivate, azureStoragePrivate, azureStorageSharedKeyDisabled, azureStorageHBIPrivate}
}

var azureStorageSecureTransport = &policy.Policy{
	Name:             "azure-storage-secure-transport",
	DisplayName:      "Azure storage accounts require HTTPS and TLS 1.2",
	Description:      "Azure storage accounts accept HTTPS only (enableHttpsTrafficOnly not false) with at least TLS 1.2 (minimumTlsVersion = TLS1_2 or TLS1_3).",
	Severity:         policy.High,
	EnforcementLevel: policy.Mandatory,
	RemediationSteps: "Set enable_https_traffic_only=True and minimum_tls_version=\"TLS1_2\".",
	URL:              docsURL + "azure-storage-secure-transport",
	Controls:         []policy.Control{azurePolicy("Secure transfer to storage accounts should be enabled"), azurePolicy("Storage accounts should have the specified minimum TLS version"), checkov("CKV_AZURE_3"), checkov("CKV_AZURE_44"), psrule("Azure.Storage.SecureTransfer"), psrule("Azure.Storage.MinTLS")},
	Tags:             []string{"azure-storage", "encryption", "network"},
	Resource: &policy.ResourceRule{
		Types: []string{azStorageAccount},
		Validate: func(c *policy.Check) {
			requireBool(c, "enableHttpsTrafficOnly", true, true, "set enableHttpsTrafficOnly = true")
			v, ok := c.Known("minimumTlsVersion")
			if !ok {
				return
			}
			if s := str(v); s != "TLS1_2" && s != "TLS1_3" {
				c.Violatef(v, "is %s; set minimumTlsVersion = \"TLS1_2\"", v.Display())
			}
		},
	},
}

var azureStorageNoPublicBlob = &policy.Policy{
	Name:             "azure-storage-no-public-blob",
	DisplayName:      "Azure storage accounts forbid anonymous blob access",
	Description:      "Azure storage accounts set allowBlobPublicAccess = false, so no container can be made anonymously readable.",
	Severity:         policy.High,
	EnforcementLevel: policy.Mandatory,
	RemediationSteps: "Set allow_blob_public_access=False; share data with SAS tokens or Entra ID roles instead.",
	URL:              docsURL + "azure-storage-no-public-blob",
	Controls:         []policy.Control{azurePolicy("Storage account public access should be disallowed"), checkov("CKV_AZURE_190"), psrule("Azure.Storage.BlobPublicAccess")},
	Tags:             []string{"azure-storage", "public-access"},
	Resource: &policy.ResourceRule{
		Types: []string{azStorageAccount},
		Validate: func(c *policy.Check) {
			requireBool(c, "allowBlobPublicAccess", false, false, "set allowBlobPublicAccess = false")
		},
	},
}

var azureKeyVaultPurgeProtection = &policy.Policy{
	Name:             "azure-keyvault-purge-protection",
	DisplayName:      "Azure key vaults have purge protection",
	Description:      "Azure key vaults holding workspace and data keys enable purge protection (properties.enablePurgeProtection = true), so deleted keys cannot be purged during the retention period.",
	Severity:         policy.Medium,
	EnforcementLevel: policy.Advisory,
	RemediationSteps: "Set properties.enable_purge_protection=True (it cannot be turned off again) and keep soft delete on.",
	URL:              docsURL + "azure-keyvault-purge-protection",
	Controls:         []policy.Control{azurePolicy("Key Vault objects should be recoverable"), checkov("CKV_AZURE_110"), psrule("Azure.KeyVault.PurgeProtect")},
	Tags:             []string{"azure-keyvault", "encryption"},
	Resource: &policy.ResourceRule{
		Types: []string{azKeyVault},
		Validate: func(c *policy.Check) {
			requireBool(c, "properties.enablePurgeProtection", true, false, "set properties.enablePurgeProtection = true")
		},
	},
}

var azureKeyVaultRBAC = &policy.Policy{
	Name:             "azure-keyvault-rbac",
	DisplayName:      "Azure key vaults authorize with Azure RBAC",
	Description:      "Azure key vaults set properties.enableRbacAuthorization = true, so that access to keys and secrets is granted by role assignments, audited and scoped like every other Azure permission, instead of by vault access policies. Advisory: existing access policies must be migrated to role assignments first.",
	Severity:         policy.Medium,
	EnforcementLevel: policy.Advisory,
	RemediationSteps: "Set properties.enable_rbac_authorization=True and grant Key Vault Secrets User / Crypto User roles instead of access_policies.",
	URL:              docsURL + "azure-keyvault-rbac",
	Controls:         []policy.Control{azurePolicy("[Preview]: Azure Key Vault should use RBAC permission model"), psrule("Azure.KeyVault.RBAC")},
	Tags:             []string{"azure-keyvault", "identity"},
	Resource: &policy.ResourceRule{
		Types: []string{azKeyVault},
		Validate: func(c *policy.Check) {
			requireBool(c, "properties.enableRbacAuthorization", true, false, "set properties.enableRbacAuthorization = true")
		},
	},
}

var azureKeyVaultSoftDelete = &policy.Policy{
	Name:             "azure-keyvault-soft-delete",
	DisplayName:      "Azure key vaults keep soft delete on",
	Description:      "Azure key vaults leave properties.enableSoftDelete unset or true, with properties.softDeleteRetentionInDays, when set, between 7 and 90. Mandatory: Azure no longer lets soft delete be turned off and refuses other retention periods, so the deployment would fail.",
	Severity:         policy.High,
	EnforcementLevel: policy.Mandatory,
	RemediationSteps: "Remove enable_soft_delete=False (or set it to True) and keep soft_delete_retention_in_days between 7 and 90.",
	URL:              docsURL + "azure-keyvault-soft-delete",
	Controls:         []policy.Control{azurePolicy("Key vaults should have soft delete enabled"), checkov("CKV_AZURE_111"), psrule("Azure.KeyVault.SoftDelete")},
	Tags:             []string{"azure-keyvault", "deployment", "recovery"},
	Resource: &policy.ResourceRule{
		Types: []string{azKeyVault},
		Validate: func(c *policy.Check) {
			requireBool(c, "properties.enableSoftDelete", true, true, "set properties.enableSoftDelete = true: Azure refuses to turn soft delete off")
			v, ok := c.Known("properties.softDeleteRetentionInDays")
			if !ok || v.IsAbsent() {
				return
			}
			if n, isNum := v.Num(); !isNum || n < 7 || n > 90 {
				c.Violatef(v, "is %s; set properties.softDeleteRetentionInDays between 7 and 90", v.Display())
			}
		},
	},
}

var azureKeyVaultPrivate = &policy.Policy{
	Name:             "azure-keyvault-private",
	DisplayName:      "Azure key vaults are not open to the internet",
	Description:      "Azure key vaults set properties.publicNetworkAccess = Disabled, or a firewall that denies by default (properties.networkAcls.defaultAction = Deny) so that only listed networks and trusted Azure services reach the keys. Advisory: deploying runners and applications must reach the vault privately first.",
	Severity:         policy.High,
	EnforcementLevel: policy.Advisory,
	RemediationSteps: "Set properties.public_network_access=\"Disabled\" with a private endpoint, or properties.network_acls={\"default_action\": \"Deny\", \"bypass\": \"AzureServices\", \"ip_rules\": [...]}.",
	URL:              docsURL + "azure-keyvault-private",
	Controls:         []policy.Control{azurePolicy("Azure Key Vault should have firewall enabled"), checkov("CKV_AZURE_109"), checkov("CKV_AZURE_189"), psrule("Azure.KeyVault.Firewall")},
	Tags:             []string{"azure-keyvault", "network", "public-access"},
	Resource: &policy.ResourceRule{
		Types: []string{azKeyVault},
		Validate: func(c *policy.Check) {
			requirePrivate(c, "properties.publicNetworkAccess", "properties.networkAcls.defaultAction")
		},
	},
}

var azureStoragePrivate = &policy.Policy{
	Name:             "azure-storage-private",
	DisplayName:      "Azure storage accounts are not open to the internet",
	Description:      "Azure storage accounts set publicNetworkAccess = Disabled, or a firewall that denies by default (networkRuleSet.defaultAction = Deny) so that only listed networks and trusted Azure services reach the data. Advisory: deploying runners and compute must reach the account privately first (the storage of an HBI workspace is azure-storage-hbi-private's, mandatory).",
	Severity:         policy.High,
	EnforcementLevel: policy.Advisory,
	RemediationSteps: "Set public_network_access=\"Disabled\" with private endpoints, or network_rule_set={\"default_action\": \"Deny\", \"bypass\": \"AzureServices\", \"ip_rules\": [...]}.",
	URL:              docsURL + "azure-storage-private",
	Controls:         []policy.Control{azurePolicy("Storage accounts should restrict network access"), azurePolicy("Storage accounts should disable public network access"), checkov("CKV_AZURE_35"), checkov("CKV_AZURE_59"), psrule("Azure.Storage.Firewall")},
	Tags:             []string{"azure-storage", "network", "public-access"},
	Resource: &policy.ResourceRule{
		Types: []string{azStorageAccount},
		Validate: func(c *policy.Check) {
			requirePrivate(c, "publicNetworkAccess", "networkRuleSet.defaultAction")
		},
	},
}

// datastoreAccountName is the storage account an Azure ML datastore reads.
const datastoreAccountName = "accountName"

var azureStorageSharedKeyDisabled = &policy.Policy{
	Name:             "azure-storage-shared-key-disabled",
	DisplayName:      "Storage accounts behind Azure ML datastores accept no shared keys",
	Description:      "Azure storage accounts that an Azure ML datastore of the stack reads (its accountName names the account, by property dependency or equal known name) set allowSharedKeyAccess = false (unset means true), so that ML data is reached only with Entra ID identities. A workspace's own default storage is not judged: its system datastores use the account key with the workspace API versions of azure-native v2. Advisory: every client of the account must use Entra ID first.",
	Severity:         policy.Medium,
	EnforcementLevel: policy.Advisory,
	RemediationSteps: "Set allow_shared_key_access=False on the account and use identity-based datastores (credentials={\"credentials_type\": \"None\"}).",
	URL:              docsURL + "azure-storage-shared-key-disabled",
	Controls:         []policy.Control{azurePolicy("Storage accounts should prevent shared key access")},
	Tags:             []string{"azure-storage", "azure-ml", "identity"},
	Stack: func(c *policy.StackCheck) {
		for _, sa := range c.OfType(azStorageAccount) {
			stores, undecided := datastoresOf(c, sa)
			switch {
			case len(stores) > 0:
				v, ok := c.Known(sa, "allowSharedKeyAccess")
				if ok && !isFalse(v) {
					c.Violatef(sa, v, "is %s; set allowSharedKeyAccess = false: Azure ML datastore %q reads the account", v.Display(), stores[0].Name)
				}
			case undecided:
				c.NotApplicable(fmt.Sprintf("%s %q: the account name of an Azure ML datastore is unknown", sa.Type, sa.Name))
			}
		}
	},
}

// datastoreIndex is the stack's Azure ML datastores by the storage account
// they read: the URNs their properties were computed from, and their known
// account names.
type datastoreIndex struct {
	byURN, byName map[string][]*policy.Resource
	undecided     bool // some datastore's account name is unknown and depends on nothing
}

// datastoresOf returns the Azure ML datastores whose account name names sa:
// by a property dependency on it, or by an equal known account name.
func datastoresOf(c *policy.StackCheck, sa *policy.Resource) (found []*policy.Resource, undecided bool) {
	x := policy.Memo(c, "datastores-by-account", func() *datastoreIndex {
		x := &datastoreIndex{byURN: map[string][]*policy.Resource{}, byName: map[string][]*policy.Resource{}}
		for _, ds := range c.OfType(providers.AMLDatastore) {
			var deps []string
			for _, in := range providers.AMLDatastoreProperties.Inputs(ds) {
				deps = append(deps, ds.PropertyDependencies[in]...)
			}
			for _, urn := range slices.Compact(slices.Sorted(slices.Values(deps))) {
				x.byURN[urn] = append(x.byURN[urn], ds)
			}
			for _, props := range providers.AMLDatastoreProperties.Values(ds) {
				switch name := props.Get(datastoreAccountName); {
				case name.HasUnknown():
					x.undecided = x.undecided || len(deps) == 0
				case str(name) != "":
					x.byName[str(name)] = append(x.byName[str(name)], ds)
				}
			}
		}
		return x
	})
	found = append(found, x.byURN[sa.URN]...)
	if name := str(sa.Get("accountName")); name != "" {
		found = append(found, x.byName[name]...)
	}
	return found, x.undecided
}

var azureStorageHBIPrivate = &policy.Policy{
	Name:             "azure-storage-hbi-private",
	DisplayName:      "The storage of a high-business-impact Azure ML workspace is not public",
	Description:      "The storage account of an Azure ML workspace with hbiWorkspace = true (its storageAccount, by property dependency or equal known id) sets publicNetworkAccess = Disabled. Mandatory: an HBI workspace holds sensitive data, and its default storage holds its datasets, snapshots and outputs.",
	Severity:         policy.High,
	EnforcementLevel: policy.Mandatory,
	RemediationSteps: "Set public_network_access=\"Disabled\" on the workspace's storage account and add private endpoints (blob, file) for it.",
	URL:              docsURL + "azure-storage-hbi-private",
	Controls:         []policy.Control{azurePolicy("Storage accounts should disable public network access"), checkov("CKV_AZURE_59")},
	Tags:             []string{"azure-storage", "azure-ml", "data-classification", "public-access"},
	Stack: func(c *policy.StackCheck) {
		for _, ws := range c.OfType(providers.AMLWorkspace) {
			if hbi := ws.Get("hbiWorkspace"); hbi.HasUnknown() || !isTrue(hbi) {
				continue
			}
			accounts, undecided := workspaceStorage(c, ws)
			for _, sa := range accounts {
				v, ok := c.Known(sa, "publicNetworkAccess")
				if ok && str(v) != "Disabled" {
					c.Violatef(sa, v, "is %s; set publicNetworkAccess = \"Disabled\": it is the storage of high-business-impact workspace %q", v.Display(), ws.Name)
				}
			}
			if len(accounts) == 0 && undecided {
				c.NotApplicable(fmt.Sprintf("%s %q: its storageAccount is unknown", ws.Type, ws.Name))
			}
		}
	},
}

// workspaceStorage returns the storage accounts of the stack that ws's
// storageAccount names, and whether it could name one that cannot be told.
func workspaceStorage(c *policy.StackCheck, ws *policy.Resource) (found []*policy.Resource, undecided bool) {
	for _, urn := range ws.PropertyDependencies["storageAccount"] {
		if r := c.ByURN(urn); r != nil && r.Kind == azStorageAccount {
			found = append(found, r)
		}
	}
	if len(found) > 0 {
		return found, false
	}
	id := ws.Get("storageAccount")
	if id.HasUnknown() {
		return nil, true
	}
	if str(id) == "" {
		return nil, false
	}
	byID := policy.Memo(c, "storage-accounts-by-id", func() map[string][]*policy.Resource {
		out := map[string][]*policy.Resource{}
		for _, sa := range c.OfType(azStorageAccount) {
			if s := str(sa.Get("id")); s != "" {
				out[strings.ToLower(s)] = append(out[strings.ToLower(s)], sa)
			}
		}
		return out
	})
	return byID[strings.ToLower(str(id))], false
}
