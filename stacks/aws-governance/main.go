// Command aws-governance deploys the governed ML account; the program lives
// in package governance so that tests can run it under mocks.
package main

import (
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/mlguard/mlguard/stacks/aws-governance/governance"
)

func main() { pulumi.Run(governance.Program) }
