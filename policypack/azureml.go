package policypack

import (
	"fmt"
	"strings"

	"github.com/mlguard/mlguard/policy"
	"github.com/mlguard/mlguard/providers"
)

const (
	amlWorkspace         = "azure-native:machinelearningservices:Workspace"
	amlFeaturesetVersion = providers.AMLFeaturesetVersion
)

func azureMLPolicies() []*policy.Policy {
	return []*policy.Policy{azuremlWorkspaceIdentity, azuremlWorkspacePrivate, azuremlWorkspaceHBI, azuremlFeaturesetDataReference,
		azuremlWorkspaceDependencies, azuremlWorkspaceLegacyModeOff, azuremlWorkspaceVNetNoPublic, azuremlWorkspaceUserAssignedIdentity,
		azuremlWorkspaceManagedNetwork, azuremlWorkspaceDiagnostics, azuremlWorkspacePrivateEndpoint, azuremlWorkspaceCMK}
}

var azuremlWorkspaceIdentity = &policy.Policy{
	Name:             "azureml-workspace-managed-identity",
	DisplayName:      "Azure ML workspaces use a managed identity",
	Description:      "Azure ML workspaces have a managed identity: identity.type contains SystemAssigned or UserAssigned.",
	Severity:         policy.Medium,
	EnforcementLevel: policy.Advisory,
	RemediationSteps: "Set identity={\"type\": \"SystemAssigned\"} (or UserAssigned with user_assigned_identities) on the workspace.",
	URL:              docsURL + "azureml-workspace-managed-identity",
	Tags:             []string{"azure-ml", "identity"},
	Resource: &policy.ResourceRule{
		Types: []string{amlWorkspace},
		Validate: func(c *policy.Check) {
			requireManagedIdentity(c)
		},
	},
}

var azuremlWorkspacePrivate = &policy.Policy{
	Name:             "azureml-workspace-private",
	DisplayName:      "Azure ML workspaces are not reachable from the internet",
	Description:      "Azure ML workspaces disable public network access (publicNetworkAccess = Disabled; unset means Enabled) and are reached through private endpoints.",
	Severity:         policy.High,
	EnforcementLevel: policy.Advisory,
	RemediationSteps: "Set public_network_access=\"Disabled\" and add a private endpoint for the workspace.",
	URL:              docsURL + "azureml-workspace-private",
	Controls:         []policy.Control{azurePolicy("Azure Machine Learning workspaces should disable public network access"), checkov("CKV_AZURE_144"), psrule("Azure.ML.PublicAccess")},
	Tags:             []string{"azure-ml", "network"},
	Resource: &policy.ResourceRule{
		Types: []string{amlWorkspace},
		Validate: func(c *policy.Check) {
			requireEqual(c, "publicNetworkAccess", "Disabled", false, `set publicNetworkAccess = "Disabled" (unset means Enabled)`)
		},
	},
}

type hbiConfig struct {
	TagKey          string   `json:"tagKey"`
	Classifications []string `json:"classifications"`
}

var azuremlWorkspaceHBI = &policy.Policy{
	Name:             "azureml-workspace-hbi",
	DisplayName:      "Azure ML workspaces with sensitive data are high business impact",
	Description:      "Azure ML workspaces whose data-classification tag is one of classifications (default confidential, restricted) set hbiWorkspace = true, which reduces Microsoft's diagnostic data collection and encrypts local scratch disks.",
	Severity:         policy.High,
	EnforcementLevel: policy.Mandatory,
	RemediationSteps: "Set hbi_workspace=True (the workspace is replaced), or correct the data-classification tag.",
	URL:              docsURL + "azureml-workspace-hbi",
	Tags:             []string{"azure-ml", "data-classification", "encryption"},
	Config: policy.ConfigFor[hbiConfig](map[string]policy.Schema{
		"tagKey": {"type": "string", "minLength": 1, "default": "data-classification",
			"description": "The tag holding the workspace's data classification."},
		"classifications": {"type": "array", "items": map[string]any{"type": "string", "minLength": 1},
			"default":     []string{"confidential", "restricted"},
			"description": "Classifications (case-insensitive) that require an HBI workspace."},
	}),
	Resource: &policy.ResourceRule{
		Types: []string{amlWorkspace},
		Validate: func(c *policy.Check) {
			cfg := policy.ConfigOf[hbiConfig](c)
			set, ok := effectiveTags(c.Resource)
			if !ok {
				c.NotApplicable("tags is unknown")
				return
			}
			t, present := set.get(cfg.TagKey)
			if !present {
				return
			}
			if t.unknown() {
				c.NotApplicable("tags." + cfg.TagKey + " is unknown")
				return
			}
			class := strings.TrimSpace(t.valueString())
			sensitive := false
			for _, s := range cfg.Classifications {
				sensitive = sensitive || strings.EqualFold(s, class)
			}
			if !sensitive {
				return
			}
			requireBool(c, "hbiWorkspace", true, false, "set hbiWorkspace = true: the workspace's "+cfg.TagKey+" tag is "+t.display())
		},
	},
}

