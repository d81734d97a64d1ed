// Package examples holds the programs the end-to-end tests and the demo run
// through the real CLI: the seed programs the project grew from, rewritten in
// Go with their mistakes kept (they are what the pack must catch), and the
// violations each must produce.
package examples

import (
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cfg"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/codeartifact"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/iam"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/kms"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/s3"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/sagemaker"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// Violation is one diagnostic a program must produce.
type Violation struct {
	Policy    string
	Resource  string // the resource's logical name
	Mandatory bool
}

// Example is a non-compliant program and what the pack says of it.
type Example struct {
	Name    string // also the project name
	About   string // the seed document it reproduces, and how it deviates
	Config  map[string]string
	Program pulumi.RunFunc
	Expect  []Violation
}

// AWSConfig is the region every AWS example runs in.
var awsConfig = map[string]string{"aws:region": "eu-west-1"}

// AWS are the AWS examples.
var AWS = []Example{
	{
		Name:    "seed-aws-config-rules",
		About:   "seed 000: AWS Config with a rule; no RecorderStatus, an unversioned bucket, nothing tagged",
		Config:  awsConfig,
		Program: awsConfigRules,
		Expect: []Violation{
			{"s3-bucket-versioning-enabled", "config-bucket", true},
			{"awsconfig-recorder-delivery", "config-recorder", true},
			{"awsconfig-delivery-frequency", "delivery-channel", true},
			{"required-tags", "config-bucket", true},
			{"required-tags", "config-role", true},
			{"required-tags", "config-rule", true},
			{"awsconfig-rule-input-parameters", "config-rule", true},
			{"s3-bucket-kms-encryption", "config-bucket", false},
			{"s3-bucket-public-access-block", "config-bucket", false},
			{"s3-bucket-access-logging", "config-bucket", false},
			{"s3-bucket-tls-only", "config-bucket", true},
			{"s3-bucket-ownership-enforced", "config-bucket", false},
			{"s3-audit-bucket-object-lock", "config-bucket", false},
		},
	},
	{
		Name: "seed-aws-config-history",
		About: "seed 001: AWS Config recorder and delivery channel with a placeholder role ARN; recording global types " +
			"turned off, as its comment invites",
		Config:  awsConfig,
		Program: awsConfigHistory,
		Expect: []Violation{
			{"awsconfig-recorder-all-resources", "config-recorder", true},
			{"aws-arn-placeholder", "config-recorder", true},
			{"awsconfig-recorder-delivery", "config-recorder", true},
			{"s3-bucket-versioning-enabled", "config-bucket", true},
			{"required-tags", "config-bucket", true},
			{"s3-bucket-kms-encryption", "config-bucket", false},
			{"s3-bucket-public-access-block", "config-bucket", false},
			{"s3-bucket-access-logging", "config-bucket", false},
			{"s3-bucket-tls-only", "config-bucket", true},
			{"s3-bucket-ownership-enforced", "config-bucket", false},
			{"s3-audit-bucket-object-lock", "config-bucket", false},
		},
	},
	{
		Name:    "seed-sagemaker-sharing",
		About:   "seed 002: a SageMaker domain sharing notebook outputs; here without the sharing KMS key",
		Config:  awsConfig,
		Program: sagemakerSharing,
		Expect: []Violation{
			{"sagemaker-sharing-kms", "sagemakerDomain", true},
			{"required-tags", "sagemakerDomain", true},
			{"required-tags", "sagemaker_execution_role", true},
			{"required-tags", "sagemaker_kms_key", true},
			{"required-tags", "sagemaker_sg", true},
			{"required-tags", "sagemaker_vpc", true},
			{"required-tags", "sagemaker_subnet", true},
			{"sagemaker-domain-vpc-only", "sagemakerDomain", false},
			{"sagemaker-domain-kms", "sagemakerDomain", false},
			{"kms-key-rotation", "sagemaker_kms_key", false},
			{"iam-service-trust-scoped", "sagemaker_execution_role", false},
		},
	},
	{
		Name:    "seed-codeartifact",
		About:   "seed 004: a CodeArtifact domain and repository; plus a second repository without a description",
		Config:  awsConfig,
		Program: codeArtifact,
		Expect: []Violation{
			{"codeartifact-repository-description", "undocumented_repository", true},
			{"required-tags", "my_codeartifact_domain", true},
			{"required-tags", "my_ml_model_repository", true},
			{"codeartifact-domain-kms", "my_codeartifact_domain", false},
		},
	},
}

const configTrust = `{ "Version": "2012-10-17", "Statement": [{ "Effect": "Allow", "Principal": { "Service": ["config.amazonaws.com"] }, "Action": "sts:AssumeRole" }] }`

func awsConfigRules(ctx *pulumi.Context) error {
	role, err := iam.NewRole(ctx, "config-role", &iam.RoleArgs{AssumeRolePolicy: pulumi.String(configTrust)})
	if err != nil {
		return err
	}
	if _, err := iam.NewRolePolicyAttachment(ctx, "role-policy-attachment", &iam.RolePolicyAttachmentArgs{
		Role: role.Name, PolicyArn: pulumi.String("arn:aws:iam::aws:policy/service-role/AWSConfigRole"),
	}); err != nil {
		return err
	}
	bucket, err := s3.NewBucket(ctx, "config-bucket", nil)
	if err != nil {
		return err
	}
	if _, err := cfg.NewRecorder(ctx, "config-recorder", &cfg.RecorderArgs{
		RoleArn: role.Arn,
		RecordingGroup: &cfg.RecorderRecordingGroupArgs{
			AllSupported: pulumi.Bool(true), IncludeGlobalResourceTypes: pulumi.Bool(true),
		},
	}); err != nil {
		return err
	}
	if _, err := cfg.NewRule(ctx, "config-rule", &cfg.RuleArgs{
		Source: &cfg.RuleSourceArgs{Owner: pulumi.String("AWS"), SourceIdentifier: pulumi.String("S3_BUCKET_VERSIONING_ENABLED")},
		Scope:  &cfg.RuleScopeArgs{},
		// Kept as the seed wrote it: a comment inside JSON.
		InputParameters: pulumi.String(`{ "desired_value":"true" # Define parameters for the rule }`),
	}); err != nil {
		return err
	}
	if _, err := cfg.NewDeliveryChannel(ctx, "delivery-channel", &cfg.DeliveryChannelArgs{S3BucketName: bucket.ID()}); err != nil {
		return err
	}
	ctx.Export("config_bucket_name", bucket.ID())
	ctx.Export("config_role_arn", role.Arn)
	return nil
}

func awsConfigHistory(ctx *pulumi.Context) error {
	bucket, err := s3.NewBucket(ctx, "config-bucket", nil)
	if err != nil {
		return err
	}
	if _, err := cfg.NewRecorder(ctx, "config-recorder", &cfg.RecorderArgs{
		RoleArn: pulumi.ToSecret(pulumi.String("<ARN_OF_AWS_CONFIG_SERVICE_ROLE>")).(pulumi.StringOutput),
		RecordingGroup: &cfg.RecorderRecordingGroupArgs{
			AllSupported: pulumi.Bool(true), IncludeGlobalResourceTypes: pulumi.Bool(false),
		},
	}); err != nil {
		return err
	}
	if _, err := cfg.NewDeliveryChannel(ctx, "delivery-channel", &cfg.DeliveryChannelArgs{
		S3BucketName: bucket.ID(),
		SnapshotDeliveryProperties: &cfg.DeliveryChannelSnapshotDeliveryPropertiesArgs{
			DeliveryFrequency: pulumi.String("Six_Hours"),
		},
	}); err != nil {
		return err
	}
	ctx.Export("config_bucket_url", bucket.WebsiteEndpoint)
	return nil
}

func sagemakerSharing(ctx *pulumi.Context) error {
	// The seed creates these inline, most without the arguments they need.
	role, err := iam.NewRole(ctx, "sagemaker_execution_role", &iam.RoleArgs{AssumeRolePolicy: pulumi.String(
		`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"sagemaker.amazonaws.com"},"Action":"sts:AssumeRole"}]}`)})
	if err != nil {
		return err
	}
	sg, err := ec2.NewSecurityGroup(ctx, "sagemaker_sg", nil)
	if err != nil {
		return err
	}
	if _, err := kms.NewKey(ctx, "sagemaker_kms_key", nil); err != nil {
		return err
	}
	vpc, err := ec2.NewVpc(ctx, "sagemaker_vpc", &ec2.VpcArgs{CidrBlock: pulumi.String("10.0.0.0/16")})
	if err != nil {
		return err
	}
	subnet, err := ec2.NewSubnet(ctx, "sagemaker_subnet", &ec2.SubnetArgs{VpcId: vpc.ID(), CidrBlock: pulumi.String("10.0.1.0/24")})
	if err != nil {
		return err
	}
	domain, err := sagemaker.NewDomain(ctx, "sagemakerDomain", &sagemaker.DomainArgs{
		AuthMode: pulumi.String("IAM"),
		DefaultUserSettings: &sagemaker.DomainDefaultUserSettingsArgs{
			ExecutionRole:  role.Arn,
			SecurityGroups: pulumi.StringArray{sg.ID()},
			SharingSettings: &sagemaker.DomainDefaultUserSettingsSharingSettingsArgs{
				NotebookOutputOption: pulumi.String("Allowed"),
				S3OutputPath:         pulumi.String("s3://my-sagemaker-bucket/output"),
			},
		},
		VpcId:      vpc.ID(),
		SubnetIds:  pulumi.StringArray{subnet.ID()},
		DomainName: pulumi.String("my-sagemaker-domain"),
	})
	if err != nil {
		return err
	}
	ctx.Export("sagemaker_domain_url", domain.Url)
	return nil
}

func codeArtifact(ctx *pulumi.Context) error {
	domain, err := codeartifact.NewDomain(ctx, "my_codeartifact_domain", &codeartifact.DomainArgs{Domain: pulumi.String("my-codeartifact-domain")})
	if err != nil {
		return err
	}
	repo, err := codeartifact.NewRepository(ctx, "my_ml_model_repository", &codeartifact.RepositoryArgs{
		Domain:      domain.Domain,
		Repository:  pulumi.String("my-ml-model-repository"),
		Description: pulumi.String("Repository for ML Model Dependencies"),
	})
	if err != nil {
		return err
	}
	if _, err := codeartifact.NewRepository(ctx, "undocumented_repository", &codeartifact.RepositoryArgs{
		Domain:     domain.Domain,
		Repository: pulumi.String("undocumented"),
		Tags: pulumi.StringMap{
			"owner": pulumi.String("ml-team"), "project": pulumi.String("ml"), "cost-center": pulumi.String("cc-1"),
			"data-classification": pulumi.String("internal"),
		},
	}); err != nil {
		return err
	}
	ctx.Export("domain_arn", domain.Arn)
	ctx.Export("repository_arn", repo.Arn)
	return nil
}

// Unknowns is a compliant program whose KMS key and buckets are created in
// the same update: at preview every id, ARN and bucket name is unknown, and
// the pack must still find nothing wrong.
var Unknowns = Example{
	Name:    "unknowns",
	About:   "compliant: a key, a data bucket and its log bucket, every companion joined by outputs unknown at preview",
	Config:  awsConfig,
	Program: unknowns,
}

func unknowns(ctx *pulumi.Context) error {
	tags := pulumi.StringMap{
		"owner": pulumi.String("ml-team"), "project": pulumi.String("unknowns"),
		"cost-center": pulumi.String("cc-1"), "data-classification": pulumi.String("internal"),
	}
	key, err := kms.NewKey(ctx, "key", &kms.KeyArgs{EnableKeyRotation: pulumi.Bool(true), Tags: tags})
	if err != nil {
		return err
	}
	logs, err := s3.NewBucketV2(ctx, "logs", &s3.BucketV2Args{Tags: tags})
	if err != nil {
		return err
	}
	data, err := s3.NewBucketV2(ctx, "data", &s3.BucketV2Args{Tags: tags})
	if err != nil {
		return err
	}
	for name, b := range map[string]*s3.BucketV2{"logs": logs, "data": data} {
		// S3 delivers access logs only to SSE-S3 buckets; the data bucket uses the key.
		sse := &s3.BucketServerSideEncryptionConfigurationV2RuleApplyServerSideEncryptionByDefaultArgs{SseAlgorithm: pulumi.String("AES256")}
		if name == "data" {
			sse = &s3.BucketServerSideEncryptionConfigurationV2RuleApplyServerSideEncryptionByDefaultArgs{SseAlgorithm: pulumi.String("aws:kms"), KmsMasterKeyId: key.Arn}
		}
		if _, err := s3.NewBucketServerSideEncryptionConfigurationV2(ctx, name, &s3.BucketServerSideEncryptionConfigurationV2Args{
			Bucket: b.ID(),
			Rules: s3.BucketServerSideEncryptionConfigurationV2RuleArray{&s3.BucketServerSideEncryptionConfigurationV2RuleArgs{
				ApplyServerSideEncryptionByDefault: sse, BucketKeyEnabled: pulumi.Bool(name == "data"),
			}},
		}); err != nil {
			return err
		}
		if _, err := s3.NewBucketVersioningV2(ctx, name, &s3.BucketVersioningV2Args{
			Bucket:                  b.ID(),
			VersioningConfiguration: &s3.BucketVersioningV2VersioningConfigurationArgs{Status: pulumi.String("Enabled")},
		}); err != nil {
			return err
		}
		if _, err := s3.NewBucketPublicAccessBlock(ctx, name, &s3.BucketPublicAccessBlockArgs{
			Bucket: b.ID(), BlockPublicAcls: pulumi.Bool(true), BlockPublicPolicy: pulumi.Bool(true),
			IgnorePublicAcls: pulumi.Bool(true), RestrictPublicBuckets: pulumi.Bool(true),
		}); err != nil {
			return err
		}
		if _, err := s3.NewBucketOwnershipControls(ctx, name, &s3.BucketOwnershipControlsArgs{
			Bucket: b.ID(), Rule: &s3.BucketOwnershipControlsRuleArgs{ObjectOwnership: pulumi.String("BucketOwnerEnforced")},
		}); err != nil {
			return err
		}
		// The bucket's name is unknown at preview, and so is the policy.
		if _, err := s3.NewBucketPolicy(ctx, name, &s3.BucketPolicyArgs{Bucket: b.ID(), Policy: tlsOnlyPolicy(b.Bucket)}); err != nil {
			return err
		}
	}
	_, err = s3.NewBucketLoggingV2(ctx, "data", &s3.BucketLoggingV2Args{Bucket: data.ID(), TargetBucket: logs.ID(), TargetPrefix: pulumi.String("data/")})
	return err
}
