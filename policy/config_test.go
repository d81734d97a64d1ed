package policy_test

import (
	"errors"
	"regexp"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mlguard/mlguard/policy"
)

type sampleConfig struct {
	Keys      []string          `json:"keys"`
	Level     string            `json:"level"`
	Min       int               `json:"min"`
	Allowed   map[string]any    `json:"allowed"`
	Patterns  []string          `json:"patterns"`
	Defaults  map[string]string `json:"defaults"`
	compiled  []*regexp.Regexp
	validated bool
}

func (c *sampleConfig) Validate() error {
	for i, p := range c.Patterns {
		re, err := regexp.Compile(p)
		if err != nil {
			return &policy.FieldError{Field: "patterns", Problem: "item " + string(rune('0'+i)) + " is not a valid regular expression"}
		}
		c.compiled = append(c.compiled, re)
	}
	c.validated = true
	return nil
}

var sample = policy.ConfigFor[sampleConfig](map[string]policy.Schema{
	"keys":     {"type": "array", "items": policy.Schema{"type": "string", "minLength": 1}, "minItems": 1, "uniqueItems": true, "default": []string{"owner"}},
	"level":    {"type": "string", "enum": []string{"One_Hour", "Six_Hours"}, "default": "Six_Hours"},
	"min":      {"type": "integer", "minimum": 1, "maximum": 100, "default": 10},
	"allowed":  {"type": "object", "additionalProperties": policy.Schema{"type": "array", "items": policy.Schema{"type": "string"}}, "default": map[string]any{}},
	"patterns": {"type": "array", "items": policy.Schema{"type": "string", "format": "regex"}, "default": []string{"^public:"}},
	"defaults": {"type": "object", "additionalProperties": policy.Schema{"type": "string"}, "default": map[string]any{}},
})

func TestConfigDefaultsDecode(t *testing.T) {
	got, err := sample.Resolve(nil)
	require.NoError(t, err)
	cfg := got.(*sampleConfig)
	assert.Equal(t, []string{"owner"}, cfg.Keys)
	assert.Equal(t, "Six_Hours", cfg.Level)
	assert.Equal(t, 10, cfg.Min)
	assert.True(t, cfg.validated, "Validate runs after decoding")
	assert.Len(t, cfg.compiled, 1)
}

func TestConfigOverridesAndIgnoresEnforcementLevel(t *testing.T) {
	got, err := sample.Resolve(map[string]any{"min": 20.0, "enforcementLevel": "mandatory", "allowed": map[string]any{"env": []any{"dev"}}})
	require.NoError(t, err)
	assert.Equal(t, 20, got.(*sampleConfig).Min)
	assert.Equal(t, []string{"owner"}, got.(*sampleConfig).Keys)
}

func TestConfigErrorsNameTheField(t *testing.T) {
	tests := []struct {
		name   string
		values map[string]any
		want   string
	}{
		{"wrong type", map[string]any{"min": "ten"}, `field "min": must be integer, got string`},
		{"fraction for integer", map[string]any{"min": 1.5}, `field "min": must be integer, got number`},
		{"below minimum", map[string]any{"min": 0.0}, `field "min": must be at least 1, got 0`},
		{"above maximum", map[string]any{"min": 101.0}, `field "min": must be at most 100, got 101`},
		{"not in enum", map[string]any{"level": "Weekly"}, `field "level": must be one of ["One_Hour","Six_Hours"], got "Weekly"`},
		{"item type", map[string]any{"keys": []any{"a", 3.0}}, `field "keys[1]": must be string, got integer`},
		{"empty item", map[string]any{"keys": []any{""}}, `field "keys[0]": must be at least 1 characters long`},
		{"too few items", map[string]any{"keys": []any{}}, `field "keys": must have at least 1 items`},
		{"repeated item", map[string]any{"keys": []any{"a", "a"}}, `field "keys[1]": repeats "a"`},
		{"unknown field", map[string]any{"kyes": []any{"a"}}, `field "kyes": is not a known field`},
		{"additional property type", map[string]any{"allowed": map[string]any{"env": "dev"}}, `field "allowed.env": must be array, got string`},
		{"invalid regex by format", map[string]any{"patterns": []any{"a("}}, `field "patterns[0]": is not a valid regular expression`},
		{"null", map[string]any{"level": nil}, `field "level": must be string, got null`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := sample.Resolve(tc.values)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
			var fe *policy.FieldError
			assert.True(t, errors.As(err, &fe), "errors are FieldErrors")
		})
	}
}

