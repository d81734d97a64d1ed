package policypack

import (
	"strings"

	"github.com/mlguard/mlguard/policy"
	aws "github.com/mlguard/mlguard/providers"
)

const (
	brGuardrail      = "aws:bedrock/guardrail:Guardrail"
	brAgent          = "aws:bedrock/agentAgent:AgentAgent"
	brKnowledgeBase  = "aws:bedrock/agentKnowledgeBase:AgentKnowledgeBase"
	brDataSource     = "aws:bedrock/agentDataSource:AgentDataSource"
	brCustomModel    = "aws:bedrock/customModel:CustomModel"
	brPrompt         = "aws:bedrock/agentPrompt:AgentPrompt"
	brInvocationLogs = "aws:bedrockmodel/invocationLoggingConfiguration:InvocationLoggingConfiguration"
	cwLogGroup       = "aws:cloudwatch/logGroup:LogGroup"
)

func bedrockPolicies() []*policy.Policy {
	return []*policy.Policy{
		bedrockGuardrailPromptAttack, bedrockGuardrailSensitiveInfo, bedrockAgentKMS, bedrockAgentGuardrail,
		bedrockInvocationLogging, bedrockDataSourceKMS, bedrockCustomModelKMS, bedrockPromptKMS, bedrockGuardrailKMS,
	}
}

var bedrockGuardrailPromptAttack = &policy.Policy{
	Name:        "bedrock-guardrail-prompt-attack",
	DisplayName: "Bedrock guardrails filter prompt attacks at HIGH",
	Description: "Bedrock guardrails have a content filter of type PROMPT_ATTACK with inputStrength HIGH, which catches jailbreaks and prompt injection in what users send. " +
		"Mandatory: a guardrail without it lets injected instructions reach the model and the data and tools behind it.",
	Severity:         policy.High,
	EnforcementLevel: policy.Mandatory,
	RemediationSteps: "Add {\"type\": \"PROMPT_ATTACK\", \"input_strength\": \"HIGH\", \"output_strength\": \"NONE\"} to content_policy_config.filters_configs.",
	URL:              docsURL + "bedrock-guardrail-prompt-attack",
	Controls:         []policy.Control{prowler("bedrock_guardrail_prompt_attack_filter_enabled")},
	Tags:             []string{"bedrock", "genai", "prompt-injection"},
	Resource: &policy.ResourceRule{
		Types: []string{brGuardrail},
		Validate: func(c *policy.Check) {
			filters, ok := c.Known("contentPolicyConfig.filtersConfigs")
			if !ok {
				return
			}
			for _, f := range filters.Elems() {
				if str(f.Get("type")) != "PROMPT_ATTACK" {
					continue
				}
				if s := f.Get("inputStrength"); str(s) != "HIGH" {
					c.Violatef(s, "is %s; set the PROMPT_ATTACK filter's inputStrength = \"HIGH\"", s.Display())
				}
				return
			}
			c.Violatef(filters, "is %s with no PROMPT_ATTACK filter; add one with inputStrength = \"HIGH\"", filters.Display())
		},
	},
}

// sensitiveActions are the actions that keep sensitive information out of
// prompts and answers.
var sensitiveActions = []string{"BLOCK", "ANONYMIZE"}

var bedrockGuardrailSensitiveInfo = &policy.Policy{
	Name:        "bedrock-guardrail-sensitive-info",
	DisplayName: "Bedrock guardrails block or mask sensitive information",
	Description: "Bedrock guardrails have a sensitive-information policy with at least one PII entity or regex, and every one of them blocks or masks (action BLOCK or ANONYMIZE; NONE only detects). " +
		"Mandatory: otherwise personal data flows through prompts and answers untouched.",
	Severity:         policy.High,
	EnforcementLevel: policy.Mandatory,
	RemediationSteps: "Set sensitive_information_policy_config={\"pii_entities_configs\": [{\"type\": \"EMAIL\", \"action\": \"ANONYMIZE\"}, ...]} with BLOCK or ANONYMIZE on each.",
	URL:              docsURL + "bedrock-guardrail-sensitive-info",
	Controls:         []policy.Control{prowler("bedrock_guardrail_sensitive_information_filter_enabled")},
	Tags:             []string{"bedrock", "genai", "pii", "data-exposure"},
	Resource: &policy.ResourceRule{
		Types: []string{brGuardrail},
		Validate: func(c *policy.Check) {
			cfg, ok := c.Known("sensitiveInformationPolicyConfig")
			if !ok {
				return
			}
			entries := append(cfg.Get("piiEntitiesConfigs").Elems(), cfg.Get("regexesConfigs").Elems()...)
			if len(entries) == 0 {
				c.Violatef(cfg, "is %s, with no PII entity or regex; add piiEntitiesConfigs with action BLOCK or ANONYMIZE", cfg.Display())
				return
			}
			for _, e := range entries {
				if a := e.Get("action"); !contains(sensitiveActions, str(a)) {
					c.Violatef(a, "is %s; set action to BLOCK or ANONYMIZE", a.Display())
				}
			}
		},
	},
}

