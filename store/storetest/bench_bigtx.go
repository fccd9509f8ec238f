package storetest

import (
	"context"
	"errors"
	"math/rand"
	"testing"

	"github.com/workspace-go/workspace/store"
)

// The shape of the transaction BenchBigTx commits: a retention purge or a
// large group creation, many writes with scans and rewrites among them.
const (
	bigTxKeys     = 10_000 // stored keys the writes and scans fall among
	bigTxWrites   = 2_000  // Puts and Deletes in the transaction
	bigTxScans    = 100    // Scans, one every bigTxWrites/bigTxScans writes
	bigTxRewrites = 200    // Rewrites of records committed before
	bigTxScanLen  = 20     // the limit of each Scan
)

// BenchBigTx measures one Update of bigTxWrites Puts and Deletes over a
// store of bigTxKeys keys, interleaved with bigTxScans limited Scans of
// ranges the writes fall in and bigTxRewrites Rewrites of committed change
// records, and reports its duration in milliseconds ("hold-ms"): the time
// it holds the backend's commit path.
func BenchBigTx(b *testing.B, st store.Store) {
	ctx := context.Background()
	fill(b, st, bigTxKeys)
	seqs := make([]uint64, 0, bigTxRewrites)
	err := st.Update(ctx, func(tx store.Tx) error {
		for range bigTxRewrites {
			seq, err := tx.Append("bench", []byte("record"))
			if err != nil {
				return err
			}
			seqs = append(seqs, seq)
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	val := make([]byte, ValueSize)
	redacted := []byte("redacted")
	r := rand.New(rand.NewSource(1))
	b.ReportAllocs()
	for b.Loop() {
		err := st.Update(ctx, func(tx store.Tx) error {
			rw := 0
			for i := range bigTxWrites {
				k := key(uint64(r.Intn(bigTxKeys)))
				if i%2 == 0 {
					err = tx.Put(k, val)
				} else {
					err = tx.Delete(k)
				}
				if err != nil {
					return err
				}
				if i%(bigTxWrites/bigTxRewrites) == 0 {
					if err := tx.Rewrite(seqs[rw], redacted); err != nil {
						return err
					}
					rw++
				}
				if i%(bigTxWrites/bigTxScans) == 0 {
					n := 0
					for range tx.Scan(store.Range{Start: key(uint64(r.Intn(bigTxKeys - 1000))), Limit: bigTxScanLen}) {
						n++
					}
					if n == 0 {
						return errors.New("storetest: a scan of the big transaction found nothing")
					}
				}
			}
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N)/1000, "hold-ms")
}
