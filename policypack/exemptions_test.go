package policypack

import (
	"context"
	"os"
	"strings"
	"testing"
	"time"

	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"google.golang.org/protobuf/types/known/structpb"

	"github.com/mlguard/mlguard/analyzer"
	"github.com/mlguard/mlguard/analyzer/analyzertest"
	"github.com/mlguard/mlguard/policy"
	pt "github.com/mlguard/mlguard/policy/policytest"
)

func fixNow(t *testing.T, day string) {
	d, err := time.Parse("2006-01-02", day)
	if err != nil {
		t.Fatal(err)
	}
	old := now
	now = func() time.Time { return d.Add(12 * time.Hour) }
	t.Cleanup(func() { now = old })
}

// daysFromNow is the date n days from the real clock, for fixtures built before fixNow.
func daysFromNow(n int) string { return time.Now().UTC().AddDate(0, 0, n).Format("2006-01-02") }

// The specs run on 2026-06-01: with the default maxDays of 90, the last day a
// tag may name is 2026-08-30.
func TestExemptionValid(t *testing.T) {
	fixNow(t, "2026-06-01")
	with := func(v any) map[string]any { return map[string]any{"tags": map[string]any{"mlguard-exemption": v}} }
	keyed := func(policy string, v any) map[string]any {
		return map[string]any{"tags": map[string]any{"mlguard-exemption:" + policy: v}}
	}
	const closed = "which the pack's configuration does not open to tag exemptions"
	runSpecs(t, exemptionValid, s3Bucket, []spec{
		{name: "no exemption", props: map[string]any{"tags": goodTags}},
		{name: "valid", props: with("s3-bucket-access-logging:2026-07-31:this is the log bucket")},
		{name: "valid, several", props: with("s3-bucket-access-logging:2026-07-31:log bucket;s3-bucket-kms-encryption:2026-06-01:legacy reader")},
		{name: "per-policy key", props: keyed("s3-bucket-access-logging", "2026-07-31:log bucket")},

		// How long: maxDays from the day of the preview.
		{name: "on the last allowed day", props: with("s3-bucket-access-logging:2026-08-30:log bucket")},
		{name: "a day beyond the maximum", props: with("s3-bucket-access-logging:2026-08-31:log bucket"),
			violation: `tags.mlguard-exemption: the exemption of s3-bucket-access-logging runs until 2026-08-31, longer than the limit of 90 days from today (the latest allowed is 2026-08-30)`},
		{name: "decades beyond the maximum", props: keyed("s3-bucket-access-logging", "2099-12-31:log bucket"), violation: `limit of 90 days`},
		{name: "maxDays 30: within", props: with("s3-bucket-access-logging:2026-07-01:log bucket"), config: map[string]any{"maxDays": 30}},
		{name: "maxDays 30: beyond", props: with("s3-bucket-access-logging:2026-07-02:log bucket"), config: map[string]any{"maxDays": 30},
			violation: `runs until 2026-07-02, longer than the limit of 30 days from today (the latest allowed is 2026-07-01)`},

		// Which policies: low and medium by default, the config opens and closes more.
		{name: "critical policy: closed by default", props: keyed("s3-bucket-no-public-acl", "2026-07-01:needed for the demo"),
			violation: `tags.mlguard-exemption:s3-bucket-no-public-acl: exempts s3-bucket-no-public-acl, ` + closed},
		{name: "critical policy: says how to ask", props: keyed("s3-bucket-no-public-acl", "2026-07-01:x"), violation: `ask the platform team for a central exemption`},
		{name: "the issue's tag: closed, and not also too long", props: keyed("s3-bucket-no-public-acl", "2099-12-31:needed for the demo"), violation: closed},
		{name: "high policy: closed by default", props: with("s3-bucket-public-access-block:2026-07-01:x"), violation: `exempts s3-bucket-public-access-block, ` + closed},
		{name: "opened by name", props: keyed("s3-bucket-no-public-acl", "2026-07-01:x"),
			config: map[string]any{"taggable": map[string]any{"policies": []any{"s3-bucket-no-public-acl"}}}},
		{name: "opened by name, low and medium stay open", props: with("s3-bucket-access-logging:2026-07-01:x"),
			config: map[string]any{"taggable": map[string]any{"policies": []any{"s3-bucket-no-public-acl"}}}},
		{name: "opened by the policy's tag", props: keyed("s3-bucket-no-public-acl", "2026-07-01:x"),
			config: map[string]any{"taggable": map[string]any{"tags": []any{"public-access"}}}},
		{name: "opened by severity", props: keyed("s3-bucket-no-public-acl", "2026-07-01:x"),
			config: map[string]any{"taggable": map[string]any{"severities": []any{"critical"}}}},
		{name: "severities replace the default", props: with("s3-bucket-access-logging:2026-07-01:x"),
			config: map[string]any{"taggable": map[string]any{"severities": []any{"critical"}}}, violation: `exempts s3-bucket-access-logging, ` + closed},
		{name: "no severity open", props: with("s3-bucket-kms-encryption:2026-07-01:x"),
			config: map[string]any{"taggable": map[string]any{"severities": []any{}}}, violation: closed},
		{name: "closed by name", props: with("s3-bucket-access-logging:2026-07-01:x"),
			config: map[string]any{"closed": []any{"s3-bucket-access-logging"}}, violation: `exempts s3-bucket-access-logging, ` + closed},
		{name: "closed wins over opened", props: keyed("s3-bucket-no-public-acl", "2026-07-01:x"),
			config:    map[string]any{"taggable": map[string]any{"policies": []any{"s3-bucket-no-public-acl"}}, "closed": []any{"s3-bucket-no-public-acl"}},
			violation: closed},

		{name: "expired", props: with("s3-bucket-access-logging:2026-05-31:log bucket"),
			violation: `tags.mlguard-exemption: the exemption of s3-bucket-access-logging expired on 2026-05-31`},
		{name: "expired and closed: expired is said", props: keyed("s3-bucket-no-public-acl", "2026-05-31:x"), violation: `expired on 2026-05-31`},
		{name: "unknown policy", props: with("s3-logging:2026-07-31:x"), violation: `names "s3-logging", which is not a policy of this pack`},
		{name: "bad date", props: with("s3-bucket-access-logging:31/12/2026:x"), violation: `no valid expiry date`},
		{name: "no reason", props: with("s3-bucket-access-logging:2026-07-31"), violation: `gives no reason`},
		{name: "not an entry", props: with("forever"), violation: `is not <policy>:<YYYY-MM-DD>:<reason>`},
		{name: "self-exemption", props: with("exemption-valid:2026-07-31:x"), violation: `exemption-valid cannot be exempted`},
		{name: "custom tag key: its expired entry counts", props: map[string]any{"tags": map[string]any{"waiver": "s3-bucket-access-logging:2026-05-31:x"}},
			config: map[string]any{"tagKey": "waiver"}, violation: `tags.waiver: the exemption of s3-bucket-access-logging expired`},
		{name: "custom tag key: the default key is ignored", props: with("forever"), config: map[string]any{"tagKey": "waiver"}},
		{name: "tags unknown", props: map[string]any{"tags": pt.Unknown}, unknown: "tags is unknown"},
		{name: "value unknown", props: with(pt.Unknown)},

		// No part of a secret tag value is shown (runSpecs checks secretText).
		{name: "secret expired", props: with(pt.Secret("s3-bucket-access-logging:2020-01-01:" + secretText)), violation: `is [secret] and holds a malformed or expired exemption`},
		{name: "secret, closed", props: with(pt.Secret("s3-bucket-no-public-acl:2026-07-01:" + secretText)), violation: `tags.mlguard-exemption: exempts a policy, ` + closed},
		{name: "secret, closed, policy in the key", props: keyed("s3-bucket-no-public-acl", pt.Secret("2026-07-01:"+secretText)), violation: `exempts s3-bucket-no-public-acl, ` + closed},
		{name: "secret, too long", props: with(pt.Secret("s3-bucket-access-logging:2099-01-01:" + secretText)),
			violation: `the exemption of a policy runs until [secret], longer than the limit of 90 days`},
	})
}

