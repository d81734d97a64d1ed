package policypack

import (
	"fmt"
	"strings"

	"github.com/mlguard/mlguard/policy"
	"github.com/mlguard/mlguard/providers"
)

const (
	smDomain         = "aws:sagemaker/domain:Domain"
	smUserProfile    = "aws:sagemaker/userProfile:UserProfile"
	smNotebook       = "aws:sagemaker/notebookInstance:NotebookInstance"
	smEndpointConfig = "aws:sagemaker/endpointConfiguration:EndpointConfiguration"
	smFeatureGroup   = "aws:sagemaker/featureGroup:FeatureGroup"
)

func sagemakerPolicies() []*policy.Policy {
	return []*policy.Policy{
		sagemakerSharingKMS, sagemakerDomainVPCOnly, sagemakerDomainKMS, sagemakerDomainIAMAuth,
		sagemakerDomainExecutionRole, sagemakerNotebookNoInternet, sagemakerNotebookNoRoot,
		sagemakerNotebookKMS, sagemakerNotebookInVPC, sagemakerEndpointConfigKMS, sagemakerFeatureGroupKMS,
	}
}

var sagemakerSharingKMS = &policy.Policy{
	Name:             "sagemaker-sharing-kms",
	DisplayName:      "SageMaker notebook sharing is KMS-encrypted",
	Description:      "When a SageMaker domain or user profile allows sharing notebook output (notebookOutputOption = Allowed), the shared output in S3 is encrypted with a KMS key (s3KmsKeyId).",
	Severity:         policy.High,
	EnforcementLevel: policy.Mandatory,
	RemediationSteps: "Set sharing_settings.s3_kms_key_id to a KMS key ARN (a real one, not a placeholder), or set notebook_output_option = \"Disabled\".",
	URL:              docsURL + "sagemaker-sharing-kms",
	Tags:             []string{"sagemaker", "encryption", "kms", "sharing"},
	Resource: &policy.ResourceRule{
		Types: []string{smDomain, smUserProfile},
		Validate: func(c *policy.Check) {
			base := "defaultUserSettings.sharingSettings"
			if c.Resource.Kind == smUserProfile {
				base = "userSettings.sharingSettings"
			}
			opt, ok := c.Known(base + ".notebookOutputOption")
			if !ok || str(opt) != "Allowed" {
				return // sharing is off (Disabled is the service default)
			}
			key, ok := c.Known(base + ".s3KmsKeyId")
			if !ok {
				return
			}
			switch s := str(key); {
			case s == "":
				c.Violatef(key, "is %s while notebookOutputOption is \"Allowed\"; set %s.s3KmsKeyId to a KMS key ARN or set notebookOutputOption = \"Disabled\"", key.Display(), base)
			case isPlaceholder(s):
				c.Violatef(key, "is %s, a placeholder; set it to a real KMS key ARN (for example kms_key.arn)", key.Display())
			}
		},
	},
}

var sagemakerDomainVPCOnly = &policy.Policy{
	Name:             "sagemaker-domain-vpc-only",
	DisplayName:      "SageMaker domains are VPC-only",
	Description:      "SageMaker domains route Studio traffic through the customer VPC (appNetworkAccessType = VpcOnly) instead of SageMaker's public internet access.",
	Severity:         policy.Medium,
	EnforcementLevel: policy.Advisory,
	RemediationSteps: "Set app_network_access_type = \"VpcOnly\" and give the domain private subnets with VPC endpoints (or a NAT) for the services it uses.",
	URL:              docsURL + "sagemaker-domain-vpc-only",
	Tags:             []string{"sagemaker", "network"},
	Resource: &policy.ResourceRule{
		Types: []string{smDomain},
		Validate: func(c *policy.Check) {
			requireEqual(c, "appNetworkAccessType", "VpcOnly", false, `set appNetworkAccessType = "VpcOnly" (the default is PublicInternetOnly)`)
		},
	},
}

var sagemakerDomainKMS = &policy.Policy{
	Name:             "sagemaker-domain-kms",
	DisplayName:      "SageMaker domains encrypt their EFS volume with KMS",
	Description:      "SageMaker domains encrypt the home EFS volume with a customer managed KMS key (kmsKeyId).",
	Severity:         policy.Medium,
	EnforcementLevel: policy.Advisory,
	RemediationSteps: "Set kms_key_id to the ARN of a customer managed KMS key with rotation on.",
	URL:              docsURL + "sagemaker-domain-kms",
	Controls:         []policy.Control{checkov("CKV_AWS_187")},
	Tags:             []string{"sagemaker", "encryption", "kms"},
	Resource: &policy.ResourceRule{
		Types:    []string{smDomain},
		Validate: func(c *policy.Check) { requireString(c, "kmsKeyId", "set kmsKeyId to a customer managed KMS key ARN") },
	},
}

