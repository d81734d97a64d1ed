package policytest_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mlguard/mlguard/policy"
	pt "github.com/mlguard/mlguard/policy/policytest"
)

func TestFixtureValues(t *testing.T) {
	v := policy.Props(pt.Props(map[string]any{
		"later":   pt.Unknown,
		"key":     pt.Secret("hunter22"),
		"list":    []any{1, "a"},
		"strings": []string{"x", "y"},
		"tags":    map[string]string{"owner": "ml"},
		"obj":     map[string]any{"n": nil},
	}))
	assert.True(t, v.Get("later").IsUnknown())
	assert.True(t, v.Get("key").IsSecret())
	s, _ := v.Get("key").Str()
	assert.Equal(t, "hunter22", s)
	assert.Equal(t, 2, v.Get("list").Len())
	assert.Equal(t, `"y"`, v.Get("strings.1").Display())
	assert.Equal(t, `"ml"`, v.Get("tags.owner").Display())
	assert.Equal(t, policy.Null, v.Get("obj.n").Kind())
	defer func() {
		assert.Contains(t, recover(), "policytest: fixture value struct {}{}: proto:", "a value protobuf cannot hold")
	}()
	pt.Value(struct{}{})
}

func TestResource(t *testing.T) {
	r := pt.Resource("aws:s3/bucket:Bucket", "logs", map[string]any{"bucket": "b"})
	assert.Equal(t, "urn:pulumi:test::mlguard::aws:s3/bucket:Bucket::logs", r.URN)
	assert.Equal(t, "aws:s3/bucket:Bucket", r.Kind)
	assert.Equal(t, "logs", r.Name)
	assert.Equal(t, `"b"`, r.Get("bucket").Display())
}

type limit struct {
	Max int `json:"max"`
}

var limited = &policy.Policy{
	Name: "limited", Description: "d",
	Config: policy.ConfigFor[limit](map[string]policy.Schema{"max": {"type": "integer", "minimum": 1, "default": 2}}),
	Resource: &policy.ResourceRule{
		Validate: func(c *policy.Check) {
			v, ok := c.Known("n")
			if !ok {
				return
			}
			if n, _ := v.Num(); int(n) > policy.ConfigOf[limit](c).Max {
				c.Violatef(v, "is %s, over %d", v.Display(), policy.ConfigOf[limit](c).Max)
			}
		},
		Remediate: func(f *policy.Fix) {
			if n, _ := f.Get("n").Num(); int(n) > policy.ConfigOf[limit](f).Max {
				if err := f.Set("n", policy.ConfigOf[limit](f).Max); err != nil {
					panic(err)
				}
			}
		},
	},
}

func TestCheck(t *testing.T) {
	r := pt.Resource("t:m:T", "r", map[string]any{"n": 3})
	assert.Equal(t, pt.Result{Violations: []string{`t:m:T "r": n: is 3, over 2`}}, pt.Check(limited, r, nil))
	assert.Equal(t, pt.Result{}, pt.Check(limited, r, map[string]any{"max": 3.0}), "config values over the defaults")
	unknown := pt.Resource("t:m:T", "r", map[string]any{"n": pt.Unknown})
	assert.Equal(t, pt.Result{NotApplicable: "n is unknown (known after the update; checked then)"}, pt.Check(limited, unknown, nil))
	assert.PanicsWithValue(t, `policytest: config for limited: field "max": must be at least 1, got 0`,
		func() { pt.Check(limited, r, map[string]any{"max": 0.0}) })
}

func TestConfigOfAPolicyWithout(t *testing.T) {
	assert.Nil(t, pt.Config(&policy.Policy{Name: "plain"}, map[string]any{"x": 1}))
}

func TestCheckStack(t *testing.T) {
	count := &policy.Policy{Name: "count", Description: "d", Stack: func(c *policy.StackCheck) {
		if len(c.Resources) > 1 {
			c.Violatef(c.Resources[1], policy.Value{}, "one too many, in stack %s", c.Stack().Name)
		}
	}}
	rs := []*policy.Resource{pt.Resource("t:m:T", "a", nil), pt.Resource("t:m:T", "b", nil)}
	assert.Equal(t, pt.Result{Violations: []string{`t:m:T "b": one too many, in stack test`}}, pt.CheckStack(count, rs, nil))
	assert.Equal(t, pt.Result{}, pt.CheckStack(count, rs[:1], nil))
}

func TestFix(t *testing.T) {
	props, res := pt.Fix(limited, pt.Resource("t:m:T", "r", map[string]any{"n": 5}), nil)
	require.NotNil(t, props)
	assert.Equal(t, "2", policy.Props(props).Get("n").Display())
	assert.Equal(t, pt.Result{}, res)
	props, _ = pt.Fix(limited, pt.Resource("t:m:T", "r", map[string]any{"n": 1}), nil)
	assert.Nil(t, props, "nothing to fix")
}

func TestWithAndWithout(t *testing.T) {
	base := map[string]any{
		"tags":  map[string]any{"owner": "ml"},
		"rules": []any{map[string]any{"status": "Enabled"}, "b"},
		"names": []string{"x"},
		"plain": map[string]string{"k": "v"},
		"gone":  nil,
	}
	with := pt.With(base, "tags.team", "data")
	assert.Equal(t, map[string]any{"owner": "ml", "team": "data"}, with["tags"])
	assert.Equal(t, map[string]any{"owner": "ml"}, base["tags"], "the fixture is copied, not changed")

	assert.Equal(t, "Disabled", pt.With(base, "rules.0.status", "Disabled")["rules"].([]any)[0].(map[string]any)["status"])
	assert.Equal(t, "Enabled", base["rules"].([]any)[0].(map[string]any)["status"], "lists are copied too")
	assert.Equal(t, "c", pt.With(base, "rules.1", "c")["rules"].([]any)[1])
	assert.Equal(t, map[string]any{"a": map[string]any{"b": 1}}, pt.With(base, "new.a.b", 1)["new"])
	assert.Equal(t, map[string]any{"x": 1}, pt.With(base, "gone.x", 1)["gone"], "a nil on the way becomes an object")

	copied := pt.With(base, "other", 1)
	copied["names"].([]string)[0] = "changed"
	copied["plain"].(map[string]string)["k"] = "changed"
	assert.Equal(t, []string{"x"}, base["names"])
	assert.Equal(t, map[string]string{"k": "v"}, base["plain"])

	without := pt.Without(base, "tags.owner")
	assert.Equal(t, map[string]any{}, without["tags"])
	assert.Equal(t, map[string]any{"owner": "ml"}, base["tags"])
	assert.Equal(t, base, pt.Without(base, "missing.deeper"), "removing what is not there changes nothing")
	assert.Equal(t, base, pt.Without(base, "gone.deeper"))
	assert.Equal(t, "b", pt.Without(base, "rules.0.status")["rules"].([]any)[1])

	for path, want := range map[string]string{
		"rules.2.status": `policytest: "2" does not index a list of 2`,
		"rules.-1":       `policytest: "-1" does not index a list of 2`,
		"rules.x":        `policytest: "x" does not index a list of 2`,
		"tags.owner.x":   `policytest: cannot step into string at "x"`,
	} {
		assert.PanicsWithValue(t, want, func() { pt.With(base, path, 1) }, path)
	}
	assert.PanicsWithValue(t, "policytest: Without cannot remove a list element; use With on the list",
		func() { pt.Without(base, "rules.1") })
}
