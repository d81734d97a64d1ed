package policypack

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/mlguard/mlguard/policy"
	pt "github.com/mlguard/mlguard/policy/policytest"
)

var guardrailProps = map[string]any{
	"name": "ml-guardrail", "blockedInputMessaging": "Sorry.", "blockedOutputsMessaging": "Sorry.",
	"contentPolicyConfig": map[string]any{"filtersConfigs": []any{
		map[string]any{"type": "HATE", "inputStrength": "HIGH", "outputStrength": "HIGH"},
		map[string]any{"type": "PROMPT_ATTACK", "inputStrength": "HIGH", "outputStrength": "NONE"},
	}},
	"sensitiveInformationPolicyConfig": map[string]any{"piiEntitiesConfigs": []any{
		map[string]any{"type": "EMAIL", "action": "ANONYMIZE"},
		map[string]any{"type": "AWS_SECRET_KEY", "action": "BLOCK"},
	}},
}

func TestBedrockGuardrail(t *testing.T) {
	runSpecs(t, bedrockGuardrailPromptAttack, brGuardrail, []spec{
		{name: "compliant", props: guardrailProps},
		{name: "prompt attack at MEDIUM", props: pt.With(guardrailProps, "contentPolicyConfig.filtersConfigs", []any{map[string]any{"type": "PROMPT_ATTACK", "inputStrength": "MEDIUM", "outputStrength": "NONE"}}),
			violation: `contentPolicyConfig.filtersConfigs.0.inputStrength: is "MEDIUM"; set the PROMPT_ATTACK filter's inputStrength = "HIGH"`},
		{name: "no prompt attack filter", props: pt.With(guardrailProps, "contentPolicyConfig.filtersConfigs", []any{map[string]any{"type": "HATE", "inputStrength": "HIGH", "outputStrength": "HIGH"}}),
			violation: `contentPolicyConfig.filtersConfigs: is a list of 1 with no PROMPT_ATTACK filter`},
		{name: "no content policy", props: pt.Without(guardrailProps, "contentPolicyConfig"), violation: `contentPolicyConfig.filtersConfigs: is not set with no PROMPT_ATTACK filter`},
		{name: "unknown", props: pt.With(guardrailProps, "contentPolicyConfig.filtersConfigs", pt.Unknown), unknown: "filtersConfigs is unknown"},
	})
	runSpecs(t, bedrockGuardrailSensitiveInfo, brGuardrail, []spec{
		{name: "compliant", props: guardrailProps},
		{name: "detect only", props: pt.With(guardrailProps, "sensitiveInformationPolicyConfig.piiEntitiesConfigs", []any{map[string]any{"type": "EMAIL", "action": "NONE"}}),
			violation: `sensitiveInformationPolicyConfig.piiEntitiesConfigs.0.action: is "NONE"; set action to BLOCK or ANONYMIZE`},
		{name: "regex blocks", props: pt.With(guardrailProps, "sensitiveInformationPolicyConfig", map[string]any{"regexesConfigs": []any{map[string]any{"name": "account", "pattern": "ACC-[0-9]+", "action": "BLOCK"}}})},
		{name: "no sensitive-information policy", props: pt.Without(guardrailProps, "sensitiveInformationPolicyConfig"), violation: `sensitiveInformationPolicyConfig: is not set, with no PII entity or regex`},
		{name: "unknown", props: pt.With(guardrailProps, "sensitiveInformationPolicyConfig", pt.Unknown), unknown: "sensitiveInformationPolicyConfig is unknown"},
	})
}

func TestBedrockAgent(t *testing.T) {
	agent := map[string]any{"agentName": "support", "agentResourceRoleArn": roleARN, "foundationModel": "anthropic.claude-3-haiku-20240307-v1:0",
		"customerEncryptionKeyArn": kmsARN, "guardrailConfigurations": []any{map[string]any{"guardrailIdentifier": "gr-1", "guardrailVersion": "1"}}}
	runSpecs(t, bedrockAgentKMS, brAgent, []spec{
		{name: "compliant", props: agent},
		{name: "no key", props: pt.Without(agent, "customerEncryptionKeyArn"), violation: `aws:bedrock/agentAgent:AgentAgent "r": customerEncryptionKeyArn: is not set; set customerEncryptionKeyArn`},
		{name: "unknown", props: pt.With(agent, "customerEncryptionKeyArn", pt.Unknown), unknown: "customerEncryptionKeyArn is unknown"},
	})
	runSpecs(t, bedrockAgentGuardrail, brAgent, []spec{
		{name: "compliant", props: agent},
		{name: "no guardrail", props: pt.Without(agent, "guardrailConfigurations"), violation: `guardrailConfigurations: is not set, naming no guardrail`},
		{name: "no version", props: pt.With(agent, "guardrailConfigurations", []any{map[string]any{"guardrailIdentifier": "gr-1"}}), violation: `naming no guardrail with a version`},
		{name: "unknown", props: pt.With(agent, "guardrailConfigurations", []any{map[string]any{"guardrailIdentifier": pt.Unknown, "guardrailVersion": pt.Unknown}}), unknown: "guardrailConfigurations is unknown"},
	})
}

