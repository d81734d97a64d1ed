package analyzer

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"

	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/types/known/emptypb"

	"github.com/mlguard/mlguard/analyzer/internal/testpack"
	"github.com/mlguard/mlguard/policy"
	pt "github.com/mlguard/mlguard/policy/policytest"
)

type recordingLogger struct {
	mu    sync.Mutex
	lines []string
}

func (l *recordingLogger) Log(_ context.Context, sev Severity, urn, msg string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.lines = append(l.lines, fmt.Sprintf("%s %s %s", sev, urn, msg))
}

func newTestServer(t *testing.T) (*Server, *recordingLogger) {
	t.Helper()
	log := &recordingLogger{}
	s, err := NewServer(testpack.Pack(), log)
	require.NoError(t, err)
	return s, log
}

func bucket(name string, props map[string]any) *pulumirpc.AnalyzeRequest {
	return &pulumirpc.AnalyzeRequest{
		Type: testpack.Bucket, Name: name, Urn: "urn:pulumi:dev::p::" + testpack.Bucket + "::" + name,
		Properties: pt.Props(props),
	}
}

func compliantBucket() map[string]any {
	return map[string]any{"name": "data", "versioned": true, "tags": map[string]any{"owner": "ml"}}
}

// byPolicy indexes diagnostics by policy name.
func byPolicy(resp *pulumirpc.AnalyzeResponse) map[string]*pulumirpc.AnalyzeDiagnostic {
	out := map[string]*pulumirpc.AnalyzeDiagnostic{}
	for _, d := range resp.GetDiagnostics() {
		out[d.PolicyName] = d
	}
	return out
}

func configure(t *testing.T, s *Server, cfg map[string]*pulumirpc.PolicyConfig) error {
	t.Helper()
	_, err := s.Configure(context.Background(), &pulumirpc.ConfigureAnalyzerRequest{PolicyConfig: cfg})
	return err
}

func level(l pulumirpc.EnforcementLevel, props map[string]any) *pulumirpc.PolicyConfig {
	pc := &pulumirpc.PolicyConfig{EnforcementLevel: l}
	if props != nil {
		pc.Properties = pt.Props(props)
	}
	return pc
}

func TestGetAnalyzerInfoDescribesEveryPolicy(t *testing.T) {
	s, _ := newTestServer(t)
	info, err := s.GetAnalyzerInfo(context.Background(), &emptypb.Empty{})
	require.NoError(t, err)
	assert.Equal(t, "testpack", info.Name)
	assert.Equal(t, "1.2.3", info.Version)
	assert.True(t, info.SupportsConfig)

	got := map[string]*pulumirpc.PolicyInfo{}
	for _, p := range info.Policies {
		got[p.Name] = p
	}
	tests := []struct {
		name     string
		level    pulumirpc.EnforcementLevel
		severity pulumirpc.PolicySeverity
		typ      pulumirpc.PolicyType
	}{
		{"versioned", pulumirpc.EnforcementLevel_MANDATORY, pulumirpc.PolicySeverity_POLICY_SEVERITY_HIGH, pulumirpc.PolicyType_POLICY_TYPE_RESOURCE},
		{"named", pulumirpc.EnforcementLevel_ADVISORY, pulumirpc.PolicySeverity_POLICY_SEVERITY_LOW, pulumirpc.PolicyType_POLICY_TYPE_RESOURCE},
		{"tagged", pulumirpc.EnforcementLevel_REMEDIATE, pulumirpc.PolicySeverity_POLICY_SEVERITY_MEDIUM, pulumirpc.PolicyType_POLICY_TYPE_RESOURCE},
		{"never", pulumirpc.EnforcementLevel_DISABLED, pulumirpc.PolicySeverity_POLICY_SEVERITY_LOW, pulumirpc.PolicyType_POLICY_TYPE_RESOURCE},
		{"one-bucket", pulumirpc.EnforcementLevel_ADVISORY, pulumirpc.PolicySeverity_POLICY_SEVERITY_MEDIUM, pulumirpc.PolicyType_POLICY_TYPE_STACK},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := got[tc.name]
			require.NotNil(t, p)
			assert.Equal(t, tc.level, p.EnforcementLevel)
			assert.Equal(t, tc.severity, p.Severity)
			assert.Equal(t, tc.typ, p.PolicyType)
			assert.NotEmpty(t, p.Description)
			assert.Equal(t, tc.level, info.InitialConfig[tc.name].GetEnforcementLevel())
		})
	}
	v := got["versioned"]
	assert.Equal(t, "set versioned", v.RemediationSteps)
	assert.Equal(t, "https://example.com/versioned", v.Url)
	assert.Equal(t, "cis", v.Framework.GetName())
	assert.Equal(t, []string{"s3"}, v.Tags)

	schema := got["named"].ConfigSchema.GetProperties().AsMap()
	assert.Equal(t, "^[a-z-]+$", schema["pattern"].(map[string]any)["default"])
	assert.Equal(t, map[string]any{"pattern": "^[a-z-]+$", "maxItems": 3.0}, info.InitialConfig["named"].GetProperties().AsMap())
}

