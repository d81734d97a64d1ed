package policypack

import (
	"fmt"
	"strings"

	"github.com/mlguard/mlguard/policy"
)

const ctTrail = "aws:cloudtrail/trail:Trail"

func cloudtrailPolicies() []*policy.Policy {
	return []*policy.Policy{cloudtrailMultiRegion, cloudtrailLogValidation, cloudtrailKMS, cloudtrailS3DataEvents}
}

var cloudtrailMultiRegion = &policy.Policy{
	Name:             "cloudtrail-multi-region",
	DisplayName:      "CloudTrail trails cover every region",
	Description:      "CloudTrail trails are multi-region (isMultiRegionTrail = true), so activity in a region nobody watches is recorded too. Advisory: one multi-region trail per account or organization is enough; a regional trail beside it is fine to exempt.",
	Severity:         policy.Medium,
	EnforcementLevel: policy.Advisory,
	RemediationSteps: "Set is_multi_region_trail = True (and include_global_service_events = True).",
	URL:              docsURL + "cloudtrail-multi-region",
	Controls:         []policy.Control{securityHub("CloudTrail.1"), checkov("CKV_AWS_67"), prowler("cloudtrail_multi_region_enabled")},
	Tags:             []string{"cloudtrail", "audit"},
	Resource: &policy.ResourceRule{
		Types: []string{ctTrail},
		Validate: func(c *policy.Check) {
			requireBool(c, "isMultiRegionTrail", true, false, "set isMultiRegionTrail = true")
		},
	},
}

var cloudtrailLogValidation = &policy.Policy{
	Name:             "cloudtrail-log-validation",
	DisplayName:      "CloudTrail trails validate their log files",
	Description:      "CloudTrail trails enable log file validation (enableLogFileValidation = true), so a deleted or altered audit record is detectable. Mandatory: audit logs that can be rewritten unnoticed prove nothing.",
	Severity:         policy.High,
	EnforcementLevel: policy.Mandatory,
	RemediationSteps: "Set enable_log_file_validation = True.",
	URL:              docsURL + "cloudtrail-log-validation",
	Controls:         []policy.Control{securityHub("CloudTrail.4"), checkov("CKV_AWS_36"), prowler("cloudtrail_log_file_validation_enabled")},
	Tags:             []string{"cloudtrail", "audit", "integrity"},
	Resource: &policy.ResourceRule{
		Types: []string{ctTrail},
		Validate: func(c *policy.Check) {
			requireBool(c, "enableLogFileValidation", true, false, "set enableLogFileValidation = true")
		},
	},
}

var cloudtrailKMS = &policy.Policy{
	Name:             "cloudtrail-kms",
	DisplayName:      "CloudTrail trails encrypt with KMS",
	Description:      "CloudTrail trails encrypt their log files with a customer managed KMS key (kmsKeyId). Advisory: S3 encrypts them with SSE-S3 otherwise.",
	Severity:         policy.Medium,
	EnforcementLevel: policy.Advisory,
	RemediationSteps: "Set kms_key_id to a customer managed KMS key whose policy lets cloudtrail.amazonaws.com encrypt.",
	URL:              docsURL + "cloudtrail-kms",
	Controls:         []policy.Control{securityHub("CloudTrail.2"), checkov("CKV_AWS_35"), prowler("cloudtrail_kms_encryption_enabled")},
	Tags:             []string{"cloudtrail", "audit", "encryption", "kms"},
	Resource: &policy.ResourceRule{
		Types:    []string{ctTrail},
		Validate: func(c *policy.Check) { requireString(c, "kmsKeyId", "set kmsKeyId to a customer managed KMS key ARN") },
	},
}

type dataEventsConfig struct {
	Tags map[string][]string `json:"dataBucketTags"`
}

// s3ObjectType is the CloudTrail resource type of S3 object-level events.
const s3ObjectType = "AWS::S3::Object"

// s3ARNPrefix is an S3 ARN's prefix in any partition, "" when v is none.
func s3ARNPrefix(v string) (rest string, ok bool) {
	if !strings.HasPrefix(v, "arn:") {
		return "", false
	}
	_, after, found := strings.Cut(v[len("arn:"):], ":s3:")
	if !found {
		return "", false
	}
	return strings.TrimPrefix(after, "::"), true
}

// coversBucket reports whether an S3 ARN prefix a selector names covers the
// bucket: every bucket ("arn:aws:s3", "arn:aws:s3:::") or this one. Without
// the bucket's name (unknown at preview) only the first can be decided.
func coversBucket(value, bucket string) (covers, decided bool) {
	rest, ok := s3ARNPrefix(value + ":")
	if !ok {
		return false, true
	}
	rest = strings.TrimSuffix(rest, ":")
	if rest == "" {
		return true, true
	}
	if bucket == "" {
		return false, false
	}
	name, _, _ := strings.Cut(rest, "/")
	return name == bucket, true
}

