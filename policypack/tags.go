package policypack

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/mlguard/mlguard/policy"
	"github.com/mlguard/mlguard/providers"
)

func tagPolicies() []*policy.Policy { return []*policy.Policy{requiredTags} }

type tagsConfig struct {
	RequiredKeys  []string            `json:"requiredKeys"`
	AllowedValues map[string][]string `json:"allowedValues"`
	DefaultValues map[string]string   `json:"defaultValues"`
}

// Validate refuses defaults the rule itself would reject.
func (c *tagsConfig) Validate() error {
	keys := make([]string, 0, len(c.DefaultValues))
	for k := range c.DefaultValues {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		d := c.DefaultValues[k]
		if strings.TrimSpace(d) == "" {
			return fmt.Errorf("field %q: a default tag value must not be blank", "defaultValues."+k)
		}
		if allowed, ok := c.AllowedValues[k]; ok && !contains(allowed, d) {
			return fmt.Errorf("field %q: %q is not one of allowedValues.%s (%s)", "defaultValues."+k, d, k, strings.Join(allowed, ", "))
		}
	}
	return nil
}

// taggable decides whether required-tags applies to r: its type takes tags
// in the provider major it was written against, as the providers' schemas
// say (package providers).
func taggable(r *policy.Resource) bool { return providers.Taggable(r) }

// tagValue is one effective tag and where it came from.
type tagValue struct {
	v      policy.Value // when from the resource
	s      string
	secret bool
	source string // "tags", "tagsAll" or "the provider's defaultTags"
}

// at is where a finding about the tag points: the tag itself, or for a
// provider default, where the tag would go on the resource.
func (t tagValue) at(c *policy.Check, key string) policy.Value {
	if t.source == "tags" || t.source == "tagsAll" {
		return t.v
	}
	return c.Get("tags").Field(key)
}

func (t tagValue) unknown() bool { return t.v.HasUnknown() }

func (t tagValue) display() string {
	if t.source == "tags" || t.source == "tagsAll" {
		return t.v.Display()
	}
	if t.secret {
		return "[secret]"
	}
	return strconv.Quote(t.s)
}

// tagSet is what a resource's tags add up to: tags over tagsAll over the
// AWS provider's default tags. Keys are looked up rather than merged into a
// map: a rule asks for a handful of keys, on every resource of the stack.
type tagSet struct {
	tags, all policy.Value        // objects, or absent
	defaults  map[string]tagValue // the provider's defaultTags
	fold      bool                // Azure tag names are case-insensitive
	open      bool                // the provider's default tags are unknown: a missing key may come from there
}

func (s *tagSet) get(key string) (tagValue, bool) {
	if t, ok := s.exact(key); ok || !s.fold {
		return t, ok
	}
	return s.folded(key)
}

func (s *tagSet) exact(key string) (tagValue, bool) {
	if v := s.tags.Field(key); v.Kind() != policy.Missing {
		return tagValue{v: v, source: "tags"}, true
	}
	if v := s.all.Field(key); v.Kind() != policy.Missing {
		return tagValue{v: v, source: "tagsAll"}, true
	}
	t, ok := s.defaults[key]
	return t, ok
}

// folded finds key ignoring case, in the same order of precedence.
func (s *tagSet) folded(key string) (tagValue, bool) {
	for _, k := range s.tags.Keys() {
		if strings.EqualFold(k, key) {
			return tagValue{v: s.tags.Field(k), source: "tags"}, true
		}
	}
	for _, k := range s.all.Keys() {
		if strings.EqualFold(k, key) {
			return tagValue{v: s.all.Field(k), source: "tagsAll"}, true
		}
	}
	for k, t := range s.defaults {
		if strings.EqualFold(k, key) {
			return t, true
		}
	}
	return tagValue{}, false
}

// effectiveTags gathers the provider's default tags (AWS), tagsAll and tags.
// ok is false when tags itself is unknown.
func effectiveTags(r *policy.Resource) (set *tagSet, ok bool) {
	set = &tagSet{fold: strings.HasPrefix(r.Type, "azure-native:")}
	tags := r.Get("tags")
	if tags.IsUnknown() {
		return nil, false
	}
	if tags.Kind() == policy.Object {
		set.tags = tags
	}
	if strings.HasPrefix(r.Type, "aws:") { // AWS merges provider default tags into tagsAll
		if all := r.Get("tagsAll"); all.Kind() == policy.Object { // unknown at preview: computed from the rest
			set.all = all
		}
		if r.Provider != nil {
			set.addProviderDefaults(r.Provider.Get("defaultTags"))
		}
	}
	return set, true
}

// addProviderDefaults reads defaultTags.tags of an AWS provider; the engine
// may send the nested config object as a JSON-encoded string. Each tag keeps
// its own secrecy: a secret value is judged, and displayed masked.
func (s *tagSet) addProviderDefaults(dt policy.Value) {
	if dt.HasUnknown() {
		s.open = true
		return
	}
	if dt.Kind() == policy.List { // a one-element list in some states
		dt = dt.Index(0)
	}
	switch dt.Kind() {
	case policy.String:
		doc, _ := decodeJSON(dt)
		s.addJSONDefaults(doc, dt.IsSecret())
	case policy.Object:
		tags := dt.Field("tags")
		if tags.Kind() == policy.String { // nested JSON once more
			doc, _ := decodeJSON(tags)
			s.addJSONDefaults(map[string]any{"tags": doc}, tags.IsSecret())
			return
		}
		for _, k := range tags.Keys() {
			v := tags.Field(k)
			str, _ := v.Str()
			s.addDefault(k, tagValue{s: str, secret: v.IsSecret(), source: "the provider's defaultTags"})
		}
	}
}

