package policypack

import (
	"testing"

	pt "github.com/mlguard/mlguard/policy/policytest"
	"github.com/mlguard/mlguard/providers"
)

// inShapes runs cases once per major, with the resource's settings under
// that major's properties object: base(v2) for v2's shapes, base(v3) for v3.
func inShapes(t *testing.T, run func(props string, only []providers.Major), v2, v3 string) {
	t.Helper()
	run(v2, []providers.Major{providers.AzureNativeV2})
	run(v3, []providers.Major{providers.AzureNativeV3})
}

func TestAzureMLOnlineEndpoints(t *testing.T) {
	inShapes(t, func(base string, only []providers.Major) {
		ep := map[string]any{"endpointName": "churn", "workspaceName": pt.Unknown, "resourceGroupName": pt.Unknown, "location": "westeurope",
			"identity": map[string]any{"type": "SystemAssigned"},
			base:       map[string]any{"authMode": "AADToken", "publicNetworkAccess": "Disabled"}}
		runSpecs(t, azuremlOnlineEndpointPrivate, amlOnlineEndpoint, []spec{
			{name: "private", props: ep, majors: only},
			{name: "unset means Enabled", props: pt.Without(ep, base+".publicNetworkAccess"), majors: only,
				violation: `azure-native:machinelearningservices:OnlineEndpoint "r": ` + base + `.publicNetworkAccess: is not set; set publicNetworkAccess = "Disabled"`},
			{name: "enabled", props: pt.With(ep, base+".publicNetworkAccess", "Enabled"), majors: only, violation: `is "Enabled"`},
			{name: "unknown", props: pt.With(ep, base, pt.Unknown), majors: only, unknown: base + ".publicNetworkAccess is unknown"},
		})
		runSpecs(t, azuremlOnlineEndpointAADAuth, amlOnlineEndpoint, []spec{
			{name: "AAD", props: ep, majors: only},
			{name: "keys", props: pt.With(ep, base+".authMode", "Key"), majors: only, violation: base + `.authMode: is "Key"; set authMode = "AADToken"`},
			{name: "AML token", props: pt.With(ep, base+".authMode", "AMLToken"), majors: only, violation: `is "AMLToken"`},
			{name: "unset", props: pt.Without(ep, base+".authMode"), majors: only, violation: `authMode: is not set`},
			{name: "unknown", props: pt.With(ep, base+".authMode", pt.Unknown), majors: only, unknown: "authMode is unknown"},
			{name: "secret", props: pt.With(ep, base+".authMode", pt.Secret("Key")), majors: only, violation: `is [secret]`},
		})
	}, "onlineEndpointProperties", "properties")
	inShapes(t, func(base string, only []providers.Major) {
		dep := map[string]any{"endpointName": "churn", "deploymentName": "blue", "workspaceName": pt.Unknown, "resourceGroupName": pt.Unknown,
			base: map[string]any{"endpointComputeType": "Managed", "egressPublicNetworkAccess": "Disabled", "instanceType": "Standard_DS3_v2"}}
		runSpecs(t, azuremlOnlineDeploymentNoPublicEgress, amlOnlineDeployment, []spec{
			{name: "no egress", props: dep, majors: only},
			{name: "unset means Enabled", props: pt.Without(dep, base+".egressPublicNetworkAccess"), majors: only,
				violation: base + `.egressPublicNetworkAccess: is not set; set egressPublicNetworkAccess = "Disabled"`},
			{name: "enabled", props: pt.With(dep, base+".egressPublicNetworkAccess", "Enabled"), majors: only, violation: `is "Enabled"`},
			{name: "unknown", props: pt.With(dep, base+".egressPublicNetworkAccess", pt.Unknown), majors: only, unknown: "egressPublicNetworkAccess is unknown"},
			{name: "Kubernetes is not judged", props: pt.Without(pt.With(dep, base+".endpointComputeType", "Kubernetes"), base+".egressPublicNetworkAccess"), majors: only},
			{name: "compute type unknown", props: pt.With(dep, base+".endpointComputeType", pt.Unknown), majors: only, unknown: "endpointComputeType is unknown"},
		})
	}, "onlineDeploymentProperties", "properties")
	inShapes(t, func(base string, only []providers.Major) {
		reg := map[string]any{"registryName": "shared", "resourceGroupName": pt.Unknown, "location": "westeurope"}
		at := "publicNetworkAccess"
		if base != "" {
			at = base + ".publicNetworkAccess"
		}
		runSpecs(t, azuremlRegistryPrivate, amlRegistry, []spec{
			{name: "private", props: pt.With(reg, at, "Disabled"), majors: only},
			{name: "unset", props: reg, majors: only, violation: `azure-native:machinelearningservices:Registry "r": ` + at + `: is not set; set publicNetworkAccess = "Disabled"`},
			{name: "enabled", props: pt.With(reg, at, "Enabled"), majors: only, violation: at + `: is "Enabled"`},
			{name: "unknown", props: pt.With(reg, at, pt.Unknown), majors: only, unknown: at + " is unknown"},
		})
	}, "registryProperties", "")
	inShapes(t, func(base string, only []providers.Major) {
		ds := map[string]any{"name": "training", "workspaceName": pt.Unknown, "resourceGroupName": pt.Unknown,
			base: map[string]any{"datastoreType": "AzureBlob", "accountName": "mldata", "containerName": "datasets", "credentials": map[string]any{"credentialsType": "None"}}}
		key := map[string]any{"credentialsType": "AccountKey", "secrets": map[string]any{"secretsType": "AccountKey", "key": pt.Secret(secretText)}}
		runSpecs(t, azuremlDatastoreIdentityAccess, amlDatastore, []spec{
			{name: "identity-based", props: ds, majors: only},
			{name: "account key", props: pt.With(ds, base+".credentials", key), majors: only,
				violation: base + `.credentials.credentialsType: is "AccountKey"; set credentials.credentialsType = "None"`},
			{name: "SAS", props: pt.With(ds, base+".credentials.credentialsType", "Sas"), majors: only, violation: `is "Sas"`},
			{name: "service principal", props: pt.With(ds, base+".credentials.credentialsType", "ServicePrincipal"), majors: only, violation: `is "ServicePrincipal"`},
			{name: "no credentials", props: pt.Without(ds, base+".credentials"), majors: only, violation: `credentialsType: is not set`},
			{name: "unknown", props: pt.With(ds, base+".credentials", pt.Unknown), majors: only, unknown: "credentials.credentialsType is unknown"},
		})
	}, "datastoreProperties", "properties")
}
