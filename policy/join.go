package policy

import (
	"slices"
	"strings"
)

// Stack rules join resources: a bucket and the BucketVersioningV2 that names
// it, a recorder and its RecorderStatus. Doing that by scanning the stack for
// every target is quadratic, and stacks run to tens of thousands of
// resources, so the stack is indexed once per analysis — by type, and by
// what a type's property refers to — and the indexes are shared by its rules
// (see SharedStack), which may run concurrently. Indexes hold positions in
// the stack, which keep results in stack order.

// OfType returns the resources of any of the given kinds (Resource.Kind), in
// stack order.
func (c *StackCheck) OfType(types ...string) []*Resource {
	var positions []int
	for _, t := range types {
		positions = append(positions, c.positions(t)...)
	}
	if len(types) > 1 {
		slices.Sort(positions)
		positions = slices.Compact(positions) // a type named twice
	}
	out := make([]*Resource, len(positions))
	for i, p := range positions {
		out[i] = c.Resources[p]
	}
	return out
}

// positions returns where the resources of a kind sit in the stack.
func (c *StackCheck) positions(typ string) []int {
	s := c.shared
	s.once.Do(func() {
		s.byType = make(map[string][]int)
		for i, r := range s.resources {
			s.byType[r.Kind] = append(s.byType[r.Kind], i)
		}
	})
	return s.byType[typ]
}

// Referrers indexes the resources of one kind by what their property prop
// refers to: the URNs it was computed from (ids are unknown at preview) and
// its known string value (a bucket name, an id).
type Referrers struct {
	stack          []*Resource
	byURN, byValue map[string][]int // positions in stack
	// undecided: some referrer's prop is unknown and carries no dependency
	// that could say which resource it names.
	undecided bool
}

// Referrers returns the index of resources of kind typ by their property
// prop, built once per analysis and shared by its rules.
func (c *StackCheck) Referrers(typ, prop string) *Referrers {
	return c.shared.index("referrers\x00"+typ+"\x00"+prop, func() any {
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
		return x
	}).(*Referrers)
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
		if len(x.byValue) == 0 {
			break // no referrer has a known value: target's keys cannot match
		}
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

// Memo returns build's result, computed once per analysis under key and
// shared by the stack rules: for an index a rule consults for every resource
// it checks. build may read only the stack, and key must be unique to it.
func Memo[T any](c *StackCheck, key string, build func() T) T {
	return c.shared.index("memo\x00"+key, func() any { return build() }).(T)
}
