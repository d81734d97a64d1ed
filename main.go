// Command mlguard is the mlguard policy pack. The Pulumi CLI runs it, either
// from this directory (runtime: go) or as the built binary given to
// --policy-pack; run it with --policies to list what it enforces.
package main

import (
	"github.com/mlguard/mlguard/analyzer"
	"github.com/mlguard/mlguard/policypack"
)

func main() { analyzer.Main(policypack.Pack()) }