func TestEnforcementPrecedence(t *testing.T) {
	tests := []struct {
		name   string
		config map[string]*pulumirpc.PolicyConfig
		want   map[string]pulumirpc.EnforcementLevel // policy -> level of its diagnostic; absent: none
	}{
		{
			name: "defaults: policy level, else pack level",
			want: map[string]pulumirpc.EnforcementLevel{
				"versioned": pulumirpc.EnforcementLevel_MANDATORY, // the policy's own
				"named":     pulumirpc.EnforcementLevel_ADVISORY,  // inherited from the pack
			},
		},
		{
			name: "config file beats both",
			config: map[string]*pulumirpc.PolicyConfig{
				"versioned": level(pulumirpc.EnforcementLevel_ADVISORY, nil),
				"named":     level(pulumirpc.EnforcementLevel_MANDATORY, nil),
			},
			want: map[string]pulumirpc.EnforcementLevel{
				"versioned": pulumirpc.EnforcementLevel_ADVISORY,
				"named":     pulumirpc.EnforcementLevel_MANDATORY,
			},
		},
		{
			name: "the CLI's leftover \"all\" entry is accepted",
			config: map[string]*pulumirpc.PolicyConfig{
				"all":   level(pulumirpc.EnforcementLevel_ADVISORY, nil),
				"named": level(pulumirpc.EnforcementLevel_ADVISORY, nil),
			},
			want: map[string]pulumirpc.EnforcementLevel{
				"versioned": pulumirpc.EnforcementLevel_MANDATORY,
				"named":     pulumirpc.EnforcementLevel_ADVISORY,
			},
		},
		{
			name:   "disabled never runs",
			config: map[string]*pulumirpc.PolicyConfig{"versioned": level(pulumirpc.EnforcementLevel_DISABLED, nil)},
			want:   map[string]pulumirpc.EnforcementLevel{"named": pulumirpc.EnforcementLevel_ADVISORY},
		},
		{
			name:   "a disabled default can be enabled",
			config: map[string]*pulumirpc.PolicyConfig{"never": level(pulumirpc.EnforcementLevel_ADVISORY, nil)},
			want: map[string]pulumirpc.EnforcementLevel{
				"versioned": pulumirpc.EnforcementLevel_MANDATORY,
				"named":     pulumirpc.EnforcementLevel_ADVISORY,
				"never":     pulumirpc.EnforcementLevel_ADVISORY,
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, _ := newTestServer(t)
			require.NoError(t, configure(t, s, tc.config))
			props := pt.With(pt.With(compliantBucket(), "versioned", false), "name", "Bad_Name")
			resp, err := s.Analyze(context.Background(), bucket("b", props))
			require.NoError(t, err)
			got := map[string]pulumirpc.EnforcementLevel{}
			for name, d := range byPolicy(resp) {
				got[name] = d.EnforcementLevel
			}
			assert.Equal(t, tc.want, got)
		})
	}
}

func TestDiagnosticCarriesPackAndResource(t *testing.T) {
	s, _ := newTestServer(t)
	resp, err := s.Analyze(context.Background(), bucket("b", pt.With(compliantBucket(), "versioned", false)))
	require.NoError(t, err)
	d := byPolicy(resp)["versioned"]
	require.NotNil(t, d)
	assert.Equal(t, "testpack", d.PolicyPackName)
	assert.Equal(t, "1.2.3", d.PolicyPackVersion)
	assert.Equal(t, pulumirpc.PolicySeverity_POLICY_SEVERITY_HIGH, d.Severity)
	assert.Equal(t, "urn:pulumi:dev::p::test:index:Bucket::b", d.Urn)
	assert.Equal(t, `test:index:Bucket "b": versioned: not versioned (is false); set versioned = true`, d.Message)
}

