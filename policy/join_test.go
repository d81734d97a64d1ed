package policy_test

import (
	"sync"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/mlguard/mlguard/policy"
	pt "github.com/mlguard/mlguard/policy/policytest"
)

const (
	bucketT     = "aws:s3/bucketV2:BucketV2"
	versioningT = "aws:s3/bucketVersioningV2:BucketVersioningV2"
)

func names(rs []*policy.Resource) []string {
	out := []string{}
	for _, r := range rs {
		out = append(out, r.Name)
	}
	return out
}

// dependsOn sets r's property dependency on target for prop.
func dependsOn(r *policy.Resource, prop string, targets ...*policy.Resource) *policy.Resource {
	if r.PropertyDependencies == nil {
		r.PropertyDependencies = map[string][]string{}
	}
	for _, t := range targets {
		r.PropertyDependencies[prop] = append(r.PropertyDependencies[prop], t.URN)
	}
	return r
}

func TestReferrersTo(t *testing.T) {
	logs := pt.Resource(bucketT, "logs", map[string]any{"bucket": "logs-bucket", "id": "logs-bucket"})
	data := pt.Resource(bucketT, "data", map[string]any{"bucket": pt.Unknown, "id": pt.Unknown})
	other := pt.Resource(bucketT, "other", map[string]any{"bucket": "other-bucket"})

	byValue := pt.Resource(versioningT, "by-value", map[string]any{"bucket": " logs-bucket "})
	byDep := dependsOn(pt.Resource(versioningT, "by-dep", map[string]any{"bucket": pt.Unknown}), "bucket", data)
	both := dependsOn(pt.Resource(versioningT, "both", map[string]any{"bucket": "logs-bucket"}), "bucket", logs)
	elsewhere := dependsOn(pt.Resource(versioningT, "elsewhere", map[string]any{"bucket": pt.Unknown}), "bucket", other)
	unsettled := pt.Resource(versioningT, "unsettled", map[string]any{"bucket": pt.Unknown})

	tests := []struct {
		name          string
		stack         []*policy.Resource
		target        *policy.Resource
		wantFound     []string
		wantUndecided bool
	}{
		{"known value, in stack order, each once", []*policy.Resource{logs, both, byValue}, logs, []string{"both", "by-value"}, false},
		{"dependency while the id is unknown", []*policy.Resource{data, byDep, elsewhere}, data, []string{"by-dep"}, false},
		{"a dependency on another resource rules it out", []*policy.Resource{other, elsewhere, data}, data, []string{}, false},
		{"unknown without dependencies cannot be ruled out", []*policy.Resource{data, unsettled}, data, []string{}, true},
		{"unknown target keys match nothing by value", []*policy.Resource{data, byValue}, data, []string{}, false},
		{"no referrers", []*policy.Resource{logs}, logs, []string{}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := policy.NewStackCheck(tt.stack, nil, nil)
			found, undecided := c.Referrers(versioningT, "bucket").To(tt.target, "bucket", "id")
			assert.Equal(t, tt.wantFound, names(found))
			assert.Equal(t, tt.wantUndecided, undecided)
		})
	}
}

func TestOfType(t *testing.T) {
	a := pt.Resource(bucketT, "a", nil)
	v := pt.Resource(versioningT, "v", nil)
	b := pt.Resource(bucketT, "b", nil)
	c := policy.NewStackCheck([]*policy.Resource{a, v, b}, nil, nil)

	assert.Equal(t, []string{"a", "b"}, names(c.OfType(bucketT)))
	assert.Equal(t, []string{"a", "v", "b"}, names(c.OfType(versioningT, bucketT)), "stack order across types")
	assert.Equal(t, []string{"a", "b"}, names(c.OfType(bucketT, bucketT)), "a repeated type does not repeat resources")
	assert.Empty(t, c.OfType("aws:kms/key:Key"))

	// A caller appending to the result must not write into the index.
	_ = append(c.OfType(bucketT), v)
	assert.Equal(t, []string{"a", "b", "v"}, names(append(c.OfType(bucketT), v)))
	assert.Equal(t, []string{"a", "b"}, names(c.OfType(bucketT)))
}

func TestMemoBuildsOnce(t *testing.T) {
	c := policy.NewStackCheck(nil, nil, nil)
	builds := 0
	build := func() int { builds++; return 42 }
	assert.Equal(t, 42, policy.Memo(c, "k", build))
	assert.Equal(t, 42, policy.Memo(c, "k", build))
	assert.Equal(t, 1, builds)
	// Another rule run starts afresh.
	assert.Equal(t, 42, policy.Memo(policy.NewStackCheck(nil, nil, nil), "k", build))
	assert.Equal(t, 2, builds)
}

// Derived data is kept per resource, the same for every rule, also when
// rules ask at once; a copy with other properties derives afresh.
func TestDerivedBuildsOncePerResource(t *testing.T) {
	r := pt.Resource(bucketT, "b", map[string]any{"bucket": "data"})
	var builds atomic.Int32
	build := func(r *policy.Resource) string {
		builds.Add(1)
		s, _ := r.Get("bucket").Str()
		return s
	}
	var wg sync.WaitGroup
	for range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			assert.Equal(t, "data", policy.Derived(r, "name", build))
		}()
	}
	wg.Wait()
	before := builds.Load()
	assert.Equal(t, "data", policy.Derived(r, "name", build))
	assert.Equal(t, before, builds.Load(), "built already")
	assert.Equal(t, 4, policy.Derived(r, "len", func(r *policy.Resource) int { return len(r.Name) + 3 }), "keys are separate")

	other := r.WithProps(policy.Props(pt.Props(map[string]any{"bucket": "logs"})))
	assert.Equal(t, "logs", policy.Derived(other, "name", build))
	assert.Equal(t, r.URN, other.URN)
}
