// Package results is the file the pack writes when MLGUARD_RESULTS names one:
// every diagnostic of a run, the policies that ran on each resource and the
// pack's own policy metadata, so that a report (cmd/mlguard-report) needs
// nothing else. It uses only the standard library: the pack imports it, and
// so does the report, which must not pull in the pack's dependencies.
package results

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// Format and Version identify the file; a reader refuses any other.
const (
	Format  = "mlguard-results"
	Version = 1
)

// Env is the environment variable naming the file.
const Env = "MLGUARD_RESULTS"

// File is one run of the pack: a preview's or an update's analysis, written
// whole after the stack analysis that ends the run.
type File struct {
	Format  string `json:"format"`
	Version int    `json:"version"`
	Pack    Pack   `json:"pack"`
	Stack   Stack  `json:"stack"`
	// Policies is the pack's metadata, in pack order, with the level each
	// policy was configured at for this run.
	Policies []Policy `json:"policies"`
	// Resources lists each resource analyzed, with the resource policies that
	// ran on it: enabled, applicable and decided (violated or passed).
	Resources []Resource `json:"resources"`
	// StackPolicies are the stack policies that ran over the whole stack.
	StackPolicies []string     `json:"stackPolicies"`
	Diagnostics   []Diagnostic `json:"diagnostics"`
}

type Pack struct {
	Name    string `json:"name"`
	Version string `json:"version"`
}

// Stack is what the engine's ConfigureStack said about the run.
type Stack struct {
	Name         string `json:"name"`
	Project      string `json:"project"`
	Organization string `json:"organization,omitempty"`
	DryRun       bool   `json:"dryRun"`
}

type Policy struct {
	Name        string `json:"name"`
	DisplayName string `json:"displayName,omitempty"`
	Description string `json:"description"`
	Kind        string `json:"kind"`  // "resource" or "stack"
	Level       string `json:"level"` // advisory, mandatory, remediate or disabled
	Severity    string `json:"severity"`
	Remediation string `json:"remediation,omitempty"`
	URL         string `json:"url,omitempty"`
}

type Resource struct {
	URN      string   `json:"urn"`
	Type     string   `json:"type"`
	Policies []string `json:"policies"`
}

// Diagnostic is one violation as the engine received it, its message already
// scrubbed of the resource's secrets.
type Diagnostic struct {
	URN         string `json:"urn,omitempty"` // empty for a stack rule that failed
	Type        string `json:"type,omitempty"`
	Policy      string `json:"policy"`
	Pack        string `json:"pack"`
	PackVersion string `json:"packVersion"`
	Level       string `json:"level"` // advisory or mandatory, as reported
	Severity    string `json:"severity"`
	Message     string `json:"message"`
	// Exemption is set when an exemption turned the violation into an
	// advisory one; Level is then advisory. It is the one place for every
	// kind of exemption (Source tells them apart), so a report can list them.
	Exemption *Exemption `json:"exemption,omitempty"`
}

type Exemption struct {
	Source string `json:"source"` // who granted it: "tag" (the resource's exemption tag), "config" (a central exemption in the pack's config)
	Note   string `json:"note"`   // as the diagnostic's message shows it
}

// Write writes f to path atomically: a temporary file in the same directory,
// renamed over path, so a reader sees the previous run or this one, whole.
func Write(path string, f *File) (err error) {
	f.Format, f.Version = Format, Version
	b, err := json.Marshal(f)
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			os.Remove(tmp.Name())
		}
	}()
	if err = tmp.Chmod(0o644); err != nil { // CreateTemp's 0600 would hide it from a CI step run as another user
		tmp.Close()
		return err
	}
	if _, err = tmp.Write(append(b, '\n')); err != nil {
		tmp.Close()
		return err
	}
	if err = tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// Read reads and checks a results file. Errors name the file, and the line
// where the JSON is broken.
func Read(path string) (*File, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return Parse(path, b)
}

// Parse is Read of data already read from the file named path.
func Parse(path string, b []byte) (*File, error) {
	var f File
	dec := json.NewDecoder(bytes.NewReader(b))
	if err := dec.Decode(&f); err != nil {
		return nil, fmt.Errorf("%s: not an mlguard results file: %w", path, DecodeError(b, err))
	}
	if dec.More() {
		return nil, fmt.Errorf("%s:%d: not an mlguard results file: more after the JSON document", path, LineAt(b, dec.InputOffset()))
	}
	if f.Format != Format {
		return nil, fmt.Errorf("%s: not an mlguard results file (format %q, want %q)", path, f.Format, Format)
	}
	if f.Version != Version {
		return nil, fmt.Errorf("%s: results file version %d, this reader knows %d", path, f.Version, Version)
	}
	if f.Stack.Name == "" || f.Stack.Project == "" || f.Pack.Name == "" {
		return nil, fmt.Errorf("%s: results file without its stack, project or pack", path)
	}
	for i, d := range f.Diagnostics {
		if d.Policy == "" || d.Level == "" {
			return nil, fmt.Errorf("%s: diagnostic %d has no policy or level", path, i+1)
		}
	}
	return &f, nil
}

// DecodeError adds to an error of decoding the JSON in b where it is: the
// line, and the byte (a results file is one long line).
func DecodeError(b []byte, err error) error {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		return fmt.Errorf("line %d (byte %d): %w", LineAt(b, syn.Offset), syn.Offset, err)
	case errors.As(err, &typ):
		return fmt.Errorf("line %d (byte %d): %w", LineAt(b, typ.Offset), typ.Offset, err)
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return fmt.Errorf("line %d (byte %d): truncated JSON: %w", LineAt(b, int64(len(b))), len(b), err)
	}
	return err
}

// LineAt is the 1-based line of byte offset off in b.
func LineAt(b []byte, off int64) int {
	return bytes.Count(b[:min(off, int64(len(b)))], []byte{'\n'}) + 1
}
