package policypack

import "github.com/mlguard/mlguard/policy"

const (
	s3Bucket           = "aws:s3/bucket:Bucket"
	s3BucketV2         = "aws:s3/bucketV2:BucketV2"
	s3BucketVersioning = "aws:s3/bucketVersioningV2:BucketVersioningV2"
)

func s3Policies() []*policy.Policy {
	return []*policy.Policy{s3BucketVersioningEnabled}
}

var s3BucketVersioningEnabled = &policy.Policy{
	Name:             "s3-bucket-versioning-enabled",
	DisplayName:      "S3 buckets are versioned",
	Description:      "S3 buckets keep every version of every object, so training data and model artifacts can be audited and restored.",
	Severity:         policy.High,
	EnforcementLevel: policy.Mandatory,
	RemediationSteps: "Set versioning.enabled = true on aws.s3.Bucket, or give an aws.s3.BucketV2 a BucketVersioningV2 with status Enabled.",
	URL:              docsURL + "s3-bucket-versioning-enabled",
	Tags:             []string{"s3", "versioning", "data-lineage"},
	Resource: &policy.ResourceRule{
		Types: []string{s3Bucket},
		Validate: func(c *policy.Check) {
			enabled, ok := c.Known("versioning.enabled")
			if !ok {
				return
			}
			if on, _ := enabled.Bool(); !on {
				c.Violatef(enabled, "versioning is %s; set versioning.enabled = true", enabled.Display())
			}
		},
	},
}
