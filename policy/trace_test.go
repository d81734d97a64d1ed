package policy

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"google.golang.org/protobuf/types/known/structpb"
)

func TestPathTrace(t *testing.T) {
	props, err := structpb.NewStruct(map[string]any{"versioning": map[string]any{"enabled": true}, "rules": []any{map[string]any{"status": "Enabled"}}})
	assert.NoError(t, err)
	r := &Resource{Type: "aws:s3/bucket:Bucket", Props: Props(props)}
	other := &Resource{Type: "aws:s3/bucketV2:BucketV2", Props: Props(props)}
	var got []string
	SetPathTrace(func(res *Resource, path string) { got = append(got, res.Type+" "+path) })
	r.Get("versioning").Get("enabled")
	r.Get("rules").Index(0).Field("status")
	other.Get("versioning.enabled")
	Props(props).Get("versioning") // read from no resource: not traced
	SetPathTrace(nil)
	r.Get("versioning") // no trace set
	assert.Equal(t, []string{
		"aws:s3/bucket:Bucket versioning", "aws:s3/bucket:Bucket versioning.enabled",
		"aws:s3/bucket:Bucket rules", "aws:s3/bucket:Bucket rules.0", "aws:s3/bucket:Bucket rules.0.status",
		"aws:s3/bucketV2:BucketV2 versioning.enabled",
	}, got)
}
