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
