package testpack

// The runtime's tests rely on each policy of the test pack doing what its
// description says; these pin that down where the policies are written.

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mlguard/mlguard/policy"
	pt "github.com/mlguard/mlguard/policy/policytest"
)

func policyNamed(t *testing.T, name string) *policy.Policy {
	t.Helper()
	for _, p := range Pack().Policies {
		if p.Name == name {
			return p
		}
	}
	require.FailNow(t, "no policy "+name)
	return nil
}

func good() map[string]any {
	return map[string]any{"name": "data", "versioned": true, "tags": map[string]any{"owner": "ml"}}
}

func TestPackIsValid(t *testing.T) {
	require.NoError(t, Pack().Check())
}

func TestNameConfigValidate(t *testing.T) {
	p := policyNamed(t, "named")
	_, err := p.Config.Resolve(map[string]any{"pattern": "(("})
	assert.EqualError(t, err, `field "pattern": is not a valid regular expression`)
	_, err = p.Config.Resolve(map[string]any{"pattern": "^a$"})
	assert.NoError(t, err)
}

func TestResourcePolicies(t *testing.T) {
	for _, tc := range []struct {
		policy string
		props  map[string]any
		config map[string]any
		want   pt.Result
	}{
		{"versioned", good(), nil, pt.Result{}},
		{"versioned", pt.With(good(), "versioned", false), nil,
			pt.Result{Violations: []string{`test:index:Bucket "b": versioned: not versioned (is false); set versioned = true`}}},
		{"versioned", pt.With(good(), "versioned", pt.Unknown), nil,
			pt.Result{NotApplicable: "versioned is unknown (known after the update; checked then)"}},
		{"named", good(), nil, pt.Result{}},
		{"named", pt.With(good(), "name", "Data"), nil,
			pt.Result{Violations: []string{`test:index:Bucket "b": name: name "Data" does not match ^[a-z-]+$`}}},
		{"named", pt.With(good(), "name", "data1"), map[string]any{"pattern": "^[a-z0-9]+$"}, pt.Result{}},
		{"named", pt.With(good(), "name", pt.Unknown), nil,
			pt.Result{NotApplicable: "name is unknown (known after the update; checked then)"}},
		{"tagged", good(), nil, pt.Result{}},
		{"tagged", pt.Without(good(), "tags"), nil, pt.Result{Violations: []string{`test:index:Bucket "b": tags.owner: no owner tag`}}},
		{"tagged", pt.With(good(), "tags", pt.Unknown), nil,
			pt.Result{NotApplicable: "tags.owner is unknown (known after the update; checked then)"}},
		{"never", good(), nil, pt.Result{Violations: []string{`test:index:Bucket "b": the disabled policy ran`}}},
		{"faulty", good(), nil, pt.Result{}},
	} {
		r := pt.Resource(Bucket, "b", tc.props)
		assert.Equal(t, tc.want, pt.Check(policyNamed(t, tc.policy), r, tc.config), "%s on %v", tc.policy, tc.props)
	}
}

func TestFaultyPanics(t *testing.T) {
	faulty := policyNamed(t, "faulty")
	assert.PanicsWithError(t, "assignment to entry in nil map", func() {
		pt.Check(faulty, pt.Resource(Bucket, "b", pt.With(good(), "name", "boom")), nil)
	})
	assert.PanicsWithValue(t, "leaking boom-secret", func() {
		pt.Check(faulty, pt.Resource(Bucket, "b", pt.With(good(), "name", "boom-secret")), nil)
	})
}

func TestTaggedRemediates(t *testing.T) {
	tagged := policyNamed(t, "tagged")
	props, _ := pt.Fix(tagged, pt.Resource(Bucket, "b", pt.With(good(), "tags", map[string]any{})), nil)
	require.NotNil(t, props)
	assert.Equal(t, `"platform"`, policy.Props(props).Get("tags.owner").Display())
	for name, fixture := range map[string]map[string]any{
		"already tagged":   good(),
		"unknown tags":     pt.With(good(), "tags", pt.Unknown),
		"tags as a string": pt.With(good(), "tags", "owner=ml"),
	} {
		props, _ := pt.Fix(tagged, pt.Resource(Bucket, "b", fixture), nil)
		assert.Nil(t, props, name)
	}
	props, _ = pt.Fix(tagged, pt.Resource(Bucket, "b", pt.Without(good(), "tags")), nil)
	require.NotNil(t, props, "no tags at all")
	assert.PanicsWithError(t, "cannot set tags.owner: tags is list, not an object", func() {
		pt.Fix(tagged, pt.Resource(Bucket, "b", pt.With(good(), "tags", []any{"a"})), nil)
	})
}

func TestOneBucket(t *testing.T) {
	p := policyNamed(t, "one-bucket")
	bucket := func(name string) *policy.Resource { return pt.Resource(Bucket, name, good()) }
	other := pt.Resource(Other, "o", nil)
	assert.Equal(t, pt.Result{}, pt.CheckStack(p, []*policy.Resource{bucket("a"), other}, nil))
	assert.Equal(t, pt.Result{Violations: []string{`test:index:Bucket "b": one bucket too many (max 1)`, `test:index:Bucket "c": one bucket too many (max 1)`}},
		pt.CheckStack(p, []*policy.Resource{bucket("a"), other, bucket("b"), bucket("c")}, nil))
	assert.Equal(t, pt.Result{}, pt.CheckStack(p, []*policy.Resource{bucket("a"), bucket("b")}, map[string]any{"maxItems": 2.0}))
	assert.Equal(t, pt.Result{Violations: []string{`test:index:Bucket "c": one bucket too many (max 2)`}},
		pt.CheckStack(p, []*policy.Resource{bucket("a"), bucket("b"), bucket("c")}, map[string]any{"maxItems": 2.0}))
}
