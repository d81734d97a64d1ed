package policypack

import (
	"fmt"

	"github.com/mlguard/mlguard/policy"
)

// ECR repositories hold model images: the image a model version names must
// be the one that was scanned, and stay that one.
const (
	ecrRepository       = "aws:ecr/repository:Repository"
	ecrLifecyclePolicy  = "aws:ecr/lifecyclePolicy:LifecyclePolicy"
	ecrRepositoryPolicy = "aws:ecr/repositoryPolicy:RepositoryPolicy"
)

func ecrPolicies() []*policy.Policy {
	return []*policy.Policy{ecrScanOnPush, ecrImmutableTags, ecrKMS, ecrLifecycle, ecrNoPublicPolicy}
}

var ecrScanOnPush = &policy.Policy{
	Name:             "ecr-scan-on-push",
	DisplayName:      "ECR repositories scan images on push",
	Description:      "ECR repositories scan every image when it is pushed (imageScanningConfiguration.scanOnPush = true), so a model image with known vulnerabilities is found before an endpoint runs it. Advisory: registry-level enhanced scanning may cover it instead.",
	Severity:         policy.Medium,
	EnforcementLevel: policy.Advisory,
	RemediationSteps: "Set image_scanning_configuration={\"scan_on_push\": True} (or configure enhanced scanning with aws.ecr.RegistryScanningConfiguration).",
	URL:              docsURL + "ecr-scan-on-push",
	Controls:         []policy.Control{securityHub("ECR.1"), checkov("CKV_AWS_163"), prowler("ecr_repositories_scan_images_on_push_enabled")},
	Tags:             []string{"ecr", "supply-chain", "vulnerabilities"},
	Resource: &policy.ResourceRule{
		Types: []string{ecrRepository},
		Validate: func(c *policy.Check) {
			requireBool(c, "imageScanningConfiguration.scanOnPush", true, false, "set imageScanningConfiguration.scanOnPush = true")
		},
	},
}

var ecrImmutableTags = &policy.Policy{
	Name:        "ecr-immutable-tags",
	DisplayName: "ECR repositories have immutable tags",
	Description: "ECR repositories make image tags immutable (imageTagMutability = IMMUTABLE, or IMMUTABLE_WITH_EXCLUSION in pulumi-aws v7), so a model version names exactly one image. " +
		"Mandatory: with mutable tags the image behind a deployed, approved model can be replaced without a trace.",
	Severity:         policy.High,
	EnforcementLevel: policy.Mandatory,
	RemediationSteps: "Set image_tag_mutability = \"IMMUTABLE\" and tag each image with its model version or digest.",
	URL:              docsURL + "ecr-immutable-tags",
	Controls:         []policy.Control{securityHub("ECR.2"), checkov("CKV_AWS_51")},
	Tags:             []string{"ecr", "supply-chain", "model-lineage"},
	Resource: &policy.ResourceRule{
		Types: []string{ecrRepository},
		Validate: func(c *policy.Check) {
			v, ok := c.Known("imageTagMutability")
			if !ok {
				return
			}
			if s := str(v); s != "IMMUTABLE" && s != "IMMUTABLE_WITH_EXCLUSION" {
				c.Violatef(v, "is %s; set imageTagMutability = \"IMMUTABLE\" (the default is MUTABLE)", v.Display())
			}
		},
	},
}

var ecrKMS = &policy.Policy{
	Name:             "ecr-kms",
	DisplayName:      "ECR repositories encrypt with KMS",
	Description:      "ECR repositories encrypt images with KMS (encryptionConfigurations[].encryptionType = KMS) rather than the default AES256. Advisory: model images rarely hold data, but the weights baked into them may.",
	Severity:         policy.Medium,
	EnforcementLevel: policy.Advisory,
	RemediationSteps: "Set encryption_configurations=[{\"encryption_type\": \"KMS\", \"kms_key\": key.arn}] (the repository is replaced).",
	URL:              docsURL + "ecr-kms",
	Controls:         []policy.Control{checkov("CKV_AWS_136")},
	Tags:             []string{"ecr", "encryption", "kms"},
	Resource: &policy.ResourceRule{
		Types: []string{ecrRepository},
		Validate: func(c *policy.Check) {
			enc, ok := c.Known("encryptionConfigurations")
			if !ok {
				return
			}
			for _, e := range enc.Elems() {
				if str(e.Get("encryptionType")) == "KMS" {
					return
				}
			}
			c.Violatef(enc, "is %s, without encryptionType KMS; set encryptionConfigurations=[{encryptionType: \"KMS\", kmsKey: key.arn}]", enc.Display())
		},
	},
}

var ecrLifecycle = &policy.Policy{
	Name:             "ecr-lifecycle-policy",
	DisplayName:      "ECR repositories have a lifecycle policy",
	Description:      "Every ECR repository has an aws.ecr.LifecyclePolicy in the stack (joined by its repository input), so untagged and superseded images expire. Advisory: cost and clutter; keep the images of deployed model versions out of its rules.",
	Severity:         policy.Low,
	EnforcementLevel: policy.Advisory,
	RemediationSteps: "Add aws.ecr.LifecyclePolicy(repository=repo.name, policy=json.dumps({\"rules\": [{\"rulePriority\": 1, \"selection\": {\"tagStatus\": \"untagged\", \"countType\": \"sinceImagePushed\", \"countUnit\": \"days\", \"countNumber\": 14}, \"action\": {\"type\": \"expire\"}}]})).",
	URL:              docsURL + "ecr-lifecycle-policy",
	Controls:         []policy.Control{securityHub("ECR.3"), prowler("ecr_repositories_lifecycle_policy_enabled")},
	Tags:             []string{"ecr", "cost"},
	Stack: func(c *policy.StackCheck) {
		for _, repo := range c.OfType(ecrRepository) {
			found, undecided := companions(c, repo, ecrLifecyclePolicy, "repository", "name")
			switch {
			case len(found) > 0:
			case undecided:
				c.NotApplicable(fmt.Sprintf("%s %q: the repository of a LifecyclePolicy is unknown", repo.Type, repo.Name))
			default:
				c.Violatef(repo, repo.Get("name"), "no aws.ecr.LifecyclePolicy refers to the repository; add one that expires untagged images")
			}
		}
	},
}

var ecrNoPublicPolicy = &policy.Policy{
	Name:             "ecr-no-public-policy",
	DisplayName:      "ECR repository policies grant no public access",
	Description:      "ECR repository policies have no Allow statement for the wildcard principal without a Condition. Mandatory: anyone could pull the model image, and the weights in it.",
	Severity:         policy.Critical,
	EnforcementLevel: policy.Mandatory,
	RemediationSteps: "Name the accounts or roles that pull the image in Principal, or add a Condition such as aws:PrincipalOrgID.",
	URL:              docsURL + "ecr-no-public-policy",
	Controls:         []policy.Control{checkov("CKV_AWS_32"), prowler("ecr_repositories_not_publicly_accessible")},
	Tags:             []string{"ecr", "public-access"},
	Resource: &policy.ResourceRule{
		Types:    []string{ecrRepositoryPolicy},
		Validate: func(c *policy.Check) { checkPolicyDocument(c, "policy", true) },
	},
}
