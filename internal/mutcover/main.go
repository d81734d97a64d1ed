// Command mutcover runs the mutants that gremlins reports as NOT COVERED but
// that sit in code the tests do run. Gremlins maps a mutant to the coverage
// block around it, and the case expressions of a tagless switch (`case
// len(x) > 0:`) lie in no block, so it skips them even when every case is
// executed. This runs each such mutant through the package's own tests, as
// gremlins would, and prints killed and lived.
//
// Package-level expressions (constant string concatenations such as
// docsURL + "name") are left out: no test can tell them apart, and the
// mutation-testing issue excepts them.
//
// Usage: go run ./internal/mutcover -dir <module copy> -pkg policypack < gremlins-output.txt
//
// It edits files in -dir (a scratch copy of the module, never the working
// tree) and puts each one back after its run.
package main

import (
	"bufio"
	"bytes"
	"flag"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"time"
)

var notCovered = regexp.MustCompile(`NOT COVERED (\w+) at ([^:]+\.go):(\d+):(\d+)`)

// replacements are gremlins' operator mutations, by mutant type.
var replacements = map[string]map[string]string{
	"CONDITIONALS_NEGATION": {"==": "!=", "!=": "==", "<": ">=", ">": "<=", "<=": ">", ">=": "<"},
	"CONDITIONALS_BOUNDARY": {"<": "<=", ">": ">=", "<=": "<", ">=": ">"},
	"ARITHMETIC_BASE":       {"+": "-", "-": "+", "*": "/", "/": "*", "%": "*"},
	"INCREMENT_DECREMENT":   {"++": "--", "--": "++"},
	"INVERT_NEGATIVES":      {"-": "+"},
}

type mutant struct {
	kind, file string
	line, col  int
}

func main() {
	dir := flag.String("dir", "", "a scratch copy of the module")
	pkg := flag.String("pkg", "", "the package directory, relative to -dir")
	timeout := flag.Duration("timeout", 5*time.Minute, "per test run")
	flag.Parse()
	if *dir == "" || *pkg == "" {
		fmt.Fprintln(os.Stderr, "mutcover: -dir and -pkg are required")
		os.Exit(2)
	}
	// Never the working tree: an interrupted run would leave a mutant in it.
	if abs, _ := filepath.Abs(*dir); abs == mustAbs(".") {
		fmt.Fprintln(os.Stderr, "mutcover: -dir is the current directory; give a scratch copy of the module")
		os.Exit(2)
	}
	var mutants []mutant
	sc := bufio.NewScanner(os.Stdin)
	for sc.Scan() {
		m := notCovered.FindStringSubmatch(sc.Text())
		if m == nil {
			continue
		}
		line, _ := strconv.Atoi(m[3])
		col, _ := strconv.Atoi(m[4])
		mutants = append(mutants, mutant{m[1], m[2], line, col})
	}
	killed, lived, notViable, skipped := 0, 0, 0, 0
	for _, m := range mutants {
		path := filepath.Join(*dir, *pkg, m.file)
		src, err := os.ReadFile(path)
		if err != nil {
			fail(err)
		}
		inFunc, err := inFunction(path, src, m.line, m.col)
		if err != nil {
			fail(err)
		}
		mutated, ok := mutate(src, m)
		if !inFunc || !ok {
			skipped++
			continue
		}
		if err := os.WriteFile(path, mutated, 0o644); err != nil {
			fail(err)
		}
		cmd := exec.Command("go", "test", "-count=1", "-timeout", timeout.String(), "./"+*pkg)
		cmd.Dir = *dir
		out, runErr := cmd.CombinedOutput()
		if err := os.WriteFile(path, src, 0o644); err != nil {
			fail(err)
		}
		verdict := "KILLED"
		switch {
		case runErr == nil:
			verdict = "LIVED"
			lived++
		case bytes.Contains(out, []byte("[build failed]")) || bytes.Contains(out, []byte("[setup failed]")):
			// Such as "a" - "b": the mutant does not compile, which gremlins
			// counts as not viable, never as killed.
			verdict = "NOT VIABLE"
			notViable++
		default:
			killed++
		}
		fmt.Printf("%12s %s at %s:%d:%d\n", verdict, m.kind, m.file, m.line, m.col)
	}
	// One line for the Makefile's table.
	fmt.Printf("\nUncovered run: killed %d, lived %d, package-level %d, not viable %d\n", killed, lived, skipped, notViable)
}

// inFunction reports whether line:col lies inside a function body.
func inFunction(path string, src []byte, line, col int) (bool, error) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, path, src, 0)
	if err != nil {
		return false, err
	}
	tf := fset.File(f.Pos())
	pos := tf.LineStart(line) + token.Pos(col-1)
	found := false
	ast.Inspect(f, func(n ast.Node) bool {
		if n == nil || found {
			return false
		}
		if pos < n.Pos() || pos >= n.End() {
			return false
		}
		switch n.(type) {
		case *ast.FuncDecl, *ast.FuncLit:
			found = true
			return false
		}
		return true
	})
	return found, nil
}

// mutate replaces the operator at line:col (1-based; gremlins' position) by
// its mutation.
func mutate(src []byte, m mutant) ([]byte, bool) {
	lines := bytes.SplitAfter(src, []byte("\n"))
	if m.line < 1 || m.line > len(lines) {
		return nil, false
	}
	l := lines[m.line-1]
	at := m.col - 1
	if at < 0 || at >= len(l) {
		return nil, false
	}
	for _, width := range []int{2, 1} { // the longest operator first
		if at+width > len(l) {
			continue
		}
		op := string(l[at : at+width])
		if repl, ok := replacements[m.kind][op]; ok {
			var out bytes.Buffer
			for i, x := range lines {
				if i == m.line-1 {
					out.Write(l[:at])
					out.WriteString(repl)
					out.Write(l[at+width:])
				} else {
					out.Write(x)
				}
			}
			return out.Bytes(), true
		}
	}
	return nil, false
}

func mustAbs(p string) string {
	abs, err := filepath.Abs(p)
	if err != nil {
		fail(err)
	}
	return abs
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "mutcover:", err)
	os.Exit(1)
}
