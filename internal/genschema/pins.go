// Package genschema generates, from the published npm packages of the
// providers the pack supports, the provider schema index that
// providers/schema loads in tests (type token -> input property paths) and
// providers/taggable_gen.go (the resource types whose arguments take tags).
// `make schema` runs it through cmd/genschema; it needs npm to fetch the
// pinned packages once, into a cache directory.
package genschema

// Package is one provider major the pack supports, pinned to one npm release.
type Package struct {
	Major   string // "aws/v7": how the pack and the index name the major
	Name    string // the npm package, "@pulumi/aws"
	Version string // "7.48.0"
}

// Pins are the npm releases the checked-in index and taggable list are
// generated from: the one place to move a major to a newer release.
// aws/v6 follows the Go SDK the reference stacks use (v6.83.4).
var Pins = []Package{
	{Major: "aws/v6", Name: "@pulumi/aws", Version: "6.83.4"},
	{Major: "aws/v7", Name: "@pulumi/aws", Version: "7.48.0"},
	{Major: "azure-native/v2", Name: "@pulumi/azure-native", Version: "2.90.0"},
	{Major: "azure-native/v3", Name: "@pulumi/azure-native", Version: "3.28.0"},
}

// Governed are, per provider, the modules whose resources the index covers:
// the modules the pack's rules read now or will soon. Every resource of
// these modules is indexed (for azure-native with each explicit API-version
// module the package ships), plus the provider's own inputs; "module:Type"
// covers one type of a module (azure-native network is 70% of the index
// otherwise, and the pack reads only its private endpoints).
var Governed = map[string][]string{
	"aws": {
		"bedrock", "bedrockmodel", "cfg", "cloudtrail", "cloudwatch", "codeartifact", "ec2",
		"ecr", "glue", "iam", "kms", "s3", "sagemaker",
	},
	"azure-native": {
		"applicationinsights", "authorization", "cognitiveservices", "containerregistry",
		"insights", "keyvault", "machinelearningservices", "monitor", "network:PrivateEndpoint", "operationalinsights",
		"resources", "storage",
	},
}
