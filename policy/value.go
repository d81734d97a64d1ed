package policy

import (
	"iter"
	"strconv"
	"strings"

	"google.golang.org/protobuf/types/known/structpb"
)

// The engine marshals resource properties with KeepUnknowns and KeepSecrets: an
// unknown is this sentinel string, a secret an object tagged with sigKey.
const (
	unknownSentinel = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"
	sigKey          = "4dabf18193072939515e22adb298388d"
	secretSig       = "1b47061264138c4ac30d75fd1eb44270"
)

// Kind is what a property value is, with the two states a preview adds to JSON:
// missing (never set) and unknown (computed later in the same update).
type Kind int

const (
	Missing Kind = iota
	Null
	Unknown
	Bool
	Number
	String
	List
	Object
)

var kindNames = [...]string{"missing", "null", "unknown", "bool", "number", "string", "list", "object"}

func (k Kind) String() string { return kindNames[k] }

// Value is a read-only view of one property as the engine sent it. It keeps the
// path it was reached by, for messages, and whether it sits inside a secret.
// The zero Value is Missing.
type Value struct {
	raw *structpb.Value
	// The path is base.rel, joined only when asked for: rules read many
	// values and report few, and the join would allocate on every step.
	base, rel string
	secret    bool
	// traced numbers the resource the value was read from while a path
	// trace is set (trace.go), so that a schema test learns which type a
	// path belongs to; 0 otherwise.
	traced uint32
}

// Props wraps a resource's property struct.
func Props(s *structpb.Struct) Value {
	if s == nil {
		return Value{raw: structpb.NewStructValue(&structpb.Struct{})}
	}
	return Value{raw: structpb.NewStructValue(s)}
}

// ValueOf wraps any protobuf value, unwrapping a secret at the top.
func ValueOf(v *structpb.Value, path string) Value {
	return Value{rel: path}.wrap(v)
}

// wrap keeps v's path and secrecy, unwrapping secret envelopes.
func (v Value) wrap(raw *structpb.Value) Value {
	out := Value{raw: raw, base: v.base, rel: v.rel, secret: v.secret}
	for {
		s := out.raw.GetStructValue()
		if s == nil {
			return out
		}
		if sig := s.Fields[sigKey]; sig == nil || sig.GetStringValue() != secretSig {
			return out
		}
		out.secret = true
		out.raw = s.Fields["value"]
	}
}

// Kind says what the value is.
func (v Value) Kind() Kind {
	switch x := v.raw.GetKind().(type) {
	case nil:
		return Missing
	case *structpb.Value_NullValue:
		return Null
	case *structpb.Value_BoolValue:
		return Bool
	case *structpb.Value_NumberValue:
		return Number
	case *structpb.Value_StringValue:
		if x.StringValue == unknownSentinel {
			return Unknown
		}
		return String
	case *structpb.Value_ListValue:
		return List
	case *structpb.Value_StructValue:
		return Object
	}
	return Missing
}

// Path is the dotted property path this value was reached by ("" for the root).
func (v Value) Path() string { return join(v.base, v.rel) }

// IsSecret reports whether the value or one of its ancestors is secret.
func (v Value) IsSecret() bool { return v.secret }

// IsUnknown reports whether the value will only be known after the update.
func (v Value) IsUnknown() bool { return v.Kind() == Unknown }

// IsAbsent reports whether the value is missing or null: not set at all.
func (v Value) IsAbsent() bool { k := v.Kind(); return k == Missing || k == Null }

// Raw returns the underlying protobuf value (nil when missing).
func (v Value) Raw() *structpb.Value { return v.raw }

