package policypack

import (
	"errors"
	"fmt"
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/mlguard/mlguard/policy"
	"github.com/mlguard/mlguard/providers"
)

// Exemptions come from two places. The pack's configuration (exemption-valid's
// config, set by the platform team) grants central ones: an entry naming the
// stack or project, the resource, the policy, an expiry and a reason. Stack
// authors may exempt by a tag on the resource itself (never the provider's
// default tags, which would exempt everything), but only from the policies
// the configuration opens to tags (by default those of low or medium
// severity), and for at most maxDays from the day of the preview. Two
// spellings of the tag:
//
//	mlguard-exemption = "<policy>:<YYYY-MM-DD>:<reason>[;<policy>:<YYYY-MM-DD>:<reason>...]"
//	mlguard-exemption:<policy> = "<YYYY-MM-DD>:<reason>"
//
// The second exists because some AWS services (S3 among them) refuse ";" in
// tag values. The date is the last day the exemption holds (UTC, inclusive).
// A granted exemption turns that policy's violations on the resource into
// advisory notes naming who granted it, until when and why. A tag that is
// expired, malformed, on a policy not open to tags or longer than maxDays is
// an exemption-valid violation, and exempts nothing. exemption-valid itself
// cannot be exempted.

// DefaultExemptionTagKey is the exemption tag's key unless exemption-valid's
// tagKey says otherwise.
const DefaultExemptionTagKey = "mlguard-exemption"

// DefaultMaxExemptionDays is how long a tag exemption may run from the day
// of the preview unless exemption-valid's maxDays says otherwise.
const DefaultMaxExemptionDays = 90

// defaultTaggableSeverities are the severities open to tag exemptions unless
// exemption-valid's taggable.severities says otherwise.
var defaultTaggableSeverities = []string{string(policy.Low), string(policy.Medium)}

// now is the clock exemptions expire by; tests replace it.
var now = time.Now

// exemptionConfig is exemption-valid's configuration, which exempt reads too.
// Its zero value is the default configuration.
type exemptionConfig struct {
	TagKey   string             `json:"tagKey"`
	Taggable taggablePolicies   `json:"taggable"`
	Closed   []string           `json:"closed"`
	MaxDays  int                `json:"maxDays"`
	Central  []centralExemption `json:"central"`
}

// taggablePolicies opens policies to tag exemptions: a policy is open when
// any of the three names it.
type taggablePolicies struct {
	Policies   []string  `json:"policies"`
	Severities *[]string `json:"severities"` // nil: low and medium; empty: none
	Tags       []string  `json:"tags"`
}

// centralExemption is one exemption granted in the configuration.
type centralExemption struct {
	Stack   string `json:"stack"`
	Project string `json:"project"`
	URN     string `json:"urn"`
	Type    string `json:"type"`
	Name    string `json:"name"` // a glob: * any run of characters, ? one
	Policy  string `json:"policy"`
	Expires string `json:"expires"`
	Reason  string `json:"reason"`
	Ticket  string `json:"ticket"`

	field string         // where it is in the config, e.g. central[2]
	until time.Time      // the first instant it no longer holds
	name  *regexp.Regexp // Name compiled
}

// exemptionSettings is config as exemption-valid's, the defaults for nil.
func exemptionSettings(config any) *exemptionConfig {
	if c, ok := config.(*exemptionConfig); ok && c != nil {
		return c
	}
	return &exemptionConfig{}
}

// tagKey is the configured key, or the default.
func (c *exemptionConfig) tagKey() string {
	if c.TagKey == "" {
		return DefaultExemptionTagKey
	}
	return c.TagKey
}

func (c *exemptionConfig) maxDays() int {
	if c.MaxDays <= 0 {
		return DefaultMaxExemptionDays
	}
	return c.MaxDays
}

