package policypack

import (
	"slices"
	"strings"

	"github.com/mlguard/mlguard/policy"
	"github.com/mlguard/mlguard/providers"
)

func residencyPolicies() []*policy.Policy { return []*policy.Policy{awsRegionAllowlist} }

type regionConfig struct {
	Allowed []string `json:"allowedRegions"`
}

var awsRegionAllowlist = &policy.Policy{
	Name:        "aws-region-allowlist",
	DisplayName: "AWS resources stay in the allowed regions",
	Description: "When allowedRegions is configured, every AWS resource is placed in one of them: its own region input (pulumi-aws v7 takes one per resource) or else its provider's region. With no allowlist configured, nothing is checked. " +
		"Mandatory: data residency is a legal duty, and a resource created in the wrong region has already moved the data.",
	Severity:         policy.High,
	EnforcementLevel: policy.Mandatory,
	RemediationSteps: "Set the provider's region (aws:region in stack config, or aws.Provider(region=...)) or the resource's region to an allowed region; ask the platform team to extend allowedRegions otherwise.",
	URL:              docsURL + "aws-region-allowlist",
	Tags:             []string{"data-residency", "region"},
	Config: policy.ConfigFor[regionConfig](map[string]policy.Schema{
		"allowedRegions": {"type": "array", "items": map[string]any{"type": "string", "minLength": 1}, "uniqueItems": true, "default": []string{},
			"description": "The AWS regions resources may be placed in (\"eu-west-1\", ...); empty means no restriction."},
	}),
	Resource: &policy.ResourceRule{
		Validate: func(c *policy.Check) {
			allowed := policy.ConfigOf[regionConfig](c).Allowed
			if len(allowed) == 0 || providers.PackageOf(c.Resource.Type) != "aws" {
				return
			}
			region, where := policy.Value{}, ""
			if slices.Equal(providers.MajorsOf(c.Resource), []providers.Major{providers.AWSv7}) {
				region = c.Get("region")
			}
			if region.IsAbsent() && c.Resource.Provider != nil {
				region, where = c.Resource.Provider.Get("region"), "the provider's region "
			}
			if region.IsAbsent() || !c.KnownValue(region) {
				return // the provider takes the region from the environment: not ours to see
			}
			if !slices.Contains(allowed, strings.TrimSpace(str(region))) {
				c.Violatef(region, "%sis %s, outside the allowed regions (%s); place the resource in one of them", where, region.Display(), strings.Join(allowed, ", "))
			}
		},
	},
}
