package tests

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mlguard/mlguard/tests/clirun"
	"github.com/mlguard/mlguard/tests/examples"
)

// exemptionDiagnostics are the diagnostics of the two policies an exemption
// of the public bucket is about, rendered as "[level] policy resource".
func exemptionDiagnostics(out string) (about []string, mandatory []string) {
	for _, d := range clirun.Diagnostics(out) {
		s := "[" + d.Level + "] " + d.Policy + " " + d.Resource
		if d.Policy == "s3-bucket-no-public-acl" || d.Policy == "exemption-valid" {
			about = append(about, s)
		}
		if d.Level == "mandatory" {
			mandatory = append(mandatory, s)
		}
	}
	return about, mandatory
}

// The stack author's tag of issue 20 no longer switches a critical policy
// off: by default it is refused and the preview fails; the platform team's
// config can open the policy to tags for 30 days, or grant the exemption
// centrally without any tag, and then the preview passes with the exemption
// shown as an advisory note.
func TestE2EExemptionsTheConfigControls(t *testing.T) {
	e := newEnv(t)
	day := func(n int) string { return time.Now().UTC().AddDate(0, 0, n).Format("2006-01-02") }
	within := day(20)
	openedFor30Days := map[string]any{"exemption-valid": map[string]any{
		"maxDays": 30, "taggable": map[string]any{"policies": []any{"s3-bucket-no-public-acl"}},
	}}
	central := map[string]any{"exemption-valid": map[string]any{"central": []any{map[string]any{
		"stack": "dev", "project": "public-bucket", "type": "aws:s3/bucket:Bucket", "name": "public-*",
		"policy": "s3-bucket-no-public-acl", "expires": within, "reason": "public demo data, reviewed", "ticket": "GOV-7",
	}}}}
	for _, tc := range []struct {
		name   string
		stack  string
		tag    string // the value of examples.PublicBucketTag; none when empty
		config map[string]any
		passes bool
		want   []string // the diagnostics of s3-bucket-no-public-acl and exemption-valid
		says   []string // parts of the CLI's output
	}{
		{"the issue's tag by default", "dev", "2099-12-31:needed for the demo", nil, false,
			[]string{"[mandatory] exemption-valid public-bucket", "[mandatory] s3-bucket-no-public-acl public-bucket"},
			[]string{"exempts s3-bucket-no-public-acl, which the pack's configuration does not open to tag exemptions", "ask the platform team for a central exemption"}},
		{"opened to tags for 30 days: a tag within them", "dev", within + ":needed for the demo", openedFor30Days, true,
			[]string{"[advisory] s3-bucket-no-public-acl public-bucket"},
			[]string{"[exempted: tag mlguard-exemption exempts it until " + within + ": needed for the demo]"}},
		{"opened to tags for 30 days: the issue's tag", "dev", "2099-12-31:needed for the demo", openedFor30Days, false,
			[]string{"[mandatory] exemption-valid public-bucket", "[mandatory] s3-bucket-no-public-acl public-bucket"},
			[]string{"longer than the limit of 30 days from today (the latest allowed is " + day(30) + ")"}},
		{"central: no tag", "dev", "", central, true,
			[]string{"[advisory] s3-bucket-no-public-acl public-bucket"},
			[]string{"[exempted: config exemption-valid.central[0], ticket GOV-7 exempts it until " + within + ": public demo data, reviewed]"}},
		{"central: another stack", "prod", "", central, false,
			[]string{"[mandatory] s3-bucket-no-public-acl public-bucket"}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx := e2eContext(t)
			tags := map[string]string{}
			if tc.tag != "" {
				tags[examples.PublicBucketTag] = tc.tag
			}
			s, err := e.Stack(ctx, "public-bucket", tc.stack, examples.PublicBucket(tags), map[string]string{"aws:region": "eu-west-1"})
			require.NoError(t, err)
			var configs []string
			if tc.config != nil {
				configs = append(configs, writeConfig(t, tc.config))
			}
			out, err := preview(ctx, e, s, configs...)
			about, mandatory := exemptionDiagnostics(out)
			assert.Equal(t, tc.want, about, out)
			if tc.passes {
				require.NoError(t, err, out)
				assert.Empty(t, mandatory, out)
			} else {
				require.Error(t, err, "a mandatory violation fails the preview")
				assert.Contains(t, out, "❌ mlguard@v")
			}
			// The CLI may wrap long messages: compare with the line breaks gone.
			flat := strings.Join(strings.Fields(out), " ")
			for _, part := range tc.says {
				assert.Contains(t, flat, part)
			}
		})
	}
}