// requireKey is a policy that a resource names a customer managed KMS key at
// path; mandatory says the resource holds data that would otherwise sit
// under an AWS owned key.
func requireKey(name, display, typ, path, what string, level policy.EnforcementLevel, why string, tags ...string) *policy.Policy {
	return &policy.Policy{
		Name:             name,
		DisplayName:      display,
		Description:      what + " is encrypted with a customer managed KMS key (" + path + "). " + why,
		Severity:         policy.Medium,
		EnforcementLevel: level,
		RemediationSteps: "Set " + snake(path) + " to the ARN of a customer managed KMS key with rotation on (key.arn).",
		URL:              docsURL + name,
		Tags:             append([]string{"encryption", "kms"}, tags...),
		Resource: &policy.ResourceRule{
			Types:    []string{typ},
			Validate: func(c *policy.Check) { requireString(c, path, "set "+path+" to a customer managed KMS key ARN") },
		},
	}
}

// snake spells a property path as the Python SDK does.
func snake(path string) string {
	var out strings.Builder
	for i := 0; i < len(path); i++ {
		ch := path[i]
		if ch >= 'A' && ch <= 'Z' {
			out.WriteByte('_')
			ch += 'a' - 'A'
		}
		out.WriteByte(ch)
	}
	return out.String()
}

var (
	bedrockAgentKMS = requireKey("bedrock-agent-kms", "Bedrock agents encrypt with a customer managed key", brAgent, "customerEncryptionKeyArn",
		"A Bedrock agent's configuration and session data", policy.Advisory, "Advisory: AWS encrypts it with its own key otherwise; a customer key adds control and audit.", "bedrock", "genai")
	bedrockDataSourceKMS = requireKey("bedrock-knowledge-base-data-source-kms", "Bedrock knowledge-base data sources encrypt with a customer managed key", brDataSource, "serverSideEncryptionConfiguration.kmsKeyArn",
		"The transient data a Bedrock knowledge base ingests from a data source", policy.Advisory, "Advisory: AWS encrypts it with its own key otherwise.", "bedrock", "genai", "rag")
	bedrockCustomModelKMS = requireKey("bedrock-custom-model-kms", "Bedrock custom models encrypt with a customer managed key", brCustomModel, "customModelKmsKeyId",
		"A Bedrock custom (fine-tuned) model, which embeds its training data,", policy.Mandatory, "Mandatory: the model weights carry the training data, and only a customer key lets the organization revoke access to them.", "bedrock", "genai")
	bedrockGuardrailKMS = requireKey("bedrock-guardrail-kms", "Bedrock guardrails encrypt with a customer managed key", brGuardrail, "kmsKeyArn",
		"A Bedrock guardrail (its denied topics, words and regexes describe what the organization protects)", policy.Advisory, "Advisory: AWS encrypts it with its own key otherwise.", "bedrock", "genai")
	bedrockPromptKMS = requireKey("bedrock-prompt-kms", "Bedrock prompts encrypt with a customer managed key", brPrompt, "customerEncryptionKeyArn",
		"A Bedrock prompt (prompt management)", policy.Advisory, "Advisory: AWS encrypts it with its own key otherwise.", "bedrock", "genai")
)

var bedrockAgentGuardrail = &policy.Policy{
	Name:             "bedrock-agent-guardrail",
	DisplayName:      "Bedrock agents apply a guardrail",
	Description:      "Bedrock agents name a guardrail (guardrailConfigurations[].guardrailIdentifier and guardrailVersion), so what users send and what the agent answers pass the organization's filters. Mandatory: an agent without one acts on any prompt.",
	Severity:         policy.High,
	EnforcementLevel: policy.Mandatory,
	RemediationSteps: "Set guardrail_configurations=[{\"guardrail_identifier\": guardrail.guardrail_id, \"guardrail_version\": version.version}].",
	URL:              docsURL + "bedrock-agent-guardrail",
	Controls:         []policy.Control{prowler("bedrock_agent_guardrail_enabled")},
	Tags:             []string{"bedrock", "genai"},
	Resource: &policy.ResourceRule{
		Types: []string{brAgent},
		Validate: func(c *policy.Check) {
			g, ok := c.Known("guardrailConfigurations")
			if !ok {
				return
			}
			for _, e := range g.Elems() {
				if str(e.Get("guardrailIdentifier")) != "" && str(e.Get("guardrailVersion")) != "" {
					return
				}
			}
			c.Violatef(g, "is %s, naming no guardrail with a version; set guardrailConfigurations with guardrailIdentifier and guardrailVersion", g.Display())
		},
	},
}

