package analyzertest

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
)

// script writes an executable shell script standing in for a pack binary.
func script(t *testing.T, body string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "pack")
	require.NoError(t, os.WriteFile(path, []byte("#!/bin/sh\n"+body+"\n"), 0o755))
	return path
}

func TestLaunchReadsThePort(t *testing.T) {
	dir := t.TempDir()
	var stderr bytes.Buffer
	p, err := LaunchIn(dir, script(t, `pwd >&2; echo "$@" >&2; echo " 4242 "; exec sleep 30`), &stderr, "addr", ".")
	require.NoError(t, err)
	assert.NotNil(t, p.Client)
	p.Close()
	assert.Equal(t, dir+"\naddr .\n", stderr.String(), "run in dir, with the arguments")
}

func TestLaunchFailures(t *testing.T) {
	for _, tc := range []struct{ name, body, want string }{
		{"no port", `exit 0`, "reading the pack's port: EOF"},
		{"not a port", `echo listening; exec sleep 30`, `the pack's first line "listening\n" is not a port`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Launch(script(t, tc.body), nil)
			assert.EqualError(t, err, tc.want)
		})
	}
	_, err := Launch(filepath.Join(t.TempDir(), "missing"), nil)
	assert.ErrorIs(t, err, os.ErrNotExist)
}

func TestLaunchT(t *testing.T) {
	p := LaunchT(t, script(t, `echo 4242; exec sleep 30`))
	assert.NotNil(t, p.Cmd.Process)
}

func TestEngineRecordsLogLines(t *testing.T) {
	e := StartEngine(t)
	conn, err := grpc.NewClient(e.Addr, grpc.WithTransportCredentials(insecure.NewCredentials()))
	require.NoError(t, err)
	defer conn.Close()
	engine := pulumirpc.NewEngineClient(conn)
	for _, msg := range []string{"first", "second"} {
		_, err := engine.Log(context.Background(), &pulumirpc.LogRequest{Severity: pulumirpc.LogSeverity_WARNING, Message: msg})
		require.NoError(t, err)
	}
	lines := e.Lines()
	assert.Equal(t, []string{"WARNING first", "WARNING second"}, lines)
	lines[0] = "changed"
	assert.Equal(t, "WARNING first", e.Lines()[0], "Lines returns a copy")
}

func TestBuild(t *testing.T) {
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module example.com/p\n\ngo 1.22\n"), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "main.go"), []byte("package main\n\nfunc main() {}\n"), 0o644))
	out := filepath.Join(t.TempDir(), "p")
	require.NoError(t, Build(dir, ".", out, false))
	assert.FileExists(t, out)

	err := Build(dir, "./missing", out, false)
	require.Error(t, err)
	assert.True(t, strings.HasPrefix(err.Error(), "go build ./missing: exit status 1\n"), err.Error())
}

func TestLogRecorder(t *testing.T) {
	var l LogRecorder
	l.Log(context.Background(), pulumirpc.LogSeverity_ERROR, "urn:a", "broken")
	assert.Equal(t, []string{"ERROR urn:a broken"}, l.Take())
	assert.Empty(t, l.Take(), "taken lines are forgotten")
}
