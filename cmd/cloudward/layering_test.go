package main

import (
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// forbidden maps a package prefix to the internal packages its non-test code
// must not import: data flows collect → store → evaluate (policy) → report,
// and only cli wires the stages together.
var forbidden = map[string][]string{
	"internal/resource":       {"internal/"},
	"internal/finding":        {"internal/"},
	"internal/responsibility": {"internal/collect", "internal/store", "internal/policy", "internal/report", "internal/cli", "internal/server"},
	"internal/serverstate":    {"internal/collect", "internal/store", "internal/policy", "internal/report", "internal/cli", "internal/server"},
	"internal/drift":          {"internal/collect", "internal/store", "internal/policy", "internal/cli", "internal/server"},
	"internal/server":         {"internal/collect", "internal/cli", "internal/store/"},
	"internal/collect":        {"internal/store", "internal/policy", "internal/report", "internal/cli", "internal/server"},
	"internal/store":          {"internal/collect", "internal/policy", "internal/report", "internal/cli", "internal/server"},
	"internal/policy":         {"internal/collect", "internal/store", "internal/report", "internal/cli", "internal/server"},
	"internal/report":         {"internal/collect", "internal/store", "internal/policy", "internal/cli", "internal/server"},
	"internal/config":         {"internal/collect", "internal/store", "internal/report", "internal/cli", "internal/server"},
	// evaluate runs the engine over a stored snapshot: it reads the store
	// and never collects or reports.
	"internal/evaluate": {"internal/collect", "internal/report", "internal/cli", "internal/server", "internal/dist"},
	// dist runs jobs of both stages on workers; it does not render reports.
	"internal/dist": {"internal/report", "internal/cli", "internal/server"},
}

func TestLayering(t *testing.T) {
	root := filepath.Join("..", "..")
	err := filepath.WalkDir(filepath.Join(root, "internal"), func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		rel, err := filepath.Rel(root, filepath.Dir(path))
		if err != nil {
			return err
		}
		pkg := filepath.ToSlash(rel)
		src, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		f, err := parser.ParseFile(token.NewFileSet(), path, src, parser.ImportsOnly)
		if err != nil {
			return err
		}
		for _, imp := range f.Imports {
			p, _ := strconv.Unquote(imp.Path.Value)
			if !strings.HasPrefix(p, "cloudward/") {
				continue
			}
			target := strings.TrimPrefix(p, "cloudward/")
			for prefix, bans := range forbidden {
				if pkg != prefix && !strings.HasPrefix(pkg, prefix+"/") {
					continue
				}
				for _, ban := range bans {
					if (target == ban || strings.HasPrefix(target, strings.TrimSuffix(ban, "/")+"/")) && !strings.HasPrefix(target, prefix) {
						t.Errorf("%s imports %s: %s must not depend on %s", path, p, prefix, ban)
					}
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
