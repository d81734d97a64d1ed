// Command azure-ml deploys the governed Azure ML feature store; the program
// lives in package mlworkspace so that tests can run it under mocks.
package main

import (
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/mlguard/mlguard/stacks/azure-ml/mlworkspace"
)

func main() { pulumi.Run(mlworkspace.Program) }
