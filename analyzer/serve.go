package analyzer

import (
	"context"
	"fmt"
	"io"
	"net"
	"os"
	"os/signal"
	"runtime"
	"runtime/debug"
	"strings"
	"syscall"
	"text/tabwriter"
	"time"

	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/status"

	"github.com/mlguard/mlguard/policy"
	"github.com/mlguard/mlguard/results"
)

// engineDialTimeout bounds the start-up check that the engine is listening.
const engineDialTimeout = 5 * time.Second

// maxMessage lets AnalyzeStack carry large stacks (gRPC's default is 4 MiB).
const maxMessage = 1 << 30

// Main runs a pack as the engine launches it and exits with Run's code.
func Main(pack *policy.Pack) { os.Exit(Run(pack, os.Args[1:], os.Stdout, os.Stderr)) }

const usage = `usage: %[1]s ENGINE_ADDRESS [.]   serve the pack to the Pulumi engine (the CLI does this)
       %[1]s --policies             list the pack's policies
       %[1]s --version              print the pack's version
`

// Run serves pack on a loopback port, printed on stdout as the engine expects.
// Launched by the language host the only argument is the engine address; an
// older launcher adds "." (the pack directory) and -option=value pairs.
func Run(pack *policy.Pack, args []string, stdout, stderr io.Writer) int {
	prog := "mlguard"
	if len(os.Args) > 0 {
		prog = os.Args[0]
	}
	if len(args) == 0 {
		fmt.Fprintf(stderr, usage, prog)
		return 2
	}
	switch args[0] {
	case "--policies", "-policies":
		if err := pack.Check(); err != nil {
			fmt.Fprintf(stderr, "%s: %v\n", prog, err)
			return 1
		}
		PrintPolicies(stdout, pack)
		return 0
	case "--version", "-version":
		fmt.Fprintln(stdout, pack.Version)
		return 0
	case "--help", "-help", "-h":
		fmt.Fprintf(stdout, usage, prog)
		return 0
	}
	engineAddr := args[0]
	for _, a := range args[1:] {
		if a != "." && !strings.HasPrefix(a, "-") {
			fmt.Fprintf(stderr, "%s: unexpected argument %q\n"+usage, prog, a, prog)
			return 2
		}
	}

	// Fail fast, rather than serve an engine that is not there.
	probe, err := net.DialTimeout("tcp", engineAddr, engineDialTimeout)
	if err != nil {
		fmt.Fprintf(stderr, "%s: cannot reach the Pulumi engine at %q: %v\n", prog, engineAddr, err)
		return 1
	}
	probe.Close()
	conn, err := grpc.NewClient(engineAddr, grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		fmt.Fprintf(stderr, "%s: engine address %q: %v\n", prog, engineAddr, err)
		return 1
	}
	defer conn.Close()

	srv, err := NewServer(pack, engineLogger{engine: pulumirpc.NewEngineClient(conn), stderr: stderr})
	if err != nil {
		fmt.Fprintf(stderr, "%s: %v\n", prog, err)
		return 1
	}
	srv.RecordResults(os.Getenv(results.Env))
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fmt.Fprintf(stderr, "%s: cannot listen: %v\n", prog, err)
		return 1
	}
	gs := grpc.NewServer(
		grpc.MaxRecvMsgSize(maxMessage),
		grpc.MaxSendMsgSize(maxMessage),
		grpc.ChainUnaryInterceptor(recoverRPC(srv.log)),
		// Workers keep their goroutines, and the stacks rules grew, between
		// calls: about 10% more sequential Analyze calls per second here.
		grpc.NumStreamWorkers(uint32(runtime.GOMAXPROCS(0))),
	)
	pulumirpc.RegisterAnalyzerServer(gs, srv)

	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	defer signal.Stop(sigs)
	go func() {
		<-sigs
		gs.Stop()
	}()

	fmt.Fprintf(stdout, "%d\n", lis.Addr().(*net.TCPAddr).Port)
	if err := gs.Serve(lis); err != nil {
		fmt.Fprintf(stderr, "%s: %v\n", prog, err)
		return 1
	}
	return 0
}

// recoverRPC keeps a panic anywhere in a handler from killing the process:
// the call fails with an Internal error and the pack keeps serving.
func recoverRPC(log Logger) grpc.UnaryServerInterceptor {
	return func(ctx context.Context, req any, info *grpc.UnaryServerInfo, handler grpc.UnaryHandler) (resp any, err error) {
		defer func() {
			if r := recover(); r != nil {
				// The panic value may hold request data; log the stack, not the value.
				log.Log(ctx, Error, "", fmt.Sprintf("internal error in %s:\n%s", info.FullMethod, debug.Stack()))
				resp, err = nil, status.Errorf(codes.Internal, "mlguard: internal error in %s", info.FullMethod)
			}
		}()
		return handler(ctx, req)
	}
}

// PrintPolicies writes the pack's policies as a table.
func PrintPolicies(w io.Writer, pack *policy.Pack) {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "%s %s: %d policies\n\n", pack.Name, pack.Version, len(pack.Policies))
	fmt.Fprintln(tw, "POLICY\tLEVEL\tSEVERITY\tKIND\tDESCRIPTION")
	for _, p := range pack.Policies {
		kind := "resource"
		if p.Stack != nil {
			kind = "stack"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", p.Name, pack.Level(p), p.Severity, kind, p.Description)
	}
	tw.Flush()
}
