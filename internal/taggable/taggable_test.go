package taggable

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A miniature SDK: one taggable resource, one without tags, one data source.
var sdk = map[string]string{
	"go/aws/s3/bucket.go": `package s3
type bucketState struct {
	Tags map[string]string ` + "`pulumi:\"tags\"`" + `
}
type BucketArgs struct {
	Acl pulumi.StringPtrInput
	Tags pulumi.StringMapInput
}
func NewBucket(ctx *pulumi.Context) { ctx.RegisterResource("aws:s3/bucket:Bucket", name, args, &resource, opts...) }
`,
	"go/aws/s3/bucketPolicy.go": `package s3
type BucketPolicyArgs struct {
	Bucket pulumi.StringInput
	Policy pulumi.Input
}
func NewBucketPolicy(ctx *pulumi.Context) { ctx.RegisterResource("aws:s3/bucketPolicy:BucketPolicy", name, args, &resource, opts...) }
`,
	"go/aws/s3/getBucket.go": `package s3
type GetBucketArgs struct {
	Tags pulumi.StringMapInput
}
`,
}

func TestScanFindsTaggableResourcesOnly(t *testing.T) {
	dir := t.TempDir()
	for name, src := range sdk {
		path := filepath.Join(dir, name)
		require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755))
		require.NoError(t, os.WriteFile(path, []byte(src), 0o644))
	}
	tokens, err := Scan(dir)
	require.NoError(t, err)
	assert.Equal(t, []string{"aws:s3/bucket:Bucket"}, tokens)

	src, err := Render("v0.0.1", tokens)
	require.NoError(t, err)
	assert.Contains(t, string(src), "DO NOT EDIT")
	assert.Contains(t, string(src), `"aws:s3/bucket:Bucket": true,`)
}

func TestScanRejectsAnotherDirectory(t *testing.T) {
	_, err := Scan(t.TempDir())
	assert.ErrorContains(t, err, "no taggable resources")
}
