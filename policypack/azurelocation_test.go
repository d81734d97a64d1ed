package policypack

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/mlguard/mlguard/policy"
	pt "github.com/mlguard/mlguard/policy/policytest"
)

func TestAzureAllowedLocations(t *testing.T) {
	eu := map[string]any{"locations": []any{"westeurope", "North Europe"}}
	rg := res(azResourceGroup, "ml", map[string]any{"location": "westeurope"}, nil)
	usRG := res(azResourceGroup, "ml", map[string]any{"location": "eastus"}, nil)
	ws := func(location any, deps map[string]*policy.Resource) *policy.Resource {
		return res(amlWorkspace, "ws", pt.With(governedWorkspace, "location", location), deps)
	}
	container := res("azure-native:storage:BlobContainer", "datasets", map[string]any{"accountName": pt.Unknown, "containerName": "datasets"}, nil)
	providerAt := func(location any) *policy.Resource {
		r := res(azResourceGroup, "ml", map[string]any{}, nil)
		r.Provider = pt.Resource("pulumi:providers:azure-native", "default", map[string]any{"location": location})
		return r
	}
	runStackSpecs(t, azureAllowedLocations, []stackSpec{
		{name: "no allowlist", resources: []*policy.Resource{usRG, ws("eastus", nil)}},
		{name: "allowed", resources: []*policy.Resource{rg, ws("northeurope", nil), container}, config: eu},
		{name: "display name", resources: []*policy.Resource{ws("North Europe", nil)}, config: eu},
		{name: "global", resources: []*policy.Resource{ws("global", nil)}, config: eu},
		{name: "outside", resources: []*policy.Resource{rg, ws("eastus", nil)}, config: eu,
			violation: `azure-native:machinelearningservices:Workspace "ws": location: is "eastus"; allowed locations are westeurope, North Europe`},
		{name: "the resource group's, at preview", resources: []*policy.Resource{usRG, ws(pt.Unknown, map[string]*policy.Resource{"location": usRG})}, config: eu,
			violation: `azure-native:resources:ResourceGroup "ml": location: is "eastus"`,
			more:      []string{`azure-native:machinelearningservices:Workspace "ws": location: is "eastus" (the location of resource group "ml")`}},
		{name: "the resource group's, allowed", resources: []*policy.Resource{rg, ws(pt.Unknown, map[string]*policy.Resource{"location": rg})}, config: eu},
		{name: "unknown", resources: []*policy.Resource{ws(pt.Unknown, nil)}, config: eu, unknown: `its location is unknown`},
		{name: "secret", resources: []*policy.Resource{ws(pt.Secret("eastus"), nil)}, config: eu, violation: `location: is [secret]`},
	})
	// The shapes give every resource a provider of their own: the
	// provider's location is checked as the engine sends it.
	got := pt.CheckStack(azureAllowedLocations, []*policy.Resource{providerAt("eastus")}, eu)
	if assert.Len(t, got.Violations, 1) {
		assert.Contains(t, got.Violations[0], `location: is "eastus" (the provider's location, which the resource group takes)`)
	}
	assert.Empty(t, pt.CheckStack(azureAllowedLocations, []*policy.Resource{providerAt("westeurope")}, eu).Violations)
	assert.Contains(t, pt.CheckStack(azureAllowedLocations, []*policy.Resource{providerAt(pt.Unknown)}, eu).NotApplicable, `azure-native:resources:ResourceGroup "ml": its location is unknown`)
}
