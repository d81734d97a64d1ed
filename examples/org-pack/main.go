// Command org-pack is an organization's own policy pack built on mlguard:
// every mlguard policy, on mlguard's runtime, plus a policy of the
// organization's, published and required as one pack. See README.md.
package main

import (
	"github.com/mlguard/mlguard/analyzer"
	"github.com/mlguard/mlguard/policy"
	"github.com/mlguard/mlguard/policypack"
)

func main() { analyzer.Main(orgPack()) }

// orgPack is mlguard's pack under the organization's name, with the
// organization's policies added to mlguard's.
func orgPack() *policy.Pack {
	pack := policypack.Pack()
	pack.Name = "acme-ml-governance"
	pack.DisplayName = "Acme ML governance (mlguard and Acme's own rules)"
	pack.Description = "mlguard's ML-governance policies plus Acme's naming rules."
	pack.Version = "0.1.0" // PulumiPolicy.yaml carries the same
	pack.Repository = ""
	pack.Policies = append(pack.Policies, s3BucketNamePrefix)
	return pack
}
