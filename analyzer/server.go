// Package analyzer serves a policy.Pack to the Pulumi engine over the
// Analyzer gRPC protocol. It owns everything the protocol asks of a pack —
// enforcement levels, configuration, unknowns, secrets, panics — so that
// rules only say what they enforce.
package analyzer

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"sort"
	"strings"
	"sync"
	"sync/atomic"

	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/types/known/emptypb"
	"google.golang.org/protobuf/types/known/structpb"

	"github.com/mlguard/mlguard/policy"
	"github.com/mlguard/mlguard/results"
)

// Server implements pulumirpc.AnalyzerServer for one pack.
type Server struct {
	pulumirpc.UnimplementedAnalyzerServer

	pack   *policy.Pack
	info   *pulumirpc.AnalyzerInfo
	byType map[string][]int // type token -> indexes of resource policies
	anyTyp []int            // resource policies for every type
	stacks []int            // stack policies

	exemptionsPolicy int // index of pack.Exemptions.Policy

	defaults *settings
	settings atomic.Pointer[settings] // swapped whole by Configure
	stack    atomic.Pointer[policy.Stack]
	log      Logger
	canceled atomic.Bool
	kinds    sync.Map  // type token -> its kind under pack.Kinds; tokens are few
	results  *recorder // nil unless the results file is asked for
}

// settings is the configured state of every policy, indexed like pack.Policies.
type settings struct {
	levels  []policy.EnforcementLevel
	configs []any
}

// NewServer checks the pack and prepares it for serving. log may be nil.
func NewServer(pack *policy.Pack, log Logger) (*Server, error) {
	if err := pack.Check(); err != nil {
		return nil, fmt.Errorf("policy pack %q is not valid: %w", pack.Name, err)
	}
	info, err := buildInfo(pack)
	if err != nil {
		return nil, err
	}
	if log == nil {
		log = discardLogger{}
	}
	s := &Server{pack: pack, info: info, byType: map[string][]int{}, log: log}
	defaults := &settings{
		levels:  make([]policy.EnforcementLevel, len(pack.Policies)),
		configs: make([]any, len(pack.Policies)),
	}
	for i, p := range pack.Policies {
		if pack.Exemptions != nil && p == pack.Exemptions.Policy {
			s.exemptionsPolicy = i
		}
		defaults.levels[i] = pack.Level(p)
		if p.Config != nil {
			if defaults.configs[i], err = p.Config.Resolve(nil); err != nil {
				return nil, fmt.Errorf("policy %q: %w", p.Name, err)
			}
		}
		if p.Stack != nil {
			s.stacks = append(s.stacks, i)
		} else if len(p.Resource.Types) == 0 {
			s.anyTyp = append(s.anyTyp, i)
		} else {
			for _, t := range p.Resource.Types {
				s.byType[t] = append(s.byType[t], i)
			}
		}
	}
	s.defaults = defaults
	s.settings.Store(defaults)
	s.stack.Store(&policy.Stack{})
	return s, nil
}

func (s *Server) Handshake(context.Context, *pulumirpc.AnalyzerHandshakeRequest) (*pulumirpc.AnalyzerHandshakeResponse, error) {
	return &pulumirpc.AnalyzerHandshakeResponse{}, nil
}

func (s *Server) GetPluginInfo(context.Context, *emptypb.Empty) (*pulumirpc.PluginInfo, error) {
	return &pulumirpc.PluginInfo{Version: s.pack.Version}, nil
}

// RecordResults makes the server write every run's diagnostics to path
// (see package results); "" turns it off. Call it before serving.
func (s *Server) RecordResults(path string) { s.results = newRecorder(path, s.pack) }

// GetAnalyzerInfo needs nothing from ConfigureStack: `pulumi policy publish` never calls it.
func (s *Server) GetAnalyzerInfo(context.Context, *emptypb.Empty) (*pulumirpc.AnalyzerInfo, error) {
	return s.info, nil
}

