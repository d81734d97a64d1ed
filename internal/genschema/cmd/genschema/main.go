// Command genschema writes the provider schema index (providers/schema/index/)
// and providers/taggable_gen.go from the pinned npm packages (genschema.Pins),
// fetching them with npm into the cache first when they are not there.
// `make schema` runs it from the repository root:
//
//	go run ./internal/genschema/cmd/genschema -cache .cache/npm -root .
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"time"

	"github.com/mlguard/mlguard/internal/genschema"
)

func main() {
	cache := flag.String("cache", ".cache/npm", "directory of the npm tarballs")
	root := flag.String("root", ".", "repository root to write the files under")
	flag.Parse()
	if err := run(*cache, *root); err != nil {
		fmt.Fprintln(os.Stderr, "genschema:", err)
		os.Exit(1)
	}
}

func run(cache, root string) error {
	start := time.Now()
	files, err := genschema.Generate(cache, genschema.Pins)
	if err != nil {
		return err
	}
	names := make([]string, 0, len(files))
	for name := range files {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		path := filepath.Join(root, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(path, files[name], 0o644); err != nil {
			return err
		}
		fmt.Printf("wrote %s (%d bytes)\n", name, len(files[name]))
	}
	fmt.Printf("generated in %s\n", time.Since(start).Round(100*time.Millisecond))
	return nil
}
