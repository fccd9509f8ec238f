package chat_test

import (
	"context"
	"fmt"
	"path/filepath"
	"runtime"
	"sync/atomic"
	"testing"

	"github.com/workspace-go/workspace/chat"
	"github.com/workspace-go/workspace/store"
	"github.com/workspace-go/workspace/store/boltstore"
	"github.com/workspace-go/workspace/store/memstore"
)

const posters = 64

func users(n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("u%03d", i)
	}
	return out
}

// BenchmarkPost measures posting throughput with 64 concurrent posters in
// one conversation.
func BenchmarkPost(b *testing.B) {
	for _, bk := range []struct {
		name string
		open func(b *testing.B) store.Store
	}{
		{"memstore", func(b *testing.B) store.Store { return memstore.New() }},
		{"boltstore", func(b *testing.B) store.Store { return openBolt(b, nil) }},
		// Without fsync: what the chat code and bbolt cost, apart from
		// the disk's sync latency (which bounds the synced rate: a commit
		// group of at most 64 posts waits for bbolt's two syncs).
		{"boltstore-nosync", func(b *testing.B) store.Store { return openBolt(b, &boltstore.Options{NoSync: true}) }},
	} {
		b.Run(bk.name, func(b *testing.B) {
			st := bk.open(b)
			defer st.Close()
			svc, err := chat.New(context.Background(), st)
			if err != nil {
				b.Fatal(err)
			}
			ctx := context.Background()
			us := users(posters)
			c, err := svc.CreateGroup(ctx, us[0], chat.GroupOptions{Name: "bench", Members: us[1:]})
			if err != nil {
				b.Fatal(err)
			}
			var next atomic.Int64
			b.SetParallelism((posters + runtime.GOMAXPROCS(0) - 1) / runtime.GOMAXPROCS(0))
			b.ReportAllocs()
			cpu0 := cpuTime()
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				u := us[int(next.Add(1)-1)%posters]
				for pb.Next() {
					if _, err := svc.Post(ctx, u, c.ID, chat.Draft{Text: "hello @u001 see the report for this week"}); err != nil {
						b.Error(err)
						return
					}
				}
			})
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "msgs/s")
			// CPU time per message (all goroutines, GC included) does not
			// depend on how busy a shared machine is: cores/cpu-µs bounds
			// the rate on an idle one.
			b.ReportMetric(float64((cpuTime()-cpu0).Microseconds())/float64(b.N), "cpu-µs/msg")
		})
	}
}

// openBolt opens a boltstore file in the benchmark's temporary directory.
func openBolt(b *testing.B, opts *boltstore.Options) store.Store {
	st, err := boltstore.Open(filepath.Join(b.TempDir(), "db"), opts)
	if err != nil {
		b.Fatal(err)
	}
	return st
}
