package analyzer_test

// Run in this process, as the built binary runs it (binary_test.go drives
// the binary itself): the command line, the start-up checks, and serving
// until a signal.

import (
	"bufio"
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/protobuf/types/known/emptypb"

	"github.com/mlguard/mlguard/analyzer"
	"github.com/mlguard/mlguard/analyzer/analyzertest"
	"github.com/mlguard/mlguard/analyzer/internal/testpack"
	"github.com/mlguard/mlguard/policy"
	pt "github.com/mlguard/mlguard/policy/policytest"
	"github.com/mlguard/mlguard/results"
)

// syncBuffer is a bytes.Buffer that handlers may write to while a test reads.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func run(pack *policy.Pack, args ...string) (code int, stdout, stderr string) {
	var out, errOut bytes.Buffer
	code = analyzer.Run(pack, args, &out, &errOut)
	return code, out.String(), errOut.String()
}

func TestRunCommandLine(t *testing.T) {
	usage := "usage: " + os.Args[0] + " ENGINE_ADDRESS [.]"
	for _, tc := range []struct {
		name   string
		args   []string
		code   int
		stdout []string // each must be in stdout; none means stdout is empty
		stderr []string // likewise
	}{
		{"no arguments", nil, 2, nil, []string{usage, "--policies", "--version"}},
		{"the version", []string{"--version"}, 0, []string{"1.2.3\n"}, nil},
		{"the version, one dash", []string{"-version"}, 0, []string{"1.2.3\n"}, nil},
		{"help", []string{"--help"}, 0, []string{usage}, nil},
		{"help, one dash", []string{"-help"}, 0, []string{usage}, nil},
		{"help, short", []string{"-h"}, 0, []string{usage}, nil},
		{"a stray argument", []string{"127.0.0.1:1", ".", "stray"}, 2, nil,
			[]string{`: unexpected argument "stray"`, usage}},
		{"no engine at the address", []string{"127.0.0.1:1"}, 1, nil,
			[]string{`: cannot reach the Pulumi engine at "127.0.0.1:1"`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, stdout, stderr := run(testpack.Pack(), tc.args...)
			assert.Equal(t, tc.code, code)
			for _, want := range tc.stdout {
				assert.Contains(t, stdout, want)
			}
			if tc.stdout == nil {
				assert.Empty(t, stdout)
			}
			for _, want := range tc.stderr {
				assert.Contains(t, stderr, want)
			}
			if tc.stderr == nil {
				assert.Empty(t, stderr)
			}
		})
	}
}

// Without an argv[0] (a launcher may exec with none), the usage names mlguard.
func TestRunUsageWithoutProgramName(t *testing.T) {
	saved := os.Args
	os.Args = nil
	defer func() { os.Args = saved }()
	code, _, stderr := run(testpack.Pack())
	assert.Equal(t, 2, code)
	assert.True(t, strings.HasPrefix(stderr, "usage: mlguard ENGINE_ADDRESS"), stderr)
}

func TestRunPolicies(t *testing.T) {
	for _, flag := range []string{"--policies", "-policies"} {
		code, stdout, stderr := run(testpack.Pack(), flag)
		assert.Equal(t, 0, code)
		assert.Empty(t, stderr)
		lines := strings.Split(strings.TrimSpace(stdout), "\n")
		require.Len(t, lines, 9, stdout) // title, blank, header, six policies
		assert.Equal(t, "testpack 1.2.3: 6 policies", lines[0])
		assert.Equal(t, []string{"POLICY", "LEVEL", "SEVERITY", "KIND", "DESCRIPTION"}, strings.Fields(lines[2]))
		assert.Equal(t, []string{"versioned", "mandatory", "high", "resource", "buckets", "are", "versioned"}, strings.Fields(lines[3]))
		assert.Equal(t, []string{"named", "advisory", "low", "resource"}, strings.Fields(lines[4])[:4], "the pack's level")
		assert.Equal(t, []string{"one-bucket", "advisory", "medium", "stack"}, strings.Fields(lines[8])[:4])
	}
}

func TestRunPoliciesOfABrokenPack(t *testing.T) {
	pack := testpack.Pack()
	pack.Policies[0].Description = ""
	code, stdout, stderr := run(pack, "--policies")
	assert.Equal(t, 1, code)
	assert.Empty(t, stdout)
	assert.Contains(t, stderr, `: policy "versioned" has no description`)
}

