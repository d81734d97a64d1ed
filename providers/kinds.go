package providers

import (
	"regexp"
	"slices"
	"strings"
)

// A kind is one resource however a program names it: every token below
// names the kind it is listed under. Tokens not listed are kinds of their
// own, after an azure-native explicit API version is dropped from them.
var kinds = map[string]map[Major][]string{
	// pulumi-aws v7 gave aws.s3.Bucket the shape of BucketV2's upstream
	// resource; both tokens remain in v7 (BucketV2 deprecated) and both are buckets.
	S3Bucket: {
		AWSv6: {S3Bucket, "aws:s3/bucketV2:BucketV2"},
		AWSv7: {S3Bucket, "aws:s3/bucketV2:BucketV2"},
	},
	// v7 names the companion resources without V2 and keeps the V2 ones,
	// with the same inputs.
	S3BucketVersioning: companion("bucketVersioning", "BucketVersioning"),
	S3BucketSSE:        companion("bucketServerSideEncryptionConfiguration", "BucketServerSideEncryptionConfiguration"),
	S3BucketLogging:    companion("bucketLogging", "BucketLogging"),
	S3BucketACL:        companion("bucketAcl", "BucketAcl"),
	S3BucketObjectLock: companion("bucketObjectLockConfiguration", "BucketObjectLockConfiguration"),
	// azure-native v3 moved Application Insights to its own module; its
	// component lists the v2 token among its aliases.
	AppInsightsComponent: {
		AzureNativeV2: {"azure-native:insights:Component"},
		AzureNativeV3: {AppInsightsComponent},
	},
	// and its monitoring resources to monitor.
	DiagnosticSetting: {
		AzureNativeV2: {"azure-native:insights:DiagnosticSetting"},
		AzureNativeV3: {DiagnosticSetting},
	},
}

func companion(module, name string) map[Major][]string {
	v2 := "aws:s3/" + module + "V2:" + name + "V2"
	return map[Major][]string{AWSv6: {v2}, AWSv7: {"aws:s3/" + module + ":" + name, v2}}
}

// kindOf is the reverse of kinds.
var kindOf = func() map[string]string {
	out := map[string]string{}
	for kind, byMajor := range kinds {
		for _, tokens := range byMajor {
			for _, t := range tokens {
				out[t] = kind
			}
		}
	}
	return out
}()

// apiVersion is the explicit API version of an azure-native module token:
// "azure-native:storage/v20230101:StorageAccount".
var apiVersion = regexp.MustCompile(`^(azure-native:[A-Za-z0-9]+)/v\d{8}(?:preview|privatepreview)?(:.*)$`)

// withoutAPIVersion drops an azure-native explicit API version from a token.
func withoutAPIVersion(token string) string {
	if !strings.HasPrefix(token, "azure-native:") || !strings.Contains(token, "/") {
		return token // no module version: most tokens, and no regexp for them
	}
	if m := apiVersion.FindStringSubmatch(token); m != nil {
		return m[1] + m[2]
	}
	return token
}

// Kind returns the kind a type token names.
func Kind(token string) string {
	if k, ok := kindOf[token]; ok {
		return k
	}
	if t := withoutAPIVersion(token); t != token {
		return Kind(t)
	}
	return token
}

// tokensOf returns every token of a listed kind, sorted.
func tokensOf(kind string) []string {
	var out []string
	for _, tokens := range kinds[kind] {
		out = append(out, tokens...)
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// TokensByMajor returns, per supported major of its package, the tokens
// that name kind (besides, on azure-native, its explicit API versions).
func TokensByMajor(kind string) map[Major][]string {
	if t, ok := kinds[kind]; ok {
		return t
	}
	out := map[Major][]string{}
	for _, m := range MajorsOfPackage(PackageOf(kind)) {
		out[m] = []string{kind}
	}
	return out
}
