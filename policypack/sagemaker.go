package policypack

import "github.com/mlguard/mlguard/policy"

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
