package search

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// BenchmarkSearch1M measures the permission filter at its largest: a user
// who may see all of a 1,000,000-document index, through 10,000
// conversations (600,000 messages) and the principals of 400,000
// documents (the tenant, a group, a department). It builds the index once
// (minutes); with SEARCH_BENCH_INDEX_1M set to a directory the index is
// kept there for later runs. Run it alone:
//
//	go test -run='^$' -bench=Search1M -benchtime=50x ./search/
func BenchmarkSearch1M(b *testing.B) {
	if testing.Short() {
		b.Skip("1,000,000 documents: not in -short runs")
	}
	path := os.Getenv("SEARCH_BENCH_INDEX_1M")
	if path == "" {
		path = filepath.Join(b.TempDir(), "idx")
	}
	ix, err := New(context.Background(), nil, WithPath(path))
	if err != nil {
		b.Fatal(err)
	}
	defer ix.Close()
	const n, convs = 1_000_000, 10_000
	if c, _ := ix.Count(); c != n {
		start := time.Now()
		principals := []string{"tenant", "group:g1", "dept:d1", "user:u1"}
		for lo := 0; lo < n; lo += 5000 {
			docs := genDocs(uint64(11+lo), 5000, convs, 2_000)
			ops := make([]Op, len(docs))
			for i, d := range docs {
				d.ID = fmt.Sprintf("x%07d", lo+i)
				d.Time = time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(lo+i) * 31 * time.Second)
				if lo+i >= 600_000 {
					d.Kind = KindDoc
					d.AccessKeys = []string{principals[(lo+i)%len(principals)]}
				}
				ops[i] = Upsert(d)
			}
			if err := ix.Apply(context.Background(), ops...); err != nil {
				b.Fatal(err)
			}
		}
		fmt.Fprintf(os.Stderr, "built %d-document index in %v\n", n, time.Since(start).Round(time.Second))
	}
	keys := []string{"tenant", "group:g1", "dept:d1", "user:u1"}
	for i := range convs {
		keys = append(keys, fmt.Sprintf("conv:c%d", i))
	}
	b.Run("two words, 10004 keys, by time", func(b *testing.B) {
		benchQuery(b, ix, Request{Query: "项目 review", Keys: keys, Sort: ByNewest})
	})
	b.Run("two words, 10004 keys, by relevance", func(b *testing.B) {
		benchQuery(b, ix, Request{Query: "项目 review", Keys: keys})
	})
	b.Run("Chinese phrase, 10004 keys", func(b *testing.B) {
		benchQuery(b, ix, Request{Query: `"项目进度"`, Keys: keys})
	})
	b.Run("rare word, 10004 keys", func(b *testing.B) {
		benchQuery(b, ix, Request{Query: "hotfix 发票 深圳", Keys: keys, Sort: ByNewest})
	})
}
