package clirun

import (
	"regexp"
	"sort"
	"strings"
)

// Diagnostic is one policy violation as the CLI prints it.
type Diagnostic struct {
	Level    string // mandatory or advisory
	Severity string
	Policy   string
	Type     string // as the CLI shortens it, e.g. aws:s3:Bucket
	Resource string // logical name
}

func (d Diagnostic) String() string {
	return "[" + d.Level + "] " + d.Policy + " (" + d.Type + ": " + d.Resource + ")"
}

// diagnosticLine matches the CLI's
//
//   - [mandatory] [severity: high]  s3-bucket-versioning-enabled  (aws:s3:Bucket: config-bucket)
var diagnosticLine = regexp.MustCompile(`^\s*- \[(\w+)\]\s+(?:\[severity: (\w+)\]\s+)?(\S+)\s+\((\S+): ([^)]+)\)\s*$`)

// Diagnostics reads the policy violations from the CLI's output, sorted.
func Diagnostics(out string) []Diagnostic {
	var ds []Diagnostic
	for _, line := range strings.Split(out, "\n") {
		if m := diagnosticLine.FindStringSubmatch(line); m != nil {
			ds = append(ds, Diagnostic{Level: m[1], Severity: m[2], Policy: m[3], Type: m[4], Resource: m[5]})
		}
	}
	sort.Slice(ds, func(i, j int) bool { return ds[i].String() < ds[j].String() })
	return ds
}
