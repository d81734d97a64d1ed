package policy

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestPackCheckRenamed(t *testing.T) {
	rule := &ResourceRule{Validate: func(*Check) {}}
	mk := func(renamed map[string]string) *Pack {
		return &Pack{Name: "p", Renamed: renamed, Policies: []*Policy{
			{Name: "a", Description: "a", Resource: rule}, {Name: "b", Description: "b", Resource: rule},
		}}
	}
	assert.NoError(t, mk(map[string]string{"old-a": "a"}).Check())
	assert.ErrorContains(t, mk(map[string]string{"old-a": "missing"}).Check(), `renamed policy "old-a"`)
	assert.ErrorContains(t, mk(map[string]string{"b": "a"}).Check(), `renamed policy "b" must not be a policy`)
}

func TestPackKind(t *testing.T) {
	assert.Equal(t, "x:y:Z", (&Pack{}).Kind("x:y:Z"))
	p := &Pack{Kinds: func(string) string { return "k" }}
	assert.Equal(t, "k", p.Kind("x:y:Z"))
}

func TestPackCheckControls(t *testing.T) {
	rule := &ResourceRule{Validate: func(*Check) {}}
	p := &Pack{Name: "p", Policies: []*Policy{{Name: "a", Description: "a", Resource: rule, Controls: []Control{{Catalog: "checkov"}}}}}
	assert.ErrorContains(t, p.Check(), `policy "a": a control needs a catalog and an ID`)
	p.Policies[0].Controls[0].ID = "CKV_AWS_21"
	assert.NoError(t, p.Check())
}

// validPack passes Check; each case of TestPackCheck breaks one thing.
func validPack() *Pack {
	rule := &ResourceRule{Validate: func(*Check) {}}
	gate := &Policy{Name: "gate", Description: "g", Stack: func(*StackCheck) {}}
	return &Pack{
		Name: "my-pack", EnforcementLevel: Mandatory,
		Policies: []*Policy{
			{Name: "a", Description: "a", Resource: rule, EnforcementLevel: Remediate,
				Controls: []Control{{Catalog: "checkov", ID: "CKV_AWS_21"}}},
			{Name: "b-2", Description: "b", Stack: func(*StackCheck) {}, EnforcementLevel: Disabled},
			gate,
		},
		Exemptions: &Exemptions{Policy: gate, Exempt: func(*Resource, *Policy, any, *Stack) Exemption { return Exemption{} }},
		Renamed:    map[string]string{"old-a": "a"},
	}
}

func TestPackCheck(t *testing.T) {
	rule := &ResourceRule{Validate: func(*Check) {}}
	for _, tc := range []struct {
		name    string
		breakIt func(p *Pack)
		want    string
	}{
		{"no name", func(p *Pack) { p.Name = "" }, `pack name "" must be kebab-case`},
		{"a name that is not kebab-case", func(p *Pack) { p.Name = "My_Pack" }, `pack name "My_Pack" must be kebab-case`},
		{"a pack level that is not one", func(p *Pack) { p.EnforcementLevel = "strict" }, `pack enforcement level "strict" is not valid`},
		{"a nil policy", func(p *Pack) { p.Policies[1] = nil }, `policy #1 is nil`},
		{"a policy name that is not kebab-case", func(p *Pack) { p.Policies[1].Name = "B" }, `policy name "B" must be kebab-case and not "all"`},
		{"a policy named all", func(p *Pack) { p.Policies[1].Name = "all" }, `policy name "all" must be kebab-case and not "all"`},
		{"a name twice", func(p *Pack) { p.Policies[1].Name = "a" }, `policy "a" is defined twice`},
		{"a control without an ID", func(p *Pack) { p.Policies[0].Controls[0].ID = "" }, `policy "a": a control needs a catalog and an ID`},
		{"a control without a catalog", func(p *Pack) { p.Policies[0].Controls[0].Catalog = "" }, `policy "a": a control needs a catalog and an ID`},
		{"no description", func(p *Pack) { p.Policies[1].Description = "" }, `policy "b-2" has no description`},
		{"a policy level that is not one", func(p *Pack) { p.Policies[1].EnforcementLevel = "warn" }, `policy "b-2": enforcement level "warn" is not valid`},
		{"both kinds of rule", func(p *Pack) { p.Policies[1].Resource = rule }, `policy "b-2" must have exactly one of Resource and Stack`},
		{"neither kind of rule", func(p *Pack) { p.Policies[0].Resource = nil }, `policy "a" must have exactly one of Resource and Stack`},
		{"a resource rule without Validate", func(p *Pack) { p.Policies[0].Resource = &ResourceRule{} }, `policy "a": resource rule has no Validate`},
		{"a config not built with ConfigFor", func(p *Pack) { p.Policies[0].Config = &Config{} }, `policy "a": config must be built with ConfigFor`},
		{"a schema that is not JSON", func(p *Pack) {
			p.Policies[0].Config = ConfigFor[struct{}](map[string]Schema{"x": {"default": func() {}}})
		}, `policy "a": schema is not JSON: json: unsupported type: func()`},
		{"a rename onto no policy", func(p *Pack) { p.Renamed["old-a"] = "c" }, `renamed policy "old-a" must not be a policy, and "c" must be one`},
		{"a rename of a policy", func(p *Pack) { p.Renamed["b-2"] = "a" }, `renamed policy "b-2" must not be a policy, and "a" must be one`},
		{"exemptions without Exempt", func(p *Pack) { p.Exemptions.Exempt = nil }, `exemptions need an Exempt function and a Policy of the pack`},
		{"exemptions without a policy", func(p *Pack) { p.Exemptions.Policy = nil }, `exemptions need an Exempt function and a Policy of the pack`},
		{"exemptions with a policy of another pack", func(p *Pack) {
			p.Exemptions.Policy = &Policy{Name: "gate", Description: "g", Stack: func(*StackCheck) {}}
		}, `exemptions need an Exempt function and a Policy of the pack`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := validPack()
			tc.breakIt(p)
			assert.EqualError(t, p.Check(), tc.want)
		})
	}
	assert.NoError(t, validPack().Check())
	noLevel := validPack()
	noLevel.EnforcementLevel = ""
	assert.NoError(t, noLevel.Check(), "a pack without a level inherits advisory")
}

func TestPackCheckReportsEveryProblem(t *testing.T) {
	p := validPack()
	p.Name = ""
	p.Policies[0].Description = ""
	p.Policies[2] = nil
	err := p.Check()
	assert.EqualError(t, err, `pack name "" must be kebab-case; policy "a" has no description; policy #2 is nil; `+
		`exemptions need an Exempt function and a Policy of the pack`)
	assert.Len(t, err.(interface{ Unwrap() []error }).Unwrap(), 4)
}

func TestEnforcementLevelValid(t *testing.T) {
	for _, l := range []EnforcementLevel{Advisory, Mandatory, Remediate, Disabled} {
		assert.True(t, l.Valid(), l)
	}
	for _, l := range []EnforcementLevel{"", "Advisory", "warn"} {
		assert.False(t, l.Valid(), l)
	}
}
