// Package awsmock stands in for AWS when the stack runs under
// pulumi.WithMocks: every resource echoes its inputs, the outputs the stack
// reads (ARNs, generated names, ids) get plausible values, and every
// registration is recorded for tests to inspect.
package awsmock

import (
	"fmt"
	"strings"
	"sync"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// Account, Region and Partition are what the mocked caller identity reports.
const (
	Account   = "111122223333"
	Region    = "eu-west-1"
	Partition = "aws"
)

// ProviderVersion is the pulumi-aws provider the stack's resources are
// registered against: the SDK version in go.mod.
const ProviderVersion = "6.83.4"

// Mocks implements pulumi.MockResourceMonitor.
type Mocks struct {
	mu         sync.Mutex
	registered []pulumi.MockResourceArgs
}

// Registered returns every resource registered so far, in order.
func (m *Mocks) Registered() []pulumi.MockResourceArgs {
	m.mu.Lock()
	defer m.mu.Unlock()
	return append([]pulumi.MockResourceArgs(nil), m.registered...)
}

// OfType returns the registered resources with a type token.
func (m *Mocks) OfType(token string) []pulumi.MockResourceArgs {
	var out []pulumi.MockResourceArgs
	for _, r := range m.Registered() {
		if r.TypeToken == token {
			out = append(out, r)
		}
	}
	return out
}

// NewResource echoes the inputs and adds the computed outputs the stack reads.
func (m *Mocks) NewResource(args pulumi.MockResourceArgs) (string, resource.PropertyMap, error) {
	m.mu.Lock()
	m.registered = append(m.registered, args)
	m.mu.Unlock()

	out := args.Inputs.Copy()
	id := args.Name + "-id"
	set := func(k string, v any) {
		if _, ok := out[resource.PropertyKey(k)]; !ok {
			out[resource.PropertyKey(k)] = resource.NewPropertyValue(v)
		}
	}
	service := serviceOf(args.TypeToken)
	set("arn", fmt.Sprintf("arn:%s:%s:%s:%s:%s/%s", Partition, service, Region, Account, strings.ToLower(typeName(args.TypeToken)), args.Name))
	switch args.TypeToken {
	case "aws:s3/bucketV2:BucketV2":
		bucket := args.Name + "-0a1b2c3d"
		set("bucket", bucket)
		out["arn"] = resource.NewPropertyValue("arn:" + Partition + ":s3:::" + bucket)
		id = bucket
	case "aws:kms/key:Key":
		set("keyId", args.Name+"-key-id")
		out["arn"] = resource.NewPropertyValue(fmt.Sprintf("arn:%s:kms:%s:%s:key/%s-key-id", Partition, Region, Account, args.Name))
	case "aws:iam/role:Role":
		set("name", args.Name+"-role")
		out["arn"] = resource.NewPropertyValue(fmt.Sprintf("arn:%s:iam::%s:role/%s-role", Partition, Account, args.Name))
	case "aws:ec2/vpcEndpoint:VpcEndpoint":
		set("prefixListId", "pl-63a5400a")
	case "aws:ecr/repository:Repository":
		set("name", args.Name)
		set("repositoryUrl", fmt.Sprintf("%s.dkr.ecr.%s.amazonaws.com/%s", Account, Region, args.Name))
	case "aws:sagemaker/model:Model", "aws:sagemaker/endpointConfiguration:EndpointConfiguration", "aws:sagemaker/endpoint:Endpoint":
		set("name", args.Name+"-0a1b2c3d")
	case "aws:bedrock/guardrail:Guardrail":
		set("guardrailId", "gr-"+args.Name)
	case "aws:sagemaker/domain:Domain":
		id = "d-abcdef123456"
		set("url", "https://"+id+".studio."+Region+".sagemaker.aws")
	}
	return id, out, nil
}

// Call answers the invokes the stack makes.
func (m *Mocks) Call(args pulumi.MockCallArgs) (resource.PropertyMap, error) {
	switch args.Token {
	case "aws:index/getCallerIdentity:getCallerIdentity":
		return resource.NewPropertyMapFromMap(map[string]any{
			"accountId": Account, "arn": "arn:aws:iam::" + Account + ":user/ci", "userId": "AIDAEXAMPLE", "id": Account,
		}), nil
	case "aws:index/getPartition:getPartition":
		return resource.NewPropertyMapFromMap(map[string]any{"partition": Partition, "dnsSuffix": "amazonaws.com", "id": Partition}), nil
	case "aws:codeartifact/getRepositoryEndpoint:getRepositoryEndpoint":
		return resource.NewPropertyMapFromMap(map[string]any{
			"repositoryEndpoint": fmt.Sprintf("https://%v-%s.d.codeartifact.%s.amazonaws.com/pypi/%v/", args.Args["domain"].V, Account, Region, args.Args["repository"].V),
		}), nil
	}
	return nil, fmt.Errorf("awsmock: no mock for invoke %s", args.Token)
}

// serviceOf turns "aws:s3/bucketV2:BucketV2" into "s3".
func serviceOf(token string) string {
	parts := strings.Split(token, ":")
	if len(parts) < 2 {
		return "aws"
	}
	mod, _, _ := strings.Cut(parts[1], "/")
	return mod
}

// typeName turns "aws:s3/bucketV2:BucketV2" into "BucketV2".
func typeName(token string) string { return token[strings.LastIndex(token, ":")+1:] }
