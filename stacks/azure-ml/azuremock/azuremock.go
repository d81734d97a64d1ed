// Package azuremock stands in for Azure when the azure-ml stack runs under
// pulumi.WithMocks: every resource echoes its inputs, the outputs the stack
// reads (names the provider would generate, ARM ids, the workspace's
// identity and discovery URL) get plausible values, and every registration
// and invoke is recorded for tests to inspect.
package azuremock

import (
	"fmt"
	"strings"
	"sync"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// What the mocked client config reports.
const (
	SubscriptionID = "00000000-1111-2222-3333-444444444444"
	TenantID       = "99999999-8888-7777-6666-555555555555"
	ObjectID       = "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee"
	PrincipalID    = "12345678-90ab-cdef-1234-567890abcdef" // the workspace identity
	Location       = "westeurope"
	// Suffix is what the mocked provider appends to auto-generated names.
	Suffix = "0a1b2c3d"
)

// Mocks implements pulumi.MockResourceMonitor.
type Mocks struct {
	mu         sync.Mutex
	registered []pulumi.MockResourceArgs
	calls      []pulumi.MockCallArgs
}

// Registered returns every resource registered so far, in order.
func (m *Mocks) Registered() []pulumi.MockResourceArgs {
	m.mu.Lock()
	defer m.mu.Unlock()
	return append([]pulumi.MockResourceArgs(nil), m.registered...)
}

// Calls returns every invoke so far, in order.
func (m *Mocks) Calls() []pulumi.MockCallArgs {
	m.mu.Lock()
	defer m.mu.Unlock()
	return append([]pulumi.MockCallArgs(nil), m.calls...)
}

// OfType returns the registered resources with a type token.
func (m *Mocks) OfType(token string) []pulumi.MockResourceArgs {
	var out []pulumi.MockResourceArgs
	for _, r := range m.Registered() {
		if r.TypeToken == token {
			out = append(out, r)
		}
	}
	return out
}

// kind is how the mock names and addresses one resource type.
type kind struct {
	nameKey string // the input holding the Azure name; auto-named when absent
	armType string // provider namespace and type, for ARM ids
	lower   bool   // auto-names are lowercase letters and digits only
}

var kinds = map[string]kind{
	"azure-native:resources:ResourceGroup":                                   {nameKey: "resourceGroupName"},
	"azure-native:operationalinsights:Workspace":                             {nameKey: "workspaceName", armType: "Microsoft.OperationalInsights/workspaces"},
	"azure-native:insights:Component":                                        {nameKey: "resourceName", armType: "Microsoft.Insights/components"},
	"azure-native:keyvault:Vault":                                            {nameKey: "vaultName", armType: "Microsoft.KeyVault/vaults"},
	"azure-native:storage:StorageAccount":                                    {nameKey: "accountName", armType: "Microsoft.Storage/storageAccounts", lower: true},
	"azure-native:storage:BlobServiceProperties":                             {nameKey: "blobServicesName", armType: "Microsoft.Storage/storageAccounts/{accountName}/blobServices"},
	"azure-native:storage:BlobContainer":                                     {nameKey: "containerName", armType: "Microsoft.Storage/storageAccounts/{accountName}/blobServices/default/containers"},
	"azure-native:storage:Blob":                                              {nameKey: "blobName"},
	"azure-native:authorization:RoleAssignment":                              {nameKey: "roleAssignmentName"},
	"azure-native:machinelearningservices:Workspace":                         {nameKey: "workspaceName", armType: "Microsoft.MachineLearningServices/workspaces"},
	"azure-native:machinelearningservices:FeaturestoreEntityContainerEntity": {nameKey: "name", armType: "Microsoft.MachineLearningServices/workspaces/{workspaceName}/featurestoreEntities"},
	"azure-native:machinelearningservices:FeaturestoreEntityVersion":         {nameKey: "version", armType: "Microsoft.MachineLearningServices/workspaces/{workspaceName}/featurestoreEntities/{name}/versions"},
	"azure-native:machinelearningservices:FeaturesetContainerEntity":         {nameKey: "name", armType: "Microsoft.MachineLearningServices/workspaces/{workspaceName}/featuresets"},
	"azure-native:machinelearningservices:FeaturesetVersion":                 {nameKey: "version", armType: "Microsoft.MachineLearningServices/workspaces/{workspaceName}/featuresets/{name}/versions"},
	"azure-native:machinelearningservices/v20241001preview:Compute":          {nameKey: "computeName", armType: "Microsoft.MachineLearningServices/workspaces/{workspaceName}/computes"},
	"azure-native:machinelearningservices:OnlineEndpoint":                    {nameKey: "endpointName", armType: "Microsoft.MachineLearningServices/workspaces/{workspaceName}/onlineEndpoints"},
	"azure-native:containerregistry:Registry":                                {nameKey: "registryName", armType: "Microsoft.ContainerRegistry/registries", lower: true},
}

// NewResource echoes the inputs and adds the computed outputs the stack reads.
func (m *Mocks) NewResource(args pulumi.MockResourceArgs) (string, resource.PropertyMap, error) {
	m.mu.Lock()
	m.registered = append(m.registered, args)
	m.mu.Unlock()

	out := args.Inputs.Copy()
	in := func(k string) string { return str(args.Inputs[resource.PropertyKey(k)]) }
	set := func(k string, v any) {
		if _, ok := out[resource.PropertyKey(k)]; !ok {
			out[resource.PropertyKey(k)] = resource.NewPropertyValue(v)
		}
	}
	k, known := kinds[args.TypeToken]
	if !known {
		return args.Name + "-id", out, nil
	}
	name := in(k.nameKey)
	if name == "" {
		name = args.Name + Suffix
		if k.lower {
			name = strings.ToLower(strings.NewReplacer("-", "", "_", "").Replace(name))
		}
	}
	out["name"] = resource.NewPropertyValue(name)
	rg := "/subscriptions/" + SubscriptionID + "/resourceGroups/" + in("resourceGroupName")
	var id string
	switch args.TypeToken {
	case "azure-native:resources:ResourceGroup":
		id = "/subscriptions/" + SubscriptionID + "/resourceGroups/" + name
	case "azure-native:authorization:RoleAssignment":
		id = in("scope") + "/providers/Microsoft.Authorization/roleAssignments/" + name
	case "azure-native:storage:Blob":
		id = rg + "/providers/Microsoft.Storage/storageAccounts/" + in("accountName") + "/blobServices/default/containers/" + in("containerName") + "/blobs/" + name
		set("url", "https://"+in("accountName")+".blob.core.windows.net/"+in("containerName")+"/"+name)
	default:
		armType := k.armType
		for _, key := range []string{"accountName", "workspaceName", "name"} {
			armType = strings.ReplaceAll(armType, "{"+key+"}", in(key))
		}
		id = rg + "/providers/" + armType + "/" + name
	}
	switch args.TypeToken {
	case "azure-native:insights:Component":
		set("instrumentationKey", "ikey-"+args.Name)
		set("connectionString", "InstrumentationKey=ikey-"+args.Name)
	case "azure-native:operationalinsights:Workspace":
		set("customerId", "cust-"+args.Name)
	case "azure-native:machinelearningservices:Workspace":
		set("discoveryUrl", "https://"+in("location")+".api.azureml.ms/discovery")
		set("workspaceId", "ws-"+name)
		out["identity"] = resource.NewPropertyValue(map[string]any{
			"type": "SystemAssigned", "principalId": PrincipalID, "tenantId": TenantID,
		})
	}
	return id, out, nil
}

// Call answers the invokes the stack makes.
func (m *Mocks) Call(args pulumi.MockCallArgs) (resource.PropertyMap, error) {
	m.mu.Lock()
	m.calls = append(m.calls, args)
	m.mu.Unlock()
	switch args.Token {
	case "azure-native:authorization:getClientConfig":
		return resource.NewPropertyMapFromMap(map[string]any{
			"clientId": ObjectID, "objectId": ObjectID, "subscriptionId": SubscriptionID, "tenantId": TenantID,
		}), nil
	case "azure-native:machinelearningservices:listWorkspaceKeys":
		return resource.NewPropertyMapFromMap(map[string]any{
			"appInsightsInstrumentationKey": "ikey-insights",
			"userStorageKey":                "storage-key-for-" + str(args.Args["workspaceName"]),
			"userStorageResourceId":         "/subscriptions/" + SubscriptionID + "/resourceGroups/" + str(args.Args["resourceGroupName"]) + "/providers/Microsoft.Storage/storageAccounts/mldata" + Suffix,
			"notebookAccessKeys":            map[string]any{"primaryAccessKey": "nb-primary", "secondaryAccessKey": "nb-secondary"},
		}), nil
	}
	return nil, fmt.Errorf("azuremock: no mock for invoke %s", args.Token)
}

// str is a string property, seen through outputs and secrets.
func str(v resource.PropertyValue) string {
	for {
		switch {
		case v.IsOutput():
			v = v.OutputValue().Element
		case v.IsSecret():
			v = v.SecretValue().Element
		case v.IsString():
			return v.StringValue()
		default:
			return ""
		}
	}
}
