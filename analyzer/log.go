package analyzer

import (
	"context"
	"fmt"
	"io"

	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
)

// Severity of a log line, as the engine's Log RPC takes it.
type Severity = pulumirpc.LogSeverity

const (
	Debug   = pulumirpc.LogSeverity_DEBUG
	Info    = pulumirpc.LogSeverity_INFO
	Warning = pulumirpc.LogSeverity_WARNING
	Error   = pulumirpc.LogSeverity_ERROR
)

// Logger sends a line to the user. Callers scrub secrets before logging.
type Logger interface {
	Log(ctx context.Context, sev Severity, urn, msg string)
}

type discardLogger struct{}

func (discardLogger) Log(context.Context, Severity, string, string) {}

// engineLogger logs through the engine's Log RPC, so lines show in the CLI's
// output beside the resource they concern; stderr if the engine is gone.
type engineLogger struct {
	engine pulumirpc.EngineClient
	stderr io.Writer
}

func (l engineLogger) Log(ctx context.Context, sev Severity, urn, msg string) {
	_, err := l.engine.Log(context.WithoutCancel(ctx), &pulumirpc.LogRequest{Severity: sev, Message: msg, Urn: urn})
	if err != nil {
		fmt.Fprintf(l.stderr, "%s: %s (engine log unavailable: %v)\n", sev, msg, err)
	}
}
