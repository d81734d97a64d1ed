package policypack

import (
	"strings"

	"github.com/mlguard/mlguard/policy"
	"github.com/mlguard/mlguard/providers"
)

// Azure ML online endpoints and deployments, registries and datastores.
// azure-native v2 wraps their settings in <resource>Properties, v3 in
// properties (registries: top level); see package providers.
const (
	amlOnlineEndpoint   = providers.AMLOnlineEndpoint
	amlOnlineDeployment = providers.AMLOnlineDeployment
	amlRegistry         = providers.AMLRegistry
	amlDatastore        = providers.AMLDatastore
)

func azureMLEndpointPolicies() []*policy.Policy {
	return []*policy.Policy{azuremlOnlineEndpointPrivate, azuremlOnlineEndpointAADAuth, azuremlOnlineDeploymentNoPublicEgress,
		azuremlRegistryPrivate, azuremlDatastoreIdentityAccess}
}

var azuremlOnlineEndpointPrivate = &policy.Policy{
	Name:             "azureml-online-endpoint-private",
	DisplayName:      "Azure ML online endpoints are not reachable from the internet",
	Description:      "Azure ML managed online endpoints set publicNetworkAccess = Disabled (onlineEndpointProperties in azure-native v2, properties in v3; unset means Enabled), so that models are scored only through the workspace's private endpoint. Advisory: a public scoring API is sometimes the product; the exception should be explicit.",
	Severity:         policy.High,
	EnforcementLevel: policy.Advisory,
	RemediationSteps: "Set public_network_access=\"Disabled\" in the endpoint's properties (online_endpoint_properties in azure-native v2) and score through the workspace's private endpoint.",
	URL:              docsURL + "azureml-online-endpoint-private",
	Tags:             []string{"azure-ml", "inference", "network", "public-access"},
	Resource: &policy.ResourceRule{
		Types: []string{amlOnlineEndpoint},
		Validate: func(c *policy.Check) {
			v := providers.AMLOnlineEndpointProperties.Where(c.Resource).Get("publicNetworkAccess")
			requireValue(c, v, "Disabled", false, "set publicNetworkAccess = \"Disabled\" (unset means Enabled)")
		},
	},
}

var azuremlOnlineEndpointAADAuth = &policy.Policy{
	Name:             "azureml-online-endpoint-aad-auth",
	DisplayName:      "Azure ML online endpoints authenticate with Microsoft Entra ID tokens",
	Description:      "Azure ML online endpoints set authMode = AADToken rather than Key (static keys anyone holding them can use, shared and never expiring) or AMLToken. Advisory: clients must be moved to Entra ID tokens first.",
	Severity:         policy.Medium,
	EnforcementLevel: policy.Advisory,
	RemediationSteps: "Set auth_mode=\"AADToken\" in the endpoint's properties and grant callers the AzureML Data Scientist role (or a custom role with the score action).",
	URL:              docsURL + "azureml-online-endpoint-aad-auth",
	Tags:             []string{"azure-ml", "inference", "identity"},
	Resource: &policy.ResourceRule{
		Types: []string{amlOnlineEndpoint},
		Validate: func(c *policy.Check) {
			v := providers.AMLOnlineEndpointProperties.Where(c.Resource).Get("authMode")
			requireValue(c, v, "AADToken", false, "set authMode = \"AADToken\" instead of keys")
		},
	},
}

var azuremlOnlineDeploymentNoPublicEgress = &policy.Policy{
	Name:             "azureml-online-deployment-no-public-egress",
	DisplayName:      "Azure ML online deployments have no public egress",
	Description:      "Azure ML managed online deployments (endpointComputeType Managed; Kubernetes ones are not judged) set egressPublicNetworkAccess = Disabled (unset means Enabled), so that a model container cannot send scoring data to the internet. Advisory: the deployment then reaches its model, registry and storage only through private endpoints, which must exist first.",
	Severity:         policy.High,
	EnforcementLevel: policy.Advisory,
	RemediationSteps: "Set egress_public_network_access=\"Disabled\" in the deployment's properties (online_deployment_properties in azure-native v2).",
	URL:              docsURL + "azureml-online-deployment-no-public-egress",
	Tags:             []string{"azure-ml", "inference", "network", "exfiltration"},
	Resource: &policy.ResourceRule{
		Types: []string{amlOnlineDeployment},
		Validate: func(c *policy.Check) {
			props := providers.AMLOnlineDeploymentProperties.Where(c.Resource)
			// Kubernetes deployments run on the team's own cluster, whose
			// network decides their egress.
			if kind := props.Get("endpointComputeType"); !c.KnownValue(kind) || strings.EqualFold(str(kind), "Kubernetes") {
				return
			}
			requireValue(c, props.Get("egressPublicNetworkAccess"), "Disabled", false, "set egressPublicNetworkAccess = \"Disabled\" (unset means Enabled)")
		},
	},
}

var azuremlRegistryPrivate = &policy.Policy{
	Name:             "azureml-registry-private",
	DisplayName:      "Azure ML registries are not reachable from the internet",
	Description:      "Azure ML registries, which share models, components and environments across workspaces, set publicNetworkAccess = Disabled (registryProperties in azure-native v2, top level in v3). Advisory: a registry serving several regions' workspaces needs their private endpoints first.",
	Severity:         policy.High,
	EnforcementLevel: policy.Advisory,
	RemediationSteps: "Set public_network_access=\"Disabled\" (in registry_properties in azure-native v2) and add private endpoints for the workspaces that use the registry.",
	URL:              docsURL + "azureml-registry-private",
	Tags:             []string{"azure-ml", "registry", "network", "public-access"},
	Resource: &policy.ResourceRule{
		Types: []string{amlRegistry},
		Validate: func(c *policy.Check) {
			requireValue(c, providers.AMLRegistryPublicNetworkAccess.Where(c.Resource), "Disabled", false, "set publicNetworkAccess = \"Disabled\"")
		},
	},
}

var azuremlDatastoreIdentityAccess = &policy.Policy{
	Name:             "azureml-datastore-identity-access",
	DisplayName:      "Azure ML datastores use identity-based access",
	Description:      "Azure ML datastores set credentials.credentialsType = None (identity-based access: each user's or compute's own Entra ID identity and roles) rather than storing an account key, SAS token, service principal secret or certificate in the workspace. Mandatory: a stored credential gives every workspace user the credential's access to the data, beyond their own roles.",
	Severity:         policy.High,
	EnforcementLevel: policy.Mandatory,
	RemediationSteps: "Set credentials={\"credentials_type\": \"None\"} in the datastore's properties (datastore_properties in azure-native v2) and grant users and compute identities Storage Blob Data Reader/Contributor on the account.",
	URL:              docsURL + "azureml-datastore-identity-access",
	Tags:             []string{"azure-ml", "data-access", "identity", "secrets"},
	Resource: &policy.ResourceRule{
		Types: []string{amlDatastore},
		Validate: func(c *policy.Check) {
			v := providers.AMLDatastoreProperties.Where(c.Resource).Get("credentials.credentialsType")
			requireValue(c, v, "None", false, "set credentials.credentialsType = \"None\" (identity-based access) instead of a stored key or secret")
		},
	},
}
