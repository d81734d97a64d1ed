package policy

import "sync/atomic"

// PathTrace, when set, is told of every property path a rule reads from a
// resource (Resource.Get, and Get, Field and Index on what it returned), with
// the resource. Schema tests set it to check that every path a rule reads
// exists in the provider's schema for the resource's type; it is never set
// while serving.
func SetPathTrace(fn func(r *Resource, path string)) {
	if fn == nil {
		pathTrace.Store(nil)
		return
	}
	pathTrace.Store(&fn)
}

var pathTrace atomic.Pointer[func(*Resource, string)]

// traced reports v's read to the path trace, if one is set.
func (v Value) traced() {
	if v.origin == nil {
		return
	}
	if fn := pathTrace.Load(); fn != nil {
		(*fn)(v.origin, v.Path())
	}
}