func TestRemediateRunsOnlyAtRemediate(t *testing.T) {
	untagged := pt.Without(compliantBucket(), "tags.owner")
	tests := []struct {
		name      string
		config    map[string]*pulumirpc.PolicyConfig
		props     map[string]any
		wantFixed bool
		wantLevel pulumirpc.EnforcementLevel // of the "tagged" diagnostic from Analyze on the input props; 0 with wantNone
		wantNone  bool
	}{
		{name: "remediate fixes", props: untagged, wantFixed: true, wantLevel: pulumirpc.EnforcementLevel_MANDATORY},
		{
			name: "advisory does not fix", props: untagged,
			config:    map[string]*pulumirpc.PolicyConfig{"tagged": level(pulumirpc.EnforcementLevel_ADVISORY, nil)},
			wantLevel: pulumirpc.EnforcementLevel_ADVISORY,
		},
		{
			name: "mandatory does not fix", props: untagged,
			config:    map[string]*pulumirpc.PolicyConfig{"tagged": level(pulumirpc.EnforcementLevel_MANDATORY, nil)},
			wantLevel: pulumirpc.EnforcementLevel_MANDATORY,
		},
		{
			name: "disabled neither fixes nor reports", props: untagged,
			config:   map[string]*pulumirpc.PolicyConfig{"tagged": level(pulumirpc.EnforcementLevel_DISABLED, nil)},
			wantNone: true,
		},
		{name: "compliant needs nothing", props: compliantBucket(), wantNone: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, _ := newTestServer(t)
			require.NoError(t, configure(t, s, tc.config))
			rem, err := s.Remediate(context.Background(), bucket("b", tc.props))
			require.NoError(t, err)
			if tc.wantFixed {
				require.Len(t, rem.Remediations, 1)
				r := rem.Remediations[0]
				assert.Equal(t, "tagged", r.PolicyName)
				assert.Equal(t, "testpack", r.PolicyPackName)
				assert.Equal(t, "platform", r.Properties.AsMap()["tags"].(map[string]any)["owner"])
				// The engine analyzes the remediated properties next: clean.
				after, err := s.Analyze(context.Background(), &pulumirpc.AnalyzeRequest{
					Type: testpack.Bucket, Name: "b", Urn: "u", Properties: r.Properties,
				})
				require.NoError(t, err)
				assert.Nil(t, byPolicy(after)["tagged"])
			} else {
				assert.Empty(t, rem.Remediations)
			}
			resp, err := s.Analyze(context.Background(), bucket("b", tc.props))
			require.NoError(t, err)
			d := byPolicy(resp)["tagged"]
			if tc.wantNone {
				assert.Nil(t, d)
			} else {
				require.NotNil(t, d)
				assert.Equal(t, tc.wantLevel, d.EnforcementLevel)
			}
		})
	}
}

func TestRemediateUnfixableIsMandatory(t *testing.T) {
	s, _ := newTestServer(t)
	props := pt.With(compliantBucket(), "tags", "owner=ml") // a shape the fix refuses
	rem, err := s.Remediate(context.Background(), bucket("b", props))
	require.NoError(t, err)
	assert.Empty(t, rem.Remediations)
	resp, err := s.Analyze(context.Background(), bucket("b", props))
	require.NoError(t, err)
	require.NotNil(t, byPolicy(resp)["tagged"])
	assert.Equal(t, pulumirpc.EnforcementLevel_MANDATORY, byPolicy(resp)["tagged"].EnforcementLevel)
}

func TestRemediateKeepsSecretsAndUnknownsElsewhere(t *testing.T) {
	s, _ := newTestServer(t)
	props := map[string]any{"name": pt.Secret("hunter2-name"), "versioned": pt.Unknown, "tags": pt.Secret(map[string]any{"team": "x"})}
	rem, err := s.Remediate(context.Background(), bucket("b", props))
	require.NoError(t, err)
	require.Len(t, rem.Remediations, 1)
	out := policy.Props(rem.Remediations[0].Properties)
	owner := out.Get("tags.owner")
	assert.True(t, owner.IsSecret(), "written inside the secret tags, it stays secret")
	assert.True(t, out.Get("name").IsSecret())
	assert.True(t, out.Get("versioned").IsUnknown())
}

func TestInvalidConfigNamesPolicyFieldAndProblem(t *testing.T) {
	tests := []struct {
		name   string
		config map[string]*pulumirpc.PolicyConfig
		want   []string
	}{
		{
			name:   "wrong type",
			config: map[string]*pulumirpc.PolicyConfig{"named": level(pulumirpc.EnforcementLevel_ADVISORY, map[string]any{"pattern": 5})},
			want:   []string{`policy "named"`, `field "pattern"`, "must be string, got integer"},
		},
		{
			name:   "below minimum",
			config: map[string]*pulumirpc.PolicyConfig{"named": level(pulumirpc.EnforcementLevel_ADVISORY, map[string]any{"maxItems": 0})},
			want:   []string{`policy "named"`, `field "maxItems"`, "must be at least 1"},
		},
		{
			name:   "invalid pattern",
			config: map[string]*pulumirpc.PolicyConfig{"named": level(pulumirpc.EnforcementLevel_ADVISORY, map[string]any{"pattern": "a("})},
			want:   []string{`policy "named"`, `field "pattern"`, "not a valid regular expression"},
		},
		{
			name:   "unknown field",
			config: map[string]*pulumirpc.PolicyConfig{"named": level(pulumirpc.EnforcementLevel_ADVISORY, map[string]any{"patern": "x"})},
			want:   []string{`policy "named"`, `field "patern"`, "not a known field"},
		},
		{
			name:   "unknown policy",
			config: map[string]*pulumirpc.PolicyConfig{"no-such": level(pulumirpc.EnforcementLevel_ADVISORY, nil)},
			want:   []string{`policy "no-such"`, "no such policy"},
		},
		{
			name:   "invalid level",
			config: map[string]*pulumirpc.PolicyConfig{"named": level(pulumirpc.EnforcementLevel(9), nil)},
			want:   []string{`policy "named"`, "enforcement level 9 is not valid"},
		},
		{
			name:   "config on a policy without config",
			config: map[string]*pulumirpc.PolicyConfig{"versioned": level(pulumirpc.EnforcementLevel_ADVISORY, map[string]any{"x": 1})},
			want:   []string{`policy "versioned"`, `field "x"`, "takes no configuration"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, _ := newTestServer(t)
			err := configure(t, s, tc.config)
			require.Error(t, err)
			assert.Equal(t, codes.InvalidArgument, status.Code(err))
			for _, w := range tc.want {
				assert.Contains(t, err.Error(), w)
			}
			// The failed Configure changed nothing: defaults still apply.
			resp, err := s.Analyze(context.Background(), bucket("b", pt.With(compliantBucket(), "name", "UPPER")))
			require.NoError(t, err)
			require.NotNil(t, byPolicy(resp)["named"])
			assert.Equal(t, pulumirpc.EnforcementLevel_ADVISORY, byPolicy(resp)["named"].EnforcementLevel)
		})
	}
}