var sagemakerDomainIAMAuth = &policy.Policy{
	Name:             "sagemaker-domain-iam-auth",
	DisplayName:      "SageMaker domains authenticate with IAM",
	Description:      "SageMaker domains use IAM authentication (authMode = IAM), so access is governed by the same IAM policies as the data.",
	Severity:         policy.Low,
	EnforcementLevel: policy.Advisory,
	RemediationSteps: "Set auth_mode = \"IAM\" (changing it replaces the domain), or exempt the domain if IAM Identity Center is your standard.",
	URL:              docsURL + "sagemaker-domain-iam-auth",
	Tags:             []string{"sagemaker", "identity"},
	Resource: &policy.ResourceRule{
		Types:    []string{smDomain},
		Validate: func(c *policy.Check) { requireEqual(c, "authMode", "IAM", false, `set authMode = "IAM"`) },
	},
}

var sagemakerDomainExecutionRole = &policy.Policy{
	Name:             "sagemaker-domain-execution-role",
	DisplayName:      "SageMaker domains name an execution role",
	Description:      "SageMaker domains set defaultUserSettings.executionRole to a dedicated, non-placeholder IAM role ARN.",
	Severity:         policy.Medium,
	EnforcementLevel: policy.Advisory,
	RemediationSteps: "Create an IAM role for SageMaker with least-privilege policies and set default_user_settings.execution_role = role.arn.",
	URL:              docsURL + "sagemaker-domain-execution-role",
	Tags:             []string{"sagemaker", "identity"},
	Resource: &policy.ResourceRule{
		Types: []string{smDomain},
		Validate: func(c *policy.Check) {
			v, ok := c.Known("defaultUserSettings.executionRole")
			if !ok {
				return
			}
			switch s := str(v); {
			case s == "":
				c.Violatef(v, "is %s; set defaultUserSettings.executionRole to an IAM role ARN", v.Display())
			case isPlaceholder(s):
				c.Violatef(v, "is %s, a placeholder; set it to a real IAM role ARN (for example role.arn)", v.Display())
			}
		},
	},
}

var sagemakerNotebookNoInternet = &policy.Policy{
	Name:             "sagemaker-notebook-no-direct-internet",
	DisplayName:      "SageMaker notebook instances have no direct internet access",
	Description:      "SageMaker notebook instances disable direct internet access (directInternetAccess = Disabled; the service default is Enabled).",
	Severity:         policy.High,
	EnforcementLevel: policy.Mandatory,
	RemediationSteps: "Set direct_internet_access = \"Disabled\" and subnet_id/security_groups so the instance reaches the internet, if at all, through your VPC.",
	URL:              docsURL + "sagemaker-notebook-no-direct-internet",
	Controls:         []policy.Control{securityHub("SageMaker.1"), awsConfig("SAGEMAKER_NOTEBOOK_NO_DIRECT_INTERNET_ACCESS"), checkov("CKV_AWS_122")},
	Tags:             []string{"sagemaker", "network"},
	Resource: &policy.ResourceRule{
		Types: []string{smNotebook},
		Validate: func(c *policy.Check) {
			requireEqual(c, "directInternetAccess", "Disabled", false, `set directInternetAccess = "Disabled" (the default is Enabled)`)
		},
	},
}

var sagemakerNotebookNoRoot = &policy.Policy{
	Name:             "sagemaker-notebook-no-root",
	DisplayName:      "SageMaker notebook instances deny root access",
	Description:      "SageMaker notebook instances disable root access for users (rootAccess = Disabled; the service default is Enabled).",
	Severity:         policy.Medium,
	EnforcementLevel: policy.Advisory,
	RemediationSteps: "Set root_access = \"Disabled\"; install packages through lifecycle configurations instead.",
	URL:              docsURL + "sagemaker-notebook-no-root",
	Controls:         []policy.Control{securityHub("SageMaker.3"), awsConfig("SAGEMAKER_NOTEBOOK_INSTANCE_ROOT_ACCESS_CHECK"), checkov("CKV_AWS_307")},
	Tags:             []string{"sagemaker", "identity"},
	Resource: &policy.ResourceRule{
		Types: []string{smNotebook},
		Validate: func(c *policy.Check) {
			requireEqual(c, "rootAccess", "Disabled", false, `set rootAccess = "Disabled" (the default is Enabled)`)
		},
	},
}