// trailLogsDataEvents reports whether trail t logs S3 data events on bucket,
// and whether that could be decided.
func trailLogsDataEvents(t *policy.Resource, bucket string) (logs, decided bool) {
	decided = true
	sel, adv := t.Get("eventSelectors"), t.Get("advancedEventSelectors")
	if sel.HasUnknown() || adv.HasUnknown() {
		return false, false
	}
	for _, s := range sel.Elems() {
		for _, d := range s.Get("dataResources").Elems() {
			if str(d.Get("type")) != s3ObjectType {
				continue
			}
			for _, v := range d.Get("values").Elems() {
				c, ok := coversBucket(str(v), bucket)
				if c {
					return true, true
				}
				decided = decided && ok
			}
		}
	}
	for _, s := range adv.Elems() {
		data, objects, arns := false, false, []policy.Value(nil)
		for _, f := range s.Get("fieldSelectors").Elems() {
			switch str(f.Get("field")) {
			case "eventCategory":
				data = anyEqual(f.Get("equals"), "Data")
			case "resources.type":
				objects = anyEqual(f.Get("equals"), s3ObjectType)
			case "resources.ARN":
				arns = append(arns, f.Get("startsWiths").Elems()...)
			}
		}
		if !data || !objects {
			continue
		}
		if len(arns) == 0 {
			return true, true
		}
		for _, v := range arns {
			c, ok := coversBucket(str(v), bucket)
			if c {
				return true, true
			}
			decided = decided && ok
		}
	}
	return false, decided
}

func anyEqual(list policy.Value, want string) bool {
	for _, e := range list.Elems() {
		if str(e) == want {
			return true
		}
	}
	return false
}

var cloudtrailS3DataEvents = &policy.Policy{
	Name:        "cloudtrail-s3-data-events",
	DisplayName: "CloudTrail records object access to training-data buckets",
	Description: "When the stack has CloudTrail trails, one of them logs S3 data events (eventSelectors dataResources of type AWS::S3::Object, or advanced event selectors for Data events on AWS::S3::Object) covering every training-data bucket: a bucket whose tags (its own or the provider's default tags) match dataBucketTags. " +
		"Advisory: data events cost per event, and an organization trail outside the stack may record them.",
	Severity:         policy.Medium,
	EnforcementLevel: policy.Advisory,
	RemediationSteps: "Add event_selectors=[{\"read_write_type\": \"All\", \"include_management_events\": True, \"data_resources\": [{\"type\": \"AWS::S3::Object\", \"values\": [bucket.arn.apply(lambda a: a + \"/\")]}]}] to the trail.",
	URL:              docsURL + "cloudtrail-s3-data-events",
	Controls:         []policy.Control{awsConfig("CLOUDTRAIL_S3_DATAEVENTS_ENABLED"), prowler("cloudtrail_s3_dataevents_write_enabled")},
	Tags:             []string{"cloudtrail", "audit", "s3", "training-data"},
	Config: policy.ConfigFor[dataEventsConfig](map[string]policy.Schema{
		"dataBucketTags": {"type": "object", "additionalProperties": map[string]any{"type": "array", "items": map[string]any{"type": "string"}, "minItems": 1},
			"default":     map[string][]string{"data-classification": {"confidential", "restricted"}},
			"description": "Tags that mark a training-data bucket: a bucket carrying any key with one of its values."},
	}),
	Stack: func(c *policy.StackCheck) {
		trails := c.OfType(ctTrail)
		if len(trails) == 0 {
			return // the account's trail lives elsewhere, if anywhere: not this stack's to show
		}
		want := policy.ConfigOf[dataEventsConfig](c).Tags
		for _, b := range c.OfType(s3Bucket) {
			tags, ok := effectiveTags(b)
			if !ok || !taggedAs(tags, want) {
				continue
			}
			name := str(b.Get(bucketNameProp))
			logged, undecided := false, false
			for _, t := range trails {
				l, d := trailLogsDataEvents(t, name)
				logged, undecided = logged || l, undecided || !d
			}
			switch {
			case logged:
			case undecided:
				c.NotApplicable(fmt.Sprintf("%s %q: its name or a trail's event selectors are unknown", b.Type, b.Name))
			default:
				c.Violatef(b, b.Get(bucketNameProp), "holds training data (by its tags), and no CloudTrail trail of the stack logs S3 data events on it; add a data resource of type AWS::S3::Object for it")
			}
		}
	},
}

// taggedAs reports whether a tag set has one of the keys with one of its values.
func taggedAs(tags *tagSet, want map[string][]string) bool {
	for key, values := range want {
		if t, ok := tags.get(key); ok && contains(values, strings.TrimSpace(t.valueString())) {
			return true
		}
	}
	return false
}