// Get follows a dotted path such as "defaultUserSettings.sharingSettings.s3KmsKeyId".
// A numeric segment indexes a list ("rules.0.status"). An unknown on the way
// makes the result unknown; a missing or wrong-typed step makes it missing.
func (v Value) Get(path string) Value {
	if path == "" {
		return v
	}
	out := v
	for rest := path; rest != ""; {
		var seg string
		seg, rest, _ = strings.Cut(rest, ".")
		switch out.Kind() {
		case Object:
			out = out.field(seg)
		case List:
			if i, err := strconv.Atoi(seg); err == nil {
				out = out.index(i)
			} else {
				out = Value{secret: out.secret}
			}
		default:
			out = out.below(nil)
		}
	}
	out.base, out.rel, out.traced = v.Path(), path, v.traced
	if out.traced != 0 {
		out.trace()
	}
	return out
}

func join(path, seg string) string {
	if path == "" {
		return seg
	}
	return path + "." + seg
}

// below is the content one step below v, without a path yet: whatever lies
// below an unknown is unknown too; below anything else, raw.
func (v Value) below(raw *structpb.Value) Value {
	if v.Kind() == Unknown {
		raw = v.raw
	}
	return Value{raw: raw, secret: v.secret}
}

// field is Field without the path.
func (v Value) field(name string) Value {
	if s := v.raw.GetStructValue(); s != nil {
		return Value{secret: v.secret}.wrap(s.Fields[name])
	}
	return v.below(nil)
}

// index is Index without the path.
func (v Value) index(i int) Value {
	if l := v.raw.GetListValue(); l != nil && i >= 0 && i < len(l.Values) {
		return Value{secret: v.secret}.wrap(l.Values[i])
	}
	return v.below(nil)
}

// Field returns one field of an object (Missing if v is not an object).
func (v Value) Field(name string) Value {
	out := v.field(name)
	out.base, out.rel, out.traced = v.Path(), name, v.traced
	if out.traced != 0 {
		out.trace()
	}
	return out
}

// Index returns one element of a list (Missing if out of range or not a list).
func (v Value) Index(i int) Value {
	out := v.index(i)
	out.base, out.rel, out.traced = v.Path(), strconv.Itoa(i), v.traced
	if out.traced != 0 {
		out.trace()
	}
	return out
}

// Len is the number of elements of a list or fields of an object.
func (v Value) Len() int {
	switch v.Kind() {
	case List:
		return len(v.raw.GetListValue().GetValues())
	case Object:
		return len(v.raw.GetStructValue().GetFields())
	}
	return 0
}

// Elems returns the elements of a list (nil otherwise).
func (v Value) Elems() []Value {
	if v.Kind() != List {
		return nil
	}
	vals := v.raw.GetListValue().GetValues()
	out := make([]Value, len(vals))
	for i := range vals {
		out[i] = v.Index(i)
	}
	return out
}

// Keys returns the field names of an object, in no particular order.
func (v Value) Keys() []string {
	if v.Kind() != Object {
		return nil
	}
	fields := v.raw.GetStructValue().GetFields()
	keys := make([]string, 0, len(fields))
	for k := range fields {
		keys = append(keys, k)
	}
	return keys
}

// Fields yields the fields of an object in no particular order (nothing
// otherwise), without collecting the keys first.
func (v Value) Fields() iter.Seq2[string, Value] {
	return func(yield func(string, Value) bool) {
		if v.Kind() != Object {
			return
		}
		for k := range v.raw.GetStructValue().GetFields() {
			if !yield(k, v.Field(k)) {
				return
			}
		}
	}
}

// Str returns a string value; ok is false for any other kind.
func (v Value) Str() (s string, ok bool) {
	if v.Kind() != String {
		return "", false
	}
	return v.raw.GetStringValue(), true
}

// Bool returns a bool value. The strings "true" and "false" count too, since
// bridged providers accept them and programs sometimes pass config through.
func (v Value) Bool() (b bool, ok bool) {
	switch v.Kind() {
	case Bool:
		return v.raw.GetBoolValue(), true
	case String:
		b, err := strconv.ParseBool(v.raw.GetStringValue())
		return b, err == nil
	}
	return false, false
}

