package policypack

import (
	"strings"

	"github.com/mlguard/mlguard/policy"
	"github.com/mlguard/mlguard/providers"
)

const (
	amlWorkspace         = "azure-native:machinelearningservices:Workspace"
	amlFeaturesetVersion = providers.AMLFeaturesetVersion
)

func azureMLPolicies() []*policy.Policy {
	return []*policy.Policy{azuremlWorkspaceIdentity, azuremlWorkspacePrivate, azuremlWorkspaceHBI, azuremlFeaturesetDataReference}
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
			v, ok := c.Known("identity.type")
			if !ok {
				return
			}
			s := strings.ToLower(str(v))
			if !strings.Contains(s, "systemassigned") && !strings.Contains(s, "userassigned") {
				c.Violatef(v, "is %s; set identity.type to \"SystemAssigned\" or \"UserAssigned\"", v.Display())
			}
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