var bedrockInvocationLogging = &policy.Policy{
	Name:        "bedrock-invocation-logging",
	DisplayName: "Bedrock model invocation logging is on and its destinations are encrypted",
	Description: "A stack with Bedrock agents, knowledge bases, guardrails or custom models configures model invocation logging (aws.bedrockmodel.InvocationLoggingConfiguration); its S3 destination bucket, when in the stack, encrypts with SSE-KMS, and its CloudWatch log group, when in the stack, with a KMS key (kmsKeyId). " +
		"Mandatory: prompts and answers are the audit trail of a generative AI workload, and they hold the data the model saw.",
	Severity:         policy.High,
	EnforcementLevel: policy.Mandatory,
	RemediationSteps: "Add aws.bedrockmodel.InvocationLoggingConfiguration(logging_config={\"s3_config\": {\"bucket_name\": bucket.id}, \"cloudwatch_config\": {\"log_group_name\": group.name, \"role_arn\": role.arn}, \"text_data_delivery_enabled\": True}); give the bucket SSE-KMS and the log group kms_key_id.",
	URL:              docsURL + "bedrock-invocation-logging",
	Controls:         []policy.Control{prowler("bedrock_model_invocation_logging_enabled")},
	Tags:             []string{"bedrock", "genai", "logging", "audit", "encryption"},
	Stack: func(c *policy.StackCheck) {
		configs := c.OfType(brInvocationLogs)
		if len(configs) == 0 {
			if users := c.OfType(brAgent, brKnowledgeBase, brGuardrail, brCustomModel); len(users) > 0 {
				c.Violatef(users[0], users[0].Get(""), "the stack uses Bedrock but configures no model invocation logging; add an aws.bedrockmodel.InvocationLoggingConfiguration")
			}
			return
		}
		for _, lc := range configs {
			bucket := lc.Get("loggingConfig.s3Config.bucketName")
			for _, b := range joined(c, lc, bucket, s3Bucket, bucketNameProp, bucketIDProp) {
				if ok, known := bucketKMS(c, b); !ok && known {
					c.Violatef(lc, bucket, "names bucket %q, whose default encryption is not SSE-KMS with a bucket key; encrypt it with a KMS key", b.Name)
				}
			}
			group := lc.Get("loggingConfig.cloudwatchConfig.logGroupName")
			for _, g := range joined(c, lc, group, cwLogGroup, "name") {
				if key, ok := c.Known(g, "kmsKeyId"); ok && str(key) == "" {
					c.Violatef(g, key, "is %s, and Bedrock invocation logs are delivered here; set kmsKeyId to a KMS key ARN", key.Display())
				}
			}
		}
	},
}

// joined returns the resources of kind typ that value v of r names: by a
// property dependency of v's top-level input, or by a known value equal to
// one of their keys. Only resources in the stack are found.
func joined(c *policy.StackCheck, r *policy.Resource, v policy.Value, typ string, keys ...string) []*policy.Resource {
	var out []*policy.Resource
	top, _, _ := strings.Cut(v.Path(), ".")
	deps := map[string]bool{}
	for _, u := range r.PropertyDependencies[top] {
		deps[u] = true
	}
	name := str(v)
	for _, t := range c.OfType(typ) {
		match := deps[t.URN]
		for _, k := range keys {
			match = match || (name != "" && str(t.Get(k)) == name)
		}
		if match {
			out = append(out, t)
		}
	}
	return out
}

// bucketKMS reports whether bucket b's default encryption is SSE-KMS (see
// kmsDefault), inline or by a companion, and whether that is known.
func bucketKMS(c *policy.StackCheck, b *policy.Resource) (satisfied, known bool) {
	if ok, known := kmsDefault(b); ok || !known {
		return ok, known
	}
	comps, undecided := companions(c, b, s3BucketSSE, aws.S3BucketRef, bucketNameProp, bucketIDProp)
	known = !undecided
	for _, r := range comps {
		ok, k := kmsDefault(r)
		if ok {
			return true, true
		}
		known = known && k
	}
	return false, known
}
