package policypack

import (
	"flag"
	"fmt"
	"os"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/mlguard/mlguard/policy"
	"github.com/mlguard/mlguard/providers"
	providerschema "github.com/mlguard/mlguard/providers/schema"
)

// The providers' own schemas (the npm packages' typings, indexed by `make
// schema`) are the judge of every property path a rule reads: every spec
// runs in every major its resources exist in (shapes_test.go), the runtime
// tells the path trace of every read, and TestMain fails the package when a
// rule read a path that the schema of the resource's type and major does not
// have — a typo or a renamed property would otherwise switch a rule off
// without a word.

var (
	indexOnce sync.Once
	index     *providerschema.Index
)

// schema is the providers' schema index.
func schema() *providerschema.Index {
	indexOnce.Do(func() {
		var err error
		if index, err = providerschema.Load(); err != nil {
			panic(err)
		}
	})
	return index
}

// outputsRead are properties rules read from a resource's outputs, which the
// engine sends for stack rules; they are in no schema of inputs.
var outputsRead = map[string]bool{"id": true, "tagsAll": true}

// nonSchemaReads are paths rules read on purpose although no schema has
// them, with why.
var nonSchemaReads = map[string]string{
	// Generated programs (seed 003) set it; an empty one is a placeholder
	// the rule reports.
	"featuresetVersionProperties.dataVersionId": "azureml-featureset-data-reference",
	"properties.dataVersionId":                  "azureml-featureset-data-reference",
}

// readLog is every (major, type, path) rules read during the package's tests.
type readLog struct {
	mu    sync.Mutex
	reads map[[3]string]bool
}

func (l *readLog) record(r *policy.Resource, path string) {
	majors := providers.MajorsOf(r)
	if len(majors) != 1 || providers.PackageOf(r.Type) == "" || path == "" {
		return // a fixture of no single shape, or the engine's own types
	}
	top, _, _ := strings.Cut(path, ".")
	if outputsRead[top] || nonSchemaReads[path] != "" {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	l.reads[[3]string{string(majors[0]), r.Type, path}] = true
}

// problems lists the reads the schema does not have.
func (l *readLog) problems(idx *providerschema.Index) []string {
	var out []string
	for k := range l.reads {
		m, typ, path := providers.Major(k[0]), k[1], k[2]
		switch {
		case !indexedAnywhere(typ):
			// a type judged generically (by its tags); its module is not indexed
		case !idx.HasType(providerschema.Major(m), typ):
			out = append(out, fmt.Sprintf("%s has no type %s, yet a rule read %s of it", m, typ, path))
		case !idx.HasPath(providerschema.Major(m), typ, path) && !underLeaf(idx, m, typ, path):
			out = append(out, fmt.Sprintf("%s %s has no input %s, yet a rule read it", m, typ, path))
		}
	}
	sort.Strings(out)
	return out
}

// underLeaf reports whether path lies inside a property the schema has as a
// leaf: a JSON document such as assumeRolePolicy, which rules read inside.
func underLeaf(idx *providerschema.Index, m providers.Major, typ, path string) bool {
	for i := strings.LastIndexByte(path, '.'); i > 0; i = strings.LastIndexByte(path[:i], '.') {
		prefix := path[:i]
		if idx.HasPath(providerschema.Major(m), typ, prefix) && !idx.HasPath(providerschema.Major(m), typ, prefix+".x") {
			return true
		}
	}
	return false
}

func TestMain(m *testing.M) {
	log := &readLog{reads: map[[3]string]bool{}}
	policy.SetPathTrace(log.record)
	code := m.Run()
	policy.SetPathTrace(nil)
	if code == 0 {
		if whole := flag.Lookup("test.run").Value.String() == ""; whole && len(log.reads) < 100 {
			// every spec ran, yet the trace saw almost nothing: it is broken, and so would be this check
			fmt.Fprintf(os.Stderr, "FAIL: the path trace recorded %d paths over every spec\n", len(log.reads))
			code = 1
		} else if problems := log.problems(schema()); len(problems) > 0 {
			fmt.Fprintf(os.Stderr, "FAIL: rules read %d property paths the providers' schemas do not have:\n  %s\n", len(problems), strings.Join(problems, "\n  "))
			code = 1
		} else if testing.Verbose() {
			fmt.Printf("schema check: %d distinct paths read by rules, all in the providers' schemas\n", len(log.reads))
		}
	}
	os.Exit(code)
}

// Every property the provider layer places, at every placement and major,
// is in that major's schema.
func TestProviderPropertiesAreInTheSchemas(t *testing.T) {
	idx := schema()
	for _, p := range providers.Properties() {
		for _, pl := range p.At {
			majors := pl.Majors
			if len(majors) == 0 {
				majors = providers.MajorsOfPackage(providers.PackageOf(pl.Token))
			}
			for _, m := range majors {
				if !idx.HasType(providerschema.Major(m), pl.Token) {
					if len(pl.Majors) > 0 {
						t.Errorf("%s: %s has no type %s", p.Name, m, pl.Token)
					}
					continue // the token is one major's only (a v7 companion)
				}
				assert.True(t, idx.HasPath(providerschema.Major(m), pl.Token, strings.ReplaceAll(pl.Path, "[]", ".0")), "%s: %s %s has no input %s", p.Name, m, pl.Token, pl.Path)
			}
		}
	}
}

// Every kind a policy names exists in a supported major, under one of its tokens.
func TestPolicyTypesExist(t *testing.T) {
	idx := schema()
	for _, p := range Pack().Policies {
		for _, kind := range DocTypes(p) {
			if strings.Contains(kind, " ") {
				continue // prose: "every resource carrying an exemption tag"
			}
			found := false
			for m, tokens := range providers.TokensByMajor(kind) {
				for _, tok := range tokens {
					found = found || idx.HasType(providerschema.Major(m), tok)
				}
			}
			assert.True(t, found, "%s names %s, which no supported major has", p.Name, kind)
		}
	}
}