var sagemakerNotebookKMS = &policy.Policy{
	Name:             "sagemaker-notebook-kms",
	DisplayName:      "SageMaker notebook instances encrypt storage with KMS",
	Description:      "SageMaker notebook instances encrypt their ML storage volume with a customer managed KMS key (kmsKeyId).",
	Severity:         policy.Medium,
	EnforcementLevel: policy.Advisory,
	RemediationSteps: "Set kms_key_id to a customer managed KMS key id or ARN.",
	URL:              docsURL + "sagemaker-notebook-kms",
	Controls:         []policy.Control{awsConfig("SAGEMAKER_NOTEBOOK_INSTANCE_KMS_KEY_CONFIGURED"), checkov("CKV_AWS_22")},
	Tags:             []string{"sagemaker", "encryption", "kms"},
	Resource: &policy.ResourceRule{
		Types:    []string{smNotebook},
		Validate: func(c *policy.Check) { requireString(c, "kmsKeyId", "set kmsKeyId to a customer managed KMS key") },
	},
}

var sagemakerNotebookInVPC = &policy.Policy{
	Name:             "sagemaker-notebook-in-vpc",
	DisplayName:      "SageMaker notebook instances run in a VPC",
	Description:      "SageMaker notebook instances are placed in a VPC subnet (subnetId), so security groups and VPC endpoints apply.",
	Severity:         policy.Medium,
	EnforcementLevel: policy.Advisory,
	RemediationSteps: "Set subnet_id to a private subnet and security_groups to groups allowing only what the notebook needs.",
	URL:              docsURL + "sagemaker-notebook-in-vpc",
	Controls:         []policy.Control{securityHub("SageMaker.2"), awsConfig("SAGEMAKER_NOTEBOOK_INSTANCE_INSIDE_VPC"), checkov("CKV_AWS_306")},
	Tags:             []string{"sagemaker", "network"},
	Resource: &policy.ResourceRule{
		Types:    []string{smNotebook},
		Validate: func(c *policy.Check) { requireString(c, "subnetId", "set subnetId to a private subnet") },
	},
}

var sagemakerEndpointConfigKMS = &policy.Policy{
	Name:             "sagemaker-endpoint-config-kms",
	DisplayName:      "SageMaker endpoint configurations encrypt with KMS",
	Description:      "SageMaker endpoint configurations encrypt the hosting instances' storage with a customer managed KMS key (kmsKeyArn).",
	Severity:         policy.Medium,
	EnforcementLevel: policy.Advisory,
	RemediationSteps: "Set kms_key_arn to a customer managed KMS key ARN.",
	URL:              docsURL + "sagemaker-endpoint-config-kms",
	Controls:         []policy.Control{awsConfig("SAGEMAKER_ENDPOINT_CONFIGURATION_KMS_KEY_CONFIGURED"), checkov("CKV_AWS_98")},
	Tags:             []string{"sagemaker", "encryption", "kms"},
	Resource: &policy.ResourceRule{
		Types: []string{smEndpointConfig},
		Validate: func(c *policy.Check) {
			requireString(c, "kmsKeyArn", "set kmsKeyArn to a customer managed KMS key ARN")
		},
	},
}

var sagemakerFeatureGroupKMS = &policy.Policy{
	Name:             "sagemaker-feature-group-kms",
	DisplayName:      "SageMaker feature stores encrypt with KMS",
	Description:      "SageMaker feature groups encrypt the offline store (offlineStoreConfig.s3StorageConfig.kmsKeyId) and, when enabled, the online store (onlineStoreConfig.securityConfig.kmsKeyId) with KMS.",
	Severity:         policy.Medium,
	EnforcementLevel: policy.Advisory,
	RemediationSteps: "Set offline_store_config.s3_storage_config.kms_key_id and online_store_config.security_config.kms_key_id to customer managed KMS key ARNs.",
	URL:              docsURL + "sagemaker-feature-group-kms",
	Tags:             []string{"sagemaker", "encryption", "kms", "feature-store"},
	Resource: &policy.ResourceRule{
		Types: []string{smFeatureGroup},
		Validate: func(c *policy.Check) {
			if off, ok := c.Known("offlineStoreConfig"); ok && !off.IsAbsent() {
				requireString(c, "offlineStoreConfig.s3StorageConfig.kmsKeyId", "set offlineStoreConfig.s3StorageConfig.kmsKeyId to a KMS key ARN")
			}
			on, ok := c.Known("onlineStoreConfig.enableOnlineStore")
			if ok && isTrue(on) {
				requireString(c, "onlineStoreConfig.securityConfig.kmsKeyId", "set onlineStoreConfig.securityConfig.kmsKeyId to a KMS key ARN")
			}
		},
	},
}

