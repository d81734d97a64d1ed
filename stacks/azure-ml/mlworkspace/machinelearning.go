package mlworkspace

// Hand-written bindings for the four azure-native machinelearningservices
// resources this stack uses, and the listWorkspaceKeys function.
//
// Why by hand: the azure-native v2 Go SDK ships every Azure service as its
// own Go module, and github.com/pulumi/pulumi-azure-native-sdk/machinelearningservices/v2
// cannot be fetched from the Go module proxy at any version. The resources
// are still served by the azure-native provider plugin, so registering them
// by type token with the provider version pinned (as the generated SDK
// does) gives the engine exactly what the SDK would send. Property names
// follow the azure-native 2.x schema: Workspace uses Azure API 2023-04-01
// (kind and featureStoreSettings are checked against the Azure ARM
// reference of the neighbouring versions, not against the 2.x schema
// itself, which was not at hand), the feature store resources
// 2023-04-01-preview, whose properties objects
// the 2.x provider renames featuresetContainerProperties,
// featuresetVersionProperties, featurestoreEntityContainerProperties and
// featurestoreEntityVersionProperties. The shape is the generated one: an
// exported Args struct of pulumi inputs, an unexported plain mirror that
// ElementType names, and a resource struct of outputs. Only the properties
// the stack sets are declared.