func TestConfigValuesReachTheRule(t *testing.T) {
	s, _ := newTestServer(t)
	require.NoError(t, configure(t, s, map[string]*pulumirpc.PolicyConfig{
		"named": level(pulumirpc.EnforcementLevel_MANDATORY, map[string]any{"pattern": "^[A-Z]+$", "enforcementLevel": "mandatory"}),
	}))
	resp, err := s.Analyze(context.Background(), bucket("b", pt.With(compliantBucket(), "name", "UPPER")))
	require.NoError(t, err)
	assert.Nil(t, byPolicy(resp)["named"], "UPPER matches the configured pattern")
	resp, err = s.Analyze(context.Background(), bucket("b", compliantBucket()))
	require.NoError(t, err)
	require.NotNil(t, byPolicy(resp)["named"])
	assert.Contains(t, byPolicy(resp)["named"].Message, "^[A-Z]+$")
}

func TestUnknownIsNotApplicableNeverAViolation(t *testing.T) {
	tests := []struct {
		name   string
		props  map[string]any
		policy string
	}{
		{"unknown flag", pt.With(compliantBucket(), "versioned", pt.Unknown), "versioned"},
		{"unknown name", pt.With(compliantBucket(), "name", pt.Unknown), "named"},
		{"unknown inside secret", pt.With(compliantBucket(), "versioned", pt.Secret(pt.Unknown)), "versioned"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, _ := newTestServer(t)
			resp, err := s.Analyze(context.Background(), bucket("b", tc.props))
			require.NoError(t, err)
			assert.Empty(t, resp.Diagnostics)
			require.Len(t, resp.NotApplicable, 1)
			assert.Equal(t, tc.policy, resp.NotApplicable[0].PolicyName)
			assert.Contains(t, resp.NotApplicable[0].Reason, "is unknown")
		})
	}
}

func TestSecretsNeverLeave(t *testing.T) {
	const secretName = "Prod_Secret_Name"
	s, log := newTestServer(t)
	props := pt.With(compliantBucket(), "name", pt.Secret(secretName))
	resp, err := s.Analyze(context.Background(), bucket("b", props))
	require.NoError(t, err)
	d := byPolicy(resp)["named"]
	require.NotNil(t, d, "the rule still sees the secret value and finds it non-compliant")
	assert.Contains(t, d.Message, "[secret]")

	// A panic message built from a secret is scrubbed too.
	resp2, err := s.Analyze(context.Background(), bucket("b", pt.With(compliantBucket(), "name", pt.Secret("boom-secret"))))
	require.NoError(t, err)
	for _, r := range []*pulumirpc.AnalyzeResponse{resp, resp2} {
		for _, d := range r.Diagnostics {
			assert.NotContains(t, d.Message, secretName)
			assert.NotContains(t, d.Message, "boom-secret")
		}
	}
	for _, l := range log.lines {
		assert.NotContains(t, l, "boom-secret")
	}
}

func TestPanickingRuleIsIsolated(t *testing.T) {
	s, log := newTestServer(t)
	props := pt.With(pt.With(compliantBucket(), "name", "boom"), "versioned", false)
	resp, err := s.Analyze(context.Background(), bucket("b", props))
	require.NoError(t, err, "a panicking rule must not fail the call")
	got := byPolicy(resp)
	require.NotNil(t, got["faulty"])
	assert.Contains(t, got["faulty"].Message, `policy "faulty" failed`)
	assert.Contains(t, got["faulty"].Message, "nil map")
	assert.Equal(t, pulumirpc.EnforcementLevel_MANDATORY, got["faulty"].EnforcementLevel)
	require.NotNil(t, got["versioned"], "other rules still run")
	require.Len(t, log.lines, 1)
	assert.Contains(t, log.lines[0], "faulty")
}

