package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"

	"github.com/mlguard/mlguard/results"
)

// run is everything a report says: one preview of one stack, from the pack's
// results file and/or the engine's event log.
type run struct {
	Stack, Project string
	Pack           results.Pack // the results file's pack; empty from an event log alone
	Policies       []policyInfo
	Violations     []violation
	// Tests are the resource × policy pairs that ran, JUnit's test cases.
	Tests   []test
	Sources []string // the files read, for the report's header
	Notes   []string // what the report could not do, such as positions outside the repository
}

type policyInfo struct {
	Pack, PackVersion                      string
	Name, DisplayName, Description, Remedy string
	URL, Level, Severity                   string
	Stack                                  bool
}

type violation struct {
	URN, Type, Policy, Pack, PackVersion, Level, Severity, Message string
	Exemption                                                      *results.Exemption
	Location                                                       *location
}

// failing is a violation that counts: not exempted.
func (v violation) failing() bool { return v.Exemption == nil }

type test struct {
	URN    string // "" for a stack policy: it ran over the whole stack
	Pack   string
	Policy string
}

// stackID is "stack" of "project", as URNs carry them.
type stackID struct{ Stack, Project string }

func (s stackID) String() string { return fmt.Sprintf("stack %q of project %q", s.Stack, s.Project) }

// parseURN splits urn:pulumi:STACK::PROJECT::[PARENT$]TYPE::NAME.
func parseURN(urn string) (id stackID, typ, name string, ok bool) {
	rest, found := strings.CutPrefix(urn, "urn:pulumi:")
	if !found {
		return stackID{}, "", "", false
	}
	parts := strings.SplitN(rest, "::", 4)
	if len(parts) != 4 {
		return stackID{}, "", "", false
	}
	typ = parts[2]
	if i := strings.LastIndex(typ, "$"); i >= 0 {
		typ = typ[i+1:]
	}
	return stackID{parts[0], parts[1]}, typ, parts[3], true
}

// fromResults turns the pack's results file into a run.
func fromResults(path string) (*run, error) {
	f, err := results.Read(path)
	if err != nil {
		return nil, err
	}
	r := &run{Stack: f.Stack.Name, Project: f.Stack.Project, Pack: f.Pack, Sources: []string{path}}
	for _, p := range f.Policies {
		r.Policies = append(r.Policies, policyInfo{
			Pack: f.Pack.Name, PackVersion: f.Pack.Version, Name: p.Name, DisplayName: p.DisplayName,
			Description: p.Description, Remedy: p.Remediation, URL: p.URL, Level: p.Level, Severity: p.Severity,
			Stack: p.Kind == "stack",
		})
	}
	for _, d := range f.Diagnostics {
		r.Violations = append(r.Violations, violation{
			URN: d.URN, Type: d.Type, Policy: d.Policy, Pack: d.Pack, PackVersion: d.PackVersion,
			Level: d.Level, Severity: d.Severity, Message: d.Message, Exemption: d.Exemption,
		})
	}
	for _, res := range f.Resources {
		for _, p := range res.Policies {
			r.Tests = append(r.Tests, test{URN: res.URN, Pack: f.Pack.Name, Policy: p})
		}
	}
	for _, p := range f.StackPolicies {
		r.Tests = append(r.Tests, test{Pack: f.Pack.Name, Policy: p})
	}
	return r, nil
}

