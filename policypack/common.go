package policypack

import (
	"encoding/json"
	"strings"

	"github.com/mlguard/mlguard/policy"
)

// Small readers shared by the policies. Each takes a Value the rule already
// checked with Known, so none of them has to care about unknowns.

// str returns the trimmed string of v ("" for any other kind).
func str(v policy.Value) string {
	s, _ := v.Str()
	return strings.TrimSpace(s)
}

// isTrue reports whether v is true (or the string "true").
func isTrue(v policy.Value) bool {
	b, ok := v.Bool()
	return ok && b
}

// isFalse reports whether v is explicitly false.
func isFalse(v policy.Value) bool {
	b, ok := v.Bool()
	return ok && !b
}

// requireString reports v unless it is a non-blank string. what describes the
// fix ("set sharingSettings.s3KmsKeyId to a KMS key ARN").
func requireString(c *policy.Check, path, fix string) {
	v, ok := c.Known(path)
	if !ok {
		return
	}
	if str(v) == "" {
		c.Violatef(v, "is %s; %s", v.Display(), fix)
	}
}

// requireEqual reports v unless it is the string want. With missingOK an
// unset value passes (the provider's default is want).
func requireEqual(c *policy.Check, path, want string, missingOK bool, fix string) {
	requireValue(c, c.Get(path), want, missingOK, fix)
}

// requireValue is requireEqual for a value the rule already holds (one a
// provider placement found).
func requireValue(c *policy.Check, v policy.Value, want string, missingOK bool, fix string) {
	if !c.KnownValue(v) || (missingOK && v.IsAbsent()) {
		return
	}
	if str(v) != want {
		c.Violatef(v, "is %s; %s", v.Display(), fix)
	}
}

// requireBool reports v unless it is the bool want. With missingOK an unset
// value passes (the provider's default is want).
func requireBool(c *policy.Check, path string, want, missingOK bool, fix string) {
	v, ok := c.Known(path)
	if !ok || (missingOK && v.IsAbsent()) {
		return
	}
	if b, isBool := v.Bool(); !isBool || b != want {
		c.Violatef(v, "is %s; %s", v.Display(), fix)
	}
}

// decodeJSON returns a document property as plain Go values: an object as
// is (secrets inside it unwrapped, so that they are judged like any value),
// a string parsed as JSON. ok is false when it is neither.
func decodeJSON(v policy.Value) (doc any, ok bool) {
	switch v.Kind() {
	case policy.Object, policy.List:
		return plain(v), true
	case policy.String:
		s, _ := v.Str()
		if err := json.Unmarshal([]byte(s), &doc); err != nil {
			return nil, false
		}
		return doc, true
	}
	return nil, false
}

// plain converts v to plain Go values, stepping inside secret envelopes
// (Raw().AsInterface() would keep them as objects of their own).
func plain(v policy.Value) any {
	switch v.Kind() {
	case policy.Object:
		m := make(map[string]any, v.Len())
		for _, k := range v.Keys() {
			m[k] = plain(v.Field(k))
		}
		return m
	case policy.List:
		elems := v.Elems()
		l := make([]any, len(elems))
		for i, e := range elems {
			l[i] = plain(e)
		}
		return l
	case policy.String, policy.Unknown:
		return v.Raw().GetStringValue()
	case policy.Bool:
		return v.Raw().GetBoolValue()
	case policy.Number:
		return v.Raw().GetNumberValue()
	}
	return nil
}

// companions returns the resources of type typ whose property prop refers to
// target (see policy.Referrers), and whether some other resource of that type
// could not be ruled out.
func companions(c *policy.StackCheck, target *policy.Resource, typ, prop string, keys ...string) (found []*policy.Resource, undecided bool) {
	return c.Referrers(typ, prop).To(target, keys...)
}

// contains reports whether list holds s.
func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// containsFold reports whether sub occurs in s, ignoring case.
func containsFold(s, sub string) bool {
	for i := 0; i+len(sub) <= len(s); i++ {
		if strings.EqualFold(s[i:i+len(sub)], sub) {
			return true
		}
	}
	return false
}