var azuremlFeaturesetDataReference = &policy.Policy{
	Name:             "azureml-featureset-data-reference",
	DisplayName:      "Azure ML featureset versions point at their data",
	Description:      "Azure ML featureset versions name their feature specification (featuresetVersionProperties.specification.path) and hold no empty data reference (entities, dataVersionId), so each version is traceable to its data.",
	Severity:         policy.Medium,
	EnforcementLevel: policy.Mandatory,
	RemediationSteps: "Set featureset_version_properties.specification.path to the folder holding FeaturesetSpec.yaml (for example azureml://datastores/<store>/paths/<featureset>/spec), list the entities by id, and drop empty placeholders.",
	URL:              docsURL + "azureml-featureset-data-reference",
	Tags:             []string{"azure-ml", "feature-store", "data-lineage"},
	Resource: &policy.ResourceRule{
		Types: []string{amlFeaturesetVersion},
		Validate: func(c *policy.Check) {
			props := providers.AMLFeaturesetVersionProperties.Where(c.Resource)
			if spec := props.Get("specification.path"); c.KnownValue(spec) && str(spec) == "" {
				c.Violatef(spec, "is %s; set it to the feature set specification folder", spec.Display())
			}
			if ents := props.Get("entities"); c.KnownValue(ents) {
				for _, e := range ents.Elems() {
					if str(e) == "" {
						c.Violatef(e, "is %s; name the entity (for example azureml:customer:1) or remove the element", e.Display())
					}
				}
			}
			// Not in the API schema, but generated programs set it; an empty
			// one is a data reference left as a placeholder.
			if dv := props.Get("dataVersionId"); c.KnownValue(dv) && !dv.IsAbsent() && str(dv) == "" {
				c.Violatef(dv, "is %s, an empty data reference; set it to the data asset version id or remove it", dv.Display())
			}
		},
	},
}

// requireManagedIdentity reports a resource whose identity.type is neither
// system- nor user-assigned.
func requireManagedIdentity(c *policy.Check) {
	v, ok := c.Known("identity.type")
	if ok && !containsFold(str(v), "SystemAssigned") && !containsFold(str(v), "UserAssigned") {
		c.Violatef(v, "is %s; set identity.type to \"SystemAssigned\" or \"UserAssigned\"", v.Display())
	}
}

// workspaceDependencies are the resources Azure requires of a workspace
// that is not a hub's project (a project uses its hub's).
var workspaceDependencies = []struct{ path, what string }{
	{"storageAccount", "a storage account"},
	{"keyVault", "a key vault"},
	{"applicationInsights", "an Application Insights component"},
}

var azuremlWorkspaceDependencies = &policy.Policy{
	Name:             "azureml-workspace-dependencies",
	DisplayName:      "Azure ML workspaces name their storage account, key vault and Application Insights",
	Description:      "Azure ML workspaces (other than a hub's projects, which use the hub's) set storageAccount, keyVault and applicationInsights to resource IDs. Mandatory: Azure refuses to create a workspace without them, so the deployment would fail after the preview passed.",
	Severity:         policy.High,
	EnforcementLevel: policy.Mandatory,
	RemediationSteps: "Create a storage account (StorageV2, no hierarchical namespace), a key vault and a workspace-based Application Insights component, and set storage_account, key_vault and application_insights to their ids.",
	URL:              docsURL + "azureml-workspace-dependencies",
	Tags:             []string{"azure-ml", "deployment"},
	Resource: &policy.ResourceRule{
		Types: []string{amlWorkspace},
		Validate: func(c *policy.Check) {
			if kind, ok := workspaceKind(c); !ok || strings.EqualFold(kind, "Project") {
				return
			}
			for _, d := range workspaceDependencies {
				requireString(c, d.path, "set "+d.path+" to the resource ID of "+d.what+": Azure refuses a workspace without one")
			}
		},
	},
}

// workspaceKind is the workspace's kind ("" where unset or where its API
// version has none); ok is false when it is unknown.
func workspaceKind(c *policy.Check) (string, bool) {
	for _, v := range providers.AMLWorkspaceKind.Values(c.Resource) {
		if !c.KnownValue(v) {
			return "", false
		}
		return str(v), true
	}
	return "", true
}

