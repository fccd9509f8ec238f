package memstore_test

import (
	"testing"

	"github.com/workspace-go/workspace/store"
	"github.com/workspace-go/workspace/store/memstore"
	"github.com/workspace-go/workspace/store/storetest"
)

func open(tb testing.TB) store.Store {
	st := memstore.New()
	tb.Cleanup(func() { st.Close() })
	return st
}

func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) store.Store { return open(t) })
}

func BenchmarkStore(b *testing.B) {
	storetest.RunBenchmarks(b, func(b *testing.B) store.Store { return open(b) })
}
