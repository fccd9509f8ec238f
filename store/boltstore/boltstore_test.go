package boltstore_test

import (
	"path/filepath"
	"testing"

	"github.com/workspace-go/workspace/store"
	"github.com/workspace-go/workspace/store/boltstore"
	"github.com/workspace-go/workspace/store/storetest"
)

func open(tb testing.TB, opts *boltstore.Options) *boltstore.DB {
	tb.Helper()
	db, err := boltstore.Open(filepath.Join(tb.TempDir(), "data.db"), opts)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	return db
}

func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) store.Store { return open(t, nil) })
}

func BenchmarkStore(b *testing.B) {
	storetest.RunBenchmarks(b, func(b *testing.B) store.Store { return open(b, nil) })
}
