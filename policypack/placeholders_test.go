package policypack

import (
	"testing"

	pt "github.com/mlguard/mlguard/policy/policytest"
)

func TestAWSARNPlaceholder(t *testing.T) {
	recorder := map[string]any{"name": "rec", "roleArn": roleARN, "recordingGroup": map[string]any{"allSupported": true}}
	runSpecs(t, awsARNPlaceholder, cfgRecorder, []spec{
		{name: "compliant", props: recorder},
		{name: "seed 001: <ARN_OF_...>", props: pt.With(recorder, "roleArn", "<ARN_OF_AWS_CONFIG_SERVICE_ROLE>"),
			violation: `aws:cfg/recorder:Recorder "r": roleArn: is "<ARN_OF_AWS_CONFIG_SERVICE_ROLE>", a placeholder; AWS rejects it at deploy`},
		{name: "the documentation account", props: pt.With(recorder, "roleArn", "arn:aws:iam::123456789012:role/config"), violation: `a placeholder`},
		{name: "ACCOUNT_ID", props: pt.With(recorder, "roleArn", "arn:aws:iam::ACCOUNT_ID:role/config"), violation: `a placeholder`},
		{name: "REPLACE_ME", props: pt.With(recorder, "roleArn", "REPLACE_ME"), violation: `a placeholder`},
		{name: "unknown", props: pt.With(recorder, "roleArn", pt.Unknown), unknown: "roleArn is unknown"},
		{name: "secret placeholder", props: pt.With(recorder, "roleArn", pt.Secret("<"+secretText+">")), violation: `roleArn: is [secret], a placeholder`},
		{name: "secret real ARN", props: pt.With(recorder, "roleArn", pt.Secret(roleARN))},
	})
	domain := map[string]any{"kmsKeyId": kmsARN, "defaultUserSettings": map[string]any{"executionRole": roleARN}}
	runSpecs(t, awsARNPlaceholder, smDomain, []spec{
		{name: "nested compliant", props: domain},
		{name: "nested executionRole", props: pt.With(domain, "defaultUserSettings.executionRole", "arn:aws:iam::<account>:role/x"),
			violation: `defaultUserSettings.executionRole: is "arn:aws:iam::<account>:role/x", a placeholder`},
		{name: "kmsKeyId, arn:aws:...", props: pt.With(domain, "kmsKeyId", "arn:aws:kms:...:key/..."), violation: `kmsKeyId: is`},
	})
	policyAttachment := map[string]any{"role": "config", "policyArn": "arn:aws:iam::aws:policy/service-role/AWS_ConfigRole"}
	runSpecs(t, awsARNPlaceholder, "aws:iam/rolePolicyAttachment:RolePolicyAttachment", []spec{
		{name: "AWS managed policy", props: policyAttachment},
		{name: "placeholder policy", props: pt.With(policyAttachment, "policyArn", "arn:aws:iam::123456789012:policy/p"), violation: `policyArn: is`},
	})
	runSpecs(t, awsARNPlaceholder, azStorageAccount, []spec{
		{name: "not AWS", props: map[string]any{"accountName": "REPLACE_ME"}},
	})
}
