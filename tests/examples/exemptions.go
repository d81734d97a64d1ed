package examples

import (
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/s3"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// PublicBucketTag is the tag a stack author tried in issue 20, exempting a
// public bucket from a critical policy for 73 years.
const PublicBucketTag = "mlguard-exemption:s3-bucket-no-public-acl"

// PublicBucket is a versioned, tagged, TLS-only S3 bucket with a public-read-write ACL
// (a violation of the critical s3-bucket-no-public-acl), carrying extra tags
// such as {PublicBucketTag: "2099-12-31:needed for the demo"}.
func PublicBucket(extraTags map[string]string) pulumi.RunFunc {
	return func(ctx *pulumi.Context) error {
		tags := pulumi.StringMap{
			"owner": pulumi.String("ml-team"), "project": pulumi.String("public-bucket"),
			"cost-center": pulumi.String("cc-1"), "data-classification": pulumi.String("internal"),
		}
		for k, v := range extraTags {
			tags[k] = pulumi.String(v)
		}
		bucket, err := s3.NewBucket(ctx, "public-bucket", &s3.BucketArgs{
			Acl:        pulumi.String("public-read-write"),
			Versioning: &s3.BucketVersioningArgs{Enabled: pulumi.Bool(true)},
			Tags:       tags,
		})
		if err != nil {
			return err
		}
		// TLS only, so that the ACL is the one mandatory finding.
		_, err = s3.NewBucketPolicy(ctx, "public-bucket", &s3.BucketPolicyArgs{Bucket: bucket.ID(), Policy: tlsOnlyPolicy(bucket.Bucket)})
		return err
	}
}
