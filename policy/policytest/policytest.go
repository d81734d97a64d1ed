// Package policytest runs single policies on fixtures written as Go maps, the
// way the engine would send them: Unknown stands for a value computed later in
// the update, Secret(v) for a secret. Fixtures are data, so a test can start
// from a compliant one and mutate one field at a time (With, Without).
package policytest

import (
	"fmt"
	"maps"
	"strconv"
	"strings"

	"google.golang.org/protobuf/types/known/structpb"

	"github.com/mlguard/mlguard/policy"
)

type unknown struct{}

// Unknown is a property value that is not known until the update.
var Unknown = unknown{}

type secret struct{ v any }

// Secret marks a property value as secret.
func Secret(v any) any { return secret{v} }

// Props converts a fixture to the protobuf struct the engine sends.
func Props(m map[string]any) *structpb.Struct {
	s := &structpb.Struct{Fields: make(map[string]*structpb.Value, len(m))}
	for k, v := range m {
		s.Fields[k] = Value(v)
	}
	return s
}

// Value converts one fixture value (maps, slices, scalars, Unknown, Secret).
func Value(v any) *structpb.Value {
	switch x := v.(type) {
	case unknown:
		return structpb.NewStringValue("04da6b54-80e4-46f7-96ec-b56ff0331ba9")
	case secret:
		return structpb.NewStructValue(&structpb.Struct{Fields: map[string]*structpb.Value{
			"4dabf18193072939515e22adb298388d": structpb.NewStringValue("1b47061264138c4ac30d75fd1eb44270"),
			"value":                            Value(x.v),
		}})
	case map[string]any:
		return structpb.NewStructValue(Props(x))
	case []any:
		l := &structpb.ListValue{}
		for _, e := range x {
			l.Values = append(l.Values, Value(e))
		}
		return structpb.NewListValue(l)
	case []string:
		l := &structpb.ListValue{}
		for _, e := range x {
			l.Values = append(l.Values, structpb.NewStringValue(e))
		}
		return structpb.NewListValue(l)
	case map[string]string:
		s := &structpb.Struct{Fields: map[string]*structpb.Value{}}
		for k, e := range x {
			s.Fields[k] = structpb.NewStringValue(e)
		}
		return structpb.NewStructValue(s)
	}
	pv, err := structpb.NewValue(v)
	if err != nil {
		panic(fmt.Sprintf("policytest: fixture value %#v: %v", v, err))
	}
	return pv
}

// Resource builds a resource from a fixture; its Kind is its type token
// (set Kind for a pack with Kinds).
func Resource(typ, name string, props map[string]any) *policy.Resource {
	return &policy.Resource{
		URN:   "urn:pulumi:test::mlguard::" + typ + "::" + name,
		Type:  typ,
		Kind:  typ,
		Name:  name,
		Props: policy.Props(Props(props)),
	}
}

// Result is what one policy run reported.
type Result struct {
	Violations    []string
	NotApplicable string
}

// Config resolves a policy's config: its defaults with values on top. It
// panics on an invalid config: a test fixture, not user input.
func Config(p *policy.Policy, values map[string]any) any {
	if p.Config == nil {
		return nil
	}
	c, err := p.Config.Resolve(values)
	if err != nil {
		panic(fmt.Sprintf("policytest: config for %s: %v", p.Name, err))
	}
	return c
}

// Check runs a resource policy on one resource with the given config values.
func Check(p *policy.Policy, r *policy.Resource, config map[string]any) Result {
	c := policy.NewCheck(r, Config(p, config), &policy.Stack{Name: "test", Project: "mlguard"})
	p.Resource.Validate(c)
	return result(c.Violations(), c.NotApplicableReason())
}

// CheckStack runs a stack policy over resources with the given config values.
func CheckStack(p *policy.Policy, resources []*policy.Resource, config map[string]any) Result {
	c := policy.NewStackCheck(resources, Config(p, config), &policy.Stack{Name: "test", Project: "mlguard"})
	p.Stack(c)
	return result(c.Violations(), c.NotApplicableReason())
}

// Fix runs a policy's remediation and returns the changed properties (nil if unchanged).
func Fix(p *policy.Policy, r *policy.Resource, config map[string]any) (*structpb.Struct, Result) {
	f := policy.NewFix(r, r.Props.Raw().GetStructValue(), Config(p, config), &policy.Stack{Name: "test"})
	p.Resource.Remediate(f)
	res := result(f.Violations(), f.NotApplicableReason())
	if !f.Changed() {
		return nil, res
	}
	return f.Properties(), res
}

func result(vs []policy.Violation, na string) Result {
	r := Result{NotApplicable: na}
	for _, v := range vs {
		r.Violations = append(r.Violations, v.Message)
	}
	return r
}

// With returns a deep copy of fixture m with value set at a dotted path
// (numeric segments index lists), creating maps on the way.
func With(m map[string]any, path string, value any) map[string]any {
	out := deepCopy(m).(map[string]any)
	set(out, strings.Split(path, "."), value, false)
	return out
}

// Without returns a deep copy of fixture m with the dotted path removed.
func Without(m map[string]any, path string) map[string]any {
	out := deepCopy(m).(map[string]any)
	set(out, strings.Split(path, "."), nil, true)
	return out
}

func set(container any, segs []string, value any, remove bool) {
	seg := segs[0]
	last := len(segs) == 1
	switch c := container.(type) {
	case map[string]any:
		if last {
			if remove {
				delete(c, seg)
			} else {
				c[seg] = value
			}
			return
		}
		next, ok := c[seg]
		if !ok || next == nil {
			if remove {
				return
			}
			next = map[string]any{}
			c[seg] = next
		}
		set(next, segs[1:], value, remove)
	case []any:
		i, err := strconv.Atoi(seg)
		if err != nil || i < 0 || i >= len(c) {
			panic(fmt.Sprintf("policytest: %q does not index a list of %d", seg, len(c)))
		}
		if last {
			if remove {
				panic("policytest: Without cannot remove a list element; use With on the list")
			}
			c[i] = value
			return
		}
		set(c[i], segs[1:], value, remove)
	default:
		panic(fmt.Sprintf("policytest: cannot step into %T at %q", container, seg))
	}
}

func deepCopy(v any) any {
	switch x := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[k] = deepCopy(e)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = deepCopy(e)
		}
		return out
	case map[string]string:
		return maps.Clone(x)
	case []string:
		return append([]string(nil), x...)
	}
	return v
}
