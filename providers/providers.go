// Package providers knows the shapes of the provider packages the pack
// judges — pulumi-aws v6 and v7, azure-native v2 and v3 — so that rules say
// what they require, not which tokens and property spellings exist. It maps
// type tokens onto kinds (the same resource under another major, alias or
// explicit API version), tells which major a resource was written against,
// and places each setting whose path differs between shapes.
//
// Adding a major: add it to Majors, give its tokens to the kinds whose
// tokens or shapes changed (kinds.go) and its paths to the properties that
// moved (the per-service files), pin its npm package in the Makefile's
// schema target and run `make schema`; the schema test then checks every
// path the rules read against the new major.
package providers

import (
	"strings"

	"github.com/mlguard/mlguard/policy"
)

// Major is one major version of a provider package: "aws/v7".
type Major string

const (
	AWSv6         Major = "aws/v6"
	AWSv7         Major = "aws/v7"
	AzureNativeV2 Major = "azure-native/v2"
	AzureNativeV3 Major = "azure-native/v3"
)

// Majors are the supported majors, oldest first within each package.
var Majors = []Major{AWSv6, AWSv7, AzureNativeV2, AzureNativeV3}

// Package is the provider package of a major ("aws").
func (m Major) Package() string { p, _, _ := strings.Cut(string(m), "/"); return p }

// PackageOf is the provider package of a type token ("aws" for
// "aws:s3/bucket:Bucket"), "" for the engine's own types.
func PackageOf(token string) string {
	p, _, _ := strings.Cut(token, ":")
	if p == "pulumi" {
		return ""
	}
	return p
}

// MajorsOf returns the majors r may have been written against: the one its
// provider's version names, else every supported major of its package (the
// engine did not say, or the version is unknown or unsupported). The slice
// is shared: callers must not change it.
func MajorsOf(r *policy.Resource) []Major {
	pkg := PackageOf(r.Type)
	if r.Provider != nil {
		if v, ok := r.Provider.Get("version").Str(); ok {
			number, _, _ := strings.Cut(strings.TrimPrefix(strings.TrimSpace(v), "v"), ".")
			for _, m := range majorsOfPackage[pkg] {
				if m.number() == number {
					return single[m]
				}
			}
		}
	}
	return majorsOfPackage[pkg]
}

// number is "7" of "aws/v7".
func (m Major) number() string {
	_, n, _ := strings.Cut(string(m), "/v")
	return n
}

// MajorsOfPackage returns the supported majors of a provider package. The
// slice is shared: callers must not change it.
func MajorsOfPackage(pkg string) []Major { return majorsOfPackage[pkg] }

// Worked out once: MajorsOf runs for every property a rule places.
var majorsOfPackage, single = func() (map[string][]Major, map[Major][]Major) {
	byPackage, one := map[string][]Major{}, map[Major][]Major{}
	for _, m := range Majors {
		byPackage[m.Package()] = append(byPackage[m.Package()], m)
		one[m] = []Major{m}
	}
	return byPackage, one
}()
