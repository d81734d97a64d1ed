package governance

import (
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/iam"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/sagemaker"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// sageMaker is the Studio domain and the role its users work as.
type sageMaker struct {
	ExecutionRole *iam.Role
	Domain        *sagemaker.Domain
}

func newSageMaker(ctx *pulumi.Context, cfg *Config, acct *account, k *keys, b *buckets, n *network, opts []pulumi.ResourceOption) (*sageMaker, error) {
	role, err := iam.NewRole(ctx, "sagemaker-execution", &iam.RoleArgs{
		Description:      pulumi.String("Assumed by SageMaker Studio users and jobs of the domain"),
		AssumeRolePolicy: trustPolicy("sagemaker.amazonaws.com", acct),
	}, opts...)
	if err != nil {
		return nil, err
	}
	roleOpts := append([]pulumi.ResourceOption{pulumi.Parent(role)}, opts...)
	// What Studio users and their jobs call, instead of AmazonSageMakerFullAccess
	// (which reaches every bucket and can change the account's SageMaker set-up).
	if _, err := iam.NewRolePolicy(ctx, "sagemaker-studio", &iam.RolePolicyArgs{
		Role: role.ID(),
		Policy: policyDocument(pulumi.Array{
			pulumi.Map{
				"Effect": pulumi.String("Allow"),
				"Action": pulumi.StringArray{
					pulumi.String("sagemaker:Describe*"), pulumi.String("sagemaker:List*"), pulumi.String("sagemaker:CreatePresignedDomainUrl"),
					pulumi.String("sagemaker:CreateApp"), pulumi.String("sagemaker:DeleteApp"),
					pulumi.String("sagemaker:CreateTrainingJob"), pulumi.String("sagemaker:CreateProcessingJob"), pulumi.String("sagemaker:StopTrainingJob"), pulumi.String("sagemaker:StopProcessingJob"),
				},
				"Resource": pulumi.String(acct.arn("sagemaker", "*")),
			},
			pulumi.Map{
				"Effect":   pulumi.String("Allow"),
				"Action":   pulumi.StringArray{pulumi.String("ecr:GetAuthorizationToken")},
				"Resource": pulumi.String("*"),
			},
			pulumi.Map{
				"Effect":   pulumi.String("Allow"),
				"Action":   pulumi.StringArray{pulumi.String("logs:CreateLogGroup"), pulumi.String("logs:CreateLogStream"), pulumi.String("logs:PutLogEvents")},
				"Resource": pulumi.String(acct.arn("logs", "log-group:/aws/sagemaker/*")),
			},
		}),
	}, roleOpts...); err != nil {
		return nil, err
	}
	// The output bucket and its key.
	access, err := iam.NewRolePolicy(ctx, "sagemaker-output", &iam.RolePolicyArgs{
		Role: role.ID(),
		Policy: policyDocument(pulumi.Array{
			pulumi.Map{
				"Effect":   pulumi.String("Allow"),
				"Action":   pulumi.StringArray{pulumi.String("s3:GetObject"), pulumi.String("s3:PutObject"), pulumi.String("s3:DeleteObject"), pulumi.String("s3:ListBucket")},
				"Resource": pulumi.StringArray{b.Output.Arn, pulumi.Sprintf("%s/*", b.Output.Arn)},
			},
			pulumi.Map{
				"Effect":   pulumi.String("Allow"),
				"Action":   pulumi.StringArray{pulumi.String("kms:Encrypt"), pulumi.String("kms:Decrypt"), pulumi.String("kms:GenerateDataKey"), pulumi.String("kms:DescribeKey")},
				"Resource": k.SageMaker.Arn,
			},
		}),
	}, roleOpts...)
	if err != nil {
		return nil, err
	}
	domain, err := sagemaker.NewDomain(ctx, "studio", &sagemaker.DomainArgs{
		DomainName:           pulumi.String(cfg.SageMakerDomainName),
		AuthMode:             pulumi.String("IAM"),
		AppNetworkAccessType: pulumi.String("VpcOnly"),
		VpcId:                n.VpcID,
		SubnetIds:            n.SubnetIDs,
		KmsKeyId:             k.SageMaker.Arn,
		TagPropagation:       pulumi.String("ENABLED"), // the stack's tags reach Studio's own resources
		RetentionPolicy:      &sagemaker.DomainRetentionPolicyArgs{HomeEfsFileSystem: pulumi.String("Retain")},
		DefaultUserSettings: &sagemaker.DomainDefaultUserSettingsArgs{
			ExecutionRole:  role.Arn,
			SecurityGroups: n.SecurityGroupIDs,
			SharingSettings: &sagemaker.DomainDefaultUserSettingsSharingSettingsArgs{
				NotebookOutputOption: pulumi.String("Allowed"),
				S3KmsKeyId:           k.SageMaker.Arn,
				S3OutputPath:         pulumi.Sprintf("s3://%s/sharing", b.Output.Bucket),
			},
		},
	}, append([]pulumi.ResourceOption{pulumi.DependsOn([]pulumi.Resource{access})}, opts...)...)
	if err != nil {
		return nil, err
	}
	return &sageMaker{ExecutionRole: role, Domain: domain}, nil
}
