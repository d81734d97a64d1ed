package analyzer

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/mlguard/mlguard/policy"
	pt "github.com/mlguard/mlguard/policy/policytest"
)

func withSecrets(secrets ...string) *policy.Resource {
	props := map[string]any{"plain": "abc"}
	for i, s := range secrets {
		props[fmt.Sprint("s", i)] = pt.Secret(s)
	}
	return pt.Resource("t:m:T", "r", props)
}

func TestScrub(t *testing.T) {
	for _, tc := range []struct {
		name    string
		secrets []string
		text    string
		want    string
	}{
		{"three characters are masked inside a word", []string{"key"}, "monkeys and key", "mon[secret]s and [secret]"},
		{"two characters only as a whole word", []string{"ab"}, "tabs, ab, ab-c", "tabs, [secret], [secret]-c"},
		{"one character only as a whole word", []string{"7"}, "port 7, 17", "port [secret], 17"},
		{"the longest first", []string{"abcd", "abcdef"}, "abcdef abcd", "[secret] [secret]"},
		{"the mask itself is no secret", []string{"[secret]"}, "[secret] [secret]", "[secret] [secret]"},
		{"an empty secret is none", []string{""}, "text", "text"},
		{"a text holding every secret and the mask", []string{"alpha", "bravo"}, "alpha bravo [secret]", "[secret] [secret] [secret]"},
		{"a text holding none", []string{"alpha"}, "plain abc", "plain abc"},
		{"short and long together", []string{"ab", "alpha"}, "ab alphabet", "[secret] [secret]bet"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := &scrubber{res: withSecrets(tc.secrets...)}
			assert.Equal(t, tc.want, s.scrub(tc.text))
			assert.Equal(t, tc.want, s.scrub(tc.text), "the same the second time")
		})
	}
}

// Of secrets that begin alike, each is masked whole, whatever order the
// resource holds them in.
func TestScrubNestedSecrets(t *testing.T) {
	const all = "abcdefghijkl"
	var secrets []string
	for n := 3; n <= len(all); n++ {
		secrets = append(secrets, all[:n])
	}
	s := &scrubber{res: withSecrets(secrets...)}
	for _, v := range secrets {
		assert.Equal(t, "<[secret]>", s.scrub("<"+v+">"), v)
	}
}

// More secrets than are looked for one by one: each is still masked, in a
// text that holds any one of them or all of them.
func TestScrubManySecrets(t *testing.T) {
	for _, n := range []int{fewSecrets - 1, fewSecrets, fewSecrets + 1, 3 * fewSecrets} {
		var secrets []string
		for i := range n {
			secrets = append(secrets, fmt.Sprintf("secret-%03d", i))
		}
		s := &scrubber{res: withSecrets(secrets...)}
		for _, v := range secrets {
			assert.Equal(t, "a [secret] b", s.scrub("a "+v+" b"), "%d secrets: %s", n, v)
		}
		all := strings.Join(secrets, " ") + " [secret]"
		assert.Equal(t, strings.TrimSpace(strings.Repeat("[secret] ", n+1)), s.scrub(all), "%d secrets", n)
	}
}

// Every resource of a stack, and each one's provider, give their secrets.
func TestScrubStackAndProviderSecrets(t *testing.T) {
	a, b := withSecrets("alpha"), withSecrets("bravo")
	b.Provider = withSecrets("charlie")
	s := &scrubber{resources: []*policy.Resource{a, b}}
	assert.Equal(t, "[secret] [secret] [secret] delta", s.scrub("alpha bravo charlie delta"))
	assert.Equal(t, "no secrets", (&scrubber{resources: []*policy.Resource{pt.Resource("t:m:T", "c", nil)}}).scrub("no secrets"))
}
