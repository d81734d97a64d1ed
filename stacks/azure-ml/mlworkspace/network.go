package mlworkspace

import (
	"github.com/pulumi/pulumi-azure-native-sdk/insights/v2"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// Type tokens of the network resources, registered by token: the
// azure-native network Go module is not fetched by this stack (see
// machinelearning.go for why registering by token is what the SDK does).
const (
	VirtualNetworkType  = "azure-native:network:VirtualNetwork"
	PrivateEndpointType = "azure-native:network:PrivateEndpoint"
)

// Address space of the stack's virtual network and its subnet for private
// endpoints and compute.
const (
	vnetAddressSpace = "10.20.0.0/16"
	mlSubnetName     = "ml"
	mlSubnetPrefix   = "10.20.1.0/24"
)

// workspaceNetwork is the virtual network the workspace's private endpoint
// and compute sit in, and that endpoint.
type workspaceNetwork struct {
	VNet     *pulumi.CustomResourceState
	SubnetID pulumi.StringOutput
	Endpoint *pulumi.CustomResourceState // nil while the workspace is public
}

func newWorkspaceNetwork(ctx *pulumi.Context, cfg *Config, rg pulumi.StringOutput, ws *Workspace, tags pulumi.StringMap) (*workspaceNetwork, error) {
	n := &workspaceNetwork{VNet: &pulumi.CustomResourceState{}}
	if err := ctx.RegisterResource(VirtualNetworkType, "ml-vnet", pulumi.Map{
		"resourceGroupName": rg,
		"location":          pulumi.String(cfg.Location),
		"addressSpace":      pulumi.Map{"addressPrefixes": pulumi.StringArray{pulumi.String(vnetAddressSpace)}},
		"subnets": pulumi.Array{pulumi.Map{
			"name":                           pulumi.String(mlSubnetName),
			"addressPrefix":                  pulumi.String(mlSubnetPrefix),
			"privateEndpointNetworkPolicies": pulumi.String("Disabled"),
		}},
		"tags": tags,
	}, n.VNet, mlOpts(nil)...); err != nil {
		return nil, err
	}
	n.SubnetID = pulumi.Sprintf("%s/subnets/%s", n.VNet.ID(), mlSubnetName)
	// mlguard's azureml-workspace-private-endpoint: a workspace without
	// public access is reached through a private endpoint.
	if cfg.PublicNetworkAccess == "Disabled" {
		n.Endpoint = &pulumi.CustomResourceState{}
		if err := ctx.RegisterResource(PrivateEndpointType, "workspace-pe", pulumi.Map{
			"resourceGroupName": rg,
			"location":          pulumi.String(cfg.Location),
			"subnet":            pulumi.Map{"id": n.SubnetID},
			"privateLinkServiceConnections": pulumi.Array{pulumi.Map{
				"name":                 pulumi.String("workspace"),
				"privateLinkServiceId": ws.ID(),
				"groupIds":             pulumi.StringArray{pulumi.String("amlworkspace")},
			}},
			"tags": tags,
		}, n.Endpoint, mlOpts(nil)...); err != nil {
			return nil, err
		}
	}
	return n, nil
}

// newWorkspaceDiagnostics sends every workspace log category to Log
// Analytics (mlguard's azureml-workspace-diagnostics).
func newWorkspaceDiagnostics(ctx *pulumi.Context, ws *Workspace, logs *monitoring) (*insights.DiagnosticSetting, error) {
	return insights.NewDiagnosticSetting(ctx, "workspace-diagnostics", &insights.DiagnosticSettingArgs{
		ResourceUri: ws.ID().ToStringOutput(),
		WorkspaceId: logs.Logs.ID().ToStringPtrOutput(),
		Logs: insights.LogSettingsArray{insights.LogSettingsArgs{
			CategoryGroup: pulumi.String("allLogs"),
			Enabled:       pulumi.Bool(true),
		}},
	})
}
