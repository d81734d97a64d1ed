package policy

import (
	"fmt"
	"strings"

	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/structpb"
)

// Fix is one run of a remediation on one resource. It reads like a Check and
// writes through Set; the runtime sends the changed properties to the engine.
type Fix struct {
	Check
	props   *structpb.Struct
	cloned  bool // props is our own copy
	changed bool
}

// NewFix prepares a remediation run on properties it may change (copied on first write).
func NewFix(r *Resource, props *structpb.Struct, config any, stack *Stack) *Fix {
	if props == nil {
		props = &structpb.Struct{}
	}
	return &Fix{Check: *NewCheck(r, config, stack), props: props}
}

// Changed reports whether Set changed anything.
func (f *Fix) Changed() bool { return f.changed }

// Properties returns the properties with every Set applied.
func (f *Fix) Properties() *structpb.Struct { return f.props }

// Set writes value at a dotted path, creating objects on the way. It refuses
// to write through an unknown or a non-object; a secret on the way stays
// secret, since the write goes inside it.
func (f *Fix) Set(path string, value any) error {
	nv, err := structpb.NewValue(value)
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	if !f.cloned {
		f.props = proto.Clone(f.props).(*structpb.Struct)
		f.cloned = true
		if f.props.Fields == nil {
			f.props.Fields = map[string]*structpb.Value{}
		}
	}
	obj := f.props
	segs := strings.Split(path, ".")
	for i, seg := range segs[:len(segs)-1] {
		next := ValueOf(obj.Fields[seg], "") // steps inside secret envelopes
		switch next.Kind() {
		case Missing, Null:
			created := &structpb.Struct{Fields: map[string]*structpb.Value{}}
			obj.Fields[seg] = structpb.NewStructValue(created)
			obj = created
		case Object:
			obj = next.Raw().GetStructValue()
			if obj.Fields == nil {
				obj.Fields = map[string]*structpb.Value{}
			}
		default:
			return fmt.Errorf("cannot set %s: %s is %s, not an object", path, strings.Join(segs[:i+1], "."), next.Kind())
		}
	}
	obj.Fields[segs[len(segs)-1]] = nv
	f.changed = true
	f.Resource = f.Resource.WithProps(Props(f.props))
	return nil
}