var azuremlWorkspaceLegacyModeOff = &policy.Policy{
	Name:             "azureml-workspace-legacy-mode-off",
	DisplayName:      "Azure ML workspaces do not run in v1 legacy mode",
	Description:      "Azure ML workspaces leave v1LegacyMode unset or false: legacy mode turns off the v2 API's network isolation and Azure Resource Manager access control. Advisory: hygiene for workspaces still migrating v1 assets.",
	Severity:         policy.Medium,
	EnforcementLevel: policy.Advisory,
	RemediationSteps: "Remove v1_legacy_mode (or set it to False) and migrate v1 assets to the v2 API.",
	URL:              docsURL + "azureml-workspace-legacy-mode-off",
	Tags:             []string{"azure-ml", "network"},
	Resource: &policy.ResourceRule{
		Types: []string{amlWorkspace},
		Validate: func(c *policy.Check) {
			requireBool(c, "v1LegacyMode", false, true, "set v1LegacyMode = false (or leave it unset)")
		},
	},
}

var azuremlWorkspaceVNetNoPublic = &policy.Policy{
	Name:             "azureml-workspace-vnet-no-public",
	DisplayName:      "Azure ML workspaces behind a VNet are not reachable from the internet",
	Description:      "Azure ML workspaces leave allowPublicAccessWhenBehindVnet unset or false, so a workspace reached through private endpoints does not also answer from the internet. Advisory: the workspace's own public network access is azureml-workspace-private's.",
	Severity:         policy.High,
	EnforcementLevel: policy.Advisory,
	RemediationSteps: "Remove allow_public_access_when_behind_vnet (or set it to False); reach the workspace through its private endpoint.",
	URL:              docsURL + "azureml-workspace-vnet-no-public",
	Controls:         []policy.Control{psrule("Azure.ML.PublicAccess")},
	Tags:             []string{"azure-ml", "network", "public-access"},
	Resource: &policy.ResourceRule{
		Types: []string{amlWorkspace},
		Validate: func(c *policy.Check) {
			requireBool(c, "allowPublicAccessWhenBehindVnet", false, true, "set allowPublicAccessWhenBehindVnet = false (or leave it unset)")
		},
	},
}

type userAssignedConfig struct {
	Require bool `json:"require"`
}

var azuremlWorkspaceUserAssignedIdentity = &policy.Policy{
	Name:             "azureml-workspace-user-assigned-identity",
	DisplayName:      "Azure ML workspaces use a user-assigned identity where the organisation requires one",
	Description:      "An Azure ML workspace configured with a user-assigned identity (identity.type contains UserAssigned) names it as primaryUserAssignedIdentity, which the workspace uses to reach its storage, key vault and registry; with require set, every workspace has one, so that its role assignments outlive the workspace and can be granted before it exists (off by default: a system-assigned identity is sound where the same stack grants the roles). Advisory: an identity choice, not an exposure.",
	Severity:         policy.Low,
	EnforcementLevel: policy.Advisory,
	RemediationSteps: "Create a managedidentity.UserAssignedIdentity, set identity={\"type\": \"UserAssigned\", \"user_assigned_identities\": [uai.id]} and primary_user_assigned_identity=uai.id.",
	URL:              docsURL + "azureml-workspace-user-assigned-identity",
	Controls:         []policy.Control{azurePolicy("Azure Machine Learning workspaces should use user-assigned managed identity"), psrule("Azure.ML.UserManagedIdentity")},
	Tags:             []string{"azure-ml", "identity"},
	Config: policy.ConfigFor[userAssignedConfig](map[string]policy.Schema{
		"require": {"type": "boolean", "default": false, "description": "Require a user-assigned identity on every Azure ML workspace."},
	}),
	Resource: &policy.ResourceRule{
		Types: []string{amlWorkspace},
		Validate: func(c *policy.Check) {
			v, ok := c.Known("identity.type")
			if !ok {
				return
			}
			switch {
			case containsFold(str(v), "UserAssigned"):
				requireString(c, "primaryUserAssignedIdentity", "set primaryUserAssignedIdentity to the user-assigned identity's id: the workspace uses it for its storage, key vault and registry")
			case policy.ConfigOf[userAssignedConfig](c).Require:
				c.Violatef(v, "is %s; set identity.type to \"UserAssigned\" with the identity in identity.userAssignedIdentities", v.Display())
			}
		},
	},
}

type isolationConfig struct {
	IsolationMode string `json:"isolationMode"`
}

