package tests

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"google.golang.org/protobuf/types/known/structpb"

	"github.com/mlguard/mlguard/stacks/azure-ml/azuremock"
	"github.com/mlguard/mlguard/stacks/azure-ml/mlworkspace"
	"github.com/mlguard/mlguard/tests/packcheck"
)

// azureDevConfig is the azure-ml stack configuration of the tests
// (Pulumi.dev.yaml's essentials).
var azureDevConfig = map[string]string{
	"azure-native:location":        azuremock.Location,
	"azure-ml:owner":               "ml-platform-team",
	"azure-ml:costCenter":          "cc-4711",
	"azure-ml:dataClassification":  "confidential",
	"azure-ml:publicNetworkAccess": "Disabled",
	"azure-ml:extraTags":           `{"environment":"dev"}`,
}

func mockedAzureML(t *testing.T, change map[string]string) []*pulumirpc.AnalyzerResource {
	t.Helper()
	config := map[string]string{}
	for k, v := range azureDevConfig {
		config[k] = v
	}
	for k, v := range change {
		config[k] = v
	}
	b, err := json.Marshal(config)
	require.NoError(t, err)
	t.Setenv("PULUMI_CONFIG", string(b))
	mocks := &azuremock.Mocks{}
	require.NoError(t, pulumi.RunErr(mlworkspace.Program, pulumi.WithMocks("azure-ml", "dev", mocks)))
	resources, err := packcheck.Resources("azure-ml", "dev", mocks.Registered())
	require.NoError(t, err)
	return resources
}

// The Azure reference stack passes every policy at its default level: no
// diagnostic at all, mandatory or advisory, for every data classification
// (the HBI rule depends on it).
func TestAzureMLPassesThePack(t *testing.T) {
	for _, class := range []string{"confidential", "restricted", "internal", "public"} {
		t.Run(class, func(t *testing.T) {
			resources := mockedAzureML(t, map[string]string{"azure-ml:dataClassification": class})
			result, err := packcheck.Analyze(timeout(t), launchPack(t), resources)
			require.NoError(t, err)
			assert.Empty(t, result.Messages())
			assert.Empty(t, result.NotApplicable, "every check ran on known values")
			assert.Equal(t, 23, len(resources), "every registered resource is analyzed")
		})
	}
}

// The checks above are not vacuous: without tags the taggable resources
// fail required-tags (and the workspace can no longer be checked for HBI),
// and with the workspace's and featureset's governed settings undone the
// Azure ML policies fire.
func TestAzureMLNegativeControls(t *testing.T) {
	t.Run("no tags", func(t *testing.T) {
		resources := mockedAzureML(t, nil)
		for _, r := range resources {
			delete(r.Properties.GetFields(), "tags")
		}
		result, err := packcheck.Analyze(timeout(t), launchPack(t), resources)
		require.NoError(t, err)
		failed := map[string]bool{}
		for _, d := range result.Diagnostics {
			assert.Equal(t, "required-tags", d.PolicyName, d.Message)
			failed[string(resource.URN(d.GetUrn()).Type())] = true
		}
		assert.Equal(t, map[string]bool{
			"azure-native:resources:ResourceGroup": true, "azure-native:keyvault:Vault": true,
			"azure-native:storage:StorageAccount": true, mlworkspace.WorkspaceType: true,
			"azure-native:operationalinsights:Workspace": true, "azure-native:insights:Component": true,
			mlworkspace.VirtualNetworkType: true, mlworkspace.PrivateEndpointType: true,
			mlworkspace.ComputeType: true, mlworkspace.OnlineEndpointType: true, mlworkspace.ContainerRegistryType: true,
		}, failed, "every tracked resource (sub-resources such as blob containers take no tags)")
	})
	t.Run("ungoverned workspace and featureset", func(t *testing.T) {
		resources := mockedAzureML(t, nil)
		for _, r := range resources {
			f := r.Properties.GetFields()
			switch r.Type {
			case mlworkspace.WorkspaceType:
				f["hbiWorkspace"] = structpb.NewBoolValue(false)
				f["publicNetworkAccess"] = structpb.NewStringValue("Enabled")
				delete(f, "identity")
			case mlworkspace.FeaturesetVersionType:
				props := f["featuresetVersionProperties"].GetStructValue().GetFields()
				delete(props, "specification")
				props["dataVersionId"] = structpb.NewStringValue("")
			case "azure-native:storage:StorageAccount":
				f["allowBlobPublicAccess"] = structpb.NewBoolValue(true)
				f["minimumTlsVersion"] = structpb.NewStringValue("TLS1_0")
			case "azure-native:keyvault:Vault":
				delete(f["properties"].GetStructValue().GetFields(), "enablePurgeProtection")
			}
		}
		result, err := packcheck.Analyze(timeout(t), launchPack(t), resources)
		require.NoError(t, err)
		var policies []string
		for _, d := range result.Diagnostics {
			policies = append(policies, d.PolicyName)
		}
		assert.ElementsMatch(t, []string{
			"azureml-workspace-hbi", "azureml-workspace-private", "azureml-workspace-managed-identity",
			"azureml-featureset-data-reference", "azureml-featureset-data-reference",
			"azure-storage-no-public-blob", "azure-storage-secure-transport", "azure-keyvault-purge-protection",
		}, policies, strings.Join(result.Messages(), "\n"))
	})
}
