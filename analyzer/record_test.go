package analyzer

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"google.golang.org/protobuf/proto"

	"github.com/mlguard/mlguard/analyzer/internal/testpack"
	"github.com/mlguard/mlguard/policy"
	pt "github.com/mlguard/mlguard/policy/policytest"
	"github.com/mlguard/mlguard/results"
)

func recordingServer(t *testing.T, pack *policy.Pack) (*Server, *recordingLogger, string) {
	t.Helper()
	log := &recordingLogger{}
	s, err := NewServer(pack, log)
	require.NoError(t, err)
	path := filepath.Join(t.TempDir(), "results.json")
	s.RecordResults(path)
	_, err = s.ConfigureStack(context.Background(), &pulumirpc.AnalyzerStackConfigureRequest{
		Stack: "dev", Project: "proj", Organization: "org", DryRun: true,
	})
	require.NoError(t, err)
	return s, log, path
}

func stackOf(reqs ...*pulumirpc.AnalyzeRequest) *pulumirpc.AnalyzeStackRequest {
	out := &pulumirpc.AnalyzeStackRequest{}
	for _, r := range reqs {
		out.Resources = append(out.Resources, &pulumirpc.AnalyzerResource{Type: r.Type, Name: r.Name, Urn: r.Urn, Properties: r.Properties})
	}
	return out
}

// asRecorded renders what the engine got the way the results file holds it.
func asRecorded(resp *pulumirpc.AnalyzeResponse, typ string) []results.Diagnostic {
	var out []results.Diagnostic
	for _, d := range resp.GetDiagnostics() {
		lvl := map[pulumirpc.EnforcementLevel]string{pulumirpc.EnforcementLevel_ADVISORY: "advisory", pulumirpc.EnforcementLevel_MANDATORY: "mandatory"}[d.EnforcementLevel]
		sev := map[pulumirpc.PolicySeverity]string{
			pulumirpc.PolicySeverity_POLICY_SEVERITY_LOW: "low", pulumirpc.PolicySeverity_POLICY_SEVERITY_MEDIUM: "medium",
			pulumirpc.PolicySeverity_POLICY_SEVERITY_HIGH: "high",
		}[d.Severity]
		out = append(out, results.Diagnostic{
			URN: d.Urn, Type: typ, Policy: d.PolicyName, Pack: d.PolicyPackName, PackVersion: d.PolicyPackVersion,
			Level: lvl, Severity: sev, Message: d.Message,
		})
	}
	return out
}

// The file holds every diagnostic the engine got, as it got it (scrubbed),
// which policies ran on which resource, the stack and the pack's metadata.
func TestResultsFileRecordsTheRun(t *testing.T) {
	s, _, path := recordingServer(t, testpack.Pack())
	ctx := context.Background()
	const secretName = "Prod_Secret_Name"
	bad := bucket("bad", pt.With(pt.With(compliantBucket(), "versioned", false), "name", pt.Secret(secretName)))
	good := bucket("good", compliantBucket())
	unknown := bucket("unknown", pt.With(compliantBucket(), "versioned", pt.Unknown))
	boom := bucket("boom", pt.With(compliantBucket(), "name", "boom"))

	var want []results.Diagnostic
	for _, req := range []*pulumirpc.AnalyzeRequest{bad, good, unknown, boom} {
		resp, err := s.Analyze(ctx, req)
		require.NoError(t, err)
		want = append(want, asRecorded(resp, testpack.Bucket)...)
	}
	_, err := os.Stat(path)
	require.True(t, os.IsNotExist(err), "nothing is written before the stack analysis ends the run")
	resp, err := s.AnalyzeStack(ctx, stackOf(bad, good, unknown, boom))
	require.NoError(t, err)
	want = append(want, asRecorded(resp, testpack.Bucket)...)
	require.Len(t, want, 6, "versioned, named and one-bucket... on bad, faulty on boom, one-bucket on three")

	raw, err := os.ReadFile(path)
	require.NoError(t, err)
	assert.NotContains(t, string(raw), secretName)
	f, err := results.Parse(path, raw)
	require.NoError(t, err)

	assert.Equal(t, results.Pack{Name: "testpack", Version: "1.2.3"}, f.Pack)
	assert.Equal(t, results.Stack{Name: "dev", Project: "proj", Organization: "org", DryRun: true}, f.Stack)
	require.Len(t, f.Policies, 6)
	assert.Equal(t, results.Policy{
		Name: "versioned", Description: "buckets are versioned", Kind: "resource", Level: "mandatory", Severity: "high",
		Remediation: "set versioned", URL: "https://example.com/versioned",
	}, f.Policies[0])
	assert.Equal(t, "advisory", f.Policies[1].Level, "named inherits the pack's level")
	assert.Equal(t, "disabled", f.Policies[3].Level)
	assert.Equal(t, "stack", f.Policies[5].Kind)

	assert.ElementsMatch(t, want, f.Diagnostics)
	ran := map[string][]string{}
	for _, r := range f.Resources {
		assert.Equal(t, testpack.Bucket, r.Type)
		ran[r.URN] = r.Policies
	}
	assert.Equal(t, map[string][]string{
		bad.Urn:     {"versioned", "named", "faulty", "tagged"},
		good.Urn:    {"versioned", "named", "faulty", "tagged"},
		unknown.Urn: {"named", "faulty", "tagged"}, // versioned could not decide: not applicable
		boom.Urn:    {"versioned", "named", "faulty", "tagged"},
	}, ran, "disabled policies and not-applicable ones did not run")
	assert.Equal(t, []string{"one-bucket"}, f.StackPolicies)
}

