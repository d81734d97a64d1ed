package policypack

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/mlguard/mlguard/policy"
	pt "github.com/mlguard/mlguard/policy/policytest"
)

func TestAWSConfigRecorderAllResources(t *testing.T) {
	// The seeds' recorders are compliant here; their gaps are delivery and status.
	compliant := map[string]any{"roleArn": pt.Secret(secretText), "recordingGroup": map[string]any{"allSupported": true, "includeGlobalResourceTypes": true}}
	runSpecs(t, awsConfigRecorderAllResources, cfgRecorder, []spec{
		{name: "compliant (seed 000/001)", props: compliant},
		{name: "allSupported false", props: pt.With(compliant, "recordingGroup.allSupported", false), violation: `recordingGroup.allSupported: is false; set recordingGroup.allSupported = true`},
		{name: "global missing", props: pt.Without(compliant, "recordingGroup.includeGlobalResourceTypes"), violation: `recordingGroup.includeGlobalResourceTypes: is not set`},
		{name: "no recording group", props: pt.Without(compliant, "recordingGroup"), violation: `includeGlobalResourceTypes: is not set`},
		{name: "unknown", props: pt.With(compliant, "recordingGroup.includeGlobalResourceTypes", pt.Unknown), unknown: "recordingGroup"},
		{name: "secret false", props: pt.With(compliant, "recordingGroup.includeGlobalResourceTypes", pt.Secret(false)), violation: `is [secret]; set`},
	})
}

func TestAWSConfigRecorderDelivery(t *testing.T) {
	rec := res(cfgRecorder, "config-recorder", map[string]any{"name": "config-recorder-1", "roleArn": pt.Secret(secretText)}, nil)
	ch := res(cfgDeliveryChannel, "delivery-channel", map[string]any{"s3BucketName": pt.Unknown}, nil)
	status := func(props map[string]any, dep bool) *policy.Resource {
		var deps map[string]*policy.Resource
		if dep {
			deps = map[string]*policy.Resource{"name": rec}
		}
		return res(cfgRecorderStatus, "status", props, deps)
	}
	on := map[string]any{"name": pt.Unknown, "isEnabled": true}
	runStackSpecs(t, awsConfigRecorderDelivery, []stackSpec{
		{name: "compliant, status joined by dependency", resources: []*policy.Resource{rec, ch, status(on, true)}},
		{name: "compliant, status joined by name", resources: []*policy.Resource{rec, ch, status(pt.With(on, "name", "config-recorder-1"), false)}},
		{name: "seed: channel but no status", resources: []*policy.Resource{rec, ch},
			violation: `aws:cfg/recorder:Recorder "config-recorder": name: no aws.cfg.RecorderStatus with isEnabled = true refers to the recorder`},
		{name: "no channel", resources: []*policy.Resource{rec, status(on, true)}, violation: `the recorder has no aws.cfg.DeliveryChannel`},
		{name: "status disabled", resources: []*policy.Resource{rec, ch, status(pt.With(on, "isEnabled", false), true)},
			violation: `aws:cfg/recorderStatus:RecorderStatus "status": isEnabled: is false; set isEnabled = true`},
		{name: "status of another recorder", resources: []*policy.Resource{rec, ch, status(pt.With(on, "name", "other"), false)}, violation: `no aws.cfg.RecorderStatus`},
		{name: "status isEnabled unknown", resources: []*policy.Resource{rec, ch, status(pt.With(on, "isEnabled", pt.Unknown), true)}, unknown: "config-recorder"},
		{name: "status name unknown, no dependency info", resources: []*policy.Resource{rec, ch, status(on, false)}, unknown: "config-recorder"},
		{name: "no recorder, nothing to check", resources: []*policy.Resource{ch}},
		// A channel serves the recorders of its own provider (one account and region).
		{name: "channel of the recorder's provider", resources: []*policy.Resource{onProvider(rec, "eu"), onProvider(ch, "eu"), status(on, true)}},
		{name: "channel of another provider", resources: []*policy.Resource{onProvider(rec, "eu"), onProvider(ch, "us"), status(on, true)},
			violation: `the recorder has no aws.cfg.DeliveryChannel`},
	})
	// The engine did not say which provider: a channel serves any recorder,
	// and a recorder is served by any channel.
	st := status(on, true)
	for name, stack := range map[string][]*policy.Resource{
		"channel without a provider":  {onProvider(rec, "eu"), ch, st},
		"recorder without a provider": {rec, onProvider(ch, "us"), st},
	} {
		assert.Empty(t, pt.CheckStack(awsConfigRecorderDelivery, stack, nil).Violations, name)
	}
	assert.NotEmpty(t, pt.CheckStack(awsConfigRecorderDelivery, []*policy.Resource{onProvider(rec, "eu"), onProvider(ch, "us"), st}, nil).Violations)
	assert.NotEmpty(t, pt.CheckStack(awsConfigRecorderDelivery, []*policy.Resource{rec, st}, nil).Violations, "no provider and no channel")
}

