package policy_test

import (
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mlguard/mlguard/policy"
	pt "github.com/mlguard/mlguard/policy/policytest"
)

func fixture() policy.Value {
	return policy.Props(pt.Props(map[string]any{
		"name":  "bucket",
		"count": 3,
		"flag":  true,
		"nil":   nil,
		"defaultUserSettings": map[string]any{
			"sharingSettings": map[string]any{"s3KmsKeyId": "arn:aws:kms:key", "notebookOutputOption": "Allowed"},
		},
		"rules":    []any{map[string]any{"status": "Enabled"}, map[string]any{"status": pt.Unknown}},
		"computed": pt.Unknown,
		"secret":   pt.Secret(map[string]any{"password": "hunter22", "inner": pt.Secret("deeper")}),
		"strFlag":  "false",
	}))
}

func TestValueGet(t *testing.T) {
	v := fixture()
	tests := []struct {
		path    string
		kind    policy.Kind
		secret  bool
		display string
	}{
		{"name", policy.String, false, `"bucket"`},
		{"count", policy.Number, false, "3"},
		{"flag", policy.Bool, false, "true"},
		{"nil", policy.Null, false, "null"},
		{"absent", policy.Missing, false, "not set"},
		{"defaultUserSettings.sharingSettings.s3KmsKeyId", policy.String, false, `"arn:aws:kms:key"`},
		{"defaultUserSettings.nope.deeper", policy.Missing, false, "not set"},
		{"rules.0.status", policy.String, false, `"Enabled"`},
		{"rules.1.status", policy.Unknown, false, "unknown until the update"},
		{"rules.7.status", policy.Missing, false, "not set"},
		{"rules.x", policy.Missing, false, "not set"},
		{"computed", policy.Unknown, false, "unknown until the update"},
		{"computed.any.depth", policy.Unknown, false, "unknown until the update"},
		{"name.deeper", policy.Missing, false, "not set"},
		{"secret", policy.Object, true, "[secret]"},
		{"secret.password", policy.String, true, "[secret]"},
		{"secret.inner", policy.String, true, "[secret]"},
		{"rules", policy.List, false, "a list of 2"},
	}
	for _, tc := range tests {
		t.Run(tc.path, func(t *testing.T) {
			got := v.Get(tc.path)
			assert.Equal(t, tc.kind, got.Kind())
			assert.Equal(t, tc.secret, got.IsSecret())
			assert.Equal(t, tc.display, got.Display())
			assert.Equal(t, tc.path, got.Path())
		})
	}
}

func TestValueScalars(t *testing.T) {
	v := fixture()
	s, ok := v.Get("name").Str()
	assert.True(t, ok)
	assert.Equal(t, "bucket", s)
	_, ok = v.Get("count").Str()
	assert.False(t, ok, "a number is not a string")

	b, ok := v.Get("strFlag").Bool()
	assert.True(t, ok, `"false" reads as a bool`)
	assert.False(t, b)
	_, ok = v.Get("name").Bool()
	assert.False(t, ok)
	_, ok = v.Get("computed").Bool()
	assert.False(t, ok, "an unknown is no bool")

	n, ok := v.Get("count").Num()
	assert.True(t, ok)
	assert.Equal(t, 3.0, n)

	pw, ok := v.Get("secret.password").Str()
	assert.True(t, ok, "rules may read secret values")
	assert.Equal(t, "hunter22", pw)
}

func TestValueCollections(t *testing.T) {
	v := fixture()
	assert.Equal(t, 2, v.Get("rules").Len())
	elems := v.Get("rules").Elems()
	require.Len(t, elems, 2)
	assert.Equal(t, "rules.1", elems[1].Path())
	keys := v.Get("defaultUserSettings.sharingSettings").Keys()
	sort.Strings(keys)
	assert.Equal(t, []string{"notebookOutputOption", "s3KmsKeyId"}, keys)
	assert.Nil(t, v.Get("name").Elems())
	assert.True(t, v.Get("rules").HasUnknown())
	assert.False(t, v.Get("defaultUserSettings").HasUnknown())
	assert.True(t, v.HasUnknown())
}

func TestValueSecretStrings(t *testing.T) {
	var got []string
	fixture().SecretStrings(func(s string) { got = append(got, s) })
	sort.Strings(got)
	assert.Equal(t, []string{"deeper", "hunter22"}, got)
}

func TestDisplayShortensLongStrings(t *testing.T) {
	v := policy.Props(pt.Props(map[string]any{"doc": strings.Repeat("x", 500)}))
	assert.Less(t, len(v.Get("doc").Display()), 100)
}

func TestNilPropsAreEmpty(t *testing.T) {
	v := policy.Props(nil)
	assert.Equal(t, policy.Object, v.Kind())
	assert.Equal(t, policy.Missing, v.Get("a.b").Kind())
}