// `pulumi up` analyses its preview and then its update in one pack process:
// the file holds the last run only, and a new run first removes the old file.
func TestResultsFileHoldsTheLastRun(t *testing.T) {
	s, _, path := recordingServer(t, testpack.Pack())
	ctx := context.Background()
	_, err := s.Analyze(ctx, bucket("first", pt.With(compliantBucket(), "versioned", false)))
	require.NoError(t, err)
	_, err = s.AnalyzeStack(ctx, &pulumirpc.AnalyzeStackRequest{})
	require.NoError(t, err)
	_, err = s.Analyze(ctx, bucket("second", compliantBucket()))
	require.NoError(t, err)
	_, err = s.AnalyzeStack(ctx, &pulumirpc.AnalyzeStackRequest{})
	require.NoError(t, err)
	f, err := results.Read(path)
	require.NoError(t, err)
	assert.Empty(t, f.Diagnostics)
	require.Len(t, f.Resources, 1)
	assert.Contains(t, f.Resources[0].URN, "second")

	_, err = s.ConfigureStack(ctx, &pulumirpc.AnalyzerStackConfigureRequest{Stack: "dev", Project: "proj"})
	require.NoError(t, err)
	_, err = os.Stat(path)
	assert.True(t, os.IsNotExist(err), "a run that never finishes leaves no file to be mistaken for its own")
}

// Unset, nothing changes: no file, and the same answers.
func TestResultsOffChangesNothing(t *testing.T) {
	plain, _ := newTestServer(t)
	recording, _, path := recordingServer(t, testpack.Pack())
	plain.RecordResults("")
	require.Nil(t, plain.results)
	ctx := context.Background()
	for _, req := range []*pulumirpc.AnalyzeRequest{
		bucket("bad", pt.With(compliantBucket(), "versioned", false)), bucket("good", compliantBucket()),
	} {
		a, err := plain.Analyze(ctx, req)
		require.NoError(t, err)
		b, err := recording.Analyze(ctx, req)
		require.NoError(t, err)
		assert.True(t, proto.Equal(a, b), "recording must not change the answer")
	}
	_, err := plain.AnalyzeStack(ctx, &pulumirpc.AnalyzeStackRequest{})
	require.NoError(t, err)
	entries, err := os.ReadDir(filepath.Dir(path))
	require.NoError(t, err)
	assert.Empty(t, entries, "the plain server wrote nothing, the recording one nothing yet")
}

func TestResultsRecordExemptionsAndFailedFixes(t *testing.T) {
	pack := testpack.Pack()
	pack.Exemptions = &policy.Exemptions{
		Policy: pack.Policies[1],
		Exempt: func(r *policy.Resource, p *policy.Policy, _ any, _ *policy.Stack) policy.Exemption {
			return policy.Exemption{Granted: p.Name == "versioned", Note: "ticket 42", By: "config"}
		},
	}
	s, _, path := recordingServer(t, pack)
	ctx := context.Background()
	_, err := s.Analyze(ctx, bucket("b", pt.With(compliantBucket(), "versioned", false)))
	require.NoError(t, err)
	// tags as a list: the fix cannot set tags.owner and panics.
	_, err = s.Remediate(ctx, bucket("c", pt.With(compliantBucket(), "tags", []any{"x"})))
	require.NoError(t, err)
	_, err = s.AnalyzeStack(ctx, &pulumirpc.AnalyzeStackRequest{})
	require.NoError(t, err)
	f, err := results.Read(path)
	require.NoError(t, err)
	byPolicy := map[string]results.Diagnostic{}
	for _, d := range f.Diagnostics {
		byPolicy[d.Policy] = d
	}
	v := byPolicy["versioned"]
	assert.Equal(t, "advisory", v.Level)
	assert.Equal(t, &results.Exemption{Source: "config", Note: "ticket 42"}, v.Exemption)
	assert.Contains(t, v.Message, "[exempted: ticket 42]")
	fix := byPolicy["tagged"]
	assert.Equal(t, "advisory", fix.Level, "the engine reports a failed fix as advisory")
	assert.Contains(t, fix.Message, "could not remediate")
	assert.Nil(t, fix.Exemption)
}