// exemptionConfigOf resolves exemption-valid's config as the runtime does.
func exemptionConfigOf(t *testing.T, values map[string]any) *exemptionConfig {
	t.Helper()
	c, err := exemptionValid.Config.Resolve(values)
	require.NoError(t, err)
	return c.(*exemptionConfig)
}

func TestExemptionConfigErrorsNameTheField(t *testing.T) {
	entry := func(kv ...any) map[string]any {
		e := map[string]any{"stack": "dev", "type": s3Bucket, "name": "public-*", "policy": "s3-bucket-no-public-acl", "expires": "2026-07-01", "reason": "demo"}
		for i := 0; i < len(kv); i += 2 {
			if kv[i+1] == nil {
				delete(e, kv[i].(string))
			} else {
				e[kv[i].(string)] = kv[i+1]
			}
		}
		return e
	}
	central := func(entries ...map[string]any) map[string]any {
		list := []any{entry()} // central[0] is always good: the bad one is central[1]
		for _, e := range entries {
			list = append(list, e)
		}
		return map[string]any{"central": list}
	}
	for _, tc := range []struct {
		name   string
		config map[string]any
		want   []string
	}{
		{"tagKey", map[string]any{"tagKey": "has space"}, []string{`field "tagKey": must match the pattern`}},
		{"taggable: not an object", map[string]any{"taggable": []any{"s3"}}, []string{`field "taggable": must be object, got array`}},
		{"taggable: unknown field", map[string]any{"taggable": map[string]any{"names": []any{"x"}}}, []string{`field "taggable.names": is not a known field`}},
		{"taggable.policies: unknown policy", map[string]any{"taggable": map[string]any{"policies": []any{"s3-bucket-access-logging", "s3-logging"}}},
			[]string{`field "taggable.policies[1]": "s3-logging" is not a policy of this pack`}},
		{"taggable.policies: exemption-valid", map[string]any{"taggable": map[string]any{"policies": []any{"exemption-valid"}}},
			[]string{`field "taggable.policies[0]": exemption-valid cannot be exempted`}},
		{"taggable.severities", map[string]any{"taggable": map[string]any{"severities": []any{"low", "urgent"}}},
			[]string{`field "taggable.severities[1]": must be one of ["low","medium","high","critical"], got "urgent"`}},
		{"taggable.tags", map[string]any{"taggable": map[string]any{"tags": []any{"public"}}}, []string{`field "taggable.tags[0]": "public" is the tag of no policy of this pack`}},
		{"closed", map[string]any{"closed": []any{"s3-bucket-access-logging", "s3-acl"}}, []string{`field "closed[1]": "s3-acl" is not a policy of this pack`}},
		{"closed: repeated", map[string]any{"closed": []any{"s3-bucket-access-logging", "s3-bucket-access-logging"}}, []string{`field "closed[1]": repeats`}},
		{"maxDays: zero", map[string]any{"maxDays": 0}, []string{`field "maxDays": must be at least 1, got 0`}},
		{"maxDays: too many", map[string]any{"maxDays": 4000}, []string{`field "maxDays": must be at most 3650`}},
		{"maxDays: not a number", map[string]any{"maxDays": "90"}, []string{`field "maxDays": must be integer, got string`}},
		{"maxDays: fractional", map[string]any{"maxDays": 1.5}, []string{`field "maxDays": must be integer, got number`}},
		{"central: not a list", map[string]any{"central": map[string]any{}}, []string{`field "central": must be array, got object`}},
		{"central: required fields", central(entry("policy", nil, "expires", nil, "reason", nil)),
			[]string{`field "central[1].policy": is required`, `field "central[1].expires": is required`, `field "central[1].reason": is required`}},
		{"central: unknown field", central(entry("expiry", "2026-07-01")), []string{`field "central[1].expiry": is not a known field`}},
		{"central: expires not a date", central(entry("expires", "31/12/2026")), []string{`field "central[1].expires": must match the pattern`}},
		{"central: expires no such day", central(entry("expires", "2026-02-30")), []string{`field "central[1].expires": "2026-02-30" is not a date (want YYYY-MM-DD)`}},
		{"central: policy unknown", central(entry("policy", "s3-acl")), []string{`field "central[1].policy": "s3-acl" is not a policy of this pack`}},
		{"central: policy exemption-valid", central(entry("policy", "exemption-valid")), []string{`field "central[1].policy": exemption-valid cannot be exempted`}},
		{"central: blank reason", central(entry("reason", "  ")), []string{`field "central[1].reason": must not be blank`}},
		{"central: empty stack", central(entry("stack", "")), []string{`field "central[1].stack": must be at least 1 characters long`}},
		{"central: no resource", central(entry("type", nil, "name", nil)), []string{`field "central[1]": names no resource: give urn, or type and name`}},
		{"central: urn and type", central(entry("urn", "urn:pulumi:dev::p::aws:s3/bucket:Bucket::b")), []string{`field "central[1]": names the resource twice`}},
		{"central: type without name", central(entry("name", nil)), []string{`field "central[1].name": is required with type`}},
		{"central: no stack or project", central(entry("stack", nil)), []string{`field "central[1]": names no stack or project`}},
		{"central: urn not a urn", central(entry("type", nil, "name", nil, "urn", "public-bucket")), []string{`field "central[1].urn": must match the pattern ^urn:pulumi:`}},
		{"central: ticket not a string", central(entry("ticket", 42)), []string{`field "central[1].ticket": must be string, got integer`}},
		{"every problem at once", map[string]any{"maxDays": 0, "closed": []any{"nope"}, "central": []any{entry(), entry("expires", "2026-13-01", "policy", "nope")}},
			[]string{`field "maxDays"`}},
		{"every problem of the rule's own checks at once", map[string]any{"closed": []any{"nope"}, "central": []any{entry(), entry("expires", "2026-13-01", "policy", "nope")}},
			[]string{`field "closed[0]"`, `field "central[1].policy"`, `field "central[1].expires"`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			asSent, err := structpb.NewStruct(tc.config) // numbers as the engine sends them
			require.NoError(t, err)
			_, err = exemptionValid.Config.Resolve(asSent.AsMap())
			require.Error(t, err)
			for _, w := range tc.want {
				assert.Contains(t, err.Error(), w)
			}
		})
	}

	t.Run("a complete config resolves", func(t *testing.T) {
		c := exemptionConfigOf(t, map[string]any{
			"tagKey": "waiver", "maxDays": 30, "closed": []any{"kms-key-rotation"},
			"taggable": map[string]any{"policies": []any{"s3-bucket-no-public-acl"}, "severities": []any{"low"}, "tags": []any{"public-access"}},
			"central": []any{
				entry(),
				entry("stack", nil, "project", "ml", "type", nil, "name", nil, "urn", "urn:pulumi:dev::ml::aws:s3/bucket:Bucket::b", "ticket", "GOV-1"),
			},
		})
		assert.Equal(t, 30, c.maxDays())
		require.Len(t, c.Central, 2)
		assert.Equal(t, "central[1]", c.Central[1].field)
	})
	t.Run("the defaults", func(t *testing.T) {
		c := exemptionConfigOf(t, nil)
		assert.Equal(t, DefaultExemptionTagKey, c.tagKey())
		assert.Equal(t, 90, c.maxDays())
		for _, p := range Pack().Policies {
			open := p.Severity == policy.Low || p.Severity == policy.Medium
			assert.Equal(t, open && p.Name != exemptionValidName, c.openToTags(p), p.Name)
			assert.Equal(t, c.openToTags(p), exemptionSettings(nil).openToTags(p), "a nil config is the default: %s", p.Name)
		}
	})
}

