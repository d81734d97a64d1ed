package policypack

import (
	"testing"

	pt "github.com/mlguard/mlguard/policy/policytest"
)

func TestKMSKeyPolicy(t *testing.T) {
	owned := `{"Statement":[{"Sid":"Root","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"kms:*","Resource":"*"}]}`
	public := `{"Statement":[{"Effect":"Allow","Principal":"*","Action":"kms:Decrypt","Resource":"*"}]}`
	runSpecs(t, kmsKeyPolicyNoPublic, kmsKey, []spec{
		{name: "compliant", props: map[string]any{"policy": owned}},
		{name: "default policy", props: map[string]any{}},
		{name: "public", props: map[string]any{"policy": public}, violation: `aws:kms/key:Key "r": policy: Statement[0] allows the wildcard principal "*" without a Condition`},
		{name: "unknown", props: map[string]any{"policy": pt.Unknown}, unknown: "policy is unknown"},
	})
	runSpecs(t, kmsKeyLockoutSafety, kmsKey, []spec{
		{name: "default", props: map[string]any{"enableKeyRotation": true}},
		{name: "explicit false", props: map[string]any{"bypassPolicyLockoutSafetyCheck": false}},
		{name: "bypassed", props: map[string]any{"bypassPolicyLockoutSafetyCheck": true}, violation: `bypassPolicyLockoutSafetyCheck: is true; remove bypassPolicyLockoutSafetyCheck`},
		{name: "unknown", props: map[string]any{"bypassPolicyLockoutSafetyCheck": pt.Unknown}, unknown: "bypassPolicyLockoutSafetyCheck is unknown"},
	})
}
