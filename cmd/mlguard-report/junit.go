package main

import (
	"encoding/xml"
	"fmt"
	"sort"
	"strings"
)

// JUnit XML as GitLab, Jenkins and most CI read it: a suite per pack, a test
// case per resource × policy that ran on it (classname the URN, name the
// policy), and per stack policy one case for the whole stack. A violation is
// a failure; an exempted one is skipped with its note.
type junitSuites struct {
	XMLName  xml.Name     `xml:"testsuites"`
	Name     string       `xml:"name,attr"`
	Tests    int          `xml:"tests,attr"`
	Failures int          `xml:"failures,attr"`
	Skipped  int          `xml:"skipped,attr"`
	Suites   []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name     string      `xml:"name,attr"`
	Tests    int         `xml:"tests,attr"`
	Failures int         `xml:"failures,attr"`
	Skipped  int         `xml:"skipped,attr"`
	Errors   int         `xml:"errors,attr"`
	Cases    []junitCase `xml:"testcase"`
}

type junitCase struct {
	Name      string        `xml:"name,attr"`
	Classname string        `xml:"classname,attr"`
	File      string        `xml:"file,attr,omitempty"`
	Line      int           `xml:"line,attr,omitempty"`
	Failure   *junitFailure `xml:"failure,omitempty"`
	Skipped   *junitSkipped `xml:"skipped,omitempty"`
}

type junitFailure struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr"`
	Text    string `xml:",chardata"`
}

type junitSkipped struct {
	Message string `xml:"message,attr"`
}

func buildJUnit(r *run) junitSuites {
	stackCase := r.Project + "/" + r.Stack
	type caseKey struct{ pack, urn, policy string }
	cases := map[caseKey]*junitCase{}
	order := []caseKey{}
	add := func(k caseKey) *junitCase {
		if c, ok := cases[k]; ok {
			return c
		}
		class := k.urn
		if class == "" {
			class = stackCase
		}
		c := &junitCase{Name: k.policy, Classname: class}
		cases[k] = c
		order = append(order, k)
		return c
	}
	stackPolicy := map[[2]string]bool{}
	for _, p := range r.Policies {
		if p.Stack {
			stackPolicy[[2]string{p.Pack, p.Name}] = true
		}
	}
	for _, t := range r.Tests {
		add(caseKey{t.Pack, t.URN, t.Policy})
	}
	notes := map[*junitCase][]string{}
	for _, v := range r.Violations {
		k := caseKey{v.Pack, v.URN, v.Policy}
		if stackPolicy[[2]string{v.Pack, v.Policy}] {
			k.urn = "" // a stack policy's case holds all its findings
		}
		c := add(k) // a violation with no record of its run still gets its case
		if v.Location != nil && c.File == "" {
			c.File, c.Line = v.Location.File, v.Location.Line
		}
		text := v.Message
		if k.urn == "" && v.URN != "" {
			text = v.URN + ": " + text
		}
		if !v.failing() {
			if c.Skipped == nil && c.Failure == nil {
				c.Skipped = &junitSkipped{Message: "exempted (" + v.Exemption.Source + "): " + v.Exemption.Note}
			}
			continue
		}
		if c.Failure == nil {
			c.Failure = &junitFailure{Message: firstLine(v.Message), Type: v.Level}
			c.Skipped = nil // one failing finding outweighs an exempted one
		} else if v.Level == "mandatory" {
			c.Failure.Type = "mandatory"
		}
		notes[c] = append(notes[c], fmt.Sprintf("[%s] %s", v.Level, text))
	}
	for c, lines := range notes {
		c.Failure.Text = strings.Join(lines, "\n")
	}

	byPack := map[string]*junitSuite{}
	var packs []string
	sort.SliceStable(order, func(i, j int) bool {
		a, b := order[i], order[j]
		if a.pack != b.pack {
			return a.pack < b.pack
		}
		if a.urn != b.urn {
			return a.urn < b.urn
		}
		return a.policy < b.policy
	})
	out := junitSuites{Name: "pulumi policies: " + stackCase}
	for _, k := range order {
		s, ok := byPack[k.pack]
		if !ok {
			s = &junitSuite{Name: k.pack}
			byPack[k.pack] = s
			packs = append(packs, k.pack)
		}
		c := cases[k]
		s.Cases = append(s.Cases, *c)
		s.Tests++
		if c.Failure != nil {
			s.Failures++
		}
		if c.Skipped != nil {
			s.Skipped++
		}
	}
	for _, p := range packs {
		s := byPack[p]
		out.Suites = append(out.Suites, *s)
		out.Tests += s.Tests
		out.Failures += s.Failures
		out.Skipped += s.Skipped
	}
	return out
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}

func marshalJUnit(s junitSuites) ([]byte, error) {
	b, err := xml.MarshalIndent(s, "", "  ")
	return append([]byte(xml.Header), append(b, '\n')...), err
}
