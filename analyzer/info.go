package analyzer

import (
	"encoding/json"
	"fmt"

	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/protobuf/types/known/structpb"

	"github.com/mlguard/mlguard/policy"
)

var levelToRPC = map[policy.EnforcementLevel]pulumirpc.EnforcementLevel{
	policy.Advisory:  pulumirpc.EnforcementLevel_ADVISORY,
	policy.Mandatory: pulumirpc.EnforcementLevel_MANDATORY,
	policy.Remediate: pulumirpc.EnforcementLevel_REMEDIATE,
	policy.Disabled:  pulumirpc.EnforcementLevel_DISABLED,
}

var levelFromRPC = map[pulumirpc.EnforcementLevel]policy.EnforcementLevel{
	pulumirpc.EnforcementLevel_ADVISORY:  policy.Advisory,
	pulumirpc.EnforcementLevel_MANDATORY: policy.Mandatory,
	pulumirpc.EnforcementLevel_REMEDIATE: policy.Remediate,
	pulumirpc.EnforcementLevel_DISABLED:  policy.Disabled,
}

var severityToRPC = map[policy.Severity]pulumirpc.PolicySeverity{
	policy.Low:      pulumirpc.PolicySeverity_POLICY_SEVERITY_LOW,
	policy.Medium:   pulumirpc.PolicySeverity_POLICY_SEVERITY_MEDIUM,
	policy.High:     pulumirpc.PolicySeverity_POLICY_SEVERITY_HIGH,
	policy.Critical: pulumirpc.PolicySeverity_POLICY_SEVERITY_CRITICAL,
}

// buildInfo renders the pack's metadata once; GetAnalyzerInfo only returns it.
func buildInfo(pack *policy.Pack) (*pulumirpc.AnalyzerInfo, error) {
	info := &pulumirpc.AnalyzerInfo{
		Name:           pack.Name,
		DisplayName:    pack.DisplayName,
		Version:        pack.Version,
		Description:    pack.Description,
		Readme:         pack.Readme,
		Provider:       pack.Provider,
		Repository:     pack.Repository,
		Tags:           pack.Tags,
		SupportsConfig: true,
		InitialConfig:  map[string]*pulumirpc.PolicyConfig{},
	}
	for _, p := range pack.Policies {
		pi := &pulumirpc.PolicyInfo{
			Name:             p.Name,
			DisplayName:      p.DisplayName,
			Description:      p.Description,
			EnforcementLevel: levelToRPC[pack.Level(p)],
			Severity:         severityToRPC[p.Severity],
			RemediationSteps: p.RemediationSteps,
			Url:              p.URL,
			Tags:             tags(p),
			PolicyType:       pulumirpc.PolicyType_POLICY_TYPE_RESOURCE,
		}
		if p.Stack != nil {
			pi.PolicyType = pulumirpc.PolicyType_POLICY_TYPE_STACK
		}
		if f := p.Framework; f != nil {
			pi.Framework = &pulumirpc.PolicyComplianceFramework{
				Name: f.Name, Version: f.Version, Reference: f.Reference, Specification: f.Specification,
			}
		}
		initial := &pulumirpc.PolicyConfig{EnforcementLevel: pi.EnforcementLevel}
		if c := p.Config; c != nil {
			props, err := toStruct(c.Properties)
			if err != nil {
				return nil, fmt.Errorf("policy %q: config schema: %w", p.Name, err)
			}
			pi.ConfigSchema = &pulumirpc.PolicyConfigSchema{Properties: props, Required: c.Required}
			if initial.Properties, err = toStruct(c.Defaults()); err != nil {
				return nil, fmt.Errorf("policy %q: config defaults: %w", p.Name, err)
			}
		}
		info.Policies = append(info.Policies, pi)
		info.InitialConfig[p.Name] = initial
	}
	return info, nil
}

// tags are a policy's tags and, as "<catalog>:<id>", its controls.
func tags(p *policy.Policy) []string {
	if len(p.Controls) == 0 {
		return p.Tags
	}
	out := append([]string(nil), p.Tags...)
	for _, c := range p.Controls {
		out = append(out, string(c.Catalog)+":"+c.ID)
	}
	return out
}

// toStruct converts JSON-shaped Go data to a protobuf Struct.
func toStruct[T any](m map[string]T) (*structpb.Struct, error) {
	b, err := json.Marshal(m)
	if err != nil {
		return nil, err
	}
	var generic map[string]any
	if err := json.Unmarshal(b, &generic); err != nil {
		return nil, err
	}
	return structpb.NewStruct(generic)
}
