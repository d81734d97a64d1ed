package policy

import (
	"fmt"
	"strconv"
	"strings"
	"sync"
)

// Resource is one resource as the engine describes it.
type Resource struct {
	URN  string
	Type string // the type token as the program registered it
	// Kind is the canonical type the pack judges the resource as: the same
	// resource written against another provider major, or an explicit API
	// version, has another token and the same Kind (see Pack.Kinds). Rules
	// match Kind; messages name Type.
	Kind  string
	Name  string
	Props Value
	// Provider is the resource's provider (its type is "pulumi:providers:aws"
	// and so on), nil when the engine did not say. Its Props hold provider
	// config such as AWS default tags; nested values may arrive JSON-encoded.
	Provider *Resource
	// Parent, Dependencies and PropertyDependencies are only filled for stack
	// rules: they let a rule join resources by URN while ids are unknown.
	Parent               string
	Dependencies         []string
	PropertyDependencies map[string][]string

	mu      sync.Mutex
	derived []derivedValue // see Derived; a rule pack derives a handful at most
}

type derivedValue struct {
	key   string
	value any
}

// lookup finds a derived value; the caller holds r.mu.
func (r *Resource) lookup(key string) (any, bool) {
	for _, d := range r.derived {
		if d.key == key {
			return d.value, true
		}
	}
	return nil, false
}

// WithProps returns a copy of r with other properties (and nothing derived
// from the old ones).
func (r *Resource) WithProps(props Value) *Resource {
	return &Resource{
		URN: r.URN, Type: r.Type, Kind: r.Kind, Name: r.Name, Props: props, Provider: r.Provider,
		Parent: r.Parent, Dependencies: r.Dependencies, PropertyDependencies: r.PropertyDependencies,
	}
}

// Derived returns build(r), kept per resource per analysis under key, for
// what several rules read from a resource (its exemption tags, for one).
// Rules may ask concurrently (stack rules run side by side): two asking at
// the same moment may both build it, and both get the one that was kept.
func Derived[T any](r *Resource, key string, build func(*Resource) T) T {
	r.mu.Lock()
	v, ok := r.lookup(key)
	r.mu.Unlock()
	if ok {
		return v.(T)
	}
	built := build(r) // outside the lock: build may ask for other derived data
	r.mu.Lock()
	defer r.mu.Unlock()
	if v, ok := r.lookup(key); ok { // another rule was first
		return v.(T)
	}
	r.derived = append(r.derived, derivedValue{key, built})
	return built
}

// Get reads a property of the resource: r.Props.Get(path), remembering r.
func (r *Resource) Get(path string) Value {
	root := r.Props
	root.traced = traceID(r)
	return root.Get(path)
}

// DependsOn reports whether property prop of r was computed from resource urn.
func (r *Resource) DependsOn(prop, urn string) bool {
	for _, u := range r.PropertyDependencies[prop] {
		if u == urn {
			return true
		}
	}
	return false
}

// Stack is what the engine told the pack about the stack being analyzed.
// Empty when the engine did not say (as in `pulumi policy publish`).
type Stack struct {
	Name, Project, Organization string
	DryRun                      bool
	Tags                        map[string]string
}

// Violation is one problem a rule found.
type Violation struct {
	URN      string
	Message  string
	Resource *Resource // the resource it is about
}

// report is what one run of a rule found; shared by resource and stack checks.
type report struct {
	config     any
	stack      *Stack
	violations []Violation
	unknowns   []string
}

func (r *report) cfg() any { return r.config }

// Violations returns what the rule reported.
func (r *report) Violations() []Violation { return r.violations }

// NotApplicableReason is non-empty when the rule could not decide because an
// input is unknown at preview. It is only meaningful without violations.
func (r *report) NotApplicableReason() string {
	if len(r.unknowns) == 0 {
		return ""
	}
	return strings.Join(r.unknowns, "; ") + " (known after the update; checked then)"
}

// NotApplicable records that the rule cannot decide yet and why.
func (r *report) NotApplicable(reason string) { r.unknowns = append(r.unknowns, reason) }

// Stack describes the stack under analysis.
func (r *report) Stack() *Stack { return r.stack }

func (r *report) violate(res *Resource, v Value, format string, args []any) {
	where := ""
	if v.Path() != "" {
		where = v.Path() + ": "
	}
	r.violations = append(r.violations, Violation{
		URN:      res.URN,
		Message:  res.Type + " " + strconv.Quote(res.Name) + ": " + where + fmt.Sprintf(format, args...),
		Resource: res,
	})
}

