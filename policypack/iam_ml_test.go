package policypack

import (
	"testing"

	"github.com/mlguard/mlguard/policy"
	pt "github.com/mlguard/mlguard/policy/policytest"
)

const scopedSageMakerTrust = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"sagemaker.amazonaws.com"},"Action":"sts:AssumeRole","Condition":{"StringEquals":{"aws:SourceAccount":"111122223333"}}}]}`

func TestIAMMLRoleNoBroadPolicy(t *testing.T) {
	role := res(iamRole, "exec", map[string]any{"name": "exec", "assumeRolePolicy": scopedSageMakerTrust}, nil)
	configRole := res(iamRole, "config", map[string]any{"name": "config", "assumeRolePolicy": configTrustDoc}, nil)
	attach := func(r *policy.Resource, arn string) *policy.Resource {
		return res(iamRolePolicyAttachment, "attach", map[string]any{"role": pt.Unknown, "policyArn": arn}, map[string]*policy.Resource{"role": r})
	}
	runStackSpecs(t, iamMLRoleNoBroadPolicy, []stackSpec{
		{name: "compliant", resources: []*policy.Resource{role, attach(role, "arn:aws:iam::111122223333:policy/churn-training")}},
		{name: "full access attached", resources: []*policy.Resource{role, attach(role, "arn:aws:iam::aws:policy/AmazonSageMakerFullAccess")},
			violation: `aws:iam/rolePolicyAttachment:RolePolicyAttachment "attach": policyArn: attaches AmazonSageMakerFullAccess to role "exec"`},
		{name: "administrator in managedPolicyArns", resources: []*policy.Resource{res(iamRole, "exec", map[string]any{"assumeRolePolicy": scopedSageMakerTrust,
			"managedPolicyArns": []any{"arn:aws:iam::aws:policy/AdministratorAccess"}}, nil)}, violation: `managedPolicyArns.0: attaches AdministratorAccess`},
		{name: "not an ML role", resources: []*policy.Resource{configRole, attach(configRole, "arn:aws:iam::aws:policy/AdministratorAccess")}},
		{name: "attachment by name", resources: []*policy.Resource{role, res(iamRolePolicyAttachment, "a", map[string]any{"role": "exec", "policyArn": "arn:aws:iam::aws:policy/AmazonBedrockFullAccess"}, nil)},
			violation: `attaches AmazonBedrockFullAccess`},
		{name: "unknown trust", resources: []*policy.Resource{res(iamRole, "exec", map[string]any{"assumeRolePolicy": pt.Unknown}, nil)}, unknown: "its trust policy is unknown"},
	})
}

const configTrustDoc = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"config.amazonaws.com"},"Action":"sts:AssumeRole"}]}`

func TestIAMMLRoleNoWildcardAction(t *testing.T) {
	role := res(iamRole, "exec", map[string]any{"name": "exec", "assumeRolePolicy": scopedSageMakerTrust}, nil)
	star := `{"Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`
	scoped := `{"Statement":[{"Effect":"Allow","Action":["s3:GetObject"],"Resource":"arn:aws:s3:::data/*"}]}`
	inline := func(r *policy.Resource, doc any) *policy.Resource {
		return res(iamRolePolicy, "inline", map[string]any{"role": pt.Unknown, "policy": doc}, map[string]*policy.Resource{"role": r})
	}
	runStackSpecs(t, iamMLRoleNoWildcardAction, []stackSpec{
		{name: "compliant", resources: []*policy.Resource{role, inline(role, scoped)}},
		{name: "star action", resources: []*policy.Resource{role, inline(role, star)},
			violation: `aws:iam/rolePolicy:RolePolicy "inline": policy: Statement[0] allows every action ("*") to role "exec"`},
		{name: "star in the role's inline policies", resources: []*policy.Resource{res(iamRole, "exec", map[string]any{"assumeRolePolicy": scopedSageMakerTrust,
			"inlinePolicies": []any{map[string]any{"name": "all", "policy": `{"Statement":[{"Effect":"Allow","Action":["s3:*","*:*"],"Resource":"*"}]}`}}}, nil)},
			violation: `inlinePolicies.0.policy: Statement[0] allows every action`},
		{name: "denied star", resources: []*policy.Resource{role, inline(role, `{"Statement":[{"Effect":"Deny","Action":"*","Resource":"*"}]}`)}},
		{name: "unknown policy", resources: []*policy.Resource{role, inline(role, pt.Unknown)}, unknown: "policy is unknown"},
	})
}

func TestIAMServiceTrustScoped(t *testing.T) {
	unscoped := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"sagemaker.amazonaws.com"},"Action":"sts:AssumeRole"}]}`
	runSpecs(t, iamServiceTrustScoped, iamRole, []spec{
		{name: "compliant", props: map[string]any{"assumeRolePolicy": scopedSageMakerTrust}},
		{name: "seed 002: unscoped", props: map[string]any{"assumeRolePolicy": unscoped},
			violation: `aws:iam/role:Role "r": assumeRolePolicy: Statement[0] lets sagemaker.amazonaws.com assume the role without a Condition on aws:SourceAccount or aws:SourceArn`},
		{name: "bedrock, source ARN", props: map[string]any{"assumeRolePolicy": map[string]any{"Statement": []any{map[string]any{"Effect": "Allow",
			"Principal": map[string]any{"Service": []any{"bedrock.amazonaws.com"}}, "Condition": map[string]any{"ArnLike": map[string]any{"aws:SourceArn": "arn:aws:bedrock:eu-west-1:111122223333:agent/*"}}}}}}},
		{name: "other service", props: map[string]any{"assumeRolePolicy": configTrustDoc}},
		{name: "unknown", props: map[string]any{"assumeRolePolicy": pt.Unknown}, unknown: "assumeRolePolicy is unknown"},
		{name: "secret", props: map[string]any{"assumeRolePolicy": pt.Secret(unscoped)}, violation: `lets an ML service assume the role`},
	})
}
