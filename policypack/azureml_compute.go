package policypack

import (
	"github.com/mlguard/mlguard/policy"
	"github.com/mlguard/mlguard/providers"
)

// Azure ML compute is one resource type whose properties are a union
// discriminated by properties.computeType; the settings of compute instances
// and clusters sit under properties.properties.
const (
	amlCompute        = providers.AMLCompute
	computeInstance   = "ComputeInstance"
	computeCluster    = "AmlCompute"
	computeProps      = "properties.properties."
	computeTypeOfPath = "properties.computeType"
)

func azureMLComputePolicies() []*policy.Policy {
	return []*policy.Policy{azuremlComputeInVNet, azuremlComputeLocalAuthDisabled, azuremlComputeIdleShutdown,
		azuremlComputeNoPublicIP, azuremlComputeSSHDisabled, azuremlClusterScaleToZero}
}

// computeOf returns the compute's type and whether it is one of types;
// false (and not applicable) when the type is unknown.
func computeOf(c *policy.Check, types ...string) (string, bool) {
	v, ok := c.Known(computeTypeOfPath)
	if !ok {
		return "", false
	}
	return str(v), contains(types, str(v))
}

var azuremlComputeInVNet = &policy.Policy{
	Name:             "azureml-compute-in-vnet",
	DisplayName:      "Azure ML compute instances and clusters run in a virtual network subnet",
	Description:      "Azure ML compute instances and clusters (computeType ComputeInstance, AmlCompute) set properties.properties.subnet.id, so that their traffic to the workspace's storage and registry stays on private endpoints. Advisory: a workspace with a managed network (azureml-workspace-managed-network) isolates its compute without a subnet of the team's.",
	Severity:         policy.Medium,
	EnforcementLevel: policy.Advisory,
	RemediationSteps: "Set properties={\"compute_type\": ..., \"properties\": {\"subnet\": {\"id\": subnet.id}, ...}} on the compute, or isolate the workspace with a managed network.",
	URL:              docsURL + "azureml-compute-in-vnet",
	Controls:         []policy.Control{azurePolicy("Audit Azure Machine Learning Compute Cluster and Instance is behind virtual network"), psrule("Azure.ML.ComputeVnet")},
	Tags:             []string{"azure-ml", "compute", "network"},
	Resource: &policy.ResourceRule{
		Types: []string{amlCompute},
		Validate: func(c *policy.Check) {
			if _, ok := computeOf(c, computeInstance, computeCluster); ok {
				requireString(c, computeProps+"subnet.id", "set "+computeProps+"subnet.id to a subnet of the workspace's virtual network")
			}
		},
	},
}

var azuremlComputeLocalAuthDisabled = &policy.Policy{
	Name:             "azureml-compute-local-auth-disabled",
	DisplayName:      "Azure ML compute disables local authentication",
	Description:      "Azure ML compute of every type sets properties.disableLocalAuth = true, so that it is reached only with Microsoft Entra ID identities, never with keys or local accounts that cannot be audited or revoked centrally. Advisory: hygiene; the Azure default keeps local auth on.",
	Severity:         policy.Medium,
	EnforcementLevel: policy.Advisory,
	RemediationSteps: "Set properties={\"disable_local_auth\": True, ...} on the compute.",
	URL:              docsURL + "azureml-compute-local-auth-disabled",
	Controls:         []policy.Control{azurePolicy("Machine Learning computes should have local authentication methods disabled"), checkov("CKV_AZURE_142"), psrule("Azure.ML.DisableLocalAuth")},
	Tags:             []string{"azure-ml", "compute", "identity"},
	Resource: &policy.ResourceRule{
		Types: []string{amlCompute},
		Validate: func(c *policy.Check) {
			requireBool(c, "properties.disableLocalAuth", true, false, "set properties.disableLocalAuth = true")
		},
	},
}

var azuremlComputeIdleShutdown = &policy.Policy{
	Name:             "azureml-compute-instance-idle-shutdown",
	DisplayName:      "Azure ML compute instances shut down when idle",
	Description:      "Azure ML compute instances set an idle shutdown (properties.properties.idleTimeBeforeShutdown, ISO 8601 such as PT60M, where the API version has it: azure-native v3 and v2's preview API versions) or a schedule that stops them (schedules.computeStartStop[] with action Stop). Advisory: cost hygiene.",
	Severity:         policy.Low,
	EnforcementLevel: policy.Advisory,
	RemediationSteps: "Set properties.properties.idle_time_before_shutdown=\"PT60M\" (azure-native v3, or an explicit preview API version in v2), or add schedules={\"compute_start_stop\": [{\"action\": \"Stop\", \"trigger_type\": \"Cron\", \"cron\": {\"expression\": \"0 20 * * *\"}}]}.",
	URL:              docsURL + "azureml-compute-instance-idle-shutdown",
	Controls:         []policy.Control{azurePolicy("Azure Machine Learning Compute Instance should have idle shutdown."), psrule("Azure.ML.ComputeIdleShutdown")},
	Tags:             []string{"azure-ml", "compute", "cost"},
	Resource: &policy.ResourceRule{
		Types: []string{amlCompute},
		Validate: func(c *policy.Check) {
			if _, ok := computeOf(c, computeInstance); !ok {
				return
			}
			for _, v := range providers.AMLComputeIdleShutdown.Values(c.Resource) {
				if !c.KnownValue(v) {
					return
				}
				if str(v) != "" {
					return
				}
			}
			schedules, ok := c.Known(computeProps + "schedules.computeStartStop")
			if !ok {
				return
			}
			for _, s := range schedules.Elems() {
				if str(s.Get("action")) == "Stop" {
					return
				}
			}
			at := computeProps + "schedules.computeStartStop"
			if providers.AMLComputeIdleShutdown.Applies(c.Resource) {
				at = computeProps + "idleTimeBeforeShutdown"
			}
			v := c.Get(at)
			c.Violatef(v, "is %s; the compute instance never stops by itself: set %sidleTimeBeforeShutdown (such as \"PT60M\") where the API version has it, or a schedules.computeStartStop entry with action \"Stop\"", v.Display(), computeProps)
		},
	},
}