import (
	"reflect"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// AzureNativeVersion is the azure-native provider the resources are
// registered against: the version of the SDK modules in go.mod.
const AzureNativeVersion = "2.90.0"

// Type tokens of the hand-registered resources and function.
const (
	WorkspaceType                   = "azure-native:machinelearningservices:Workspace"
	FeaturesetContainerType         = "azure-native:machinelearningservices:FeaturesetContainerEntity"
	FeaturesetVersionType           = "azure-native:machinelearningservices:FeaturesetVersion"
	FeaturestoreEntityContainerType = "azure-native:machinelearningservices:FeaturestoreEntityContainerEntity"
	FeaturestoreEntityVersionType   = "azure-native:machinelearningservices:FeaturestoreEntityVersion"
	ListWorkspaceKeysToken          = "azure-native:machinelearningservices:listWorkspaceKeys"
)

func mlOpts(opts []pulumi.ResourceOption) []pulumi.ResourceOption {
	return append([]pulumi.ResourceOption{pulumi.Version(AzureNativeVersion)}, opts...)
}

// --- Workspace ---

// Workspace is an Azure Machine Learning workspace.
type Workspace struct {
	pulumi.CustomResourceState

	Name         pulumi.StringOutput `pulumi:"name"`
	DiscoveryUrl pulumi.StringOutput `pulumi:"discoveryUrl"`
	WorkspaceId  pulumi.StringOutput `pulumi:"workspaceId"`
	// Identity is the identity response: type, principalId, tenantId.
	Identity pulumi.MapOutput `pulumi:"identity"`
}

// WorkspaceArgs are the workspace's inputs.
type WorkspaceArgs struct {
	WorkspaceName        pulumi.StringInput
	ResourceGroupName    pulumi.StringInput
	Location             pulumi.StringPtrInput
	Kind                 pulumi.StringPtrInput // Default, FeatureStore, Hub, Project
	Description          pulumi.StringPtrInput
	FriendlyName         pulumi.StringPtrInput
	Identity             *ManagedServiceIdentityArgs
	Sku                  *SkuArgs
	ApplicationInsights  pulumi.StringPtrInput
	KeyVault             pulumi.StringPtrInput
	StorageAccount       pulumi.StringPtrInput
	ContainerRegistry    pulumi.StringPtrInput
	HbiWorkspace         pulumi.BoolPtrInput
	PublicNetworkAccess  pulumi.StringPtrInput
	FeatureStoreSettings *FeatureStoreSettingsArgs
	Tags                 pulumi.StringMapInput
}

type workspaceArgs struct {
	WorkspaceName        string                  `pulumi:"workspaceName"`
	ResourceGroupName    string                  `pulumi:"resourceGroupName"`
	Location             *string                 `pulumi:"location"`
	Kind                 *string                 `pulumi:"kind"`
	Description          *string                 `pulumi:"description"`
	FriendlyName         *string                 `pulumi:"friendlyName"`
	Identity             *managedServiceIdentity `pulumi:"identity"`
	Sku                  *sku                    `pulumi:"sku"`
	ApplicationInsights  *string                 `pulumi:"applicationInsights"`
	KeyVault             *string                 `pulumi:"keyVault"`
	StorageAccount       *string                 `pulumi:"storageAccount"`
	ContainerRegistry    *string                 `pulumi:"containerRegistry"`
	HbiWorkspace         *bool                   `pulumi:"hbiWorkspace"`
	PublicNetworkAccess  *string                 `pulumi:"publicNetworkAccess"`
	FeatureStoreSettings *featureStoreSettings   `pulumi:"featureStoreSettings"`
	Tags                 map[string]string       `pulumi:"tags"`
}

func (WorkspaceArgs) ElementType() reflect.Type { return reflect.TypeOf((*workspaceArgs)(nil)).Elem() }

// ManagedServiceIdentityArgs is the workspace's managed identity.
type ManagedServiceIdentityArgs struct {
	Type pulumi.StringInput // SystemAssigned, UserAssigned, ...
}

type managedServiceIdentity struct {
	Type string `pulumi:"type"`
}

func (ManagedServiceIdentityArgs) ElementType() reflect.Type {
	return reflect.TypeOf((*managedServiceIdentity)(nil)).Elem()
}

// SkuArgs is the workspace SKU.
type SkuArgs struct {
	Name pulumi.StringInput
	Tier pulumi.StringPtrInput
}

type sku struct {
	Name string  `pulumi:"name"`
	Tier *string `pulumi:"tier"`
}

func (SkuArgs) ElementType() reflect.Type { return reflect.TypeOf((*sku)(nil)).Elem() }

// FeatureStoreSettingsArgs configures a workspace of kind FeatureStore.
type FeatureStoreSettingsArgs struct {
	ComputeRuntime             *ComputeRuntimeArgs
	OfflineStoreConnectionName pulumi.StringPtrInput
	OnlineStoreConnectionName  pulumi.StringPtrInput
}

type featureStoreSettings struct {
	ComputeRuntime             *computeRuntime `pulumi:"computeRuntime"`
	OfflineStoreConnectionName *string         `pulumi:"offlineStoreConnectionName"`
	OnlineStoreConnectionName  *string         `pulumi:"onlineStoreConnectionName"`
}

func (FeatureStoreSettingsArgs) ElementType() reflect.Type {
	return reflect.TypeOf((*featureStoreSettings)(nil)).Elem()
}

// ComputeRuntimeArgs is the Spark runtime materialization jobs use.
type ComputeRuntimeArgs struct {
	SparkRuntimeVersion pulumi.StringPtrInput
}

type computeRuntime struct {
	SparkRuntimeVersion *string `pulumi:"sparkRuntimeVersion"`
}

func (ComputeRuntimeArgs) ElementType() reflect.Type {
	return reflect.TypeOf((*computeRuntime)(nil)).Elem()
}

// NewWorkspace registers a workspace.
func NewWorkspace(ctx *pulumi.Context, name string, args *WorkspaceArgs, opts ...pulumi.ResourceOption) (*Workspace, error) {
	var r Workspace
	if err := ctx.RegisterResource(WorkspaceType, name, args, &r, mlOpts(opts)...); err != nil {
		return nil, err
	}
	return &r, nil
}

// PrincipalID is the object id of the workspace's system-assigned identity.
func (w *Workspace) PrincipalID() pulumi.StringOutput {
	return w.Identity.ApplyT(func(m map[string]any) string {
		s, _ := m["principalId"].(string)
		return s
	}).(pulumi.StringOutput)
}

// --- Feature store entity ---

// FeaturestoreEntityContainer is a feature store entity (the thing features
// describe, e.g. an account).
type FeaturestoreEntityContainer struct {
	pulumi.CustomResourceState
	Name pulumi.StringOutput `pulumi:"name"`
}

// FeaturestoreEntityContainerArgs are its inputs.
type FeaturestoreEntityContainerArgs struct {
	Name                                  pulumi.StringInput
	ResourceGroupName                     pulumi.StringInput
	WorkspaceName                         pulumi.StringInput
	FeaturestoreEntityContainerProperties AssetContainerArgs
}

type featurestoreEntityContainerArgs struct {
	Name                                  string         `pulumi:"name"`
	ResourceGroupName                     string         `pulumi:"resourceGroupName"`
	WorkspaceName                         string         `pulumi:"workspaceName"`
	FeaturestoreEntityContainerProperties assetContainer `pulumi:"featurestoreEntityContainerProperties"`
}

func (FeaturestoreEntityContainerArgs) ElementType() reflect.Type {
	return reflect.TypeOf((*featurestoreEntityContainerArgs)(nil)).Elem()
}

// AssetContainerArgs are the properties of an entity or featureset container.
type AssetContainerArgs struct {
	Description pulumi.StringPtrInput
	Tags        pulumi.StringMapInput
}

type assetContainer struct {
	Description *string           `pulumi:"description"`
	Tags        map[string]string `pulumi:"tags"`
}

func (AssetContainerArgs) ElementType() reflect.Type {
	return reflect.TypeOf((*assetContainer)(nil)).Elem()
}

// NewFeaturestoreEntityContainer registers an entity container.
func NewFeaturestoreEntityContainer(ctx *pulumi.Context, name string, args *FeaturestoreEntityContainerArgs, opts ...pulumi.ResourceOption) (*FeaturestoreEntityContainer, error) {
	var r FeaturestoreEntityContainer
	if err := ctx.RegisterResource(FeaturestoreEntityContainerType, name, args, &r, mlOpts(opts)...); err != nil {
		return nil, err
	}
	return &r, nil
}

// FeaturestoreEntityVersion is one version of an entity: its index columns.
type FeaturestoreEntityVersion struct {
	pulumi.CustomResourceState
	Name pulumi.StringOutput `pulumi:"name"`
}

// FeaturestoreEntityVersionArgs are its inputs.
type FeaturestoreEntityVersionArgs struct {
	Name                                pulumi.StringInput
	Version                             pulumi.StringInput
	ResourceGroupName                   pulumi.StringInput
	WorkspaceName                       pulumi.StringInput
	FeaturestoreEntityVersionProperties FeaturestoreEntityVersionPropertiesArgs
}

type featurestoreEntityVersionArgs struct {
	Name                                string                              `pulumi:"name"`
	Version                             string                              `pulumi:"version"`
	ResourceGroupName                   string                              `pulumi:"resourceGroupName"`
	WorkspaceName                       string                              `pulumi:"workspaceName"`
	FeaturestoreEntityVersionProperties featurestoreEntityVersionProperties `pulumi:"featurestoreEntityVersionProperties"`
}

func (FeaturestoreEntityVersionArgs) ElementType() reflect.Type {
	return reflect.TypeOf((*featurestoreEntityVersionArgs)(nil)).Elem()
}

// FeaturestoreEntityVersionPropertiesArgs are an entity version's properties.
type FeaturestoreEntityVersionPropertiesArgs struct {
	Description  pulumi.StringPtrInput
	IndexColumns []IndexColumnArgs
	Tags         pulumi.StringMapInput
}

type featurestoreEntityVersionProperties struct {
	Description  *string           `pulumi:"description"`
	IndexColumns []indexColumn     `pulumi:"indexColumns"`
	Tags         map[string]string `pulumi:"tags"`
}

func (FeaturestoreEntityVersionPropertiesArgs) ElementType() reflect.Type {
	return reflect.TypeOf((*featurestoreEntityVersionProperties)(nil)).Elem()
}

// IndexColumnArgs is one column that identifies an entity.
type IndexColumnArgs struct {
	ColumnName pulumi.StringInput
	DataType   pulumi.StringInput // String, Integer, Long, Float, Double, Binary, Datetime, Boolean
}

type indexColumn struct {
	ColumnName string `pulumi:"columnName"`
	DataType   string `pulumi:"dataType"`
}

func (IndexColumnArgs) ElementType() reflect.Type { return reflect.TypeOf((*indexColumn)(nil)).Elem() }

// NewFeaturestoreEntityVersion registers an entity version.
func NewFeaturestoreEntityVersion(ctx *pulumi.Context, name string, args *FeaturestoreEntityVersionArgs, opts ...pulumi.ResourceOption) (*FeaturestoreEntityVersion, error) {
	var r FeaturestoreEntityVersion
	if err := ctx.RegisterResource(FeaturestoreEntityVersionType, name, args, &r, mlOpts(opts)...); err != nil {
		return nil, err
	}
	return &r, nil
}

// --- Featureset ---

// FeaturesetContainer is a named featureset, whose versions hold the specs.
type FeaturesetContainer struct {
	pulumi.CustomResourceState
	Name pulumi.StringOutput `pulumi:"name"`
}

// FeaturesetContainerArgs are its inputs.
type FeaturesetContainerArgs struct {
	Name                          pulumi.StringInput
	ResourceGroupName             pulumi.StringInput
	WorkspaceName                 pulumi.StringInput
	FeaturesetContainerProperties AssetContainerArgs
}

type featuresetContainerArgs struct {
	Name                          string         `pulumi:"name"`
	ResourceGroupName             string         `pulumi:"resourceGroupName"`
	WorkspaceName                 string         `pulumi:"workspaceName"`
	FeaturesetContainerProperties assetContainer `pulumi:"featuresetContainerProperties"`
}

func (FeaturesetContainerArgs) ElementType() reflect.Type {
	return reflect.TypeOf((*featuresetContainerArgs)(nil)).Elem()
}

// NewFeaturesetContainer registers a featureset container.
func NewFeaturesetContainer(ctx *pulumi.Context, name string, args *FeaturesetContainerArgs, opts ...pulumi.ResourceOption) (*FeaturesetContainer, error) {
	var r FeaturesetContainer
	if err := ctx.RegisterResource(FeaturesetContainerType, name, args, &r, mlOpts(opts)...); err != nil {
		return nil, err
	}
	return &r, nil
}

// FeaturesetVersion is one version of a featureset.
type FeaturesetVersion struct {
	pulumi.CustomResourceState
	Name pulumi.StringOutput `pulumi:"name"`
}

// FeaturesetVersionArgs are its inputs.
type FeaturesetVersionArgs struct {
	Name                        pulumi.StringInput
	Version                     pulumi.StringInput
	ResourceGroupName           pulumi.StringInput
	WorkspaceName               pulumi.StringInput
	FeaturesetVersionProperties FeaturesetVersionPropertiesArgs
}

type featuresetVersionArgs struct {
	Name                        string                      `pulumi:"name"`
	Version                     string                      `pulumi:"version"`
	ResourceGroupName           string                      `pulumi:"resourceGroupName"`
	WorkspaceName               string                      `pulumi:"workspaceName"`
	FeaturesetVersionProperties featuresetVersionProperties `pulumi:"featuresetVersionProperties"`
}

func (FeaturesetVersionArgs) ElementType() reflect.Type {
	return reflect.TypeOf((*featuresetVersionArgs)(nil)).Elem()
}

// FeaturesetVersionPropertiesArgs are a featureset version's properties.
type FeaturesetVersionPropertiesArgs struct {
	Description pulumi.StringPtrInput
	// Entities are entity version ids: azureml:<entity>:<version>.
	Entities      pulumi.StringArrayInput
	Specification FeaturesetSpecificationArgs
	Stage         pulumi.StringPtrInput // Development, Production, Archived
	Tags          pulumi.StringMapInput
}

type featuresetVersionProperties struct {
	Description   *string                 `pulumi:"description"`
	Entities      []string                `pulumi:"entities"`
	Specification featuresetSpecification `pulumi:"specification"`
	Stage         *string                 `pulumi:"stage"`
	Tags          map[string]string       `pulumi:"tags"`
}

func (FeaturesetVersionPropertiesArgs) ElementType() reflect.Type {
	return reflect.TypeOf((*featuresetVersionProperties)(nil)).Elem()
}

// FeaturesetSpecificationArgs points at the folder holding FeaturesetSpec.yaml.
type FeaturesetSpecificationArgs struct {
	Path pulumi.StringInput
}

type featuresetSpecification struct {
	Path string `pulumi:"path"`
}

func (FeaturesetSpecificationArgs) ElementType() reflect.Type {
	return reflect.TypeOf((*featuresetSpecification)(nil)).Elem()
}

// NewFeaturesetVersion registers a featureset version.
func NewFeaturesetVersion(ctx *pulumi.Context, name string, args *FeaturesetVersionArgs, opts ...pulumi.ResourceOption) (*FeaturesetVersion, error) {
	var r FeaturesetVersion
	if err := ctx.RegisterResource(FeaturesetVersionType, name, args, &r, mlOpts(opts)...); err != nil {
		return nil, err
	}
	return &r, nil
}

// --- listWorkspaceKeys ---

type listWorkspaceKeysArgs struct {
	ResourceGroupName string `pulumi:"resourceGroupName"`
	WorkspaceName     string `pulumi:"workspaceName"`
}

// WorkspaceKeys is the part of listWorkspaceKeys' result the stack exports.
type WorkspaceKeys struct {
	AppInsightsInstrumentationKey string `pulumi:"appInsightsInstrumentationKey"`
	UserStorageKey                string `pulumi:"userStorageKey"`
	UserStorageResourceId         string `pulumi:"userStorageResourceId"`
}

// ListWorkspaceKeys calls listWorkspaceKeys: only at update time, never
// at preview, since the keys are secrets and the workspace may not exist.
func ListWorkspaceKeys(ctx *pulumi.Context, resourceGroupName, workspaceName string) (*WorkspaceKeys, error) {
	var keys WorkspaceKeys
	err := ctx.Invoke(ListWorkspaceKeysToken, &listWorkspaceKeysArgs{
		ResourceGroupName: resourceGroupName, WorkspaceName: workspaceName,
	}, &keys, pulumi.Version(AzureNativeVersion))
	if err != nil {
		return nil, err
	}
	return &keys, nil
}
