package policypack

import (
	"strings"

	"github.com/mlguard/mlguard/policy"
	"github.com/mlguard/mlguard/providers"
)

// Azure AI services and Azure OpenAI accounts (cognitiveservices:Account,
// kind OpenAI, AIServices, ...) and their model deployments.
const (
	aiAccount    = providers.CognitiveAccount
	aiDeployment = providers.CognitiveDeploy
)

func aiServicesPolicies() []*policy.Policy {
	return []*policy.Policy{aiServicesLocalAuthDisabled, aiServicesPrivate, aiServicesCMK, aiServicesManagedIdentity,
		aiServicesOutboundRestricted, aiDeploymentContentFilter}
}

var aiServicesLocalAuthDisabled = &policy.Policy{
	Name:             "ai-services-local-auth-disabled",
	DisplayName:      "Azure AI services accounts accept no API keys",
	Description:      "Azure AI services and Azure OpenAI accounts set properties.disableLocalAuth = true, so that callers authenticate with Entra ID and every call is attributable; API keys are shared, long-lived and bypass role assignments. Advisory: applications must move to token authentication first.",
	Severity:         policy.High,
	EnforcementLevel: policy.Advisory,
	RemediationSteps: "Set properties={\"disable_local_auth\": True, ...} and grant callers Cognitive Services OpenAI User (or the service's user role).",
	URL:              docsURL + "ai-services-local-auth-disabled",
	Controls:         []policy.Control{azurePolicy("Azure AI Services resources should have key access disabled (disable local authentication)"), psrule("Azure.AI.DisableLocalAuth")},
	Tags:             []string{"ai-services", "identity"},
	Resource: &policy.ResourceRule{
		Types: []string{aiAccount},
		Validate: func(c *policy.Check) {
			requireBool(c, "properties.disableLocalAuth", true, false, "set properties.disableLocalAuth = true")
		},
	},
}

var aiServicesPrivate = &policy.Policy{
	Name:             "ai-services-private",
	DisplayName:      "Azure AI services accounts are not open to the internet",
	Description:      "Azure AI services and Azure OpenAI accounts set properties.publicNetworkAccess = Disabled, or network ACLs that deny by default (properties.networkAcls.defaultAction = Deny) so that only listed networks reach the models and the data sent to them. Advisory: callers must reach the account privately first.",
	Severity:         policy.High,
	EnforcementLevel: policy.Advisory,
	RemediationSteps: "Set properties.public_network_access=\"Disabled\" with a private endpoint, or properties.network_acls={\"default_action\": \"Deny\", \"ip_rules\": [...], \"virtual_network_rules\": [...]}.",
	URL:              docsURL + "ai-services-private",
	Controls:         []policy.Control{azurePolicy("Azure AI Services resources should restrict network access"), checkov("CKV_AZURE_134"), psrule("Azure.AI.PublicAccess")},
	Tags:             []string{"ai-services", "network", "public-access"},
	Resource: &policy.ResourceRule{
		Types: []string{aiAccount},
		Validate: func(c *policy.Check) {
			requirePrivate(c, "properties.publicNetworkAccess", "properties.networkAcls.defaultAction")
		},
	},
}

var aiServicesCMK = &policy.Policy{
	Name:             "ai-services-customer-managed-key",
	DisplayName:      "Azure AI services accounts encrypt with a customer-managed key",
	Description:      "Azure AI services and Azure OpenAI accounts encrypt stored data (fine-tuning files, batch results) with a key vault key: properties.encryption.keySource = Microsoft.KeyVault with keyVaultProperties.keyName and keyVaultUri. Advisory: key management, which Microsoft-managed keys cover by default.",
	Severity:         policy.Medium,
	EnforcementLevel: policy.Advisory,
	RemediationSteps: "Set properties.encryption={\"key_source\": \"Microsoft.KeyVault\", \"key_vault_properties\": {\"key_name\": key.name, \"key_vault_uri\": vault.properties.vault_uri}} with a managed identity that can read the key.",
	URL:              docsURL + "ai-services-customer-managed-key",
	Tags:             []string{"ai-services", "encryption"},
	Resource: &policy.ResourceRule{
		Types: []string{aiAccount},
		Validate: func(c *policy.Check) {
			v, ok := c.Known("properties.encryption.keySource")
			if !ok {
				return
			}
			if str(v) != "Microsoft.KeyVault" {
				c.Violatef(v, "is %s; set properties.encryption.keySource = \"Microsoft.KeyVault\" with a key vault key", v.Display())
				return
			}
			requireString(c, "properties.encryption.keyVaultProperties.keyName", "name the key vault key")
			requireString(c, "properties.encryption.keyVaultProperties.keyVaultUri", "set it to the key vault's URI")
		},
	},
}

