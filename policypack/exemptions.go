package policypack

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/mlguard/mlguard/policy"
)

// Exemptions are tags on the resource itself (never the provider's default
// tags, which would exempt everything). Two spellings:
//
//	mlguard-exemption = "<policy>:<YYYY-MM-DD>:<reason>[;<policy>:<YYYY-MM-DD>:<reason>...]"
//	mlguard-exemption:<policy> = "<YYYY-MM-DD>:<reason>"
//
// The second exists because some AWS services (S3 among them) refuse ";" in
// tag values. The date is the last day the exemption holds (UTC, inclusive).
// A valid, unexpired exemption turns that policy's violations on the resource
// into advisory notes; an expired or malformed one is an exemption-valid
// violation. exemption-valid itself cannot be exempted.

// DefaultExemptionTagKey is the exemption tag's key unless exemption-valid's
// tagKey says otherwise.
const DefaultExemptionTagKey = "mlguard-exemption"

// now is the clock exemptions expire by; tests replace it.
var now = time.Now

// exemptionConfig is exemption-valid's configuration, which exempt reads too.
type exemptionConfig struct {
	TagKey string `json:"tagKey"`
}

// tagKey is the configured key, or the default for a nil config.
func (c *exemptionConfig) tagKey() string {
	if c == nil || c.TagKey == "" {
		return DefaultExemptionTagKey
	}
	return c.TagKey
}

// knownPolicies is filled in init: a var initializer would be a cycle.
var knownPolicies = map[string]bool{}

func init() {
	for _, p := range policies() {
		knownPolicies[p.Name] = true
	}
}

const exemptionValidName = "exemption-valid"

func exemptionPolicies() []*policy.Policy { return []*policy.Policy{exemptionValid} }

// exemption is one parsed entry.
type exemption struct {
	tag     policy.Value // the tag value it came from, for messages
	policy  string
	until   time.Time // the first instant it no longer holds
	date    string
	reason  string
	problem string // non-empty when malformed
}

// parseExemptions reads the exemption entries of a resource's tags; ok is
// false when tags is unknown.
func parseExemptions(r *policy.Resource, key string) (out []exemption, ok bool) {
	tags := r.Get("tags")
	if tags.IsUnknown() {
		return nil, false
	}
	prefix := key + ":"
	var keys []string // only the exemption tags, sorted: most resources have none
	for k := range tags.Fields() {
		if k == key || strings.HasPrefix(k, prefix) {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	for _, k := range keys {
		v := tags.Field(k)
		switch {
		case k == key:
			if v.HasUnknown() {
				continue
			}
			s, _ := v.Str()
			for _, entry := range strings.Split(s, ";") {
				if strings.TrimSpace(entry) == "" {
					continue
				}
				name, rest, found := strings.Cut(entry, ":")
				if !found {
					out = append(out, exemption{tag: v, problem: "an entry is not <policy>:<YYYY-MM-DD>:<reason>"})
					continue
				}
				out = append(out, parseEntry(v, strings.TrimSpace(name), rest))
			}
		case strings.HasPrefix(k, prefix):
			if v.HasUnknown() {
				continue
			}
			s, _ := v.Str()
			out = append(out, parseEntry(v, strings.TrimSpace(strings.TrimPrefix(k, prefix)), s))
		}
	}
	return out, true
}

func parseEntry(v policy.Value, name, rest string) exemption {
	e := exemption{tag: v, policy: name}
	date, reason, _ := strings.Cut(rest, ":")
	e.date, e.reason = strings.TrimSpace(date), strings.TrimSpace(reason)
	switch {
	case name == "":
		e.problem = "an entry names no policy"
	case name == exemptionValidName:
		e.problem = "exemption-valid cannot be exempted"
	case !knownPolicies[name]:
		e.problem = fmt.Sprintf("an entry names %q, which is not a policy of this pack", name)
	default:
		d, err := time.Parse("2006-01-02", e.date)
		if err != nil {
			e.problem = fmt.Sprintf("the exemption of %s has no valid expiry date (want YYYY-MM-DD)", name)
		} else if e.reason == "" {
			e.problem = fmt.Sprintf("the exemption of %s gives no reason", name)
		}
		e.until = d.AddDate(0, 0, 1)
	}
	return e
}

func (e exemption) expired() bool { return !now().UTC().Before(e.until) }

// exempt is the pack's Exempt hook: a valid, unexpired exemption naming the
// policy downgrades its violations on r to advisory. config is exemption-valid's.
func exempt(r *policy.Resource, p *policy.Policy, config any) policy.Exemption {
	if r == nil || p.Name == exemptionValidName {
		return policy.Exemption{}
	}
	cfg, _ := config.(*exemptionConfig)
	key := cfg.tagKey()
	// Parsed once per resource: a resource that breaks several policies is
	// asked about each.
	parsed := policy.Derived(r, "exemptions:"+key, func(r *policy.Resource) []exemption {
		entries, _ := parseExemptions(r, key)
		return entries
	})
	for _, e := range parsed {
		if e.policy != p.Name || e.problem != "" || e.expired() {
			continue
		}
		date, reason := e.date, e.reason
		if e.tag.IsSecret() { // no part of a secret tag is shown
			date, reason = "[secret]", "[secret]"
		}
		return policy.Exemption{Granted: true, Note: fmt.Sprintf("tag %s exempts it until %s: %s", key, date, reason)}
	}
	return policy.Exemption{}
}

var exemptionValid = &policy.Policy{
	Name:             exemptionValidName,
	DisplayName:      "Exemptions are well-formed and current",
	Description:      "Exemption tags (mlguard-exemption) name a policy of the pack, an expiry date (YYYY-MM-DD) and a reason, and have not expired.",
	Severity:         policy.Medium,
	EnforcementLevel: policy.Mandatory,
	RemediationSteps: "Fix the tag to <policy>:<YYYY-MM-DD>:<reason> (entries separated by ;, or one tag mlguard-exemption:<policy> = <YYYY-MM-DD>:<reason> per policy); renew an expired exemption with a new date after review, or remove it and fix the resource.",
	URL:              docsURL + "exemption-valid",
	Tags:             []string{"exemptions", "governance"},
	Config: policy.ConfigFor[exemptionConfig](map[string]policy.Schema{
		"tagKey": {"type": "string", "pattern": "^[A-Za-z0-9_.@+=/-]{1,100}$", "default": DefaultExemptionTagKey,
			"description": "The tag key that carries exemptions (also the prefix of the per-policy form <tagKey>:<policy>)."},
	}),
	Resource: &policy.ResourceRule{
		Validate: func(c *policy.Check) {
			if !taggable(c.Resource) {
				return // no tags, so no exemption tag
			}
			entries, ok := parseExemptions(c.Resource, policy.ConfigOf[exemptionConfig](c).tagKey())
			if !ok {
				c.NotApplicable("tags is unknown")
				return
			}
			for _, e := range entries {
				switch {
				case e.tag.IsSecret() && (e.problem != "" || e.expired()):
					c.Violatef(e.tag, "is %s and holds a malformed or expired exemption; write <policy>:<YYYY-MM-DD>:<reason> with a future date", e.tag.Display())
				case e.problem != "":
					c.Violatef(e.tag, "%s; write <policy>:<YYYY-MM-DD>:<reason>", e.problem)
				case e.expired():
					c.Violatef(e.tag, "the exemption of %s expired on %s; renew it after review or remove it", e.policy, e.date)
				}
			}
		},
	},
}