// openToTags reports whether a tag may exempt a resource from p; closed wins.
func (c *exemptionConfig) openToTags(p *policy.Policy) bool {
	if p.Name == exemptionValidName || contains(c.Closed, p.Name) {
		return false
	}
	severities := defaultTaggableSeverities
	if c.Taggable.Severities != nil {
		severities = *c.Taggable.Severities
	}
	if contains(c.Taggable.Policies, p.Name) || contains(severities, string(p.Severity)) {
		return true
	}
	for _, t := range p.Tags {
		if contains(c.Taggable.Tags, t) {
			return true
		}
	}
	return false
}

// lastTagDay is the last day a tag exemption may name, from today.
func (c *exemptionConfig) lastTagDay() time.Time {
	return today().AddDate(0, 0, c.maxDays())
}

// today is the day of the preview, UTC.
func today() time.Time {
	y, m, d := now().UTC().Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// Validate checks what the schema cannot: policy names, dates, patterns and
// the shape of central entries. Every problem is reported, each naming its field.
func (c *exemptionConfig) Validate() error {
	var problems []string
	bad := func(field, format string, args ...any) {
		problems = append(problems, (&policy.FieldError{Field: field, Problem: fmt.Sprintf(format, args...)}).Error())
	}
	for i, name := range c.Taggable.Policies {
		name = currentName(name)
		c.Taggable.Policies[i] = name
		field := fmt.Sprintf("taggable.policies[%d]", i)
		if name == exemptionValidName {
			bad(field, "exemption-valid cannot be exempted")
		} else if knownPolicies[name] == nil {
			bad(field, "%q is not a policy of this pack", name)
		}
	}
	for i, tag := range c.Taggable.Tags {
		if !policyTags[tag] {
			bad(fmt.Sprintf("taggable.tags[%d]", i), "%q is the tag of no policy of this pack", tag)
		}
	}
	for i, name := range c.Closed {
		c.Closed[i] = currentName(name)
		if knownPolicies[c.Closed[i]] == nil {
			bad(fmt.Sprintf("closed[%d]", i), "%q is not a policy of this pack", name)
		}
	}
	for i := range c.Central {
		e := &c.Central[i]
		e.field = fmt.Sprintf("central[%d]", i)
		switch {
		case e.URN == "" && e.Type == "":
			bad(e.field, "names no resource: give urn, or type and name")
		case e.URN != "" && (e.Type != "" || e.Name != ""):
			bad(e.field, "names the resource twice: give urn, or type and name, not both")
		case e.URN == "" && e.Stack == "" && e.Project == "":
			bad(e.field, "names no stack or project: give stack, project or both (a urn names both itself)")
		case e.Type != "" && e.Name == "":
			bad(e.field+".name", "is required with type (\"*\" for every resource of the type)")
		}
		if e.Name != "" {
			e.name = globPattern(e.Name)
		}
		e.Policy = currentName(e.Policy)
		if e.Policy == exemptionValidName {
			bad(e.field+".policy", "exemption-valid cannot be exempted")
		} else if knownPolicies[e.Policy] == nil {
			bad(e.field+".policy", "%q is not a policy of this pack", e.Policy)
		}
		if d, err := time.Parse("2006-01-02", e.Expires); err != nil {
			bad(e.field+".expires", "%q is not a date (want YYYY-MM-DD)", e.Expires)
		} else {
			e.until = d.AddDate(0, 0, 1)
		}
		if strings.TrimSpace(e.Reason) == "" {
			bad(e.field+".reason", "must not be blank: say why the resource is exempted")
		}
	}
	if len(problems) == 0 {
		return nil
	}
	return errors.New(strings.Join(problems, "; "))
}

// globPattern compiles a name pattern: * is any run of characters, ? one.
func globPattern(glob string) *regexp.Regexp {
	var b strings.Builder
	b.WriteString("^")
	for _, r := range glob {
		switch r {
		case '*':
			b.WriteString(".*")
		case '?':
			b.WriteString(".")
		default:
			b.WriteString(regexp.QuoteMeta(string(r)))
		}
	}
	b.WriteString("$")
	return regexp.MustCompile(b.String())
}

// matches reports whether e exempts r in stack from the named policy.
func (e *centralExemption) matches(r *policy.Resource, policyName string, stack *policy.Stack) bool {
	if e.Policy != policyName || stack == nil && (e.Stack != "" || e.Project != "") {
		return false
	}
	if e.Stack != "" && e.Stack != stack.Name || e.Project != "" && e.Project != stack.Project {
		return false
	}
	if e.URN != "" {
		return e.URN == r.URN
	}
	// A type names its kind: any token of it (another major's, an API version).
	return (e.Type == r.Type || providers.Kind(e.Type) == r.Kind) && e.name != nil && e.name.MatchString(r.Name)
}

// note says who granted e, until when and why.
func (e *centralExemption) note() string {
	ticket := ""
	if e.Ticket != "" {
		ticket = ", ticket " + e.Ticket
	}
	return fmt.Sprintf("config exemption-valid.%s%s exempts it until %s: %s", e.field, ticket, e.Expires, e.Reason)
}

// knownPolicies and policyTags are filled in init: a var initializer would be a cycle.
var (
	knownPolicies = map[string]*policy.Policy{}
	policyTags    = map[string]bool{}
)

func init() {
	for _, p := range policies() {
		knownPolicies[p.Name] = p
		for _, t := range p.Tags {
			policyTags[t] = true
		}
	}
}

const exemptionValidName = "exemption-valid"

func exemptionPolicies() []*policy.Policy { return []*policy.Policy{exemptionValid} }

// exemption is one parsed entry of a tag.
type exemption struct {
	tag     policy.Value // the tag value it came from, for messages
	keyed   bool         // the policy is named in the tag's key (never secret), not its value
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
		if v.HasUnknown() {
			continue
		}
		s, _ := v.Str()
		if k != key {
			e := parseEntry(v, strings.TrimSpace(strings.TrimPrefix(k, prefix)), s)
			e.keyed = true
			out = append(out, e)
			continue
		}
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
	}
	return out, true
}

