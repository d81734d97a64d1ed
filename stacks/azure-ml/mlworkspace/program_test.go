package mlworkspace_test

import (
	"context"
	"encoding/json"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/internals"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gopkg.in/yaml.v3"

	"github.com/mlguard/mlguard/stacks/azure-ml/azuremock"
	"github.com/mlguard/mlguard/stacks/azure-ml/mlworkspace"
)

var devConfig = map[string]string{
	"azure-native:location": azuremock.Location,
	"azure-ml:owner":        "ml-platform-team",
	"azure-ml:costCenter":   "cc-4711",
	"azure-ml:extraTags":    `{"environment":"dev"}`,
}

var wantTags = map[string]any{
	"owner": "ml-platform-team", "project": "azure-ml", "cost-center": "cc-4711",
	"data-classification": "confidential", "environment": "dev",
}

func with(change map[string]string) map[string]string {
	config := map[string]string{}
	for k, v := range devConfig {
		config[k] = v
	}
	for k, v := range change {
		config[k] = v
	}
	return config
}

// dryRun makes the mocked run a preview.
func dryRun(info *pulumi.RunInfo) { info.DryRun = true }

// run executes the program under mocks with the given config.
func run(t *testing.T, config map[string]string, opts ...pulumi.RunOption) (*azuremock.Mocks, *mlworkspace.Stack, error) {
	t.Helper()
	b, err := json.Marshal(config)
	require.NoError(t, err)
	t.Setenv("PULUMI_CONFIG", string(b))
	mocks := &azuremock.Mocks{}
	var st *mlworkspace.Stack
	err = pulumi.RunErr(func(ctx *pulumi.Context) error {
		cfg, err := mlworkspace.LoadConfig(ctx)
		if err != nil {
			return err
		}
		st, err = mlworkspace.Deploy(ctx, cfg)
		return err
	}, append([]pulumi.RunOption{pulumi.WithMocks("azure-ml", "dev", mocks)}, opts...)...)
	return mocks, st, err
}

func deployed(t *testing.T) *azuremock.Mocks {
	t.Helper()
	mocks, _, err := run(t, devConfig)
	require.NoError(t, err)
	return mocks
}

func one(t *testing.T, m *azuremock.Mocks, token string) pulumi.MockResourceArgs {
	t.Helper()
	rs := m.OfType(token)
	require.Len(t, rs, 1, token)
	return rs[0]
}

// get reads a nested input by dotted path.
func get(args pulumi.MockResourceArgs, path string) any {
	var v any = args.Inputs.Mappable()
	for _, seg := range strings.Split(path, ".") {
		switch x := v.(type) {
		case map[string]any:
			v = x[seg]
		case []any: // a list element by index
			i, err := strconv.Atoi(seg)
			if err != nil || i < 0 || i >= len(x) {
				return nil
			}
			v = x[i]
		default:
			return nil
		}
	}
	return v
}

const (
	rgName  = "ml" + azuremock.Suffix
	account = "mldata" + azuremock.Suffix
	rgID    = "/subscriptions/" + azuremock.SubscriptionID + "/resourceGroups/" + rgName
)

func TestResourceCountsByType(t *testing.T) {
	counts := map[string]int{}
	for _, r := range deployed(t).Registered() {
		counts[r.TypeToken]++
	}
	assert.Equal(t, map[string]int{
		"azure-native:resources:ResourceGroup":                                   1,
		"azure-native:operationalinsights:Workspace":                             1,
		"azure-native:insights:Component":                                        1,
		"azure-native:keyvault:Vault":                                            1,
		"azure-native:storage:StorageAccount":                                    1,
		"azure-native:storage:BlobServiceProperties":                             1,
		"azure-native:storage:BlobContainer":                                     2,
		"azure-native:storage:Blob":                                              1,
		"azure-native:machinelearningservices:Workspace":                         1,
		"azure-native:authorization:RoleAssignment":                              2,
		"azure-native:machinelearningservices:FeaturestoreEntityContainerEntity": 1,
		"azure-native:machinelearningservices:FeaturestoreEntityVersion":         1,
		"azure-native:machinelearningservices:FeaturesetContainerEntity":         1,
		"azure-native:machinelearningservices:FeaturesetVersion":                 1,
		"azure-native:network:VirtualNetwork":                                    1,
		"azure-native:network:PrivateEndpoint":                                   1,
		"azure-native:insights:DiagnosticSetting":                                1,
		mlworkspace.ContainerRegistryType:                                        1,
		mlworkspace.ComputeType:                                                  2,
		mlworkspace.OnlineEndpointType:                                           1,
	}, counts)
}

