package genschema

import (
	"fmt"
	"strings"
)

// The npm packages' typings are machine-written TypeScript of a small shape:
// imports, (declare) namespaces, interfaces with property signatures,
// classes and function declarations. This parser reads exactly that much;
// anything it does not model (classes, functions, consts) is skipped whole.

// typeKind says what a type expression is, as far as input paths go.
type typeKind int

const (
	leafType   typeKind = iota // string, number, boolean, enums, literals, resources, any
	refType                    // a named type, resolved against the input namespaces
	unionType                  // A | B: the union of the members' paths
	listType                   // T[]
	mapType                    // {[key: string]: T}
	objectType                 // {a: T; b?: U}
)

type typeExpr struct {
	kind    typeKind
	ref     string      // refType: the qualified name as written, e.g. inputs.s3.BucketVersioning
	elem    *typeExpr   // listType, mapType
	members []*typeExpr // unionType
	props   []property  // objectType
}

type property struct {
	name string
	typ  *typeExpr
}

// iface is an interface declaration; scope is its namespace, e.g. "storage.v20230101".
type iface struct {
	scope string
	props []property
}

// declFile is what a parsed .d.ts declares: interfaces by qualified name.
type declFile struct {
	interfaces map[string]*iface
}

type tokKind int

const (
	tEOF tokKind = iota
	tIdent
	tString
	tNumber
	tPunct
)

type token struct {
	kind tokKind
	text string
	pos  int
}

type lexer struct {
	src  string
	pos  int
	peek *token
}

func (l *lexer) next() token {
	if l.peek != nil {
		t := *l.peek
		l.peek = nil
		return t
	}
	return l.scan()
}

func (l *lexer) lookahead() token {
	if l.peek == nil {
		t := l.scan()
		l.peek = &t
	}
	return *l.peek
}

func isIdentByte(c byte) bool {
	return c == '_' || c == '$' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

func (l *lexer) scan() token {
	s := l.src
	for l.pos < len(s) {
		c := s[l.pos]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			l.pos++
		case c == '/' && l.pos+1 < len(s) && s[l.pos+1] == '/':
			if i := strings.IndexByte(s[l.pos:], '\n'); i >= 0 {
				l.pos += i + 1
			} else {
				l.pos = len(s)
			}
		case c == '/' && l.pos+1 < len(s) && s[l.pos+1] == '*':
			if i := strings.Index(s[l.pos+2:], "*/"); i >= 0 {
				l.pos += i + 4
			} else {
				l.pos = len(s)
			}
		default:
			start := l.pos
			switch {
			case isIdentByte(c):
				for l.pos < len(s) && isIdentByte(s[l.pos]) {
					l.pos++
				}
				kind := tIdent
				if c >= '0' && c <= '9' {
					kind = tNumber
				}
				return token{kind, s[start:l.pos], start}
			case c == '"' || c == '\'' || c == '`':
				l.pos++
				for l.pos < len(s) && s[l.pos] != c {
					if s[l.pos] == '\\' {
						l.pos++
					}
					l.pos++
				}
				l.pos++
				return token{tString, s[start:min(l.pos, len(s))], start}
			case c == '=' && l.pos+1 < len(s) && s[l.pos+1] == '>':
				l.pos += 2
				return token{tPunct, "=>", start}
			default:
				l.pos++
				return token{tPunct, string(c), start}
			}
		}
	}
	return token{tEOF, "", len(s)}
}

type parser struct {
	lx   lexer
	name string // file, for errors
	out  *declFile
}

// parseDecls parses a .d.ts file's declarations.
func parseDecls(name, src string) (*declFile, error) {
	p := &parser{lx: lexer{src: src}, name: name, out: &declFile{interfaces: map[string]*iface{}}}
	if err := p.body(""); err != nil {
		return nil, err
	}
	return p.out, nil
}

func (p *parser) errorf(t token, format string, args ...any) error {
	line := 1 + strings.Count(p.lx.src[:min(t.pos, len(p.lx.src))], "\n")
	return fmt.Errorf("%s:%d: %s", p.name, line, fmt.Sprintf(format, args...))
}

func (p *parser) expect(text string) error {
	if t := p.lx.next(); t.text != text || t.kind == tString {
		return p.errorf(t, "expected %q, found %q", text, t.text)
	}
	return nil
}