var azuremlWorkspaceManagedNetwork = &policy.Policy{
	Name:             "azureml-workspace-managed-network",
	DisplayName:      "Azure ML workspaces isolate their managed network",
	Description:      "Azure ML workspaces set managedNetwork.isolationMode to the configured mode (default AllowOnlyApprovedOutbound; with AllowInternetOutbound configured, either passes): unset means Disabled, and compute then reaches the internet unrestricted. Workspaces written against an API version without a managed network (azure-native v2's default, 2023-04-01) are not judged. Advisory: outbound isolation needs the outbound rules a team's jobs depend on, to be planned first.",
	Severity:         policy.High,
	EnforcementLevel: policy.Advisory,
	RemediationSteps: "Set managed_network={\"isolation_mode\": \"AllowOnlyApprovedOutbound\", \"outbound_rules\": {...}} (azure-native v3, or an API version from 2023-10-01 in v2).",
	URL:              docsURL + "azureml-workspace-managed-network",
	Controls:         []policy.Control{azurePolicy("Azure Machine Learning and Ai Studio should use Allow Only Approved Outbound Managed Vnet mode")},
	Tags:             []string{"azure-ml", "network", "exfiltration"},
	Config: policy.ConfigFor[isolationConfig](map[string]policy.Schema{
		"isolationMode": {"type": "string", "enum": []string{"AllowOnlyApprovedOutbound", "AllowInternetOutbound"}, "default": "AllowOnlyApprovedOutbound",
			"description": "The least isolation accepted: AllowOnlyApprovedOutbound, or AllowInternetOutbound (which also accepts AllowOnlyApprovedOutbound)."},
	}),
	Resource: &policy.ResourceRule{
		Types: []string{amlWorkspace},
		Validate: func(c *policy.Check) {
			p := providers.AMLWorkspaceIsolation
			if !p.Applies(c.Resource) {
				return
			}
			want := policy.ConfigOf[isolationConfig](c).IsolationMode
			v := p.Where(c.Resource)
			if !c.KnownValue(v) {
				return
			}
			mode := str(v)
			if mode == "AllowOnlyApprovedOutbound" || (mode == "AllowInternetOutbound" && want == "AllowInternetOutbound") {
				return
			}
			c.Violatef(v, "is %s (unset means Disabled); set managedNetwork.isolationMode = %q", v.Display(), want)
		},
	},
}

var azuremlWorkspaceDiagnostics = &policy.Policy{
	Name:             "azureml-workspace-diagnostics",
	DisplayName:      "Azure ML workspaces send diagnostic logs",
	Description:      "Every Azure ML workspace has a diagnostic setting in the stack (insights:DiagnosticSetting in azure-native v2, monitor:DiagnosticSetting in v3) whose resourceUri is the workspace, joined by property dependency or equal known id, so that workspace activity (jobs, deployments, access) is kept for audit. Advisory: audit hygiene, which the workspace deploys without.",
	Severity:         policy.Medium,
	EnforcementLevel: policy.Advisory,
	RemediationSteps: "Add monitor.DiagnosticSetting (insights.DiagnosticSetting in azure-native v2) with resource_uri=workspace.id, workspace_id=<Log Analytics workspace>.id and logs=[{\"category_group\": \"allLogs\", \"enabled\": True}].",
	URL:              docsURL + "azureml-workspace-diagnostics",
	Controls:         []policy.Control{azurePolicy("Resource logs in Azure Machine Learning Workspaces should be enabled")},
	Tags:             []string{"azure-ml", "audit", "logging"},
	Stack: func(c *policy.StackCheck) {
		for _, ws := range c.OfType(amlWorkspace) {
			settings, undecided := companions(c, ws, providers.DiagnosticSetting, "resourceUri", "id")
			switch {
			case len(settings) > 0:
			case undecided:
				c.NotApplicable(fmt.Sprintf("%s %q: the resourceUri of a diagnostic setting is unknown", ws.Type, ws.Name))
			default:
				c.Violatef(ws, ws.Get("workspaceName"), "no diagnostic setting in the stack has the workspace as its resourceUri; add a DiagnosticSetting with resource_uri=workspace.id sending allLogs to Log Analytics")
			}
		}
	},
}