func TestConfigReportsEveryProblem(t *testing.T) {
	_, err := sample.Resolve(map[string]any{"min": "x", "level": "y"})
	require.Error(t, err)
	assert.Contains(t, err.Error(), `field "level"`)
	assert.Contains(t, err.Error(), `field "min"`)
}

func TestPackCheckCatchesBadDefaults(t *testing.T) {
	bad := &policy.Pack{Name: "p", Policies: []*policy.Policy{{
		Name: "x", Description: "d", Stack: func(*policy.StackCheck) {},
		Config: policy.ConfigFor[sampleConfig](map[string]policy.Schema{"min": {"type": "integer", "minimum": 5, "default": 1}}),
	}}}
	err := bad.Check()
	require.Error(t, err)
	assert.Contains(t, err.Error(), `policy "x": defaults do not validate: field "min": must be at least 5`)
}

func TestPackLevelPrecedence(t *testing.T) {
	own := &policy.Policy{EnforcementLevel: policy.Mandatory}
	inherit := &policy.Policy{}
	assert.Equal(t, policy.Mandatory, (&policy.Pack{EnforcementLevel: policy.Advisory}).Level(own))
	assert.Equal(t, policy.Remediate, (&policy.Pack{EnforcementLevel: policy.Remediate}).Level(inherit))
	assert.Equal(t, policy.Advisory, (&policy.Pack{}).Level(inherit))
}

type boundsConfig struct {
	Name    string         `json:"name"`
	Ratio   float64        `json:"ratio"`
	Count   int            `json:"count"`
	Zones   []string       `json:"zones"`
	Mode    any            `json:"mode"`
	Owner   map[string]any `json:"owner"`
	Closed  map[string]any `json:"closed"`
	Ports   []int          `json:"ports"`
	Pattern string         `json:"pattern"`
}

// bounds has each bound of the validator on a field of its own, with a
// default on the bound, so that each case below moves one value across one.
var bounds = policy.ConfigFor[boundsConfig](map[string]policy.Schema{
	"name":    {"type": "string", "minLength": 2, "maxLength": 4, "pattern": "^[a-z]+$", "default": "ab"},
	"ratio":   {"type": "number", "minimum": 0.5, "maximum": 2, "default": 0.5},
	"count":   {"type": "integer", "minimum": 1, "maximum": 3, "default": 3},
	"zones":   {"type": "array", "items": policy.Schema{"type": "string"}, "minItems": 1, "maxItems": 2, "uniqueItems": true, "default": []string{"a", "b"}},
	"mode":    {"type": []string{"string", "boolean"}, "enum": []any{"on", "off", true}, "default": "on"},
	"owner":   {"type": "object", "properties": map[string]any{"team": policy.Schema{"type": "string"}}, "required": []string{"team"}, "default": map[string]any{"team": "ml"}},
	"closed":  {"type": "object", "properties": map[string]any{"a": policy.Schema{"type": "integer"}}, "additionalProperties": false, "default": map[string]any{}},
	"ports":   {"type": "array", "items": policy.Schema{"type": "integer", "minimum": 1}, "default": []int{}},
	"pattern": {"type": "string", "format": "regex", "default": "^x$"},
}, "name")

