package tests

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/mlguard/mlguard/analyzer/analyzertest"
)

// packBinary is the mlguard pack, built once for the whole run.
var packBinary string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "mlguard-tests")
	if err != nil {
		panic(err)
	}
	packBinary = filepath.Join(dir, "mlguard")
	if err := analyzertest.Build("..", ".", packBinary, false); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}
