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
