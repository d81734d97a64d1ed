// Package analyzertest launches a built policy pack the way the Pulumi
// engine does — engine address as argument, port read from stdout — and
// gives tests and benchmarks a client to it and a fake engine to log to.
package analyzertest

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"testing"

	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/protobuf/types/known/emptypb"
)

// Build compiles a main package (e.g. "." or "./cmd/x") to out, with -race
// when race is set. dir is the module directory to build in.
func Build(dir, pkg, out string, race bool) error {
	args := []string{"build", "-o", out}
	if race {
		args = append(args, "-race")
	}
	cmd := exec.Command("go", append(args, pkg)...)
	cmd.Dir = dir
	if b, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("go build %s: %v\n%s", pkg, err, b)
	}
	return nil
}

// Engine is a fake engine: it records what the pack logs through Log.
type Engine struct {
	pulumirpc.UnimplementedEngineServer
	Addr string
	mu   sync.Mutex
	logs []string
}

func (e *Engine) Log(_ context.Context, req *pulumirpc.LogRequest) (*emptypb.Empty, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.logs = append(e.logs, req.Severity.String()+" "+req.Message)
	return &emptypb.Empty{}, nil
}

// Lines returns what was logged so far.
func (e *Engine) Lines() []string {
	e.mu.Lock()
	defer e.mu.Unlock()
	return append([]string(nil), e.logs...)
}

// NewEngine serves a fake engine on loopback until stop is called.
func NewEngine() (e *Engine, stop func(), err error) {
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, nil, err
	}
	e = &Engine{Addr: lis.Addr().String()}
	gs := grpc.NewServer()
	pulumirpc.RegisterEngineServer(gs, e)
	go gs.Serve(lis) //nolint:errcheck // ends with Stop
	return e, gs.Stop, nil
}

// StartEngine serves a fake engine on loopback until the test ends.
func StartEngine(tb testing.TB) *Engine {
	tb.Helper()
	e, stop, err := NewEngine()
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(stop)
	return e
}

// Pack is a running pack process and a client to it.
type Pack struct {
	Client pulumirpc.AnalyzerClient
	Cmd    *exec.Cmd
	conn   *grpc.ClientConn
}

// Close stops the pack.
func (p *Pack) Close() {
	p.conn.Close()
	_ = p.Cmd.Process.Kill()
	_ = p.Cmd.Wait()
}

// Launch starts bin with args, reads its port and connects. The pack's stderr
// goes to stderr (nil: discarded).
func Launch(bin string, stderr io.Writer, args ...string) (*Pack, error) {
	return LaunchIn("", bin, stderr, args...)
}

// LaunchIn is Launch in working directory dir, where the engine starts a
// pack that needs it (a Node pack runs from its own directory).
func LaunchIn(dir, bin string, stderr io.Writer, args ...string) (*Pack, error) {
	cmd := exec.Command(bin, args...)
	cmd.Dir = dir
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	cmd.Stderr = stderr
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	fail := func(err error) (*Pack, error) {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		return nil, err
	}
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil {
		return fail(fmt.Errorf("reading the pack's port: %w", err))
	}
	port, err := strconv.Atoi(strings.TrimSpace(line))
	if err != nil {
		return fail(fmt.Errorf("the pack's first line %q is not a port", line))
	}
	conn, err := grpc.NewClient(fmt.Sprintf("127.0.0.1:%d", port),
		grpc.WithTransportCredentials(insecure.NewCredentials()),
		grpc.WithDefaultCallOptions(grpc.MaxCallRecvMsgSize(1<<30), grpc.MaxCallSendMsgSize(1<<30)))
	if err != nil {
		return fail(err)
	}
	return &Pack{Client: pulumirpc.NewAnalyzerClient(conn), Cmd: cmd, conn: conn}, nil
}

// LaunchT is Launch for a test: it fails the test on error and stops the
// pack when the test ends.
func LaunchT(tb testing.TB, bin string, args ...string) *Pack {
	tb.Helper()
	p, err := Launch(bin, os.Stderr, args...)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(p.Close)
	return p
}
