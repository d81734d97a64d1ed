package policypack

import (
	"fmt"

	"github.com/mlguard/mlguard/policy"
)

const (
	cfgRecorder        = "aws:cfg/recorder:Recorder"
	cfgDeliveryChannel = "aws:cfg/deliveryChannel:DeliveryChannel"
	cfgRecorderStatus  = "aws:cfg/recorderStatus:RecorderStatus"
)

func awsConfigPolicies() []*policy.Policy {
	return []*policy.Policy{awsConfigRecorderAllResources, awsConfigRecorderDelivery, awsConfigDeliveryFrequency}
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
