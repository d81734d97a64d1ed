package policypack

import (
	"testing"

	pt "github.com/mlguard/mlguard/policy/policytest"
)

func TestKMSKeyRotation(t *testing.T) {
	runSpecs(t, kmsKeyRotation, kmsKey, []spec{
		{name: "compliant", props: map[string]any{"enableKeyRotation": true}},
		{name: "seed 002: default key", props: map[string]any{}, violation: `aws:kms/key:Key "r": enableKeyRotation: is not set; set enableKeyRotation = true`},
		{name: "off", props: map[string]any{"enableKeyRotation": false}, violation: `is false`},
		{name: "asymmetric keys cannot rotate", props: map[string]any{"customerMasterKeySpec": "RSA_2048"}},
		{name: "unknown", props: map[string]any{"enableKeyRotation": pt.Unknown}, unknown: "enableKeyRotation is unknown"},
		{name: "secret", props: map[string]any{"enableKeyRotation": pt.Secret(false)}, violation: `is [secret]`},
	})
}
