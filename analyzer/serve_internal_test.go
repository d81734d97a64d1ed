package analyzer

import (
	"bytes"
	"context"
	"testing"

	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/status"
)

// A handler's panic fails that call with Internal and logs the stack, never
// the panic's value (it may hold request data).
func TestRecoverRPC(t *testing.T) {
	log := &recordingLogger{}
	intercept := recoverRPC(log)
	info := &grpc.UnaryServerInfo{FullMethod: "/pulumirpc.Analyzer/Analyze"}

	resp, err := intercept(context.Background(), "req", info, func(context.Context, any) (any, error) {
		panic("hunter22")
	})
	assert.Nil(t, resp)
	assert.Equal(t, codes.Internal, status.Code(err))
	assert.Equal(t, "mlguard: internal error in /pulumirpc.Analyzer/Analyze", status.Convert(err).Message())
	require.Len(t, log.lines, 1)
	assert.Contains(t, log.lines[0], "ERROR  internal error in /pulumirpc.Analyzer/Analyze:\ngoroutine ")
	assert.NotContains(t, log.lines[0], "hunter22")

	resp, err = intercept(context.Background(), "req", info, func(_ context.Context, req any) (any, error) {
		return req.(string) + " answered", nil
	})
	assert.NoError(t, err)
	assert.Equal(t, "req answered", resp)
	assert.Len(t, log.lines, 1, "a call that does not panic logs nothing")
}

// With the engine gone, a line goes to stderr with why it did not reach the engine.
func TestEngineLoggerFallsBackToStderr(t *testing.T) {
	conn, err := grpc.NewClient("127.0.0.1:1", grpc.WithTransportCredentials(insecure.NewCredentials()))
	require.NoError(t, err)
	defer conn.Close()
	var stderr bytes.Buffer
	engineLogger{engine: pulumirpc.NewEngineClient(conn), stderr: &stderr}.Log(context.Background(), Warning, "urn:a", "a line")
	assert.Contains(t, stderr.String(), "WARNING: a line (engine log unavailable: ")
}
