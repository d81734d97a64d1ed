package governance

import (
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/codeartifact"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// artifacts is CodeArtifact: a domain, a repository of ML model
// dependencies, and the proxy of the public index it falls back to.
type artifacts struct {
	Domain     *codeartifact.Domain
	Upstream   *codeartifact.Repository
	Repository *codeartifact.Repository
	Endpoint   pulumi.StringOutput
}

// readActions are what the account's principals may do: read and pull.
var readActions = []string{
	"codeartifact:DescribePackageVersion", "codeartifact:DescribeRepository", "codeartifact:GetPackageVersionReadme",
	"codeartifact:GetRepositoryEndpoint", "codeartifact:ListPackages", "codeartifact:ListPackageVersions",
	"codeartifact:ListPackageVersionAssets", "codeartifact:ListPackageVersionDependencies", "codeartifact:ReadFromRepository",
}

func newArtifacts(ctx *pulumi.Context, cfg *Config, acct *account, k *keys, opts []pulumi.ResourceOption, invoke pulumi.InvokeOption) (*artifacts, error) {
	a := &artifacts{}
	var err error
	if a.Domain, err = codeartifact.NewDomain(ctx, "ml", &codeartifact.DomainArgs{
		Domain:        pulumi.String(cfg.ArtifactDomainName),
		EncryptionKey: k.Artifacts.Arn,
	}, opts...); err != nil {
		return nil, err
	}
	child := append([]pulumi.ResourceOption{pulumi.Parent(a.Domain)}, opts...)
	if a.Upstream, err = codeartifact.NewRepository(ctx, "public-proxy", &codeartifact.RepositoryArgs{
		Domain:      a.Domain.Domain,
		DomainOwner: pulumi.String(acct.ID),
		Repository:  pulumi.String("public-proxy"),
		Description: pulumi.String("Proxy of " + cfg.ExternalConnection + ": every public package the ML teams pull is cached and auditable here"),
		ExternalConnections: &codeartifact.RepositoryExternalConnectionsArgs{
			ExternalConnectionName: pulumi.String(cfg.ExternalConnection),
		},
	}, child...); err != nil {
		return nil, err
	}
	if a.Repository, err = codeartifact.NewRepository(ctx, "ml-dependencies", &codeartifact.RepositoryArgs{
		Domain:      a.Domain.Domain,
		DomainOwner: pulumi.String(acct.ID),
		Repository:  pulumi.String("ml-dependencies"),
		Description: pulumi.String("Versioned dependencies of ML models: training and inference packages, pinned and published by CI"),
		Upstreams:   codeartifact.RepositoryUpstreamArray{&codeartifact.RepositoryUpstreamArgs{RepositoryName: a.Upstream.Repository}},
	}, child...); err != nil {
		return nil, err
	}
	// Only this account's principals, and only to read.
	accountOnly := func(resource pulumi.StringInput, actions ...string) pulumi.StringOutput {
		return policyDocument(pulumi.Array{pulumi.Map{
			"Effect":    pulumi.String("Allow"),
			"Principal": pulumi.Map{"AWS": pulumi.String(acct.root())},
			"Action":    pulumi.ToStringArray(actions),
			"Resource":  resource,
		}})
	}
	if _, err := codeartifact.NewDomainPermissions(ctx, "ml", &codeartifact.DomainPermissionsArgs{
		Domain:         a.Domain.Domain,
		DomainOwner:    pulumi.String(acct.ID),
		PolicyDocument: accountOnly(a.Domain.Arn, "codeartifact:GetAuthorizationToken", "codeartifact:GetDomainPermissionsPolicy", "codeartifact:ListRepositoriesInDomain", "sts:GetServiceBearerToken"),
	}, child...); err != nil {
		return nil, err
	}
	for name, repo := range map[string]*codeartifact.Repository{"public-proxy": a.Upstream, "ml-dependencies": a.Repository} {
		if _, err := codeartifact.NewRepositoryPermissionsPolicy(ctx, name, &codeartifact.RepositoryPermissionsPolicyArgs{
			Domain:         a.Domain.Domain,
			DomainOwner:    pulumi.String(acct.ID),
			Repository:     repo.Repository,
			PolicyDocument: accountOnly(repo.Arn, readActions...),
		}, append([]pulumi.ResourceOption{pulumi.Parent(repo)}, opts...)...); err != nil {
			return nil, err
		}
	}
	a.Endpoint = codeartifact.GetRepositoryEndpointOutput(ctx, codeartifact.GetRepositoryEndpointOutputArgs{
		Domain:      a.Domain.Domain,
		DomainOwner: pulumi.String(acct.ID),
		Repository:  a.Repository.Repository,
		Format:      pulumi.String("pypi"),
	}, invoke).RepositoryEndpoint()
	return a, nil
}
