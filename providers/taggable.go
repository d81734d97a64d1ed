package providers

import "github.com/mlguard/mlguard/policy"

// Taggable reports whether r's type takes tags in a major r may have been
// written against (taggable_gen.go, generated from the providers' schemas by
// `make schema`).
func Taggable(r *policy.Resource) bool {
	token := withoutAPIVersion(r.Type)
	for _, m := range MajorsOf(r) {
		if taggable[string(m)][token] && !untaggable[string(m)][r.Type] {
			return true
		}
	}
	return false
}

// TaggableCount is how many types of major m take tags.
func TaggableCount(m Major) int { return len(taggable[string(m)]) }
