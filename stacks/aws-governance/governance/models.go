package governance

import (
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ecr"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/iam"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/sagemaker"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// modelImageTag is the image of the model version the endpoint serves: tags
// are immutable, so it names exactly one image.
const modelImageTag = "1.0.0"

// serving is the model hosting path: the ECR repository of model images, a
// network-isolated model in the VPC, and an endpoint that captures its
// traffic, encrypted, for monitoring.
type serving struct {
	Images         *ecr.Repository
	Model          *sagemaker.Model
	EndpointConfig *sagemaker.EndpointConfiguration
	Endpoint       *sagemaker.Endpoint
}

func newServing(ctx *pulumi.Context, acct *account, k *keys, b *buckets, n *network, sm *sageMaker, opts []pulumi.ResourceOption) (*serving, error) {
	s := &serving{}
	var err error
	s.Images, err = ecr.NewRepository(ctx, "model-images", &ecr.RepositoryArgs{
		ImageTagMutability:         pulumi.String("IMMUTABLE"),
		ImageScanningConfiguration: &ecr.RepositoryImageScanningConfigurationArgs{ScanOnPush: pulumi.Bool(true)},
		EncryptionConfigurations: ecr.RepositoryEncryptionConfigurationArray{&ecr.RepositoryEncryptionConfigurationArgs{
			EncryptionType: pulumi.String("KMS"), KmsKey: k.SageMaker.Arn,
		}},
	}, opts...)
	if err != nil {
		return nil, err
	}
	imageOpts := append([]pulumi.ResourceOption{pulumi.Parent(s.Images)}, opts...)
	// Untagged images (superseded pushes) expire; tagged model versions stay.
	if _, err := ecr.NewLifecyclePolicy(ctx, "model-images", &ecr.LifecyclePolicyArgs{
		Repository: s.Images.Name,
		Policy: pulumi.JSONMarshal(pulumi.Map{"rules": pulumi.Array{pulumi.Map{
			"rulePriority": pulumi.Int(1),
			"description":  pulumi.String("expire untagged images after 14 days"),
			"selection": pulumi.Map{
				"tagStatus": pulumi.String("untagged"), "countType": pulumi.String("sinceImagePushed"),
				"countUnit": pulumi.String("days"), "countNumber": pulumi.Int(14),
			},
			"action": pulumi.Map{"type": pulumi.String("expire")},
		}}}),
	}, imageOpts...); err != nil {
		return nil, err
	}
	// The execution role pulls the model's image and nothing else from ECR.
	pull, err := iam.NewRolePolicy(ctx, "model-images", &iam.RolePolicyArgs{
		Role: sm.ExecutionRole.ID(),
		Policy: policyDocument(pulumi.Array{pulumi.Map{
			"Effect":   pulumi.String("Allow"),
			"Action":   pulumi.StringArray{pulumi.String("ecr:BatchGetImage"), pulumi.String("ecr:GetDownloadUrlForLayer")},
			"Resource": s.Images.Arn,
		}}),
	}, append([]pulumi.ResourceOption{pulumi.Parent(sm.ExecutionRole)}, opts...)...)
	if err != nil {
		return nil, err
	}
	s.Model, err = sagemaker.NewModel(ctx, "model", &sagemaker.ModelArgs{
		ExecutionRoleArn:       sm.ExecutionRole.Arn,
		EnableNetworkIsolation: pulumi.Bool(true),
		VpcConfig:              &sagemaker.ModelVpcConfigArgs{Subnets: n.SubnetIDs, SecurityGroupIds: n.SecurityGroupIDs},
		PrimaryContainer: &sagemaker.ModelPrimaryContainerArgs{
			Image:        pulumi.Sprintf("%s:%s", s.Images.RepositoryUrl, modelImageTag),
			ModelDataUrl: pulumi.Sprintf("s3://%s/models/%s/model.tar.gz", b.Output.Bucket, modelImageTag),
		},
	}, append([]pulumi.ResourceOption{pulumi.DependsOn([]pulumi.Resource{pull})}, opts...)...)
	if err != nil {
		return nil, err
	}
	s.EndpointConfig, err = sagemaker.NewEndpointConfiguration(ctx, "model", &sagemaker.EndpointConfigurationArgs{
		KmsKeyArn: k.SageMaker.Arn,
		ProductionVariants: sagemaker.EndpointConfigurationProductionVariantArray{&sagemaker.EndpointConfigurationProductionVariantArgs{
			VariantName:          pulumi.String("primary"),
			ModelName:            s.Model.Name,
			InstanceType:         pulumi.String("ml.m5.large"),
			InitialInstanceCount: pulumi.Int(2), // one per Availability Zone
		}},
		DataCaptureConfig: &sagemaker.EndpointConfigurationDataCaptureConfigArgs{
			EnableCapture:             pulumi.Bool(true),
			InitialSamplingPercentage: pulumi.Int(100),
			DestinationS3Uri:          pulumi.Sprintf("s3://%s/capture", b.Output.Bucket),
			KmsKeyId:                  k.SageMaker.Arn,
			CaptureOptions: sagemaker.EndpointConfigurationDataCaptureConfigCaptureOptionArray{
				&sagemaker.EndpointConfigurationDataCaptureConfigCaptureOptionArgs{CaptureMode: pulumi.String("Input")},
				&sagemaker.EndpointConfigurationDataCaptureConfigCaptureOptionArgs{CaptureMode: pulumi.String("Output")},
			},
		},
	}, opts...)
	if err != nil {
		return nil, err
	}
	s.Endpoint, err = sagemaker.NewEndpoint(ctx, "model", &sagemaker.EndpointArgs{EndpointConfigName: s.EndpointConfig.Name}, opts...)
	if err != nil {
		return nil, err
	}
	return s, nil
}
