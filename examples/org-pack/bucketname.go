package main

import (
	"strings"

	"github.com/mlguard/mlguard/policy"
)

type bucketNameConfig struct {
	Prefix string `json:"prefix"`
}

// s3BucketNamePrefix is Acme's rule: every S3 bucket's name starts with the
// organization's prefix, so buckets can be told apart in shared accounts.
var s3BucketNamePrefix = &policy.Policy{
	Name:             "s3-bucket-name-prefix",
	DisplayName:      "S3 bucket names carry the organization's prefix",
	Description:      "Every S3 bucket's name (bucket, bucketPrefix, or the logical name Pulumi derives it from) starts with the configured prefix.",
	Severity:         policy.Low,
	EnforcementLevel: policy.Mandatory,
	RemediationSteps: "Name the bucket (bucket or bucketPrefix), or its Pulumi resource, with the prefix, e.g. acme-training-data.",
	URL:              "https://wiki.acme.example/cloud/naming#s3",
	Tags:             []string{"naming", "s3"},
	Config: policy.ConfigFor[bucketNameConfig](map[string]policy.Schema{
		"prefix": {"type": "string", "minLength": 1, "default": "acme-", "description": "The prefix every bucket name starts with."},
	}),
	Resource: &policy.ResourceRule{
		Types: []string{"aws:s3/bucket:Bucket", "aws:s3/bucketV2:BucketV2"},
		Validate: func(c *policy.Check) {
			prefix := policy.ConfigOf[bucketNameConfig](c).Prefix
			for _, field := range []string{"bucket", "bucketPrefix"} {
				v, ok := c.Known(field)
				if !ok {
					return
				}
				if v.IsAbsent() {
					continue
				}
				if s, isStr := v.Str(); !isStr || !strings.HasPrefix(s, prefix) {
					c.Violatef(v, "%s is %s; it must start with %q", field, v.Display(), prefix)
				}
				return
			}
			// Neither set: the provider names the bucket after the resource.
			if !strings.HasPrefix(c.Resource.Name, prefix) {
				c.Violatef(c.Get("bucket"), "the bucket is named after its resource %q, which does not start with %q; set bucket or bucketPrefix", c.Resource.Name, prefix)
			}
		},
	},
}
