package policypack

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mlguard/mlguard/policy"
	pt "github.com/mlguard/mlguard/policy/policytest"
	"github.com/mlguard/mlguard/providers"
)

// secretText is the value secret fixtures carry; no message may contain it.
const secretText = "s3cr3t-do-not-print"

// spec is one case of a resource policy's table. Each case runs once per
// shape its resource has (see shapesOf): every supported major of its
// provider package, and on azure-native an explicit API version too.
type spec struct {
	name      string
	typ       string // defaults to the table's type
	props     map[string]any
	provider  map[string]any // props of the resource's provider, when set
	config    map[string]any
	majors    []providers.Major // only these majors (default: every one)
	violation string            // substring of the only violation; "" means compliant
	more      []string          // substrings of further violations, in order
	unknown   string            // substring of the not-applicable reason; "" means none
}

func runSpecs(t *testing.T, p *policy.Policy, typ string, cases []spec) {
	t.Helper()
	for _, tc := range cases {
		ty := tc.typ
		if ty == "" {
			ty = typ
		}
		for _, sh := range shapesOf([]string{ty}, tc.majors) {
			t.Run(tc.name+"/"+sh.name, func(t *testing.T) {
				r := sh.resource(pt.Resource(ty, "r", tc.props), tc.provider)
				got := pt.Check(p, r, tc.config)
				assertResult(t, got, sh.expect(tc.violation), sh.expectAll(tc.more), sh.expect(tc.unknown))
			})
		}
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

// stackSpec is one case of a stack policy's table, run once per shape as
// a spec is, every resource of the stack in that shape.
type stackSpec struct {
	name      string
	resources []*policy.Resource
	config    map[string]any
	majors    []providers.Major
	violation string
	more      []string
	unknown   string
}

func runStackSpecs(t *testing.T, p *policy.Policy, cases []stackSpec) {
	t.Helper()
	for _, tc := range cases {
		var types []string
		for _, r := range tc.resources {
			types = append(types, r.Type)
		}
		for _, sh := range shapesOf(types, tc.majors) {
			t.Run(tc.name+"/"+sh.name, func(t *testing.T) {
				stack := make([]*policy.Resource, len(tc.resources))
				for i, r := range tc.resources {
					stack[i] = sh.resource(r, nil)
				}
				got := pt.CheckStack(p, stack, tc.config)
				assertResult(t, got, sh.expect(tc.violation), sh.expectAll(tc.more), sh.expect(tc.unknown))
			})
		}
	}
}

// res builds a stack resource; deps are property dependencies prop -> resources.
func res(typ, name string, props map[string]any, deps map[string]*policy.Resource) *policy.Resource {
	r := pt.Resource(typ, name, props)
	r.Kind = providers.Kind(typ)
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