func TestCheckKnownAndViolations(t *testing.T) {
	r := pt.Resource("aws:s3/bucket:Bucket", "b", map[string]any{"versioning": pt.Unknown, "acl": "public-read"})
	c := policy.NewCheck(r, nil, nil)
	_, ok := c.Known("versioning.enabled")
	assert.False(t, ok)
	acl, ok := c.Known("acl")
	require.True(t, ok)
	c.Violatef(acl, "is %s; make it private", acl.Display())
	require.Len(t, c.Violations(), 1)
	assert.Equal(t, `aws:s3/bucket:Bucket "b": acl: is "public-read"; make it private`, c.Violations()[0].Message)
	assert.Equal(t, r.URN, c.Violations()[0].URN)
	assert.Contains(t, c.NotApplicableReason(), "versioning.enabled is unknown")
}

func TestStackCheckJoins(t *testing.T) {
	bucket := pt.Resource("aws:s3/bucketV2:BucketV2", "b", map[string]any{"bucket": pt.Unknown})
	versioning := pt.Resource("aws:s3/bucketVersioningV2:BucketVersioningV2", "v", map[string]any{"bucket": pt.Unknown})
	versioning.PropertyDependencies = map[string][]string{"bucket": {bucket.URN}}
	c := policy.NewStackCheck([]*policy.Resource{bucket, versioning}, nil, nil)
	assert.Equal(t, []*policy.Resource{versioning}, c.OfType("aws:s3/bucketVersioningV2:BucketVersioningV2"))
	assert.Same(t, bucket, c.ByURN(bucket.URN))
	assert.Nil(t, c.ByURN("urn:none"))
	assert.True(t, versioning.DependsOn("bucket", bucket.URN))
	assert.False(t, versioning.DependsOn("other", bucket.URN))
}

func TestFixSet(t *testing.T) {
	props := pt.Props(map[string]any{
		"tags":   map[string]any{"team": "ml"},
		"secret": pt.Secret(map[string]any{}),
		"name":   "x",
		"later":  pt.Unknown,
	})
	r := &policy.Resource{URN: "u", Type: "t", Name: "n", Props: policy.Props(props)}
	f := policy.NewFix(r, props, nil, nil)
	require.NoError(t, f.Set("tags.owner", "platform"))
	require.NoError(t, f.Set("new.deep.key", 1))
	require.NoError(t, f.Set("secret.k", "v"))
	assert.ErrorContains(t, f.Set("name.x", 1), "name is string, not an object")
	assert.ErrorContains(t, f.Set("later.x", 1), "later is unknown")
	assert.True(t, f.Changed())

	out := policy.Props(f.Properties())
	assert.Equal(t, `"platform"`, out.Get("tags.owner").Display())
	assert.Equal(t, `"ml"`, out.Get("tags.team").Display())
	assert.Equal(t, "1", out.Get("new.deep.key").Display())
	assert.True(t, out.Get("secret.k").IsSecret())
	assert.Equal(t, `"platform"`, f.Get("tags.owner").Display(), "the fix reads its own writes")
	assert.Equal(t, policy.Missing, policy.Props(props).Get("tags.owner").Kind(), "the input is not modified")
}

func TestValueFields(t *testing.T) {
	v := fixture()
	got := map[string]string{}
	for k, f := range v.Get("defaultUserSettings.sharingSettings").Fields() {
		got[k] = f.Path()
	}
	assert.Equal(t, map[string]string{
		"s3KmsKeyId":           "defaultUserSettings.sharingSettings.s3KmsKeyId",
		"notebookOutputOption": "defaultUserSettings.sharingSettings.notebookOutputOption",
	}, got)
	for k, f := range v.Get("secret").Fields() {
		assert.True(t, f.IsSecret(), k)
	}
	n := 0
	for range v.Get("name").Fields() {
		n++
	}
	for range v.Get("computed").Fields() {
		n++
	}
	assert.Zero(t, n, "a string and an unknown have no fields")
	for range v.Fields() {
		break // stopping early is allowed
	}
}

func TestValueStates(t *testing.T) {
	v := fixture()
	for path, want := range map[string][2]bool{ // unknown, absent
		"computed": {true, false},
		"nil":      {false, true},
		"absent":   {false, true},
		"name":     {false, false},
		"rules":    {false, false},
	} {
		assert.Equal(t, want[0], v.Get(path).IsUnknown(), path)
		assert.Equal(t, want[1], v.Get(path).IsAbsent(), path)
	}
}

func TestValueIndex(t *testing.T) {
	rules := fixture().Get("rules")
	assert.Equal(t, "rules.1", rules.Index(1).Path())
	assert.Equal(t, policy.Object, rules.Index(1).Kind())
	for _, i := range []int{2, -1} {
		assert.Equal(t, policy.Missing, rules.Index(i).Kind(), "index %d of a list of 2", i)
	}
	assert.Equal(t, policy.Missing, fixture().Get("name").Index(0).Kind(), "a string has no elements")
	assert.Equal(t, policy.Unknown, fixture().Get("computed").Index(0).Kind(), "below an unknown is unknown")
	assert.Equal(t, policy.Missing, fixture().Get("rules.2").Kind())
}