func (s *Server) ConfigureStack(ctx context.Context, req *pulumirpc.AnalyzerStackConfigureRequest) (*pulumirpc.AnalyzerStackConfigureResponse, error) {
	s.stack.Store(&policy.Stack{
		Name:         req.GetStack(),
		Project:      req.GetProject(),
		Organization: req.GetOrganization(),
		DryRun:       req.GetDryRun(),
		Tags:         req.GetTags(),
	})
	if s.results != nil {
		if err := s.results.start(); err != nil {
			s.logRecordFailure(ctx, err)
		}
	}
	return &pulumirpc.AnalyzerStackConfigureResponse{}, nil
}

// Configure applies the engine's per-policy config (the config file already
// merged over our defaults by the CLI). Policies it does not name keep their
// defaults. Nothing changes unless the whole request is valid.
//
// A former policy name (Pack.Renamed) configures the policy that replaced
// it, after the others: the CLI sends every current policy with its default,
// so a level given under the old name is the one the user chose. The user is
// told to rename it.
func (s *Server) Configure(ctx context.Context, req *pulumirpc.ConfigureAnalyzerRequest) (*emptypb.Empty, error) {
	next := &settings{
		levels:  append([]policy.EnforcementLevel(nil), s.defaults.levels...),
		configs: append([]any(nil), s.defaults.configs...),
	}
	index := make(map[string]int, len(s.pack.Policies))
	for i, p := range s.pack.Policies {
		index[p.Name] = i
	}
	given := req.GetPolicyConfig()
	names := make([]string, 0, len(given))
	for name := range given {
		names = append(names, name)
	}
	sort.Slice(names, func(a, b int) bool { // renamed last, else by name
		ra, rb := s.pack.Renamed[names[a]] != "", s.pack.Renamed[names[b]] != ""
		if ra != rb {
			return rb
		}
		return names[a] < names[b]
	})

	var problems []string
	for _, name := range names {
		i, ok := index[name]
		if now, renamed := s.pack.Renamed[name]; renamed {
			i, ok = index[now], true
			s.log.Log(ctx, Warning, "", fmt.Sprintf("policy-pack config: policy %q is deprecated and now part of %q; its settings apply to %q: rename it in your config", name, now, now))
		}
		if !ok && name == "all" {
			// The CLI expands a config file's "all" into every policy, then
			// passes the "all" entry along as well: nothing left to apply.
			continue
		}
		if !ok {
			problems = append(problems, fmt.Sprintf("policy %q: no such policy in pack %q", name, s.pack.Name))
			continue
		}
		pc := given[name]
		level, ok := levelFromRPC[pc.GetEnforcementLevel()]
		if !ok {
			problems = append(problems, fmt.Sprintf("policy %q: enforcement level %d is not valid", name, pc.GetEnforcementLevel()))
			continue
		}
		next.levels[i] = level
		values := pc.GetProperties().AsMap()
		cfg := s.pack.Policies[i].Config
		if cfg == nil {
			for k := range values {
				if k != "enforcementLevel" {
					problems = append(problems, fmt.Sprintf("policy %q: field %q: this policy takes no configuration", name, k))
				}
			}
			continue
		}
		resolved, err := cfg.Resolve(values)
		if err != nil {
			problems = append(problems, fmt.Sprintf("policy %q: %v", name, err))
			continue
		}
		next.configs[i] = resolved
	}
	if len(problems) > 0 {
		return nil, status.Error(codes.InvalidArgument, "invalid policy configuration: "+strings.Join(problems, "; "))
	}
	s.settings.Store(next)
	return &emptypb.Empty{}, nil
}

func (s *Server) Cancel(context.Context, *emptypb.Empty) (*emptypb.Empty, error) {
	s.canceled.Store(true)
	return &emptypb.Empty{}, nil
}

var errCanceled = status.Error(codes.Canceled, "analysis canceled by the engine")

