package providers

// S3 buckets and the companion resources that configure a bucket they name.
const (
	S3Bucket           = "aws:s3/bucket:Bucket"
	S3BucketVersioning = "aws:s3/bucketVersioning:BucketVersioning"
	S3BucketSSE        = "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration"
	S3BucketLogging    = "aws:s3/bucketLogging:BucketLogging"
	S3BucketACL        = "aws:s3/bucketAcl:BucketAcl"
	S3BucketPAB        = "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock"
	S3AccountPAB       = "aws:s3/accountPublicAccessBlock:AccountPublicAccessBlock"
	S3BucketPolicy     = "aws:s3/bucketPolicy:BucketPolicy"
	S3BucketOwnership  = "aws:s3/bucketOwnershipControls:BucketOwnershipControls"
	S3BucketObjectLock = "aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration"

	// S3BucketRef is the property of every companion resource that names its bucket.
	S3BucketRef = "bucket"

	s3BucketV2 = "aws:s3/bucketV2:BucketV2"
)

// S3 bucket settings. aws.s3.Bucket keeps its settings in objects in v6 and
// v7, except logging (a list in v6, an object in v7); BucketV2 keeps each in a
// list in both majors. The companions have one shape in both majors.
var (
	S3VersioningEnabled = property("versioning enabled",
		Placement{Token: S3Bucket, Path: "versioning.enabled"},
		Placement{Token: s3BucketV2, Path: "versionings[].enabled"})

	S3SSEAlgorithm = property("default encryption algorithm", append([]Placement{
		{Token: S3Bucket, Path: "serverSideEncryptionConfiguration.rule.applyServerSideEncryptionByDefault.sseAlgorithm"},
		{Token: s3BucketV2, Path: "serverSideEncryptionConfigurations[].rules[].applyServerSideEncryptionByDefaults[].sseAlgorithm"},
	}, companionPlacement(S3BucketSSE, "rules[].applyServerSideEncryptionByDefault.sseAlgorithm")...)...)

	S3BucketKeyEnabled = property("bucket key enabled", append([]Placement{
		{Token: S3Bucket, Path: "serverSideEncryptionConfiguration.rule.bucketKeyEnabled"},
		{Token: s3BucketV2, Path: "serverSideEncryptionConfigurations[].rules[].bucketKeyEnabled"},
	}, companionPlacement(S3BucketSSE, "rules[].bucketKeyEnabled")...)...)

	// S3ObjectLockEnabled is set when the bucket is created; v6's Bucket
	// takes it as objectLockConfiguration.objectLockEnabled = "Enabled".
	S3ObjectLockEnabled = property("object lock enabled",
		Placement{Token: S3Bucket, Majors: []Major{AWSv6}, Path: "objectLockConfiguration.objectLockEnabled"},
		Placement{Token: S3Bucket, Majors: []Major{AWSv7}, Path: "objectLockEnabled"},
		Placement{Token: S3Bucket, Majors: []Major{AWSv7}, Path: "objectLockConfiguration.objectLockEnabled"},
		Placement{Token: s3BucketV2, Path: "objectLockEnabled"})

	S3Logging = property("server access logging",
		Placement{Token: S3Bucket, Majors: []Major{AWSv6}, Path: "loggings[]"},
		Placement{Token: S3Bucket, Majors: []Major{AWSv7}, Path: "logging"},
		Placement{Token: s3BucketV2, Path: "loggings[]"})
)

// companionPlacement places a property at the same path on every token of
// a companion kind.
func companionPlacement(kind, path string) []Placement {
	var out []Placement
	for _, t := range tokensOf(kind) {
		out = append(out, Placement{Token: t, Path: path})
	}
	return out
}
