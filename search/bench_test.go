package search

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/blevesearch/bleve/v2"

	"github.com/workspace-go/workspace/store"
	"github.com/workspace-go/workspace/store/memstore"
)

// rawDoc is the map bleve's own mapping indexes for a Document: the same
// fields, analyzers and options as the package's hand-built documents.
func rawDoc(d Document) map[string]any {
	m := map[string]any{
		fieldKind: d.Kind, fieldContainer: d.Container, fieldAuthor: d.Author,
		fieldTime: timeTerm(d.Time), fieldTimeTrie: trieTerms(d.Time), fieldAccess: d.AccessKeys,
	}
	if text := joinText(d.Title, d.Body); text != "" {
		m[fieldText] = text
	}
	if len(d.Has) > 0 {
		m[fieldHas] = d.Has
	}
	if d.Thread != "" {
		m[fieldThread] = d.Thread
		m[fieldIs] = "thread"
	}
	return m
}

const benchBatch = 5000

// indexRaw indexes docs with plain bleve batches into a new index in dir.
func indexRaw(b *testing.B, dir string, docs []Document) {
	im, err := newMapping()
	if err != nil {
		b.Fatal(err)
	}
	idx, err := bleve.NewUsing(dir, im, indexType, indexType, nil)
	if err != nil {
		b.Fatal(err)
	}
	for i := 0; i < len(docs); i += benchBatch {
		batch := idx.NewBatch()
		for _, d := range docs[i:min(i+benchBatch, len(docs))] {
			if err := batch.Index(d.Kind+"/"+d.ID, rawDoc(d)); err != nil {
				b.Fatal(err)
			}
		}
		if err := idx.Batch(batch); err != nil {
			b.Fatal(err)
		}
	}
	if err := idx.Close(); err != nil {
		b.Fatal(err)
	}
}