// onProvider returns a copy of r with an explicit provider named name.
func onProvider(r *policy.Resource, name string) *policy.Resource {
	c := r.WithProps(r.Props)
	c.Provider = pt.Resource("pulumi:providers:aws", name, nil)
	return c
}

func TestAWSConfigDeliveryFrequency(t *testing.T) {
	six := map[string]any{"s3BucketName": "b", "snapshotDeliveryProperties": map[string]any{"deliveryFrequency": "Six_Hours"}}
	runSpecs(t, awsConfigDeliveryFrequency, cfgDeliveryChannel, []spec{
		{name: "seed 001: Six_Hours", props: six},
		{name: "One_Hour", props: pt.With(six, "snapshotDeliveryProperties.deliveryFrequency", "One_Hour")},
		{name: "Twelve_Hours", props: pt.With(six, "snapshotDeliveryProperties.deliveryFrequency", "Twelve_Hours"),
			violation: `snapshotDeliveryProperties.deliveryFrequency: is "Twelve_Hours"; set snapshotDeliveryProperties.deliveryFrequency to Six_Hours or faster`},
		{name: "seed 000: unset means daily", props: pt.Without(six, "snapshotDeliveryProperties"), violation: `is not set (the default, TwentyFour_Hours)`},
		{name: "garbage", props: pt.With(six, "snapshotDeliveryProperties.deliveryFrequency", "Hourly"), violation: `"Hourly"`},
		{name: "configured maximum", props: pt.With(six, "snapshotDeliveryProperties.deliveryFrequency", "TwentyFour_Hours"), config: map[string]any{"maximumFrequency": "TwentyFour_Hours"}},
		{name: "stricter maximum", props: six, config: map[string]any{"maximumFrequency": "One_Hour"}, violation: `to One_Hour or faster`},
		{name: "unknown", props: pt.With(six, "snapshotDeliveryProperties", pt.Unknown), unknown: "snapshotDeliveryProperties"},
		{name: "secret", props: pt.With(six, "snapshotDeliveryProperties.deliveryFrequency", pt.Secret("Twelve_Hours")), violation: `is [secret]; set`},
	})
}

func TestAWSConfigRuleInputParameters(t *testing.T) {
	rule := map[string]any{
		"source":          map[string]any{"owner": "AWS", "sourceIdentifier": "S3_BUCKET_VERSIONING_ENABLED"},
		"inputParameters": `{"isMfaDeleteEnabled":"true"}`,
	}
	runSpecs(t, awsConfigRuleInputParameters, cfgRule, []spec{
		{name: "compliant", props: rule},
		{name: "no parameters", props: pt.Without(rule, "inputParameters")},
		{name: "seed 000: a comment inside the JSON", props: pt.With(rule, "inputParameters", `{ "desired_value":"true" # Define parameters for the rule }`),
			violation: `aws:cfg/rule:Rule "r": inputParameters: is "{ \"desired_value\":\"true\" # Define parameters for the rule }", not a JSON object`},
		{name: "a JSON array", props: pt.With(rule, "inputParameters", `["isMfaDeleteEnabled"]`), violation: `not a JSON object`},
		{name: "a parameter the rule does not take", props: pt.With(rule, "inputParameters", `{"desired_value":"true"}`),
			violation: `inputParameters: names ["desired_value"] that managed rule "S3_BUCKET_VERSIONING_ENABLED" does not take (it takes: isMfaDeleteEnabled)`},
		{name: "a rule that takes none", props: pt.With(pt.With(rule, "source.sourceIdentifier", "S3_BUCKET_SERVER_SIDE_ENCRYPTION_ENABLED"), "inputParameters", `{"x":"1"}`),
			violation: `(it takes: none)`},
		{name: "a managed rule the pack does not know", props: pt.With(pt.With(rule, "source.sourceIdentifier", "IAM_PASSWORD_POLICY"), "inputParameters", `{"MinimumPasswordLength":"14"}`)},
		{name: "a custom rule", props: pt.With(pt.With(rule, "source.owner", "CUSTOM_LAMBDA"), "inputParameters", `{"anything":"1"}`)},
		{name: "unknown parameters", props: pt.With(rule, "inputParameters", pt.Unknown), unknown: "inputParameters is unknown"},
		{name: "unknown identifier", props: pt.With(pt.With(rule, "inputParameters", `{"desired_value":"true"}`), "source.sourceIdentifier", pt.Unknown), unknown: "sourceIdentifier is unknown"},
		{name: "secret, not JSON", props: pt.With(rule, "inputParameters", pt.Secret(secretText+" #")), violation: `is [secret], not a JSON object`},
		{name: "secret, unknown name", props: pt.With(rule, "inputParameters", pt.Secret(`{"`+secretText+`":"1"}`)), violation: `names 1 parameter name(s)`},
	})
}
