// Package mlworkspace is the azure-ml stack: an Azure Machine Learning
// feature store workspace with its dependencies (Log Analytics and
// workspace-based Application Insights, an RBAC key vault with purge
// protection, a versioned TLS-only storage account, a container registry for
// model images), its private endpoint and diagnostic setting, a governed
// dataset location, a featureset whose version points at a specification
// uploaded by the stack, a compute instance and a training cluster in the
// stack's subnet and an Entra-only online endpoint — all tagged from one
// place in stack config, so that it passes every mlguard policy.
package mlworkspace

import (
	"github.com/pulumi/pulumi-azure-native-sdk/authorization/v2"
	"github.com/pulumi/pulumi-azure-native-sdk/insights/v2"
	"github.com/pulumi/pulumi-azure-native-sdk/keyvault/v2"
	"github.com/pulumi/pulumi-azure-native-sdk/operationalinsights/v2"
	"github.com/pulumi/pulumi-azure-native-sdk/resources/v2"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// Program is the stack's Pulumi program.
func Program(ctx *pulumi.Context) error {
	cfg, err := LoadConfig(ctx)
	if err != nil {
		return err
	}
	_, err = Deploy(ctx, cfg)
	return err
}

// Stack is what Deploy created, for outputs and tests.
type Stack struct {
	Client        *authorization.GetClientConfigResult
	ResourceGroup *resources.ResourceGroup
	Monitoring    *monitoring
	Vault         *keyvault.Vault
	Data          *dataStorage
	Workspace     *Workspace
	Features      *featureStore
	Roles         []*authorization.RoleAssignment
	Network       *workspaceNetwork
	Diagnostics   *insights.DiagnosticSetting
	Registry      *ContainerRegistry
	Serving       *serving
	// Keys are the workspace keys, a secret; nil at preview, when they are
	// never read.
	Keys pulumi.Output
}

// Deploy creates every resource of the stack.
func Deploy(ctx *pulumi.Context, cfg *Config) (*Stack, error) {
	client, err := authorization.GetClientConfig(ctx)
	if err != nil {
		return nil, err
	}
	st := &Stack{Client: client}
	tags := pulumi.ToStringMap(cfg.Tags)

	st.ResourceGroup, err = resources.NewResourceGroup(ctx, "ml", &resources.ResourceGroupArgs{
		Location: pulumi.String(cfg.Location),
		Tags:     tags,
	})
	if err != nil {
		return nil, err
	}
	rg := st.ResourceGroup.Name
	if st.Monitoring, err = newMonitoring(ctx, cfg, rg, tags); err != nil {
		return nil, err
	}
	if st.Vault, err = newVault(ctx, cfg, client.TenantId, rg, tags); err != nil {
		return nil, err
	}
	if st.Data, err = newDataStorage(ctx, cfg, rg, tags); err != nil {
		return nil, err
	}
	if st.Registry, err = newModelRegistry(ctx, cfg, rg, tags); err != nil {
		return nil, err
	}

	// One workspace, of kind FeatureStore: featuresets and feature store
	// entities can only be created in a feature store, and a feature store
	// is itself an Azure ML workspace (with the same storage, key vault,
	// Application Insights and identity wiring). Training and inference
	// workspaces of kind Default consume it across workspaces; they are
	// left to the teams' own stacks.
	st.Workspace, err = NewWorkspace(ctx, "workspace", &WorkspaceArgs{
		WorkspaceName:       pulumi.String(cfg.WorkspaceName),
		ResourceGroupName:   rg,
		Location:            pulumi.String(cfg.Location),
		Kind:                pulumi.String("FeatureStore"),
		FriendlyName:        pulumi.String(cfg.WorkspaceName),
		Description:         pulumi.String("Governed Azure ML feature store (" + ctx.Project() + "/" + ctx.Stack() + ")"),
		Identity:            &ManagedServiceIdentityArgs{Type: pulumi.String("SystemAssigned")},
		Sku:                 &SkuArgs{Name: pulumi.String("Basic"), Tier: pulumi.String("Basic")},
		ApplicationInsights: st.Monitoring.Insights.ID().ToStringOutput(),
		KeyVault:            st.Vault.ID().ToStringOutput(),
		StorageAccount:      st.Data.Account.ID().ToStringOutput(),
		ContainerRegistry:   st.Registry.ID().ToStringOutput(),
		// mlguard's azureml-workspace-hbi: confidential and restricted data
		// need a high-business-impact workspace.
		HbiWorkspace:        pulumi.Bool(cfg.HBI()),
		PublicNetworkAccess: pulumi.String(cfg.PublicNetworkAccess),
		FeatureStoreSettings: &FeatureStoreSettingsArgs{
			ComputeRuntime: &ComputeRuntimeArgs{SparkRuntimeVersion: pulumi.String("3.3")},
		},
		Tags: tags,
	}, pulumi.DependsOn([]pulumi.Resource{st.Data.BlobService}))
	if err != nil {
		return nil, err
	}
	if st.Network, err = newWorkspaceNetwork(ctx, cfg, rg, st.Workspace, tags); err != nil {
		return nil, err
	}
	if st.Diagnostics, err = newWorkspaceDiagnostics(ctx, st.Workspace, st.Monitoring); err != nil {
		return nil, err
	}
	if st.Serving, err = newServing(ctx, cfg, rg, st.Workspace, st.Network, tags); err != nil {
		return nil, err
	}
	if cfg.AssignRoles {
		if st.Roles, err = newRoleAssignments(ctx, client.SubscriptionId, st); err != nil {
			return nil, err
		}
	}
	if st.Features, err = newFeatureStore(ctx, cfg, rg, st.Workspace, st.Data, tags); err != nil {
		return nil, err
	}
	if !ctx.DryRun() {
		st.Keys = workspaceKeys(ctx, rg, st.Workspace.Name)
	}
	st.export(ctx)
	return st, nil
}

// workspaceKeys reads the workspace keys once the workspace exists and
// wraps them as a secret.
func workspaceKeys(ctx *pulumi.Context, rg, workspace pulumi.StringOutput) pulumi.Output {
	keys := pulumi.All(rg, workspace).ApplyT(func(names []any) (map[string]string, error) {
		k, err := ListWorkspaceKeys(ctx, names[0].(string), names[1].(string))
		if err != nil {
			return nil, err
		}
		return map[string]string{
			"appInsightsInstrumentationKey": k.AppInsightsInstrumentationKey,
			"userStorageKey":                k.UserStorageKey,
			"userStorageResourceId":         k.UserStorageResourceId,
		}, nil
	}).(pulumi.StringMapOutput)
	return pulumi.ToSecret(keys)
}

func (st *Stack) export(ctx *pulumi.Context) {
	ctx.Export("resourceGroupName", st.ResourceGroup.Name)
	ctx.Export("workspaceName", st.Workspace.Name)
	ctx.Export("workspaceId", st.Workspace.ID())
	ctx.Export("discoveryUrl", st.Workspace.DiscoveryUrl)
	ctx.Export("storageAccountName", st.Data.Account.Name)
	ctx.Export("keyVaultName", st.Vault.Name)
	ctx.Export("applicationInsightsId", st.Monitoring.Insights.ID())
	ctx.Export("datasetsPath", st.Data.DatasetsPath())
	ctx.Export("featuresetSpecificationPath", st.Features.SpecPath)
	ctx.Export("featuresetVersionId", st.Features.Version.ID())
	if st.Keys != nil {
		ctx.Export("workspaceKeys", st.Keys)
	}
}

// monitoring is Log Analytics and the workspace-based Application Insights
// the ML workspace reports to.
type monitoring struct {
	Logs     *operationalinsights.Workspace
	Insights *insights.Component
}

func newMonitoring(ctx *pulumi.Context, cfg *Config, rg pulumi.StringOutput, tags pulumi.StringMap) (*monitoring, error) {
	logs, err := operationalinsights.NewWorkspace(ctx, "logs", &operationalinsights.WorkspaceArgs{
		ResourceGroupName: rg,
		Location:          pulumi.String(cfg.Location),
		Sku:               &operationalinsights.WorkspaceSkuArgs{Name: pulumi.String("PerGB2018")},
		RetentionInDays:   pulumi.Int(cfg.LogRetentionDays),
		Tags:              tags,
	})
	if err != nil {
		return nil, err
	}
	ai, err := insights.NewComponent(ctx, "insights", &insights.ComponentArgs{
		ResourceGroupName:   rg,
		Location:            pulumi.String(cfg.Location),
		Kind:                pulumi.String("web"),
		ApplicationType:     pulumi.String("web"),
		IngestionMode:       pulumi.String("LogAnalytics"),
		WorkspaceResourceId: logs.ID().ToStringOutput(),
		Tags:                tags,
	})
	if err != nil {
		return nil, err
	}
	return &monitoring{Logs: logs, Insights: ai}, nil
}

func newVault(ctx *pulumi.Context, cfg *Config, tenantID string, rg pulumi.StringOutput, tags pulumi.StringMap) (*keyvault.Vault, error) {
	defaultAction := "Allow"
	if cfg.PublicNetworkAccess == "Disabled" {
		defaultAction = "Deny"
	}
	return keyvault.NewVault(ctx, "vault", &keyvault.VaultArgs{
		ResourceGroupName: rg,
		Location:          pulumi.String(cfg.Location),
		Properties: &keyvault.VaultPropertiesArgs{
			TenantId: pulumi.String(tenantID),
			Sku:      &keyvault.SkuArgs{Family: pulumi.String("A"), Name: keyvault.SkuNameStandard},
			// Access through Azure RBAC only: no access policies to drift.
			EnableRbacAuthorization:   pulumi.Bool(true),
			EnableSoftDelete:          pulumi.Bool(true),
			SoftDeleteRetentionInDays: pulumi.Int(cfg.KeyVaultRetentionDays),
			EnablePurgeProtection:     pulumi.Bool(true),
			PublicNetworkAccess:       pulumi.String(cfg.PublicNetworkAccess),
			NetworkAcls: &keyvault.NetworkRuleSetArgs{
				Bypass:        pulumi.String("AzureServices"),
				DefaultAction: pulumi.String(defaultAction),
			},
		},
		Tags: tags,
	})
}

// Built-in Azure role definitions the workspace identity gets.
const (
	RoleKeyVaultAdministrator      = "00482a5a-887f-4fb3-b363-3b7fe8e74483"
	RoleStorageBlobDataContributor = "ba92f5b4-2d11-453d-a403-e96b0029c9fe"
)

// newRoleAssignments gives the workspace's managed identity what it needs on
// an RBAC key vault and for identity-based access to the data.
func newRoleAssignments(ctx *pulumi.Context, subscriptionID string, st *Stack) ([]*authorization.RoleAssignment, error) {
	var out []*authorization.RoleAssignment
	for _, a := range []struct {
		name, role string
		scope      pulumi.IDOutput
	}{
		{"workspace-keyvault-admin", RoleKeyVaultAdministrator, st.Vault.ID()},
		{"workspace-blob-contributor", RoleStorageBlobDataContributor, st.Data.Account.ID()},
	} {
		ra, err := authorization.NewRoleAssignment(ctx, a.name, &authorization.RoleAssignmentArgs{
			PrincipalId:      st.Workspace.PrincipalID(),
			PrincipalType:    pulumi.String("ServicePrincipal"), // no wait for directory replication
			RoleDefinitionId: pulumi.String("/subscriptions/" + subscriptionID + "/providers/Microsoft.Authorization/roleDefinitions/" + a.role),
			Scope:            a.scope.ToStringOutput(),
			Description:      pulumi.String("Azure ML workspace identity (" + ctx.Project() + "/" + ctx.Stack() + ")"),
		})
		if err != nil {
			return nil, err
		}
		out = append(out, ra)
	}
	return out, nil
}
