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

func TestLeaves(t *testing.T) {
	props, err := structpb.NewStruct(map[string]any{
		"roleArn": "arn:aws:iam::1:role/r", "tags": map[string]any{"owner": "x"},
		"rules": []any{map[string]any{"kmsKeyId": "k"}}, "n": 3.0,
	})
	assert.NoError(t, err)
	props.Fields["secretArn"] = structpb.NewStructValue(&structpb.Struct{Fields: map[string]*structpb.Value{
		sigKey: structpb.NewStringValue(secretSig), "value": structpb.NewStringValue("hidden")}})
	props.Fields["later"] = structpb.NewStringValue(unknownSentinel)
	got := map[string]string{}
	skipTags := func(f string) bool { return f == "tags" }
	found := Props(props).Leaves(skipTags, func(field, s string, unknown bool) bool {
		if unknown {
			s = "(unknown)"
		}
		got[field] = s
		return false
	})
	assert.False(t, found)
	assert.Equal(t, map[string]string{"roleArn": "arn:aws:iam::1:role/r", "kmsKeyId": "k", "secretArn": "hidden", "later": "(unknown)"}, got,
		"strings by their nearest field, inside lists and secrets; skipped fields not entered; numbers are no leaves")
	assert.True(t, Props(props).Leaves(skipTags, func(field, _ string, _ bool) bool { return field == "kmsKeyId" }))
}
