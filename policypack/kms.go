package policypack

import "github.com/mlguard/mlguard/policy"

const kmsKey = "aws:kms/key:Key"

func kmsPolicies() []*policy.Policy { return []*policy.Policy{kmsKeyRotation} }

var kmsKeyRotation = &policy.Policy{
	Name:             "kms-key-rotation",
	DisplayName:      "KMS keys rotate",
	Description:      "Symmetric customer managed KMS keys have automatic rotation on (enableKeyRotation = true); asymmetric and HMAC keys, which cannot rotate, are skipped.",
	Severity:         policy.Medium,
	EnforcementLevel: policy.Advisory,
	RemediationSteps: "Set enable_key_rotation = True (optionally rotation_period_in_days).",
	URL:              docsURL + "kms-key-rotation",
	Controls:         []policy.Control{securityHub("KMS.4"), awsConfig("CMK_BACKING_KEY_ROTATION_ENABLED"), checkov("CKV_AWS_7")},
	Tags:             []string{"kms", "encryption"},
	Resource: &policy.ResourceRule{
		Types: []string{kmsKey},
		Validate: func(c *policy.Check) {
			spec, ok := c.Known("customerMasterKeySpec")
			if !ok {
				return
			}
			if s := str(spec); s != "" && s != "SYMMETRIC_DEFAULT" {
				return
			}
			requireBool(c, "enableKeyRotation", true, false, "set enableKeyRotation = true")
		},
	},
}

func kmsKeyPolicyPolicies() []*policy.Policy {
	return []*policy.Policy{kmsKeyPolicyNoPublic, kmsKeyLockoutSafety}
}

var kmsKeyPolicyNoPublic = &policy.Policy{
	Name:        "kms-key-policy-no-public",
	DisplayName: "KMS key policies grant no public access",
	Description: "KMS key policies have no Allow statement for the wildcard principal without a Condition. " +
		"Mandatory: anyone could decrypt the training data, models and logs the key protects.",
	Severity:         policy.Critical,
	EnforcementLevel: policy.Mandatory,
	RemediationSteps: "Name the account root, roles and services in Principal, or constrain a wildcard with a Condition such as kms:CallerAccount or aws:PrincipalOrgID.",
	URL:              docsURL + "kms-key-policy-no-public",
	Controls:         []policy.Control{prowler("kms_key_not_publicly_accessible")},
	Tags:             []string{"kms", "encryption", "public-access"},
	Resource: &policy.ResourceRule{
		Types:    []string{kmsKey},
		Validate: func(c *policy.Check) { checkPolicyDocument(c, "policy", true) },
	},
}

var kmsKeyLockoutSafety = &policy.Policy{
	Name:        "kms-key-lockout-safety",
	DisplayName: "KMS keys keep the policy lockout safety check",
	Description: "KMS keys do not set bypassPolicyLockoutSafetyCheck = true. " +
		"Mandatory: a key policy that locks out every administrator makes the data encrypted with it unrecoverable without AWS support.",
	Severity:         policy.High,
	EnforcementLevel: policy.Mandatory,
	RemediationSteps: "Remove bypass_policy_lockout_safety_check (it defaults to false) and make sure the key policy lets an administrator role manage the key.",
	URL:              docsURL + "kms-key-lockout-safety",
	Tags:             []string{"kms", "encryption", "availability"},
	Resource: &policy.ResourceRule{
		Types: []string{kmsKey},
		Validate: func(c *policy.Check) {
			requireBool(c, "bypassPolicyLockoutSafetyCheck", false, true, "remove bypassPolicyLockoutSafetyCheck (the default is false)")
		},
	},
}