func TestExempt(t *testing.T) {
	fixNow(t, "2026-06-01")
	dev := &policy.Stack{Name: "dev", Project: "ml"}
	r := pt.Resource(s3Bucket, "logs", map[string]any{"tags": map[string]any{"mlguard-exemption": "s3-bucket-access-logging:2026-07-31:this is the log bucket;s3-bucket-kms-encryption:2026-01-01:expired"}})
	got := exempt(r, s3BucketAccessLogging, nil, dev)
	assert.True(t, got.Granted)
	assert.Equal(t, "tag mlguard-exemption exempts it until 2026-07-31: this is the log bucket", got.Note)
	got = exempt(r, s3BucketKMSEncryption, nil, dev)
	assert.Equal(t, policy.Exemption{Note: "tag mlguard-exemption expired on 2026-01-01"}, got)
	assert.Equal(t, policy.Exemption{}, exempt(r, requiredTags, nil, dev), "not named")
	assert.False(t, exempt(r, exemptionValid, nil, dev).Granted, "never exempt")
	fixNow(t, "2026-08-01")
	assert.False(t, exempt(r, s3BucketAccessLogging, nil, dev).Granted, "expired since")
	fixNow(t, "2026-06-01")

	long := pt.Resource(s3Bucket, "l", map[string]any{"tags": map[string]any{"mlguard-exemption:s3-bucket-access-logging": "2026-09-30:log bucket"}})
	assert.Equal(t, policy.Exemption{Note: "tag mlguard-exemption is refused: it runs past 2026-08-30, the limit of 90 days"},
		exempt(long, s3BucketAccessLogging, nil, dev))
	assert.True(t, exempt(long, s3BucketAccessLogging, exemptionConfigOf(t, map[string]any{"maxDays": 365}), dev).Granted, "a longer maximum")

	public := pt.Resource(s3Bucket, "public-bucket", map[string]any{"acl": "public-read-write",
		"tags": map[string]any{"mlguard-exemption:s3-bucket-no-public-acl": "2026-07-01:needed for the demo"}})
	got = exempt(public, s3BucketNoPublicACL, nil, dev)
	assert.False(t, got.Granted, "critical: closed to tags by default")
	assert.Contains(t, got.Note, "tag mlguard-exemption is refused: s3-bucket-no-public-acl is not open to tag exemptions (see exemption-valid)")
	opened := exemptionConfigOf(t, map[string]any{"maxDays": 30, "taggable": map[string]any{"policies": []any{"s3-bucket-no-public-acl"}}})
	assert.Equal(t, policy.Exemption{Granted: true, Note: "tag mlguard-exemption exempts it until 2026-07-01: needed for the demo", By: "tag"},
		exempt(public, s3BucketNoPublicACL, opened, dev))

	s := pt.Resource(s3Bucket, "s", map[string]any{"tags": map[string]any{"mlguard-exemption": pt.Secret("s3-bucket-access-logging:2026-07-31:" + secretText)}})
	got = exempt(s, s3BucketAccessLogging, nil, dev)
	assert.True(t, got.Granted)
	assert.Equal(t, "tag mlguard-exemption exempts it until [secret]: [secret]", got.Note)
	s = pt.Resource(s3Bucket, "s", map[string]any{"tags": map[string]any{"mlguard-exemption": pt.Secret("s3-bucket-access-logging:2020-07-31:" + secretText)}})
	assert.Equal(t, "tag mlguard-exemption expired on [secret]", exempt(s, s3BucketAccessLogging, nil, dev).Note)
	assert.Same(t, exemptionValid, Pack().Exemptions.Policy)

	custom := pt.Resource(s3Bucket, "c", map[string]any{"tags": map[string]any{"waiver": "s3-bucket-access-logging:2026-07-31:log bucket"}})
	assert.False(t, exempt(custom, s3BucketAccessLogging, nil, dev).Granted, "the default key is mlguard-exemption")
	got = exempt(custom, s3BucketAccessLogging, exemptionConfigOf(t, map[string]any{"tagKey": "waiver"}), dev)
	assert.True(t, got.Granted, "a configured tag key is honoured")
	assert.Contains(t, got.Note, "tag waiver exempts it")
}

