// Package policypack holds mlguard's policies, one file per service. Each
// policy keeps its metadata (severity, remediation, config) beside its check.
package policypack

import (
	"github.com/mlguard/mlguard/policy"
	"github.com/mlguard/mlguard/providers"
)

// Version is the pack's version; PulumiPolicy.yaml carries the same.
const Version = "0.1.0"

const docsURL = "https://github.com/mlguard/mlguard/blob/main/docs/policies.md#"

// Pack returns the mlguard policy pack.
func Pack() *policy.Pack {
	return &policy.Pack{
		Name:             "mlguard",
		DisplayName:      "mlguard: ML governance",
		Description:      "Unified ML-governance policies for AWS (S3, AWS Config, SageMaker, Bedrock, ECR, CodeArtifact, IAM, KMS, CloudTrail, Glue) and Azure (Machine Learning, Container Registry, AI services, Key Vault, Storage), for pulumi-aws v6 and v7 and azure-native v2 and v3.",
		Version:          Version,
		Provider:         "aws",
		Repository:       "https://github.com/mlguard/mlguard",
		Tags:             []string{"ml", "governance", "aws", "azure"},
		EnforcementLevel: policy.Advisory,
		Policies:         policies(),
		Exemptions:       &policy.Exemptions{Policy: exemptionValid, Exempt: exempt},
		Kinds:            providers.Kind,
		Renamed:          renamedS3,
	}
}

func policies() []*policy.Policy {
	var all []*policy.Policy
	all = append(all, s3Policies()...)
	all = append(all, awsConfigPolicies()...)
	all = append(all, sagemakerPolicies()...)
	all = append(all, codeartifactPolicies()...)
	all = append(all, tagPolicies()...)
	all = append(all, iamPolicies()...)
	all = append(all, kmsPolicies()...)
	all = append(all, azureMLPolicies()...)
	all = append(all, azureStoragePolicies()...)
	all = append(all, azureMLComputePolicies()...)
	all = append(all, azureMLEndpointPolicies()...)
	all = append(all, containerRegistryPolicies()...)
	all = append(all, aiServicesPolicies()...)
	all = append(all, azureLocationPolicies()...)
	all = append(all, exemptionPolicies()...)
	all = append(all, placeholderPolicies()...)
	all = append(all, sagemakerModelPolicies()...)
	all = append(all, bedrockPolicies()...)
	all = append(all, ecrPolicies()...)
	all = append(all, s3DataPolicies()...)
	all = append(all, kmsKeyPolicyPolicies()...)
	all = append(all, iamMLPolicies()...)
	all = append(all, cloudtrailPolicies()...)
	all = append(all, gluePolicies()...)
	all = append(all, residencyPolicies()...)
	return all
}