// The training and serving pieces carry the governed settings: compute in
// the stack's subnet without public IPs or local auth, an instance that
// stops when idle and takes no SSH, a cluster that scales to zero, an
// Entra-only private endpoint, and a registry without admin user.
func TestServing(t *testing.T) {
	m := deployed(t)
	subnet := "ml-vnet-id/subnets/ml"
	byName := map[string]pulumi.MockResourceArgs{}
	for _, r := range m.OfType(mlworkspace.ComputeType) {
		byName[r.Name] = r
	}
	for name, want := range map[string]map[string]any{
		"dev-instance": {"properties.computeType": "ComputeInstance", "properties.properties.idleTimeBeforeShutdown": "PT60M",
			"properties.properties.sshSettings.sshPublicAccess": "Disabled"},
		"training-cluster": {"properties.computeType": "AmlCompute", "properties.properties.scaleSettings.minNodeCount": 0.0,
			"properties.properties.remoteLoginPortPublicAccess": "Disabled"},
	} {
		want["properties.disableLocalAuth"] = true
		want["properties.properties.enableNodePublicIp"] = false
		want["properties.properties.subnet.id"] = subnet
		want["workspaceName"] = "azure-ml-dev"
		for path, v := range want {
			assert.Equal(t, v, get(byName[name], path), name+" "+path)
		}
	}
	ep := one(t, m, mlworkspace.OnlineEndpointType)
	assert.Equal(t, "AADToken", get(ep, "onlineEndpointProperties.authMode"))
	assert.Equal(t, "Disabled", get(ep, "onlineEndpointProperties.publicNetworkAccess"))
	acr := one(t, m, mlworkspace.ContainerRegistryType)
	for path, want := range map[string]any{"sku.name": "Premium", "adminUserEnabled": false, "publicNetworkAccess": "Disabled",
		"networkRuleSet.defaultAction": "Deny", "policies.retentionPolicy.status": "enabled"} {
		assert.Equal(t, want, get(acr, path), path)
	}
	assert.Equal(t, rgID+"/providers/Microsoft.ContainerRegistry/registries/models"+azuremock.Suffix,
		get(one(t, m, mlworkspace.WorkspaceType), "containerRegistry"), "the workspace builds its images into the registry")
}

// The workspace without public access is reached through a private
// endpoint in the stack's subnet, and its logs go to Log Analytics.
func TestWorkspaceNetworkAndDiagnostics(t *testing.T) {
	m := deployed(t)
	wsID := rgID + "/providers/Microsoft.MachineLearningServices/workspaces/azure-ml-dev"
	pe := one(t, m, mlworkspace.PrivateEndpointType)
	assert.Equal(t, wsID, get(pe, "privateLinkServiceConnections.0.privateLinkServiceId"))
	assert.Equal(t, []any{"amlworkspace"}, get(pe, "privateLinkServiceConnections.0.groupIds"))
	assert.Equal(t, "ml-vnet-id/subnets/ml", get(pe, "subnet.id"))
	diag := one(t, m, "azure-native:insights:DiagnosticSetting")
	assert.Equal(t, wsID, get(diag, "resourceUri"))
	assert.Equal(t, rgID+"/providers/Microsoft.OperationalInsights/workspaces/logs"+azuremock.Suffix, get(diag, "workspaceId"))
	assert.Equal(t, "allLogs", get(diag, "logs.0.categoryGroup"))
	sa := one(t, m, "azure-native:storage:StorageAccount")
	assert.Equal(t, "Disabled", get(sa, "publicNetworkAccess"))
	assert.Equal(t, "Deny", get(sa, "networkRuleSet.defaultAction"))
}

