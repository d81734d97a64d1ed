package genschema

import (
	"fmt"
	"regexp"
	"sort"
	"strings"
)

// Schema is what one pinned package says: the input paths of the governed
// resource types and the resource types whose arguments take tags.
type Schema struct {
	Package
	Types    map[string][]string // governed type token -> sorted input paths
	Taggable []string            // sorted; azure-native tokens canonical (no API-version segment)
	// Untaggable are the tokens of taggable types (by their canonical
	// token) that take no tags themselves: an API version without them.
	Untaggable []string
	Resources  []Resource // every resource type of the package, sorted by token
}

// Resource is one resource type of the package.
type Resource struct {
	Token string
	Args  []string // top-level input property names, sorted
}

var apiVersion = regexp.MustCompile(`^(azure-native:[^/:]+)/v\d{8}[a-z]*:`)

// Canonical strips the API-version segment from an azure-native token
// ("azure-native:storage/v20230101:StorageAccount" -> "azure-native:storage:StorageAccount"):
// both name the same resource. Other tokens are returned as they are.
func Canonical(token string) string {
	return apiVersion.ReplaceAllString(token, "$1:")
}

// Scan reads the npm tarball of p.
func Scan(tarball string, p Package) (*Schema, error) {
	type class struct{ token, name string }
	classes := map[string]class{}   // by file stem, from the .js files
	decls := map[string]*declFile{} // by file stem, from the .d.ts files of resources
	var inputs map[string]*iface
	keep := func(file string) bool {
		if strings.HasPrefix(file, "types/") {
			return file == "types/input.d.ts"
		}
		return strings.HasSuffix(file, ".js") || strings.HasSuffix(file, ".d.ts")
	}
	err := walkTarball(tarball, keep, func(file string, data []byte) error {
		src := string(data)
		switch {
		case file == "types/input.d.ts":
			d, err := parseDecls(p.Name+"/"+file, src)
			if err != nil {
				return err
			}
			inputs = d.interfaces
		case strings.HasSuffix(file, ".js"):
			if token, name, ok := resourceJS(src); ok {
				classes[strings.TrimSuffix(file, ".js")] = class{token: token, name: name}
			}
		case strings.Contains(src, "extends pulumi.CustomResource") || strings.Contains(src, "extends pulumi.ProviderResource"):
			d, err := parseDecls(p.Name+"/"+file, src)
			if err != nil {
				return err
			}
			decls[strings.TrimSuffix(file, ".d.ts")] = d
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if inputs == nil {
		return nil, fmt.Errorf("%s: no types/input.d.ts: is it a Pulumi provider's npm package?", tarball)
	}
	if len(classes) == 0 {
		return nil, fmt.Errorf("%s: no resource classes: is it a Pulumi provider's npm package?", tarball)
	}
	provider, _, _ := strings.Cut(p.Major, "/")
	s := &Schema{Package: p, Types: map[string][]string{}}
	r := &resolver{inputs: inputs}
	taggable, takes := map[string]bool{}, map[string]bool{} // by canonical token, by token
	stems := make([]string, 0, len(classes))
	for stem := range classes {
		stems = append(stems, stem)
	}
	sort.Strings(stems)
	seen := map[string]string{}
	for _, stem := range stems {
		c := classes[stem]
		token := c.token
		if !strings.Contains(token, ":") { // the provider: its engine token
			token = "pulumi:providers:" + token
		}
		if other, dup := seen[token]; dup {
			return nil, fmt.Errorf("%s: type %s is declared by both %s.js and %s.js", tarball, token, other, stem)
		}
		seen[token] = stem
		d := decls[stem]
		if d == nil {
			return nil, fmt.Errorf("%s: %s.js declares %s but %s.d.ts declares no resource class", tarball, stem, c.name, stem)
		}
		args := d.interfaces[c.name+"Args"]
		if args == nil { // a resource without inputs
			args = &iface{}
		}
		res := Resource{Token: token}
		for _, pr := range args.props {
			res.Args = append(res.Args, pr.name)
			if pr.name == "tags" && takesTags(pr.typ) {
				taggable[Canonical(token)] = true
				takes[token] = true
			}
		}
		sort.Strings(res.Args)
		s.Resources = append(s.Resources, res)
		if !governed(provider, token) {
			continue
		}
		paths, err := r.argsPaths(p.Name+"/"+stem+".d.ts", args)
		if err != nil {
			return nil, err
		}
		s.Types[token] = paths
	}
	sort.Slice(s.Resources, func(i, j int) bool { return s.Resources[i].Token < s.Resources[j].Token })
	for t := range taggable {
		s.Taggable = append(s.Taggable, t)
	}
	sort.Strings(s.Taggable)
	for _, res := range s.Resources { // API versions of a taggable type that take no tags
		if taggable[Canonical(res.Token)] && !takes[res.Token] {
			s.Untaggable = append(s.Untaggable, res.Token)
		}
	}
	return s, nil
}

// resourceJS finds the resource class of a module's JavaScript and its type
// token: `class Bucket extends pulumi.CustomResource` and `static
// __pulumiType = 'aws:s3/bucket:Bucket'` (v7; v6 assigns
// `Bucket.__pulumiType = '…'` after the class). Plain string searches: a
// regular expression over the 60,000 files took most of the run.
func resourceJS(src string) (token, class string, ok bool) {
	const typeMark = "__pulumiType = '"
	i := strings.Index(src, typeMark)
	if i < 0 {
		return "", "", false
	}
	token, _, ok = strings.Cut(src[i+len(typeMark):], "'")
	if !ok {
		return "", "", false
	}
	for _, base := range []string{" extends pulumi.CustomResource ", " extends pulumi.ProviderResource "} {
		end := strings.Index(src, base)
		if end < 0 {
			continue
		}
		start := strings.LastIndex(src[:end], "class ")
		if start < 0 {
			continue
		}
		class = src[start+len("class ") : end]
		for j := 0; j < len(class); j++ {
			if !isIdentByte(class[j]) {
				return "", "", false
			}
		}
		return token, class, class != ""
	}
	return "", "", false
}

// takesTags says whether a tags input is a map of tags (a few resources
// have a tags input of another shape, which required-tags cannot judge).
func takesTags(t *typeExpr) bool {
	switch t.kind {
	case mapType:
		return true
	case unionType:
		for _, m := range t.members {
			if takesTags(m) {
				return true
			}
		}
	}
	return false
}

// governed says whether the index covers token: the provider itself, or a
// resource of a Governed module or a Governed type (any API version of it).
func governed(provider, token string) bool {
	if token == "pulumi:providers:"+provider {
		return true
	}
	prefix, rest, ok := strings.Cut(Canonical(token), ":")
	if !ok || prefix != provider {
		return false
	}
	module, typ, _ := strings.Cut(rest, ":")
	module, _, _ = strings.Cut(module, "/")
	for _, m := range Governed[provider] {
		if m == module || m == module+":"+typ {
			return true
		}
	}
	return false
}
