package governance

import (
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/kms"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/s3"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// keys are the customer-managed KMS keys, one per kind of data, so that
// access to each can be granted and revoked on its own.
type keys struct {
	Data      *kms.Key // AWS Config history
	SageMaker *kms.Key // domain storage, shared notebooks, outputs
	Artifacts *kms.Key // CodeArtifact packages
}

func newKeys(ctx *pulumi.Context, acct *account, opts []pulumi.ResourceOption) (*keys, error) {
	k := &keys{}
	for _, spec := range []struct {
		name, description string
		dst               **kms.Key
	}{
		{"data", "AWS Config history and governance data", &k.Data},
		{"sagemaker", "SageMaker domain storage, shared notebooks and outputs", &k.SageMaker},
		{"artifacts", "CodeArtifact packages for ML model dependencies", &k.Artifacts},
	} {
		key, err := kms.NewKey(ctx, spec.name, &kms.KeyArgs{
			Description:          pulumi.String(spec.description),
			EnableKeyRotation:    pulumi.Bool(true),
			DeletionWindowInDays: pulumi.Int(30),
		}, opts...)
		if err != nil {
			return nil, err
		}
		if _, err := kms.NewAlias(ctx, spec.name, &kms.AliasArgs{
			Name:        pulumi.String("alias/" + ctx.Project() + "-" + ctx.Stack() + "-" + spec.name),
			TargetKeyId: key.KeyId,
		}, opts...); err != nil {
			return nil, err
		}
		*spec.dst = key
	}
	return k, nil
}

// buckets are the stack's S3 buckets; every one is versioned, encrypted,
// closed to the public and, but for the log bucket itself, access-logged.
type buckets struct {
	History    *s3.BucketV2 // AWS Config history and snapshots
	Output     *s3.BucketV2 // SageMaker shared notebooks and outputs
	AccessLogs *s3.BucketV2 // server access logs of the two above
}

// bucketSpec is what differs between the stack's buckets.
type bucketSpec struct {
	name string
	// key encrypts the bucket; nil means SSE-S3, which S3 server access
	// logging requires of its target bucket.
	key *kms.Key
	// logs receives the bucket's access logs; nil for the log bucket.
	logs *s3.BucketV2
	// expireDays deletes current objects after this many days (0: never).
	expireDays int
	// statements are the bucket policy's grants beside the TLS-only deny.
	statements func(bucketArn pulumi.StringOutput) pulumi.Array
	// objectLock makes the bucket's objects WORM-protectable (audit records);
	// it can only be chosen when the bucket is created.
	objectLock bool
}

func newBuckets(ctx *pulumi.Context, cfg *Config, acct *account, k *keys, opts []pulumi.ResourceOption) (*buckets, error) {
	b := &buckets{}
	var err error
	if b.AccessLogs, err = newBucket(ctx, cfg, bucketSpec{
		name:       "access-logs",
		expireDays: cfg.HistoryRetentionDays,
		statements: func(arn pulumi.StringOutput) pulumi.Array {
			return pulumi.Array{
				statement("S3ServerAccessLogs", "logging.s3.amazonaws.com", acct,
					pulumi.StringArray{pulumi.String("s3:PutObject")}, pulumi.Sprintf("%s/*", arn)),
				statement("AWSLogDeliveryWrite", "delivery.logs.amazonaws.com", acct,
					pulumi.StringArray{pulumi.String("s3:PutObject")}, pulumi.Sprintf("%s/%s/AWSLogs/%s/*", arn, flowLogPrefix, acct.ID)),
				statement("AWSLogDeliveryAclCheck", "delivery.logs.amazonaws.com", acct,
					pulumi.StringArray{pulumi.String("s3:GetBucketAcl")}, arn),
			}
		},
	}, opts); err != nil {
		return nil, err
	}
	if b.History, err = newBucket(ctx, cfg, bucketSpec{
		name: "config-history", key: k.Data, logs: b.AccessLogs, expireDays: cfg.HistoryRetentionDays, objectLock: true,
		statements: func(arn pulumi.StringOutput) pulumi.Array {
			return pulumi.Array{
				statement("AWSConfigBucketPermissionsCheck", "config.amazonaws.com", acct,
					pulumi.StringArray{pulumi.String("s3:GetBucketAcl"), pulumi.String("s3:ListBucket")}, arn),
				statement("AWSConfigBucketDelivery", "config.amazonaws.com", acct,
					pulumi.StringArray{pulumi.String("s3:PutObject")}, pulumi.Sprintf("%s/%s/AWSLogs/%s/Config/*", arn, configPrefix, acct.ID)),
			}
		},
	}, opts); err != nil {
		return nil, err
	}
	if b.Output, err = newBucket(ctx, cfg, bucketSpec{name: "sagemaker-output", key: k.SageMaker, logs: b.AccessLogs}, opts); err != nil {
		return nil, err
	}
	return b, nil
}

func newBucket(ctx *pulumi.Context, cfg *Config, spec bucketSpec, opts []pulumi.ResourceOption) (*s3.BucketV2, error) {
	bucket, err := s3.NewBucketV2(ctx, spec.name, &s3.BucketV2Args{ObjectLockEnabled: pulumi.Bool(spec.objectLock)}, opts...)
	if err != nil {
		return nil, err
	}
	child := append([]pulumi.ResourceOption{pulumi.Parent(bucket)}, opts...)
	// ACLs off: the bucket policy alone decides access.
	if _, err := s3.NewBucketOwnershipControls(ctx, spec.name, &s3.BucketOwnershipControlsArgs{
		Bucket: bucket.ID(),
		Rule:   &s3.BucketOwnershipControlsRuleArgs{ObjectOwnership: pulumi.String("BucketOwnerEnforced")},
	}, child...); err != nil {
		return nil, err
	}
	block, err := s3.NewBucketPublicAccessBlock(ctx, spec.name, &s3.BucketPublicAccessBlockArgs{
		Bucket:                bucket.ID(),
		BlockPublicAcls:       pulumi.Bool(true),
		BlockPublicPolicy:     pulumi.Bool(true),
		IgnorePublicAcls:      pulumi.Bool(true),
		RestrictPublicBuckets: pulumi.Bool(true),
	}, child...)
	if err != nil {
		return nil, err
	}
	if _, err := s3.NewBucketVersioningV2(ctx, spec.name, &s3.BucketVersioningV2Args{
		Bucket:                  bucket.ID(),
		VersioningConfiguration: &s3.BucketVersioningV2VersioningConfigurationArgs{Status: pulumi.String("Enabled")},
	}, child...); err != nil {
		return nil, err
	}
	byDefault := &s3.BucketServerSideEncryptionConfigurationV2RuleApplyServerSideEncryptionByDefaultArgs{SseAlgorithm: pulumi.String("AES256")}
	if spec.key != nil {
		byDefault = &s3.BucketServerSideEncryptionConfigurationV2RuleApplyServerSideEncryptionByDefaultArgs{
			SseAlgorithm: pulumi.String("aws:kms"), KmsMasterKeyId: spec.key.Arn,
		}
	}
	if _, err := s3.NewBucketServerSideEncryptionConfigurationV2(ctx, spec.name, &s3.BucketServerSideEncryptionConfigurationV2Args{
		Bucket: bucket.ID(),
		Rules: s3.BucketServerSideEncryptionConfigurationV2RuleArray{&s3.BucketServerSideEncryptionConfigurationV2RuleArgs{
			ApplyServerSideEncryptionByDefault: byDefault,
			BucketKeyEnabled:                   pulumi.Bool(spec.key != nil),
		}},
	}, child...); err != nil {
		return nil, err
	}
	if spec.logs != nil {
		if _, err := s3.NewBucketLoggingV2(ctx, spec.name, &s3.BucketLoggingV2Args{
			Bucket:       bucket.ID(),
			TargetBucket: spec.logs.ID(),
			TargetPrefix: pulumi.String(spec.name + "/"),
		}, child...); err != nil {
			return nil, err
		}
	}
	rule := &s3.BucketLifecycleConfigurationV2RuleArgs{
		Id:     pulumi.String("retention"),
		Status: pulumi.String("Enabled"),
		Filter: &s3.BucketLifecycleConfigurationV2RuleFilterArgs{Prefix: pulumi.String("")},
		NoncurrentVersionExpiration: &s3.BucketLifecycleConfigurationV2RuleNoncurrentVersionExpirationArgs{
			NoncurrentDays: pulumi.Int(cfg.NoncurrentVersionDays),
		},
		AbortIncompleteMultipartUpload: &s3.BucketLifecycleConfigurationV2RuleAbortIncompleteMultipartUploadArgs{
			DaysAfterInitiation: pulumi.Int(7),
		},
	}
	if spec.expireDays > 0 {
		rule.Expiration = &s3.BucketLifecycleConfigurationV2RuleExpirationArgs{Days: pulumi.Int(spec.expireDays)}
	}
	if _, err := s3.NewBucketLifecycleConfigurationV2(ctx, spec.name, &s3.BucketLifecycleConfigurationV2Args{
		Bucket: bucket.ID(),
		Rules:  s3.BucketLifecycleConfigurationV2RuleArray{rule},
	}, child...); err != nil {
		return nil, err
	}
	statements := pulumi.Array{pulumi.Map{
		"Sid":       pulumi.String("DenyInsecureTransport"),
		"Effect":    pulumi.String("Deny"),
		"Principal": pulumi.String("*"),
		"Action":    pulumi.String("s3:*"),
		"Resource":  pulumi.StringArray{bucket.Arn, pulumi.Sprintf("%s/*", bucket.Arn)},
		"Condition": pulumi.Map{"Bool": pulumi.Map{"aws:SecureTransport": pulumi.String("false")}},
	}}
	if spec.statements != nil {
		statements = append(statements, spec.statements(bucket.Arn)...)
	}
	// After the public access block, which would otherwise race the policy.
	if _, err := s3.NewBucketPolicy(ctx, spec.name, &s3.BucketPolicyArgs{
		Bucket: bucket.ID(),
		Policy: policyDocument(statements),
	}, append(child, pulumi.DependsOn([]pulumi.Resource{block}))...); err != nil {
		return nil, err
	}
	return bucket, nil
}

// statement grants an AWS service actions on resources, for this account only.
func statement(sid, service string, acct *account, actions pulumi.StringArray, resources ...pulumi.StringInput) pulumi.Map {
	res := pulumi.StringArray{}
	for _, r := range resources {
		res = append(res, r)
	}
	return pulumi.Map{
		"Sid":       pulumi.String(sid),
		"Effect":    pulumi.String("Allow"),
		"Principal": pulumi.Map{"Service": pulumi.String(service)},
		"Action":    actions,
		"Resource":  res,
		"Condition": pulumi.Map{"StringEquals": pulumi.Map{"aws:SourceAccount": pulumi.String(acct.ID)}},
	}
}

// policyDocument renders an IAM policy document as JSON.
func policyDocument(statements pulumi.Array) pulumi.StringOutput {
	return pulumi.JSONMarshal(pulumi.Map{"Version": pulumi.String("2012-10-17"), "Statement": statements})
}