func TestWorkspace(t *testing.T) {
	m := deployed(t)
	ws := one(t, m, mlworkspace.WorkspaceType)
	for path, want := range map[string]any{
		"workspaceName":       "azure-ml-dev",
		"resourceGroupName":   rgName,
		"location":            azuremock.Location,
		"kind":                "FeatureStore",
		"identity.type":       "SystemAssigned",
		"sku.name":            "Basic",
		"publicNetworkAccess": "Disabled",
		"hbiWorkspace":        true,
		"applicationInsights": rgID + "/providers/Microsoft.Insights/components/insights" + azuremock.Suffix,
		"keyVault":            rgID + "/providers/Microsoft.KeyVault/vaults/vault" + azuremock.Suffix,
		"storageAccount":      rgID + "/providers/Microsoft.Storage/storageAccounts/" + account,
		"featureStoreSettings.computeRuntime.sparkRuntimeVersion": "3.3",
	} {
		assert.Equal(t, want, get(ws, path), path)
	}
	// The hand-written bindings pin the provider like the generated SDK.
	for _, token := range []string{mlworkspace.WorkspaceType, mlworkspace.FeaturesetContainerType, mlworkspace.FeaturesetVersionType,
		mlworkspace.FeaturestoreEntityContainerType, mlworkspace.FeaturestoreEntityVersionType, "azure-native:keyvault:Vault"} {
		assert.Equal(t, mlworkspace.AzureNativeVersion, one(t, m, token).RegisterRPC.GetVersion(), token)
	}
}

func TestHBIFollowsDataClassification(t *testing.T) {
	for _, tc := range []struct {
		class string
		hbi   bool
	}{{"public", false}, {"internal", false}, {"confidential", true}, {"restricted", true}} {
		t.Run(tc.class, func(t *testing.T) {
			m, _, err := run(t, with(map[string]string{"azure-ml:dataClassification": tc.class}))
			require.NoError(t, err)
			ws := one(t, m, mlworkspace.WorkspaceType)
			assert.Equal(t, tc.hbi, get(ws, "hbiWorkspace"))
			assert.Equal(t, tc.class, get(ws, "tags.data-classification"))
		})
	}
}

func TestPublicNetworkAccessIsConfigurable(t *testing.T) {
	for _, tc := range []struct{ access, vaultDefault string }{{"Disabled", "Deny"}, {"Enabled", "Allow"}} {
		t.Run(tc.access, func(t *testing.T) {
			m, _, err := run(t, with(map[string]string{"azure-ml:publicNetworkAccess": tc.access}))
			require.NoError(t, err)
			assert.Equal(t, tc.access, get(one(t, m, mlworkspace.WorkspaceType), "publicNetworkAccess"))
			v := one(t, m, "azure-native:keyvault:Vault")
			assert.Equal(t, tc.access, get(v, "properties.publicNetworkAccess"))
			assert.Equal(t, tc.vaultDefault, get(v, "properties.networkAcls.defaultAction"))
			assert.Equal(t, "AzureServices", get(v, "properties.networkAcls.bypass"))
		})
	}
}

func TestKeyVault(t *testing.T) {
	v := one(t, deployed(t), "azure-native:keyvault:Vault")
	for path, want := range map[string]any{
		"properties.tenantId":                  azuremock.TenantID,
		"properties.enableRbacAuthorization":   true,
		"properties.enablePurgeProtection":     true,
		"properties.enableSoftDelete":          true,
		"properties.softDeleteRetentionInDays": 90.0,
		"properties.sku.name":                  "standard",
		"properties.sku.family":                "A",
	} {
		assert.Equal(t, want, get(v, path), path)
	}
	assert.Nil(t, get(v, "properties.accessPolicies"), "RBAC only")
}