// engineEvent is the part of the CLI's apitype.EngineEvent a report reads;
// `pulumi preview --event-log FILE` writes one per line.
type engineEvent struct {
	ResourcePreEvent *struct {
		Metadata struct {
			URN  string `json:"urn"`
			Type string `json:"type"`
		} `json:"metadata"`
	} `json:"resourcePreEvent"`
	PolicyEvent *struct {
		ResourceURN       string `json:"resourceUrn"`
		Message           string `json:"message"`
		PolicyName        string `json:"policyName"`
		PolicyPackName    string `json:"policyPackName"`
		PolicyPackVersion string `json:"policyPackVersion"`
		EnforcementLevel  string `json:"enforcementLevel"`
		Severity          string `json:"severity"`
		Exceptions        []struct {
			ID     string `json:"id"`
			Reason string `json:"reason"`
		} `json:"exceptions"`
	} `json:"policyEvent"`
	PolicyAnalyzeSummaryEvent      *policySummary `json:"policyAnalyzeSummaryEvent"`
	PolicyAnalyzeStackSummaryEvent *policySummary `json:"policyAnalyzeStackSummaryEvent"`
}

type policySummary struct {
	ResourceURN    string   `json:"resourceUrn"`
	PolicyPackName string   `json:"policyPackName"`
	Passed         []string `json:"passed"`
	Failed         []string `json:"failed"`
}

// levelFromEvent maps the engine's enforcement levels (older CLIs wrote
// "warning" for advisory) to the pack's names.
var levelFromEvent = map[string]string{
	"advisory": "advisory", "warning": "advisory", "mandatory": "mandatory", "remediate": "mandatory",
}

// fromEvents turns an engine event log into a run. Policy metadata comes
// from the events alone: a policy's name, pack and severity. The test cases
// are the engine's analyze summaries: for each resource, every enabled
// resource policy of each pack that did not report itself not applicable,
// whatever types it checks (the engine knows no more).
func fromEvents(path string) (*run, error) {
	file, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer file.Close()
	r := &run{Sources: []string{path}}
	var stack *stackID
	seeStack := func(line int, urn string) error {
		if urn == "" {
			return nil
		}
		id, _, _, ok := parseURN(urn)
		if !ok {
			return fmt.Errorf("%s:%d: %q is not a resource URN", path, line, urn)
		}
		if stack == nil {
			stack = &id
		} else if *stack != id {
			return fmt.Errorf("%s:%d: an event of %s in a log of %s", path, line, id, *stack)
		}
		return nil
	}
	types := map[string]string{}
	seen := map[[2]string]policyInfo{}
	in := bufio.NewReader(file)
	line, last := 0, ""
	for {
		b, err := in.ReadBytes('\n')
		if len(b) > 0 {
			line++
		}
		if len(bytes.TrimSpace(b)) > 0 {
			var fields map[string]json.RawMessage
			if derr := json.Unmarshal(b, &fields); derr != nil {
				if err == io.EOF && !bytes.HasSuffix(b, []byte("\n")) {
					return nil, fmt.Errorf("%s:%d: truncated event log: %v", path, line, derr)
				}
				return nil, fmt.Errorf("%s:%d: not an engine event log: %v", path, line, derr)
			}
			kind := eventKind(fields)
			if kind == "" {
				return nil, fmt.Errorf("%s:%d: not an engine event log: a line without a sequence number and one ...Event", path, line)
			}
			var e engineEvent
			if derr := json.Unmarshal(b, &e); derr != nil {
				return nil, fmt.Errorf("%s:%d: malformed %s: %v", path, line, kind, derr)
			}
			last = kind
			switch {
			case e.ResourcePreEvent != nil:
				m := e.ResourcePreEvent.Metadata
				if err := seeStack(line, m.URN); err != nil {
					return nil, err
				}
				types[m.URN] = m.Type
			case e.PolicyEvent != nil:
				p := e.PolicyEvent
				if err := seeStack(line, p.ResourceURN); err != nil {
					return nil, err
				}
				level, ok := levelFromEvent[p.EnforcementLevel]
				if !ok {
					return nil, fmt.Errorf("%s:%d: policy event with enforcement level %q", path, line, p.EnforcementLevel)
				}
				v := violation{
					URN: p.ResourceURN, Policy: p.PolicyName, Pack: p.PolicyPackName, PackVersion: p.PolicyPackVersion,
					Level: level, Severity: p.Severity, Message: strings.TrimSpace(p.Message),
				}
				if len(p.Exceptions) > 0 {
					v.Level = "advisory"
					v.Exemption = &results.Exemption{Source: "pulumi-exception", Note: p.Exceptions[0].ID + ": " + p.Exceptions[0].Reason}
				}
				r.Violations = append(r.Violations, v)
				key := [2]string{p.PolicyPackName, p.PolicyName}
				if _, ok := seen[key]; !ok {
					seen[key] = policyInfo{Pack: p.PolicyPackName, PackVersion: p.PolicyPackVersion, Name: p.PolicyName, Severity: p.Severity, Level: level}
				}
			case e.PolicyAnalyzeSummaryEvent != nil, e.PolicyAnalyzeStackSummaryEvent != nil:
				s, stackWide := e.PolicyAnalyzeSummaryEvent, false
				if s == nil {
					s, stackWide = e.PolicyAnalyzeStackSummaryEvent, true
				}
				if err := seeStack(line, s.ResourceURN); err != nil {
					return nil, err
				}
				for _, p := range append(append([]string(nil), s.Passed...), s.Failed...) {
					t := test{URN: s.ResourceURN, Pack: s.PolicyPackName, Policy: p}
					if stackWide {
						t.URN = ""
					}
					r.Tests = append(r.Tests, t)
					key := [2]string{s.PolicyPackName, p}
					info, ok := seen[key]
					if !ok {
						info = policyInfo{Pack: s.PolicyPackName, Name: p}
					}
					info.Stack = info.Stack || stackWide // a violation may have named it first
					seen[key] = info
				}
			}
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("%s:%d: %w", path, line, err)
		}
	}
	if line == 0 {
		return nil, fmt.Errorf("%s: empty event log", path)
	}
	if last != "cancelEvent" {
		return nil, fmt.Errorf("%s:%d: the event log ends before the engine's closing cancelEvent: truncated, or the run is still going", path, line)
	}
	if stack == nil {
		return nil, fmt.Errorf("%s: the event log names no resource, so no stack", path)
	}
	r.Stack, r.Project = stack.Stack, stack.Project
	for i := range r.Violations {
		r.Violations[i].Type = types[r.Violations[i].URN]
	}
	keys := make([][2]string, 0, len(seen))
	for k := range seen {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return keys[i][0]+"\x00"+keys[i][1] < keys[j][0]+"\x00"+keys[j][1] })
	for _, k := range keys {
		r.Policies = append(r.Policies, seen[k])
	}
	return r, nil
}