const (
	smModel              = "aws:sagemaker/model:Model"
	smSpace              = "aws:sagemaker/space:Space"
	smDataQualityJob     = "aws:sagemaker/dataQualityJobDefinition:DataQualityJobDefinition"
	smMonitoringSchedule = providers.SageMakerMonitoringSchedule
	smFlowDefinition     = "aws:sagemaker/flowDefinition:FlowDefinition"
)

func sagemakerModelPolicies() []*policy.Policy {
	return []*policy.Policy{
		sagemakerModelNetworkIsolation, sagemakerModelVPC, sagemakerModelPrivateRegistry,
		sagemakerEndpointDataCaptureKMS, sagemakerEndpointInstanceCount, sagemakerNotebookIMDSv2,
		sagemakerNotebookPlatform, sagemakerMonitoringKMS, sagemakerMonitoringNetwork,
		sagemakerDomainSharingRules, sagemakerFlowDefinitionKMS, sagemakerModelRegistryNoPublic, sagemakerMonitoringScheduleJob,
	}
}

var sagemakerModelNetworkIsolation = &policy.Policy{
	Name:             "sagemaker-model-network-isolation",
	DisplayName:      "SageMaker models run with network isolation",
	Description:      "SageMaker models enable network isolation (enableNetworkIsolation = true), so an inference container can make no outbound call and gets no AWS credentials. Mandatory: without it a compromised model image can send the data it scores anywhere.",
	Severity:         policy.High,
	EnforcementLevel: policy.Mandatory,
	RemediationSteps: "Set enable_network_isolation = True (it cannot be changed later: the model is replaced); stage what the container needs in the model data instead of downloading it at run time.",
	URL:              docsURL + "sagemaker-model-network-isolation",
	Controls:         []policy.Control{securityHub("SageMaker.5"), prowler("sagemaker_models_network_isolation_enabled")},
	Tags:             []string{"sagemaker", "network", "data-exfiltration"},
	Resource: &policy.ResourceRule{
		Types: []string{smModel},
		Validate: func(c *policy.Check) {
			requireBool(c, "enableNetworkIsolation", true, false, "set enableNetworkIsolation = true (the default is false)")
		},
	},
}

var sagemakerModelVPC = &policy.Policy{
	Name:             "sagemaker-model-vpc",
	DisplayName:      "SageMaker models run in a VPC",
	Description:      "SageMaker models name a VPC configuration with subnets and security groups (vpcConfig), so the hosting containers reach S3 and ECR through the VPC's endpoints. Advisory: network hygiene beside network isolation.",
	Severity:         policy.Medium,
	EnforcementLevel: policy.Advisory,
	RemediationSteps: "Set vpc_config={\"subnets\": [private subnet ids], \"security_group_ids\": [sg.id]}.",
	URL:              docsURL + "sagemaker-model-vpc",
	Tags:             []string{"sagemaker", "network"},
	Resource: &policy.ResourceRule{
		Types: []string{smModel},
		Validate: func(c *policy.Check) {
			if vpc, ok := c.Known("vpcConfig"); !ok || vpc.IsAbsent() {
				if ok {
					c.Violatef(vpc, "is not set; give the model a vpcConfig with private subnets and security groups")
				}
				return
			}
			for _, p := range []string{"vpcConfig.subnets", "vpcConfig.securityGroupIds"} {
				if v, ok := c.Known(p); ok && v.Len() == 0 {
					c.Violatef(v, "is %s; name at least one", v.Display())
				}
			}
		},
	},
}

// isECRImage reports whether an image URI names an Amazon ECR repository.
func isECRImage(image string) bool {
	return strings.Contains(image, ".dkr.ecr.") && strings.Contains(image, ".amazonaws.com")
}

