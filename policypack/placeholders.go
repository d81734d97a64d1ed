package policypack

import (
	"slices"
	"strings"

	"github.com/mlguard/mlguard/policy"
	"github.com/mlguard/mlguard/providers"
)

// placeholderMarks are what generated programs and copied examples leave in
// values nobody edited: "<ARN_OF_...>", "REPLACE_ME", "arn:aws:...",
// AWS's documentation account 123456789012, "ACCOUNT_ID". Upper case: they
// are matched against the value upper-cased.
var placeholderMarks = []string{
	"REPLACE", "PLACEHOLDER", "CHANGEME", "CHANGE_ME", "YOUR_", "YOUR-", "<", "...", "XXXX",
	"123456789012", "ACCOUNT_ID", "ACCOUNT-ID", "ACCOUNTID",
}

// isPlaceholder reports values programs are generated with and never edited
// (a "<...>" template slot holds the "<" mark).
func isPlaceholder(s string) bool {
	upper := strings.ToUpper(s)
	for _, p := range placeholderMarks {
		if strings.Contains(upper, p) {
			return true
		}
	}
	return false
}

// arnInputs are inputs named otherwise that hold an ARN (or a KMS key id,
// which AWS resolves the same way).
var arnInputs = map[string]bool{
	"executionRole": true, "kmsKeyId": true, "s3KmsKeyId": true, "kmsMasterKeyId": true,
	"encryptionKey": true, "kmsKey": true, "customerEncryptionKeyArn": true,
}

// isARNInput reports whether an input's name says it holds ARNs.
func isARNInput(name string) bool {
	return arnInputs[name] || strings.HasSuffix(name, "Arn") || strings.HasSuffix(name, "Arns") || strings.HasSuffix(name, "ARN")
}

func placeholderPolicies() []*policy.Policy { return []*policy.Policy{awsARNPlaceholder} }

var awsARNPlaceholder = &policy.Policy{
	Name:        "aws-arn-placeholder",
	DisplayName: "AWS resources name real ARNs, not placeholders",
	Description: "No ARN-valued input of an AWS resource (an input named *Arn, *Arns, executionRole, kmsKeyId and the like, or any value starting with arn:) holds a placeholder: <...>, REPLACE_ME, ACCOUNT_ID, arn:aws:..., or the documentation account 123456789012. Secret values are judged too and never shown. " +
		"Mandatory: AWS rejects an ARN that names no resource of yours, so the update would fail anyway.",
	Severity:         policy.High,
	EnforcementLevel: policy.Mandatory,
	RemediationSteps: "Pass the ARN of the real resource, computed from it (role.arn, key.arn) or read from stack config; never commit an example value.",
	URL:              docsURL + "aws-arn-placeholder",
	Tags:             []string{"deploy-failure", "identity"},
	Resource: &policy.ResourceRule{
		Validate: func(c *policy.Check) {
			if providers.PackageOf(c.Resource.Type) != "aws" {
				return
			}
			findPlaceholderARNs(c, c.Get(""))
		},
	},
}

// notARNs are inputs of every resource that hold no ARN the resource uses.
var notARNs = map[string]bool{"tags": true, "tagsAll": true}

// findPlaceholderARNs reports each placeholder in an ARN-valued input of the
// resource, in path order.
func findPlaceholderARNs(c *policy.Check, root policy.Value) {
	// Most resources hold nothing to report: find that out on the raw
	// values, and walk them value by value only when there is something.
	if !root.Leaves(func(k string) bool { return notARNs[k] }, reportable) {
		return
	}
	var found []policy.Value
	walkARNs(c, root, false, &found)
	slices.SortFunc(found, func(a, b policy.Value) int { return strings.Compare(a.Path(), b.Path()) })
	for _, v := range found {
		c.Violatef(v, "is %s, a placeholder; AWS rejects it at deploy: pass the real ARN (for example role.arn or key.arn)", v.Display())
	}
}

// reportable is what walkARNs reports, for a leaf held by field: an unknown
// ARN input, or a placeholder where an ARN goes.
func reportable(field, s string, unknown bool) bool {
	arn := isARNInput(field)
	if unknown {
		return arn
	}
	return (arn || strings.HasPrefix(s, "arn:")) && strings.TrimSpace(s) != "" && isPlaceholder(s)
}

// walkARNs collects the placeholders under v; arn says whether v sits under
// an input named for ARNs.
func walkARNs(c *policy.Check, v policy.Value, arn bool, found *[]policy.Value) {
	switch v.Kind() {
	case policy.Object:
		for k, f := range v.Fields() {
			if !notARNs[k] {
				walkARNs(c, f, isARNInput(k), found)
			}
		}
	case policy.List:
		for _, e := range v.Elems() {
			walkARNs(c, e, arn, found)
		}
	case policy.Unknown:
		if arn {
			c.KnownValue(v)
		}
	case policy.String:
		s, _ := v.Str()
		if (arn || strings.HasPrefix(s, "arn:")) && strings.TrimSpace(s) != "" && isPlaceholder(s) {
			*found = append(*found, v)
		}
	}
}
