package workspace_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/workspace-go/workspace"
	"github.com/workspace-go/workspace/search"
	"github.com/workspace-go/workspace/store"
	"github.com/workspace-go/workspace/store/memstore"
)

func TestIndexIsBoundToItsTenant(t *testing.T) {
	ctx := context.Background()
	st := memstore.New()
	t.Cleanup(func() { st.Close() })
	dir := t.TempDir()
	shared := filepath.Join(dir, "shared-index")

	acme, err := workspace.Open(ctx, workspace.Options{Store: st, Tenant: "Acme", IndexDir: shared, Admins: []string{"admin"}, Now: now})
	if err != nil {
		t.Fatal(err)
	}
	if err := acme.Close(); err != nil {
		t.Fatal(err)
	}

	t.Run("another tenant may not open the index", func(t *testing.T) {
		_, err := workspace.Open(ctx, workspace.Options{Store: st, Tenant: "acme", IndexDir: shared, Admins: []string{"admin"}, Now: now})
		if !errors.Is(err, search.ErrNamespace) || !errors.Is(err, store.ErrConflict) {
			t.Errorf("got %v, want search.ErrNamespace wrapping store.ErrConflict", err)
		}
	})
	t.Run("tenants differing in case get their own directories", func(t *testing.T) {
		data := filepath.Join(dir, "data")
		for _, tenant := range []string{"Acme", "acme", "ACME"} {
			ws, err := workspace.Open(ctx, workspace.Options{Dir: data, Tenant: tenant, Admins: []string{"admin"}, Now: now})
			if err != nil {
				t.Fatalf("tenant %q: %v", tenant, err)
			}
			if err := ws.Close(); err != nil {
				t.Fatal(err)
			}
		}
		ents, err := os.ReadDir(data)
		if err != nil {
			t.Fatal(err)
		}
		seen := map[string]bool{}
		for _, e := range ents {
			if e.IsDir() {
				name := e.Name()
				folded := strings.ToLower(name)
				if seen[folded] {
					t.Errorf("two index directories fold to %q", folded)
				}
				seen[folded] = true
			}
		}
		if len(seen) != 3 {
			t.Errorf("index directories %v, want three, distinct without case", seen)
		}
	})
}