var sagemakerModelPrivateRegistry = &policy.Policy{
	Name:        "sagemaker-model-private-registry",
	DisplayName: "SageMaker model images come from ECR or a private registry in the VPC",
	Description: "Every container of a SageMaker model (primaryContainer, containers[]) either uses an Amazon ECR image or pulls its image from a private registry through the VPC (imageConfig.repositoryAccessMode = Vpc). " +
		"Mandatory: a model image pulled from a public registry is code from outside the organization running on its data.",
	Severity:         policy.High,
	EnforcementLevel: policy.Mandatory,
	RemediationSteps: "Push the image to an ECR repository (repo.repository_url) or serve it from a private registry in your VPC and set image_config={\"repository_access_mode\": \"Vpc\"}.",
	URL:              docsURL + "sagemaker-model-private-registry",
	Tags:             []string{"sagemaker", "supply-chain", "ecr"},
	Resource: &policy.ResourceRule{
		Types: []string{smModel},
		Validate: func(c *policy.Check) {
			list := c.Get("containers")
			if list.IsUnknown() { // an unknown element is judged on its own, below
				c.KnownValue(list)
				return
			}
			containers := append([]policy.Value{c.Get("primaryContainer")}, list.Elems()...)
			for _, ct := range containers {
				image := ct.Get("image")
				if ct.IsAbsent() || image.IsAbsent() || !c.KnownValue(image) || isECRImage(str(image)) {
					continue
				}
				mode := ct.Get("imageConfig.repositoryAccessMode")
				if !c.KnownValue(mode) || str(mode) == "Vpc" {
					continue
				}
				c.Violatef(image, "is %s, not an ECR image, and imageConfig.repositoryAccessMode is %s; use an ECR image or set repositoryAccessMode = \"Vpc\" with a private registry", image.Display(), mode.Display())
			}
		},
	},
}

var sagemakerEndpointDataCaptureKMS = &policy.Policy{
	Name:        "sagemaker-endpoint-data-capture-kms",
	DisplayName: "SageMaker endpoint data capture is KMS-encrypted",
	Description: "SageMaker endpoint configurations that capture requests and responses (dataCaptureConfig, enableCapture not false) encrypt the capture in S3 with a customer managed KMS key (dataCaptureConfig.kmsKeyId). " +
		"Mandatory: captured payloads are the inference data itself.",
	Severity:         policy.High,
	EnforcementLevel: policy.Mandatory,
	RemediationSteps: "Set data_capture_config.kms_key_id to a customer managed KMS key ARN.",
	URL:              docsURL + "sagemaker-endpoint-data-capture-kms",
	Tags:             []string{"sagemaker", "encryption", "kms", "inference-data"},
	Resource: &policy.ResourceRule{
		Types: []string{smEndpointConfig},
		Validate: func(c *policy.Check) {
			capture, ok := c.Known("dataCaptureConfig.enableCapture")
			if !ok || c.Get("dataCaptureConfig").IsAbsent() || isFalse(capture) {
				return
			}
			requireString(c, "dataCaptureConfig.kmsKeyId", "set dataCaptureConfig.kmsKeyId to a customer managed KMS key ARN")
		},
	},
}

var sagemakerEndpointInstanceCount = &policy.Policy{
	Name:             "sagemaker-endpoint-instance-count",
	DisplayName:      "SageMaker endpoint production variants run on more than one instance",
	Description:      "Each instance-based production variant of a SageMaker endpoint configuration starts more than one instance (initialInstanceCount > 1), so the endpoint survives an instance or Availability Zone failure. Advisory: availability, not exposure.",
	Severity:         policy.Low,
	EnforcementLevel: policy.Advisory,
	RemediationSteps: "Set initial_instance_count = 2 (or more) on each production variant, or use serverless_config for spiky low traffic.",
	URL:              docsURL + "sagemaker-endpoint-instance-count",
	Controls:         []policy.Control{securityHub("SageMaker.4"), prowler("sagemaker_endpoint_config_prod_variant_instances")},
	Tags:             []string{"sagemaker", "availability"},
	Resource: &policy.ResourceRule{
		Types: []string{smEndpointConfig},
		Validate: func(c *policy.Check) {
			variants := c.Get("productionVariants")
			if variants.IsUnknown() { // an unknown element is judged on its own, below
				c.KnownValue(variants)
				return
			}
			for _, pv := range variants.Elems() {
				if !pv.Get("serverlessConfig").IsAbsent() {
					continue
				}
				n := pv.Get("initialInstanceCount")
				if !c.KnownValue(n) {
					continue
				}
				if count, isNum := n.Num(); !isNum || count <= 1 {
					c.Violatef(n, "is %s; set initialInstanceCount to 2 or more", n.Display())
				}
			}
		},
	},
}

