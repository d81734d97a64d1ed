package policypack

import (
	"strings"

	"github.com/mlguard/mlguard/policy"
	"github.com/mlguard/mlguard/providers"
)

// Azure Container Registry holds the model images online endpoints and
// compute pull.
const acrRegistry = providers.ContainerRegistry

func containerRegistryPolicies() []*policy.Policy {
	return []*policy.Policy{acrAdminUserDisabled, acrAnonymousPullDisabled, acrPrivate, acrRetentionPolicy, acrCMK}
}

var acrAdminUserDisabled = &policy.Policy{
	Name:             "acr-admin-user-disabled",
	DisplayName:      "Container registries have no admin user",
	Description:      "Azure container registries leave adminUserEnabled unset or false: the admin user is one shared username and password with push and pull rights on every repository, outside Entra ID and its audit. Advisory: pipelines that log in with it must move to a managed identity or token first.",
	Severity:         policy.High,
	EnforcementLevel: policy.Advisory,
	RemediationSteps: "Set admin_user_enabled=False and grant AcrPull/AcrPush roles to the identities of the workspace, compute and pipelines.",
	URL:              docsURL + "acr-admin-user-disabled",
	Controls:         []policy.Control{azurePolicy("Container registries should have local admin account disabled."), checkov("CKV_AZURE_137"), psrule("Azure.ACR.AdminUser")},
	Tags:             []string{"container-registry", "identity"},
	Resource: &policy.ResourceRule{
		Types: []string{acrRegistry},
		Validate: func(c *policy.Check) {
			requireBool(c, "adminUserEnabled", false, true, "set adminUserEnabled = false and use role assignments (AcrPull, AcrPush)")
		},
	},
}

var acrAnonymousPullDisabled = &policy.Policy{
	Name:             "acr-anonymous-pull-disabled",
	DisplayName:      "Container registries allow no anonymous pull",
	Description:      "Azure container registries leave anonymousPullEnabled unset or false (API versions that have it: azure-native v3, v2's 2023 and later previews). Mandatory: anonymous pull lets anyone who can reach the registry download every model image, with the weights and code inside.",
	Severity:         policy.High,
	EnforcementLevel: policy.Mandatory,
	RemediationSteps: "Set anonymous_pull_enabled=False (or remove it) and grant AcrPull to the identities that pull.",
	URL:              docsURL + "acr-anonymous-pull-disabled",
	Controls:         []policy.Control{azurePolicy("Container registries should have anonymous authentication disabled."), checkov("CKV_AZURE_138"), psrule("Azure.ACR.AnonymousAccess")},
	Tags:             []string{"container-registry", "public-access"},
	Resource: &policy.ResourceRule{
		Types: []string{acrRegistry},
		Validate: func(c *policy.Check) {
			for _, v := range providers.ACRAnonymousPull.Values(c.Resource) {
				if !c.KnownValue(v) {
					return
				}
				if !isFalse(v) {
					c.Violatef(v, "is %s; set anonymousPullEnabled = false", v.Display())
				}
			}
		},
	},
}

// denyByDefault reports whether a network rule set's default action (at
// path) is Deny; ok is false when it is unknown.
func denyByDefault(c *policy.Check, path string) (deny, ok bool) {
	v, ok := c.Known(path)
	return ok && strings.EqualFold(str(v), "Deny"), ok
}

// requirePrivate reports a resource whose public network access (at access)
// is not Disabled and whose firewall (defaultAction at action) does not deny
// by default.
func requirePrivate(c *policy.Check, access, action string) {
	v, ok := c.Known(access)
	if !ok || str(v) == "Disabled" {
		return
	}
	deny, ok := denyByDefault(c, action)
	if !ok || deny {
		return
	}
	c.Violatef(v, "is %s and %s is %s; set %s = \"Disabled\", or %s = \"Deny\" with the networks allowed listed", v.Display(), action, c.Get(action).Display(), access, action)
}

