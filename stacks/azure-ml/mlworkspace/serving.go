package mlworkspace

// Hand-written bindings, as in machinelearning.go, for the training and
// serving resources of the stack: Azure ML compute and online endpoints
// (machinelearningservices) and the container registry holding model images
// (the github.com/pulumi/pulumi-azure-native-sdk/containerregistry/v2 module
// is not served by the Go module proxy either). Only the properties the
// stack sets are declared.

import (
	"reflect"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// Type tokens of the serving resources. Compute instances take an idle
// shutdown only from API version 2023-04-01-preview on (the v2 default,
// 2023-04-01, has none), so compute is registered at the explicit API
// version 2024-10-01-preview.
const (
	ComputeType           = "azure-native:machinelearningservices/v20241001preview:Compute"
	OnlineEndpointType    = "azure-native:machinelearningservices:OnlineEndpoint"
	ContainerRegistryType = "azure-native:containerregistry:Registry"
)

// --- Compute ---

// Compute is an Azure ML compute target: an instance or a cluster.
type Compute struct {
	pulumi.CustomResourceState
	Name pulumi.StringOutput `pulumi:"name"`
}

// ComputeArgs are the compute's inputs.
type ComputeArgs struct {
	ComputeName       pulumi.StringInput
	ResourceGroupName pulumi.StringInput
	WorkspaceName     pulumi.StringInput
	Location          pulumi.StringPtrInput
	Properties        ComputePropertiesArgs
	Tags              pulumi.StringMapInput
}

type computeArgs struct {
	ComputeName       string            `pulumi:"computeName"`
	ResourceGroupName string            `pulumi:"resourceGroupName"`
	WorkspaceName     string            `pulumi:"workspaceName"`
	Location          *string           `pulumi:"location"`
	Properties        computeProperties `pulumi:"properties"`
	Tags              map[string]string `pulumi:"tags"`
}

func (ComputeArgs) ElementType() reflect.Type { return reflect.TypeOf((*computeArgs)(nil)).Elem() }

// ComputePropertiesArgs is the compute's union, discriminated by
// ComputeType (ComputeInstance, AmlCompute).
type ComputePropertiesArgs struct {
	ComputeType      pulumi.StringInput
	Description      pulumi.StringPtrInput
	DisableLocalAuth pulumi.BoolPtrInput
	Properties       ComputeSettingsArgs
}

type computeProperties struct {
	ComputeType      string          `pulumi:"computeType"`
	Description      *string         `pulumi:"description"`
	DisableLocalAuth *bool           `pulumi:"disableLocalAuth"`
	Properties       computeSettings `pulumi:"properties"`
}

func (ComputePropertiesArgs) ElementType() reflect.Type {
	return reflect.TypeOf((*computeProperties)(nil)).Elem()
}

// ComputeSettingsArgs are the settings of an instance (SSH, idle shutdown)
// or a cluster (scale, remote login) together; each type takes its own.
type ComputeSettingsArgs struct {
	VmSize                      pulumi.StringInput
	Subnet                      *ResourceIDArgs
	EnableNodePublicIp          pulumi.BoolPtrInput
	IdleTimeBeforeShutdown      pulumi.StringPtrInput // instances, ISO 8601
	SshSettings                 *ComputeSSHSettingsArgs
	ScaleSettings               *ScaleSettingsArgs // clusters
	RemoteLoginPortPublicAccess pulumi.StringPtrInput
}

type computeSettings struct {
	VmSize                      string              `pulumi:"vmSize"`
	Subnet                      *resourceID         `pulumi:"subnet"`
	EnableNodePublicIp          *bool               `pulumi:"enableNodePublicIp"`
	IdleTimeBeforeShutdown      *string             `pulumi:"idleTimeBeforeShutdown"`
	SshSettings                 *computeSSHSettings `pulumi:"sshSettings"`
	ScaleSettings               *scaleSettings      `pulumi:"scaleSettings"`
	RemoteLoginPortPublicAccess *string             `pulumi:"remoteLoginPortPublicAccess"`
}

func (ComputeSettingsArgs) ElementType() reflect.Type {
	return reflect.TypeOf((*computeSettings)(nil)).Elem()
}

// ResourceIDArgs names another resource by ARM id.
type ResourceIDArgs struct {
	ID pulumi.StringInput
}

type resourceID struct {
	ID string `pulumi:"id"`
}

func (ResourceIDArgs) ElementType() reflect.Type { return reflect.TypeOf((*resourceID)(nil)).Elem() }

// ComputeSSHSettingsArgs is a compute instance's SSH access.
type ComputeSSHSettingsArgs struct {
	SshPublicAccess pulumi.StringInput // Enabled, Disabled
}

type computeSSHSettings struct {
	SshPublicAccess string `pulumi:"sshPublicAccess"`
}

func (ComputeSSHSettingsArgs) ElementType() reflect.Type {
	return reflect.TypeOf((*computeSSHSettings)(nil)).Elem()
}

// ScaleSettingsArgs is a cluster's node range.
type ScaleSettingsArgs struct {
	MinNodeCount                pulumi.IntInput
	MaxNodeCount                pulumi.IntInput
	NodeIdleTimeBeforeScaleDown pulumi.StringPtrInput
}

type scaleSettings struct {
	MinNodeCount                int     `pulumi:"minNodeCount"`
	MaxNodeCount                int     `pulumi:"maxNodeCount"`
	NodeIdleTimeBeforeScaleDown *string `pulumi:"nodeIdleTimeBeforeScaleDown"`
}

func (ScaleSettingsArgs) ElementType() reflect.Type {
	return reflect.TypeOf((*scaleSettings)(nil)).Elem()
}

// NewCompute registers a compute target.
func NewCompute(ctx *pulumi.Context, name string, args *ComputeArgs, opts ...pulumi.ResourceOption) (*Compute, error) {
	var r Compute
	if err := ctx.RegisterResource(ComputeType, name, args, &r, mlOpts(opts)...); err != nil {
		return nil, err
	}
	return &r, nil
}

// --- Online endpoint ---

// OnlineEndpoint is a managed online (real-time scoring) endpoint.
type OnlineEndpoint struct {
	pulumi.CustomResourceState
	Name pulumi.StringOutput `pulumi:"name"`
}

// OnlineEndpointArgs are its inputs.
type OnlineEndpointArgs struct {
	EndpointName             pulumi.StringInput
	ResourceGroupName        pulumi.StringInput
	WorkspaceName            pulumi.StringInput
	Location                 pulumi.StringInput
	Identity                 *ManagedServiceIdentityArgs
	OnlineEndpointProperties OnlineEndpointPropertiesArgs
	Tags                     pulumi.StringMapInput
}

type onlineEndpointArgs struct {
	EndpointName             string                   `pulumi:"endpointName"`
	ResourceGroupName        string                   `pulumi:"resourceGroupName"`
	WorkspaceName            string                   `pulumi:"workspaceName"`
	Location                 string                   `pulumi:"location"`
	Identity                 *managedServiceIdentity  `pulumi:"identity"`
	OnlineEndpointProperties onlineEndpointProperties `pulumi:"onlineEndpointProperties"`
	Tags                     map[string]string        `pulumi:"tags"`
}

func (OnlineEndpointArgs) ElementType() reflect.Type {
	return reflect.TypeOf((*onlineEndpointArgs)(nil)).Elem()
}

// OnlineEndpointPropertiesArgs are the endpoint's settings.
type OnlineEndpointPropertiesArgs struct {
	AuthMode            pulumi.StringInput // AADToken, AMLToken, Key
	PublicNetworkAccess pulumi.StringPtrInput
	Description         pulumi.StringPtrInput
}

type onlineEndpointProperties struct {
	AuthMode            string  `pulumi:"authMode"`
	PublicNetworkAccess *string `pulumi:"publicNetworkAccess"`
	Description         *string `pulumi:"description"`
}

func (OnlineEndpointPropertiesArgs) ElementType() reflect.Type {
	return reflect.TypeOf((*onlineEndpointProperties)(nil)).Elem()
}

// NewOnlineEndpoint registers an online endpoint.
func NewOnlineEndpoint(ctx *pulumi.Context, name string, args *OnlineEndpointArgs, opts ...pulumi.ResourceOption) (*OnlineEndpoint, error) {
	var r OnlineEndpoint
	if err := ctx.RegisterResource(OnlineEndpointType, name, args, &r, mlOpts(opts)...); err != nil {
		return nil, err
	}
	return &r, nil
}

// --- Container registry ---

// ContainerRegistry is an Azure container registry.
type ContainerRegistry struct {
	pulumi.CustomResourceState
	Name        pulumi.StringOutput `pulumi:"name"`
	LoginServer pulumi.StringOutput `pulumi:"loginServer"`
}

// ContainerRegistryArgs are its inputs.
type ContainerRegistryArgs struct {
	ResourceGroupName        pulumi.StringInput
	Location                 pulumi.StringPtrInput
	Sku                      SkuArgs
	AdminUserEnabled         pulumi.BoolPtrInput
	PublicNetworkAccess      pulumi.StringPtrInput
	NetworkRuleBypassOptions pulumi.StringPtrInput
	NetworkRuleSet           *NetworkRuleSetArgs
	Policies                 *RegistryPoliciesArgs
	Tags                     pulumi.StringMapInput
}

type containerRegistryArgs struct {
	ResourceGroupName        string            `pulumi:"resourceGroupName"`
	Location                 *string           `pulumi:"location"`
	Sku                      sku               `pulumi:"sku"`
	AdminUserEnabled         *bool             `pulumi:"adminUserEnabled"`
	PublicNetworkAccess      *string           `pulumi:"publicNetworkAccess"`
	NetworkRuleBypassOptions *string           `pulumi:"networkRuleBypassOptions"`
	NetworkRuleSet           *networkRuleSet   `pulumi:"networkRuleSet"`
	Policies                 *registryPolicies `pulumi:"policies"`
	Tags                     map[string]string `pulumi:"tags"`
}

func (ContainerRegistryArgs) ElementType() reflect.Type {
	return reflect.TypeOf((*containerRegistryArgs)(nil)).Elem()
}

// NetworkRuleSetArgs is a registry's firewall.
type NetworkRuleSetArgs struct {
	DefaultAction pulumi.StringInput // Allow, Deny
}

type networkRuleSet struct {
	DefaultAction string `pulumi:"defaultAction"`
}

func (NetworkRuleSetArgs) ElementType() reflect.Type {
	return reflect.TypeOf((*networkRuleSet)(nil)).Elem()
}

// RegistryPoliciesArgs are a registry's policies; only retention is set.
type RegistryPoliciesArgs struct {
	RetentionPolicy RetentionPolicyArgs
}

type registryPolicies struct {
	RetentionPolicy retentionPolicy `pulumi:"retentionPolicy"`
}

func (RegistryPoliciesArgs) ElementType() reflect.Type {
	return reflect.TypeOf((*registryPolicies)(nil)).Elem()
}

// RetentionPolicyArgs purges untagged manifests after Days.
type RetentionPolicyArgs struct {
	Status pulumi.StringInput // enabled, disabled
	Days   pulumi.IntInput
}

type retentionPolicy struct {
	Status string `pulumi:"status"`
	Days   int    `pulumi:"days"`
}

func (RetentionPolicyArgs) ElementType() reflect.Type {
	return reflect.TypeOf((*retentionPolicy)(nil)).Elem()
}

// NewContainerRegistry registers a container registry.
func NewContainerRegistry(ctx *pulumi.Context, name string, args *ContainerRegistryArgs, opts ...pulumi.ResourceOption) (*ContainerRegistry, error) {
	var r ContainerRegistry
	if err := ctx.RegisterResource(ContainerRegistryType, name, args, &r, mlOpts(opts)...); err != nil {
		return nil, err
	}
	return &r, nil
}
