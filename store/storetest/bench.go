package storetest

import (
	"context"
	"encoding/binary"
	"math/rand"
	"runtime"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"github.com/workspace-go/workspace/store"
)

// ValueSize is the size of the values the benchmarks write.
const ValueSize = 256

// RunBenchmarks measures a backend: single and concurrent commits, point
// reads, range scans, the latency of the change log and one big
// transaction (see BenchBigTx). open must return
// an empty store; it is called once per sub-benchmark.
func RunBenchmarks(b *testing.B, open func(b *testing.B) store.Store) {
	b.Run("Update/writers=1", func(b *testing.B) { benchUpdate(b, open(b), 1) })
	b.Run("Update/writers=64", func(b *testing.B) { benchUpdate(b, open(b), 64) })
	b.Run("Get", func(b *testing.B) { benchGet(b, open(b)) })
	b.Run("ViewGet", func(b *testing.B) { benchViewGet(b, open(b)) })
	b.Run("Scan100", func(b *testing.B) { benchScan(b, open(b)) })
	b.Run("TailLatency", func(b *testing.B) { benchTail(b, open(b)) })
	b.Run("BigTx", func(b *testing.B) { BenchBigTx(b, open(b)) })
}

func key(i uint64) []byte {
	k := make([]byte, 0, 16)
	k = append(k, "bench/"...)
	return binary.BigEndian.AppendUint64(k, i)
}

// BenchUpdate commits one 256-byte record and one change record per Update
// from the given number of concurrent writers and reports commits/s.
func benchUpdate(b *testing.B, st store.Store, writers int) {
	BenchUpdate(b, st, writers)
}

// BenchUpdate is the commit benchmark of RunBenchmarks, exported so a
// backend can run it beside a comparison (raw bbolt, say) in one
// benchmark.
func BenchUpdate(b *testing.B, st store.Store, writers int) {
	ctx := context.Background()
	val := make([]byte, ValueSize)
	rand.New(rand.NewSource(1)).Read(val)
	var n atomic.Uint64
	commit := func() {
		i := n.Add(1)
		err := st.Update(ctx, func(tx store.Tx) error {
			if err := tx.Put(key(i), val); err != nil {
				return err
			}
			_, err := tx.Append("bench", key(i))
			return err
		})
		if err != nil {
			b.Error(err)
		}
	}
	b.ReportAllocs()
	if writers == 1 {
		for b.Loop() {
			commit()
		}
	} else {
		b.SetParallelism(max(1, writers/runtime.GOMAXPROCS(0)))
		b.ResetTimer()
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				commit()
			}
		})
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "commits/s")
}

func fill(b *testing.B, st store.Store, n int) {
	b.Helper()
	val := make([]byte, ValueSize)
	for i := 0; i < n; i += 1000 {
		err := st.Update(context.Background(), func(tx store.Tx) error {
			for j := i; j < min(i+1000, n); j++ {
				if err := tx.Put(key(uint64(j)), val); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
	}
}

const benchKeys = 100_000

func benchGet(b *testing.B, st store.Store) {
	fill(b, st, benchKeys)
	r := rand.New(rand.NewSource(1))
	b.ReportAllocs()
	st.View(context.Background(), func(tx store.Tx) error {
		for b.Loop() {
			if _, err := tx.Get(key(uint64(r.Intn(benchKeys)))); err != nil {
				b.Fatal(err)
			}
		}
		return nil
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "gets/s")
}

func benchViewGet(b *testing.B, st store.Store) {
	fill(b, st, benchKeys)
	r := rand.New(rand.NewSource(1))
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		k := key(uint64(r.Intn(benchKeys)))
		st.View(ctx, func(tx store.Tx) error {
			_, err := tx.Get(k)
			return err
		})
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "views/s")
}

func benchScan(b *testing.B, st store.Store) {
	fill(b, st, benchKeys)
	r := rand.New(rand.NewSource(1))
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		start := key(uint64(r.Intn(benchKeys - 100)))
		n := 0
		st.View(ctx, func(tx store.Tx) error {
			for range tx.Scan(store.Range{Start: start, Limit: 100}) {
				n++
			}
			return nil
		})
		if n != 100 {
			b.Fatalf("scan returned %d keys", n)
		}
	}
}

// benchTail measures how long a committed record takes to reach a reader
// blocked in Wait: from the moment Update returns to the moment the reader
// holds the record (zero when the reader had it first).
func benchTail(b *testing.B, st store.Store) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	got := make(chan time.Time, 1)
	go store.Follow(ctx, st, 0, func(store.Change) error {
		got <- time.Now()
		return nil
	})
	var lat []time.Duration
	for b.Loop() {
		err := st.Update(ctx, func(tx store.Tx) error {
			_, err := tx.Append("bench", []byte("x"))
			return err
		})
		committed := time.Now()
		if err != nil {
			b.Fatal(err)
		}
		lat = append(lat, max(0, (<-got).Sub(committed)))
	}
	slices.Sort(lat)
	b.ReportMetric(float64(lat[len(lat)/2].Nanoseconds()), "p50-ns")
	b.ReportMetric(float64(lat[len(lat)*99/100].Nanoseconds()), "p99-ns")
}
