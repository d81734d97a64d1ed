// Command testpack serves the runtime test pack, for tests that drive a built
// binary over gRPC as the engine does.
package main

import (
	"github.com/mlguard/mlguard/analyzer"
	"github.com/mlguard/mlguard/analyzer/internal/testpack"
)

func main() { analyzer.Main(testpack.Pack()) }
