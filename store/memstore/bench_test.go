package memstore_test

import (
	"context"
	"encoding/binary"
	"testing"

	"github.com/workspace-go/workspace/store"
	"github.com/workspace-go/workspace/store/memstore"
)

// BenchmarkUpdateFivePuts commits five related records and a change record
// per Update over a million keys: the shape of a feature package's write
// (record, secondary keys, counters, log).
func BenchmarkUpdateFivePuts(b *testing.B) {
	st := memstore.New()
	ctx := context.Background()
	val := make([]byte, 200)
	for i := 0; i < 1_000_000; i += 10_000 {
		st.Update(ctx, func(tx store.Tx) error {
			for j := i; j < i+10_000; j++ {
				tx.Put(binary.BigEndian.AppendUint64([]byte("k/"), uint64(j)), val)
			}
			return nil
		})
	}
	n := uint64(1_000_000)
	b.ReportAllocs()
	for b.Loop() {
		n++
		st.Update(ctx, func(tx store.Tx) error {
			for _, p := range []string{"msg/", "idx/", "cnt/", "mem/", "thr/"} {
				tx.Put(binary.BigEndian.AppendUint64([]byte(p), n), val)
			}
			_, err := tx.Append("bench", val[:40])
			return err
		})
	}
}