func TestCentralExemptions(t *testing.T) {
	fixNow(t, "2026-06-01")
	const urn = "urn:pulumi:dev::ml::aws:s3/bucket:Bucket::public-bucket"
	public := pt.Resource(s3Bucket, "public-bucket", map[string]any{"acl": "public-read-write"})
	public.URN = urn
	dev, prod, other := &policy.Stack{Name: "dev", Project: "ml"}, &policy.Stack{Name: "prod", Project: "ml"}, &policy.Stack{Name: "dev", Project: "web"}
	entry := func(kv ...string) map[string]any {
		e := map[string]any{"policy": "s3-bucket-no-public-acl", "expires": "2026-06-30", "reason": "public demo data", "ticket": "GOV-7"}
		for i := 0; i < len(kv); i += 2 {
			e[kv[i]] = kv[i+1]
		}
		return e
	}
	const granted = "config exemption-valid.central[0], ticket GOV-7 exempts it until 2026-06-30: public demo data"
	for _, tc := range []struct {
		name  string
		entry map[string]any
		stack *policy.Stack
		want  policy.Exemption
	}{
		{"by urn", entry("urn", urn), dev, policy.Exemption{Granted: true, Note: granted, By: "config"}},
		{"by urn, its stack named too", entry("urn", urn, "stack", "dev"), dev, policy.Exemption{Granted: true, Note: granted, By: "config"}},
		{"by urn: another resource", entry("urn", urn+"-2"), dev, policy.Exemption{}},
		{"by urn: another stack named", entry("urn", urn, "stack", "prod"), dev, policy.Exemption{}},
		{"by urn: the engine named no stack", entry("urn", urn), &policy.Stack{}, policy.Exemption{Granted: true, Note: granted, By: "config"}},
		{"by pattern", entry("stack", "dev", "type", s3Bucket, "name", "public-*"), dev, policy.Exemption{Granted: true, Note: granted, By: "config"}},
		{"by pattern: ? is one character", entry("stack", "dev", "type", s3Bucket, "name", "public-bucke?"), dev, policy.Exemption{Granted: true, Note: granted, By: "config"}},
		{"by pattern: every name", entry("project", "ml", "type", s3Bucket, "name", "*"), prod, policy.Exemption{Granted: true, Note: granted, By: "config"}},
		{"by pattern: the wrong stack", entry("stack", "dev", "type", s3Bucket, "name", "public-*"), prod, policy.Exemption{}},
		{"by pattern: the wrong project", entry("stack", "dev", "project", "ml", "type", s3Bucket, "name", "public-*"), other, policy.Exemption{}},
		{"by pattern: the engine named no stack", entry("stack", "dev", "type", s3Bucket, "name", "public-*"), &policy.Stack{}, policy.Exemption{}},
		{"by pattern: no stack at all", entry("stack", "dev", "type", s3Bucket, "name", "public-*"), nil, policy.Exemption{}},
		{"by project: no stack at all", entry("project", "ml", "type", s3Bucket, "name", "public-*"), nil, policy.Exemption{}},
		{"by urn: no stack at all", entry("urn", urn), nil, policy.Exemption{Granted: true, Note: granted, By: "config"}},
		{"by pattern: another name", entry("stack", "dev", "type", s3Bucket, "name", "private-*"), dev, policy.Exemption{}},
		{"by pattern: not a regular expression", entry("stack", "dev", "type", s3Bucket, "name", "public.+"), dev, policy.Exemption{}},
		{"by pattern: another token of the kind", entry("stack", "dev", "type", s3BucketV2Token, "name", "public-*"), dev, policy.Exemption{Granted: true, Note: granted, By: "config"}},
		{"by pattern: another type", entry("stack", "dev", "type", "aws:kms/key:Key", "name", "public-*"), dev, policy.Exemption{}},
		{"another policy", entry("urn", urn, "policy", "s3-bucket-access-logging"), dev, policy.Exemption{}},
		{"expires today: still holds", entry("urn", urn, "expires", "2026-06-01"), dev,
			policy.Exemption{Granted: true, Note: "config exemption-valid.central[0], ticket GOV-7 exempts it until 2026-06-01: public demo data", By: "config"}},
		{"expired", entry("urn", urn, "expires", "2026-05-31"), dev, policy.Exemption{Note: "config exemption-valid.central[0] expired on 2026-05-31"}},
		{"beyond maxDays: central ones are the platform team's", entry("urn", urn, "expires", "2030-01-01"), dev,
			policy.Exemption{Granted: true, Note: "config exemption-valid.central[0], ticket GOV-7 exempts it until 2030-01-01: public demo data", By: "config"}},
		{"no ticket", map[string]any{"urn": urn, "policy": "s3-bucket-no-public-acl", "expires": "2026-06-30", "reason": "demo"}, dev,
			policy.Exemption{Granted: true, Note: "config exemption-valid.central[0] exempts it until 2026-06-30: demo", By: "config"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := exemptionConfigOf(t, map[string]any{"central": []any{tc.entry}})
			assert.Equal(t, tc.want, exempt(public, s3BucketNoPublicACL, cfg, tc.stack))
		})
	}

	t.Run("the first entry that holds; an expired one does not hide a later one", func(t *testing.T) {
		cfg := exemptionConfigOf(t, map[string]any{"central": []any{
			entry("urn", urn, "expires", "2026-01-01"), entry("stack", "prod", "type", s3Bucket, "name", "*"), entry("stack", "dev", "type", s3Bucket, "name", "public-*", "ticket", "GOV-8"),
		}})
		got := exempt(public, s3BucketNoPublicACL, cfg, dev)
		assert.True(t, got.Granted)
		assert.Equal(t, "config exemption-valid.central[2], ticket GOV-8 exempts it until 2026-06-30: public demo data", got.Note)
	})
	t.Run("a central exemption needs no tag and wins over a refused one", func(t *testing.T) {
		tagged := pt.Resource(s3Bucket, "public-bucket", map[string]any{"acl": "public-read-write",
			"tags": map[string]any{"mlguard-exemption:s3-bucket-no-public-acl": "2099-12-31:needed for the demo"}})
		tagged.URN = urn
		cfg := exemptionConfigOf(t, map[string]any{"central": []any{entry("urn", urn)}})
		assert.Equal(t, policy.Exemption{Granted: true, Note: granted, By: "config"}, exempt(tagged, s3BucketNoPublicACL, cfg, dev))
		// The tag itself is still refused: the stack author should remove it.
		got := pt.Check(exemptionValid, tagged, map[string]any{"central": []any{entry("urn", urn)}})
		require.Len(t, got.Violations, 1)
		assert.Contains(t, got.Violations[0], "does not open to tag exemptions")
	})
}

