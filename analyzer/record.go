package analyzer

import (
	"context"
	"fmt"
	"os"
	"slices"
	"strings"
	"sync"

	"github.com/mlguard/mlguard/policy"
	"github.com/mlguard/mlguard/results"
)

// recorder keeps what a run reported for the results file (results.Env).
// The Server holds none when the variable is unset, and every call site
// checks for nil first: no cost at all then. When set, Analyze takes the lock
// once per resource, and once per violation.
type recorder struct {
	path string
	pack *policy.Pack

	mu          sync.Mutex
	resources   []results.Resource
	diagnostics []results.Diagnostic
}

func newRecorder(path string, pack *policy.Pack) *recorder {
	if path == "" {
		return nil
	}
	return &recorder{path: path, pack: pack}
}

// start begins a run: the engine configures the stack once per pack process,
// before any analysis. A file left by an earlier run goes, so a run that
// never reaches its stack analysis leaves no file to be taken for its own.
func (r *recorder) start() error {
	r.mu.Lock()
	r.resources, r.diagnostics = nil, nil
	r.mu.Unlock()
	if err := os.Remove(r.path); err != nil && !os.IsNotExist(err) {
		return err
	}
	return nil
}

func (r *recorder) resource(res *policy.Resource, ran []string) {
	r.mu.Lock()
	r.resources = append(r.resources, results.Resource{URN: res.URN, Type: res.Type, Policies: ran})
	r.mu.Unlock()
}

// diagnostic records one diagnostic; msg is the scrubbed text the engine gets.
func (r *recorder) diagnostic(p *policy.Policy, level policy.EnforcementLevel, res *policy.Resource, urn, msg string, ex *results.Exemption) {
	d := results.Diagnostic{
		URN: urn, Policy: p.Name, Pack: r.pack.Name, PackVersion: r.pack.Version,
		Level: string(level), Severity: string(p.Severity), Message: msg, Exemption: ex,
	}
	if res != nil {
		d.Type = res.Type
	}
	r.mu.Lock()
	r.diagnostics = append(r.diagnostics, d)
	r.mu.Unlock()
}

// finish writes the run's file and begins the next run (`pulumi up` analyses
// its preview and its update in one process; the file holds the last).
func (r *recorder) finish(st *settings, stack *policy.Stack, stackRan []string) error {
	r.mu.Lock()
	f := &results.File{
		Pack:          results.Pack{Name: r.pack.Name, Version: r.pack.Version},
		Stack:         results.Stack{Name: stack.Name, Project: stack.Project, Organization: stack.Organization, DryRun: stack.DryRun},
		Policies:      make([]results.Policy, len(r.pack.Policies)),
		Resources:     r.resources,
		StackPolicies: stackRan,
		Diagnostics:   r.diagnostics,
	}
	r.resources, r.diagnostics = nil, nil
	r.mu.Unlock()

	for i, p := range r.pack.Policies {
		kind := "resource"
		if p.Stack != nil {
			kind = "stack"
		}
		f.Policies[i] = results.Policy{
			Name: p.Name, DisplayName: p.DisplayName, Description: p.Description, Kind: kind,
			Level: string(st.levels[i]), Severity: string(p.Severity), Remediation: p.RemediationSteps, URL: p.URL,
		}
	}
	// Analyze runs concurrently: sorted, the file does not depend on scheduling.
	slices.SortFunc(f.Resources, func(a, b results.Resource) int { return strings.Compare(a.URN, b.URN) })
	slices.SortStableFunc(f.Diagnostics, func(a, b results.Diagnostic) int {
		if c := strings.Compare(a.URN, b.URN); c != 0 {
			return c
		}
		return strings.Compare(a.Policy, b.Policy)
	})
	if f.Resources == nil {
		f.Resources = []results.Resource{}
	}
	if f.StackPolicies == nil {
		f.StackPolicies = []string{}
	}
	if f.Diagnostics == nil {
		f.Diagnostics = []results.Diagnostic{}
	}
	return results.Write(r.path, f)
}

// logRecordFailure tells the user the file was not written: CI would otherwise
// find only an older file, or none, and not know why.
func (s *Server) logRecordFailure(ctx context.Context, err error) {
	s.log.Log(ctx, Error, "", fmt.Sprintf("mlguard: results file (%s): %v", results.Env, err))
}
