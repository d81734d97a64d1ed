// Command gentaggable writes policypack/taggable_aws_gen.go from the
// pulumi-aws SDK source: `make taggable` runs it.
//
//	gentaggable -sdk DIR -version v6.83.2 -out policypack/taggable_aws_gen.go
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/mlguard/mlguard/internal/taggable"
)

func main() {
	sdk := flag.String("sdk", "", "module directory of github.com/pulumi/pulumi-aws/sdk/v6")
	version := flag.String("version", "", "its version, recorded in the output")
	out := flag.String("out", "", "file to write")
	flag.Parse()
	if *sdk == "" || *version == "" || *out == "" {
		fmt.Fprintln(os.Stderr, "usage: gentaggable -sdk DIR -version VERSION -out FILE")
		os.Exit(2)
	}
	tokens, err := taggable.Scan(*sdk)
	if err == nil {
		var src []byte
		if src, err = taggable.Render(*version, tokens); err == nil {
			err = os.WriteFile(*out, src, 0o644)
		}
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "gentaggable:", err)
		os.Exit(1)
	}
}
