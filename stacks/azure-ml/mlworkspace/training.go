package mlworkspace

import (
	"fmt"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// Sizes of the stack's compute.
const (
	computeVMSize      = "Standard_DS3_v2"
	clusterMaxNodes    = 4
	instanceIdleTime   = "PT60M"  // idle compute instances stop after an hour
	clusterIdleTime    = "PT120S" // idle cluster nodes are released after two minutes
	modelRetentionDays = 30       // untagged model image manifests are purged after
)

// serving is the stack's compute and scoring: a compute instance for
// development, a training cluster and an online endpoint, all inside the
// workspace's network and reached with Entra ID only.
type serving struct {
	Instance *Compute
	Cluster  *Compute
	Endpoint *OnlineEndpoint
}

// newModelRegistry is the container registry the workspace builds and
// pulls model images from: Premium (network rules, retention), no admin
// user, reached like the workspace.
func newModelRegistry(ctx *pulumi.Context, cfg *Config, rg pulumi.StringOutput, tags pulumi.StringMap) (*ContainerRegistry, error) {
	return NewContainerRegistry(ctx, "models", &ContainerRegistryArgs{
		ResourceGroupName:        rg,
		Location:                 pulumi.String(cfg.Location),
		Sku:                      SkuArgs{Name: pulumi.String("Premium")},
		AdminUserEnabled:         pulumi.Bool(false),
		PublicNetworkAccess:      pulumi.String(cfg.PublicNetworkAccess),
		NetworkRuleBypassOptions: pulumi.String("AzureServices"),
		NetworkRuleSet:           &NetworkRuleSetArgs{DefaultAction: pulumi.String(denyWhenPrivate(cfg))},
		Policies: &RegistryPoliciesArgs{RetentionPolicy: RetentionPolicyArgs{
			Status: pulumi.String("enabled"), Days: pulumi.Int(modelRetentionDays),
		}},
		Tags: tags,
	})
}

// denyWhenPrivate is the default action of a firewall that follows the
// stack's public network access setting.
func denyWhenPrivate(cfg *Config) string {
	if cfg.PublicNetworkAccess == "Disabled" {
		return "Deny"
	}
	return "Allow"
}

func newServing(ctx *pulumi.Context, cfg *Config, rg pulumi.StringOutput, ws *Workspace, net *workspaceNetwork, tags pulumi.StringMap) (*serving, error) {
	s := &serving{}
	subnet := &ResourceIDArgs{ID: net.SubnetID}
	compute := func(name, computeName, computeType string, settings ComputeSettingsArgs) (*Compute, error) {
		settings.VmSize = pulumi.String(computeVMSize)
		settings.Subnet = subnet
		settings.EnableNodePublicIp = pulumi.Bool(false)
		return NewCompute(ctx, name, &ComputeArgs{
			ComputeName:       pulumi.String(computeName),
			ResourceGroupName: rg,
			WorkspaceName:     ws.Name,
			Location:          pulumi.String(cfg.Location),
			Properties: ComputePropertiesArgs{
				ComputeType:      pulumi.String(computeType),
				DisableLocalAuth: pulumi.Bool(true),
				Properties:       settings,
			},
			Tags: tags,
		})
	}
	var err error
	// Compute instance names are unique per region; the stack's name keeps
	// each stack's apart.
	if s.Instance, err = compute("dev-instance", fmt.Sprintf("ci-%.21s", ctx.Stack()), "ComputeInstance", ComputeSettingsArgs{
		IdleTimeBeforeShutdown: pulumi.String(instanceIdleTime),
		SshSettings:            &ComputeSSHSettingsArgs{SshPublicAccess: pulumi.String("Disabled")},
	}); err != nil {
		return nil, err
	}
	if s.Cluster, err = compute("training-cluster", "cpu-cluster", "AmlCompute", ComputeSettingsArgs{
		ScaleSettings: &ScaleSettingsArgs{
			MinNodeCount: pulumi.Int(0), MaxNodeCount: pulumi.Int(clusterMaxNodes),
			NodeIdleTimeBeforeScaleDown: pulumi.String(clusterIdleTime),
		},
		RemoteLoginPortPublicAccess: pulumi.String("Disabled"),
	}); err != nil {
		return nil, err
	}
	s.Endpoint, err = NewOnlineEndpoint(ctx, "scoring", &OnlineEndpointArgs{
		EndpointName:      pulumi.String(fmt.Sprintf("%.26s-score", cfg.WorkspaceName)),
		ResourceGroupName: rg,
		WorkspaceName:     ws.Name,
		Location:          pulumi.String(cfg.Location),
		Identity:          &ManagedServiceIdentityArgs{Type: pulumi.String("SystemAssigned")},
		OnlineEndpointProperties: OnlineEndpointPropertiesArgs{
			AuthMode:            pulumi.String("AADToken"),
			PublicNetworkAccess: pulumi.String(cfg.PublicNetworkAccess),
			Description:         pulumi.String("Real-time scoring (" + ctx.Project() + "/" + ctx.Stack() + ")"),
		},
		Tags: tags,
	})
	if err != nil {
		return nil, err
	}
	return s, nil
}