func TestValueNum(t *testing.T) {
	v := policy.Props(pt.Props(map[string]any{"n": "2.5", "bad": "two", "flag": true}))
	n, ok := v.Get("n").Num()
	assert.True(t, ok, "a numeric string is a number")
	assert.Equal(t, 2.5, n)
	_, ok = v.Get("bad").Num()
	assert.False(t, ok)
	_, ok = v.Get("flag").Num()
	assert.False(t, ok)
	_, ok = v.Get("absent").Num()
	assert.False(t, ok)
}

func TestValueDisplay(t *testing.T) {
	eighty, eightyOne := strings.Repeat("x", 80), strings.Repeat("y", 81)
	v := policy.Props(pt.Props(map[string]any{"fraction": 1.25, "large": 1e21, "eighty": eighty, "long": eightyOne, "obj": map[string]any{}}))
	assert.Equal(t, "1.25", v.Get("fraction").Display())
	assert.Equal(t, "1e+21", v.Get("large").Display())
	assert.Equal(t, `"`+eighty+`"`, v.Get("eighty").Display(), "80 characters are shown whole")
	assert.Equal(t, `"`+strings.Repeat("y", 77)+`..."`, v.Get("long").Display())
	assert.Equal(t, "an object", v.Get("obj").Display())
}

func TestConfigOf(t *testing.T) {
	type cfg struct{ N int }
	c := policy.NewCheck(pt.Resource("t:m:T", "r", nil), &cfg{N: 3}, nil)
	assert.Equal(t, 3, policy.ConfigOf[cfg](c).N)
	for _, config := range []any{nil, &struct{ M int }{}, cfg{N: 3}} {
		c := policy.NewCheck(pt.Resource("t:m:T", "r", nil), config, nil)
		got := policy.ConfigOf[cfg](c)
		require.NotNil(t, got, "%T: a zero config rather than nil", config)
		assert.Zero(t, got.N)
	}
}

// The path trace hears of every read by its resource and full path, through
// Resource.Get, Get, Field and Index, and nothing once it is cleared.
func TestSetPathTrace(t *testing.T) {
	a := pt.Resource("t:m:A", "a", map[string]any{"list": []any{map[string]any{"x": 1}}, "obj": map[string]any{"k": "v"}})
	b := pt.Resource("t:m:B", "b", map[string]any{"obj": map[string]any{"k": "v"}})
	type read struct{ name, path string }
	var reads []read
	policy.SetPathTrace(func(r *policy.Resource, path string) { reads = append(reads, read{r.Name, path}) })
	defer policy.SetPathTrace(nil)

	a.Get("obj").Field("k")
	b.Get("obj.k")
	a.Get("list").Index(0).Get("x")
	for range a.Get("obj").Fields() {
	}
	assert.Equal(t, []read{
		{"a", "obj"}, {"a", "obj.k"},
		{"b", "obj.k"},
		{"a", "list"}, {"a", "list.0"}, {"a", "list.0.x"},
		{"a", "obj"}, {"a", "obj.k"},
	}, reads)

	reads = nil
	policy.SetPathTrace(func(r *policy.Resource, path string) { reads = append(reads, read{r.Name, path}) })
	b.Get("obj")
	assert.Equal(t, []read{{"b", "obj"}}, reads, "a new trace numbers resources afresh")

	policy.SetPathTrace(nil)
	reads = nil
	a.Get("obj").Field("k")
	a.Get("list").Index(0)
	assert.Empty(t, reads)
	// A value read while tracing and used after does not reach a cleared trace.
	policy.SetPathTrace(func(r *policy.Resource, path string) { reads = append(reads, read{r.Name, path}) })
	obj := a.Get("obj")
	policy.SetPathTrace(nil)
	reads = nil
	obj.Field("k")
	assert.Empty(t, reads)
	// Nor does one read under an earlier trace reach a later one.
	policy.SetPathTrace(func(r *policy.Resource, path string) { reads = append(reads, read{r.Name, path}) })
	a.Get("obj")
	old := b.Get("obj")
	policy.SetPathTrace(func(r *policy.Resource, path string) { reads = append(reads, read{r.Name, path}) })
	reads = nil
	old.Field("k")
	assert.Empty(t, reads)
}

// Values not read through a resource are not traced.
func TestPathTraceNeedsAResource(t *testing.T) {
	var n int
	policy.SetPathTrace(func(*policy.Resource, string) { n++ })
	defer policy.SetPathTrace(nil)
	fixture().Get("rules").Index(0).Field("status")
	assert.Zero(t, n)
}
