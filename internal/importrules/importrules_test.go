package importrules

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

const module = "github.com/workspace-go/workspace"

var (
	features = []string{"chat", "task", "calendar", "docacl", "search", "directory", "file"}
	backends = []string{"store/memstore", "store/boltstore", "store/pgstore", "store/storetest"}
)

// pkgImports maps each package directory (relative to the module root) to
// the module-internal imports of its files; tests are kept apart.
func pkgImports(t *testing.T, root string) (code, tests map[string]map[string]string) {
	code, tests = map[string]map[string]string{}, map[string]map[string]string{}
	fset := token.NewFileSet()
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if name := d.Name(); path != root && (strings.HasPrefix(name, ".") || name == "testdata") {
				return filepath.SkipDir
			}
			if path != root {
				if _, err := os.Stat(filepath.Join(path, "go.mod")); err == nil {
					return filepath.SkipDir // a nested module (an example with its own deps)
				}
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, parser.ImportsOnly)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, filepath.Dir(path))
		rel = filepath.ToSlash(rel)
		m := code
		if strings.HasSuffix(path, "_test.go") {
			m = tests
		}
		if m[rel] == nil {
			m[rel] = map[string]string{}
		}
		for _, imp := range f.Imports {
			p, _ := strconv.Unquote(imp.Path.Value)
			if p == module || strings.HasPrefix(p, module+"/") {
				m[rel][strings.TrimPrefix(strings.TrimPrefix(p, module), "/")] = filepath.Base(path)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return code, tests
}

func under(dir, pkg string) bool { return dir == pkg || strings.HasPrefix(dir, pkg+"/") }

func TestLayering(t *testing.T) {
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	code, tests := pkgImports(t, root)
	if len(code) < 4 {
		t.Fatalf("found only %d packages under %s: the walk is broken", len(code), root)
	}
	for dir, imps := range code {
		for imp, file := range imps {
			if msg := violation(dir, imp); msg != "" {
				t.Errorf("%s/%s imports %s: %s", dir, file, imp, msg)
			}
		}
	}
	for dir, imps := range tests {
		for imp, file := range imps {
			if under(dir, "examples") && under(imp, "internal") {
				t.Errorf("%s/%s imports %s: examples show the public API only", dir, file, imp)
			}
		}
	}
}

// violation returns why dir may not import imp, or "" when it may.
func violation(dir, imp string) string {
	isFeature := func(p string) string {
		for _, f := range features {
			if under(p, f) {
				return f
			}
		}
		return ""
	}
	isBackend := func(p string) bool {
		for _, b := range backends {
			if under(p, b) {
				return true
			}
		}
		return false
	}
	switch {
	case under(imp, "internal/backends"):
		return "internal/backends is the backends table for tests: only _test.go files import it"
	case dir == "store":
		return "the store contract imports nothing of ours"
	case isBackend(dir):
		if isFeature(imp) != "" || (isBackend(imp) && !under(imp, dir) && !under(dir, imp)) {
			return "a backend imports only the store contract"
		}
	case isFeature(dir) != "":
		switch f := isFeature(imp); {
		case f != "" && f != isFeature(dir):
			return "feature packages never import each other: pass plain data or a small interface"
		case isBackend(imp):
			return "feature packages are written against store.Store, never a backend"
		}
	case dir == "internal/backends":
		if isFeature(imp) != "" {
			return "the backends table for tests imports backends, not feature packages"
		}
	case under(dir, "internal"):
		if isFeature(imp) != "" || isBackend(imp) {
			return "internal helpers sit below the feature packages and backends"
		}
	case under(dir, "examples"):
		if under(imp, "internal") {
			return "examples show the public API only"
		}
	}
	return ""
}

// TestViolation checks the rule table itself, so the layering test cannot
// pass by accepting everything.
func TestViolation(t *testing.T) {
	cases := []struct {
		dir, imp string
		bad      bool
	}{
		{"chat", "store", false},
		{"chat", "internal/keys", false},
		{"chat", "task", true},
		{"search", "docacl", true},
		{"calendar", "store/boltstore", true},
		{"store/boltstore", "store", false},
		{"store/boltstore", "chat", true},
		{"store/pgstore", "store/memstore", true},
		{"store", "internal/keys", true},
		{"internal/keys", "chat", true},
		{"examples/tour", "internal/ids", true},
		{"examples/tour", "chat", false},
		{".", "chat", false},
		{"chat", "internal/backends", true},
		{"internal/backends", "store/pgstore", false},
		{"internal/backends", "chat", true},
		{"directory", "chat", true},
	}
	for _, c := range cases {
		if got := violation(c.dir, c.imp) != ""; got != c.bad {
			t.Errorf("violation(%q, %q) = %v; want %v", c.dir, c.imp, got, c.bad)
		}
	}
}