// wildcardStatements returns the indexes of Allow statements of an IAM-style
// policy document whose Principal is "*" (or {"AWS": "*"}, or any principal
// list holding "*"). With unlessCondition, a statement carrying a Condition
// is taken as constrained and not returned.
func wildcardStatements(doc any, unlessCondition bool) []int {
	var out []int
	for i, st := range statements(doc) {
		if st == nil || !allows(st) {
			continue
		}
		if unlessCondition {
			if cond, ok := st["Condition"].(map[string]any); ok && len(cond) > 0 {
				continue
			}
		}
		if isWildcardPrincipal(st["Principal"]) {
			out = append(out, i)
		}
	}
	return out
}

// statements returns the statements of an IAM-style policy document (one
// statement may stand alone); an element that is not an object is nil.
func statements(doc any) []map[string]any {
	m, _ := doc.(map[string]any)
	var stmts []any
	switch s := m["Statement"].(type) {
	case []any:
		stmts = s
	case map[string]any:
		stmts = []any{s}
	}
	out := make([]map[string]any, len(stmts))
	for i, s := range stmts {
		out[i], _ = s.(map[string]any)
	}
	return out
}

// allows reports whether a statement allows (Effect defaults to Allow).
func allows(st map[string]any) bool {
	eff, _ := st["Effect"].(string)
	return eff == "" || strings.EqualFold(eff, "Allow")
}

// stringsIn returns the strings of a policy element that is a string or a
// list of strings ("Action": "s3:*" or ["s3:GetObject", ...]).
func stringsIn(v any) []string {
	switch x := v.(type) {
	case string:
		return []string{x}
	case []any:
		var out []string
		for _, e := range x {
			if s, ok := e.(string); ok {
				out = append(out, s)
			}
		}
		return out
	}
	return nil
}

func isWildcardPrincipal(p any) bool {
	switch x := p.(type) {
	case string:
		return strings.TrimSpace(x) == "*"
	case []any:
		for _, e := range x {
			if isWildcardPrincipal(e) {
				return true
			}
		}
	case map[string]any:
		for _, e := range x {
			if isWildcardPrincipal(e) {
				return true
			}
		}
	}
	return false
}

// parseJSONString parses a JSON text into plain Go values.
func parseJSONString(s string) (any, bool) {
	var doc any
	if err := json.Unmarshal([]byte(s), &doc); err != nil {
		return nil, false
	}
	return doc, true
}

// shownUnlessSecret is what a message may say of something read from v:
// part of it, or, when v is secret, only what kind of thing it is.
func shownUnlessSecret(v policy.Value, part, kind string) string {
	if v.IsSecret() {
		return kind
	}
	return part
}

type cmkConfig struct {
	Require bool `json:"require"`
}

// cmkConfigSchema is the configuration of the customer-managed key rules.
func cmkConfigSchema(what string) *policy.Config {
	return policy.ConfigFor[cmkConfig](map[string]policy.Schema{
		"require": {"type": "boolean", "default": false, "description": "Require a customer-managed key on every " + what + "."},
	})
}

// keySetting is a setting a customer-managed key needs, and how to fix it.
type keySetting struct{ path, fix string }

// requireCustomerManagedKey reports a resource whose encryption.status is
// enabled (spelled as its API spells it) but that misses a setting the key
// needs; with the policy's require, one not enabled.
func requireCustomerManagedKey(c *policy.Check, enabled string, needs ...keySetting) {
	status, ok := c.Known("encryption.status")
	if !ok {
		return
	}
	if !strings.EqualFold(str(status), enabled) {
		if policy.ConfigOf[cmkConfig](c).Require {
			c.Violatef(status, "is %s; set encryption.status = %q with a key vault key", status.Display(), enabled)
		}
		return
	}
	for _, n := range needs {
		requireString(c, n.path, n.fix)
	}
}