// currentName is the policy a name stands for now: a renamed policy's
// successor, else the name itself.
func currentName(name string) string {
	if now, ok := renamedS3[name]; ok {
		return now
	}
	return name
}

func parseEntry(v policy.Value, name, rest string) exemption {
	name = currentName(name)
	e := exemption{tag: v, policy: name}
	date, reason, _ := strings.Cut(rest, ":")
	e.date, e.reason = strings.TrimSpace(date), strings.TrimSpace(reason)
	switch {
	case name == "":
		e.problem = "an entry names no policy"
	case name == exemptionValidName:
		e.problem = "exemption-valid cannot be exempted"
	case knownPolicies[name] == nil:
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

// tagVerdict is what the configuration makes of one tag entry.
type tagVerdict int

const (
	tagHonoured  tagVerdict = iota
	tagMalformed            // e.problem says how
	tagExpired
	tagClosed  // its policy is not open to tag exemptions
	tagTooLong // it runs past maxDays from today
)

func (e exemption) verdict(cfg *exemptionConfig) tagVerdict {
	switch {
	case e.problem != "":
		return tagMalformed
	case !now().UTC().Before(e.until):
		return tagExpired
	case !cfg.openToTags(knownPolicies[e.policy]):
		return tagClosed
	case e.until.After(cfg.lastTagDay().AddDate(0, 0, 1)):
		return tagTooLong
	}
	return tagHonoured
}

// shown is what messages may say of the entry's policy, date and reason:
// no part of a secret tag value (a policy named in the key is not part of it).
func (e exemption) shown() (name, date, reason string) {
	if !e.tag.IsSecret() {
		return e.policy, e.date, e.reason
	}
	if e.keyed {
		return e.policy, "[secret]", "[secret]"
	}
	return "a policy", "[secret]", "[secret]"
}

// howToAsk is what a refused tag's messages tell the stack author to do.
const howToAsk = "ask the platform team for a central exemption (an entry of exemption-valid's \"central\" config naming this stack, the resource, the policy, an expiry and a reason), or fix the resource"

// exempt is the pack's Exempt hook. A central exemption of the configuration
// for this stack and resource is granted first; else a tag the configuration
// honours. Refused and expired ones leave the violation standing, with a note.
func exempt(r *policy.Resource, p *policy.Policy, config any, stack *policy.Stack) policy.Exemption {
	if r == nil || p.Name == exemptionValidName {
		return policy.Exemption{}
	}
	cfg := exemptionSettings(config)
	var lapsed *centralExemption
	for i := range cfg.Central {
		e := &cfg.Central[i]
		if !e.matches(r, p.Name, stack) {
			continue
		}
		if now().UTC().Before(e.until) {
			return policy.Exemption{Granted: true, Note: e.note(), By: "config"}
		}
		if lapsed == nil {
			lapsed = e
		}
	}
	key := cfg.tagKey()
	// Parsed once per resource: a resource that breaks several policies is
	// asked about each.
	parsed := policy.Derived(r, "exemptions:"+key, func(r *policy.Resource) []exemption {
		if !taggable(r) {
			return nil // no tags, so no exemption tag
		}
		entries, _ := parseExemptions(r, key)
		return entries
	})
	refused := ""
	for _, e := range parsed {
		if e.policy != p.Name {
			continue
		}
		_, date, reason := e.shown()
		switch e.verdict(cfg) {
		case tagHonoured:
			return policy.Exemption{Granted: true, Note: fmt.Sprintf("tag %s exempts it until %s: %s", key, date, reason), By: "tag"}
		case tagExpired:
			refused = fmt.Sprintf("tag %s expired on %s", key, date)
		case tagClosed:
			refused = fmt.Sprintf("tag %s is refused: %s is not open to tag exemptions (see exemption-valid)", key, p.Name)
		case tagTooLong:
			refused = fmt.Sprintf("tag %s is refused: it runs past %s, the limit of %d days", key, cfg.lastTagDay().Format("2006-01-02"), cfg.maxDays())
		}
	}
	switch {
	case refused != "":
		return policy.Exemption{Note: refused}
	case lapsed != nil:
		return policy.Exemption{Note: fmt.Sprintf("config exemption-valid.%s expired on %s", lapsed.field, lapsed.Expires)}
	}
	return policy.Exemption{}
}

// centralEntrySchema is one entry of exemption-valid's central config.
var centralEntrySchema = policy.Schema{
	"type":                 "object",
	"additionalProperties": false,
	"required":             []string{"policy", "expires", "reason"},
	"properties": map[string]policy.Schema{
		"stack":   {"type": "string", "minLength": 1, "description": "The stack it is granted to (its short name, as in `pulumi stack ls`)."},
		"project": {"type": "string", "minLength": 1, "description": "The project it is granted to."},
		"urn":     {"type": "string", "pattern": "^urn:pulumi:", "description": "The resource's URN (it names stack and project itself)."},
		"type":    {"type": "string", "minLength": 1, "description": "The resource's type token, with name."},
		"name":    {"type": "string", "minLength": 1, "description": "The resource's logical name, a pattern: * any run of characters, ? one."},
		"policy":  {"type": "string", "minLength": 1, "description": "The policy it exempts the resource from."},
		"expires": {"type": "string", "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$", "description": "The last day it holds (YYYY-MM-DD, UTC, inclusive)."},
		"reason":  {"type": "string", "minLength": 1, "description": "Why, shown on every exempted violation."},
		"ticket":  {"type": "string", "description": "The approval's reference (ticket, change request)."},
	},
}

var severityNames = []string{string(policy.Low), string(policy.Medium), string(policy.High), string(policy.Critical)}

var exemptionValid = &policy.Policy{
	Name:             exemptionValidName,
	DisplayName:      "Exemptions are well-formed, current and allowed",
	Description:      "Exemption tags (mlguard-exemption) name a policy of the pack that the configuration opens to tag exemptions, an expiry date (YYYY-MM-DD) within the configured maximum and a reason, and have not expired.",
	Severity:         policy.Medium,
	EnforcementLevel: policy.Mandatory,
	RemediationSteps: "Fix the tag to <policy>:<YYYY-MM-DD>:<reason> (entries separated by ;, or one tag mlguard-exemption:<policy> = <YYYY-MM-DD>:<reason> per policy) with a date within the maximum (90 days by default); renew an expired exemption with a new date after review, or remove it and fix the resource. A policy not open to tags (by default those of high or critical severity) can only be exempted centrally: ask the platform team for an entry in exemption-valid's central config.",
	URL:              docsURL + "exemption-valid",
	Tags:             []string{"exemptions", "governance"},
	Config: policy.ConfigFor[exemptionConfig](map[string]policy.Schema{
		"tagKey": {"type": "string", "pattern": "^[A-Za-z0-9_.@+=/-]{1,100}$", "default": DefaultExemptionTagKey,
			"description": "The tag key that carries exemptions (also the prefix of the per-policy form <tagKey>:<policy>)."},
		"taggable": {"type": "object", "additionalProperties": false, "default": map[string]any{"severities": defaultTaggableSeverities},
			"description": "The policies a tag may exempt from: those named in policies, of a severity in severities (low and medium when absent) or carrying one of tags.",
			"properties": map[string]policy.Schema{
				"policies":   {"type": "array", "items": policy.Schema{"type": "string"}, "uniqueItems": true},
				"severities": {"type": "array", "items": policy.Schema{"type": "string", "enum": severityNames}, "uniqueItems": true},
				"tags":       {"type": "array", "items": policy.Schema{"type": "string"}, "uniqueItems": true},
			}},
		"closed": {"type": "array", "items": policy.Schema{"type": "string"}, "uniqueItems": true, "default": []string{},
			"description": "Policies no tag may exempt from, whatever taggable says."},
		"maxDays": {"type": "integer", "minimum": 1, "maximum": 3650, "default": DefaultMaxExemptionDays,
			"description": "The longest a tag exemption may run, in days from the day of the preview."},
		"central": {"type": "array", "items": centralEntrySchema, "default": []any{},
			"description": "Exemptions granted without a tag: each names stack and/or project, the resource (urn, or type and name), policy, expires and reason (ticket optional)."},
	}),
	Resource: &policy.ResourceRule{
		Validate: func(c *policy.Check) {
			if !taggable(c.Resource) {
				return // no tags, so no exemption tag
			}
			cfg := policy.ConfigOf[exemptionConfig](c)
			entries, ok := parseExemptions(c.Resource, cfg.tagKey())
			if !ok {
				c.NotApplicable("tags is unknown")
				return
			}
			for _, e := range entries {
				name, date, _ := e.shown()
				secret := e.tag.IsSecret()
				switch v := e.verdict(cfg); {
				case secret && (v == tagMalformed || v == tagExpired):
					c.Violatef(e.tag, "is %s and holds a malformed or expired exemption; write <policy>:<YYYY-MM-DD>:<reason> with a future date", e.tag.Display())
				case v == tagMalformed:
					c.Violatef(e.tag, "%s; write <policy>:<YYYY-MM-DD>:<reason>", e.problem)
				case v == tagExpired:
					c.Violatef(e.tag, "the exemption of %s expired on %s; renew it after review or remove it", name, date)
				case v == tagClosed:
					c.Violatef(e.tag, "exempts %s, which the pack's configuration does not open to tag exemptions (by default only policies of low or medium severity are), so its violations stand; %s", name, howToAsk)
				case v == tagTooLong:
					c.Violatef(e.tag, "the exemption of %s runs until %s, longer than the limit of %d days from today (the latest allowed is %s); shorten it, or %s",
						name, date, cfg.maxDays(), cfg.lastTagDay().Format("2006-01-02"), howToAsk)
				}
			}
		},
	},
}