func TestStackRule(t *testing.T) {
	s, _ := newTestServer(t)
	res := func(name, typ string) *pulumirpc.AnalyzerResource {
		return &pulumirpc.AnalyzerResource{Type: typ, Name: name, Urn: "urn:" + name, Properties: pt.Props(nil)}
	}
	resp, err := s.AnalyzeStack(context.Background(), &pulumirpc.AnalyzeStackRequest{Resources: []*pulumirpc.AnalyzerResource{
		res("a", testpack.Bucket), res("x", testpack.Other), res("b", testpack.Bucket),
	}})
	require.NoError(t, err)
	require.Len(t, resp.Diagnostics, 1)
	d := resp.Diagnostics[0]
	assert.Equal(t, "one-bucket", d.PolicyName)
	assert.Equal(t, "urn:b", d.Urn)
	assert.Equal(t, pulumirpc.EnforcementLevel_ADVISORY, d.EnforcementLevel)
	assert.Contains(t, d.Message, `test:index:Bucket "b": one bucket too many (max 1)`)

	require.NoError(t, configure(t, s, map[string]*pulumirpc.PolicyConfig{
		"one-bucket": level(pulumirpc.EnforcementLevel_MANDATORY, map[string]any{"maxItems": 2}),
	}))
	resp, err = s.AnalyzeStack(context.Background(), &pulumirpc.AnalyzeStackRequest{Resources: []*pulumirpc.AnalyzerResource{
		res("a", testpack.Bucket), res("b", testpack.Bucket),
	}})
	require.NoError(t, err)
	assert.Empty(t, resp.Diagnostics)
}

// Stack rules run side by side; the answer is still in policy order, and the
// same on every call.
func TestStackRulesAnswerInPolicyOrder(t *testing.T) {
	var policies []*policy.Policy
	for i := range 12 {
		policies = append(policies, &policy.Policy{
			Name: fmt.Sprintf("stack-%02d", i), Description: "d", EnforcementLevel: policy.Advisory,
			Stack: func(c *policy.StackCheck) {
				for _, r := range c.Resources {
					if i%3 == 0 {
						c.NotApplicable("unknown " + r.Name)
						continue
					}
					c.Violatef(r, r.Get("name"), "finding %d", i)
				}
			},
		})
	}
	s, err := NewServer(&policy.Pack{Name: "p", Version: "1", Policies: policies}, nil)
	require.NoError(t, err)
	req := &pulumirpc.AnalyzeStackRequest{}
	for _, name := range []string{"a", "b", "c"} {
		req.Resources = append(req.Resources, &pulumirpc.AnalyzerResource{Type: "t:m:T", Name: name, Urn: "urn:" + name, Properties: pt.Props(nil)})
	}
	var want []string
	for i := range 12 {
		if i%3 != 0 {
			for _, name := range []string{"a", "b", "c"} {
				want = append(want, fmt.Sprintf("stack-%02d urn:%s", i, name))
			}
		}
	}
	for range 50 {
		resp, err := s.AnalyzeStack(context.Background(), req)
		require.NoError(t, err)
		var got []string
		for _, d := range resp.Diagnostics {
			got = append(got, d.PolicyName+" "+d.Urn)
		}
		require.Equal(t, want, got)
		var na []string
		for _, n := range resp.NotApplicable {
			na = append(na, n.PolicyName)
		}
		require.Equal(t, []string{"stack-00", "stack-03", "stack-06", "stack-09"}, na)
	}
}

// A panic outside a rule's guard (here: the logger, while reporting the
// failed rule) comes back to the calling goroutine, where the interceptor
// handles it, instead of ending the process from a worker.
func TestStackRulePanicReachesTheCaller(t *testing.T) {
	pack := &policy.Pack{Name: "p", Version: "1", Policies: []*policy.Policy{{
		Name: "broken", Description: "d", EnforcementLevel: policy.Advisory,
		Stack: func(*policy.StackCheck) { panic("rule") },
	}}}
	s, err := NewServer(pack, panickingLogger{})
	require.NoError(t, err)
	req := &pulumirpc.AnalyzeStackRequest{Resources: []*pulumirpc.AnalyzerResource{{Type: "t:m:T", Name: "a", Urn: "urn:a", Properties: pt.Props(nil)}}}
	assert.PanicsWithValue(t, "logger", func() { _, _ = s.AnalyzeStack(context.Background(), req) })
}

type panickingLogger struct{}

func (panickingLogger) Log(context.Context, Severity, string, string) { panic("logger") }

