// Package governance is the aws-governance stack: AWS Config recording every
// change into a versioned, encrypted history bucket; a VPC-only SageMaker
// domain whose shared notebooks are encrypted with KMS; and CodeArtifact for
// model dependencies — all tagged from one place in stack config.
package governance

import (
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// Program is the stack's Pulumi program.
func Program(ctx *pulumi.Context) error {
	cfg, err := LoadConfig(ctx)
	if err != nil {
		return err
	}
	_, err = Deploy(ctx, cfg)
	return err
}

// Stack is what Deploy created, for outputs and tests.
type Stack struct {
	Account   *account
	Keys      *keys
	Buckets   *buckets
	Config    *configService
	Network   *network
	SageMaker *sageMaker
	Artifacts *artifacts
	Serving   *serving
	GenAI     *genAI
}

// account is where the stack runs: ARNs are built from it.
type account struct {
	ID        string
	Partition string
	Region    string
}

func (a *account) arn(service, resource string) string {
	return "arn:" + a.Partition + ":" + service + ":" + a.Region + ":" + a.ID + ":" + resource
}

func (a *account) root() string { return "arn:" + a.Partition + ":iam::" + a.ID + ":root" }

// Deploy creates every resource of the stack.
func Deploy(ctx *pulumi.Context, cfg *Config) (*Stack, error) {
	// Default tags reach every taggable resource through the provider.
	provider, err := aws.NewProvider(ctx, "aws", &aws.ProviderArgs{
		Region:      pulumi.String(cfg.Region),
		DefaultTags: &aws.ProviderDefaultTagsArgs{Tags: pulumi.ToStringMap(cfg.Tags)},
	})
	if err != nil {
		return nil, err
	}
	opts := []pulumi.ResourceOption{pulumi.Provider(provider)}
	identity, err := aws.GetCallerIdentity(ctx, &aws.GetCallerIdentityArgs{}, pulumi.Provider(provider))
	if err != nil {
		return nil, err
	}
	partition, err := aws.GetPartition(ctx, &aws.GetPartitionArgs{}, pulumi.Provider(provider))
	if err != nil {
		return nil, err
	}
	st := &Stack{Account: &account{ID: identity.AccountId, Partition: partition.Partition, Region: cfg.Region}}

	if st.Keys, err = newKeys(ctx, st.Account, opts); err != nil {
		return nil, err
	}
	if st.Buckets, err = newBuckets(ctx, cfg, st.Account, st.Keys, opts); err != nil {
		return nil, err
	}
	if st.Config, err = newConfigService(ctx, cfg, st.Account, st.Keys, st.Buckets, opts); err != nil {
		return nil, err
	}
	if st.Network, err = newNetwork(ctx, cfg, st.Buckets, opts); err != nil {
		return nil, err
	}
	if st.SageMaker, err = newSageMaker(ctx, cfg, st.Account, st.Keys, st.Buckets, st.Network, opts); err != nil {
		return nil, err
	}
	if st.Artifacts, err = newArtifacts(ctx, cfg, st.Account, st.Keys, opts, pulumi.Provider(provider)); err != nil {
		return nil, err
	}
	if st.Serving, err = newServing(ctx, st.Account, st.Keys, st.Buckets, st.Network, st.SageMaker, opts); err != nil {
		return nil, err
	}
	if st.GenAI, err = newGenAI(ctx, cfg, st.Account, st.Keys, opts); err != nil {
		return nil, err
	}
	st.export(ctx)
	return st, nil
}

func (st *Stack) export(ctx *pulumi.Context) {
	ctx.Export("configHistoryBucket", st.Buckets.History.Bucket)
	ctx.Export("sagemakerOutputBucket", st.Buckets.Output.Bucket)
	ctx.Export("accessLogBucket", st.Buckets.AccessLogs.Bucket)
	ctx.Export("configRoleArn", st.Config.Role.Arn)
	ctx.Export("sagemakerExecutionRoleArn", st.SageMaker.ExecutionRole.Arn)
	ctx.Export("sagemakerDomainId", st.SageMaker.Domain.ID())
	ctx.Export("sagemakerDomainUrl", st.SageMaker.Domain.Url)
	ctx.Export("codeartifactDomainArn", st.Artifacts.Domain.Arn)
	ctx.Export("repositoryArn", st.Artifacts.Repository.Arn)
	ctx.Export("upstreamRepositoryArn", st.Artifacts.Upstream.Arn)
	ctx.Export("repositoryEndpoint", st.Artifacts.Endpoint)
	ctx.Export("modelImageRepositoryUrl", st.Serving.Images.RepositoryUrl)
	ctx.Export("sagemakerEndpointName", st.Serving.Endpoint.Name)
	ctx.Export("bedrockGuardrailId", st.GenAI.Guardrail.GuardrailId)
	ctx.Export("bedrockInvocationLogGroup", st.GenAI.LogGroup.Name)
}