// Analyze is called concurrently: every resource is recorded once (run with -race).
func TestResultsConcurrentAnalyze(t *testing.T) {
	s, _, path := recordingServer(t, testpack.Pack())
	ctx := context.Background()
	const callers, each = 8, 50
	var wg sync.WaitGroup
	for c := range callers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range each {
				_, err := s.Analyze(ctx, bucket("b"+string(rune('a'+c))+string(rune('a'+i%26))+string(rune('a'+i/26)), pt.With(compliantBucket(), "versioned", false)))
				assert.NoError(t, err)
			}
		}()
	}
	wg.Wait()
	_, err := s.AnalyzeStack(ctx, &pulumirpc.AnalyzeStackRequest{})
	require.NoError(t, err)
	f, err := results.Read(path)
	require.NoError(t, err)
	assert.Len(t, f.Resources, callers*each)
	assert.Len(t, f.Diagnostics, callers*each)
	for i := 1; i < len(f.Resources); i++ {
		assert.Less(t, f.Resources[i-1].URN, f.Resources[i].URN, "sorted, whatever the scheduling")
	}
}

// A file that cannot be written is an error in the engine's log; the
// analysis itself still answers.
func TestResultsWriteFailureIsLogged(t *testing.T) {
	s, log, _ := recordingServer(t, testpack.Pack())
	s.RecordResults(filepath.Join(t.TempDir(), "missing-dir", "results.json"))
	resp, err := s.AnalyzeStack(context.Background(), stackOf(bucket("a", nil), bucket("b", nil)))
	require.NoError(t, err)
	assert.Len(t, resp.Diagnostics, 1)
	require.NotEmpty(t, log.lines)
	assert.Contains(t, log.lines[len(log.lines)-1], "results file (MLGUARD_RESULTS)")
	assert.Contains(t, log.lines[len(log.lines)-1], "missing-dir")
}

// A stale file that cannot be removed when the run starts is an error in the
// engine's log; ConfigureStack still succeeds. A file that is not there is fine.
func TestResultsStartFailureIsLogged(t *testing.T) {
	s, log, _ := recordingServer(t, testpack.Pack())
	assert.Empty(t, log.lines, "no earlier file to remove is no problem")
	notADir := filepath.Join(t.TempDir(), "file")
	require.NoError(t, os.WriteFile(notADir, nil, 0o644))
	s.RecordResults(filepath.Join(notADir, "results.json"))
	_, err := s.ConfigureStack(context.Background(), &pulumirpc.AnalyzerStackConfigureRequest{Stack: "dev", Project: "proj"})
	require.NoError(t, err)
	require.Len(t, log.lines, 1)
	assert.Contains(t, log.lines[0], "ERROR  mlguard: results file (MLGUARD_RESULTS): ")
	assert.Contains(t, log.lines[0], "not a directory")
}

// Diagnostics are in URN order, and by policy within one resource, whatever
// order they were reported in.
func TestResultsDiagnosticsInURNOrder(t *testing.T) {
	s, _, path := recordingServer(t, testpack.Pack())
	b := bucket("b", pt.With(pt.With(compliantBucket(), "name", "B"), "versioned", false)) // named, versioned
	a := bucket("a", pt.With(compliantBucket(), "versioned", false))                       // versioned
	for _, req := range []*pulumirpc.AnalyzeRequest{b, a} {
		_, err := s.Analyze(context.Background(), req)
		require.NoError(t, err)
	}
	_, err := s.AnalyzeStack(context.Background(), stackOf(b, a))
	require.NoError(t, err)
	f, err := results.Read(path)
	require.NoError(t, err)
	var got []string
	for _, d := range f.Diagnostics {
		got = append(got, d.URN[strings.LastIndex(d.URN, ":")+1:]+" "+d.Policy)
	}
	assert.Equal(t, []string{"a one-bucket", "a versioned", "b named", "b versioned"}, got)
}

// A stack policy that could not decide is not among those that ran; one that
// passed, violated or failed is.
func TestResultsStackPoliciesThatDecided(t *testing.T) {
	pack := testpack.Pack()
	pack.Policies = append(pack.Policies,
		&policy.Policy{Name: "stack-undecided", Description: "d", Stack: func(c *policy.StackCheck) { c.NotApplicable("x is unknown") }},
		&policy.Policy{Name: "stack-clean", Description: "d", Stack: func(*policy.StackCheck) {}},
		&policy.Policy{Name: "stack-broken", Description: "d", Stack: func(*policy.StackCheck) { panic("broken") }},
	)
	s, _, path := recordingServer(t, pack)
	resp, err := s.AnalyzeStack(context.Background(), stackOf(bucket("a", compliantBucket()), bucket("b", compliantBucket())))
	require.NoError(t, err)
	require.Len(t, resp.NotApplicable, 1)
	f, err := results.Read(path)
	require.NoError(t, err)
	assert.Equal(t, []string{"one-bucket", "stack-clean", "stack-broken"}, f.StackPolicies)
}
