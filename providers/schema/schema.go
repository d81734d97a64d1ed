// Package schema loads the provider schema index: for every provider major
// the pack supports, the input property paths of each resource type the pack
// governs, generated from the providers' published npm typings by `make
// schema` (internal/genschema). Tests use it to check that the paths rules
// read exist; the pack itself does not import it.
//
// # Path convention
//
// The index writes a path as property names joined by dots, with a marker
// after a name whose value is a list or a map, one per level:
//
//	versioning.enabled                       property enabled of object versioning
//	rules[].applyServerSideEncryptionByDefault.sseAlgorithm
//	                                         a property of each element of list rules
//	tags{}                                   the values of map tags
//	matrix[][]                               the elements of a list of lists
//
// Only leaves are written; every prefix of a path is a path too. Union types
// (string | Obj, discriminated unions) contribute the paths of every member,
// recursive types stop at their first repetition, and nesting stops at ten
// properties. Enums, string literals, resources and IAM policy documents are
// leaves.
//
// HasPath takes the dotted form rules read as well: a numeric segment is a
// list element ("rules.0.status"), any segment under a map is a key
// ("tags.owner"), and the index form itself ("rules[].status", "tags{}",
// "rules[0].status") is accepted too.
package schema

import (
	"bufio"
	"bytes"
	"embed"
	"fmt"
	"path"
	"sort"
	"strings"
	"sync"
)

//go:embed index/*.txt
var indexFiles embed.FS

// Major is a supported provider major: "aws/v6", "aws/v7", "azure-native/v2", "azure-native/v3".
type Major string

// The majors the index holds.
const (
	AWSv6         Major = "aws/v6"
	AWSv7         Major = "aws/v7"
	AzureNativev2 Major = "azure-native/v2"
	AzureNativev3 Major = "azure-native/v3"
)

// Index is the loaded schema index. It is safe for concurrent use.
type Index struct {
	majors []Major
	byName map[Major]*major
}

type major struct {
	pkg, version string
	tokens       []string
	types        map[string]*pathSet
}

// pathSet is the paths of one or more types (API versions alike share one).
type pathSet struct {
	paths []string
	once  sync.Once
	root  *node
}

// node is a step in the tree of a type's paths.
type node struct {
	props map[string]*node
	list  *node // the element, when the value is a list
	dict  *node // the value, when the value is a map
}

var (
	loadOnce sync.Once
	loaded   *Index
	loadErr  error
)

// Load parses the embedded index (once; later calls return the same Index).
func Load() (*Index, error) {
	loadOnce.Do(func() { loaded, loadErr = load() })
	return loaded, loadErr
}

func load() (*Index, error) {
	names, err := indexFiles.ReadDir("index")
	if err != nil {
		return nil, err
	}
	idx := &Index{byName: map[Major]*major{}}
	for _, e := range names {
		name := path.Join("index", e.Name())
		data, err := indexFiles.ReadFile(name)
		if err != nil {
			return nil, err
		}
		m, mj, err := parse(name, data)
		if err != nil {
			return nil, err
		}
		if _, dup := idx.byName[m]; dup {
			return nil, fmt.Errorf("%s: major %s is in two index files", name, m)
		}
		idx.byName[m] = mj
		idx.majors = append(idx.majors, m)
	}
	if len(idx.majors) == 0 {
		return nil, fmt.Errorf("the schema index is empty: run make schema")
	}
	sort.Slice(idx.majors, func(i, j int) bool { return idx.majors[i] < idx.majors[j] })
	return idx, nil
}

// parse reads one index file: a "major" and a "package" line, then each
// type token followed by its paths (tab-indented), or "token = earlier".
func parse(name string, data []byte) (Major, *major, error) {
	var m Major
	mj := &major{types: map[string]*pathSet{}}
	var cur *pathSet
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 0, 64*1024), 1024*1024)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		bad := func(what string) error { return fmt.Errorf("%s:%d: %s: %q", name, n, what, line) }
		switch {
		case line == "" || strings.HasPrefix(line, "#"):
		case strings.HasPrefix(line, "\t"):
			if cur == nil {
				return "", nil, bad("a path before any type")
			}
			cur.paths = append(cur.paths, line[1:])
		case strings.HasPrefix(line, "major "):
			m = Major(strings.TrimPrefix(line, "major "))
		case strings.HasPrefix(line, "package "):
			var ok bool
			if mj.pkg, mj.version, ok = strings.Cut(strings.TrimPrefix(line, "package "), " "); !ok {
				return "", nil, bad("a package line without a version")
			}
		default:
			token, earlier, shared := strings.Cut(line, " = ")
			if strings.ContainsAny(token, " \t") {
				return "", nil, bad("not a type token")
			}
			if _, dup := mj.types[token]; dup {
				return "", nil, bad("a type listed twice")
			}
			cur = &pathSet{}
			if shared {
				if cur = mj.types[earlier]; cur == nil {
					return "", nil, bad("shares the paths of a type not listed before it")
				}
			}
			mj.types[token] = cur
			mj.tokens = append(mj.tokens, token)
		}
	}
	if err := sc.Err(); err != nil {
		return "", nil, fmt.Errorf("%s: %w", name, err)
	}
	if m == "" || mj.version == "" {
		return "", nil, fmt.Errorf("%s: no major or package line", name)
	}
	sort.Strings(mj.tokens)
	return m, mj, nil
}

