package analyzer_test

// These tests build the test pack's binary and drive it over gRPC the way the
// Pulumi engine does: launch with the engine address, read the port from
// stdout, then call the Analyzer service.

import (
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/types/known/emptypb"

	"github.com/mlguard/mlguard/analyzer/analyzertest"
	"github.com/mlguard/mlguard/analyzer/internal/testpack"
	pt "github.com/mlguard/mlguard/policy/policytest"
)

var packBinary string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "mlguard-testpack")
	if err != nil {
		panic(err)
	}
	packBinary = filepath.Join(dir, "testpack")
	if err := analyzertest.Build(".", "./internal/testpack/cmd/testpack", packBinary, raceEnabled); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

func ctx(t *testing.T) context.Context {
	c, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	t.Cleanup(cancel)
	return c
}

func bucketReq(name string, props map[string]any) *pulumirpc.AnalyzeRequest {
	return &pulumirpc.AnalyzeRequest{
		Type: testpack.Bucket, Name: name, Urn: "urn:pulumi:dev::p::" + testpack.Bucket + "::" + name,
		Properties: pt.Props(props),
	}
}

func good() map[string]any {
	return map[string]any{"name": "data", "versioned": true, "tags": map[string]any{"owner": "ml"}}
}

func diagnostics(resp *pulumirpc.AnalyzeResponse) map[string]*pulumirpc.AnalyzeDiagnostic {
	out := map[string]*pulumirpc.AnalyzeDiagnostic{}
	for _, d := range resp.GetDiagnostics() {
		out[d.PolicyName] = d
	}
	return out
}

func TestBinaryArgumentForms(t *testing.T) {
	for _, tc := range []struct {
		name string
		args func(addr string) []string
	}{
		{"language host: address only", func(a string) []string { return []string{a} }},
		{"older launcher: address and dot", func(a string) []string { return []string{a, "."} }},
		{"older launcher with runtime options", func(a string) []string { return []string{a, ".", "-binary=pack"} }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			addr := analyzertest.StartEngine(t).Addr
			client := analyzertest.LaunchT(t, packBinary, tc.args(addr)...).Client
			info, err := client.GetAnalyzerInfo(ctx(t), &emptypb.Empty{})
			require.NoError(t, err)
			assert.Equal(t, "testpack", info.Name)
			assert.Len(t, info.Policies, 6)
		})
	}
}

// `pulumi policy publish` asks for the pack's metadata with no ConfigureStack.
func TestBinaryPublishOrder(t *testing.T) {
	addr := analyzertest.StartEngine(t).Addr
	client := analyzertest.LaunchT(t, packBinary, addr).Client
	c := ctx(t)
	_, err := client.Handshake(c, &pulumirpc.AnalyzerHandshakeRequest{EngineAddress: addr})
	require.NoError(t, err)
	info, err := client.GetAnalyzerInfo(c, &emptypb.Empty{})
	require.NoError(t, err)
	assert.True(t, info.SupportsConfig)
	assert.Equal(t, "1.2.3", info.Version)
	plugin, err := client.GetPluginInfo(c, &emptypb.Empty{})
	require.NoError(t, err)
	assert.Equal(t, "1.2.3", plugin.Version)
}