var azuremlWorkspacePrivateEndpoint = &policy.Policy{
	Name:             "azureml-workspace-private-endpoint",
	DisplayName:      "Azure ML workspaces without public access have a private endpoint",
	Description:      "An Azure ML workspace whose publicNetworkAccess is Disabled has a private endpoint in the stack (network:PrivateEndpoint with a private link service connection to the workspace, joined by property dependency or equal known id); without one nobody can reach the workspace, its studio or its APIs. Advisory: the workspace deploys, and the endpoint may live in a network team's stack.",
	Severity:         policy.Medium,
	EnforcementLevel: policy.Advisory,
	RemediationSteps: "Add network.PrivateEndpoint(subnet={\"id\": subnet.id}, private_link_service_connections=[{\"name\": \"workspace\", \"private_link_service_id\": workspace.id, \"group_ids\": [\"amlworkspace\"]}]) and its private DNS zones.",
	URL:              docsURL + "azureml-workspace-private-endpoint",
	Controls:         []policy.Control{azurePolicy("Azure Machine Learning workspaces should use private link")},
	Tags:             []string{"azure-ml", "network"},
	Stack: func(c *policy.StackCheck) {
		for _, ws := range c.OfType(amlWorkspace) {
			access := ws.Get("publicNetworkAccess")
			if access.HasUnknown() || str(access) != "Disabled" {
				continue // reachable publicly, or azureml-workspace-private says it
			}
			found, undecided := privateEndpointsTo(c, ws)
			switch {
			case found:
			case undecided:
				c.NotApplicable(fmt.Sprintf("%s %q: a private endpoint's private link service is unknown", ws.Type, ws.Name))
			default:
				c.Violatef(ws, access, "is \"Disabled\" and no private endpoint in the stack connects to the workspace, so nothing can reach it; add a network.PrivateEndpoint with private_link_service_id=workspace.id and group_ids=[\"amlworkspace\"]")
			}
		}
	},
}

// privateLinkConnections are the private endpoint's inputs that name the
// resource it connects to.
var privateLinkConnections = []string{"privateLinkServiceConnections", "manualPrivateLinkServiceConnections"}

// privateEndpointsTo reports whether a private endpoint of the stack
// connects to target: by a property dependency on it, or by a known
// privateLinkServiceId equal to its known id.
func privateEndpointsTo(c *policy.StackCheck, target *policy.Resource) (found, undecided bool) {
	for _, prop := range privateLinkConnections {
		refs, u := c.Referrers(providers.PrivateEndpoint, prop).To(target)
		found, undecided = found || len(refs) > 0, undecided || u
	}
	if found {
		return true, false
	}
	ids := policy.Memo(c, "private-link-service-ids", func() map[string]bool {
		out := map[string]bool{}
		for _, pe := range c.OfType(providers.PrivateEndpoint) {
			for _, prop := range privateLinkConnections {
				for _, conn := range pe.Get(prop).Elems() {
					if id := str(conn.Get("privateLinkServiceId")); id != "" {
						out[strings.ToLower(id)] = true
					}
				}
			}
		}
		return out
	})
	if id := str(target.Get("id")); id != "" && ids[strings.ToLower(id)] {
		return true, false
	}
	return false, undecided
}

var azuremlWorkspaceCMK = &policy.Policy{
	Name:             "azureml-workspace-customer-managed-key",
	DisplayName:      "Azure ML workspaces encrypted with a customer-managed key name the key",
	Description:      "An Azure ML workspace configured for a customer-managed key (encryption.status = Enabled) names the key vault (encryption.keyVaultProperties.keyVaultArmId) and the key (keyIdentifier), without which Azure refuses it; with require set, every workspace has one (the key then also encrypts the service-side Cosmos DB, search and storage Azure ML creates for it). Off by default: the choice of key management is the organisation's, and CMK cannot be added to an existing workspace. Advisory: key management, not an exposure.",
	Severity:         policy.Medium,
	EnforcementLevel: policy.Advisory,
	RemediationSteps: "Set encryption={\"status\": \"Enabled\", \"key_vault_properties\": {\"key_vault_arm_id\": vault.id, \"key_identifier\": key.key_uri_with_version}} when creating the workspace (it is replaced otherwise).",
	URL:              docsURL + "azureml-workspace-customer-managed-key",
	Controls:         []policy.Control{azurePolicy("Azure Machine Learning workspaces should be encrypted with a customer-managed key")},
	Tags:             []string{"azure-ml", "encryption"},
	Config:           cmkConfigSchema("Azure ML workspace"),
	Resource: &policy.ResourceRule{
		Types: []string{amlWorkspace},
		Validate: func(c *policy.Check) {
			requireCustomerManagedKey(c, "Enabled",
				keySetting{"encryption.keyVaultProperties.keyVaultArmId", "set it to the key vault's resource ID"},
				keySetting{"encryption.keyVaultProperties.keyIdentifier", "set it to the key's URI"})
		},
	},
}
