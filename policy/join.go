package policy

import (
	"slices"
	"strings"
)

// Stack rules join resources: a bucket and the BucketVersioningV2 that names
// it, a recorder and its RecorderStatus. Doing that by scanning the stack for
// every target is quadratic, and stacks run to tens of thousands of
// resources, so the stack is indexed by type once per analysis (shared by
// its rules, see SharedStack), and a StackCheck indexes what a type's
// property refers to once per rule run. Indexes hold positions in the stack,
// which keep results in stack order. A StackCheck belongs to one rule run on
// one goroutine; only the shared index needs a lock.

// OfType returns the resources with any of the given type tokens, in stack
// order. The caller must not modify the slice.
func (c *StackCheck) OfType(types ...string) []*Resource {
	if len(types) != 1 {
		var out []*Resource
		for _, r := range c.Resources {
			if slices.Contains(types, r.Type) {
				out = append(out, r)
			}
		}
		return out
	}
	if rs, ok := c.ofType[types[0]]; ok {
		return rs
	}
	positions := c.positions(types[0])
	rs := make([]*Resource, len(positions))
	for i, p := range positions {
		rs[i] = c.Resources[p]
	}
	if c.ofType == nil {
		c.ofType = map[string][]*Resource{}
	}
	c.ofType[types[0]] = rs
	return rs
}

// positions returns where the resources of a type sit in the stack.
func (c *StackCheck) positions(typ string) []int {
	s := c.shared
	s.once.Do(func() {
		s.byType = make(map[string][]int)
		for i, r := range s.resources {
			s.byType[r.Type] = append(s.byType[r.Type], i)
		}
	})
	return s.byType[typ]
}

// Referrers indexes the resources of one type by what their property prop
// refers to: the URNs it was computed from (ids are unknown at preview) and
// its known string value (a bucket name, an id).
type Referrers struct {
	stack          []*Resource
	byURN, byValue map[string][]int // positions in stack
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
	x := &Referrers{stack: c.Resources, byURN: map[string][]int{}, byValue: map[string][]int{}}
	for _, p := range c.positions(typ) {
		r := c.Resources[p]
		deps := r.PropertyDependencies[prop]
		for _, u := range deps {
			x.byURN[u] = append(x.byURN[u], p)
		}
		v := r.Get(prop)
		if v.HasUnknown() {
			x.undecided = x.undecided || len(deps) == 0
			continue
		}
		if s := knownKey(v); s != "" {
			x.byValue[s] = append(x.byValue[s], p)
		}
	}
	if c.referrers == nil {
		c.referrers = map[string]*Referrers{}
	}
	c.referrers[key] = x
	return x
}

// knownKey is the trimmed string a join compares ("" when there is none).
func knownKey(v Value) string {
	s, _ := v.Str()
	return strings.TrimSpace(s)
}

// To returns, in stack order, the referrers whose property names target: by
// a property dependency on its URN, or by a known value equal to the known
// value of one of target's keys (such as "bucket" or "id"). undecided is true
// when some referrer of the type could name target but its property is
// unknown and has no dependency information to settle it.
func (x *Referrers) To(target *Resource, keys ...string) (found []*Resource, undecided bool) {
	positions := x.byURN[target.URN]
	for _, k := range keys {
		if s := knownKey(target.Get(k)); s != "" {
			positions = append(positions[:len(positions):len(positions)], x.byValue[s]...)
		}
	}
	if len(positions) > 1 {
		positions = slices.Compact(slices.Sorted(slices.Values(positions)))
	}
	for _, p := range positions {
		found = append(found, x.stack[p])
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