// known returns ok=false, and records why, when v or anything in it is unknown.
func (r *report) known(v Value) bool {
	if v.HasUnknown() {
		r.unknowns = append(r.unknowns, v.Path()+" is unknown")
		return false
	}
	return true
}

// Check is one run of a resource rule on one resource.
type Check struct {
	report
	Resource *Resource
}

// NewCheck prepares a resource rule run; the runtime and tests use it.
func NewCheck(r *Resource, config any, stack *Stack) *Check {
	return &Check{report: report{config: config, stack: stack}, Resource: r}
}

// Reset readies c for the next rule on the same resource, with that rule's
// config: the runtime runs every rule for a resource on one Check.
func (c *Check) Reset(config any) {
	c.config = config
	c.violations = c.violations[:0]
	c.unknowns = c.unknowns[:0]
}

// Get reads a property of the resource.
func (c *Check) Get(path string) Value { return c.Resource.Get(path) }

// Known reads a property and reports whether it is known. When it is not (it,
// or something inside it, is computed later in the update) the rule should
// stop: the runtime reports it as not applicable, never as a violation.
func (c *Check) Known(path string) (Value, bool) {
	v := c.Get(path)
	return v, c.known(v)
}

// KnownValue is Known for a value the rule already holds.
func (c *Check) KnownValue(v Value) bool { return c.known(v) }

// Violatef reports a problem at property v (its path is named in the message).
func (c *Check) Violatef(v Value, format string, args ...any) {
	c.violate(c.Resource, v, format, args)
}

// StackCheck is one run of a stack rule over every resource in the stack.
type StackCheck struct {
	report
	Resources []*Resource
	byURN     map[string]*Resource
	shared    *SharedStack // the stack's indexes (join.go)
}

// NewStackCheck prepares a stack rule run; tests use it.
func NewStackCheck(resources []*Resource, config any, stack *Stack) *StackCheck {
	return ShareStack(resources).NewCheck(config, stack)
}

// SharedStack is what the stack rules of one analysis share: the resources
// and where each type sits among them, indexed once for all of them.
type SharedStack struct {
	resources []*Resource
	once      sync.Once
	byType    map[string][]int // positions in resources

	mu      sync.Mutex
	indexes map[string]*sharedIndex // Referrers and Memo, by key
}

// sharedIndex is one index of the stack, built by whichever rule asks first
// while the others wait for it.
type sharedIndex struct {
	once  sync.Once
	value any
}

// index returns the index under key, building it once per analysis.
func (s *SharedStack) index(key string, build func() any) any {
	s.mu.Lock()
	x, ok := s.indexes[key]
	if !ok {
		if s.indexes == nil {
			s.indexes = map[string]*sharedIndex{}
		}
		x = &sharedIndex{}
		s.indexes[key] = x
	}
	s.mu.Unlock()
	x.once.Do(func() { x.value = build() })
	return x.value
}

// ShareStack prepares the stack for the rules of one analysis.
func ShareStack(resources []*Resource) *SharedStack { return &SharedStack{resources: resources} }

// NewCheck prepares one stack rule run; checks of one SharedStack may run concurrently.
func (s *SharedStack) NewCheck(config any, stack *Stack) *StackCheck {
	return &StackCheck{report: report{config: config, stack: stack}, Resources: s.resources, shared: s}
}

// ByURN finds a resource by URN (nil if it is not in the stack).
func (c *StackCheck) ByURN(urn string) *Resource {
	if c.byURN == nil {
		c.byURN = make(map[string]*Resource, len(c.Resources))
		for _, r := range c.Resources {
			c.byURN[r.URN] = r
		}
	}
	return c.byURN[urn]
}

// Known is Check.Known for one resource of the stack.
func (c *StackCheck) Known(r *Resource, path string) (Value, bool) {
	v := r.Get(path)
	return v, c.known(v)
}

// Violatef reports a problem with resource r at property v.
func (c *StackCheck) Violatef(r *Resource, v Value, format string, args ...any) {
	c.violate(r, v, format, args)
}

// ConfigOf returns a policy's decoded configuration inside its rule.
func ConfigOf[T any](c interface{ cfg() any }) *T {
	t, _ := c.cfg().(*T)
	if t == nil {
		return new(T)
	}
	return t
}