// eventKind names an engine event's one payload ("policyEvent", ...), or is
// "" for a line that is no engine event: every event has a sequence number
// and exactly one payload, whether or not this reader decodes it.
func eventKind(fields map[string]json.RawMessage) string {
	if _, ok := fields["sequence"]; !ok {
		return ""
	}
	kind := ""
	for k := range fields {
		if strings.HasSuffix(k, "Event") {
			if kind != "" {
				return ""
			}
			kind = k
		}
	}
	return kind
}

// merge adds other's violations and tests of packs r does not already hold:
// the results file is the better record of mlguard's own, with exemptions
// and types; the event log adds every other pack's.
func (r *run) merge(other *run) error {
	if r.Stack != other.Stack || r.Project != other.Project {
		return fmt.Errorf("%s is of %s, %s of %s", strings.Join(other.Sources, ", "), stackID{other.Stack, other.Project},
			strings.Join(r.Sources, ", "), stackID{r.Stack, r.Project})
	}
	r.Sources = append(r.Sources, other.Sources...)
	own := r.Pack.Name
	for _, p := range other.Policies {
		if p.Pack != own {
			r.Policies = append(r.Policies, p)
		}
	}
	for _, v := range other.Violations {
		if v.Pack != own {
			r.Violations = append(r.Violations, v)
		}
	}
	for _, t := range other.Tests {
		if t.Pack != own {
			r.Tests = append(r.Tests, t)
		}
	}
	return nil
}