func (s *Server) Analyze(ctx context.Context, req *pulumirpc.AnalyzeRequest) (*pulumirpc.AnalyzeResponse, error) {
	if s.canceled.Load() {
		return nil, errCanceled
	}
	res := s.requestResource(req)
	st, stack := s.settings.Load(), s.stack.Load()
	out := &pulumirpc.AnalyzeResponse{}
	sc := scrubber{res: res}
	check := policy.NewCheck(res, nil, stack)
	rec := s.results // nil unless recording; then recording costs only these tests of rec
	var ran []string // the policies that decided, kept only for the results file
	for _, indexes := range [2][]int{s.byType[res.Kind], s.anyTyp} {
		for _, i := range indexes {
			p, level := s.pack.Policies[i], st.levels[i]
			if level == policy.Disabled {
				continue
			}
			check.Reset(st.configs[i]) // one Check for all the rules: collect has copied the last one's findings
			err := guard(func() { p.Resource.Validate(check) })
			if err != nil {
				s.ruleFailed(ctx, out, p, level, res, err, &sc)
				if rec != nil {
					ran = append(ran, p.Name)
				}
				continue
			}
			if rec != nil && (len(check.Violations()) > 0 || check.NotApplicableReason() == "") {
				ran = append(ran, p.Name)
			}
			s.collect(ctx, out, st, i, res, check.Violations(), check.NotApplicableReason(), stack, &sc)
		}
	}
	if rec != nil {
		rec.resource(res, ran)
	}
	return out, nil
}

// AnalyzeStack ends every run: the results file, if asked for, is written here.
func (s *Server) AnalyzeStack(ctx context.Context, req *pulumirpc.AnalyzeStackRequest) (*pulumirpc.AnalyzeResponse, error) {
	if s.canceled.Load() {
		return nil, errCanceled
	}
	st, stack := s.settings.Load(), s.stack.Load()
	out, ran := s.analyzeStack(ctx, req, st, stack)
	if s.results != nil {
		if err := s.results.finish(st, stack, ran); err != nil {
			s.logRecordFailure(ctx, err)
		}
	}
	return out, nil
}

// analyzeStack runs the stack rules; ran names those that decided.
func (s *Server) analyzeStack(ctx context.Context, req *pulumirpc.AnalyzeStackRequest, st *settings, stack *policy.Stack,
) (out *pulumirpc.AnalyzeResponse, ran []string) {
	var enabled []int
	for _, i := range s.stacks {
		if st.levels[i] != policy.Disabled {
			enabled = append(enabled, i)
		}
	}
	out = &pulumirpc.AnalyzeResponse{}
	if len(enabled) == 0 {
		return out, nil
	}
	resources := s.stackResources(req.GetResources())
	shared := policy.ShareStack(resources)
	sc := &scrubber{resources: resources}

	// Stack rules are independent and only read the stack, so they run side
	// by side; each writes its own part of the answer, and the parts are
	// joined in policy order, so the answer does not depend on scheduling.
	parts := make([]pulumirpc.AnalyzeResponse, len(enabled))
	next := atomic.Int64{}
	var wg sync.WaitGroup
	var failure any // a panic outside the rules' own guard, re-raised below
	var failOnce sync.Once
	for range min(runtime.GOMAXPROCS(0), len(enabled)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() {
				if r := recover(); r != nil {
					failOnce.Do(func() { failure = r })
				}
			}()
			for {
				n := int(next.Add(1)) - 1
				if n >= len(enabled) {
					return
				}
				s.runStackRule(ctx, &parts[n], st, enabled[n], shared, stack, sc)
			}
		}()
	}
	wg.Wait()
	if failure != nil {
		// In this goroutine the interceptor turns it into an error for this
		// call, as for any handler; in a worker it would end the process.
		panic(failure)
	}
	for i := range parts {
		out.Diagnostics = append(out.Diagnostics, parts[i].Diagnostics...)
		out.NotApplicable = append(out.NotApplicable, parts[i].NotApplicable...)
		if s.results != nil && (len(parts[i].Diagnostics) > 0 || len(parts[i].NotApplicable) == 0) {
			ran = append(ran, s.pack.Policies[enabled[i]].Name)
		}
	}
	return out, ran
}