func (p *parser) ident() (string, error) {
	t := p.lx.next()
	if t.kind != tIdent {
		return "", p.errorf(t, "expected a name, found %q", t.text)
	}
	return t.text, nil
}

// body parses declarations up to the end of the file (scope "") or the
// closing brace of a namespace.
func (p *parser) body(scope string) error {
	for {
		t := p.lx.lookahead()
		switch {
		case t.kind == tEOF:
			if scope != "" {
				return p.errorf(t, "namespace %s is not closed", scope)
			}
			return nil
		case t.text == "}" && t.kind == tPunct:
			if scope == "" {
				return p.errorf(t, "unexpected }")
			}
			p.lx.next()
			return nil
		case t.text == "export" || t.text == "declare" || t.text == "readonly":
			p.lx.next()
		case t.text == "namespace" || t.text == "module":
			p.lx.next()
			name, err := p.ident()
			if err != nil {
				return err
			}
			for p.lx.lookahead().text == "." { // namespace a.b {
				p.lx.next()
				more, err := p.ident()
				if err != nil {
					return err
				}
				name += "." + more
			}
			if err := p.expect("{"); err != nil {
				return err
			}
			if err := p.body(join(scope, name)); err != nil {
				return err
			}
		case t.text == "interface":
			p.lx.next()
			name, err := p.ident()
			if err != nil {
				return err
			}
			if p.lx.lookahead().text == "<" {
				return p.errorf(p.lx.lookahead(), "generic interface %s is not supported", name)
			}
			if p.lx.lookahead().text == "extends" {
				return p.errorf(p.lx.lookahead(), "interface %s extends another: not supported", name)
			}
			if err := p.expect("{"); err != nil {
				return err
			}
			props, err := p.members()
			if err != nil {
				return err
			}
			p.out.interfaces[join(scope, name)] = &iface{scope: scope, props: props}
		default:
			// import, class, function, const, type alias...: not input shapes.
			if err := p.skipStatement(); err != nil {
				return err
			}
		}
	}
}

// skipStatement skips to the end of a statement: a ';' or a balanced {...}
// block at depth 0 (a class body), whichever comes first.
func (p *parser) skipStatement() error {
	depth := 0
	for {
		t := p.lx.next()
		if t.kind == tEOF {
			return nil
		}
		if t.kind != tPunct {
			continue
		}
		switch t.text {
		case "{", "(", "[":
			depth++
		case "}", ")", "]":
			depth--
			if depth == 0 && t.text == "}" {
				// A class or function body ends the statement unless a
				// type annotation or more follows (e.g. `): {…};`).
				if n := p.lx.lookahead(); n.text != ";" && n.text != "|" && n.text != "[" {
					return nil
				}
			}
			if depth < 0 {
				return p.errorf(t, "unbalanced %q", t.text)
			}
		case ";":
			if depth == 0 {
				return nil
			}
		}
	}
}

// members parses interface or object-literal members up to the closing brace.
// An index signature becomes a property named "" (the caller makes a map).
func (p *parser) members() ([]property, error) {
	var props []property
	for {
		t := p.lx.next()
		switch {
		case t.text == "}" && t.kind == tPunct:
			return props, nil
		case t.text == ";" || t.text == ",":
			continue
		case t.text == "readonly" && p.lx.lookahead().text != ":" && p.lx.lookahead().text != "?":
			continue
		case t.text == "[" && t.kind == tPunct: // [key: string]: T
			if _, err := p.ident(); err != nil {
				return nil, err
			}
			if err := p.expect(":"); err != nil {
				return nil, err
			}
			if _, err := p.typ(); err != nil {
				return nil, err
			}
			if err := p.expect("]"); err != nil {
				return nil, err
			}
			if err := p.expect(":"); err != nil {
				return nil, err
			}
			typ, err := p.typ()
			if err != nil {
				return nil, err
			}
			props = append(props, property{name: "", typ: typ})
		case t.kind == tIdent || t.kind == tString:
			name := t.text
			if t.kind == tString {
				name = name[1 : len(name)-1]
			}
			if p.lx.lookahead().text == "?" {
				p.lx.next()
			}
			if n := p.lx.lookahead(); n.text == "(" || n.text == "<" {
				return nil, p.errorf(n, "method signature %s is not supported", name)
			}
			if err := p.expect(":"); err != nil {
				return nil, err
			}
			typ, err := p.typ()
			if err != nil {
				return nil, err
			}
			props = append(props, property{name: name, typ: typ})
		default:
			return nil, p.errorf(t, "unexpected %q in a member list", t.text)
		}
	}
}