// Num returns a number value; numeric strings count too.
func (v Value) Num() (float64, bool) {
	switch v.Kind() {
	case Number:
		return v.raw.GetNumberValue(), true
	case String:
		f, err := strconv.ParseFloat(v.raw.GetStringValue(), 64)
		return f, err == nil
	}
	return 0, false
}

// Display renders the value for a message: secrets as [secret], and long
// values shortened, so a diagnostic never carries a secret or a page of JSON.
func (v Value) Display() string {
	if v.secret {
		return "[secret]"
	}
	switch v.Kind() {
	case Missing:
		return "not set"
	case Null:
		return "null"
	case Unknown:
		return "unknown until the update"
	case String:
		s := v.raw.GetStringValue()
		if len(s) > 80 {
			s = s[:77] + "..."
		}
		return strconv.Quote(s)
	case Bool:
		return strconv.FormatBool(v.raw.GetBoolValue())
	case Number:
		return strconv.FormatFloat(v.raw.GetNumberValue(), 'g', -1, 64)
	case List:
		return "a list of " + strconv.Itoa(v.Len())
	default:
		return "an object"
	}
}

// HasUnknown reports whether the value or anything inside it is unknown.
func (v Value) HasUnknown() bool {
	switch v.Kind() {
	case Unknown:
		return true
	case List:
		for _, e := range v.Elems() {
			if e.HasUnknown() {
				return true
			}
		}
	case Object:
		for _, f := range v.raw.GetStructValue().GetFields() {
			if (Value{}).wrap(f).HasUnknown() {
				return true
			}
		}
	}
	return false
}

// Leaves calls fn for every string and unknown inside v (secrets included),
// with the name of the object field nearest above it and whether it is
// unknown, until fn returns true; it reports whether one did. Fields for
// which skip is true are not entered. It walks the protobuf without building
// a Value or a path per step: for rules that search a whole resource and
// most often find nothing.
func (v Value) Leaves(skip func(field string) bool, fn func(field, s string, unknown bool) bool) bool {
	return leaves(v.raw, "", skip, fn)
}

func leaves(raw *structpb.Value, field string, skip func(string) bool, fn func(string, string, bool) bool) bool {
	switch k := raw.GetKind().(type) {
	case *structpb.Value_StringValue:
		return fn(field, k.StringValue, k.StringValue == unknownSentinel)
	case *structpb.Value_ListValue:
		for _, e := range k.ListValue.GetValues() {
			if leaves(e, field, skip, fn) {
				return true
			}
		}
	case *structpb.Value_StructValue:
		fields := k.StructValue.GetFields()
		if sig := fields[sigKey]; sig != nil && sig.GetStringValue() == secretSig {
			return leaves(fields["value"], field, skip, fn)
		}
		for name, f := range fields {
			if !skip(name) && leaves(f, name, skip, fn) {
				return true
			}
		}
	}
	return false
}

// SecretStrings calls fn for every string held inside a secret in v, so the
// runtime can scrub them from anything it prints. Secret bools and numbers
// are left to Display, which masks them: scrubbing "true" would mangle text.
func (v Value) SecretStrings(fn func(string)) { secretStrings(v.raw, v.secret, fn) }

// secretStrings walks the protobuf directly: the runtime runs it over every
// resource of a stack, where Value's bookkeeping would double the cost.
func secretStrings(raw *structpb.Value, inSecret bool, fn func(string)) {
	switch k := raw.GetKind().(type) {
	case *structpb.Value_StringValue:
		if inSecret && k.StringValue != unknownSentinel {
			fn(k.StringValue)
		}
	case *structpb.Value_ListValue:
		for _, e := range k.ListValue.GetValues() {
			secretStrings(e, inSecret, fn)
		}
	case *structpb.Value_StructValue:
		fields := k.StructValue.GetFields()
		if sig := fields[sigKey]; sig != nil && sig.GetStringValue() == secretSig {
			secretStrings(fields["value"], true, fn)
			return
		}
		for _, f := range fields {
			secretStrings(f, inSecret, fn)
		}
	}
}
