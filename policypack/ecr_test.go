package policypack

import (
	"testing"

	"github.com/mlguard/mlguard/policy"
	pt "github.com/mlguard/mlguard/policy/policytest"
)

var ecrRepoProps = map[string]any{
	"name":                       "churn-model",
	"imageTagMutability":         "IMMUTABLE",
	"imageScanningConfiguration": map[string]any{"scanOnPush": true},
	"encryptionConfigurations":   []any{map[string]any{"encryptionType": "KMS", "kmsKey": kmsARN}},
}

func TestECRRepository(t *testing.T) {
	runSpecs(t, ecrScanOnPush, ecrRepository, []spec{
		{name: "compliant", props: ecrRepoProps},
		{name: "no scanning", props: pt.Without(ecrRepoProps, "imageScanningConfiguration"), violation: `aws:ecr/repository:Repository "r": imageScanningConfiguration.scanOnPush: is not set`},
		{name: "unknown", props: pt.With(ecrRepoProps, "imageScanningConfiguration.scanOnPush", pt.Unknown), unknown: "scanOnPush is unknown"},
	})
	runSpecs(t, ecrImmutableTags, ecrRepository, []spec{
		{name: "compliant", props: ecrRepoProps},
		{name: "default is mutable", props: pt.Without(ecrRepoProps, "imageTagMutability"), violation: `imageTagMutability: is not set; set imageTagMutability = "IMMUTABLE"`},
		{name: "mutable", props: pt.With(ecrRepoProps, "imageTagMutability", "MUTABLE"), violation: `is "MUTABLE"`},
		{name: "unknown", props: pt.With(ecrRepoProps, "imageTagMutability", pt.Unknown), unknown: "imageTagMutability is unknown"},
	})
	runSpecs(t, ecrKMS, ecrRepository, []spec{
		{name: "compliant", props: ecrRepoProps},
		{name: "default AES256", props: pt.Without(ecrRepoProps, "encryptionConfigurations"), violation: `encryptionConfigurations: is not set, without encryptionType KMS`},
		{name: "AES256", props: pt.With(ecrRepoProps, "encryptionConfigurations", []any{map[string]any{"encryptionType": "AES256"}}), violation: `is a list of 1`},
		{name: "unknown", props: pt.With(ecrRepoProps, "encryptionConfigurations", pt.Unknown), unknown: "encryptionConfigurations is unknown"},
	})
	runSpecs(t, ecrNoPublicPolicy, ecrRepositoryPolicy, []spec{
		{name: "named principal", props: map[string]any{"repository": "churn-model", "policy": `{"Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"ecr:BatchGetImage"}]}`}},
		{name: "public", props: map[string]any{"repository": "churn-model", "policy": `{"Statement":[{"Effect":"Allow","Principal":"*","Action":"ecr:BatchGetImage"}]}`},
			violation: `policy: Statement[0] allows the wildcard principal "*" without a Condition`},
		{name: "unknown", props: map[string]any{"repository": "churn-model", "policy": pt.Unknown}, unknown: "policy is unknown"},
	})
}

func TestECRLifecyclePolicy(t *testing.T) {
	repo := res(ecrRepository, "models", ecrRepoProps, nil)
	byDep := res(ecrLifecyclePolicy, "models", map[string]any{"repository": pt.Unknown, "policy": `{"rules":[]}`}, map[string]*policy.Resource{"repository": repo})
	byName := res(ecrLifecyclePolicy, "models", map[string]any{"repository": "churn-model", "policy": `{"rules":[]}`}, nil)
	runStackSpecs(t, ecrLifecycle, []stackSpec{
		{name: "joined by dependency", resources: []*policy.Resource{repo, byDep}},
		{name: "joined by name", resources: []*policy.Resource{repo, byName}},
		{name: "none", resources: []*policy.Resource{repo}, violation: `aws:ecr/repository:Repository "models": name: no aws.ecr.LifecyclePolicy refers to the repository`},
		{name: "unknown repository", resources: []*policy.Resource{repo, res(ecrLifecyclePolicy, "x", map[string]any{"repository": pt.Unknown}, nil)}, unknown: "the repository of a LifecyclePolicy is unknown"},
	})
}
