package governance

import (
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cfg"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/iam"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// configPrefix is where AWS Config writes in the history bucket.
const configPrefix = "config"

// managedRules are the AWS Config managed rules the stack turns on. Rules
// triggered by changes are scoped to the project's tag; periodic rules
// cannot be scoped and run daily.
var managedRules = []struct {
	identifier string
	periodic   bool
}{
	{"S3_BUCKET_VERSIONING_ENABLED", false},
	{"S3_BUCKET_SERVER_SIDE_ENCRYPTION_ENABLED", false},
	{"SAGEMAKER_NOTEBOOK_NO_DIRECT_INTERNET_ACCESS", true},
	{"SAGEMAKER_ENDPOINT_CONFIGURATION_KMS_KEY_CONFIGURED", true},
	{"SAGEMAKER_NOTEBOOK_INSTANCE_KMS_KEY_CONFIGURED", true},
}

// configService is AWS Config: what it records, where it delivers, and the
// rules that evaluate what it records.
type configService struct {
	Role     *iam.Role
	Recorder *cfg.Recorder
	Channel  *cfg.DeliveryChannel
	Status   *cfg.RecorderStatus
	Rules    []*cfg.Rule
}

func newConfigService(ctx *pulumi.Context, conf *Config, acct *account, k *keys, b *buckets, opts []pulumi.ResourceOption) (*configService, error) {
	c := &configService{}
	var err error
	c.Role, err = iam.NewRole(ctx, "config", &iam.RoleArgs{
		Description:      pulumi.String("Assumed by AWS Config to record resources and deliver to the history bucket"),
		AssumeRolePolicy: trustPolicy("config.amazonaws.com", acct),
	}, opts...)
	if err != nil {
		return nil, err
	}
	roleOpts := append([]pulumi.ResourceOption{pulumi.Parent(c.Role)}, opts...)
	if _, err := iam.NewRolePolicyAttachment(ctx, "config-managed", &iam.RolePolicyAttachmentArgs{
		Role:      c.Role.Name,
		PolicyArn: pulumi.String("arn:" + acct.Partition + ":iam::aws:policy/service-role/AWS_ConfigRole"),
	}, roleOpts...); err != nil {
		return nil, err
	}
	// Delivery only: write under the Config prefix, check the bucket's ACL,
	// and encrypt with the data key.
	delivery, err := iam.NewRolePolicy(ctx, "config-delivery", &iam.RolePolicyArgs{
		Role: c.Role.ID(),
		Policy: policyDocument(pulumi.Array{
			pulumi.Map{
				"Effect":   pulumi.String("Allow"),
				"Action":   pulumi.StringArray{pulumi.String("s3:PutObject"), pulumi.String("s3:PutObjectAcl")},
				"Resource": pulumi.Sprintf("%s/%s/AWSLogs/%s/*", b.History.Arn, configPrefix, acct.ID),
			},
			pulumi.Map{
				"Effect":   pulumi.String("Allow"),
				"Action":   pulumi.String("s3:GetBucketAcl"),
				"Resource": b.History.Arn,
			},
			pulumi.Map{
				"Effect":   pulumi.String("Allow"),
				"Action":   pulumi.StringArray{pulumi.String("kms:GenerateDataKey"), pulumi.String("kms:Decrypt")},
				"Resource": k.Data.Arn,
			},
		}),
	}, roleOpts...)
	if err != nil {
		return nil, err
	}

	c.Recorder, err = cfg.NewRecorder(ctx, "recorder", &cfg.RecorderArgs{
		Name:    pulumi.String(conf.RecorderName),
		RoleArn: c.Role.Arn,
		RecordingGroup: &cfg.RecorderRecordingGroupArgs{
			AllSupported:               pulumi.Bool(true),
			IncludeGlobalResourceTypes: pulumi.Bool(true),
		},
	}, append([]pulumi.ResourceOption{pulumi.DependsOn([]pulumi.Resource{delivery})}, opts...)...)
	if err != nil {
		return nil, err
	}
	c.Channel, err = cfg.NewDeliveryChannel(ctx, "delivery", &cfg.DeliveryChannelArgs{
		Name:         pulumi.String(conf.RecorderName),
		S3BucketName: b.History.Bucket,
		S3KeyPrefix:  pulumi.String(configPrefix),
		S3KmsKeyArn:  k.Data.Arn,
		SnapshotDeliveryProperties: &cfg.DeliveryChannelSnapshotDeliveryPropertiesArgs{
			DeliveryFrequency: pulumi.String(conf.SnapshotDeliveryFrequency),
		},
	}, append([]pulumi.ResourceOption{pulumi.DependsOn([]pulumi.Resource{c.Recorder})}, opts...)...)
	if err != nil {
		return nil, err
	}
	// Recording starts only once there is somewhere to deliver to.
	c.Status, err = cfg.NewRecorderStatus(ctx, "recorder", &cfg.RecorderStatusArgs{
		Name:      c.Recorder.Name,
		IsEnabled: pulumi.Bool(true),
	}, append([]pulumi.ResourceOption{pulumi.DependsOn([]pulumi.Resource{c.Channel})}, opts...)...)
	if err != nil {
		return nil, err
	}
	for _, r := range managedRules {
		args := &cfg.RuleArgs{
			Name:   pulumi.String(ctx.Project() + "-" + ctx.Stack() + "-" + kebab(r.identifier)),
			Source: &cfg.RuleSourceArgs{Owner: pulumi.String("AWS"), SourceIdentifier: pulumi.String(r.identifier)},
		}
		if r.periodic {
			args.MaximumExecutionFrequency = pulumi.String("TwentyFour_Hours")
		} else {
			args.Scope = &cfg.RuleScopeArgs{TagKey: pulumi.String("project"), TagValue: pulumi.String(conf.Tags["project"])}
		}
		rule, err := cfg.NewRule(ctx, kebab(r.identifier), args,
			append([]pulumi.ResourceOption{pulumi.DependsOn([]pulumi.Resource{c.Status})}, opts...)...)
		if err != nil {
			return nil, err
		}
		c.Rules = append(c.Rules, rule)
	}
	return c, nil
}

// trustPolicy lets one AWS service assume a role, on behalf of this account only.
func trustPolicy(service string, acct *account) pulumi.StringOutput {
	return policyDocument(pulumi.Array{pulumi.Map{
		"Effect":    pulumi.String("Allow"),
		"Principal": pulumi.Map{"Service": pulumi.String(service)},
		"Action":    pulumi.String("sts:AssumeRole"),
		"Condition": pulumi.Map{"StringEquals": pulumi.Map{"aws:SourceAccount": pulumi.String(acct.ID)}},
	}})
}

// kebab turns S3_BUCKET_VERSIONING_ENABLED into s3-bucket-versioning-enabled.
func kebab(identifier string) string {
	out := []byte(identifier)
	for i, c := range out {
		switch {
		case c == '_':
			out[i] = '-'
		case c >= 'A' && c <= 'Z':
			out[i] = c + 'a' - 'A'
		}
	}
	return string(out)
}
