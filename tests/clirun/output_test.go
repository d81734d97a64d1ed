package clirun

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestDiagnostics(t *testing.T) {
	out := `Policies:
    ❌ mlguard@v0.1.0 (local: /tmp/x/mlguard)
        - [mandatory] [severity: high]  s3-bucket-versioning-enabled  (aws:s3:Bucket: config-bucket)
          aws:s3/bucket:Bucket "config-bucket": versioning.enabled: versioning is not set
        - [advisory] [severity: low]  s3-bucket-access-logging  (aws:s3:Bucket: config-bucket)
        - [advisory]  old-style  (aws:s3:Bucket: b)
`
	assert.Equal(t, []Diagnostic{
		{"advisory", "", "old-style", "aws:s3:Bucket", "b"},
		{"advisory", "low", "s3-bucket-access-logging", "aws:s3:Bucket", "config-bucket"},
		{"mandatory", "high", "s3-bucket-versioning-enabled", "aws:s3:Bucket", "config-bucket"},
	}, Diagnostics(out))
}