// logOf returns a memstore whose change log holds one record per doc.
func logOf(b *testing.B, docs []Document) store.Store {
	st := memstore.New()
	ctx := context.Background()
	for i := 0; i < len(docs); i += 500 {
		err := st.Update(ctx, func(tx store.Tx) error {
			for _, d := range docs[i:min(i+500, len(docs))] {
				data, err := json.Marshal(d)
				if err != nil {
					return err
				}
				if _, err := tx.Append("bench", data); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
	}
	return st
}

func mapBench(ctx context.Context, c store.Change) ([]Op, error) {
	var d Document
	if err := json.Unmarshal(c.Data, &d); err != nil {
		return nil, err
	}
	return []Op{Upsert(d)}, nil
}

// cost is the wall and CPU time of some work.
type cost struct{ wall, cpu time.Duration }

func measure(f func()) cost {
	w, c := time.Now(), cpuTime()
	f()
	return cost{time.Since(w), cpuTime() - c}
}

func (c *cost) add(d cost) { c.wall += d.wall; c.cpu += d.cpu }

// BenchmarkIndexing indexes 20,000 mixed Chinese/English messages of 40
// to 120 characters on disk three ways in the same run, in turns: plain
// bleve batches of maps through the same mapping (the peer), Apply, and
// the change-log indexer (decoding JSON change records from a memstore
// log). It reports docs/s of wall time for each, and the ratio to plain
// bleve in wall time and in CPU time (less disturbed by other work on
// the machine).
func BenchmarkIndexing(b *testing.B) {
	docs := genDocs(1, 20_000, 2_000, 500)
	var raw, apply, follow cost
	turn := 0
	b.ReportAllocs()
	for b.Loop() {
		turn++
		dir := b.TempDir()
		runRaw := func() { raw.add(measure(func() { indexRaw(b, filepath.Join(dir, "raw"), docs) })) }
		runApply := func() {
			apply.add(measure(func() {
				ix, err := New(context.Background(), nil, WithPath(filepath.Join(dir, "apply")))
				if err != nil {
					b.Fatal(err)
				}
				for i := 0; i < len(docs); i += benchBatch {
					ops := make([]Op, 0, benchBatch)
					for _, d := range docs[i:min(i+benchBatch, len(docs))] {
						ops = append(ops, Upsert(d))
					}
					if err := ix.Apply(context.Background(), ops...); err != nil {
						b.Fatal(err)
					}
				}
				if err := ix.Close(); err != nil {
					b.Fatal(err)
				}
			}))
		}
		b.StopTimer()
		st := logOf(b, docs)
		b.StartTimer()
		runFollow := func() {
			follow.add(measure(func() {
				ix, err := New(context.Background(), st, WithPath(filepath.Join(dir, "follow")), WithMapper(each(mapBench)), WithBatchSize(benchBatch))
				if err != nil {
					b.Fatal(err)
				}
				if err := ix.Sync(context.Background()); err != nil {
					b.Fatal(err)
				}
				if err := ix.Close(); err != nil {
					b.Fatal(err)
				}
			}))
		}
		// Alternate the order so that neither side always runs first.
		if turn%2 == 1 {
			runRaw()
			runApply()
			runFollow()
		} else {
			runFollow()
			runApply()
			runRaw()
		}
		st.Close()
	}
	n := float64(len(docs) * b.N)
	b.ReportMetric(n/raw.wall.Seconds(), "raw-docs/s")
	b.ReportMetric(n/apply.wall.Seconds(), "apply-docs/s")
	b.ReportMetric(n/follow.wall.Seconds(), "follow-docs/s")
	b.ReportMetric(n/raw.cpu.Seconds(), "raw-docs/cpu-s")
	b.ReportMetric(n/apply.cpu.Seconds(), "apply-docs/cpu-s")
	b.ReportMetric(n/follow.cpu.Seconds(), "follow-docs/cpu-s")
	b.ReportMetric(raw.wall.Seconds()/apply.wall.Seconds(), "apply/raw-wall")
	b.ReportMetric(raw.wall.Seconds()/follow.wall.Seconds(), "follow/raw-wall")
	b.ReportMetric(raw.cpu.Seconds()/apply.cpu.Seconds(), "apply/raw-cpu")
	b.ReportMetric(raw.cpu.Seconds()/follow.cpu.Seconds(), "follow/raw-cpu")
}

// The 200,000-message index is built once per process, in a temporary
// directory removed by TestMain.
var (
	bigOnce sync.Once
	bigIx   *Index
	bigErr  error
	bigDir  string
)

const (
	bigDocs  = 200_000
	bigConvs = 5_000 // 40 messages per conversation
)

// bigIndex returns the 200,000-message index. With SEARCH_BENCH_INDEX
// set to a directory, the index is kept there and reused by later runs
// (delete it after changing the generator or the mapping).
func bigIndex(b *testing.B) *Index {
	if testing.Short() {
		b.Skip("200,000 documents: not in -short runs")
	}
	bigOnce.Do(func() {
		path := os.Getenv("SEARCH_BENCH_INDEX")
		if path == "" {
			bigDir, bigErr = os.MkdirTemp("", "search-bench-")
			if bigErr != nil {
				return
			}
			path = filepath.Join(bigDir, "idx")
		}
		bigIx, bigErr = New(context.Background(), nil, WithPath(path))
		if bigErr != nil {
			return
		}
		if n, _ := bigIx.Count(); n == bigDocs {
			return
		}
		start := time.Now()
		docs := genDocs(7, bigDocs, bigConvs, 2_000)
		for i := 0; i < len(docs) && bigErr == nil; i += 5000 {
			ops := make([]Op, 0, 5000)
			for _, d := range docs[i:min(i+5000, len(docs))] {
				ops = append(ops, Upsert(d))
			}
			bigErr = bigIx.Apply(context.Background(), ops...)
		}
		fmt.Fprintf(os.Stderr, "built %d-document index in %v\n", bigDocs, time.Since(start).Round(time.Millisecond))
	})
	if bigErr != nil {
		b.Fatal(bigErr)
	}
	return bigIx
}

func TestMain(m *testing.M) {
	code := m.Run()
	if bigIx != nil {
		bigIx.Close()
	}
	if bigDir != "" {
		os.RemoveAll(bigDir)
	}
	os.Exit(code)
}

// convKeys returns n conversation keys spread over the corpus.
func convKeys(n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("conv:c%d", i*(bigConvs/n))
	}
	return out
}

// benchQuery runs req repeatedly and reports the median latency.
func benchQuery(b *testing.B, ix *Index, req Request) {
	ctx := context.Background()
	r, err := ix.Search(ctx, "u1", req)
	if err != nil {
		b.Fatal(err)
	}
	if r.Total == 0 {
		b.Fatalf("%q: no results", req.Query)
	}
	var lat []time.Duration
	b.ReportAllocs()
	cpu := cpuTime()
	for b.Loop() {
		start := time.Now()
		if _, err := ix.Search(ctx, "u1", req); err != nil {
			b.Fatal(err)
		}
		lat = append(lat, time.Since(start))
	}
	// CPU time per search: what the latency would be on an idle core, a
	// fairer figure than wall time when the machine is shared.
	b.ReportMetric(float64((cpuTime()-cpu).Microseconds())/1000/float64(len(lat)), "cpu-ms/op")
	slices.Sort(lat)
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99-ms")
	b.ReportMetric(float64(r.Total), "hits")
}

// BenchmarkSearch200k measures the query targets on 200,000
// messages.
func BenchmarkSearch200k(b *testing.B) {
	ix := bigIndex(b)
	b.Run("two words, 50 keys, by time", func(b *testing.B) {
		benchQuery(b, ix, Request{Query: "项目 review", Keys: convKeys(50), Sort: ByNewest})
	})
	b.Run("two words, 2000 keys, by time", func(b *testing.B) {
		benchQuery(b, ix, Request{Query: "项目 review", Keys: convKeys(2000), Sort: ByNewest})
	})
	b.Run("Chinese phrase, 2000 keys", func(b *testing.B) {
		benchQuery(b, ix, Request{Query: `"项目进度"`, Keys: convKeys(2000)})
	})
	b.Run("one character, 2000 keys, by time", func(b *testing.B) {
		benchQuery(b, ix, Request{Query: "会", Keys: convKeys(2000), Sort: ByNewest})
	})
	b.Run("modifiers only, 50 keys, by time", func(b *testing.B) {
		benchQuery(b, ix, Request{Query: "after:2025-03-01 has:link", Keys: convKeys(50), Sort: ByNewest})
	})
	b.Run("two words, 50 keys, parallel", func(b *testing.B) {
		req := Request{Query: "项目 review", Keys: convKeys(50), Sort: ByNewest}
		b.ReportAllocs()
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				if _, err := ix.Search(context.Background(), "u1", req); err != nil {
					b.Error(err)
					return
				}
			}
		})
	})
}
