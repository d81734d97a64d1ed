package policy

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"reflect"
	"regexp"
	"sort"
	"strings"
)

// Schema is a JSON Schema for one config field, as sent to the engine
// (type, enum, items, pattern, minimum, ... and "default").
type Schema = map[string]any

// Config is a policy's configuration: its schema with defaults, and how to
// turn validated values into the typed struct its rule reads with ConfigOf.
type Config struct {
	Properties map[string]Schema
	Required   []string
	schemaErr  error
	decode     func(values map[string]any) (any, error)
}

// ConfigFor declares a configuration decoded into T (fields tagged `json:"…"`).
// If *T has a Validate() error method, it runs after decoding, for checks a
// schema cannot express (such as compiling a pattern).
func ConfigFor[T any](properties map[string]Schema, required ...string) *Config {
	// Normalised through JSON so that schemas hold only what the engine and
	// the validator below expect: map[string]any, []any, float64, string, bool.
	var normalized map[string]Schema
	b, err := json.Marshal(properties)
	if err == nil {
		err = json.Unmarshal(b, &normalized)
	}
	return &Config{
		Properties: normalized,
		Required:   required,
		schemaErr:  err,
		decode: func(values map[string]any) (any, error) {
			b, err := json.Marshal(values)
			if err != nil {
				return nil, err
			}
			t := new(T)
			if err := json.Unmarshal(b, t); err != nil {
				return nil, err
			}
			if v, ok := any(t).(interface{ Validate() error }); ok {
				if err := v.Validate(); err != nil {
					return nil, err
				}
			}
			return t, nil
		},
	}
}

// Defaults returns the default value of every field that has one.
func (c *Config) Defaults() map[string]any {
	out := make(map[string]any, len(c.Properties))
	for k, s := range c.Properties {
		if d, ok := s["default"]; ok {
			out[k] = d
		}
	}
	return out
}

// Resolve validates values (merged over the defaults) and decodes them.
// Every problem is reported, each naming its field.
func (c *Config) Resolve(values map[string]any) (any, error) {
	merged := c.Defaults()
	for k, v := range values {
		if k == "enforcementLevel" { // the engine's, not ours
			continue
		}
		merged[k] = v
	}
	errs := validateObject("", merged, c.Properties, c.Required, false)
	if len(errs) > 0 {
		return nil, joinErrors(errs)
	}
	return c.decode(merged)
}

func (c *Config) checkDefaults() error {
	if c.decode == nil {
		return errors.New("config must be built with ConfigFor")
	}
	if c.schemaErr != nil {
		return fmt.Errorf("schema is not JSON: %w", c.schemaErr)
	}
	if _, err := c.Resolve(nil); err != nil {
		return fmt.Errorf("defaults do not validate: %w", err)
	}
	return nil
}

// FieldError is a config value that breaks its schema.
type FieldError struct {
	Field   string
	Problem string
}

func (e *FieldError) Error() string {
	if e.Field == "" {
		return e.Problem
	}
	return fmt.Sprintf("field %q: %s", e.Field, e.Problem)
}

func fieldErr(field, format string, args ...any) error {
	return &FieldError{Field: field, Problem: fmt.Sprintf(format, args...)}
}

func validateObject(path string, obj map[string]any, props map[string]Schema, required []string, allowExtra bool) []error {
	var errs []error
	for _, r := range required {
		if _, ok := obj[r]; !ok {
			errs = append(errs, fieldErr(join(path, r), "is required"))
		}
	}
	keys := make([]string, 0, len(obj))
	for k := range obj {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		s, ok := props[k]
		if !ok {
			if !allowExtra {
				names := make([]string, 0, len(props))
				for n := range props {
					names = append(names, n)
				}
				sort.Strings(names)
				errs = append(errs, fieldErr(join(path, k), "is not a known field (known: %s)", strings.Join(names, ", ")))
			}
			continue
		}
		errs = append(errs, validateValue(join(path, k), obj[k], s)...)
	}
	return errs
}

func jsonType(v any) string {
	switch x := v.(type) {
	case nil:
		return "null"
	case bool:
		return "boolean"
	case float64:
		if x == math.Trunc(x) {
			return "integer"
		}
		return "number"
	case int, int64, int32:
		return "integer"
	case string:
		return "string"
	case []any:
		return "array"
	case map[string]any:
		return "object"
	}
	return fmt.Sprintf("%T", v)
}

func typeMatches(want, got string) bool {
	return want == got || (want == "number" && got == "integer")
}