func TestExemptHookDowngradesToAdvisory(t *testing.T) {
	pack := testpack.Pack()
	named := pack.Policies[1]
	pack.Exemptions = &policy.Exemptions{
		Policy: named, // its configured pattern stands in for an exemption tag key
		Exempt: func(r *policy.Resource, p *policy.Policy, config any, stack *policy.Stack) policy.Exemption {
			switch {
			case p.Name != "versioned":
			case stack.Name != "dev":
				return policy.Exemption{Note: "granted to stack dev only, this is " + stack.Name}
			case r.Get("exempt").Kind() == policy.Bool:
				return policy.Exemption{Granted: true, Note: "ticket 42, " + config.(*testpack.NameConfig).Pattern}
			}
			return policy.Exemption{}
		},
	}
	s, err := NewServer(pack, nil)
	require.NoError(t, err)
	ctx := context.Background()
	req := bucket("b", pt.With(pt.With(compliantBucket(), "versioned", false), "exempt", true))
	for _, tc := range []struct {
		stack, level string
		note         string
	}{
		{"dev", "ADVISORY", "[exempted: ticket 42, ^[a-z-]+$]"}, // the hook reads its policy's config and the stack
		{"prod", "MANDATORY", "[not exempted: granted to stack dev only, this is prod]"},
	} {
		_, err = s.ConfigureStack(ctx, &pulumirpc.AnalyzerStackConfigureRequest{Stack: tc.stack, Project: "p"})
		require.NoError(t, err)
		resp, err := s.Analyze(ctx, req)
		require.NoError(t, err)
		d := byPolicy(resp)["versioned"]
		require.NotNil(t, d, tc.stack)
		assert.Equal(t, tc.level, d.EnforcementLevel.String(), tc.stack)
		assert.Contains(t, d.Message, tc.note, tc.stack)
	}
}

func TestCancelStopsFurtherAnalysis(t *testing.T) {
	s, _ := newTestServer(t)
	_, err := s.Cancel(context.Background(), &emptypb.Empty{})
	require.NoError(t, err)
	_, err = s.Analyze(context.Background(), bucket("b", compliantBucket()))
	assert.Equal(t, codes.Canceled, status.Code(err))
}

func TestNilAndOddRequestsDoNotCrash(t *testing.T) {
	s, _ := newTestServer(t)
	ctx := context.Background()
	_, err := s.Analyze(ctx, &pulumirpc.AnalyzeRequest{})
	assert.NoError(t, err)
	_, err = s.Analyze(ctx, &pulumirpc.AnalyzeRequest{Type: testpack.Bucket})
	assert.NoError(t, err)
	_, err = s.Remediate(ctx, &pulumirpc.AnalyzeRequest{Type: testpack.Bucket})
	assert.NoError(t, err)
	_, err = s.AnalyzeStack(ctx, &pulumirpc.AnalyzeStackRequest{Resources: []*pulumirpc.AnalyzerResource{nil, {}}})
	assert.NoError(t, err)
	_, err = s.Configure(ctx, &pulumirpc.ConfigureAnalyzerRequest{PolicyConfig: map[string]*pulumirpc.PolicyConfig{"named": nil}})
	assert.NoError(t, err)
	_, err = s.ConfigureStack(ctx, &pulumirpc.AnalyzerStackConfigureRequest{})
	assert.NoError(t, err)
}

func TestConcurrentAnalyzeAndConfigure(t *testing.T) {
	s, _ := newTestServer(t)
	var wg sync.WaitGroup
	errs := make(chan error, 64)
	for i := range 64 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ctx := context.Background()
			var err error
			switch i % 4 {
			case 0:
				_, err = s.Configure(ctx, &pulumirpc.ConfigureAnalyzerRequest{PolicyConfig: map[string]*pulumirpc.PolicyConfig{
					"named": level(pulumirpc.EnforcementLevel_MANDATORY, map[string]any{"pattern": "^[a-z]+$"}),
				}})
			case 1:
				_, err = s.Remediate(ctx, bucket("b", pt.Without(compliantBucket(), "tags")))
			case 2:
				_, err = s.AnalyzeStack(ctx, &pulumirpc.AnalyzeStackRequest{Resources: []*pulumirpc.AnalyzerResource{
					{Type: testpack.Bucket, Urn: "a"}, {Type: testpack.Bucket, Urn: "b"},
				}})
			default:
				var resp *pulumirpc.AnalyzeResponse
				resp, err = s.Analyze(ctx, bucket(fmt.Sprint("b", i), pt.With(compliantBucket(), "versioned", false)))
				if err == nil && byPolicy(resp)["versioned"] == nil {
					err = fmt.Errorf("call %d lost its violation", i)
				}
			}
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		assert.NoError(t, err)
	}
}

func TestNewServerRejectsAnInvalidPack(t *testing.T) {
	pack := testpack.Pack()
	pack.Policies = append(pack.Policies, pack.Policies[0], &policy.Policy{Name: "Bad Name"})
	_, err := NewServer(pack, nil)
	require.Error(t, err)
	assert.Contains(t, err.Error(), `policy "versioned" is defined twice`)
	assert.Contains(t, err.Error(), `policy name "Bad Name" must be kebab-case`)
	assert.True(t, strings.Contains(err.Error(), "exactly one of Resource and Stack"))
}