// Through the runtime as the engine drives it: stack and config, then Analyze.
func TestExemptionsThroughTheRuntime(t *testing.T) {
	fixNow(t, "2026-06-01")
	const urn = "urn:pulumi:dev::ml::aws:s3/bucket:Bucket::public-bucket"
	bucket := func(tags map[string]any) *pulumirpc.AnalyzeRequest {
		props := map[string]any{"acl": "public-read-write", "versioning": map[string]any{"enabled": true}, "tags": goodTags}
		for k, v := range tags {
			props = pt.With(props, "tags."+k, v)
		}
		return &pulumirpc.AnalyzeRequest{Type: s3Bucket, Name: "public-bucket", Urn: urn, Properties: pt.Props(props)}
	}
	central := map[string]any{"central": []any{map[string]any{"stack": "dev", "type": s3Bucket, "name": "public-*",
		"policy": "s3-bucket-no-public-acl", "expires": "2026-06-30", "reason": "public demo data", "ticket": "GOV-7"}}}
	opened := map[string]any{"maxDays": 30, "taggable": map[string]any{"policies": []any{"s3-bucket-no-public-acl"}}}
	for _, tc := range []struct {
		name   string
		tags   map[string]any
		config map[string]any
		want   map[string]string // policy -> level and a part of its message
	}{
		{"the issue's tag, by default", map[string]any{"mlguard-exemption:s3-bucket-no-public-acl": "2099-12-31:needed for the demo"}, nil, map[string]string{
			"s3-bucket-no-public-acl": "MANDATORY [not exempted: tag mlguard-exemption is refused: s3-bucket-no-public-acl is not open to tag exemptions",
			"exemption-valid":         "MANDATORY exempts s3-bucket-no-public-acl, which the pack's configuration does not open to tag exemptions",
		}},
		{"exemption-valid disabled: the tag still exempts nothing", map[string]any{"mlguard-exemption:s3-bucket-no-public-acl": "2026-06-20:needed for the demo"},
			map[string]any{"enforcementLevel": "disabled"}, map[string]string{
				"s3-bucket-no-public-acl": "MANDATORY [not exempted: tag mlguard-exemption is refused",
			}},
		{"opened for 30 days: a tag within them", map[string]any{"mlguard-exemption:s3-bucket-no-public-acl": "2026-06-20:needed for the demo"}, opened, map[string]string{
			"s3-bucket-no-public-acl": "ADVISORY [exempted: tag mlguard-exemption exempts it until 2026-06-20: needed for the demo]",
		}},
		{"opened for 30 days: a tag beyond them", map[string]any{"mlguard-exemption:s3-bucket-no-public-acl": "2026-07-20:needed for the demo"}, opened, map[string]string{
			"s3-bucket-no-public-acl": "MANDATORY [not exempted: tag mlguard-exemption is refused: it runs past 2026-07-01, the limit of 30 days]",
			"exemption-valid":         "MANDATORY runs until 2026-07-20, longer than the limit of 30 days from today (the latest allowed is 2026-07-01)",
		}},
		{"central, no tag", nil, central, map[string]string{
			"s3-bucket-no-public-acl": "ADVISORY [exempted: config exemption-valid.central[0], ticket GOV-7 exempts it until 2026-06-30: public demo data",
		}},
		{"a secret tag, refused", map[string]any{"mlguard-exemption": pt.Secret("s3-bucket-no-public-acl:2026-06-19:" + secretText)}, nil, map[string]string{
			"s3-bucket-no-public-acl": "MANDATORY [not exempted: tag mlguard-exemption is refused",
			"exemption-valid":         "MANDATORY tags.mlguard-exemption: exempts a policy, which",
		}},
		{"a secret tag, opened", map[string]any{"mlguard-exemption": pt.Secret("s3-bucket-no-public-acl:2026-06-19:" + secretText)}, opened, map[string]string{
			"s3-bucket-no-public-acl": "ADVISORY [exempted: tag mlguard-exemption exempts it until [secret]: [secret]]",
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			log := &analyzertest.LogRecorder{}
			s, err := analyzer.NewServer(Pack(), log)
			require.NoError(t, err)
			ctx := context.Background()
			_, err = s.ConfigureStack(ctx, &pulumirpc.AnalyzerStackConfigureRequest{Stack: "dev", Project: "ml"})
			require.NoError(t, err)
			if tc.config != nil {
				level := pulumirpc.EnforcementLevel_MANDATORY
				if tc.config["enforcementLevel"] == "disabled" { // as in a config file; the CLI sends it apart
					level = pulumirpc.EnforcementLevel_DISABLED
				}
				props, err := structpb.NewStruct(tc.config)
				require.NoError(t, err)
				_, err = s.Configure(ctx, &pulumirpc.ConfigureAnalyzerRequest{PolicyConfig: map[string]*pulumirpc.PolicyConfig{
					exemptionValidName: {EnforcementLevel: level, Properties: props}}})
				require.NoError(t, err)
			}
			resp, err := s.Analyze(ctx, bucket(tc.tags))
			require.NoError(t, err)
			seen := map[string]bool{}
			for _, d := range resp.GetDiagnostics() {
				assert.NotContains(t, d.Message, secretText, "a secret reached a message")
				assert.NotContains(t, d.Message, "2026-06-19", "a secret tag's date reached a message")
				want, ok := tc.want[d.PolicyName]
				if !ok {
					continue
				}
				seen[d.PolicyName] = true
				level, part, _ := strings.Cut(want, " ")
				assert.Equal(t, level, d.EnforcementLevel.String(), d.PolicyName)
				assert.Contains(t, d.Message, part, d.PolicyName)
			}
			for p := range tc.want {
				assert.True(t, seen[p], "no diagnostic of %s", p)
			}
			_, mandatory := tc.want[exemptionValidName]
			if !mandatory {
				for _, d := range resp.GetDiagnostics() {
					assert.NotEqual(t, exemptionValidName, d.PolicyName, d.Message)
				}
			}
			for _, m := range log.Take() {
				assert.NotContains(t, m, secretText)
			}
		})
	}
}

