package search

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/workspace-go/workspace/internal/backends"
	"github.com/workspace-go/workspace/store"
)

func TestIndexIsBoundToItsNamespace(t *testing.T) {
	checkLeaks(t)
	dir := filepath.Join(t.TempDir(), "idx")
	st := backends.Mem(t)
	ix, err := New(context.Background(), st, WithPath(dir), WithNamespace("Acme"))
	if err != nil {
		t.Fatal(err)
	}
	if err := ix.Close(); err != nil {
		t.Fatal(err)
	}

	t.Run("another namespace is refused", func(t *testing.T) {
		for _, ns := range []string{"acme", ""} {
			_, err := New(context.Background(), st, WithPath(dir), WithNamespace(ns))
			if !errors.Is(err, ErrNamespace) || !errors.Is(err, store.ErrConflict) {
				t.Errorf("namespace %q: got %v, want ErrNamespace wrapping store.ErrConflict", ns, err)
			}
		}
	})
	t.Run("another namespace is refused even when it could rebuild", func(t *testing.T) {
		_, err := New(context.Background(), st, WithPath(dir), WithNamespace("acme"), WithRebuildIfLost(enumNotes(st), nil))
		if !errors.Is(err, ErrNamespace) {
			t.Errorf("got %v, want ErrNamespace", err)
		}
		if _, err := os.Stat(dir); err != nil {
			t.Errorf("the refused index was touched: %v", err)
		}
	})
	t.Run("its own namespace opens it", func(t *testing.T) {
		ix, err := New(context.Background(), st, WithPath(dir), WithNamespace("Acme"))
		if err != nil {
			t.Fatal(err)
		}
		ix.Close()
	})
	t.Run("a rebuilt index keeps its namespace", func(t *testing.T) {
		ix, err := New(context.Background(), st, WithPath(dir), WithNamespace("Acme"))
		if err != nil {
			t.Fatal(err)
		}
		if err := ix.Rebuild(t.Context(), enumNotes(st), nil); err != nil {
			t.Fatal(err)
		}
		ix.Close()
		if _, err := New(context.Background(), st, WithPath(dir), WithNamespace("acme")); !errors.Is(err, ErrNamespace) {
			t.Errorf("after a rebuild: got %v, want ErrNamespace", err)
		}
	})
}
