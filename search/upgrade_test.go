package search

import (
	"context"
	"encoding/json"
	"errors"
	"github.com/workspace-go/workspace/internal/backends"
	"os"
	"path/filepath"
	"slices"
	"sync/atomic"
	"testing"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/custom"
	"github.com/blevesearch/bleve/v2/analysis/lang/cjk"
	"github.com/blevesearch/bleve/v2/analysis/token/lowercase"
	"github.com/blevesearch/bleve/v2/analysis/tokenizer/unicode"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search/query"

	"github.com/workspace-go/workspace/store"
)

// writeV4Index writes, in dir, the index mapping version 4 of the package
// made of the notes in st's log: the same fields, the text analyzed
// without stemming, the version and checkpoint inside.
func writeV4Index(t *testing.T, dir string, st store.Store) {
	t.Helper()
	ctx := context.Background()
	cur, err := newMapping()
	if err != nil {
		t.Fatal(err)
	}
	// Version 4's text analyzer, under the same name: through JSON, as
	// the mapping has already built the current one.
	cur.CustomAnalysis.Analyzers[analyzerText] = map[string]any{
		"type":          custom.Name,
		"tokenizer":     unicode.Name,
		"token_filters": []string{cjk.WidthName, lowercase.Name, cjk.BigramName},
	}
	data, err := json.Marshal(cur)
	if err != nil {
		t.Fatal(err)
	}
	im := mapping.NewIndexMapping()
	if err := json.Unmarshal(data, im); err != nil {
		t.Fatal(err)
	}
	idx, err := bleve.NewUsing(dir, im, indexType, indexType, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer idx.Close()
	recs, next, err := st.Changes(ctx, 0, 1000)
	if err != nil {
		t.Fatal(err)
	}
	b := idx.NewBatch()
	for _, c := range recs {
		ops, err := mapNote(ctx, c)
		if err != nil {
			t.Fatal(err)
		}
		for _, o := range ops {
			d := o.Document()
			if o.IsDelete() {
				b.Delete(d.Kind + "/" + d.ID)
			} else if err := b.Index(d.Kind+"/"+d.ID, rawDoc(d)); err != nil {
				t.Fatal(err)
			}
		}
	}
	b.SetInternal(keyVersion, []byte("4"))
	b.SetInternal(keyCheckpoint, encodeCheckpoint(next))
	if err := idx.Batch(b); err != nil {
		t.Fatal(err)
	}
	// The index is version 4's: it knows "deployed" but not "deploy".
	for term, want := range map[string]uint64{"deployed": 1, "deploy": 0} {
		q := query.NewTermQuery(term)
		q.SetField(fieldText)
		r, err := idx.Search(bleve.NewSearchRequest(q))
		if err != nil {
			t.Fatal(err)
		}
		if r.Total != want {
			t.Fatalf("version 4 index: %q matches %d documents, want %d", term, r.Total, want)
		}
	}
}

// storedVersion returns the mapping version recorded in the closed index
// in dir.
func storedVersion(t *testing.T, dir string) string {
	t.Helper()
	idx, err := bleve.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer idx.Close()
	v, err := idx.GetInternal(keyVersion)
	if err != nil {
		t.Fatal(err)
	}
	return string(v)
}

// notesBeforeStemming saves the notes of the upgrade tests and returns
// the log position of the last.
func notesBeforeStemming(t *testing.T, st store.Store) uint64 {
	saveNote(t, st, noteChange{Type: "note.saved", ID: "n1", Conv: "a", Text: "deployed the build"})
	saveNote(t, st, noteChange{Type: "note.saved", ID: "n2", Conv: "a", Text: "weekly reports"})
	saveNote(t, st, noteChange{Type: "note.saved", ID: "gone", Conv: "a", Text: "deploying something removed later"})
	return saveNote(t, st, noteChange{Type: "note.deleted", ID: "gone"})
}

func TestUpgradeFromAnOlderAnalysis(t *testing.T) {
	for _, b := range backends.All() {
		t.Run(b.Name, func(t *testing.T) {
			checkLeaks(t)
			st := b.Open(t)
			ctx := context.Background()
			dir := filepath.Join(t.TempDir(), "idx")
			last := notesBeforeStemming(t, st)
			writeV4Index(t, dir, st)

			var mapped atomic.Int64
			counting := func(ctx context.Context, c store.Change) ([]Op, error) {
				mapped.Add(1)
				return mapNote(ctx, c)
			}
			ix, err := New(context.Background(), st, WithMapper(each(counting)), WithPath(dir), WithBatchSize(2))
			if err != nil {
				t.Fatal(err)
			}
			t.Run("New rebuilds it from the change log before returning", func(t *testing.T) {
				// No Sync: the rebuilt index is complete when New returns.
				if got, want := ids(t, ix, "deploy"), []string{"n1"}; !slices.Equal(got, want) {
					t.Errorf("deploy: got %v, want %v", got, want)
				}
				if got, want := ids(t, ix, "report"), []string{"n2"}; !slices.Equal(got, want) {
					t.Errorf("report: got %v, want %v", got, want)
				}
				if got, want := ix.Checkpoint(), last; got != want {
					t.Errorf("checkpoint: got %d, want %d", got, want)
				}
				if got, want := mapped.Load(), int64(4); got != want {
					t.Errorf("mapped %d changes, want %d", got, want)
				}
			})
			t.Run("the indexer goes on from there", func(t *testing.T) {
				seq := saveNote(t, st, noteChange{Type: "note.saved", ID: "n3", Conv: "a", Text: "redeploys"})
				if err := ix.WaitFor(ctx, seq); err != nil {
					t.Fatal(err)
				}
				if got, want := ids(t, ix, "redeploy"), []string{"n3"}; !slices.Equal(got, want) {
					t.Errorf("got %v, want %v", got, want)
				}
			})
			if err := ix.Close(); err != nil {
				t.Fatal(err)
			}
			if got, want := storedVersion(t, dir), mappingVersion; got != want {
				t.Errorf("stored version: got %q, want %q", got, want)
			}
			if _, err := os.Stat(dir + ".rebuild"); !errors.Is(err, os.ErrNotExist) {
				t.Errorf("%s.rebuild: got %v, want it gone", dir, err)
			}
			t.Run("a rebuilt index opens without another rebuild", func(t *testing.T) {
				before := mapped.Load()
				ix, err := New(context.Background(), st, WithMapper(each(counting)), WithPath(dir))
				if err != nil {
					t.Fatal(err)
				}
				defer ix.Close()
				if err := ix.Sync(ctx); err != nil {
					t.Fatal(err)
				}
				if got := mapped.Load() - before; got != 0 {
					t.Errorf("mapped %d changes again, want none", got)
				}
				if got, want := ids(t, ix, "deploy"), []string{"n1"}; !slices.Equal(got, want) {
					t.Errorf("deploy: got %v, want %v", got, want)
				}
				if got, want := ids(t, ix, "redeploying"), []string{"n3"}; !slices.Equal(got, want) {
					t.Errorf("redeploying: got %v, want %v", got, want)
				}
			})
		})
	}
}

func TestUpgradeWithAnEnumerator(t *testing.T) {
	checkLeaks(t)
	st := backends.Mem(t)
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "idx")
	last := notesBeforeStemming(t, st)
	writeV4Index(t, dir, st)
	// The log is trimmed: only the enumerator can restore the index.
	if err := st.Trim(ctx, last+1); err != nil {
		t.Fatal(err)
	}
	var reports []Progress
	ix, err := New(context.Background(), st, WithMapper(each(mapNote)), WithPath(dir),
		WithRebuildIfLost(enumNotes(st), func(p Progress) { reports = append(reports, p) }))
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	if got, want := ids(t, ix, "deploy"), []string{"n1"}; !slices.Equal(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
	if len(reports) == 0 || !reports[len(reports)-1].Done || reports[len(reports)-1].Docs != 2 {
		t.Errorf("progress: got %+v, want a last report of 2 documents, done", reports)
	}
}

func TestUpgradeFailures(t *testing.T) {
	t.Run("with nothing to rebuild from, New fails with ErrCorrupt", func(t *testing.T) {
		checkLeaks(t)
		st := backends.Mem(t)
		dir := filepath.Join(t.TempDir(), "idx")
		notesBeforeStemming(t, st)
		writeV4Index(t, dir, st)
		_, err := New(context.Background(), nil, WithPath(dir))
		if !errors.Is(err, ErrCorrupt) || !errors.Is(err, store.ErrInvalid) {
			t.Errorf("got %v, want ErrCorrupt", err)
		}
		if got, want := storedVersion(t, dir), "4"; got != want {
			t.Errorf("stored version: got %q, want the old index, %q", got, want)
		}
	})
	t.Run("a failed rebuild leaves the old index for the next New", func(t *testing.T) {
		checkLeaks(t)
		st := backends.Mem(t)
		dir := filepath.Join(t.TempDir(), "idx")
		notesBeforeStemming(t, st)
		writeV4Index(t, dir, st)
		boom := errors.New("boom")
		_, err := New(context.Background(), st, WithMapper(each(func(ctx context.Context, c store.Change) ([]Op, error) { return nil, boom })), WithPath(dir))
		if !errors.Is(err, boom) {
			t.Errorf("got %v, want boom", err)
		}
		if got, want := storedVersion(t, dir), "4"; got != want {
			t.Errorf("stored version: got %q, want the old index, %q", got, want)
		}
		if _, err := os.Stat(dir + ".rebuild"); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("%s.rebuild: got %v, want it gone", dir, err)
		}
		// The lock was released, and the next New upgrades.
		ix, err := New(context.Background(), st, WithMapper(each(mapNote)), WithPath(dir))
		if err != nil {
			t.Fatal(err)
		}
		defer ix.Close()
		if got, want := ids(t, ix, "deploy"), []string{"n1"}; !slices.Equal(got, want) {
			t.Errorf("got %v, want %v", got, want)
		}
	})
	t.Run("a cancelled upgrade is not a half-built index", func(t *testing.T) {
		checkLeaks(t)
		st := backends.Mem(t)
		dir := filepath.Join(t.TempDir(), "idx")
		notesBeforeStemming(t, st)
		writeV4Index(t, dir, st)
		ix := &Index{st: st, cfg: defaults(), cpChanged: make(chan struct{})}
		ix.cfg.path, ix.cfg.mapper = dir, each(mapNote)
		var err error
		if ix.im, err = newMapping(); err != nil {
			t.Fatal(err)
		}
		ix.an = newAnalyzers(ix.im)
		_, stale, err := ix.open()
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		if err := ix.upgrade(ctx, stale); !errors.Is(err, context.Canceled) {
			t.Errorf("got %v, want context.Canceled", err)
		}
		ix.closeIndex()
		if got, want := storedVersion(t, dir), "4"; got != want {
			t.Errorf("stored version: got %q, want the old index, %q", got, want)
		}
	})
}
