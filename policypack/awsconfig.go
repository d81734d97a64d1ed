package policypack

import (
	"fmt"
	"sort"
	"strings"

	"github.com/mlguard/mlguard/policy"
)

const (
	cfgRecorder        = "aws:cfg/recorder:Recorder"
	cfgDeliveryChannel = "aws:cfg/deliveryChannel:DeliveryChannel"
	cfgRecorderStatus  = "aws:cfg/recorderStatus:RecorderStatus"
)

func awsConfigPolicies() []*policy.Policy {
	return []*policy.Policy{awsConfigRecorderAllResources, awsConfigRecorderDelivery, awsConfigDeliveryFrequency, awsConfigRuleInputParameters}
}

var awsConfigRecorderAllResources = &policy.Policy{
	Name:             "awsconfig-recorder-all-resources",
	DisplayName:      "AWS Config records every resource type",
	Description:      "AWS Config recorders record all supported resource types, global ones (IAM) included: recordingGroup.allSupported and recordingGroup.includeGlobalResourceTypes are true.",
	Severity:         policy.High,
	EnforcementLevel: policy.Mandatory,
	RemediationSteps: "Set recording_group={\"all_supported\": True, \"include_global_resource_types\": True} on the aws.cfg.Recorder.",
	URL:              docsURL + "awsconfig-recorder-all-resources",
	Tags:             []string{"aws-config", "audit", "change-tracking"},
	Resource: &policy.ResourceRule{
		Types: []string{cfgRecorder},
		Validate: func(c *policy.Check) {
			group, ok := c.Known("recordingGroup")
			if !ok {
				return
			}
			// allSupported defaults to true when unset; includeGlobalResourceTypes to false.
			if all := group.Get("allSupported"); !all.IsAbsent() && !isTrue(all) {
				c.Violatef(all, "is %s; set recordingGroup.allSupported = true to record every supported resource type", all.Display())
			}
			if global := group.Get("includeGlobalResourceTypes"); !isTrue(global) {
				c.Violatef(global, "is %s; set recordingGroup.includeGlobalResourceTypes = true to record IAM and other global resources", global.Display())
			}
		},
	},
}

var awsConfigRecorderDelivery = &policy.Policy{
	Name:             "awsconfig-recorder-delivery",
	DisplayName:      "AWS Config recorders deliver and run",
	Description:      "Every AWS Config recorder has a delivery channel and an enabled RecorderStatus (isEnabled = true) in the stack; without them nothing is recorded or delivered.",
	Severity:         policy.High,
	EnforcementLevel: policy.Mandatory,
	RemediationSteps: "Add aws.cfg.DeliveryChannel(s3_bucket_name=<bucket>.id) and aws.cfg.RecorderStatus(name=recorder.name, is_enabled=True, opts=ResourceOptions(depends_on=[delivery_channel])).",
	URL:              docsURL + "awsconfig-recorder-delivery",
	Tags:             []string{"aws-config", "audit", "change-tracking"},
	Stack: func(c *policy.StackCheck) {
		// AWS allows one delivery channel per account and region, and it
		// names no recorder: any channel of the same provider serves it.
		channels := c.OfType(cfgDeliveryChannel)
		channelProviders := map[string]bool{}
		for _, ch := range channels {
			if ch.Provider == nil {
				channelProviders[""] = true // the engine did not say: serves any recorder
			} else {
				channelProviders[ch.Provider.URN] = true
			}
		}
		for _, rec := range c.OfType(cfgRecorder) {
			hasChannel := channelProviders[""] || (rec.Provider == nil && len(channels) > 0) ||
				(rec.Provider != nil && channelProviders[rec.Provider.URN])
			if !hasChannel {
				c.Violatef(rec, rec.Get("name"), "the recorder has no aws.cfg.DeliveryChannel in the stack; add one pointing at an S3 bucket")
			}
			statuses, undecided := companions(c, rec, cfgRecorderStatus, "name", "name")
			enabled, unknown := false, false
			for _, st := range statuses {
				v := st.Get("isEnabled")
				switch {
				case v.HasUnknown():
					unknown = true
				case isTrue(v):
					enabled = true
				default:
					c.Violatef(st, v, "is %s; set isEnabled = true to start recorder %q", v.Display(), rec.Name)
					enabled = true // reported on the status itself
				}
			}
			switch {
			case enabled:
			case unknown || undecided:
				c.NotApplicable(fmt.Sprintf("recorder %q: the recorder name of an aws.cfg.RecorderStatus is unknown", rec.Name))
			default:
				c.Violatef(rec, rec.Get("name"), "no aws.cfg.RecorderStatus with isEnabled = true refers to the recorder, so it never starts; add aws.cfg.RecorderStatus(name=recorder.name, is_enabled=True)")
			}
		}
	},
}

// deliveryFrequencies in order, fastest first.
var deliveryFrequencies = []string{"One_Hour", "Three_Hours", "Six_Hours", "Twelve_Hours", "TwentyFour_Hours"}

func frequencyRank(f string) int {
	for i, x := range deliveryFrequencies {
		if x == f {
			return i
		}
	}
	return -1
}

