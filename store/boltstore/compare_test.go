package boltstore_test

import (
	"encoding/binary"
	"path/filepath"
	"runtime"
	"sync/atomic"
	"testing"

	bolt "go.etcd.io/bbolt"

	"github.com/workspace-go/workspace/store/storetest"
)

// BenchmarkVsBolt commits the same records (a 256-byte value and a change
// record per commit, fsync on) through this package and through raw bbolt,
// in one run on one machine, and reports the ratio.
//
//	go test -run='^$' -bench=VsBolt -benchtime=3s ./store/boltstore/
func BenchmarkVsBolt(b *testing.B) {
	for _, w := range []int{1, 64} {
		var ours, raw float64
		b.Run(name("boltstore", w), func(b *testing.B) {
			storetest.BenchUpdate(b, open(b, nil), w)
			ours = float64(b.N) / b.Elapsed().Seconds()
		})
		b.Run(name("bbolt", w), func(b *testing.B) {
			benchRaw(b, w)
			raw = float64(b.N) / b.Elapsed().Seconds()
		})
		if raw > 0 {
			b.Logf("writers=%d: boltstore %.0f commits/s, bbolt %s %.0f commits/s, ratio %.2fx",
				w, ours, map[bool]string{true: "DB.Update", false: "DB.Batch"}[w == 1], raw, ours/raw)
		}
	}
}

func name(impl string, writers int) string {
	if writers == 1 {
		return impl + "/writers=1"
	}
	return impl + "/writers=64"
}

// benchRaw does with bbolt alone what storetest.BenchUpdate does through
// the store: DB.Update for one writer, DB.Batch (bbolt's own coalescing)
// for many.
func benchRaw(b *testing.B, writers int) {
	db, err := bolt.Open(filepath.Join(b.TempDir(), "raw.db"), 0o600, &bolt.Options{
		FreelistType: bolt.FreelistMapType, InitialMmapSize: 1 << 30,
	})
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	db.Update(func(tx *bolt.Tx) error {
		tx.CreateBucketIfNotExists([]byte("kv"))
		_, err := tx.CreateBucketIfNotExists([]byte("log"))
		return err
	})
	val := make([]byte, storetest.ValueSize)
	var n atomic.Uint64
	commit := func(tx *bolt.Tx) error {
		i := n.Add(1)
		var k [14]byte
		copy(k[:], "bench/")
		binary.BigEndian.PutUint64(k[6:], i)
		if err := tx.Bucket([]byte("kv")).Put(k[:], val); err != nil {
			return err
		}
		lb := tx.Bucket([]byte("log"))
		seq, _ := lb.NextSequence()
		var sk [8]byte
		binary.BigEndian.PutUint64(sk[:], seq)
		return lb.Put(sk[:], append([]byte{5}, append([]byte("bench"), k[:]...)...))
	}
	b.ReportAllocs()
	if writers == 1 {
		for b.Loop() {
			if err := db.Update(commit); err != nil {
				b.Fatal(err)
			}
		}
	} else {
		b.SetParallelism(max(1, writers/runtime.GOMAXPROCS(0)))
		b.ResetTimer()
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				if err := db.Batch(commit); err != nil {
					b.Error(err)
				}
			}
		})
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "commits/s")
}
