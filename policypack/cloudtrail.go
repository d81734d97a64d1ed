package policypack

import "github.com/mlguard/mlguard/policy"

const ctTrail = "aws:cloudtrail/trail:Trail"

func cloudtrailPolicies() []*policy.Policy {
	return []*policy.Policy{cloudtrailMultiRegion, cloudtrailLogValidation, cloudtrailKMS}
}

var cloudtrailMultiRegion = &policy.Policy{
	Name:             "cloudtrail-multi-region",
	DisplayName:      "CloudTrail trails cover every region",
	Description:      "CloudTrail trails are multi-region (isMultiRegionTrail = true), so activity in a region nobody watches is recorded too. Advisory: one multi-region trail per account or organization is enough; a regional trail beside it is fine to exempt.",
	Severity:         policy.Medium,
	EnforcementLevel: policy.Advisory,
	RemediationSteps: "Set is_multi_region_trail = True (and include_global_service_events = True).",
	URL:              docsURL + "cloudtrail-multi-region",
	Controls:         []policy.Control{securityHub("CloudTrail.1"), checkov("CKV_AWS_67")},
	Tags:             []string{"cloudtrail", "audit"},
	Resource: &policy.ResourceRule{
		Types: []string{ctTrail},
		Validate: func(c *policy.Check) {
			requireBool(c, "isMultiRegionTrail", true, false, "set isMultiRegionTrail = true")
		},
	},
}

var cloudtrailLogValidation = &policy.Policy{
	Name:             "cloudtrail-log-validation",
	DisplayName:      "CloudTrail trails validate their log files",
	Description:      "CloudTrail trails enable log file validation (enableLogFileValidation = true), so a deleted or altered audit record is detectable. Mandatory: audit logs that can be rewritten unnoticed prove nothing.",
	Severity:         policy.High,
	EnforcementLevel: policy.Mandatory,
	RemediationSteps: "Set enable_log_file_validation = True.",
	URL:              docsURL + "cloudtrail-log-validation",
	Controls:         []policy.Control{securityHub("CloudTrail.4"), checkov("CKV_AWS_36")},
	Tags:             []string{"cloudtrail", "audit", "integrity"},
	Resource: &policy.ResourceRule{
		Types: []string{ctTrail},
		Validate: func(c *policy.Check) {
			requireBool(c, "enableLogFileValidation", true, false, "set enableLogFileValidation = true")
		},
	},
}

var cloudtrailKMS = &policy.Policy{
	Name:             "cloudtrail-kms",
	DisplayName:      "CloudTrail trails encrypt with KMS",
	Description:      "CloudTrail trails encrypt their log files with a customer managed KMS key (kmsKeyId). Advisory: S3 encrypts them with SSE-S3 otherwise.",
	Severity:         policy.Medium,
	EnforcementLevel: policy.Advisory,
	RemediationSteps: "Set kms_key_id to a customer managed KMS key whose policy lets cloudtrail.amazonaws.com encrypt.",
	URL:              docsURL + "cloudtrail-kms",
	Controls:         []policy.Control{securityHub("CloudTrail.2"), checkov("CKV_AWS_35")},
	Tags:             []string{"cloudtrail", "audit", "encryption", "kms"},
	Resource: &policy.ResourceRule{
		Types:    []string{ctTrail},
		Validate: func(c *policy.Check) { requireString(c, "kmsKeyId", "set kmsKeyId to a customer managed KMS key ARN") },
	},
}
