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
