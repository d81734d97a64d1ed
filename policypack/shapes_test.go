package policypack

import (
	"maps"
	"slices"
	"strings"

	"github.com/mlguard/mlguard/policy"
	pt "github.com/mlguard/mlguard/policy/policytest"
	"github.com/mlguard/mlguard/providers"
	providerschema "github.com/mlguard/mlguard/providers/schema"
)

// shape is one way a program writes the resources of a spec case: against
// one provider major, each fixture's token mapped to that major's token of
// the same kind (or, on azure-native, to an explicit API version).
type shape struct {
	name    string
	major   providers.Major
	tokens  map[string]string // fixture token -> this shape's token
	version string            // the provider's version input
}

// shapesOf returns the shapes a case with fixtures of the given tokens runs
// in: every supported major (of only, when given) in which every fixture's
// kind exists, plus an explicit API version of each azure-native major.
func shapesOf(types []string, only []providers.Major) []shape {
	var out []shape
	for _, m := range providers.Majors {
		if len(only) > 0 && !slices.Contains(only, m) {
			continue
		}
		sh := shape{name: string(m), major: m, tokens: map[string]string{}, version: schema().Version(providerschema.Major(m))}
		fits := true
		for _, typ := range types {
			switch pkg := providers.PackageOf(typ); {
			case len(providers.MajorsOfPackage(pkg)) == 0: // the engine's own types, or another provider's
				sh.tokens[typ] = typ
			case pkg != m.Package():
				fits = false
			default:
				tok, ok := tokenIn(typ, m)
				fits = fits && ok
				sh.tokens[typ] = tok
			}
		}
		if !fits {
			continue
		}
		out = append(out, sh)
		if m.Package() == "azure-native" {
			if versioned, ok := sh.explicitVersion(); ok {
				out = append(out, versioned)
			}
		}
	}
	if len(out) == 0 && !anySupported(types) {
		return []shape{{name: "as written", tokens: map[string]string{}}} // another provider's resources
	}
	if len(out) == 0 {
		panic("policypack: a spec case fits no supported major: " + strings.Join(types, ", "))
	}
	return out
}

func anySupported(types []string) bool {
	for _, t := range types {
		if len(providers.MajorsOfPackage(providers.PackageOf(t))) > 0 {
			return true
		}
	}
	return false
}

// tokenIn returns the token of typ's kind in major m: typ itself where m has
// it (or where the schema index holds none of its module: a type the pack
// judges only generically, such as by its tags), else the kind's only token
// in m.
func tokenIn(typ string, m providers.Major) (string, bool) {
	if schema().HasType(providerschema.Major(m), typ) || !indexedAnywhere(typ) {
		return typ, true
	}
	tokens := providers.TokensByMajor(providers.Kind(typ))[m]
	if len(tokens) == 1 && schema().HasType(providerschema.Major(m), tokens[0]) {
		return tokens[0], true
	}
	return "", false
}

// indexedAnywhere reports whether the schema index of some major of typ's
// package holds typ (or a token of its kind); a type it does not is one the
// pack judges only generically (by its tags, say), which the index need not
// cover.
func indexedAnywhere(typ string) bool {
	for _, m := range providers.MajorsOfPackage(providers.PackageOf(typ)) {
		if tokenKnown(m, typ) {
			return true
		}
	}
	return false
}

// tokenKnown reports whether m's schema has typ, or another token of its kind.
func tokenKnown(m providers.Major, typ string) bool {
	if schema().HasType(providerschema.Major(m), typ) {
		return true
	}
	for _, t := range providers.TokensByMajor(providers.Kind(typ))[m] {
		if schema().HasType(providerschema.Major(m), t) {
			return true
		}
	}
	return false
}

// explicitVersion is sh with every azure-native token in the newest explicit
// API version of its module that the major's schema has for it.
func (sh shape) explicitVersion() (shape, bool) {
	v := shape{major: sh.major, version: sh.version, tokens: maps.Clone(sh.tokens)}
	var api string
	for orig, tok := range sh.tokens {
		if providers.PackageOf(tok) != "azure-native" {
			continue
		}
		versioned, ok := newestAPIVersion(sh.major, tok)
		if !ok {
			return shape{}, false
		}
		v.tokens[orig] = versioned
		api = versioned
	}
	if api == "" {
		return shape{}, false
	}
	v.name = string(sh.major) + " " + strings.Split(api, ":")[1]
	return v, true
}

// newestAPIVersion finds "azure-native:storage/v20250101:StorageAccount" for
// "azure-native:storage:StorageAccount" in major m's schema.
func newestAPIVersion(m providers.Major, token string) (string, bool) {
	parts := strings.SplitN(token, ":", 3)
	if len(parts) != 3 {
		return "", false
	}
	newest := ""
	for _, t := range schema().Types(providerschema.Major(m)) {
		p := strings.SplitN(t, ":", 3)
		if len(p) == 3 && p[2] == parts[2] && strings.HasPrefix(p[1], parts[1]+"/v") && providers.Kind(t) == providers.Kind(token) && t > newest {
			newest = t
		}
	}
	return newest, newest != ""
}

// resource returns a copy of r as this shape writes it, with a provider
// resource of the shape's version (and providerProps).
func (sh shape) resource(r *policy.Resource, providerProps map[string]any) *policy.Resource {
	typ := sh.tokens[r.Type]
	if typ == "" {
		typ = r.Type
	}
	out := r.WithProps(r.Props)
	out.Type, out.Kind = typ, providers.Kind(typ)
	if sh.major == "" {
		return out
	}
	props := maps.Clone(providerProps)
	if props == nil {
		props = map[string]any{}
	}
	if _, set := props["version"]; !set && sh.version != "" {
		props["version"] = sh.version
	}
	name := "default" // a fixture's own provider keeps its name: rules compare providers
	if r.Provider != nil {
		name = r.Provider.Name
	}
	out.Provider = pt.Resource("pulumi:providers:"+sh.major.Package(), name, props)
	return out
}

// expect rewrites an expected message for this shape: fixture tokens become
// the shape's.
func (sh shape) expect(s string) string {
	for orig, tok := range sh.tokens {
		if orig != tok {
			s = strings.ReplaceAll(s, orig, tok)
		}
	}
	return s
}

func (sh shape) expectAll(ss []string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = sh.expect(s)
	}
	return out
}