// A schema changed after ConfigFor into something JSON cannot hold is named
// when the server starts, not when the engine asks for the pack's metadata.
func TestNewServerRejectsASchemaThatIsNotJSON(t *testing.T) {
	pack := testpack.Pack()
	pack.Policies[1].Config.Properties["pattern"]["examples"] = func() {}
	_, err := NewServer(pack, nil)
	assert.ErrorContains(t, err, `policy "named": config schema: json: unsupported type: func()`)
}

// A policy's controls join its tags as "<catalog>:<id>", and its own tags
// are left as they were.
func TestAnalyzerInfoTagsNameTheControls(t *testing.T) {
	pack := testpack.Pack()
	own := make([]string, 1, 4) // room to append into: tags must be copied, not grown in place
	own[0] = "s3"
	pack.Policies[0].Tags = own
	pack.Policies[0].Controls = []policy.Control{{Catalog: "checkov", ID: "CKV_AWS_21"}, {Catalog: "aws-securityhub", ID: "S3.14"}}
	s, err := NewServer(pack, nil)
	require.NoError(t, err)
	info, err := s.GetAnalyzerInfo(context.Background(), &emptypb.Empty{})
	require.NoError(t, err)
	assert.Equal(t, []string{"s3", "checkov:CKV_AWS_21", "aws-securityhub:S3.14"}, info.Policies[0].Tags)
	assert.Equal(t, []string{"s3"}, pack.Policies[0].Tags)
	assert.Equal(t, []string{"s3", "", ""}, own[:3], "the policy's own slice is not written")
}

// A level given under a former name wins over the one the CLI sends under the
// current name (it sends every policy with its default), whichever name sorts
// first; the user is told to rename it. "all" is the CLI's, and ignored.
func TestConfigureFormerNamesApplyLast(t *testing.T) {
	pack := testpack.Pack()
	pack.Renamed = map[string]string{"old-versioned": "versioned", "zz-named": "named"}
	log := &recordingLogger{}
	s, err := NewServer(pack, log)
	require.NoError(t, err)
	require.NoError(t, configure(t, s, map[string]*pulumirpc.PolicyConfig{
		"versioned":     level(pulumirpc.EnforcementLevel_MANDATORY, nil),
		"old-versioned": level(pulumirpc.EnforcementLevel_ADVISORY, nil),
		"named":         level(pulumirpc.EnforcementLevel_ADVISORY, nil),
		"zz-named":      level(pulumirpc.EnforcementLevel_MANDATORY, nil),
		"all":           level(pulumirpc.EnforcementLevel_DISABLED, nil),
	}))
	resp, err := s.Analyze(context.Background(), bucket("b", pt.With(pt.With(compliantBucket(), "name", "UPPER"), "versioned", false)))
	require.NoError(t, err)
	levels := map[string]pulumirpc.EnforcementLevel{}
	for _, d := range resp.Diagnostics {
		levels[d.PolicyName] = d.EnforcementLevel
	}
	assert.Equal(t, map[string]pulumirpc.EnforcementLevel{
		"versioned": pulumirpc.EnforcementLevel_ADVISORY, "named": pulumirpc.EnforcementLevel_MANDATORY,
	}, levels)
	assert.Equal(t, []string{
		`WARNING  policy-pack config: policy "old-versioned" is deprecated and now part of "versioned"; its settings apply to "versioned": rename it in your config`,
		`WARNING  policy-pack config: policy "zz-named" is deprecated and now part of "named"; its settings apply to "named": rename it in your config`,
	}, log.lines)
}

// Every problem of a config is named, in the order of the policies' names.
func TestConfigureProblemsInNameOrder(t *testing.T) {
	s, _ := newTestServer(t)
	err := configure(t, s, map[string]*pulumirpc.PolicyConfig{
		"zeta":      level(pulumirpc.EnforcementLevel_ADVISORY, nil),
		"alpha":     level(pulumirpc.EnforcementLevel_ADVISORY, nil),
		"versioned": level(pulumirpc.EnforcementLevel(9), nil),
	})
	assert.Equal(t, `invalid policy configuration: policy "alpha": no such policy in pack "testpack"; `+
		`policy "versioned": enforcement level 9 is not valid; policy "zeta": no such policy in pack "testpack"`,
		status.Convert(err).Message())
}

// The secrets of a resource's provider are scrubbed from what the pack prints
// about the resource, as the resource's own are.
func TestProviderSecretsAreScrubbed(t *testing.T) {
	s, _ := newTestServer(t)
	req := bucket("b", pt.With(compliantBucket(), "name", "Prod_Token_42"))
	req.Provider = &pulumirpc.AnalyzerProviderResource{
		Type: "pulumi:providers:test", Name: "default", Urn: "urn:pulumi:dev::p::pulumi:providers:test::default",
		Properties: pt.Props(map[string]any{"token": pt.Secret("Prod_Token_42")}),
	}
	resp, err := s.Analyze(context.Background(), req)
	require.NoError(t, err)
	d := byPolicy(resp)["named"]
	require.NotNil(t, d, "the name breaks the pattern")
	assert.Contains(t, d.Message, `name "[secret]" does not match`)
}

