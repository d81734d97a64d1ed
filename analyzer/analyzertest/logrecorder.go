package analyzertest

import (
	"context"
	"fmt"
	"sync"

	"github.com/mlguard/mlguard/analyzer"
)

// LogRecorder is an analyzer.Logger that keeps what the pack logs, safe for
// concurrent calls, so tests can check every line (for secrets, say).
type LogRecorder struct {
	mu    sync.Mutex
	lines []string
}

// Log records one line as "<severity> <urn> <message>".
func (l *LogRecorder) Log(_ context.Context, sev analyzer.Severity, urn, msg string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.lines = append(l.lines, fmt.Sprintf("%s %s %s", sev, urn, msg))
}

// Take returns the lines logged since the last Take and forgets them.
func (l *LogRecorder) Take() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	out := l.lines
	l.lines = nil
	return out
}
