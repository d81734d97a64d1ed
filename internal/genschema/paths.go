package genschema

import (
	"fmt"
	"sort"
	"strings"
)

// maxDepth bounds the nesting of properties in a path: deeper input shapes
// (and recursive ones) end in a leaf at that depth.
const maxDepth = 10

// leafInterfaces are input types kept as one leaf: rules read them whole
// (an IAM policy document is parsed as JSON by the rule).
var leafInterfaces = map[string]bool{"PolicyDocument": true}

// resolver turns an Args interface into the dotted input paths of the index
// (see providers/schema for the convention: "a.b", "list[].x", "map{}").
type resolver struct {
	inputs map[string]*iface // types/input.d.ts by qualified name, e.g. "s3.BucketVersioning"
	file   string            // the resource file, for errors
	paths  map[string]bool
	active map[*iface]bool // interfaces on the current walk: a cycle stops there
}

// argsPaths returns the leaf paths of an Args interface, sorted, without the
// paths that are a prefix of another (they are implied).
func (r *resolver) argsPaths(file string, args *iface) ([]string, error) {
	r.file, r.paths, r.active = file, map[string]bool{}, map[*iface]bool{}
	if err := r.object("", args.scope, args.props, 0); err != nil {
		return nil, err
	}
	return prune(r.paths), nil
}

func (r *resolver) object(prefix, scope string, props []property, depth int) error {
	if len(props) == 0 || depth >= maxDepth {
		r.emit(prefix)
		return nil
	}
	for _, p := range props {
		if strings.ContainsAny(p.name, ".[]{}") || p.name == "" {
			return fmt.Errorf("%s: property %q of %s cannot be written as a path segment", r.file, p.name, prefix)
		}
		if err := r.walk(join(prefix, p.name), scope, p.typ, depth+1); err != nil {
			return err
		}
	}
	return nil
}

func (r *resolver) walk(prefix, scope string, t *typeExpr, depth int) error {
	switch t.kind {
	case leafType:
		r.emit(prefix)
	case unionType:
		for _, m := range t.members {
			if err := r.walk(prefix, scope, m, depth); err != nil {
				return err
			}
		}
	case listType:
		return r.walk(prefix+"[]", scope, t.elem, depth)
	case mapType:
		return r.walk(prefix+"{}", scope, t.elem, depth)
	case objectType:
		return r.object(prefix, scope, t.props, depth)
	case refType:
		it, err := r.lookup(scope, t.ref)
		if err != nil {
			return err
		}
		if it == nil || r.active[it] {
			r.emit(prefix)
			return nil
		}
		r.active[it] = true
		defer delete(r.active, it)
		return r.object(prefix, it.scope, it.props, depth)
	}
	return nil
}

// lookup resolves a type name: inputs.<ns>.<Name> in types/input.d.ts, or an
// unqualified name in the enclosing namespaces. A name found nowhere is a
// resource class or an imported alias (a leaf, nil); an inputs.… name found
// nowhere is an error: the typings have a shape this parser misread.
func (r *resolver) lookup(scope, name string) (*iface, error) {
	short := name[strings.LastIndexByte(name, '.')+1:]
	if leafInterfaces[short] {
		return nil, nil
	}
	if rest, ok := strings.CutPrefix(name, "inputs."); ok {
		if it := r.inputs[rest]; it != nil {
			return it, nil
		}
		return nil, fmt.Errorf("%s: type %s is not in types/input.d.ts", r.file, name)
	}
	if strings.HasPrefix(name, "outputs.") {
		return nil, nil
	}
	for s := scope; ; {
		if it := r.inputs[join(s, name)]; it != nil {
			return it, nil
		}
		if s == "" {
			return nil, nil
		}
		if i := strings.LastIndexByte(s, '.'); i >= 0 {
			s = s[:i]
		} else {
			s = ""
		}
	}
}

func (r *resolver) emit(path string) {
	if path != "" {
		r.paths[path] = true
	}
}

// prune sorts the paths and drops each that another extends ("a" when
// "a.b", "a[]" or "a{}" is there): the loader infers the prefixes.
func prune(set map[string]bool) []string {
	implied := map[string]bool{}
	for p := range set {
		for i := 1; i < len(p); i++ {
			if c := p[i]; c == '.' || c == '[' || c == '{' {
				implied[p[:i]] = true
			}
		}
	}
	paths := make([]string, 0, len(set))
	for p := range set {
		if !implied[p] {
			paths = append(paths, p)
		}
	}
	sort.Strings(paths)
	return paths
}
