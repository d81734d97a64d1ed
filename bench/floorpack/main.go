// Command floorpack is the floor of the benchmarks: a pack with no rules on
// mlguard's runtime, so that what it costs is the protocol alone.
package main

import (
	"github.com/mlguard/mlguard/analyzer"
	"github.com/mlguard/mlguard/policy"
)

func main() { analyzer.Main(&policy.Pack{Name: "floor", Version: "0.0.0", Description: "no rules"}) }
