package policypack

import "github.com/mlguard/mlguard/policy"

const (
	azStorageAccount = "azure-native:storage:StorageAccount"
	azKeyVault       = "azure-native:keyvault:Vault"
)

func azureStoragePolicies() []*policy.Policy {
	return []*policy.Policy{azureStorageSecureTransport, azureStorageNoPublicBlob, azureKeyVaultPurgeProtection}
}

var azureStorageSecureTransport = &policy.Policy{
	Name:             "azure-storage-secure-transport",
	DisplayName:      "Azure storage accounts require HTTPS and TLS 1.2",
	Description:      "Azure storage accounts accept HTTPS only (enableHttpsTrafficOnly not false) with at least TLS 1.2 (minimumTlsVersion = TLS1_2 or TLS1_3).",
	Severity:         policy.High,
	EnforcementLevel: policy.Mandatory,
	RemediationSteps: "Set enable_https_traffic_only=True and minimum_tls_version=\"TLS1_2\".",
	URL:              docsURL + "azure-storage-secure-transport",
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
	Tags:             []string{"azure-keyvault", "encryption"},
	Resource: &policy.ResourceRule{
		Types: []string{azKeyVault},
		Validate: func(c *policy.Check) {
			requireBool(c, "properties.enablePurgeProtection", true, false, "set properties.enablePurgeProtection = true")
		},
	},
}