// The guide's complete example is the profile the tests validate, verbatim.
func TestExemptionsGuideShowsTheProfile(t *testing.T) {
	guide, err := os.ReadFile("../docs/exemptions.md")
	require.NoError(t, err)
	profile, err := os.ReadFile("../policy-config/exemptions.json")
	require.NoError(t, err)
	assert.Contains(t, string(guide), "```json\n"+string(profile)+"```\n", "docs/exemptions.md must show policy-config/exemptions.json as it is")
}

// Stack policies report per resource, and a central exemption for the stack
// applies to them too.
func TestCentralExemptionOfAStackPolicy(t *testing.T) {
	fixNow(t, "2026-06-01")
	s, err := analyzer.NewServer(Pack(), nil)
	require.NoError(t, err)
	ctx := context.Background()
	props, err := structpb.NewStruct(map[string]any{"central": []any{map[string]any{"project": "ml", "type": s3Bucket, "name": "public-*",
		"policy": "s3-bucket-public-access-block", "expires": "2026-06-30", "reason": "serves a public web site"}}})
	require.NoError(t, err)
	_, err = s.Configure(ctx, &pulumirpc.ConfigureAnalyzerRequest{PolicyConfig: map[string]*pulumirpc.PolicyConfig{
		exemptionValidName:              {EnforcementLevel: pulumirpc.EnforcementLevel_MANDATORY, Properties: props},
		"s3-bucket-public-access-block": {EnforcementLevel: pulumirpc.EnforcementLevel_MANDATORY},
	}})
	require.NoError(t, err)
	buckets := map[string]string{} // name -> level of its public-access-block diagnostic
	for _, stack := range []string{"dev", "prod"} {
		_, err = s.ConfigureStack(ctx, &pulumirpc.AnalyzerStackConfigureRequest{Stack: stack, Project: "ml"})
		require.NoError(t, err)
		req := &pulumirpc.AnalyzeStackRequest{}
		for _, name := range []string{"public-site", "data"} {
			r := pt.Resource(s3Bucket, name, map[string]any{"tags": goodTags})
			req.Resources = append(req.Resources, rpcResource(r))
		}
		resp, err := s.AnalyzeStack(ctx, req)
		require.NoError(t, err)
		for _, d := range resp.GetDiagnostics() {
			if d.PolicyName == "s3-bucket-public-access-block" {
				name := d.Urn[strings.LastIndex(d.Urn, "::")+2:]
				buckets[stack+"/"+name] = d.EnforcementLevel.String()
				if name == "public-site" {
					assert.Contains(t, d.Message, "[exempted: config exemption-valid.central[0] exempts it until 2026-06-30: serves a public web site]")
				}
			}
		}
	}
	assert.Equal(t, map[string]string{
		"dev/public-site": "ADVISORY", "dev/data": "MANDATORY", "prod/public-site": "ADVISORY", "prod/data": "MANDATORY",
	}, buckets, "the entry names the project: every stack of it")
}