var sagemakerNotebookIMDSv2 = &policy.Policy{
	Name:             "sagemaker-notebook-imdsv2",
	DisplayName:      "SageMaker notebook instances require IMDSv2",
	Description:      "SageMaker notebook instances accept only IMDSv2 (instanceMetadataServiceConfiguration.minimumInstanceMetadataServiceVersion = \"2\"; the default allows v1), which closes the SSRF path to the instance role's credentials. Advisory: hardening.",
	Severity:         policy.Medium,
	EnforcementLevel: policy.Advisory,
	RemediationSteps: "Set instance_metadata_service_configuration={\"minimum_instance_metadata_service_version\": \"2\"}.",
	URL:              docsURL + "sagemaker-notebook-imdsv2",
	Tags:             []string{"sagemaker", "identity", "hardening"},
	Resource: &policy.ResourceRule{
		Types: []string{smNotebook},
		Validate: func(c *policy.Check) {
			requireEqual(c, "instanceMetadataServiceConfiguration.minimumInstanceMetadataServiceVersion", "2", false, `set minimumInstanceMetadataServiceVersion = "2"`)
		},
	},
}

// supportedNotebookPlatforms are the notebook platforms SageMaker supports;
// notebook-al1-v1 and notebook-al2-v1 reached end of support.
var supportedNotebookPlatforms = []string{"notebook-al2-v2", "notebook-al2-v3", "notebook-al2023-v1"}

var sagemakerNotebookPlatform = &policy.Policy{
	Name:             "sagemaker-notebook-platform",
	DisplayName:      "SageMaker notebook instances run on a supported platform",
	Description:      "SageMaker notebook instances name a supported platform (platformIdentifier " + strings.Join(supportedNotebookPlatforms, ", ") + ", or unset for the service default); Amazon Linux 1 and notebook-al2-v1 get no security updates. Advisory: patch hygiene.",
	Severity:         policy.Medium,
	EnforcementLevel: policy.Advisory,
	RemediationSteps: "Set platform_identifier = \"notebook-al2023-v1\" (or remove it) and migrate lifecycle configurations.",
	URL:              docsURL + "sagemaker-notebook-platform",
	Tags:             []string{"sagemaker", "patching"},
	Resource: &policy.ResourceRule{
		Types: []string{smNotebook},
		Validate: func(c *policy.Check) {
			v, ok := c.Known("platformIdentifier")
			if !ok || v.IsAbsent() || contains(supportedNotebookPlatforms, str(v)) {
				return
			}
			c.Violatef(v, "is %s, not a supported platform; set platformIdentifier to one of %s", v.Display(), strings.Join(supportedNotebookPlatforms, ", "))
		},
	},
}

// monitoringSetting is one setting of a monitoring job: on a data-quality
// job definition at path, on a v7 monitoring schedule's inline job at prop.
type monitoringSetting struct {
	path string
	prop *providers.Property
}

// monitoringValue returns the setting of r, and false when r does not hold it
// (a schedule that names its job definition instead of defining it inline).
func (s monitoringSetting) value(r *policy.Resource) (policy.Value, bool) {
	if r.Kind == smDataQualityJob {
		return r.Get(s.path), true
	}
	if len(providers.SMScheduleInlineJob.Values(r)) == 0 {
		return policy.Value{}, false
	}
	return s.prop.Where(r), true
}

var (
	monitoringOutputKMS          = monitoringSetting{"dataQualityJobOutputConfig.kmsKeyId", providers.SMScheduleOutputKMS}
	monitoringVolumeKMS          = monitoringSetting{"jobResources.clusterConfig.volumeKmsKeyId", providers.SMScheduleVolumeKMS}
	monitoringInterContainerTLS  = monitoringSetting{"networkConfig.enableInterContainerTrafficEncryption", providers.SMScheduleInterContainerEncryption}
	monitoringNetworkIsolationOn = monitoringSetting{"networkConfig.enableNetworkIsolation", providers.SMScheduleNetworkIsolation}
)

var sagemakerMonitoringKMS = &policy.Policy{
	Name:             "sagemaker-monitoring-kms",
	DisplayName:      "SageMaker monitoring jobs encrypt output and volumes with KMS",
	Description:      "SageMaker data-quality job definitions, and monitoring schedules that define their job inline (pulumi-aws v7), encrypt the monitoring output and the processing volume with customer managed KMS keys. Advisory: the output is statistics about the data, not the data.",
	Severity:         policy.Medium,
	EnforcementLevel: policy.Advisory,
	RemediationSteps: "Set the job's output config kms_key_id and cluster_config.volume_kms_key_id to customer managed KMS key ARNs.",
	URL:              docsURL + "sagemaker-monitoring-kms",
	Tags:             []string{"sagemaker", "encryption", "kms", "monitoring"},
	Resource: &policy.ResourceRule{
		Types: []string{smDataQualityJob, smMonitoringSchedule},
		Validate: func(c *policy.Check) {
			for _, s := range []monitoringSetting{monitoringOutputKMS, monitoringVolumeKMS} {
				v, held := s.value(c.Resource)
				if held && c.KnownValue(v) && str(v) == "" {
					c.Violatef(v, "is %s; set it to a customer managed KMS key ARN", v.Display())
				}
			}
		},
	},
}

