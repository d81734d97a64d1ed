package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/mlguard/mlguard/results"
)

// location is a place in the repository: a slash-separated path relative to
// the repository root, and a 1-based line (and column, 0 if unknown).
type location struct {
	File         string
	Line, Column int
}

func (l location) String() string { return fmt.Sprintf("%s:%d", l.File, l.Line) }

// locator resolves the engine's source positions. The engine writes them
// relative to the project directory (the one holding Pulumi.yaml) as
// project:///REL#LINE[,COLUMN], whatever the program's language; the SDKs
// send file:///ABS#... and the engine converts, so both are read.
type locator struct {
	projectDir, repoRoot string // absolute
}

func newLocator(projectDir, repoRoot string) (locator, error) {
	pd, err := filepath.Abs(projectDir)
	if err != nil {
		return locator{}, err
	}
	if repoRoot == "" {
		repoRoot = gitTopLevel(pd)
	}
	rr, err := filepath.Abs(repoRoot)
	if err != nil {
		return locator{}, err
	}
	return locator{projectDir: pd, repoRoot: rr}, nil
}

// gitTopLevel is the nearest directory at or above dir holding .git (a
// directory, or a file in a worktree), else the working directory.
func gitTopLevel(dir string) string {
	for d := dir; ; d = filepath.Dir(d) {
		if _, err := os.Stat(filepath.Join(d, ".git")); err == nil {
			return d
		}
		if filepath.Dir(d) == d {
			break
		}
	}
	wd, _ := os.Getwd()
	return wd
}

// resolve turns a sourcePosition into a location in the repository; a
// position it cannot use gets a reason instead.
func (l locator) resolve(pos string) (*location, string) {
	u, err := url.Parse(pos)
	if err != nil {
		return nil, fmt.Sprintf("source position %q: %v", pos, err)
	}
	var abs string
	switch u.Scheme {
	case "project":
		abs = filepath.Join(l.projectDir, filepath.FromSlash(strings.TrimPrefix(u.Path, "/")))
	case "file":
		abs = filepath.Clean(filepath.FromSlash(u.Path))
	default:
		return nil, fmt.Sprintf("source position %q: scheme %q is neither project nor file", pos, u.Scheme)
	}
	lineCol := strings.SplitN(u.Fragment, ",", 2)
	line, err := strconv.Atoi(lineCol[0])
	if err != nil || line < 1 {
		return nil, fmt.Sprintf("source position %q: no line number", pos)
	}
	col := 0
	if len(lineCol) == 2 {
		if col, err = strconv.Atoi(lineCol[1]); err != nil || col < 0 {
			return nil, fmt.Sprintf("source position %q: column %q is not a number", pos, lineCol[1])
		}
	}
	rel, err := filepath.Rel(l.repoRoot, abs)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) || filepath.IsAbs(rel) {
		return nil, fmt.Sprintf("%s is outside the repository root %s", abs, l.repoRoot)
	}
	return &location{File: filepath.ToSlash(rel), Line: line, Column: col}, ""
}

// previewDigest is the part of `pulumi preview --json` a report reads: each
// step's URN and the source position of the resource's registration.
type previewDigest struct {
	Steps         *[]previewStep  `json:"steps"`
	ChangeSummary json.RawMessage `json:"changeSummary"`
}

type previewStep struct {
	URN      string         `json:"urn"`
	NewState *resourceState `json:"newState"`
	OldState *resourceState `json:"oldState"`
}

type resourceState struct {
	SourcePosition string `json:"sourcePosition"`
}

// readPreview reads the positions of a preview of stack want, by URN.
func readPreview(path string, want stackID) (map[string]string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var d previewDigest
	dec := json.NewDecoder(bytes.NewReader(b))
	if err := dec.Decode(&d); err != nil {
		return nil, fmt.Errorf("%s: not the output of `pulumi preview --json`: %w", path, results.DecodeError(b, err))
	}
	if dec.More() {
		return nil, fmt.Errorf("%s:%d: not the output of `pulumi preview --json`: more after the JSON document", path, results.LineAt(b, dec.InputOffset()))
	}
	if d.Steps == nil && d.ChangeSummary == nil {
		// The CLI omits empty steps, never the change summary.
		return nil, fmt.Errorf("%s: not the output of `pulumi preview --json`: no steps and no changeSummary", path)
	}
	var steps []previewStep
	if d.Steps != nil {
		steps = *d.Steps
	}
	out := make(map[string]string, len(steps))
	for i, s := range steps {
		id, _, _, ok := parseURN(s.URN)
		if !ok {
			return nil, fmt.Errorf("%s:%d: step %d: %q is not a resource URN", path, lineOf(b, s.URN), i+1, s.URN)
		}
		if id != want {
			return nil, fmt.Errorf("%s:%d: a preview of %s, not of %s (step %d: %s)", path, lineOf(b, s.URN), id, want, i+1, s.URN)
		}
		switch {
		case s.NewState != nil && s.NewState.SourcePosition != "":
			out[s.URN] = s.NewState.SourcePosition
		case s.OldState != nil && s.OldState.SourcePosition != "":
			out[s.URN] = s.OldState.SourcePosition
		}
	}
	return out, nil
}

// lineOf is the line where the JSON string s first appears in b, or 0.
func lineOf(b []byte, s string) int {
	quoted, _ := json.Marshal(s)
	i := bytes.Index(b, quoted)
	if i < 0 {
		return 0
	}
	return results.LineAt(b, int64(i))
}