func TestConfigBounds(t *testing.T) {
	tests := []struct {
		name   string
		values map[string]any
		want   string // "" when the values are valid
	}{
		{"defaults on every bound", nil, ""},
		{"string at its minimum length", map[string]any{"name": "ab"}, ""},
		{"string below its minimum length", map[string]any{"name": "a"}, `field "name": must be at least 2 characters long`},
		{"string at its maximum length", map[string]any{"name": "abcd"}, ""},
		{"string above its maximum length", map[string]any{"name": "abcde"}, `field "name": must be at most 4 characters long`},
		{"string off its pattern", map[string]any{"name": "AB"}, `field "name": must match the pattern ^[a-z]+$`},
		{"number at its minimum", map[string]any{"ratio": 0.5}, ""},
		{"number below its minimum", map[string]any{"ratio": 0.49}, `field "ratio": must be at least 0.5, got 0.49`},
		{"number at its maximum", map[string]any{"ratio": 2.0}, ""},
		{"number above its maximum", map[string]any{"ratio": 2.01}, `field "ratio": must be at most 2, got 2.01`},
		{"an integer is a number", map[string]any{"ratio": 1.0}, ""},
		{"a string is not a number", map[string]any{"ratio": "1"}, `field "ratio": must be number, got string`},
		{"integer at its minimum", map[string]any{"count": 1.0}, ""},
		{"integer below its minimum", map[string]any{"count": 0.0}, `field "count": must be at least 1, got 0`},
		{"integer at its maximum", map[string]any{"count": 3.0}, ""},
		{"integer above its maximum", map[string]any{"count": 4.0}, `field "count": must be at most 3, got 4`},
		{"list at its minimum length", map[string]any{"zones": []any{"a"}}, ""},
		{"list below its minimum length", map[string]any{"zones": []any{}}, `field "zones": must have at least 1 items`},
		{"list at its maximum length", map[string]any{"zones": []any{"a", "b"}}, ""},
		{"list above its maximum length", map[string]any{"zones": []any{"a", "b", "c"}}, `field "zones": must have at most 2 items`},
		{"a repeat after another item", map[string]any{"zones": []any{"a", "b", "b"}}, `field "zones[2]": repeats "b"`},
		{"a later item checked against its schema", map[string]any{"ports": []any{1.0, 0.0}}, `field "ports[1]": must be at least 1, got 0`},
		{"one of two types", map[string]any{"mode": true}, ""},
		{"neither of two types", map[string]any{"mode": 1.0}, `field "mode": must be string or boolean, got integer`},
		{"a value outside the enum", map[string]any{"mode": "auto"}, `field "mode": must be one of ["on","off",true], got "auto"`},
		{"a later value of the enum", map[string]any{"mode": "off"}, ""},
		{"a required field of a nested object", map[string]any{"owner": map[string]any{}}, `field "owner.team": is required`},
		{"a nested field's type", map[string]any{"owner": map[string]any{"team": 1.0}}, `field "owner.team": must be string, got integer`},
		{"an open object takes other fields", map[string]any{"owner": map[string]any{"team": "ml", "extra": 1.0}}, ""},
		{"a closed object refuses other fields", map[string]any{"closed": map[string]any{"b": 1.0}}, `field "closed.b": is not a known field (known: a)`},
		{"a closed object's own field", map[string]any{"closed": map[string]any{"a": 1.0}}, ""},
		{"a required top-level field", map[string]any{"name": nil}, `field "name": must be string, got null`},
		{"a valid regular expression", map[string]any{"pattern": "^a+$"}, ""},
		{"an invalid regular expression", map[string]any{"pattern": "(("}, `field "pattern": is not a valid regular expression`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := bounds.Resolve(tc.values)
			if tc.want == "" {
				assert.NoError(t, err)
				return
			}
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
		})
	}
}

func TestConfigRequiredField(t *testing.T) {
	c := policy.ConfigFor[boundsConfig](map[string]policy.Schema{"name": {"type": "string"}}, "name")
	_, err := c.Resolve(nil)
	assert.EqualError(t, err, `field "name": is required`)
	_, err = c.Resolve(map[string]any{"name": "x"})
	assert.NoError(t, err)
}
