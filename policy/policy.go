// Package policy is the API rules are written in: a Pack of Policies, each a
// resource rule (run per resource by type token) or a stack rule (run once over
// every resource), with metadata beside the check. It knows nothing of gRPC;
// package analyzer serves a Pack to the Pulumi engine.
package policy

import (
	"errors"
	"fmt"
	"regexp"
	"slices"
)

// EnforcementLevel is how a violation is treated. The empty level means
// "inherit": a policy without one takes the pack's.
type EnforcementLevel string

const (
	Advisory  EnforcementLevel = "advisory"  // shown, does not block
	Mandatory EnforcementLevel = "mandatory" // fails the preview or update
	Remediate EnforcementLevel = "remediate" // fixed in place where the rule can; else mandatory
	Disabled  EnforcementLevel = "disabled"  // never runs
)

// Valid reports whether l is one of the four levels.
func (l EnforcementLevel) Valid() bool {
	switch l {
	case Advisory, Mandatory, Remediate, Disabled:
		return true
	}
	return false
}

// Severity is how much a violation matters, independent of enforcement.
type Severity string

const (
	Low      Severity = "low"
	Medium   Severity = "medium"
	High     Severity = "high"
	Critical Severity = "critical"
)

// Framework names the compliance framework a policy implements.
type Framework struct {
	Name, Version, Reference, Specification string
}

// Control is a check of another catalog that a policy corresponds to: an
// AWS Security Hub control, an AWS Config managed rule, a Checkov or
// Prowler check, an Azure Policy built-in, a PSRule rule.
type Control struct {
	Catalog Catalog
	ID      string // as the catalog writes it: "S3.14", "CKV_AWS_21"
}

// Catalog names a catalog of checks; its value prefixes the control's ID in
// the policy's tags ("checkov:CKV_AWS_21").
type Catalog string

// Pack is a policy pack: its identity and its policies.
type Pack struct {
	Name        string
	DisplayName string
	Description string
	Version     string
	Readme      string
	Provider    string
	Repository  string
	Tags        []string
	// EnforcementLevel applies to policies that set none (default Advisory).
	EnforcementLevel EnforcementLevel
	Policies         []*Policy
	// Exemptions, when set, is asked about every violation before it is
	// reported and may downgrade it to advisory.
	Exemptions *Exemptions
	// Kinds maps the type token of a resource to the Kind its rules match
	// (nil: every token is its own kind). Set by a pack that judges several
	// provider majors or API versions of one resource alike.
	Kinds func(token string) string
	// Renamed maps the former names of policies, which users' policy-pack
	// config may still hold, to the policies that replaced them.
	Renamed map[string]string
}

// Exemptions let a resource opt out of a policy for a while. Problems with an
// exemption itself (expired, malformed) are Policy's to report; Exempt reads
// Policy's configuration, so that both agree on how exemptions are written,
// and the stack under analysis, for exemptions granted to one stack.
type Exemptions struct {
	Policy *Policy
	Exempt func(r *Resource, violated *Policy, config any, stack *Stack) Exemption
}

// Exemption is the answer of Exemptions.Exempt for one violation. A granted
// one turns the violation into an advisory note carrying Note; a refused one
// with a Note keeps the violation as it was and says why it is not exempted.
type Exemption struct {
	Granted bool
	Note    string
	By      string // who granted it, for the record: "tag", "config"
}

// Policy is one rule and everything a user needs to know about it.
type Policy struct {
	Name             string // kebab-case, unique in the pack
	DisplayName      string
	Description      string // what the rule requires, one sentence
	Severity         Severity
	EnforcementLevel EnforcementLevel
	RemediationSteps string // how a user fixes a violation
	URL              string // documentation of the rule
	Framework        *Framework
	Tags             []string
	Controls         []Control // what other catalogs call the same check
	Config           *Config   // nil when the policy takes no configuration

	// Exactly one of Resource and Stack is set.
	Resource *ResourceRule
	Stack    func(c *StackCheck)
}

// ResourceRule is a check run on each resource of the given types.
type ResourceRule struct {
	Types     []string // type tokens; empty means every resource
	Validate  func(c *Check)
	Remediate func(f *Fix) // optional; runs only at the remediate level
}

var policyName = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

// Check reports every problem with the pack's definition at once.
func (p *Pack) Check() error {
	var errs []error
	if p.Name == "" || !policyName.MatchString(p.Name) {
		errs = append(errs, fmt.Errorf("pack name %q must be kebab-case", p.Name))
	}
	if p.EnforcementLevel != "" && !p.EnforcementLevel.Valid() {
		errs = append(errs, fmt.Errorf("pack enforcement level %q is not valid", p.EnforcementLevel))
	}
	seen := map[string]bool{}
	for i, pol := range p.Policies {
		if pol == nil {
			errs = append(errs, fmt.Errorf("policy #%d is nil", i))
			continue
		}
		if !policyName.MatchString(pol.Name) || pol.Name == "all" {
			errs = append(errs, fmt.Errorf("policy name %q must be kebab-case and not \"all\"", pol.Name))
		}
		if seen[pol.Name] {
			errs = append(errs, fmt.Errorf("policy %q is defined twice", pol.Name))
		}
		seen[pol.Name] = true
		for _, c := range pol.Controls {
			if c.Catalog == "" || c.ID == "" {
				errs = append(errs, fmt.Errorf("policy %q: a control needs a catalog and an ID", pol.Name))
			}
		}
		if pol.Description == "" {
			errs = append(errs, fmt.Errorf("policy %q has no description", pol.Name))
		}
		if pol.EnforcementLevel != "" && !pol.EnforcementLevel.Valid() {
			errs = append(errs, fmt.Errorf("policy %q: enforcement level %q is not valid", pol.Name, pol.EnforcementLevel))
		}
		if (pol.Resource == nil) == (pol.Stack == nil) {
			errs = append(errs, fmt.Errorf("policy %q must have exactly one of Resource and Stack", pol.Name))
		}
		if pol.Resource != nil && pol.Resource.Validate == nil {
			errs = append(errs, fmt.Errorf("policy %q: resource rule has no Validate", pol.Name))
		}
		if pol.Config != nil {
			if err := pol.Config.checkDefaults(); err != nil {
				errs = append(errs, fmt.Errorf("policy %q: %w", pol.Name, err))
			}
		}
	}
	for old, now := range p.Renamed {
		if seen[old] || !seen[now] {
			errs = append(errs, fmt.Errorf("renamed policy %q must not be a policy, and %q must be one", old, now))
		}
	}
	if x := p.Exemptions; x != nil && (x.Exempt == nil || x.Policy == nil || !slices.Contains(p.Policies, x.Policy)) {
		errs = append(errs, errors.New("exemptions need an Exempt function and a Policy of the pack"))
	}
	if len(errs) == 0 {
		return nil
	}
	return joinErrors(errs)
}

// Kind is the kind of a type token under the pack's Kinds.
func (p *Pack) Kind(token string) string {
	if p.Kinds == nil {
		return token
	}
	return p.Kinds(token)
}

// Level is the policy's default enforcement: its own, else the pack's, else advisory.
func (p *Pack) Level(pol *Policy) EnforcementLevel {
	if pol.EnforcementLevel != "" {
		return pol.EnforcementLevel
	}
	if p.EnforcementLevel != "" {
		return p.EnforcementLevel
	}
	return Advisory
}
