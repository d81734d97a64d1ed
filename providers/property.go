package providers

import (
	"slices"
	"strings"

	"github.com/mlguard/mlguard/policy"
)

// Property is one setting of a kind of resource, placed where each shape of
// the kind puts it.
type Property struct {
	Name string // what the setting is, for docs and messages
	At   []Placement
}

// Placement is where one shape puts a property: on resources of type Token
// written against one of Majors (any major of its package when empty), at
// Path — dotted, a segment ending in "[]" stepping into every element of a
// list: "versionings[].enabled".
type Placement struct {
	Token  string
	Majors []Major
	Path   string
	segs   []string // Path split at its dots, once
}

var registry []*Property

// property declares a property; every one is checked against the providers'
// schemas (see Properties).
func property(name string, at ...Placement) *Property {
	for i := range at {
		at[i].segs = strings.Split(at[i].Path, ".")
	}
	p := &Property{Name: name, At: at}
	registry = append(registry, p)
	return p
}

// Properties are every property the package places, for the schema test.
func Properties() []*Property { return registry }

// fits reports whether pl applies to r: r has pl's token (or an explicit
// API version of it) and one of pl's majors.
func (pl Placement) fits(r *policy.Resource, majors []Major) bool {
	if pl.Token != r.Type && pl.Token != withoutAPIVersion(r.Type) {
		return false
	}
	if len(pl.Majors) == 0 {
		return true
	}
	for _, m := range majors {
		if slices.Contains(pl.Majors, m) {
			return true
		}
	}
	return false
}

// Values returns what r holds for p: every value set (neither missing nor
// null) at the placements that fit r's type and major, in placement order.
// An unknown met on the way is returned as it is, so that a caller asking
// HasUnknown learns that the setting is not known yet.
func (p *Property) Values(r *policy.Resource) []policy.Value {
	var out []policy.Value
	majors := MajorsOf(r)
	for _, pl := range p.At {
		if pl.fits(r, majors) {
			out = collect(r.Get(""), pl.segs, out)
		}
	}
	return out
}

// Where is the value at the first placement that fits r, for a message that
// points at the setting ("versioning.enabled: is not set"); the first
// placement's when none fits.
func (p *Property) Where(r *policy.Resource) policy.Value {
	majors := MajorsOf(r)
	at := p.At[0]
	for _, pl := range p.At {
		if pl.fits(r, majors) {
			at = pl
			break
		}
	}
	path, _, _ := strings.Cut(at.Path, "[]")
	return r.Get(path)
}

// Inputs are the top-level inputs of r that hold p: the keys of r's
// property dependencies that may lead to it.
func (p *Property) Inputs(r *policy.Resource) []string {
	var out []string
	majors := MajorsOf(r)
	for _, pl := range p.At {
		if pl.fits(r, majors) {
			top, _, _ := strings.Cut(pl.Path, ".")
			out = append(out, strings.TrimSuffix(top, "[]"))
		}
	}
	return out
}

func collect(v policy.Value, segs []string, out []policy.Value) []policy.Value {
	if len(segs) == 0 || v.IsUnknown() {
		if !v.IsAbsent() {
			out = append(out, v)
		}
		return out
	}
	name, each := strings.CutSuffix(segs[0], "[]")
	f := v.Field(name)
	if !each {
		return collect(f, segs[1:], out)
	}
	if f.IsUnknown() {
		return append(out, f)
	}
	for _, e := range f.Elems() {
		out = collect(e, segs[1:], out)
	}
	return out
}

// Applies reports whether r's shape surely has an input for p: whether, in
// every major r may be written against, some placement fits its type (and
// API version). A resource whose major is not known and one of whose majors
// has no such input is not judged on p.
func (p *Property) Applies(r *policy.Resource) bool {
	majors := MajorsOf(r)
	for _, m := range majors {
		fits := false
		for _, pl := range p.At {
			fits = fits || pl.fits(r, []Major{m})
		}
		if !fits {
			return false
		}
	}
	return len(majors) > 0
}