var sagemakerMonitoringNetwork = &policy.Policy{
	Name:             "sagemaker-monitoring-network",
	DisplayName:      "SageMaker monitoring jobs encrypt inter-container traffic and run isolated",
	Description:      "SageMaker data-quality job definitions, and monitoring schedules that define their job inline (pulumi-aws v7), set networkConfig.enableInterContainerTrafficEncryption and networkConfig.enableNetworkIsolation to true. Mandatory: the job reads captured inference data, which must neither cross the network in clear nor leave it.",
	Severity:         policy.High,
	EnforcementLevel: policy.Mandatory,
	RemediationSteps: "Set network_config={\"enable_inter_container_traffic_encryption\": True, \"enable_network_isolation\": True, ...} on the job definition.",
	URL:              docsURL + "sagemaker-monitoring-network",
	Controls:         []policy.Control{securityHub("SageMaker.9"), securityHub("SageMaker.11")},
	Tags:             []string{"sagemaker", "network", "encryption", "monitoring"},
	Resource: &policy.ResourceRule{
		Types: []string{smDataQualityJob, smMonitoringSchedule},
		Validate: func(c *policy.Check) {
			for _, s := range []monitoringSetting{monitoringInterContainerTLS, monitoringNetworkIsolationOn} {
				v, held := s.value(c.Resource)
				if held && c.KnownValue(v) && !isTrue(v) {
					c.Violatef(v, "is %s; set it to true (the default is false)", v.Display())
				}
			}
		},
	},
}

var sagemakerDomainSharingRules = &policy.Policy{
	Name:        "sagemaker-domain-sharing-rules",
	DisplayName: "SageMaker user profiles and spaces keep to their domain's sharing rules",
	Description: "A SageMaker user profile does not allow sharing notebook output (userSettings.sharingSettings.notebookOutputOption = Allowed), and a space is not shared (spaceSharingSettings.sharingType = Shared), when the domain it belongs to does not allow sharing (joined by domainId). " +
		"Mandatory: a profile or space that opts back in exposes what the domain's owners decided to keep private.",
	Severity:         policy.High,
	EnforcementLevel: policy.Mandatory,
	RemediationSteps: "Remove the profile's sharing_settings (it inherits the domain's) or set notebook_output_option = \"Disabled\"; make the space private (sharing_type = \"Private\"); or allow sharing on the domain, with a KMS key.",
	URL:              docsURL + "sagemaker-domain-sharing-rules",
	Tags:             []string{"sagemaker", "sharing", "data-exposure"},
	Stack: func(c *policy.StackCheck) {
		for _, d := range c.OfType(smDomain) {
			opt, ok := c.Known(d, "defaultUserSettings.sharingSettings.notebookOutputOption")
			if !ok || str(opt) == "Allowed" {
				continue
			}
			profiles, undecidedP := companions(c, d, smUserProfile, "domainId", "id")
			spaces, undecidedS := companions(c, d, smSpace, "domainId", "id")
			if undecidedP || undecidedS {
				c.NotApplicable(fmt.Sprintf("%s %q: the domainId of a user profile or space is unknown", d.Type, d.Name))
			}
			for _, p := range profiles {
				if v, ok := c.Known(p, "userSettings.sharingSettings.notebookOutputOption"); ok && str(v) == "Allowed" {
					c.Violatef(p, v, "is %s while its domain %q does not allow sharing notebook output; remove it, and the profile inherits the domain's setting", v.Display(), d.Name)
				}
			}
			for _, s := range spaces {
				if v, ok := c.Known(s, "spaceSharingSettings.sharingType"); ok && str(v) == "Shared" {
					c.Violatef(s, v, "is %s while its domain %q does not allow sharing; make the space \"Private\"", v.Display(), d.Name)
				}
			}
		}
	},
}

