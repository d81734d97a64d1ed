package examples

import (
	"github.com/pulumi/pulumi-azure-native-sdk/resources/v2"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/mlguard/mlguard/stacks/azure-ml/mlworkspace"
)

// Azure are the Azure examples.
var Azure = []Example{
	{
		Name: "seed-azure-ml-featureset",
		About: "seed 003: an Azure ML workspace and a featureset version whose data reference is an empty placeholder; " +
			"the plain-text export of the workspace key is left out (outputs are not resources: no policy sees them)",
		Config:  map[string]string{"azure-native:location": "westeurope"},
		Program: azureMLFeatureset,
		Expect: []Violation{
			{"azureml-featureset-data-reference", "featuresetVersion", true},
			{"azureml-featureset-data-reference", "featuresetVersion", true},
			{"azureml-workspace-private", "mlWorkspace", false},
			// Azure refuses a workspace without its storage account, key
			// vault and Application Insights: one violation for each.
			{"azureml-workspace-dependencies", "mlWorkspace", true},
			{"azureml-workspace-dependencies", "mlWorkspace", true},
			{"azureml-workspace-dependencies", "mlWorkspace", true},
			{"azureml-workspace-diagnostics", "mlWorkspace", false},
			{"required-tags", "mlResourceGroup", true},
			{"required-tags", "mlWorkspace", true},
		},
	},
}

// Seeds are every seed example, AWS and Azure.
func Seeds() []Example { return append(append([]Example(nil), AWS...), Azure...) }

// azureMLFeatureset is seed 003 as written: nothing tagged, the workspace
// open to the internet, without the storage account, key vault and
// Application Insights Azure requires, no diagnostic setting, and a featureset version with no specification and
// data_version_id="".
func azureMLFeatureset(ctx *pulumi.Context) error {
	rg, err := resources.NewResourceGroup(ctx, "mlResourceGroup", nil)
	if err != nil {
		return err
	}
	ws, err := mlworkspace.NewWorkspace(ctx, "mlWorkspace", &mlworkspace.WorkspaceArgs{
		ResourceGroupName: rg.Name,
		Location:          rg.Location,
		Sku:               &mlworkspace.SkuArgs{Name: pulumi.String("Basic")},
		Identity:          &mlworkspace.ManagedServiceIdentityArgs{Type: pulumi.String("SystemAssigned")},
	})
	if err != nil {
		return err
	}
	// data_version_id is not in the typed wrapper (nor in the API): the seed's
	// properties go in as written, through the wrapper's type token.
	var version pulumi.CustomResourceState
	if err := ctx.RegisterResource(mlworkspace.FeaturesetVersionType, "featuresetVersion", pulumi.Map{
		"name":              pulumi.String("sampleFeatureset"),
		"version":           pulumi.String("1.0"),
		"workspaceName":     ws.Name,
		"resourceGroupName": rg.Name,
		"featuresetVersionProperties": pulumi.Map{
			"dataVersionId": pulumi.String(""),
		},
	}, &version, pulumi.Version(mlworkspace.AzureNativeVersion)); err != nil {
		return err
	}
	ctx.Export("resource_group", rg.Name)
	ctx.Export("ml_workspace", ws.Name)
	return nil
}