func validateValue(path string, v any, s Schema) []error {
	got := jsonType(v)
	if want, ok := s["type"]; ok {
		var wants []string
		switch w := want.(type) {
		case string:
			wants = []string{w}
		case []any:
			for _, x := range w {
				if xs, ok := x.(string); ok {
					wants = append(wants, xs)
				}
			}
		}
		matched := false
		for _, w := range wants {
			matched = matched || typeMatches(w, got)
		}
		if !matched {
			return []error{fieldErr(path, "must be %s, got %s", strings.Join(wants, " or "), got)}
		}
	}
	var errs []error
	if enum, ok := s["enum"]; ok {
		if !inEnum(v, enum) {
			errs = append(errs, fieldErr(path, "must be one of %s, got %s", render(enum), render(v)))
		}
	}
	switch x := v.(type) {
	case string:
		if n, ok := num(s["minLength"]); ok && float64(len(x)) < n {
			errs = append(errs, fieldErr(path, "must be at least %v characters long", n))
		}
		if n, ok := num(s["maxLength"]); ok && float64(len(x)) > n {
			errs = append(errs, fieldErr(path, "must be at most %v characters long", n))
		}
		if p, ok := s["pattern"].(string); ok {
			if re, err := regexp.Compile(p); err == nil && !re.MatchString(x) {
				errs = append(errs, fieldErr(path, "must match the pattern %s", p))
			}
		}
		if f, _ := s["format"].(string); f == "regex" {
			if _, err := regexp.Compile(x); err != nil {
				errs = append(errs, fieldErr(path, "is not a valid regular expression: %v", err))
			}
		}
	case float64:
		if n, ok := num(s["minimum"]); ok && x < n {
			errs = append(errs, fieldErr(path, "must be at least %v, got %v", n, x))
		}
		if n, ok := num(s["maximum"]); ok && x > n {
			errs = append(errs, fieldErr(path, "must be at most %v, got %v", n, x))
		}
	case []any:
		if n, ok := num(s["minItems"]); ok && float64(len(x)) < n {
			errs = append(errs, fieldErr(path, "must have at least %v items", n))
		}
		if n, ok := num(s["maxItems"]); ok && float64(len(x)) > n {
			errs = append(errs, fieldErr(path, "must have at most %v items", n))
		}
		if items, ok := s["items"].(map[string]any); ok {
			for i, e := range x {
				errs = append(errs, validateValue(fmt.Sprintf("%s[%d]", path, i), e, items)...)
			}
		}
		if u, _ := s["uniqueItems"].(bool); u {
			for i := range x {
				for j := 0; j < i; j++ {
					if reflect.DeepEqual(x[i], x[j]) {
						errs = append(errs, fieldErr(fmt.Sprintf("%s[%d]", path, i), "repeats %s", render(x[i])))
					}
				}
			}
		}
	case map[string]any:
		props := map[string]Schema{}
		if ps, ok := s["properties"].(map[string]any); ok {
			for k, p := range ps {
				props[k], _ = p.(map[string]any)
			}
		}
		required := toStrings(s["required"])
		switch extra := s["additionalProperties"].(type) {
		case map[string]any:
			for k, e := range x {
				if _, known := props[k]; !known {
					errs = append(errs, validateValue(join(path, k), e, extra)...)
				}
			}
			errs = append(errs, validateObject(path, x, props, required, true)...)
		case bool:
			errs = append(errs, validateObject(path, x, props, required, extra)...)
		default:
			errs = append(errs, validateObject(path, x, props, required, true)...)
		}
	}
	return errs
}

// The schema helpers below read only the JSON types: ConfigFor normalized
// the schema through JSON, so its lists are []any and its numbers float64.

func inEnum(v, enum any) bool {
	e, _ := enum.([]any)
	for _, x := range e {
		if reflect.DeepEqual(x, v) {
			return true
		}
	}
	return false
}

func num(v any) (float64, bool) {
	x, ok := v.(float64)
	return x, ok
}

func toStrings(v any) []string {
	x, _ := v.([]any)
	out := make([]string, 0, len(x))
	for _, e := range x {
		if s, ok := e.(string); ok {
			out = append(out, s)
		}
	}
	return out
}

func render(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(b)
}

func joinErrors(errs []error) error {
	msgs := make([]string, len(errs))
	for i, e := range errs {
		msgs[i] = e.Error()
	}
	return &multiError{errs: errs, msg: strings.Join(msgs, "; ")}
}

type multiError struct {
	errs []error
	msg  string
}

func (m *multiError) Error() string   { return m.msg }
func (m *multiError) Unwrap() []error { return m.errs }