// runStackRule runs stack policy i and writes its findings to out.
func (s *Server) runStackRule(ctx context.Context, out *pulumirpc.AnalyzeResponse, st *settings, i int,
	shared *policy.SharedStack, stack *policy.Stack, sc *scrubber,
) {
	p, level := s.pack.Policies[i], st.levels[i]
	check := shared.NewCheck(st.configs[i], stack)
	err := guard(func() { p.Stack(check) })
	if err != nil {
		s.ruleFailed(ctx, out, p, level, nil, err, sc)
		return
	}
	// Stack violations are reported per resource, each against its own exemptions.
	for _, v := range check.Violations() {
		s.collect(ctx, out, st, i, v.Resource, []policy.Violation{v}, "", stack, sc)
	}
	if reason := check.NotApplicableReason(); reason != "" && len(check.Violations()) == 0 {
		out.NotApplicable = append(out.NotApplicable, &pulumirpc.PolicyNotApplicable{PolicyName: p.Name, Reason: sc.scrub(reason)})
	}
}

// kind is the kind of a type token, worked out once per token.
func (s *Server) kind(token string) string {
	if k, ok := s.kinds.Load(token); ok {
		return k.(string)
	}
	k := s.pack.Kind(token)
	s.kinds.Store(token, k)
	return k
}

func (s *Server) requestResource(req *pulumirpc.AnalyzeRequest) *policy.Resource {
	return &policy.Resource{
		URN: req.GetUrn(), Type: req.GetType(), Kind: s.kind(req.GetType()), Name: req.GetName(),
		Props: policy.Props(req.GetProperties()), Provider: providerResource(req.GetProvider()),
	}
}

func providerResource(p *pulumirpc.AnalyzerProviderResource) *policy.Resource {
	if p == nil {
		return nil
	}
	return &policy.Resource{URN: p.GetUrn(), Type: p.GetType(), Name: p.GetName(), Props: policy.Props(p.GetProperties())}
}

func (s *Server) stackResources(in []*pulumirpc.AnalyzerResource) []*policy.Resource {
	out := make([]*policy.Resource, len(in))
	slab := make([]policy.Resource, len(in)) // one allocation, not one per resource
	for i, r := range in {
		var deps map[string][]string
		if pd := r.GetPropertyDependencies(); len(pd) > 0 {
			deps = make(map[string][]string, len(pd))
			for k, v := range pd {
				deps[k] = v.GetUrns()
			}
		}
		res := &slab[i]
		res.URN, res.Type, res.Kind, res.Name, res.Props = r.GetUrn(), r.GetType(), s.kind(r.GetType()), r.GetName(), policy.Props(r.GetProperties())
		res.Provider = providerResource(r.GetProvider())
		res.Parent, res.Dependencies, res.PropertyDependencies = r.GetParent(), r.GetDependencies(), deps
		out[i] = res
	}
	return out
}

// Remediate runs the fixes of policies at the remediate level, in pack order,
// each seeing the previous ones' changes. Properties here keep the engine's
// internal keys, which the engine needs back.
func (s *Server) Remediate(ctx context.Context, req *pulumirpc.AnalyzeRequest) (*pulumirpc.RemediateResponse, error) {
	if s.canceled.Load() {
		return nil, errCanceled
	}
	out := &pulumirpc.RemediateResponse{}
	st, stack := s.settings.Load(), s.stack.Load()
	props := req.GetProperties()
	res := s.requestResource(req)
	sc := scrubber{res: res}
	for _, indexes := range [2][]int{s.byType[res.Kind], s.anyTyp} {
		for _, i := range indexes {
			p := s.pack.Policies[i]
			if st.levels[i] != policy.Remediate || p.Resource.Remediate == nil {
				continue
			}
			fix := policy.NewFix(res, props, st.configs[i], stack)
			err := guard(func() { p.Resource.Remediate(fix) })
			if err != nil {
				msg := sc.scrub(fmt.Sprintf("policy %q could not remediate %s: %v", p.Name, res.URN, err))
				s.log.Log(ctx, Warning, res.URN, msg)
				out.Remediations = append(out.Remediations, s.remediation(p, nil, msg))
				if s.results != nil { // the engine reports it as an advisory violation
					s.results.diagnostic(p, policy.Advisory, res, res.URN, msg, nil)
				}
				continue
			}
			if reason := fix.NotApplicableReason(); reason != "" && !fix.Changed() {
				out.NotApplicable = append(out.NotApplicable, &pulumirpc.PolicyNotApplicable{PolicyName: p.Name, Reason: sc.scrub(reason)})
				continue
			}
			if fix.Changed() {
				props = fix.Properties()
				res = res.WithProps(policy.Props(props))
				out.Remediations = append(out.Remediations, s.remediation(p, props, ""))
			}
		}
	}
	return out, nil
}

