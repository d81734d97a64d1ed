// Package packcheck feeds what a Pulumi program registers under mocks
// through a policy pack the way the engine does at preview: Analyze for each
// resource (with its provider), then AnalyzeStack over all of them.
package packcheck

import (
	"context"
	"fmt"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/plugin"
	"github.com/pulumi/pulumi/sdk/v3/go/common/tokens"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
)

// marshal is how the engine marshals properties for analyzers.
var marshal = plugin.MarshalOptions{KeepUnknowns: true, KeepSecrets: true, SkipInternalKeys: true}

// Resources turns mock registrations into the resources the engine sends.
func Resources(project, stack string, regs []pulumi.MockResourceArgs) ([]*pulumirpc.AnalyzerResource, error) {
	out := make([]*pulumirpc.AnalyzerResource, 0, len(regs))
	byURN := map[string]*pulumirpc.AnalyzerResource{}
	for _, r := range regs {
		req := r.RegisterRPC
		if req == nil {
			return nil, fmt.Errorf("%s %s: no registration request recorded", r.TypeToken, r.Name)
		}
		var parentType tokens.Type
		if p := resource.URN(req.GetParent()); p != "" && p.QualifiedType() != resource.RootStackType {
			parentType = p.QualifiedType()
		}
		urn := resource.NewURN(tokens.QName(stack), tokens.PackageName(project), parentType, tokens.Type(r.TypeToken), r.Name)
		props, err := plugin.MarshalProperties(r.Inputs, marshal)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", urn, err)
		}
		deps := map[string]*pulumirpc.AnalyzerPropertyDependencies{}
		for k, d := range req.GetPropertyDependencies() {
			if len(d.GetUrns()) > 0 {
				deps[k] = &pulumirpc.AnalyzerPropertyDependencies{Urns: d.GetUrns()}
			}
		}
		ar := &pulumirpc.AnalyzerResource{
			Type: r.TypeToken, Name: r.Name, Urn: string(urn), Properties: props,
			Parent: req.GetParent(), Dependencies: req.GetDependencies(), PropertyDependencies: deps,
		}
		if ref := req.GetProvider(); ref != "" {
			provURN, _, _ := splitProviderRef(ref)
			if p := byURN[provURN]; p != nil {
				ar.Provider = &pulumirpc.AnalyzerProviderResource{Type: p.Type, Name: p.Name, Urn: p.Urn, Properties: p.Properties}
			}
		}
		byURN[ar.Urn] = ar
		out = append(out, ar)
	}
	return out, nil
}

// splitProviderRef splits "urn::id".
func splitProviderRef(ref string) (urn, id string, ok bool) {
	for i := len(ref) - 2; i >= 0; i-- {
		if ref[i] == ':' && ref[i+1] == ':' {
			return ref[:i], ref[i+2:], true
		}
	}
	return ref, "", false
}

// Result is every diagnostic the pack produced.
type Result struct {
	Diagnostics   []*pulumirpc.AnalyzeDiagnostic
	NotApplicable []*pulumirpc.PolicyNotApplicable
}

// Analyze runs Analyze on each resource and AnalyzeStack on all of them.
func Analyze(ctx context.Context, pack pulumirpc.AnalyzerClient, resources []*pulumirpc.AnalyzerResource) (*Result, error) {
	res := &Result{}
	for _, r := range resources {
		resp, err := pack.Analyze(ctx, &pulumirpc.AnalyzeRequest{
			Type: r.Type, Name: r.Name, Urn: r.Urn, Properties: r.Properties, Provider: r.Provider,
		})
		if err != nil {
			return nil, fmt.Errorf("Analyze %s: %w", r.Urn, err)
		}
		res.Diagnostics = append(res.Diagnostics, resp.Diagnostics...)
		res.NotApplicable = append(res.NotApplicable, resp.NotApplicable...)
	}
	resp, err := pack.AnalyzeStack(ctx, &pulumirpc.AnalyzeStackRequest{Resources: resources})
	if err != nil {
		return nil, fmt.Errorf("AnalyzeStack: %w", err)
	}
	res.Diagnostics = append(res.Diagnostics, resp.Diagnostics...)
	res.NotApplicable = append(res.NotApplicable, resp.NotApplicable...)
	return res, nil
}

// Messages renders diagnostics one per line for test failures.
func (r *Result) Messages() []string {
	out := make([]string, len(r.Diagnostics))
	for i, d := range r.Diagnostics {
		out[i] = fmt.Sprintf("[%s] %s: %s", d.EnforcementLevel, d.PolicyName, d.Message)
	}
	return out
}