// typ parses a type expression: a union of postfix types.
func (p *parser) typ() (*typeExpr, error) {
	if n := p.lx.lookahead(); n.text == "|" || n.text == "&" {
		p.lx.next()
	}
	var members []*typeExpr
	for {
		m, err := p.postfix()
		if err != nil {
			return nil, err
		}
		members = append(members, m)
		// An intersection contributes its members' paths too.
		if n := p.lx.lookahead(); n.kind != tPunct || (n.text != "|" && n.text != "&") {
			break
		}
		p.lx.next()
	}
	if len(members) == 1 {
		return members[0], nil
	}
	return &typeExpr{kind: unionType, members: members}, nil
}

func (p *parser) postfix() (*typeExpr, error) {
	t, err := p.primary()
	if err != nil {
		return nil, err
	}
	for p.lx.lookahead().text == "[" {
		p.lx.next()
		if err := p.expect("]"); err != nil {
			return nil, err
		}
		t = &typeExpr{kind: listType, elem: t}
	}
	return t, nil
}

var leaf = &typeExpr{kind: leafType}

func (p *parser) primary() (*typeExpr, error) {
	t := p.lx.next()
	switch {
	case t.kind == tString || t.kind == tNumber:
		return leaf, nil
	case t.kind == tPunct && t.text == "(":
		inner, err := p.typ()
		if err != nil {
			return nil, err
		}
		return inner, p.expect(")")
	case t.kind == tPunct && t.text == "-": // a negative number literal
		if n := p.lx.next(); n.kind != tNumber {
			return nil, p.errorf(n, "expected a number after -")
		}
		return leaf, nil
	case t.kind == tPunct && t.text == "{":
		props, err := p.members()
		if err != nil {
			return nil, err
		}
		if len(props) == 1 && props[0].name == "" {
			return &typeExpr{kind: mapType, elem: props[0].typ}, nil
		}
		for _, pr := range props {
			if pr.name == "" {
				return nil, p.errorf(t, "an object type mixes an index signature with properties")
			}
		}
		return &typeExpr{kind: objectType, props: props}, nil
	case t.kind == tPunct && t.text == "[": // a tuple: its members as list elements
		var members []*typeExpr
		for p.lx.lookahead().text != "]" {
			m, err := p.typ()
			if err != nil {
				return nil, err
			}
			members = append(members, m)
			if p.lx.lookahead().text == "," {
				p.lx.next()
			}
		}
		p.lx.next()
		return &typeExpr{kind: listType, elem: &typeExpr{kind: unionType, members: members}}, nil
	case t.kind == tIdent:
		name := t.text
		for p.lx.lookahead().text == "." {
			p.lx.next()
			more, err := p.ident()
			if err != nil {
				return nil, err
			}
			name += "." + more
		}
		var args []*typeExpr
		if p.lx.lookahead().text == "<" {
			p.lx.next()
			for {
				a, err := p.typ()
				if err != nil {
					return nil, err
				}
				args = append(args, a)
				if p.lx.lookahead().text != "," {
					break
				}
				p.lx.next()
			}
			if err := p.expect(">"); err != nil {
				return nil, err
			}
		}
		switch {
		case name == "pulumi.Input" || name == "pulumi.Output" || name == "Promise":
			if len(args) != 1 {
				return nil, p.errorf(t, "%s takes one type argument", name)
			}
			return args[0], nil
		case len(args) > 0: // another generic (Record<…>, Array<…>): not an input shape
			if name == "Array" && len(args) == 1 {
				return &typeExpr{kind: listType, elem: args[0]}, nil
			}
			return leaf, nil
		case strings.HasPrefix(name, "enums.") || strings.HasPrefix(name, "pulumi.") || builtin[name]:
			return leaf, nil
		}
		return &typeExpr{kind: refType, ref: name}, nil
	}
	return nil, p.errorf(t, "unexpected %q in a type", t.text)
}

var builtin = map[string]bool{
	"string": true, "number": true, "boolean": true, "any": true, "unknown": true,
	"undefined": true, "null": true, "object": true, "never": true, "true": true, "false": true,
	"void": true,
}

func join(prefix, name string) string {
	if prefix == "" {
		return name
	}
	return prefix + "." + name
}