// The whole preview sequence, in the engine's order.
func TestBinaryPreviewSequence(t *testing.T) {
	engine := analyzertest.StartEngine(t)
	addr := engine.Addr
	client := analyzertest.LaunchT(t, packBinary, addr).Client
	c := ctx(t)
	_, err := client.Handshake(c, &pulumirpc.AnalyzerHandshakeRequest{EngineAddress: addr})
	require.NoError(t, err)
	_, err = client.ConfigureStack(c, &pulumirpc.AnalyzerStackConfigureRequest{Stack: "dev", Project: "p", DryRun: true})
	require.NoError(t, err)
	_, err = client.GetPluginInfo(c, &emptypb.Empty{})
	require.NoError(t, err)
	_, err = client.GetAnalyzerInfo(c, &emptypb.Empty{})
	require.NoError(t, err)
	_, err = client.Configure(c, &pulumirpc.ConfigureAnalyzerRequest{PolicyConfig: map[string]*pulumirpc.PolicyConfig{
		"named":     {EnforcementLevel: pulumirpc.EnforcementLevel_MANDATORY, Properties: pt.Props(map[string]any{"pattern": "^[a-z]+$"})},
		"versioned": {EnforcementLevel: pulumirpc.EnforcementLevel_ADVISORY},
		"faulty":    {EnforcementLevel: pulumirpc.EnforcementLevel_MANDATORY},
	}})
	require.NoError(t, err)

	// Remediate then Analyze, as the engine does per resource.
	untagged := pt.Without(good(), "tags")
	rem, err := client.Remediate(c, bucketReq("a", untagged))
	require.NoError(t, err)
	require.Len(t, rem.Remediations, 1)
	fixed := rem.Remediations[0].Properties
	resp, err := client.Analyze(c, &pulumirpc.AnalyzeRequest{Type: testpack.Bucket, Name: "a", Urn: "urn:a", Properties: fixed})
	require.NoError(t, err)
	assert.Empty(t, resp.Diagnostics, "the remediated bucket is clean")

	// Precedence: the config's levels, not the policies' defaults.
	resp, err = client.Analyze(c, bucketReq("b", pt.With(pt.With(good(), "versioned", false), "name", "B")))
	require.NoError(t, err)
	d := diagnostics(resp)
	require.Contains(t, d, "versioned")
	require.Contains(t, d, "named")
	assert.Equal(t, pulumirpc.EnforcementLevel_ADVISORY, d["versioned"].EnforcementLevel)
	assert.Equal(t, pulumirpc.EnforcementLevel_MANDATORY, d["named"].EnforcementLevel)
	assert.NotContains(t, d, "never", "a disabled policy never runs")

	// Unknown at preview: not applicable, no violation, no error.
	resp, err = client.Analyze(c, bucketReq("c", pt.With(good(), "versioned", pt.Unknown)))
	require.NoError(t, err)
	assert.Empty(t, resp.Diagnostics)
	require.Len(t, resp.NotApplicable, 1)
	assert.Equal(t, "versioned", resp.NotApplicable[0].PolicyName)

	// A panicking rule: a diagnostic for it alone; the process survives.
	resp, err = client.Analyze(c, bucketReq("d", pt.With(pt.With(good(), "name", "boom"), "versioned", false)))
	require.NoError(t, err)
	d = diagnostics(resp)
	require.Contains(t, d, "faulty")
	assert.Contains(t, d["faulty"].Message, "could not decide")
	assert.Contains(t, d, "versioned")

	stack, err := client.AnalyzeStack(c, &pulumirpc.AnalyzeStackRequest{Resources: []*pulumirpc.AnalyzerResource{
		{Type: testpack.Bucket, Urn: "urn:a", Name: "a"}, {Type: testpack.Bucket, Urn: "urn:b", Name: "b"},
	}})
	require.NoError(t, err)
	require.Len(t, stack.Diagnostics, 1)
	assert.Equal(t, "urn:b", stack.Diagnostics[0].Urn)

	_, err = client.Cancel(c, &emptypb.Empty{})
	require.NoError(t, err)

	logs := engine.Lines()
	require.NotEmpty(t, logs, "the panic is logged through the engine")
	assert.Contains(t, strings.Join(logs, "\n"), `policy "faulty" failed`)
}

