package policy

import (
	"strings"
	"sync"
	"sync/atomic"
)

// SetPathTrace, when fn is not nil, has fn told of every property path a
// rule reads from a resource (Resource.Get, and Get, Field and Index on what
// it returned), with the resource. Schema tests set it to check that every
// path a rule reads exists in the provider's schema for the resource's type;
// it is never set while serving.
func SetPathTrace(fn func(r *Resource, path string)) {
	tracing.mu.Lock()
	defer tracing.mu.Unlock()
	tracing.ids, tracing.resources = nil, nil
	if fn == nil {
		pathTrace.Store(nil)
		return
	}
	pathTrace.Store(&fn)
}

var pathTrace atomic.Pointer[func(*Resource, string)]

// tracing numbers the resources read while a trace is set. Values carry the
// number, not the resource: a pointer in a Value that reaches the trace
// function would make every Value escape to the heap, traced or not.
var tracing struct {
	mu        sync.Mutex
	ids       map[*Resource]uint32
	resources []*Resource
}

// traceID is r's number while a trace is set, else 0 (not traced).
func traceID(r *Resource) uint32 {
	if pathTrace.Load() == nil {
		return 0
	}
	tracing.mu.Lock()
	defer tracing.mu.Unlock()
	if id, ok := tracing.ids[r]; ok {
		return id
	}
	if tracing.ids == nil {
		tracing.ids = map[*Resource]uint32{}
	}
	tracing.resources = append(tracing.resources, r)
	id := uint32(len(tracing.resources))
	tracing.ids[r] = id
	return id
}

// trace reports the read of v to the trace. What it hands on is copied:
// anything of v's that reached the trace function would make every Value's
// contents escape to the heap, traced or not.
func (v Value) trace() { traceRead(v.traced, strings.Clone(v.base), strings.Clone(v.rel)) }

// traceRead reports a read of path base.rel of resource id to the trace.
func traceRead(id uint32, base, rel string) {
	fn := pathTrace.Load()
	if fn == nil {
		return
	}
	if r := tracedResource(id); r != nil {
		(*fn)(r, join(base, rel))
	}
}

// tracedResource is the resource numbered id under the current trace (nil
// for a number of an earlier one).
func tracedResource(id uint32) *Resource {
	tracing.mu.Lock()
	defer tracing.mu.Unlock()
	if int(id) <= len(tracing.resources) {
		return tracing.resources[id-1]
	}
	return nil
}
