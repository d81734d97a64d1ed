package policy

import (
	"sort"
	"strings"
)

// Stack rules join resources: a bucket and the BucketVersioningV2 that names
// it, a recorder and its RecorderStatus. Doing that by scanning the stack for
// every target is quadratic, and stacks run to tens of thousands of
// resources, so a StackCheck indexes the stack once per rule run: by type,
// and by what a type's property refers to. A StackCheck belongs to one rule
// run on one goroutine; its indexes need no locks.

// OfType returns the resources with any of the given type tokens, in stack
// order. The caller must not modify the slice.
func (c *StackCheck) OfType(types ...string) []*Resource {
	c.indexTypes()
	if len(types) == 1 {
		return c.byType[types[0]]
	}
	var out []*Resource
	for _, t := range types {
		out = append(out, c.byType[t]...)
	}
	sort.SliceStable(out, func(i, j int) bool { return c.position[out[i]] < c.position[out[j]] })
	// Repeated type tokens would repeat resources.
	return compact(out)
}

func (c *StackCheck) indexTypes() {
	if c.byType != nil {
		return
	}
	c.byType = make(map[string][]*Resource)
	c.position = make(map[*Resource]int, len(c.Resources))
	for i, r := range c.Resources {
		c.byType[r.Type] = append(c.byType[r.Type], r)
		c.position[r] = i
	}
	for t, rs := range c.byType {
		c.byType[t] = rs[:len(rs):len(rs)] // an append by a caller copies
	}
}

func compact(rs []*Resource) []*Resource {
	out := rs[:0]
	for i, r := range rs {
		if i == 0 || r != rs[i-1] {
			out = append(out, r)
		}
	}
	return out
}

// Referrers indexes the resources of one type by what their property prop
// refers to: the URNs it was computed from (ids are unknown at preview) and
// its known string value (a bucket name, an id).
type Referrers struct {
	byURN, byValue map[string][]*Resource
	position       map[*Resource]int
	// undecided: some referrer's prop is unknown and carries no dependency
	// that could say which resource it names.
	undecided bool
}

// Referrers returns the index of resources of type typ by their property
// prop, built once per rule run.
func (c *StackCheck) Referrers(typ, prop string) *Referrers {
	key := typ + "\x00" + prop
	if x, ok := c.referrers[key]; ok {
		return x
	}
	c.indexTypes()
	x := &Referrers{byURN: map[string][]*Resource{}, byValue: map[string][]*Resource{}, position: c.position}
	for _, r := range c.byType[typ] {
		deps := r.PropertyDependencies[prop]
		for _, u := range deps {
			x.byURN[u] = append(x.byURN[u], r)
		}
		v := r.Get(prop)
		if v.HasUnknown() {
			x.undecided = x.undecided || len(deps) == 0
			continue
		}
		if s, _ := v.Str(); strings.TrimSpace(s) != "" {
			x.byValue[strings.TrimSpace(s)] = append(x.byValue[strings.TrimSpace(s)], r)
		}
	}
	if c.referrers == nil {
		c.referrers = map[string]*Referrers{}
	}
	c.referrers[key] = x
	return x
}

// To returns, in stack order, the referrers whose property names target: by
// a property dependency on its URN, or by a known value equal to the known
// value of one of target's keys (such as "bucket" or "id"). undecided is true
// when some referrer of the type could name target but its property is
// unknown and has no dependency information to settle it.
func (x *Referrers) To(target *Resource, keys ...string) (found []*Resource, undecided bool) {
	found = append(found, x.byURN[target.URN]...)
	for _, k := range keys {
		if s, _ := target.Get(k).Str(); strings.TrimSpace(s) != "" {
			found = append(found, x.byValue[strings.TrimSpace(s)]...)
		}
	}
	if len(found) > 1 {
		sort.SliceStable(found, func(i, j int) bool { return x.position[found[i]] < x.position[found[j]] })
		found = compact(found)
	}
	return found, x.undecided
}

// Memo returns build's result, computed once per rule run under key: for an
// index a rule consults for every resource it checks.
func Memo[T any](c *StackCheck, key string, build func() T) T {
	if v, ok := c.memo[key]; ok {
		return v.(T)
	}
	v := build()
	if c.memo == nil {
		c.memo = map[string]any{}
	}
	c.memo[key] = v
	return v
}