var acrPrivate = &policy.Policy{
	Name:             "acr-private",
	DisplayName:      "Container registries are not open to the internet",
	Description:      "Azure container registries set publicNetworkAccess = Disabled, or a network rule set that denies by default (networkRuleSet.defaultAction = Deny, Premium SKU) so that only listed networks reach the model images. Advisory: builds and deployments must reach the registry privately first.",
	Severity:         policy.High,
	EnforcementLevel: policy.Advisory,
	RemediationSteps: "Set public_network_access=\"Disabled\" and add a private endpoint, or network_rule_set={\"default_action\": \"Deny\", \"ip_rules\": [...]} on a Premium registry.",
	URL:              docsURL + "acr-private",
	Controls:         []policy.Control{azurePolicy("Container registries should not allow unrestricted network access"), azurePolicy("Public network access should be disabled for Container registries"), checkov("CKV_AZURE_139"), psrule("Azure.ACR.Firewall")},
	Tags:             []string{"container-registry", "network", "public-access"},
	Resource: &policy.ResourceRule{
		Types: []string{acrRegistry},
		Validate: func(c *policy.Check) {
			requirePrivate(c, "publicNetworkAccess", "networkRuleSet.defaultAction")
		},
	},
}

var acrRetentionPolicy = &policy.Policy{
	Name:             "acr-retention-policy",
	DisplayName:      "Container registries purge untagged manifests",
	Description:      "Azure container registries enable the retention policy for untagged manifests (policies.retentionPolicy.status = enabled, Premium SKU), so that superseded model images do not pile up. Advisory: storage hygiene.",
	Severity:         policy.Low,
	EnforcementLevel: policy.Advisory,
	RemediationSteps: "Set policies={\"retention_policy\": {\"status\": \"enabled\", \"days\": 30}} on a Premium registry.",
	URL:              docsURL + "acr-retention-policy",
	Controls:         []policy.Control{checkov("CKV_AZURE_167"), psrule("Azure.ACR.Retention")},
	Tags:             []string{"container-registry", "cost"},
	Resource: &policy.ResourceRule{
		Types: []string{acrRegistry},
		Validate: func(c *policy.Check) {
			v, ok := c.Known("policies.retentionPolicy.status")
			if ok && !strings.EqualFold(str(v), "enabled") {
				c.Violatef(v, "is %s; set policies.retentionPolicy.status = \"enabled\"", v.Display())
			}
		},
	},
}

var acrCMK = &policy.Policy{
	Name:             "acr-customer-managed-key",
	DisplayName:      "Container registries encrypted with a customer-managed key name the key and its identity",
	Description:      "An Azure container registry configured for a customer-managed key (encryption.status = enabled) names the key (encryption.keyVaultProperties.keyIdentifier) and the user-assigned identity that reads it (encryption.keyVaultProperties.identity), without which Azure refuses it; with require set, every registry has one. Off by default: CMK is a Premium feature most registries do without. Advisory: key management, not an exposure.",
	Severity:         policy.Medium,
	EnforcementLevel: policy.Advisory,
	RemediationSteps: "Set encryption={\"status\": \"enabled\", \"key_vault_properties\": {\"key_identifier\": key.key_uri, \"identity\": uai.client_id}} with identity={\"type\": \"UserAssigned\", ...} on a Premium registry.",
	URL:              docsURL + "acr-customer-managed-key",
	Controls:         []policy.Control{azurePolicy("Container registries should be encrypted with a customer-managed key")},
	Tags:             []string{"container-registry", "encryption"},
	Config:           cmkConfigSchema("container registry"),
	Resource: &policy.ResourceRule{
		Types: []string{acrRegistry},
		Validate: func(c *policy.Check) {
			requireCustomerManagedKey(c, "enabled",
				keySetting{"encryption.keyVaultProperties.keyIdentifier", "set it to the key vault key's URI"},
				keySetting{"encryption.keyVaultProperties.identity", "set it to the client id of the user-assigned identity that reads the key"})
		},
	},
}
