package governance

import (
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/bedrock"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/bedrockmodel"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudwatch"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/iam"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/kms"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// genAI is the account's Bedrock set-up: every model invocation logged to an
// encrypted log group, and a guardrail for the applications to apply.
type genAI struct {
	LogsKey   *kms.Key
	LogGroup  *cloudwatch.LogGroup
	Logging   *bedrockmodel.InvocationLoggingConfiguration
	Guardrail *bedrock.Guardrail
}

func newGenAI(ctx *pulumi.Context, cfg *Config, acct *account, k *keys, opts []pulumi.ResourceOption) (*genAI, error) {
	g := &genAI{}
	var err error
	groupName := "/aws/bedrock/" + ctx.Project() + "-" + ctx.Stack() + "/invocations"
	groupArn := acct.arn("logs", "log-group:"+groupName)
	// CloudWatch Logs encrypts with a key only when the key policy lets it,
	// for this log group alone.
	g.LogsKey, err = kms.NewKey(ctx, "invocation-logs", &kms.KeyArgs{
		Description:          pulumi.String("Bedrock model invocation logs"),
		EnableKeyRotation:    pulumi.Bool(true),
		DeletionWindowInDays: pulumi.Int(30),
		Policy: policyDocument(pulumi.Array{
			pulumi.Map{
				"Sid": pulumi.String("AccountAdministers"), "Effect": pulumi.String("Allow"),
				"Principal": pulumi.Map{"AWS": pulumi.String(acct.root())},
				"Action":    pulumi.String("kms:*"), "Resource": pulumi.String("*"),
			},
			pulumi.Map{
				"Sid": pulumi.String("CloudWatchLogsEncrypts"), "Effect": pulumi.String("Allow"),
				"Principal": pulumi.Map{"Service": pulumi.String("logs." + acct.Region + ".amazonaws.com")},
				"Action": pulumi.StringArray{pulumi.String("kms:Encrypt*"), pulumi.String("kms:Decrypt*"), pulumi.String("kms:ReEncrypt*"),
					pulumi.String("kms:GenerateDataKey*"), pulumi.String("kms:Describe*")},
				"Resource":  pulumi.String("*"),
				"Condition": pulumi.Map{"ArnEquals": pulumi.Map{"kms:EncryptionContext:aws:logs:arn": pulumi.String(groupArn)}},
			},
		}),
	}, opts...)
	if err != nil {
		return nil, err
	}
	g.LogGroup, err = cloudwatch.NewLogGroup(ctx, "invocations", &cloudwatch.LogGroupArgs{
		Name:            pulumi.String(groupName),
		KmsKeyId:        g.LogsKey.Arn,
		RetentionInDays: pulumi.Int(cfg.HistoryRetentionDays),
	}, opts...)
	if err != nil {
		return nil, err
	}
	role, err := iam.NewRole(ctx, "bedrock-logging", &iam.RoleArgs{
		Description:      pulumi.String("Assumed by Bedrock to deliver model invocation logs"),
		AssumeRolePolicy: trustPolicy("bedrock.amazonaws.com", acct),
	}, opts...)
	if err != nil {
		return nil, err
	}
	deliver, err := iam.NewRolePolicy(ctx, "bedrock-logging", &iam.RolePolicyArgs{
		Role: role.ID(),
		Policy: policyDocument(pulumi.Array{pulumi.Map{
			"Effect":   pulumi.String("Allow"),
			"Action":   pulumi.StringArray{pulumi.String("logs:CreateLogStream"), pulumi.String("logs:PutLogEvents")},
			"Resource": pulumi.Sprintf("%s:log-stream:*", g.LogGroup.Arn),
		}}),
	}, append([]pulumi.ResourceOption{pulumi.Parent(role)}, opts...)...)
	if err != nil {
		return nil, err
	}
	g.Logging, err = bedrockmodel.NewInvocationLoggingConfiguration(ctx, "invocations", &bedrockmodel.InvocationLoggingConfigurationArgs{
		LoggingConfig: &bedrockmodel.InvocationLoggingConfigurationLoggingConfigArgs{
			CloudwatchConfig: &bedrockmodel.InvocationLoggingConfigurationLoggingConfigCloudwatchConfigArgs{
				LogGroupName: g.LogGroup.Name,
				RoleArn:      role.Arn,
			},
			TextDataDeliveryEnabled:      pulumi.Bool(true),
			ImageDataDeliveryEnabled:     pulumi.Bool(false),
			EmbeddingDataDeliveryEnabled: pulumi.Bool(false),
			VideoDataDeliveryEnabled:     pulumi.Bool(false),
		},
	}, append([]pulumi.ResourceOption{pulumi.DependsOn([]pulumi.Resource{deliver})}, opts...)...)
	if err != nil {
		return nil, err
	}
	filters := bedrock.GuardrailContentPolicyConfigFiltersConfigArray{
		// Prompt attacks are judged on input only; Bedrock requires NONE on output.
		&bedrock.GuardrailContentPolicyConfigFiltersConfigArgs{Type: pulumi.String("PROMPT_ATTACK"), InputStrength: pulumi.String("HIGH"), OutputStrength: pulumi.String("NONE")},
	}
	for _, t := range []string{"HATE", "INSULTS", "SEXUAL", "VIOLENCE", "MISCONDUCT"} {
		filters = append(filters, &bedrock.GuardrailContentPolicyConfigFiltersConfigArgs{Type: pulumi.String(t), InputStrength: pulumi.String("HIGH"), OutputStrength: pulumi.String("HIGH")})
	}
	pii := bedrock.GuardrailSensitiveInformationPolicyConfigPiiEntitiesConfigArray{}
	for _, e := range [][2]string{{"EMAIL", "ANONYMIZE"}, {"PHONE", "ANONYMIZE"}, {"AWS_ACCESS_KEY", "BLOCK"}, {"AWS_SECRET_KEY", "BLOCK"}} {
		pii = append(pii, &bedrock.GuardrailSensitiveInformationPolicyConfigPiiEntitiesConfigArgs{Type: pulumi.String(e[0]), Action: pulumi.String(e[1])})
	}
	g.Guardrail, err = bedrock.NewGuardrail(ctx, "guardrail", &bedrock.GuardrailArgs{
		Name:                             pulumi.String(ctx.Project() + "-" + ctx.Stack()),
		Description:                      pulumi.String("Filters prompt attacks and harmful content, masks personal data, blocks credentials"),
		BlockedInputMessaging:            pulumi.String("This request was blocked by the organization's AI policy."),
		BlockedOutputsMessaging:          pulumi.String("This answer was withheld by the organization's AI policy."),
		KmsKeyArn:                        k.Data.Arn,
		ContentPolicyConfig:              &bedrock.GuardrailContentPolicyConfigArgs{FiltersConfigs: filters},
		SensitiveInformationPolicyConfig: &bedrock.GuardrailSensitiveInformationPolicyConfigArgs{PiiEntitiesConfigs: pii},
	}, opts...)
	if err != nil {
		return nil, err
	}
	return g, nil
}
