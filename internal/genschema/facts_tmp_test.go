package genschema

import (
	"fmt"
	"os"
	"sort"
	"strings"
	"testing"
)

func TestTmpFacts(t *testing.T) {
	var schemas []*Schema
	for _, p := range Pins {
		s, err := Scan(Tarball("../../.cache/npm", p), p)
		if err != nil {
			t.Fatal(err)
		}
		schemas = append(schemas, s)
	}
	out, _ := os.Create("/tmp/facts.txt")
	defer out.Close()
	w := func(f string, a ...any) { fmt.Fprintf(out, f, a...) }
	for _, s := range schemas {
		n := 0
		for _, ps := range s.Types {
			n += len(ps)
		}
		canon := map[string]bool{}
		versioned := 0
		for _, r := range s.Resources {
			canon[Canonical(r.Token)] = true
			if Canonical(r.Token) != r.Token {
				versioned++
			}
		}
		w("== %s %s: resources=%d canonical=%d versioned=%d indexTypes=%d indexPaths=%d taggable=%d\n", s.Major, s.Version, len(s.Resources), len(canon), versioned, len(s.Types), n, len(s.Taggable))
		// tags that are not maps
		for _, r := range s.Resources {
			for _, a := range r.Args {
				if a == "tags" {
					found := false
					for _, tg := range s.Taggable {
						if tg == Canonical(r.Token) {
							found = true
						}
					}
					if !found {
						w("  tags not a map: %s\n", r.Token)
					}
				}
			}
		}
	}
	// s3 tokens
	for _, s := range schemas[:2] {
		var s3 []string
		for _, r := range s.Resources {
			if strings.HasPrefix(r.Token, "aws:s3/") {
				s3 = append(s3, r.Token)
			}
		}
		w("== %s s3 tokens (%d): %s\n", s.Major, len(s3), strings.Join(s3, " "))
	}
	// region in v7
	v7 := schemas[1]
	withRegion, total := 0, 0
	lack := map[string][]string{}
	for _, r := range v7.Resources {
		total++
		has := false
		for _, a := range r.Args {
			if a == "region" {
				has = true
			}
		}
		if has {
			withRegion++
		} else {
			mod := strings.SplitN(strings.SplitN(r.Token, ":", 3)[1], "/", 2)[0]
			lack[mod] = append(lack[mod], r.Token)
		}
	}
	w("== v7 region: %d of %d resources have region\n", withRegion, total)
	var mods []string
	for m := range lack {
		mods = append(mods, m)
	}
	sort.Strings(mods)
	for _, m := range mods {
		g := ""
		for _, gm := range Governed["aws"] {
			if gm == m {
				g = " GOVERNED"
			}
		}
		w("  lacks region: %s (%d)%s: %s\n", m, len(lack[m]), g, strings.Join(lack[m], " "))
	}
	// azure v2 vs v3 governed default tokens
	def := func(s *Schema) map[string]bool {
		m := map[string]bool{}
		for _, r := range s.Resources {
			if Canonical(r.Token) == r.Token && governed("azure-native", r.Token) {
				m[r.Token] = true
			}
		}
		return m
	}
	a, b := def(schemas[2]), def(schemas[3])
	typeName := func(tok string) string { return tok[strings.LastIndexByte(tok, ':')+1:] }
	byName := func(m map[string]bool) map[string][]string {
		o := map[string][]string{}
		for t := range m {
			o[typeName(t)] = append(o[typeName(t)], t)
		}
		return o
	}
	an, bn := byName(a), byName(b)
	var only2, only3 []string
	for t := range a {
		if !b[t] {
			only2 = append(only2, t)
		}
	}
	for t := range b {
		if !a[t] {
			only3 = append(only3, t)
		}
	}
	sort.Strings(only2)
	sort.Strings(only3)
	w("== governed azure default tokens only in v2 (%d):\n", len(only2))
	for _, t := range only2 {
		w("  %s  -> v3 same type name: %v\n", t, bn[typeName(t)])
	}
	w("== governed azure default tokens only in v3 (%d):\n", len(only3))
	for _, t := range only3 {
		w("  %s  <- v2 same type name: %v\n", t, an[typeName(t)])
	}
	// modules of governed: versions in v2
	vers := map[string]map[string]bool{}
	for _, r := range schemas[2].Resources {
		if governed("azure-native", r.Token) && Canonical(r.Token) != r.Token {
			mod := strings.SplitN(r.Token, ":", 3)[1]
			m, v, _ := strings.Cut(mod, "/")
			if vers[m] == nil {
				vers[m] = map[string]bool{}
			}
			vers[m][v] = true
		}
	}
	for m, vs := range vers {
		var l []string
		for v := range vs {
			l = append(l, v)
		}
		sort.Strings(l)
		w("== v2 %s API-version modules (%d): %s\n", m, len(l), strings.Join(l, " "))
	}
}
