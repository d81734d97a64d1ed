package policypack

import (
	"testing"

	"github.com/stretchr/testify/assert"

	pt "github.com/mlguard/mlguard/policy/policytest"
	"github.com/mlguard/mlguard/providers"
)

const subnetID = "/subscriptions/0000/resourceGroups/ml/providers/Microsoft.Network/virtualNetworks/ml/subnets/ml"

// governedInstance and governedCluster are compute that passes every
// compute policy in every shape (a stop schedule serves where the API
// version has no idle shutdown).
var (
	governedInstance = map[string]any{"computeName": "ci-1", "workspaceName": pt.Unknown, "resourceGroupName": pt.Unknown,
		"properties": map[string]any{"computeType": "ComputeInstance", "disableLocalAuth": true, "properties": map[string]any{
			"vmSize": "STANDARD_DS3_V2", "subnet": map[string]any{"id": subnetID}, "enableNodePublicIp": false,
			"sshSettings": map[string]any{"sshPublicAccess": "Disabled"},
			"schedules":   map[string]any{"computeStartStop": []any{map[string]any{"action": "Stop", "triggerType": "Cron", "cron": map[string]any{"expression": "0 20 * * *"}}}},
		}}}
	governedCluster = map[string]any{"computeName": "cpu", "workspaceName": pt.Unknown, "resourceGroupName": pt.Unknown,
		"properties": map[string]any{"computeType": "AmlCompute", "disableLocalAuth": true, "properties": map[string]any{
			"vmSize": "STANDARD_DS3_V2", "subnet": map[string]any{"id": subnetID}, "enableNodePublicIp": false,
			"remoteLoginPortPublicAccess": "Disabled",
			"scaleSettings":               map[string]any{"minNodeCount": 0, "maxNodeCount": 4},
		}}}
	aks = map[string]any{"properties": map[string]any{"computeType": "AKS", "disableLocalAuth": true, "properties": map[string]any{"agentCount": 3}}}
)

const pp = "properties.properties."

func TestAzureMLComputeNetwork(t *testing.T) {
	runSpecs(t, azuremlComputeInVNet, amlCompute, []spec{
		{name: "instance", props: governedInstance},
		{name: "cluster", props: governedCluster},
		{name: "AKS is not judged", props: aks},
		{name: "no subnet", props: pt.Without(governedInstance, pp+"subnet"), violation: `azure-native:machinelearningservices:Compute "r": properties.properties.subnet.id: is not set; set properties.properties.subnet.id`},
		{name: "blank subnet", props: pt.With(governedCluster, pp+"subnet.id", ""), violation: `subnet.id: is ""`},
		{name: "type unknown", props: pt.With(governedInstance, "properties.computeType", pt.Unknown), unknown: "properties.computeType is unknown"},
		{name: "subnet unknown", props: pt.With(governedInstance, pp+"subnet.id", pt.Unknown), unknown: "subnet.id is unknown"},
	})
	runSpecs(t, azuremlComputeNoPublicIP, amlCompute, []spec{
		{name: "instance", props: governedInstance},
		{name: "cluster", props: governedCluster},
		{name: "AKS", props: aks},
		{name: "unset means true", props: pt.Without(governedCluster, pp+"enableNodePublicIp"), violation: `properties.properties.enableNodePublicIp: is not set; set properties.properties.enableNodePublicIp = false`},
		{name: "public", props: pt.With(governedInstance, pp+"enableNodePublicIp", true), violation: `enableNodePublicIp: is true`},
		{name: "unknown", props: pt.With(governedInstance, pp+"enableNodePublicIp", pt.Unknown), unknown: "enableNodePublicIp is unknown"},
	})
	runSpecs(t, azuremlComputeSSHDisabled, amlCompute, []spec{
		{name: "instance", props: governedInstance},
		{name: "instance default", props: pt.Without(governedInstance, pp+"sshSettings")},
		{name: "cluster", props: governedCluster},
		{name: "AKS", props: aks},
		{name: "instance SSH public", props: pt.With(governedInstance, pp+"sshSettings.sshPublicAccess", "Enabled"), violation: `properties.properties.sshSettings.sshPublicAccess: is "Enabled"; set`},
		{name: "cluster unset means Enabled", props: pt.Without(governedCluster, pp+"remoteLoginPortPublicAccess"), violation: `remoteLoginPortPublicAccess: is not set; set properties.properties.remoteLoginPortPublicAccess = "Disabled" (unset means Enabled)`},
		{name: "cluster NotSpecified", props: pt.With(governedCluster, pp+"remoteLoginPortPublicAccess", "NotSpecified"), violation: `is "NotSpecified"`},
		{name: "unknown", props: pt.With(governedInstance, pp+"sshSettings", pt.Unknown), unknown: "sshSettings.sshPublicAccess is unknown"},
		{name: "type unknown", props: pt.With(governedInstance, "properties.computeType", pt.Unknown), unknown: "properties.computeType is unknown"},
	})
}