func (s *Server) remediation(p *policy.Policy, props *structpb.Struct, diagnostic string) *pulumirpc.Remediation {
	return &pulumirpc.Remediation{
		PolicyName:        p.Name,
		PolicyPackName:    s.pack.Name,
		PolicyPackVersion: s.pack.Version,
		Description:       p.Description,
		Properties:        props,
		Diagnostic:        diagnostic,
	}
}

// collect turns a rule's findings into diagnostics, applying exemptions.
func (s *Server) collect(ctx context.Context, out *pulumirpc.AnalyzeResponse, st *settings, i int,
	res *policy.Resource, violations []policy.Violation, notApplicable string, stack *policy.Stack, sc *scrubber,
) {
	p, level := s.pack.Policies[i], st.levels[i]
	if len(violations) == 0 {
		if notApplicable != "" {
			out.NotApplicable = append(out.NotApplicable, &pulumirpc.PolicyNotApplicable{PolicyName: p.Name, Reason: sc.scrub(notApplicable)})
		}
		return
	}
	if level == policy.Remediate { // a violation left after remediation could not be fixed
		level = policy.Mandatory
	}
	var ex policy.Exemption
	if x := s.pack.Exemptions; x != nil && res != nil {
		config := st.configs[s.exemptionsPolicy]
		err := guard(func() { ex = x.Exempt(res, p, config, stack) })
		if err != nil {
			s.log.Log(ctx, Error, res.URN, sc.scrub(fmt.Sprintf("exemption check failed for policy %q: %v", p.Name, err)))
			ex = policy.Exemption{}
		}
	}
	for _, v := range violations {
		msg, lvl := v.Message, level
		if ex.Granted {
			msg, lvl = msg+" [exempted: "+ex.Note+"]", policy.Advisory
		} else if ex.Note != "" {
			msg += " [not exempted: " + ex.Note + "]"
		}
		msg = sc.scrub(msg)
		out.Diagnostics = append(out.Diagnostics, s.diagnostic(p, lvl, v.URN, msg))
		if s.results != nil {
			var exemption *results.Exemption
			if ex.Granted {
				exemption = &results.Exemption{Source: ex.By, Note: sc.scrub(ex.Note)}
			}
			s.results.diagnostic(p, lvl, res, v.URN, msg, exemption)
		}
	}
}

// ruleFailed reports a rule that panicked or errored as a diagnostic of that
// rule alone, at its level: a broken rule must not pass silently.
func (s *Server) ruleFailed(ctx context.Context, out *pulumirpc.AnalyzeResponse, p *policy.Policy, level policy.EnforcementLevel,
	res *policy.Resource, err error, sc *scrubber,
) {
	if level == policy.Remediate {
		level = policy.Mandatory
	}
	where, urn := "the stack", ""
	if res != nil {
		where, urn = res.URN, res.URN
	}
	msg := sc.scrub(fmt.Sprintf("policy %q failed on %s and could not decide: %v", p.Name, where, err))
	s.log.Log(ctx, Error, urn, msg)
	out.Diagnostics = append(out.Diagnostics, s.diagnostic(p, level, urn, msg))
	if s.results != nil {
		s.results.diagnostic(p, level, res, urn, msg, nil)
	}
}

func (s *Server) diagnostic(p *policy.Policy, level policy.EnforcementLevel, urn, msg string) *pulumirpc.AnalyzeDiagnostic {
	return &pulumirpc.AnalyzeDiagnostic{
		PolicyName:        p.Name,
		PolicyPackName:    s.pack.Name,
		PolicyPackVersion: s.pack.Version,
		Description:       p.Description,
		Message:           msg,
		EnforcementLevel:  levelToRPC[level],
		Urn:               urn,
		Severity:          severityToRPC[p.Severity],
	}
}

// errPanic marks a rule that panicked.
var errPanic = errors.New("panic")

// guard runs fn, turning a panic into an error.
func guard(fn func()) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%w: %v", errPanic, r)
		}
	}()
	fn()
	return nil
}