func TestStorage(t *testing.T) {
	m := deployed(t)
	sa := one(t, m, "azure-native:storage:StorageAccount")
	for path, want := range map[string]any{
		"kind":                        "StorageV2",
		"enableHttpsTrafficOnly":      true,
		"minimumTlsVersion":           "TLS1_2",
		"allowBlobPublicAccess":       false,
		"allowCrossTenantReplication": false,
		"isHnsEnabled":                false,
	} {
		assert.Equal(t, want, get(sa, path), path)
	}
	bs := one(t, m, "azure-native:storage:BlobServiceProperties")
	for path, want := range map[string]any{
		"accountName":                            account,
		"isVersioningEnabled":                    true,
		"deleteRetentionPolicy.enabled":          true,
		"deleteRetentionPolicy.days":             30.0,
		"containerDeleteRetentionPolicy.enabled": true,
		"changeFeed.enabled":                     true,
	} {
		assert.Equal(t, want, get(bs, path), path)
	}
	var names []string
	for _, c := range m.OfType("azure-native:storage:BlobContainer") {
		names = append(names, get(c, "containerName").(string))
		assert.Equal(t, "None", get(c, "publicAccess"))
		assert.Contains(t, strings.Join(c.RegisterRPC.GetDependencies(), " "), ":BlobServiceProperties::", "containers wait for versioning")
	}
	assert.ElementsMatch(t, []string{mlworkspace.DatasetsContainer, mlworkspace.FeatureStoreContainer}, names)
}

func TestMonitoring(t *testing.T) {
	m := deployed(t)
	logs := one(t, m, "azure-native:operationalinsights:Workspace")
	assert.Equal(t, "PerGB2018", get(logs, "sku.name"))
	assert.Equal(t, 90.0, get(logs, "retentionInDays"))
	ai := one(t, m, "azure-native:insights:Component")
	assert.Equal(t, "LogAnalytics", get(ai, "ingestionMode"), "workspace-based")
	assert.Equal(t, rgID+"/providers/Microsoft.OperationalInsights/workspaces/logs"+azuremock.Suffix, get(ai, "workspaceResourceId"))
	assert.Equal(t, "web", get(ai, "kind"))
}

func TestFeaturesetPointsAtItsData(t *testing.T) {
	m := deployed(t)
	ev := one(t, m, mlworkspace.FeaturestoreEntityVersionType)
	assert.Equal(t, "account", get(ev, "name"))
	assert.Equal(t, "1", get(ev, "version"))
	assert.Equal(t, []any{map[string]any{"columnName": "accountID", "dataType": "String"}}, get(ev, "featurestoreEntityVersionProperties.indexColumns"))
	assert.Equal(t, "account", get(one(t, m, mlworkspace.FeaturestoreEntityContainerType), "name"))
	assert.Equal(t, "transactions", get(one(t, m, mlworkspace.FeaturesetContainerType), "name"))

	fv := one(t, m, mlworkspace.FeaturesetVersionType)
	specPath := "abfss://featurestore@" + account + ".dfs.core.windows.net/featuresets/transactions/1/spec"
	for path, want := range map[string]any{
		"name":              "transactions",
		"version":           "1",
		"workspaceName":     "azure-ml-dev",
		"resourceGroupName": rgName,
		"featuresetVersionProperties.specification.path": specPath,
		"featuresetVersionProperties.entities":           []any{"azureml:account:1"},
		"featuresetVersionProperties.stage":              "Development",
	} {
		assert.Equal(t, want, get(fv, path), path)
	}
	assert.NotContains(t, get(fv, "featuresetVersionProperties").(map[string]any), "dataVersionId")
	deps := strings.Join(fv.RegisterRPC.GetDependencies(), " ")
	for _, typ := range []string{"FeaturesetContainerEntity", "FeaturestoreEntityVersion", "storage:Blob"} {
		assert.Contains(t, deps, typ, "the version is created after its %s", typ)
	}

	// The specification the path names is uploaded by the stack.
	blob := one(t, m, "azure-native:storage:Blob")
	assert.Equal(t, "featuresets/transactions/1/spec/FeaturesetSpec.yaml", get(blob, "blobName"))
	assert.Equal(t, mlworkspace.FeatureStoreContainer, get(blob, "containerName"))
	assert.Equal(t, account, get(blob, "accountName"))
	src := blob.Inputs["source"]
	require.True(t, src.IsAsset(), "source is %v", src)
	spec := src.AssetValue().Text
	assert.Contains(t, spec, "path: abfss://datasets@"+account+".dfs.core.windows.net/transactions/")
	assert.Contains(t, spec, "  - name: transaction_amount_7d_avg\n    type: double\n")
	assert.Contains(t, spec, "index_columns:\n  - name: accountID\n    type: string\n")
	assert.Contains(t, spec, "timestamp_column:\n    name: timestamp\n")
}

