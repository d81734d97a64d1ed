package policypack

import "github.com/mlguard/mlguard/policy"

const iamRole = "aws:iam/role:Role"

func iamPolicies() []*policy.Policy { return []*policy.Policy{iamRoleTrustNoWildcard} }

var iamRoleTrustNoWildcard = &policy.Policy{
	Name:             "iam-role-trust-no-wildcard",
	DisplayName:      "IAM roles trust named principals only",
	Description:      "IAM role trust policies (assumeRolePolicy) have no Allow statement for the wildcard principal (\"*\" or {\"AWS\": \"*\"}), with or without a Condition.",
	Severity:         policy.Critical,
	EnforcementLevel: policy.Mandatory,
	RemediationSteps: "Name the trusted service (for example {\"Service\": \"sagemaker.amazonaws.com\"}), account or role in Principal; a wildcard lets any AWS account assume the role.",
	URL:              docsURL + "iam-role-trust-no-wildcard",
	Controls:         []policy.Control{checkov("CKV_AWS_60")},
	Tags:             []string{"iam", "identity", "public-access"},
	Resource: &policy.ResourceRule{
		Types:    []string{iamRole},
		Validate: func(c *policy.Check) { checkPolicyDocument(c, "assumeRolePolicy", false) },
	},
}