func TestBedrockKeys(t *testing.T) {
	runSpecs(t, bedrockDataSourceKMS, brDataSource, []spec{
		{name: "compliant", props: map[string]any{"knowledgeBaseId": "kb-1", "name": "docs", "serverSideEncryptionConfiguration": map[string]any{"kmsKeyArn": kmsARN}}},
		{name: "no key", props: map[string]any{"knowledgeBaseId": "kb-1", "name": "docs"}, violation: `serverSideEncryptionConfiguration.kmsKeyArn: is not set`},
		{name: "unknown", props: map[string]any{"serverSideEncryptionConfiguration": map[string]any{"kmsKeyArn": pt.Unknown}}, unknown: "kmsKeyArn is unknown"},
	})
	runSpecs(t, bedrockCustomModelKMS, brCustomModel, []spec{
		{name: "compliant", props: map[string]any{"customModelName": "churn-ft", "customModelKmsKeyId": kmsARN}},
		{name: "no key", props: map[string]any{"customModelName": "churn-ft"}, violation: `customModelKmsKeyId: is not set`},
		{name: "unknown", props: map[string]any{"customModelKmsKeyId": pt.Unknown}, unknown: "customModelKmsKeyId is unknown"},
	})
	runSpecs(t, bedrockGuardrailKMS, brGuardrail, []spec{
		{name: "compliant", props: pt.With(guardrailProps, "kmsKeyArn", kmsARN)},
		{name: "no key", props: guardrailProps, violation: `aws:bedrock/guardrail:Guardrail "r": kmsKeyArn: is not set`},
		{name: "unknown", props: pt.With(guardrailProps, "kmsKeyArn", pt.Unknown), unknown: "kmsKeyArn is unknown"},
	})
	runSpecs(t, bedrockPromptKMS, brPrompt, []spec{
		{name: "compliant", props: map[string]any{"name": "triage", "customerEncryptionKeyArn": kmsARN}},
		{name: "no key", props: map[string]any{"name": "triage"}, violation: `customerEncryptionKeyArn: is not set`},
		{name: "unknown", props: map[string]any{"customerEncryptionKeyArn": pt.Unknown}, unknown: "customerEncryptionKeyArn is unknown"},
	})
}

func TestBedrockInvocationLogging(t *testing.T) {
	key := map[string]any{"sseAlgorithm": "aws:kms", "kmsMasterKeyId": kmsARN}
	bucket := res(s3Bucket, "logs", map[string]any{"bucket": "bedrock-logs"}, nil)
	sse := res(s3BucketSSE, "logs", map[string]any{"bucket": pt.Unknown, "rules": []any{map[string]any{"bucketKeyEnabled": true, "applyServerSideEncryptionByDefault": key}}},
		map[string]*policy.Resource{"bucket": bucket})
	aes := res(s3BucketSSE, "logs", map[string]any{"bucket": "bedrock-logs", "rules": []any{map[string]any{"applyServerSideEncryptionByDefault": map[string]any{"sseAlgorithm": "AES256"}}}}, nil)
	group := res(cwLogGroup, "invocations", map[string]any{"name": "/bedrock/invocations", "kmsKeyId": kmsARN}, nil)
	plainGroup := res(cwLogGroup, "invocations", map[string]any{"name": "/bedrock/invocations"}, nil)
	logging := res(brInvocationLogs, "logging", map[string]any{"loggingConfig": map[string]any{
		"textDataDeliveryEnabled": true,
		"s3Config":                map[string]any{"bucketName": pt.Unknown},
		"cloudwatchConfig":        map[string]any{"logGroupName": "/bedrock/invocations", "roleArn": roleARN},
	}}, map[string]*policy.Resource{"loggingConfig": bucket})
	guardrail := res(brGuardrail, "guardrail", guardrailProps, nil)
	runStackSpecs(t, bedrockInvocationLogging, []stackSpec{
		{name: "compliant", resources: []*policy.Resource{guardrail, bucket, sse, group, logging}},
		{name: "no logging", resources: []*policy.Resource{guardrail},
			violation: `aws:bedrock/guardrail:Guardrail "guardrail": the stack uses Bedrock but configures no model invocation logging`},
		{name: "no Bedrock, no logging needed", resources: []*policy.Resource{bucket}},
		{name: "bucket without KMS", resources: []*policy.Resource{guardrail, bucket, aes, group, logging},
			violation: `aws:bedrockmodel/invocationLoggingConfiguration:InvocationLoggingConfiguration "logging": loggingConfig.s3Config.bucketName: names bucket "logs", whose default encryption is not SSE-KMS`},
		{name: "log group without KMS", resources: []*policy.Resource{guardrail, bucket, sse, plainGroup, logging},
			violation: `aws:cloudwatch/logGroup:LogGroup "invocations": kmsKeyId: is not set, and Bedrock invocation logs are delivered here`},
		{name: "destinations outside the stack", resources: []*policy.Resource{guardrail, logging}},
	})
}

func TestSnake(t *testing.T) {
	for in, want := range map[string]string{
		"kmsKeyArn":                         "kms_key_arn",
		"customerEncryptionKeyArn":          "customer_encryption_key_arn",
		"outputConfig.kmsKeyId":             "output_config.kms_key_id",
		"name":                              "name",
		"maxSizeZ":                          "max_size_z",
		"loggingConfig.s3Config.bucketName": "logging_config.s3_config.bucket_name",
	} {
		assert.Equal(t, want, snake(in), in)
	}
}