type deliveryFrequencyConfig struct {
	Maximum string `json:"maximumFrequency"`
}

var awsConfigDeliveryFrequency = &policy.Policy{
	Name:             "awsconfig-delivery-frequency",
	DisplayName:      "AWS Config snapshots are delivered often enough",
	Description:      "AWS Config delivery channels deliver configuration snapshots at least as often as maximumFrequency (default Six_Hours); unset means TwentyFour_Hours.",
	Severity:         policy.Medium,
	EnforcementLevel: policy.Mandatory,
	RemediationSteps: "Set snapshot_delivery_properties={\"delivery_frequency\": \"Six_Hours\"} (or faster) on the aws.cfg.DeliveryChannel.",
	URL:              docsURL + "awsconfig-delivery-frequency",
	Tags:             []string{"aws-config", "audit", "change-tracking"},
	Config: policy.ConfigFor[deliveryFrequencyConfig](map[string]policy.Schema{
		"maximumFrequency": {"type": "string", "enum": deliveryFrequencies, "default": "Six_Hours",
			"description": "The slowest delivery frequency allowed (One_Hour < Three_Hours < Six_Hours < Twelve_Hours < TwentyFour_Hours)."},
	}),
	Resource: &policy.ResourceRule{
		Types: []string{cfgDeliveryChannel},
		Validate: func(c *policy.Check) {
			max := policy.ConfigOf[deliveryFrequencyConfig](c).Maximum
			if max == "" {
				max = "Six_Hours"
			}
			v, ok := c.Known("snapshotDeliveryProperties.deliveryFrequency")
			if !ok {
				return
			}
			got := str(v)
			if v.IsAbsent() {
				got = "TwentyFour_Hours" // the service default
			}
			if r := frequencyRank(got); r < 0 || r > frequencyRank(max) {
				shown := v.Display()
				if v.IsAbsent() {
					shown += " (the default, TwentyFour_Hours)"
				}
				c.Violatef(v, "is %s; set snapshotDeliveryProperties.deliveryFrequency to %s or faster", shown, max)
			}
		},
	},
}

const cfgRule = "aws:cfg/rule:Rule"

// managedRuleParameters are the input parameters of AWS Config managed rules
// the pack knows (the reference stack's and the seeds'), as the AWS Config
// developer guide lists them; AWS rejects a rule naming any other. A rule
// not listed is only held to inputParameters being a JSON object.
var managedRuleParameters = map[string][]string{
	"S3_BUCKET_VERSIONING_ENABLED":                 {"isMfaDeleteEnabled"},
	"S3_BUCKET_SERVER_SIDE_ENCRYPTION_ENABLED":     {},
	"SAGEMAKER_NOTEBOOK_NO_DIRECT_INTERNET_ACCESS": {},
}

var awsConfigRuleInputParameters = &policy.Policy{
	Name:        "awsconfig-rule-input-parameters",
	DisplayName: "AWS Config rules take valid input parameters",
	Description: "AWS Config rules give inputParameters as a JSON object (no comments, no trailing text) and, for the managed rules the pack knows, name only parameters the rule takes. " +
		"Mandatory: AWS rejects anything else at deploy (InvalidParameterValueException), so the update would fail anyway.",
	Severity:         policy.High,
	EnforcementLevel: policy.Mandatory,
	RemediationSteps: "Build input_parameters with json.dumps({...}) (Python) or json.Marshal (Go) from the parameters the managed rule documents; leave it unset for a rule that takes none.",
	URL:              docsURL + "awsconfig-rule-input-parameters",
	Tags:             []string{"aws-config", "deploy-failure"},
	Resource: &policy.ResourceRule{
		Types: []string{cfgRule},
		Validate: func(c *policy.Check) {
			params, ok := c.Known("inputParameters")
			if !ok || params.IsAbsent() {
				return
			}
			doc, _ := decodeJSON(params)
			obj, isObject := doc.(map[string]any)
			if !isObject {
				c.Violatef(params, "is %s, not a JSON object (JSON has no comments); AWS Config rejects it at deploy: give a JSON object of parameter names to string values", params.Display())
				return
			}
			owner, ok1 := c.Known("source.owner")
			id, ok2 := c.Known("source.sourceIdentifier")
			if !ok1 || !ok2 || str(owner) != "AWS" {
				return
			}
			takes, listed := managedRuleParameters[str(id)]
			if !listed {
				return
			}
			var unknown []string
			for name := range obj {
				if !contains(takes, name) {
					unknown = append(unknown, name)
				}
			}
			if len(unknown) == 0 {
				return
			}
			sort.Strings(unknown)
			names := fmt.Sprintf("%q", unknown)
			if params.IsSecret() {
				names = fmt.Sprintf("%d parameter name(s)", len(unknown))
			}
			accepted := "none"
			if len(takes) > 0 {
				accepted = strings.Join(takes, ", ")
			}
			c.Violatef(params, "names %s that managed rule %s does not take (it takes: %s); AWS Config rejects the rule at deploy", names, id.Display(), accepted)
		},
	},
}
