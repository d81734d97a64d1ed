package policypack

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mlguard/mlguard/policy"
)

// TestPolicyConfigFiles checks every file of policy-config against the pack:
// known policies, valid levels, and values their schemas accept.
func TestPolicyConfigFiles(t *testing.T) {
	files, err := filepath.Glob("../policy-config/*.json")
	require.NoError(t, err)
	require.NotEmpty(t, files)
	byName := map[string]*policy.Policy{}
	for _, p := range Pack().Policies {
		byName[p.Name] = p
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			b, err := os.ReadFile(f)
			require.NoError(t, err)
			var cfg map[string]any
			require.NoError(t, json.Unmarshal(b, &cfg))
			for name, v := range cfg {
				if name == "all" {
					s, _ := v.(string)
					assert.True(t, policy.EnforcementLevel(s).Valid(), "all: %v", v)
					continue
				}
				p, ok := byName[name]
				require.True(t, ok, "no policy %q", name)
				switch x := v.(type) {
				case string:
					assert.True(t, policy.EnforcementLevel(x).Valid(), "%s: %v", name, x)
				case map[string]any:
					if l, ok := x["enforcementLevel"]; ok {
						s, _ := l.(string)
						assert.True(t, policy.EnforcementLevel(s).Valid(), "%s: %v", name, l)
					}
					require.NotNil(t, p.Config, "%s takes no configuration", name)
					_, err := p.Config.Resolve(x)
					assert.NoError(t, err, name)
				default:
					t.Errorf("%s: unexpected %T", name, v)
				}
			}
		})
	}
}
