package policypack

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mlguard/mlguard/policy"
	pt "github.com/mlguard/mlguard/policy/policytest"
)

// secretText is the value secret fixtures carry; no message may contain it.
const secretText = "s3cr3t-do-not-print"

// spec is one case of a resource policy's table.
type spec struct {
	name      string
	typ       string // defaults to the table's type
	props     map[string]any
	provider  map[string]any // props of the resource's provider, when set
	config    map[string]any
	violation string   // substring of the only violation; "" means compliant
	more      []string // substrings of further violations, in order
	unknown   string   // substring of the not-applicable reason; "" means none
}

func runSpecs(t *testing.T, p *policy.Policy, typ string, cases []spec) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ty := tc.typ
			if ty == "" {
				ty = typ
			}
			r := pt.Resource(ty, "r", tc.props)
			if tc.provider != nil {
				r.Provider = pt.Resource("pulumi:providers:aws", "default", tc.provider)
			}
			got := pt.Check(p, r, tc.config)
			assertResult(t, got, tc.violation, tc.more, tc.unknown)
		})
	}
}

func assertResult(t *testing.T, got pt.Result, violation string, more []string, unknown string) {
	t.Helper()
	for _, v := range got.Violations {
		assert.NotContains(t, v, secretText, "a secret leaked into a message")
	}
	if violation == "" {
		assert.Empty(t, got.Violations)
	} else {
		want := append([]string{violation}, more...)
		require.Len(t, got.Violations, len(want), "violations: %q", got.Violations)
		for i, w := range want {
			assert.Contains(t, got.Violations[i], w)
		}
	}
	if unknown == "" {
		assert.Empty(t, got.NotApplicable)
	} else {
		assert.Contains(t, got.NotApplicable, unknown)
	}
}

// stackSpec is one case of a stack policy's table.
type stackSpec struct {
	name      string
	resources []*policy.Resource
	config    map[string]any
	violation string
	more      []string
	unknown   string
}

func runStackSpecs(t *testing.T, p *policy.Policy, cases []stackSpec) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := pt.CheckStack(p, tc.resources, tc.config)
			assertResult(t, got, tc.violation, tc.more, tc.unknown)
		})
	}
}

// res builds a stack resource; deps are property dependencies prop -> resources.
func res(typ, name string, props map[string]any, deps map[string]*policy.Resource) *policy.Resource {
	r := pt.Resource(typ, name, props)
	for prop, on := range deps {
		if r.PropertyDependencies == nil {
			r.PropertyDependencies = map[string][]string{}
		}
		r.PropertyDependencies[prop] = append(r.PropertyDependencies[prop], on.URN)
	}
	return r
}

func TestPackIsValid(t *testing.T) {
	pack := Pack()
	require.NoError(t, pack.Check())
	for _, p := range pack.Policies {
		assert.NotEmpty(t, p.DisplayName, p.Name)
		assert.NotEmpty(t, p.Severity, p.Name)
		assert.NotEmpty(t, p.EnforcementLevel, p.Name)
		assert.NotEmpty(t, p.RemediationSteps, p.Name)
		assert.Equal(t, docsURL+p.Name, p.URL)
		assert.NotEmpty(t, p.Tags, p.Name)
		assert.NotEmpty(t, DocTypes(p), "%s documents no resource types", p.Name)
		ex, ok := Examples[p.Name]
		assert.True(t, ok && ex.Compliant != "" && ex.NonCompliant != "", "%s has no example", p.Name)
	}
	for name := range Examples {
		assert.NotNil(t, knownPolicies[name], "example for unknown policy %s", name)
	}
}

func TestSecretsNeverShown(t *testing.T) {
	// Display masks every secret the fixtures use.
	v := pt.Resource("x", "x", map[string]any{"a": pt.Secret(secretText)}).Get("a")
	assert.Equal(t, "[secret]", v.Display())
	assert.False(t, strings.Contains(v.Display(), secretText))
}
