// Package loopback stands in for a cloud provider in the end-to-end tests:
// a gRPC resource provider on loopback that the Pulumi engine attaches to
// through PULUMI_DEBUG_PROVIDERS. Check echoes the inputs; at preview Create
// and Update return the inputs, leaving computed outputs unknown as a real
// provider does; on update they return the inputs plus the computed outputs
// the stack's own mocks produce (ARNs, names, ids). Invokes answer like the
// mocks. Nothing leaves the machine. Everything else in the chain — CLI,
// engine, language host, policy pack — is the real thing.
package loopback

import (
	"context"
	"fmt"
	"net"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/plugin"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/grpc"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/emptypb"
	"google.golang.org/protobuf/types/known/structpb"

	"github.com/mlguard/mlguard/stacks/aws-governance/awsmock"
	"github.com/mlguard/mlguard/stacks/azure-ml/azuremock"
	"github.com/mlguard/mlguard/stacks/azure-ml/mlworkspace"
)

var marshal = plugin.MarshalOptions{KeepUnknowns: true, KeepSecrets: true, KeepResources: true}

// Provider implements pulumirpc.ResourceProviderServer for one package.
type Provider struct {
	pulumirpc.UnimplementedResourceProviderServer
	version string
	mocks   pulumi.MockResourceMonitor
}

// Serve starts a provider for a package version, computing outputs and
// answering invokes with mocks. It returns the port to put in
// PULUMI_DEBUG_PROVIDERS and a function that stops it.
func Serve(version string, mocks pulumi.MockResourceMonitor) (port int, stop func(), err error) {
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, nil, err
	}
	gs := grpc.NewServer(grpc.MaxRecvMsgSize(1<<30), grpc.MaxSendMsgSize(1<<30))
	pulumirpc.RegisterResourceProviderServer(gs, &Provider{version: version, mocks: mocks})
	go gs.Serve(lis) //nolint:errcheck // ends with Stop
	return lis.Addr().(*net.TCPAddr).Port, gs.Stop, nil
}

func (p *Provider) Handshake(context.Context, *pulumirpc.ProviderHandshakeRequest) (*pulumirpc.ProviderHandshakeResponse, error) {
	return &pulumirpc.ProviderHandshakeResponse{AcceptSecrets: true, AcceptResources: true}, nil
}

func (p *Provider) Attach(context.Context, *pulumirpc.PluginAttach) (*emptypb.Empty, error) {
	return &emptypb.Empty{}, nil
}

func (p *Provider) GetPluginInfo(context.Context, *emptypb.Empty) (*pulumirpc.PluginInfo, error) {
	return &pulumirpc.PluginInfo{Version: p.version}, nil
}

func (p *Provider) GetSchema(context.Context, *pulumirpc.GetSchemaRequest) (*pulumirpc.GetSchemaResponse, error) {
	return &pulumirpc.GetSchemaResponse{Schema: "{}"}, nil
}

func (p *Provider) CheckConfig(_ context.Context, req *pulumirpc.CheckRequest) (*pulumirpc.CheckResponse, error) {
	return &pulumirpc.CheckResponse{Inputs: req.GetNews()}, nil
}

func (p *Provider) DiffConfig(context.Context, *pulumirpc.DiffRequest) (*pulumirpc.DiffResponse, error) {
	return &pulumirpc.DiffResponse{Changes: pulumirpc.DiffResponse_DIFF_NONE}, nil
}

func (p *Provider) Configure(context.Context, *pulumirpc.ConfigureRequest) (*pulumirpc.ConfigureResponse, error) {
	return &pulumirpc.ConfigureResponse{AcceptSecrets: true, SupportsPreview: true, AcceptResources: true}, nil
}

// Check echoes the inputs: no defaults, no validation.
func (p *Provider) Check(_ context.Context, req *pulumirpc.CheckRequest) (*pulumirpc.CheckResponse, error) {
	return &pulumirpc.CheckResponse{Inputs: req.GetNews()}, nil
}

