package policypack

import (
	"testing"

	pt "github.com/mlguard/mlguard/policy/policytest"
)

func TestIAMRoleTrustNoWildcard(t *testing.T) {
	// Seed 000's trust policy, as the program writes it.
	seed := `{ "Version": "2012-10-17", "Statement": [{ "Effect": "Allow", "Principal": { "Service": ["config.amazonaws.com"] }, "Action": "sts:AssumeRole" }] }`
	star := `{"Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"sts:AssumeRole","Condition":{"StringEquals":{"sts:ExternalId":"x"}}}]}`
	runSpecs(t, iamRoleTrustNoWildcard, iamRole, []spec{
		{name: "seed 000 is compliant", props: map[string]any{"assumeRolePolicy": seed}},
		{name: "object form", props: map[string]any{"assumeRolePolicy": map[string]any{"Statement": []any{map[string]any{"Effect": "Allow", "Principal": map[string]any{"Service": "sagemaker.amazonaws.com"}}}}}},
		{name: "wildcard even with a condition", props: map[string]any{"assumeRolePolicy": star}, violation: `aws:iam/role:Role "r": assumeRolePolicy: Statement[0] allows the wildcard principal "*"; name the trusted`},
		{name: "object form wildcard", props: map[string]any{"assumeRolePolicy": map[string]any{"Statement": []any{map[string]any{"Effect": "Allow", "Principal": "*"}}}}, violation: `Statement[0]`},
		{name: "wildcard spelled as a JSON escape", props: map[string]any{"assumeRolePolicy": `{"Statement":[{"Effect":"Allow","Principal":"\u002a","Action":"sts:AssumeRole"}]}`},
			violation: `Statement[0] allows the wildcard principal`},
		{name: "not JSON", props: map[string]any{"assumeRolePolicy": `{"Statement": [`}, violation: `assumeRolePolicy: is not a JSON policy document`},
		{name: "unknown", props: map[string]any{"assumeRolePolicy": pt.Unknown}, unknown: "assumeRolePolicy is unknown"},
		{name: "secret wildcard", props: map[string]any{"assumeRolePolicy": pt.Secret(star)}, violation: `Statement[0]`},
	})
}