func TestRoleAssignments(t *testing.T) {
	m := deployed(t)
	scopes := map[string]string{}
	for _, ra := range m.OfType("azure-native:authorization:RoleAssignment") {
		assert.Equal(t, azuremock.PrincipalID, get(ra, "principalId"), ra.Name)
		assert.Equal(t, "ServicePrincipal", get(ra, "principalType"), ra.Name)
		def := get(ra, "roleDefinitionId").(string)
		assert.True(t, strings.HasPrefix(def, "/subscriptions/"+azuremock.SubscriptionID+"/providers/Microsoft.Authorization/roleDefinitions/"), def)
		scopes[def[strings.LastIndex(def, "/")+1:]] = get(ra, "scope").(string)
	}
	assert.Equal(t, map[string]string{
		mlworkspace.RoleKeyVaultAdministrator:      rgID + "/providers/Microsoft.KeyVault/vaults/vault" + azuremock.Suffix,
		mlworkspace.RoleStorageBlobDataContributor: rgID + "/providers/Microsoft.Storage/storageAccounts/" + account,
	}, scopes)

	m, _, err := run(t, with(map[string]string{"azure-ml:assignRoles": "false"}))
	require.NoError(t, err)
	assert.Empty(t, m.OfType("azure-native:authorization:RoleAssignment"))
}

// taggable are the types whose Azure resources take tags.
var taggable = []string{
	"azure-native:resources:ResourceGroup", "azure-native:operationalinsights:Workspace", "azure-native:insights:Component",
	"azure-native:keyvault:Vault", "azure-native:storage:StorageAccount", mlworkspace.WorkspaceType,
}

// Every taggable resource carries the tags; the ML assets carry them in
// their properties' tags too.
func TestTagsEverywhere(t *testing.T) {
	m := deployed(t)
	for _, token := range taggable {
		assert.Equal(t, wantTags, get(one(t, m, token), "tags"), token)
	}
	for token, props := range map[string]string{
		mlworkspace.FeaturestoreEntityContainerType: "featurestoreEntityContainerProperties",
		mlworkspace.FeaturestoreEntityVersionType:   "featurestoreEntityVersionProperties",
		mlworkspace.FeaturesetContainerType:         "featuresetContainerProperties",
		mlworkspace.FeaturesetVersionType:           "featuresetVersionProperties",
	} {
		assert.Equal(t, wantTags, get(one(t, m, token), props+".tags"), token)
	}
	for _, r := range m.Registered() {
		if get(r, "tags") != nil {
			assert.Equal(t, wantTags, get(r, "tags"), "%s %s", r.TypeToken, r.Name)
		}
	}
}

// The workspace keys are read only by an update, never a preview, and are
// exported only as a secret.
func TestWorkspaceKeysOnlyAsSecrets(t *testing.T) {
	for _, tc := range []struct {
		name    string
		opts    []pulumi.RunOption
		preview bool
	}{
		{"update", nil, false},
		{"preview", []pulumi.RunOption{dryRun}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m, st, err := run(t, devConfig, tc.opts...)
			require.NoError(t, err)
			var listed int
			for _, c := range m.Calls() {
				if c.Token == mlworkspace.ListWorkspaceKeysToken {
					listed++
					assert.Equal(t, "azure-ml-dev", c.Args["workspaceName"].StringValue())
					assert.Equal(t, rgName, c.Args["resourceGroupName"].StringValue())
				}
			}
			if tc.preview {
				assert.Zero(t, listed, "no keys are read at preview")
				assert.Nil(t, st.Keys)
				return
			}
			assert.Equal(t, 1, listed)
			require.NotNil(t, st.Keys)
			res, err := internals.UnsafeAwaitOutput(context.Background(), st.Keys)
			require.NoError(t, err)
			assert.True(t, res.Secret, "keys are exported as a secret")
			assert.True(t, res.Known)
			assert.Equal(t, "storage-key-for-azure-ml-dev", res.Value.(map[string]string)["userStorageKey"])
		})
	}
}