// Diff reports an update when the inputs changed, never a replacement.
func (p *Provider) Diff(_ context.Context, req *pulumirpc.DiffRequest) (*pulumirpc.DiffResponse, error) {
	if proto.Equal(req.GetOldInputs(), req.GetNews()) {
		return &pulumirpc.DiffResponse{Changes: pulumirpc.DiffResponse_DIFF_NONE}, nil
	}
	return &pulumirpc.DiffResponse{Changes: pulumirpc.DiffResponse_DIFF_SOME}, nil
}

func (p *Provider) Create(_ context.Context, req *pulumirpc.CreateRequest) (*pulumirpc.CreateResponse, error) {
	if req.GetPreview() {
		return &pulumirpc.CreateResponse{Properties: req.GetProperties()}, nil
	}
	id, outs, err := p.outputs(req.GetUrn(), req.GetProperties())
	if err != nil {
		return nil, err
	}
	return &pulumirpc.CreateResponse{Id: id, Properties: outs}, nil
}

func (p *Provider) Update(_ context.Context, req *pulumirpc.UpdateRequest) (*pulumirpc.UpdateResponse, error) {
	if req.GetPreview() {
		return &pulumirpc.UpdateResponse{Properties: req.GetNews()}, nil
	}
	_, outs, err := p.outputs(req.GetUrn(), req.GetNews())
	if err != nil {
		return nil, err
	}
	return &pulumirpc.UpdateResponse{Properties: outs}, nil
}

func (p *Provider) Read(_ context.Context, req *pulumirpc.ReadRequest) (*pulumirpc.ReadResponse, error) {
	return &pulumirpc.ReadResponse{Id: req.GetId(), Properties: req.GetProperties(), Inputs: req.GetInputs()}, nil
}

func (p *Provider) Delete(context.Context, *pulumirpc.DeleteRequest) (*emptypb.Empty, error) {
	return &emptypb.Empty{}, nil
}

func (p *Provider) Cancel(context.Context, *emptypb.Empty) (*emptypb.Empty, error) {
	return &emptypb.Empty{}, nil
}

func (p *Provider) Invoke(_ context.Context, req *pulumirpc.InvokeRequest) (*pulumirpc.InvokeResponse, error) {
	args, err := plugin.UnmarshalProperties(req.GetArgs(), marshal)
	if err != nil {
		return nil, err
	}
	ret, err := p.mocks.Call(pulumi.MockCallArgs{Token: req.GetTok(), Args: args})
	if err != nil {
		return nil, err
	}
	out, err := plugin.MarshalProperties(ret, marshal)
	if err != nil {
		return nil, err
	}
	return &pulumirpc.InvokeResponse{Return: out}, nil
}

// outputs asks the mocks for an id and the outputs of a created resource.
func (p *Provider) outputs(urn string, props *structpb.Struct) (string, *structpb.Struct, error) {
	inputs, err := plugin.UnmarshalProperties(props, marshal)
	if err != nil {
		return "", nil, err
	}
	u := resource.URN(urn)
	id, outs, err := p.mocks.NewResource(pulumi.MockResourceArgs{TypeToken: string(u.Type()), Name: u.Name(), Inputs: inputs, Custom: true})
	if err != nil {
		return "", nil, fmt.Errorf("%s: %w", urn, err)
	}
	out, err := plugin.MarshalProperties(outs, marshal)
	return id, out, err
}

// ServeClouds starts loopback providers for both clouds the stacks use —
// aws and azure-native, at the versions the stacks pin, with the stacks'
// own mocks — and returns their ports for clirun.Env.Providers.
func ServeClouds() (providers map[string]int, stop func(), err error) {
	return ServeCloudsAt(awsmock.ProviderVersion, mlworkspace.AzureNativeVersion)
}

// ServeCloudsAt is ServeClouds with the providers answering as other versions.
func ServeCloudsAt(awsVersion, azureNativeVersion string) (providers map[string]int, stop func(), err error) {
	awsPort, stopAWS, err := Serve(awsVersion, &awsmock.Mocks{})
	if err != nil {
		return nil, nil, err
	}
	azurePort, stopAzure, err := Serve(azureNativeVersion, &azuremock.Mocks{})
	if err != nil {
		stopAWS()
		return nil, nil, err
	}
	return map[string]int{"aws": awsPort, "azure-native": azurePort}, func() { stopAWS(); stopAzure() }, nil
}
