package policypack

import "github.com/mlguard/mlguard/policy"

// The catalogs whose checks mlguard's policies correspond to, and the
// shorthands policies list their controls with.
const (
	catalogSecurityHub policy.Catalog = "securityhub"
	catalogAWSConfig   policy.Catalog = "awsconfig"
	catalogCheckov     policy.Catalog = "checkov"
	catalogProwler     policy.Catalog = "prowler"
	catalogAzurePolicy policy.Catalog = "azurepolicy"
	catalogPSRule      policy.Catalog = "psrule"
)

// Catalogs are the catalogs in the order docs/policies.md lists them, with
// their display names.
var Catalogs = []struct {
	Catalog policy.Catalog
	Name    string
}{
	{catalogSecurityHub, "Security Hub"},
	{catalogAWSConfig, "AWS Config"},
	{catalogCheckov, "Checkov"},
	{catalogProwler, "Prowler"},
	{catalogAzurePolicy, "Azure Policy"},
	{catalogPSRule, "PSRule"},
}

func securityHub(id string) policy.Control {
	return policy.Control{Catalog: catalogSecurityHub, ID: id}
}
func awsConfig(id string) policy.Control { return policy.Control{Catalog: catalogAWSConfig, ID: id} }
func checkov(id string) policy.Control   { return policy.Control{Catalog: catalogCheckov, ID: id} }
func prowler(id string) policy.Control   { return policy.Control{Catalog: catalogProwler, ID: id} }
func azurePolicy(id string) policy.Control {
	return policy.Control{Catalog: catalogAzurePolicy, ID: id}
}
func psrule(id string) policy.Control { return policy.Control{Catalog: catalogPSRule, ID: id} }