func TestBadConfigNamesEveryKey(t *testing.T) {
	tests := []struct {
		name   string
		change map[string]string
		want   []string
	}{
		{"owner and cost center are required", map[string]string{"azure-ml:owner": "", "azure-ml:costCenter": " "}, []string{"owner: required", "costCenter: required"}},
		{"classification", map[string]string{"azure-ml:dataClassification": "secret"}, []string{`dataClassification: "secret" is not one of public, internal, confidential, restricted`}},
		{"location", map[string]string{"azure-native:location": "West Europe!"}, []string{"azure-native:location:"}},
		{"network access", map[string]string{"azure-ml:publicNetworkAccess": "Private"}, []string{`publicNetworkAccess: "Private" is not one of Disabled, Enabled`}},
		{"tags shape", map[string]string{"azure-ml:extraTags": `["a"]`}, []string{"extraTags: must be a map of strings"}},
		{"required tag through extraTags", map[string]string{"azure-ml:extraTags": `{"Owner":"someone"}`}, []string{`extraTags: "Owner" is set from its own key`}},
		{"bad tag name", map[string]string{"azure-ml:extraTags": `{"a/b":"c"}`}, []string{`extraTags: "a/b" is not a valid Azure tag`}},
		{"retention", map[string]string{"azure-ml:keyVaultRetentionDays": "120", "azure-ml:logRetentionDays": "a month"}, []string{"keyVaultRetentionDays: 120 is not between 7 and 90", "logRetentionDays: must be a whole number"}},
		{"assign roles", map[string]string{"azure-ml:assignRoles": "maybe"}, []string{"assignRoles: must be true or false"}},
		{"workspace name", map[string]string{"azure-ml:workspaceName": "a"}, []string{`workspaceName: "a" must be 3-33`}},
		{"featureset fields", map[string]string{"azure-ml:featureset": `{"name":"","version":"","indexColumns":[],"features":[{"name":"x","type":"text"}],"stage":"Live"}`},
			[]string{"featureset.name:", "featureset.version:", "featureset.indexColumns: give at least one column", `featureset.features[0].type: "text" is not one of`, `featureset.stage: "Live"`}},
		{"featureset unknown field", map[string]string{"azure-ml:featureset": `{"dataVersionId":""}`}, []string{`featureset: must be an object`, `unknown field "dataVersionId"`}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m, _, err := run(t, with(tc.change))
			require.Error(t, err)
			for _, w := range tc.want {
				assert.Contains(t, err.Error(), w)
			}
			assert.Empty(t, m.Registered(), "nothing is created from a bad configuration")
		})
	}
}

// The example configuration in Pulumi.dev.yaml is valid and yields the
// same stack as the test configuration.
func TestDevConfigFile(t *testing.T) {
	b, err := os.ReadFile("../Pulumi.dev.yaml")
	require.NoError(t, err)
	var doc struct {
		Config map[string]any `yaml:"config"`
	}
	require.NoError(t, yaml.Unmarshal(b, &doc))
	config := map[string]string{}
	for k, v := range doc.Config {
		if s, ok := v.(string); ok {
			config[k] = s
			continue
		}
		j, err := json.Marshal(v)
		require.NoError(t, err)
		config[k] = string(j)
	}
	fromFile, _, err := run(t, config)
	require.NoError(t, err)
	fromTests := deployed(t)
	byName := func(m *azuremock.Mocks) map[string]any {
		out := map[string]any{}
		for _, r := range m.Registered() {
			out[r.TypeToken+" "+r.Name] = r.Inputs.Mappable()
		}
		return out
	}
	assert.Equal(t, byName(fromTests), byName(fromFile))
}