func TestAzureMLComputeAuthAndCost(t *testing.T) {
	runSpecs(t, azuremlComputeLocalAuthDisabled, amlCompute, []spec{
		{name: "instance", props: governedInstance},
		{name: "AKS too", props: pt.With(aks, "properties.disableLocalAuth", false), violation: `properties.disableLocalAuth: is false; set properties.disableLocalAuth = true`},
		{name: "unset", props: pt.Without(governedCluster, "properties.disableLocalAuth"), violation: `is not set`},
		{name: "unknown", props: pt.With(governedCluster, "properties.disableLocalAuth", pt.Unknown), unknown: "properties.disableLocalAuth is unknown"},
	})
	runSpecs(t, azuremlClusterScaleToZero, amlCompute, []spec{
		{name: "zero", props: governedCluster},
		{name: "default", props: pt.Without(governedCluster, pp+"scaleSettings.minNodeCount")},
		{name: "instances are not clusters", props: governedInstance},
		{name: "warm nodes", props: pt.With(governedCluster, pp+"scaleSettings.minNodeCount", 2), violation: `properties.properties.scaleSettings.minNodeCount: is 2; set properties.properties.scaleSettings.minNodeCount = 0`},
		{name: "unknown", props: pt.With(governedCluster, pp+"scaleSettings", pt.Unknown), unknown: "scaleSettings.minNodeCount is unknown"},
	})
	noSchedule := pt.Without(governedInstance, pp+"schedules")
	v3 := []providers.Major{providers.AzureNativeV3}
	runSpecs(t, azuremlComputeIdleShutdown, amlCompute, []spec{
		{name: "stop schedule", props: governedInstance},
		{name: "clusters are not instances", props: governedCluster},
		{name: "idle shutdown (v3)", props: pt.With(noSchedule, pp+"idleTimeBeforeShutdown", "PT60M"), majors: v3},
		{name: "neither", props: noSchedule, majors: v3, violation: `properties.properties.idleTimeBeforeShutdown: is not set; the compute instance never stops by itself`},
		{name: "start schedule only", props: pt.With(noSchedule, pp+"schedules.computeStartStop", []any{map[string]any{"action": "Start"}}), majors: v3, violation: `never stops`},
		{name: "blank idle time", props: pt.With(noSchedule, pp+"idleTimeBeforeShutdown", " "), majors: v3, violation: `idleTimeBeforeShutdown: is " "`},
		{name: "idle time unknown", props: pt.With(noSchedule, pp+"idleTimeBeforeShutdown", pt.Unknown), majors: v3, unknown: "idleTimeBeforeShutdown is unknown"},
		{name: "schedule unknown", props: pt.With(noSchedule, pp+"schedules", pt.Unknown), unknown: "schedules.computeStartStop is unknown"},
		{name: "action unknown", props: pt.With(governedInstance, pp+"schedules.computeStartStop", []any{map[string]any{"action": pt.Unknown}}), unknown: "schedules.computeStartStop is unknown"},
	})
	// v2's default API version (2023-04-01) has no idle shutdown: only a
	// schedule serves, and the message points there.
	got := pt.Check(azuremlComputeIdleShutdown, withProvider(res(amlCompute, "r", noSchedule, nil), "2.90.0"), nil)
	if assert.Len(t, got.Violations, 1) {
		assert.Contains(t, got.Violations[0], `properties.properties.schedules.computeStartStop: is not set`)
	}
	got = pt.Check(azuremlComputeIdleShutdown, withProvider(res("azure-native:machinelearningservices/v20241001preview:Compute", "r", pt.With(noSchedule, pp+"idleTimeBeforeShutdown", "PT30M"), nil), "2.90.0"), nil)
	assert.Empty(t, got.Violations)
}
