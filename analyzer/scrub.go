package analyzer

import (
	"regexp"
	"slices"
	"strings"
	"sync"

	"github.com/mlguard/mlguard/policy"
)

const secretMask = "[secret]"

// scrubber removes secret values from text that leaves the pack. Rules are
// meant to print values only through Value.Display, which masks secrets; this
// is the guarantee behind that habit. It reads the secrets only when there is
// text to scrub, so clean resources cost nothing.
type scrubber struct {
	res       *policy.Resource   // Analyze and Remediate: the one resource
	resources []*policy.Resource // AnalyzeStack: every resource
	replacer  *strings.Replacer
	secrets   []string // the secrets the replacer masks, while few enough to test one by one
	short     []*regexp.Regexp
	once      sync.Once // stack rules scrub from several goroutines
}

func (s *scrubber) scrub(text string) string {
	s.once.Do(s.prepare)
	if s.replacer != nil && s.mayHold(text) {
		text = s.replacer.Replace(text)
	}
	for _, re := range s.short {
		text = re.ReplaceAllString(text, secretMask)
	}
	return text
}

func (s *scrubber) prepare() {
	var seen map[string]bool // most resources hold no secret
	collect := func(v string) {
		if v != "" && v != secretMask {
			if seen == nil {
				seen = map[string]bool{}
			}
			seen[v] = true
		}
	}
	for _, r := range append([]*policy.Resource{s.res}, s.resources...) {
		if r == nil {
			continue
		}
		r.Props.SecretStrings(collect)
		if r.Provider != nil {
			r.Provider.Props.SecretStrings(collect)
		}
	}
	if len(seen) == 0 {
		return
	}
	long := make([]string, 0, len(seen))
	for v := range seen {
		if len(v) >= 3 {
			long = append(long, v)
		} else {
			// A one- or two-character secret is masked only as a whole word:
			// masking every "a" would leave the message unreadable.
			s.short = append(s.short, regexp.MustCompile(`\b`+regexp.QuoteMeta(v)+`\b`))
		}
	}
	if len(long) == 0 {
		return
	}
	// The mask itself, kept as it is: it makes at least two pairs, so that
	// strings.NewReplacer never picks its single-string replacer, whose
	// set-up is quadratic in the length of a repetitive secret ("AAAA...").
	long = append(long, secretMask)
	// Longest first, so a secret containing another is masked whole.
	slices.SortFunc(long, func(a, b string) int { return len(b) - len(a) })
	pairs := make([]string, 0, 2*len(long))
	for _, v := range long {
		pairs = append(pairs, v, secretMask)
	}
	s.replacer = strings.NewReplacer(pairs...)
	if len(long) <= fewSecrets {
		s.secrets = long
	}
}

// fewSecrets is how many secrets are cheaper to look for one by one (each a
// vectorised strings.Contains) than to run the replacer's trie over a text
// that almost never holds one.
const fewSecrets = 16

// mayHold reports whether text may hold a secret; false only when it surely does not.
func (s *scrubber) mayHold(text string) bool {
	if s.secrets == nil {
		return true
	}
	for _, v := range s.secrets {
		if strings.Contains(text, v) {
			return true
		}
	}
	return false
}