func TestRunRefusesABrokenPack(t *testing.T) {
	pack := testpack.Pack()
	pack.Name = "Test Pack"
	engine := analyzertest.StartEngine(t)
	code, stdout, stderr := run(pack, engine.Addr)
	assert.Equal(t, 1, code)
	assert.Empty(t, stdout, "no port: the engine must not connect")
	assert.Contains(t, stderr, `pack name "Test Pack" must be kebab-case`)
}

// serving is Run serving in this process until stop sends it a signal.
type serving struct {
	client pulumirpc.AnalyzerClient
	stderr *syncBuffer
	done   chan int
}

func serve(t *testing.T, args ...string) *serving {
	t.Helper()
	pr, pw := io.Pipe()
	s := &serving{stderr: &syncBuffer{}, done: make(chan int, 1)}
	go func() {
		s.done <- analyzer.Run(testpack.Pack(), args, pw, s.stderr)
		pw.Close()
	}()
	line, err := bufio.NewReader(pr).ReadString('\n')
	require.NoError(t, err, "stderr: %s", s.stderr)
	port, err := strconv.Atoi(strings.TrimSuffix(line, "\n"))
	require.NoError(t, err, "the first line is the port: %q", line)
	go io.Copy(io.Discard, pr) //nolint:errcheck // nothing more is written; keeps Run from blocking if it were
	conn, err := grpc.NewClient("127.0.0.1:"+strconv.Itoa(port), grpc.WithTransportCredentials(insecure.NewCredentials()))
	require.NoError(t, err)
	t.Cleanup(func() { conn.Close() })
	s.client = pulumirpc.NewAnalyzerClient(conn)
	return s
}

// stop signals the process as the engine does on exit, and returns Run's code.
func (s *serving) stop(t *testing.T, sig syscall.Signal) int {
	t.Helper()
	require.NoError(t, syscall.Kill(syscall.Getpid(), sig))
	select {
	case code := <-s.done:
		return code
	case <-time.After(20 * time.Second):
		require.FailNow(t, "Run did not return after the signal")
		return -1
	}
}

func TestRunServesUntilSignalled(t *testing.T) {
	for _, sig := range []syscall.Signal{syscall.SIGTERM, syscall.SIGINT} {
		t.Run(sig.String(), func(t *testing.T) {
			engine := analyzertest.StartEngine(t)
			s := serve(t, engine.Addr, ".", "-binary=pack")
			_, err := s.client.Handshake(ctx(t), &pulumirpc.AnalyzerHandshakeRequest{EngineAddress: engine.Addr})
			require.NoError(t, err)
			info, err := s.client.GetPluginInfo(ctx(t), &emptypb.Empty{})
			require.NoError(t, err)
			assert.Equal(t, "1.2.3", info.Version)
			assert.Equal(t, 0, s.stop(t, sig), "stderr: %s", s.stderr)
			assert.Empty(t, s.stderr.String())
		})
	}
}

// A rule that panics is logged through the engine's Log RPC, and the pack
// writes the results file that the environment names.
func TestRunLogsThroughTheEngineAndRecordsResults(t *testing.T) {
	path := filepath.Join(t.TempDir(), "results.json")
	t.Setenv(results.Env, path)
	engine := analyzertest.StartEngine(t)
	s := serve(t, engine.Addr)
	c := ctx(t)
	_, err := s.client.ConfigureStack(c, &pulumirpc.AnalyzerStackConfigureRequest{Stack: "dev", Project: "p", DryRun: true})
	require.NoError(t, err)
	resp, err := s.client.Analyze(c, bucketReq("b", pt.With(good(), "name", "boom")))
	require.NoError(t, err)
	assert.Contains(t, diagnostics(resp), "faulty")
	_, err = s.client.AnalyzeStack(c, &pulumirpc.AnalyzeStackRequest{})
	require.NoError(t, err)
	assert.Equal(t, 0, s.stop(t, syscall.SIGTERM))

	logged := strings.Join(engine.Lines(), "\n")
	assert.Contains(t, logged, "ERROR ", "logged at error severity")
	assert.Contains(t, logged, "faulty")
	f, err := results.Read(path)
	require.NoError(t, err)
	assert.Equal(t, "dev", f.Stack.Name)
	require.NotEmpty(t, f.Diagnostics)
}