func (s *tagSet) addDefault(k string, t tagValue) {
	if s.defaults == nil {
		s.defaults = map[string]tagValue{}
	}
	s.defaults[k] = t
}

// addJSONDefaults reads defaultTags parsed from JSON text (secret as a whole or not at all).
func (s *tagSet) addJSONDefaults(doc any, secret bool) {
	if l, isList := doc.([]any); isList && len(l) > 0 {
		doc = l[0]
	}
	m, _ := doc.(map[string]any)
	tags := m["tags"]
	if enc, isStr := tags.(string); isStr { // nested JSON once more
		tags, _ = parseJSONString(enc)
	}
	tm, _ := tags.(map[string]any)
	for k, v := range tm {
		str, _ := v.(string)
		s.addDefault(k, tagValue{s: str, secret: secret, source: "the provider's defaultTags"})
	}
}

var requiredTags = &policy.Policy{
	Name:             "required-tags",
	DisplayName:      "Resources carry the governance tags",
	Description:      "Every taggable AWS and Azure resource carries the required tags (default owner, project, cost-center, data-classification) with non-blank values, from tags, tagsAll or the AWS provider's defaultTags, and values from allowedValues where configured.",
	Severity:         policy.Medium,
	EnforcementLevel: policy.Mandatory,
	RemediationSteps: "Add the missing tags to the resource's tags, or once to the AWS provider's default_tags. At the remediate level the pack fills missing tags from defaultValues when configured.",
	URL:              docsURL + "required-tags",
	Controls:         []policy.Control{awsConfig("REQUIRED_TAGS")},
	Tags:             []string{"tagging", "cost", "ownership", "data-classification"},
	Config: policy.ConfigFor[tagsConfig](map[string]policy.Schema{
		"requiredKeys": {"type": "array", "items": map[string]any{"type": "string", "minLength": 1}, "uniqueItems": true,
			"default":     []string{"owner", "project", "cost-center", "data-classification"},
			"description": "Tag keys every taggable resource must carry (exact; case-insensitive on Azure)."},
		"allowedValues": {"type": "object", "additionalProperties": map[string]any{"type": "array", "items": map[string]any{"type": "string"}, "minItems": 1},
			"default":     map[string][]string{"data-classification": {"public", "internal", "confidential", "restricted"}},
			"description": "For some keys, the values allowed (exact match)."},
		"defaultValues": {"type": "object", "additionalProperties": map[string]any{"type": "string", "minLength": 1},
			"default":     map[string]string{},
			"description": "Values the remediation writes for missing required tags (none by default: the remediation does nothing)."},
	}),
	Resource: &policy.ResourceRule{
		Types: nil, // every resource: taggable decides
		Validate: func(c *policy.Check) {
			if !taggable(c.Resource) {
				return
			}
			cfg := policy.ConfigOf[tagsConfig](c)
			set, ok := effectiveTags(c.Resource)
			if !ok {
				c.NotApplicable("tags is unknown")
				return
			}
			var missing []string
			for _, k := range cfg.RequiredKeys {
				t, present := set.get(k)
				switch {
				case !present:
					if set.open {
						c.NotApplicable(fmt.Sprintf("tag %q may come from the provider's defaultTags, which are unknown", k))
						continue
					}
					missing = append(missing, k)
				case t.unknown():
					c.NotApplicable(fmt.Sprintf("tags.%s is unknown", k))
				case strings.TrimSpace(t.valueString()) == "":
					c.Violatef(t.at(c, k), "tag %q is %s (from %s); give it a non-blank value", k, t.display(), t.source)
				default:
					if allowed, ok := cfg.AllowedValues[k]; ok && !contains(allowed, t.valueString()) {
						c.Violatef(t.at(c, k), "tag %q is %s (from %s), not one of %s", k, t.display(), t.source, strings.Join(allowed, ", "))
					}
				}
			}
			if len(missing) > 0 {
				where := "tags"
				if strings.HasPrefix(c.Resource.Type, "aws:") {
					where = "tags (or to the AWS provider's defaultTags)"
				}
				c.Violatef(c.Get("tags"), "missing required tags %s; add them to %s", strings.Join(missing, ", "), where)
			}
		},
		Remediate: func(f *policy.Fix) {
			cfg := policy.ConfigOf[tagsConfig](f)
			if len(cfg.DefaultValues) == 0 || !taggable(f.Resource) {
				return
			}
			tags := f.Get("tags")
			if k := tags.Kind(); k != policy.Object && k != policy.Missing && k != policy.Null {
				return // unknown, or not a map: nothing safe to write
			}
			set, ok := effectiveTags(f.Resource)
			if !ok || set.open {
				return
			}
			for _, k := range cfg.RequiredKeys {
				d, hasDefault := cfg.DefaultValues[k]
				if !hasDefault || strings.Contains(k, ".") { // Fix.Set paths are dotted
					continue
				}
				if t, present := set.get(k); present && (t.unknown() || strings.TrimSpace(t.valueString()) != "") {
					continue
				}
				if err := f.Set("tags."+k, d); err != nil {
					return
				}
			}
		},
	},
}

func (t tagValue) valueString() string {
	if t.source == "tags" || t.source == "tagsAll" {
		s, _ := t.v.Str()
		return s
	}
	return t.s
}
