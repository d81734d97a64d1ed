// Package testpack is a pack for testing the runtime: one policy per
// behaviour the protocol asks for, including a deliberately faulty rule.
package testpack

import (
	"fmt"
	"regexp"

	"github.com/mlguard/mlguard/policy"
)

const (
	Bucket = "test:index:Bucket"
	Other  = "test:index:Other"
)

// NameConfig is the config of the "named" and "one-bucket" policies.
type NameConfig struct {
	Pattern  string `json:"pattern"`
	MaxItems int    `json:"maxItems"`
}

func (c *NameConfig) Validate() error {
	if _, err := regexp.Compile(c.Pattern); err != nil {
		return &policy.FieldError{Field: "pattern", Problem: "is not a valid regular expression"}
	}
	return nil
}

// Pack returns the test pack. Its default level is advisory.
func Pack() *policy.Pack {
	return &policy.Pack{
		Name:             "testpack",
		Version:          "1.2.3",
		Description:      "runtime test pack",
		EnforcementLevel: policy.Advisory,
		Policies: []*policy.Policy{
			{
				Name: "versioned", Description: "buckets are versioned", Severity: policy.High,
				EnforcementLevel: policy.Mandatory, RemediationSteps: "set versioned", URL: "https://example.com/versioned",
				Tags: []string{"s3"}, Framework: &policy.Framework{Name: "cis", Version: "1.4", Reference: "2.1.3"},
				Resource: &policy.ResourceRule{Types: []string{Bucket}, Validate: func(c *policy.Check) {
					v, ok := c.Known("versioned")
					if !ok {
						return
					}
					if b, _ := v.Bool(); !b {
						c.Violatef(v, "not versioned (is %s); set versioned = true", v.Display())
					}
				}},
			},
			{
				// No level of its own: inherits the pack's advisory.
				Name: "named", Description: "names match a pattern", Severity: policy.Low,
				Config: policy.ConfigFor[NameConfig](map[string]policy.Schema{
					"pattern":  {"type": "string", "default": "^[a-z-]+$"},
					"maxItems": {"type": "integer", "minimum": 1, "default": 3},
				}),
				Resource: &policy.ResourceRule{Types: []string{Bucket}, Validate: func(c *policy.Check) {
					cfg := policy.ConfigOf[NameConfig](c)
					v, ok := c.Known("name")
					if !ok {
						return
					}
					// Deliberately prints the raw value: the runtime must scrub secrets.
					if s, _ := v.Str(); !regexp.MustCompile(cfg.Pattern).MatchString(s) {
						c.Violatef(v, "name %q does not match %s", s, cfg.Pattern)
					}
				}},
			},
			{
				Name: "tagged", Description: "resources carry an owner tag", Severity: policy.Medium,
				EnforcementLevel: policy.Remediate,
				Resource: &policy.ResourceRule{
					Validate: func(c *policy.Check) {
						v, ok := c.Known("tags.owner")
						if ok && v.IsAbsent() {
							c.Violatef(v, "no owner tag")
						}
					},
					Remediate: func(f *policy.Fix) {
						v, ok := f.Known("tags")
						if !ok || v.Kind() == policy.String {
							return // unknown, or a shape we cannot fix: Analyze reports it
						}
						if f.Get("tags.owner").IsAbsent() {
							if err := f.Set("tags.owner", "platform"); err != nil {
								panic(err)
							}
						}
					},
				},
			},
			{
				Name: "never", Description: "disabled by default", Severity: policy.Low,
				EnforcementLevel: policy.Disabled,
				Resource: &policy.ResourceRule{Validate: func(c *policy.Check) {
					c.Violatef(c.Get(""), "the disabled policy ran")
				}},
			},
			{
				Name: "faulty", Description: "panics on buckets named boom", Severity: policy.Low,
				EnforcementLevel: policy.Mandatory,
				Resource: &policy.ResourceRule{Types: []string{Bucket}, Validate: func(c *policy.Check) {
					if s, _ := c.Get("name").Str(); s == "boom" {
						var m map[string]int
						m["x"] = 1 // nil map write: a real panic
					}
					if s, _ := c.Get("name").Str(); s == "boom-secret" {
						panic(fmt.Sprintf("leaking %s", s))
					}
				}},
			},
			{
				Name: "one-bucket", Description: "at most N buckets in the stack", Severity: policy.Medium,
				EnforcementLevel: policy.Advisory,
				Config: policy.ConfigFor[NameConfig](map[string]policy.Schema{
					"pattern":  {"type": "string", "default": ".*"},
					"maxItems": {"type": "integer", "minimum": 1, "default": 1},
				}),
				Stack: func(c *policy.StackCheck) {
					buckets := c.OfType(Bucket)
					max := policy.ConfigOf[NameConfig](c).MaxItems
					for _, b := range buckets[min(max, len(buckets)):] {
						c.Violatef(b, policy.Value{}, "one bucket too many (max %d)", max)
					}
				},
			},
		},
	}
}
