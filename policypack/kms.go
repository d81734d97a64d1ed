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
