package providers

import "strings"

// Azure ML kinds and the settings whose place differs between
// azure-native majors or API versions.
const (
	AMLWorkspace        = "azure-native:machinelearningservices:Workspace"
	AMLCompute          = "azure-native:machinelearningservices:Compute"
	AMLOnlineEndpoint   = "azure-native:machinelearningservices:OnlineEndpoint"
	AMLOnlineDeployment = "azure-native:machinelearningservices:OnlineDeployment"
	AMLRegistry         = "azure-native:machinelearningservices:Registry"
	AMLDatastore        = "azure-native:machinelearningservices:Datastore"
	// DiagnosticSetting moved from insights (v2) to monitor (v3).
	DiagnosticSetting = "azure-native:monitor:DiagnosticSetting"
	PrivateEndpoint   = "azure-native:network:PrivateEndpoint"
)

// apiVersions places path on the given explicit API versions of an
// azure-native v2 token ("azure-native:machinelearningservices:Workspace",
// "v20231001"): settings the v2 default API version has no input for.
func apiVersions(token, path string, versions ...string) []Placement {
	i := strings.LastIndexByte(token, ':')
	var out []Placement
	for _, v := range versions {
		out = append(out, Placement{Token: token[:i] + "/" + v + token[i:], Majors: []Major{AzureNativeV2}, Path: path})
	}
	return out
}

// workspaceAPIVersions are the v2 API versions of Workspace that take kind
// and managedNetwork (the v2 default, 2023-04-01, takes neither).
var workspaceAPIVersions = []string{"v20230401preview", "v20230601preview", "v20230801preview", "v20231001", "v20240101preview",
	"v20240401", "v20240401preview", "v20240701preview", "v20241001", "v20241001preview", "v20250101preview"}

// AMLWorkspaceKind is the workspace's kind (Default, Hub, Project,
// FeatureStore).
var AMLWorkspaceKind = property("workspace kind", append([]Placement{
	{Token: AMLWorkspace, Majors: []Major{AzureNativeV3}, Path: "kind"}},
	apiVersions(AMLWorkspace, "kind", workspaceAPIVersions...)...)...)

// AMLWorkspaceIsolation is the isolation mode of the workspace's managed
// virtual network.
var AMLWorkspaceIsolation = property("managed network isolation mode", append([]Placement{
	{Token: AMLWorkspace, Majors: []Major{AzureNativeV3}, Path: "managedNetwork.isolationMode"}},
	apiVersions(AMLWorkspace, "managedNetwork.isolationMode", workspaceAPIVersions...)...)...)

// AMLComputeIdleShutdown is a compute instance's idle time before shutdown
// (ISO 8601), in the preview API versions of v2 and in v3.
var AMLComputeIdleShutdown = property("compute instance idle shutdown", append([]Placement{
	{Token: AMLCompute, Majors: []Major{AzureNativeV3}, Path: "properties.properties.idleTimeBeforeShutdown"}},
	apiVersions(AMLCompute, "properties.properties.idleTimeBeforeShutdown", "v20230401preview", "v20230601preview",
		"v20230801preview", "v20240101preview", "v20240401preview", "v20240701preview", "v20241001preview", "v20250101preview")...)...)

// v2 wraps the properties of these resources in a <resource>Properties
// object; v3 names it properties (registries: none, they are top level).
var (
	AMLOnlineEndpointProperties   = renamed("online endpoint properties", AMLOnlineEndpoint, "onlineEndpointProperties", "properties")
	AMLOnlineDeploymentProperties = renamed("online deployment properties", AMLOnlineDeployment, "onlineDeploymentProperties", "properties")
	AMLDatastoreProperties        = renamed("datastore properties", AMLDatastore, "datastoreProperties", "properties")
)

// AMLRegistryPublicNetworkAccess is an Azure ML registry's public network access.
var AMLRegistryPublicNetworkAccess = property("registry public network access",
	Placement{Token: AMLRegistry, Majors: []Major{AzureNativeV2}, Path: "registryProperties.publicNetworkAccess"},
	Placement{Token: AMLRegistry, Majors: []Major{AzureNativeV3}, Path: "publicNetworkAccess"})

func renamed(name, token, v2, v3 string) *Property {
	return property(name,
		Placement{Token: token, Majors: []Major{AzureNativeV2}, Path: v2},
		Placement{Token: token, Majors: []Major{AzureNativeV3}, Path: v3})
}

// Container registries and Azure AI services accounts.
const (
	ContainerRegistry = "azure-native:containerregistry:Registry"
	CognitiveAccount  = "azure-native:cognitiveservices:Account"
	CognitiveDeploy   = "azure-native:cognitiveservices:Deployment"
)

// ACRAnonymousPull is a container registry's anonymous pull switch, which
// v2's default API version (2022-12-01) does not take.
var ACRAnonymousPull = property("container registry anonymous pull", append([]Placement{
	{Token: ContainerRegistry, Majors: []Major{AzureNativeV3}, Path: "anonymousPullEnabled"}},
	apiVersions(ContainerRegistry, "anonymousPullEnabled", "v20230101preview", "v20230601preview", "v20230801preview", "v20231101preview", "v20241101preview")...)...)