// Stack rules see each resource's parent, dependencies and property
// dependencies as the engine sent them.
func TestStackRulesSeeDependencies(t *testing.T) {
	const a, b = "urn:pulumi:dev::p::t:m:T::a", "urn:pulumi:dev::p::t:m:T::b"
	var got []string
	pack := &policy.Pack{Name: "p", Version: "1", Policies: []*policy.Policy{{
		Name: "deps", Description: "d", Stack: func(c *policy.StackCheck) {
			for _, r := range c.Resources {
				got = append(got, fmt.Sprintf("%s parent=%q deps=%v bucket-from-a=%v", r.Name, r.Parent, r.Dependencies, r.DependsOn("bucket", a)))
			}
		},
	}}}
	s, err := NewServer(pack, nil)
	require.NoError(t, err)
	_, err = s.AnalyzeStack(context.Background(), &pulumirpc.AnalyzeStackRequest{Resources: []*pulumirpc.AnalyzerResource{
		{Type: "t:m:T", Name: "a", Urn: a, Properties: pt.Props(nil)},
		{Type: "t:m:T", Name: "b", Urn: b, Properties: pt.Props(nil), Parent: a, Dependencies: []string{a},
			PropertyDependencies: map[string]*pulumirpc.AnalyzerPropertyDependencies{"bucket": {Urns: []string{a}}}},
	}})
	require.NoError(t, err)
	assert.Equal(t, []string{
		`a parent="" deps=[] bucket-from-a=false`,
		`b parent="urn:pulumi:dev::p::t:m:T::a" deps=[urn:pulumi:dev::p::t:m:T::a] bucket-from-a=true`,
	}, got)
}

// A fix that cannot decide, because what it reads is unknown, is not
// applicable; one that reads an unknown and still fixes something is a fix.
func TestRemediateNotApplicable(t *testing.T) {
	s, _ := newTestServer(t)
	rem, err := s.Remediate(context.Background(), bucket("b", pt.With(compliantBucket(), "tags", pt.Unknown)))
	require.NoError(t, err)
	assert.Empty(t, rem.Remediations)
	require.Len(t, rem.NotApplicable, 1)
	assert.Equal(t, "tagged", rem.NotApplicable[0].PolicyName)
	assert.Equal(t, "tags is unknown (known after the update; checked then)", rem.NotApplicable[0].Reason)

	pack := &policy.Pack{Name: "p", Version: "1", Policies: []*policy.Policy{{
		Name: "fix-anyway", Description: "d", EnforcementLevel: policy.Remediate,
		Resource: &policy.ResourceRule{Validate: func(*policy.Check) {}, Remediate: func(f *policy.Fix) {
			if _, ok := f.Known("later"); !ok {
				require.NoError(t, f.Set("flag", true))
			}
		}},
	}}}
	s, err = NewServer(pack, nil)
	require.NoError(t, err)
	rem, err = s.Remediate(context.Background(), bucket("b", map[string]any{"later": pt.Unknown}))
	require.NoError(t, err)
	assert.Empty(t, rem.NotApplicable)
	require.Len(t, rem.Remediations, 1)
	assert.Equal(t, true, rem.Remediations[0].Properties.AsMap()["flag"])
}

// A rule that fails is reported at its level, except that a remediate-level
// rule that could not even decide is mandatory, and an advisory one stays advisory.
func TestRuleFailureLevels(t *testing.T) {
	failing := func(name string, level policy.EnforcementLevel) *policy.Policy {
		return &policy.Policy{Name: name, Description: "d", EnforcementLevel: level,
			Resource: &policy.ResourceRule{Validate: func(*policy.Check) { panic("broken") }}}
	}
	pack := &policy.Pack{Name: "p", Version: "1", Policies: []*policy.Policy{
		failing("at-advisory", policy.Advisory), failing("at-mandatory", policy.Mandatory), failing("at-remediate", policy.Remediate),
	}}
	s, err := NewServer(pack, nil)
	require.NoError(t, err)
	resp, err := s.Analyze(context.Background(), bucket("b", nil))
	require.NoError(t, err)
	levels := map[string]pulumirpc.EnforcementLevel{}
	for _, d := range resp.Diagnostics {
		levels[d.PolicyName] = d.EnforcementLevel
	}
	assert.Equal(t, map[string]pulumirpc.EnforcementLevel{
		"at-advisory":  pulumirpc.EnforcementLevel_ADVISORY,
		"at-mandatory": pulumirpc.EnforcementLevel_MANDATORY,
		"at-remediate": pulumirpc.EnforcementLevel_MANDATORY,
	}, levels)
}