func TestBinaryInvalidConfigError(t *testing.T) {
	addr := analyzertest.StartEngine(t).Addr
	client := analyzertest.LaunchT(t, packBinary, addr).Client
	c := ctx(t)
	_, err := client.Configure(c, &pulumirpc.ConfigureAnalyzerRequest{PolicyConfig: map[string]*pulumirpc.PolicyConfig{
		"named": {Properties: pt.Props(map[string]any{"maxItems": "three"})},
	}})
	require.Error(t, err)
	assert.Equal(t, codes.InvalidArgument, status.Code(err))
	assert.Contains(t, status.Convert(err).Message(), `policy "named": field "maxItems": must be integer, got string`)
	// The pack keeps serving.
	_, err = client.GetAnalyzerInfo(c, &emptypb.Empty{})
	require.NoError(t, err)
}

func TestBinaryNoSecretInAnyMessage(t *testing.T) {
	const secretValue = "S3cret_Value_Never_Shown"
	engine := analyzertest.StartEngine(t)
	addr := engine.Addr
	client := analyzertest.LaunchT(t, packBinary, addr).Client
	c := ctx(t)
	props := map[string]any{"name": pt.Secret(secretValue), "versioned": pt.Secret("no"), "tags": pt.Secret(map[string]any{})}
	var texts []string
	resp, err := client.Analyze(c, bucketReq("s", props))
	require.NoError(t, err)
	require.NotEmpty(t, resp.Diagnostics, "the rules still see and judge secret values")
	for _, d := range resp.Diagnostics {
		texts = append(texts, d.Message)
	}
	resp, err = client.Analyze(c, bucketReq("s", pt.With(props, "name", pt.Secret("boom-secret"))))
	require.NoError(t, err)
	for _, d := range resp.Diagnostics {
		texts = append(texts, d.Message)
	}
	rem, err := client.Remediate(c, bucketReq("s", props))
	require.NoError(t, err)
	for _, r := range rem.Remediations {
		texts = append(texts, r.Diagnostic)
	}
	texts = append(texts, engine.Lines()...)
	for _, text := range texts {
		assert.NotContains(t, text, secretValue)
		assert.NotContains(t, text, "boom-secret")
	}
}

func TestBinaryConcurrentAnalyze(t *testing.T) {
	addr := analyzertest.StartEngine(t).Addr
	client := analyzertest.LaunchT(t, packBinary, addr).Client
	c := ctx(t)
	var wg sync.WaitGroup
	errs := make(chan error, 64)
	for i := range 64 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			props := good()
			if i%2 == 0 {
				props = pt.With(props, "versioned", false)
			}
			resp, err := client.Analyze(c, bucketReq(fmt.Sprint("b", i), props))
			if err == nil && (i%2 == 0) != (diagnostics(resp)["versioned"] != nil) {
				err = fmt.Errorf("call %d: wrong verdict %v", i, resp.Diagnostics)
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

func TestBinaryUnreachableEngineExitsNonZero(t *testing.T) {
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := lis.Addr().String()
	lis.Close() // nothing listens there now
	start := time.Now()
	out, err := exec.Command(packBinary, addr).CombinedOutput()
	var exit *exec.ExitError
	require.ErrorAs(t, err, &exit)
	assert.Equal(t, 1, exit.ExitCode())
	assert.Contains(t, string(out), "cannot reach the Pulumi engine at")
	assert.Less(t, time.Since(start), 10*time.Second)
}

func TestBinaryUsage(t *testing.T) {
	for _, tc := range []struct {
		args []string
		code int
		want string
	}{
		{nil, 2, "usage:"},
		{[]string{"127.0.0.1:1", "extra"}, 2, `unexpected argument "extra"`},
		{[]string{"--policies"}, 0, "versioned"},
		{[]string{"--version"}, 0, "1.2.3"},
	} {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			out, err := exec.Command(packBinary, tc.args...).CombinedOutput()
			code := 0
			if exit, ok := err.(*exec.ExitError); ok {
				code = exit.ExitCode()
			} else {
				require.NoError(t, err)
			}
			assert.Equal(t, tc.code, code)
			assert.Contains(t, string(out), tc.want)
		})
	}
}