var aiServicesManagedIdentity = &policy.Policy{
	Name:             "ai-services-managed-identity",
	DisplayName:      "Azure AI services accounts have a managed identity",
	Description:      "Azure AI services and Azure OpenAI accounts have a managed identity (identity.type contains SystemAssigned or UserAssigned), which they use to read customer-managed keys and data sources without stored secrets. Advisory: hygiene.",
	Severity:         policy.Low,
	EnforcementLevel: policy.Advisory,
	RemediationSteps: "Set identity={\"type\": \"SystemAssigned\"} (or UserAssigned with user_assigned_identities).",
	URL:              docsURL + "ai-services-managed-identity",
	Controls:         []policy.Control{psrule("Azure.AI.ManagedIdentity")},
	Tags:             []string{"ai-services", "identity"},
	Resource: &policy.ResourceRule{
		Types: []string{aiAccount},
		Validate: func(c *policy.Check) {
			requireManagedIdentity(c)
		},
	},
}

// openAIKinds are the account kinds that serve Azure OpenAI models.
var openAIKinds = []string{"openai", "aiservices"}

var aiServicesOutboundRestricted = &policy.Policy{
	Name:             "ai-services-openai-outbound-restricted",
	DisplayName:      "Azure OpenAI accounts reach only listed destinations",
	Description:      "Azure OpenAI accounts (kind OpenAI or AIServices) set properties.restrictOutboundNetworkAccess = true and list the destinations they may call in properties.allowedFqdnList, so that prompts and completions cannot be sent to other hosts (by data sources, tools or plugins). Advisory: the list must hold every data source the account uses.",
	Severity:         policy.High,
	EnforcementLevel: policy.Advisory,
	RemediationSteps: "Set properties.restrict_outbound_network_access=True and properties.allowed_fqdn_list=[\"<search>.search.windows.net\", ...].",
	URL:              docsURL + "ai-services-openai-outbound-restricted",
	Tags:             []string{"ai-services", "openai", "network", "exfiltration"},
	Resource: &policy.ResourceRule{
		Types: []string{aiAccount},
		Validate: func(c *policy.Check) {
			kind, ok := c.Known("kind")
			if !ok || !contains(openAIKinds, strings.ToLower(str(kind))) {
				return
			}
			restrict, ok := c.Known("properties.restrictOutboundNetworkAccess")
			if !ok {
				return
			}
			if !isTrue(restrict) {
				c.Violatef(restrict, "is %s; set properties.restrictOutboundNetworkAccess = true with the allowed destinations in properties.allowedFqdnList", restrict.Display())
				return
			}
			list, ok := c.Known("properties.allowedFqdnList")
			if ok && len(list.Elems()) == 0 {
				c.Violatef(list, "is %s; list the destinations the account may reach (outbound is restricted, so nothing else is reachable)", list.Display())
			}
		},
	},
}

var aiDeploymentContentFilter = &policy.Policy{
	Name:             "ai-deployment-content-filter",
	DisplayName:      "Azure OpenAI model deployments name their content filter",
	Description:      "Azure AI services model deployments name a content filter (RAI) policy in properties.raiPolicyName, so that the filtering applied to prompts and completions is chosen and reviewed rather than left to the service's default. Advisory: the default policy (Microsoft.DefaultV2) filters too; naming one makes the choice explicit.",
	Severity:         policy.Medium,
	EnforcementLevel: policy.Advisory,
	RemediationSteps: "Create a cognitiveservices.RaiPolicy on the account and set properties.rai_policy_name to its name (or to \"Microsoft.DefaultV2\" explicitly).",
	URL:              docsURL + "ai-deployment-content-filter",
	Tags:             []string{"ai-services", "openai", "responsible-ai"},
	Resource: &policy.ResourceRule{
		Types: []string{aiDeployment},
		Validate: func(c *policy.Check) {
			requireString(c, "properties.raiPolicyName", "set it to the content filter (RAI) policy the deployment uses")
		},
	},
}