// Majors returns the majors the index holds, sorted.
func (x *Index) Majors() []Major { return append([]Major(nil), x.majors...) }

// Version returns the npm package version major m was generated from ("7.48.0"), or "".
func (x *Index) Version(m Major) string {
	if mj := x.byName[m]; mj != nil {
		return mj.version
	}
	return ""
}

// Package returns the npm package major m was generated from ("@pulumi/aws"), or "".
func (x *Index) Package(m Major) string {
	if mj := x.byName[m]; mj != nil {
		return mj.pkg
	}
	return ""
}

// Types returns the type tokens of major m, sorted.
func (x *Index) Types(m Major) []string {
	if mj := x.byName[m]; mj != nil {
		return append([]string(nil), mj.tokens...)
	}
	return nil
}

// HasType says whether major m has the type token.
func (x *Index) HasType(m Major, token string) bool {
	mj := x.byName[m]
	return mj != nil && mj.types[token] != nil
}

// Paths returns the input paths of a type in the index form, sorted (leaves only).
func (x *Index) Paths(m Major, token string) []string {
	if mj := x.byName[m]; mj != nil && mj.types[token] != nil {
		return append([]string(nil), mj.types[token].paths...)
	}
	return nil
}

// HasPath says whether p is an input path of the type in major m (see the
// package comment for the forms it takes). A malformed path has none.
func (x *Index) HasPath(m Major, token, p string) bool {
	mj := x.byName[m]
	if mj == nil || mj.types[token] == nil {
		return false
	}
	steps, ok := parsePath(p)
	if !ok {
		return false
	}
	set := []*node{mj.types[token].tree()}
	for _, s := range steps {
		var next []*node
		for _, n := range set {
			next = append(next, n.step(s)...)
		}
		if set = next; len(set) == 0 {
			return false
		}
	}
	return true
}

// stepKind is how a path segment moves down the tree.
type stepKind int

const (
	propStep stepKind = iota // a name: a property, or a key of a map
	elemStep                 // a number: an element of a list, or a key of a map
	listStep                 // [] or [N]: an element of a list
	dictStep                 // {}: a value of a map
)

type step struct {
	kind stepKind
	name string
}

// parsePath splits a rule's or the index's path into steps.
func parsePath(p string) ([]step, bool) {
	if p == "" {
		return nil, false
	}
	var steps []step
	for _, seg := range strings.Split(p, ".") {
		name := seg
		if i := strings.IndexAny(seg, "[{"); i >= 0 {
			name = seg[:i]
		}
		switch {
		case name == "": // every segment starts with a name or a number
			return nil, false
		case isNumber(name):
			steps = append(steps, step{kind: elemStep})
		default:
			steps = append(steps, step{kind: propStep, name: name})
		}
		for rest := seg[len(name):]; rest != ""; {
			switch {
			case strings.HasPrefix(rest, "{}"):
				steps = append(steps, step{kind: dictStep})
				rest = rest[2:]
			case rest[0] == '[':
				end := strings.IndexByte(rest, ']')
				if end < 0 || (end > 1 && !isNumber(rest[1:end])) {
					return nil, false
				}
				steps = append(steps, step{kind: listStep})
				rest = rest[end+1:]
			default:
				return nil, false
			}
		}
	}
	return steps, true
}

func isNumber(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

func (n *node) step(s step) []*node {
	var out []*node
	add := func(c *node) {
		if c != nil {
			out = append(out, c)
		}
	}
	switch s.kind {
	case propStep:
		add(n.props[s.name])
		add(n.dict)
	case elemStep:
		add(n.list)
		add(n.dict)
	case listStep:
		add(n.list)
	case dictStep:
		add(n.dict)
	}
	return out
}

// tree builds the path tree of the set on first use.
func (s *pathSet) tree() *node {
	s.once.Do(func() {
		s.root = &node{}
		for _, p := range s.paths {
			steps, ok := parsePath(p)
			if !ok {
				continue // the generator writes only well-formed paths; a test checks it
			}
			n := s.root
			for _, st := range steps {
				n = n.child(st)
			}
		}
	})
	return s.root
}

func (n *node) child(s step) *node {
	switch s.kind {
	case listStep:
		if n.list == nil {
			n.list = &node{}
		}
		return n.list
	case dictStep:
		if n.dict == nil {
			n.dict = &node{}
		}
		return n.dict
	}
	if n.props == nil {
		n.props = map[string]*node{}
	}
	c := n.props[s.name]
	if c == nil {
		c = &node{}
		n.props[s.name] = c
	}
	return c
}