var azuremlComputeNoPublicIP = &policy.Policy{
	Name:             "azureml-compute-no-public-ip",
	DisplayName:      "Azure ML compute instances and clusters have no public IP",
	Description:      "Azure ML compute instances and clusters set properties.properties.enableNodePublicIp = false (unset means true), so that no node is addressable from the internet. Advisory: a node without a public IP needs a subnet or managed network with outbound access to Azure ML's services, to be planned first.",
	Severity:         policy.High,
	EnforcementLevel: policy.Advisory,
	RemediationSteps: "Set properties.properties.enable_node_public_ip=False with a subnet (or a managed network) that reaches the workspace's dependencies.",
	URL:              docsURL + "azureml-compute-no-public-ip",
	Tags:             []string{"azure-ml", "compute", "network", "public-access"},
	Resource: &policy.ResourceRule{
		Types: []string{amlCompute},
		Validate: func(c *policy.Check) {
			if _, ok := computeOf(c, computeInstance, computeCluster); ok {
				requireBool(c, computeProps+"enableNodePublicIp", false, false, "set "+computeProps+"enableNodePublicIp = false (unset means true)")
			}
		},
	},
}

var azuremlComputeSSHDisabled = &policy.Policy{
	Name:             "azureml-compute-ssh-disabled",
	DisplayName:      "Azure ML compute accepts no SSH from the internet",
	Description:      "Azure ML compute instances leave properties.properties.sshSettings.sshPublicAccess Disabled (its default) and clusters set properties.properties.remoteLoginPortPublicAccess = Disabled (unset means Enabled where the cluster has a public IP). Mandatory: an SSH port open to the internet exposes the node, its credentials and the data it mounts.",
	Severity:         policy.High,
	EnforcementLevel: policy.Mandatory,
	RemediationSteps: "Remove ssh_settings.ssh_public_access (or set it to \"Disabled\") on compute instances, set remote_login_port_public_access=\"Disabled\" on clusters; connect through the studio, Bastion or the private network.",
	URL:              docsURL + "azureml-compute-ssh-disabled",
	Tags:             []string{"azure-ml", "compute", "network", "public-access"},
	Resource: &policy.ResourceRule{
		Types: []string{amlCompute},
		Validate: func(c *policy.Check) {
			switch typ, _ := computeOf(c); typ {
			case computeInstance:
				requireEqual(c, computeProps+"sshSettings.sshPublicAccess", "Disabled", true, "set "+computeProps+"sshSettings.sshPublicAccess = \"Disabled\" (or leave it unset)")
			case computeCluster:
				requireEqual(c, computeProps+"remoteLoginPortPublicAccess", "Disabled", false, "set "+computeProps+"remoteLoginPortPublicAccess = \"Disabled\" (unset means Enabled)")
			}
		},
	},
}

var azuremlClusterScaleToZero = &policy.Policy{
	Name:             "azureml-compute-cluster-scale-to-zero",
	DisplayName:      "Azure ML compute clusters scale down to zero nodes",
	Description:      "Azure ML compute clusters (computeType AmlCompute) keep properties.properties.scaleSettings.minNodeCount at 0 (its default), so that idle clusters cost nothing. Advisory: cost hygiene; a team may keep warm nodes on purpose.",
	Severity:         policy.Low,
	EnforcementLevel: policy.Advisory,
	RemediationSteps: "Set properties.properties.scale_settings={\"min_node_count\": 0, \"max_node_count\": N, \"node_idle_time_before_scale_down\": \"PT120S\"}.",
	URL:              docsURL + "azureml-compute-cluster-scale-to-zero",
	Tags:             []string{"azure-ml", "compute", "cost"},
	Resource: &policy.ResourceRule{
		Types: []string{amlCompute},
		Validate: func(c *policy.Check) {
			if _, ok := computeOf(c, computeCluster); !ok {
				return
			}
			v, ok := c.Known(computeProps + "scaleSettings.minNodeCount")
			if !ok || v.IsAbsent() {
				return
			}
			if n, isNum := v.Num(); !isNum || n != 0 {
				c.Violatef(v, "is %s; set %sscaleSettings.minNodeCount = 0", v.Display(), computeProps)
			}
		},
	},
}
