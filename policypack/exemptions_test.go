package policypack

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

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

func TestExemptionValid(t *testing.T) {
	fixNow(t, "2026-06-01")
	with := func(v any) map[string]any { return map[string]any{"tags": map[string]any{"mlguard-exemption": v}} }
	runSpecs(t, exemptionValid, s3Bucket, []spec{
		{name: "no exemption", props: map[string]any{"tags": goodTags}},
		{name: "valid", props: with("s3-bucket-access-logging:2026-12-31:this is the log bucket")},
		{name: "valid, several", props: with("s3-bucket-access-logging:2026-12-31:log bucket;s3-bucket-kms-encryption:2026-06-01:legacy reader")},
		{name: "per-policy key", props: map[string]any{"tags": map[string]any{"mlguard-exemption:s3-bucket-access-logging": "2026-12-31:log bucket"}}},
		{name: "expired", props: with("s3-bucket-access-logging:2026-05-31:log bucket"),
			violation: `tags.mlguard-exemption: the exemption of s3-bucket-access-logging expired on 2026-05-31`},
		{name: "unknown policy", props: with("s3-logging:2026-12-31:x"), violation: `names "s3-logging", which is not a policy of this pack`},
		{name: "bad date", props: with("s3-bucket-access-logging:31/12/2026:x"), violation: `no valid expiry date`},
		{name: "no reason", props: with("s3-bucket-access-logging:2026-12-31"), violation: `gives no reason`},
		{name: "not an entry", props: with("forever"), violation: `is not <policy>:<YYYY-MM-DD>:<reason>`},
		{name: "self-exemption", props: with("exemption-valid:2026-12-31:x"), violation: `exemption-valid cannot be exempted`},
		{name: "custom tag key: its expired entry counts", props: map[string]any{"tags": map[string]any{"waiver": "s3-bucket-access-logging:2026-05-31:x"}},
			config: map[string]any{"tagKey": "waiver"}, violation: `tags.waiver: the exemption of s3-bucket-access-logging expired`},
		{name: "custom tag key: the default key is ignored", props: with("forever"), config: map[string]any{"tagKey": "waiver"}},
		{name: "tags unknown", props: map[string]any{"tags": pt.Unknown}, unknown: "tags is unknown"},
		{name: "value unknown", props: with(pt.Unknown)},
		{name: "secret expired", props: with(pt.Secret("s3-bucket-access-logging:2020-01-01:" + secretText)), violation: `is [secret] and holds a malformed or expired exemption`},
	})
}

func TestExempt(t *testing.T) {
	fixNow(t, "2026-06-01")
	r := pt.Resource(s3Bucket, "logs", map[string]any{"tags": map[string]any{"mlguard-exemption": "s3-bucket-access-logging:2026-12-31:this is the log bucket;s3-bucket-kms-encryption:2026-01-01:expired"}})
	got := exempt(r, s3BucketAccessLogging, nil)
	assert.True(t, got.Granted)
	assert.Equal(t, "tag mlguard-exemption exempts it until 2026-12-31: this is the log bucket", got.Note)
	assert.False(t, exempt(r, s3BucketKMSEncryption, nil).Granted, "expired")
	assert.False(t, exempt(r, requiredTags, nil).Granted, "not named")
	assert.False(t, exempt(r, exemptionValid, nil).Granted, "never exempt")
	fixNow(t, "2027-01-01")
	assert.False(t, exempt(r, s3BucketAccessLogging, nil).Granted, "expired since")

	s := pt.Resource(s3Bucket, "s", map[string]any{"tags": map[string]any{"mlguard-exemption": pt.Secret("s3-bucket-access-logging:2026-12-31:" + secretText)}})
	fixNow(t, "2026-06-01")
	got = exempt(s, s3BucketAccessLogging, nil)
	assert.True(t, got.Granted)
	assert.NotContains(t, got.Note, secretText)
	assert.Same(t, exemptionValid, Pack().Exemptions.Policy)

	custom := pt.Resource(s3Bucket, "c", map[string]any{"tags": map[string]any{"waiver": "s3-bucket-access-logging:2026-12-31:log bucket"}})
	assert.False(t, exempt(custom, s3BucketAccessLogging, nil).Granted, "the default key is mlguard-exemption")
	got = exempt(custom, s3BucketAccessLogging, &exemptionConfig{TagKey: "waiver"})
	assert.True(t, got.Granted, "a configured tag key is honoured")
	assert.Contains(t, got.Note, "tag waiver exempts it")
}