var sagemakerFlowDefinitionKMS = &policy.Policy{
	Name:             "sagemaker-flow-definition-kms",
	DisplayName:      "SageMaker human review output is KMS-encrypted",
	Description:      "SageMaker flow definitions (Augmented AI human review) encrypt their output in S3 with a customer managed KMS key (outputConfig.kmsKeyId). Advisory: reviewed records are usually samples, not the whole data set.",
	Severity:         policy.Medium,
	EnforcementLevel: policy.Advisory,
	RemediationSteps: "Set output_config.kms_key_id to a customer managed KMS key ARN.",
	URL:              docsURL + "sagemaker-flow-definition-kms",
	Tags:             []string{"sagemaker", "encryption", "kms"},
	Resource: &policy.ResourceRule{
		Types: []string{smFlowDefinition},
		Validate: func(c *policy.Check) {
			requireString(c, "outputConfig.kmsKeyId", "set outputConfig.kmsKeyId to a customer managed KMS key ARN")
		},
	},
}

const smModelPackageGroupPolicy = "aws:sagemaker/modelPackageGroupPolicy:ModelPackageGroupPolicy"

var sagemakerModelRegistryNoPublic = &policy.Policy{
	Name:             "sagemaker-model-registry-no-public",
	DisplayName:      "SageMaker model registry policies grant no public access",
	Description:      "SageMaker model package group policies (the model registry's resource policies) have no Allow statement for the wildcard principal without a Condition. Mandatory: anyone could read, and deploy, the organization's registered models.",
	Severity:         policy.Critical,
	EnforcementLevel: policy.Mandatory,
	RemediationSteps: "Name the accounts that may use the models in Principal, or add a Condition such as aws:PrincipalOrgID.",
	URL:              docsURL + "sagemaker-model-registry-no-public",
	Tags:             []string{"sagemaker", "model-registry", "public-access"},
	Resource: &policy.ResourceRule{
		Types:    []string{smModelPackageGroupPolicy},
		Validate: func(c *policy.Check) { checkPolicyDocument(c, "resourcePolicy", true) },
	},
}

var sagemakerMonitoringScheduleJob = &policy.Policy{
	Name:        "sagemaker-monitoring-schedule-job",
	DisplayName: "SageMaker monitoring schedules run a protected job definition",
	Description: "A SageMaker monitoring schedule that names its job definition (monitoringScheduleConfig.monitoringJobDefinitionName; the only way in pulumi-aws v6) runs a data-quality job definition of the stack (joined by dependency or name) that encrypts output and volume with KMS, encrypts inter-container traffic and isolates the network. " +
		"Advisory: the definition itself is reported by sagemaker-monitoring-kms and sagemaker-monitoring-network; this tells the schedule's owner which schedules run it.",
	Severity:         policy.Low,
	EnforcementLevel: policy.Advisory,
	RemediationSteps: "Fix the job definition the schedule names (see sagemaker-monitoring-kms and sagemaker-monitoring-network), or point the schedule at one that is protected.",
	URL:              docsURL + "sagemaker-monitoring-schedule-job",
	Tags:             []string{"sagemaker", "monitoring", "encryption", "network"},
	Stack: func(c *policy.StackCheck) {
		const nameProp = "monitoringScheduleConfig.monitoringJobDefinitionName"
		for _, s := range c.OfType(smMonitoringSchedule) {
			name := s.Get(nameProp)
			if name.IsAbsent() {
				continue // an inline job (v7), judged on the schedule itself
			}
			if name.IsUnknown() && len(s.PropertyDependencies["monitoringScheduleConfig"]) == 0 {
				c.NotApplicable(fmt.Sprintf("%s %q: the job definition it names is unknown", s.Type, s.Name))
				continue
			}
			for _, d := range joined(c, s, name, smDataQualityJob, "name") {
				var missing []string
				for _, m := range []struct {
					setting monitoringSetting
					ok      func(policy.Value) bool
				}{
					{monitoringOutputKMS, func(v policy.Value) bool { return str(v) != "" }},
					{monitoringVolumeKMS, func(v policy.Value) bool { return str(v) != "" }},
					{monitoringInterContainerTLS, isTrue},
					{monitoringNetworkIsolationOn, isTrue},
				} {
					v, _ := m.setting.value(d)
					if v.HasUnknown() {
						c.NotApplicable(fmt.Sprintf("%s %q: %s is unknown", d.Type, d.Name, v.Path()))
						continue
					}
					if !m.ok(v) {
						missing = append(missing, m.setting.path)
					}
				}
				if len(missing) > 0 {
					c.Violatef(s, name, "names job definition %q, which does not set %s; fix the definition", d.Name, strings.Join(missing, ", "))
				}
			}
		}
	},
}
