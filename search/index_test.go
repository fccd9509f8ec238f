package search

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/workspace-go/workspace/internal/backends"
	"github.com/workspace-go/workspace/internal/keys"
	"github.com/workspace-go/workspace/store"
)

// noteChange is the change record of a tiny test application that stores
// notes, standing in for chat or task.
type noteChange struct {
	Type string `json:"type"` // "note.saved" or "note.deleted"
	ID   string `json:"id"`
	Conv string `json:"conv"`
	Text string `json:"text"`
}

const noteKind = "note"

// saveNote writes a note and its change record in one transaction, the
// way a feature package does, and returns the record's position.
func saveNote(t *testing.T, st store.Store, c noteChange) uint64 {
	t.Helper()
	data, err := json.Marshal(c)
	if err != nil {
		t.Fatal(err)
	}
	var seq uint64
	err = st.Update(context.Background(), func(tx store.Tx) error {
		k := keys.New("note", c.ID)
		var err error
		if c.Type == "note.deleted" {
			err = tx.Delete(k)
		} else {
			err = tx.Put(k, data)
		}
		if err != nil {
			return err
		}
		seq, err = tx.Append(noteKind, data)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return seq
}

// each adapts a function returning a record's operations to a Mapper.
func each(f func(ctx context.Context, c store.Change) ([]Op, error)) Mapper {
	return func(ctx context.Context, c store.Change, emit func(Op) error) error {
		ops, err := f(ctx, c)
		if err != nil {
			return err
		}
		for _, o := range ops {
			if err := emit(o); err != nil {
				return err
			}
		}
		return nil
	}
}

// mapNote maps the test application's records.
func mapNote(ctx context.Context, c store.Change) ([]Op, error) {
	if c.Kind != noteKind {
		return nil, nil
	}
	var n noteChange
	if err := json.Unmarshal(c.Data, &n); err != nil {
		return nil, err
	}
	if n.Type == "note.deleted" {
		return []Op{Delete(KindDoc, n.ID)}, nil
	}
	return []Op{Upsert(Document{Kind: KindDoc, ID: n.ID, Container: n.Conv, Body: n.Text,
		Time: time.Date(2025, 1, 1, 0, 0, int(c.Seq), 0, time.UTC), AccessKeys: []string{"conv:" + n.Conv}})}, nil
}

// enumNotes is the test application's Enumerator: every note in st.
func enumNotes(st store.Store) Enumerator {
	return func(ctx context.Context, yield func(Document) error) error {
		var docs []Document
		err := st.View(ctx, func(tx store.Tx) error {
			for _, v := range tx.Scan(store.Prefix(keys.New("note"))) {
				var n noteChange
				if err := json.Unmarshal(v, &n); err != nil {
					return err
				}
				docs = append(docs, Document{Kind: KindDoc, ID: n.ID, Container: n.Conv, Body: n.Text, AccessKeys: []string{"conv:" + n.Conv}})
			}
			return nil
		})
		if err != nil {
			return err
		}
		for _, d := range docs {
			if err := yield(d); err != nil {
				return err
			}
		}
		return nil
	}
}

// ids returns the ids of the hits of q, for a searcher holding every
// conversation key used in the tests.
func ids(t *testing.T, ix *Index, q string) []string {
	t.Helper()
	r, err := ix.Search(context.Background(), "u1", Request{Query: q, Keys: []string{"conv:a", "conv:b"}, Sort: ByOldest, Size: MaxSize})
	if err != nil {
		t.Fatalf("search %q: %v", q, err)
	}
	var out []string
	for _, h := range r.Items {
		out = append(out, h.ID)
	}
	if r.Total != len(out) {
		t.Errorf("search %q: total %d, %d hits", q, r.Total, len(out))
	}
	return out
}

// checkLeaks fails the test if goroutines started during it are still
// running once it ends. bleve's scorch goroutines stop asynchronously
// after Close, so it waits for them, up to a deadline.
func checkLeaks(t *testing.T) {
	before := runtime.NumGoroutine()
	t.Cleanup(func() {
		deadline := time.Now().Add(5 * time.Second)
		for runtime.NumGoroutine() > before {
			if time.Now().After(deadline) {
				buf := make([]byte, 1<<16)
				t.Errorf("goroutines: %d before, %d after:\n%s", before, runtime.NumGoroutine(), buf[:runtime.Stack(buf, true)])
				return
			}
			time.Sleep(10 * time.Millisecond)
		}
	})
}

func TestIndexerFollowsTheChangeLog(t *testing.T) {
	for _, b := range backends.All() {
		t.Run(b.Name, func(t *testing.T) {
			checkLeaks(t)
			st := b.Open(t)
			ctx := context.Background()
			ix, err := New(context.Background(), st, WithMapper(each(mapNote)), WithPath(filepath.Join(t.TempDir(), "idx")), WithBatchSize(2))
			if err != nil {
				t.Fatal(err)
			}
			defer ix.Close()

			saveNote(t, st, noteChange{Type: "note.saved", ID: "n1", Conv: "a", Text: "季度报价单 draft"})
			saveNote(t, st, noteChange{Type: "note.saved", ID: "n2", Conv: "b", Text: "报价单 final"})
			seq := saveNote(t, st, noteChange{Type: "note.saved", ID: "n3", Conv: "a", Text: "unrelated"})
			if err := ix.WaitFor(ctx, seq); err != nil {
				t.Fatal(err)
			}
			if got, want := ids(t, ix, "报价单"), []string{"n1", "n2"}; !slices.Equal(got, want) {
				t.Errorf("after creates: got %v, want %v", got, want)
			}

			saveNote(t, st, noteChange{Type: "note.saved", ID: "n1", Conv: "a", Text: "季度合同 draft"})
			saveNote(t, st, noteChange{Type: "note.deleted", ID: "n2"})
			if err := ix.Sync(ctx); err != nil {
				t.Fatal(err)
			}
			t.Run("an edit re-indexes", func(t *testing.T) {
				if got, want := ids(t, ix, "合同"), []string{"n1"}; !slices.Equal(got, want) {
					t.Errorf("got %v, want %v", got, want)
				}
			})
			t.Run("a delete removes", func(t *testing.T) {
				if got := ids(t, ix, "报价单"); len(got) != 0 {
					t.Errorf("got %v, want none", got)
				}
			})
			t.Run("the checkpoint is the last position", func(t *testing.T) {
				last, _ := st.Last(ctx)
				if got, want := ix.Checkpoint(), last; got != want {
					t.Errorf("got %d, want %d", got, want)
				}
			})
		})
	}
}

func TestIndexerResumesFromItsCheckpoint(t *testing.T) {
	for _, b := range backends.All() {
		t.Run(b.Name, func(t *testing.T) {
			checkLeaks(t)
			st := b.Open(t)
			ctx := context.Background()
			dir := filepath.Join(t.TempDir(), "idx")
			var mu sync.Mutex
			mapped := map[uint64]int{}
			counting := func(ctx context.Context, c store.Change) ([]Op, error) {
				mu.Lock()
				mapped[c.Seq]++
				mu.Unlock()
				return mapNote(ctx, c)
			}
			ix, err := New(context.Background(), st, WithMapper(each(counting)), WithPath(dir))
			if err != nil {
				t.Fatal(err)
			}
			for i := range 5 {
				saveNote(t, st, noteChange{Type: "note.saved", ID: fmt.Sprint("n", i), Conv: "a", Text: "before restart"})
			}
			if err := ix.Sync(ctx); err != nil {
				t.Fatal(err)
			}
			if err := ix.Close(); err != nil {
				t.Fatal(err)
			}
			// Written while no indexer runs.
			for i := 5; i < 8; i++ {
				saveNote(t, st, noteChange{Type: "note.saved", ID: fmt.Sprint("n", i), Conv: "a", Text: "while down"})
			}
			ix, err = New(context.Background(), st, WithMapper(each(counting)), WithPath(dir))
			if err != nil {
				t.Fatal(err)
			}
			defer ix.Close()
			if err := ix.Sync(ctx); err != nil {
				t.Fatal(err)
			}
			if got, want := len(ids(t, ix, "while down")), 3; got != want {
				t.Errorf("changes made while down: got %d, want %d", got, want)
			}
			if got, want := len(ids(t, ix, "before restart")), 5; got != want {
				t.Errorf("changes made before: got %d, want %d", got, want)
			}
			mu.Lock()
			defer mu.Unlock()
			for seq, n := range mapped {
				if n != 1 {
					t.Errorf("change %d mapped %d times, want once", seq, n)
				}
			}
		})
	}
}

func TestIndexerStopsOnAMapperError(t *testing.T) {
	checkLeaks(t)
	st := backends.Mem(t)
	boom := errors.New("boom")
	ix, err := New(context.Background(), st, WithMapper(each(func(ctx context.Context, c store.Change) ([]Op, error) { return nil, boom })))
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	saveNote(t, st, noteChange{Type: "note.saved", ID: "n1", Conv: "a", Text: "x"})
	err = ix.Sync(context.Background())
	if !errors.Is(err, boom) || !errors.Is(err, ErrIndexerStopped) {
		t.Errorf("got %v, want an error wrapping boom and ErrIndexerStopped", err)
	}
}

func TestSyncWithoutIndexer(t *testing.T) {
	ix, err := New(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	if err := ix.Sync(context.Background()); !errors.Is(err, ErrNoIndexer) {
		t.Errorf("got %v, want ErrNoIndexer", err)
	}
}

func TestWaitForEndsWithItsContext(t *testing.T) {
	checkLeaks(t)
	st := backends.Mem(t)
	ix, err := New(context.Background(), st, WithMapper(each(mapNote)))
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := ix.WaitFor(ctx, 1000); !errors.Is(err, context.Canceled) {
		t.Errorf("got %v, want context.Canceled", err)
	}
}

func TestRebuild(t *testing.T) {
	for _, b := range backends.All() {
		t.Run(b.Name, func(t *testing.T) {
			checkLeaks(t)
			st := b.Open(t)
			ctx := context.Background()
			dir := filepath.Join(t.TempDir(), "idx")
			for i := range 25 {
				saveNote(t, st, noteChange{Type: "note.saved", ID: fmt.Sprint("n", i), Conv: "a", Text: "rebuilt note"})
			}
			// The log is trimmed: replaying it cannot restore the index.
			last, _ := st.Last(ctx)
			if err := st.Trim(ctx, last+1); err != nil {
				t.Fatal(err)
			}
			var reports []Progress
			ix, err := New(context.Background(), st, WithMapper(each(mapNote)), WithPath(dir), WithBatchSize(10),
				WithRebuildIfLost(enumNotes(st), func(p Progress) { reports = append(reports, p) }))
			if err != nil {
				t.Fatal(err)
			}
			defer ix.Close()
			t.Run("a lost index is rebuilt from the store", func(t *testing.T) {
				if got, want := len(ids(t, ix, "rebuilt")), 25; got != want {
					t.Errorf("got %d, want %d", got, want)
				}
			})
			t.Run("progress is reported", func(t *testing.T) {
				if len(reports) < 3 || !reports[len(reports)-1].Done || reports[len(reports)-1].Docs != 25 {
					t.Errorf("got %+v, want several reports ending with 25 done", reports)
				}
			})
			t.Run("changes after the rebuild are indexed", func(t *testing.T) {
				seq := saveNote(t, st, noteChange{Type: "note.saved", ID: "late", Conv: "a", Text: "late note"})
				if err := ix.WaitFor(ctx, seq); err != nil {
					t.Fatal(err)
				}
				if got, want := ids(t, ix, "late"), []string{"late"}; !slices.Equal(got, want) {
					t.Errorf("got %v, want %v", got, want)
				}
			})
			t.Run("an explicit rebuild replaces the contents", func(t *testing.T) {
				err := ix.Rebuild(ctx, func(ctx context.Context, yield func(Document) error) error {
					return yield(Document{Kind: KindDoc, ID: "only", Body: "only one", AccessKeys: []string{"conv:a"}})
				}, nil)
				if err != nil {
					t.Fatal(err)
				}
				if got, want := ids(t, ix, "only"), []string{"only"}; !slices.Equal(got, want) {
					t.Errorf("got %v, want %v", got, want)
				}
				if got := ids(t, ix, "rebuilt"); len(got) != 0 {
					t.Errorf("old documents: got %v, want none", got)
				}
			})
			t.Run("a failed rebuild leaves the index as it was", func(t *testing.T) {
				boom := errors.New("boom")
				err := ix.Rebuild(ctx, func(ctx context.Context, yield func(Document) error) error {
					if err := yield(Document{Kind: KindDoc, ID: "x", Body: "partial"}); err != nil {
						return err
					}
					return boom
				}, nil)
				if !errors.Is(err, boom) {
					t.Errorf("got %v, want boom", err)
				}
				if got, want := ids(t, ix, "only"), []string{"only"}; !slices.Equal(got, want) {
					t.Errorf("got %v, want %v", got, want)
				}
			})
		})
	}
}

func TestOpen(t *testing.T) {
	t.Run("a directory in use fails fast with ErrLocked", func(t *testing.T) {
		checkLeaks(t)
		dir := filepath.Join(t.TempDir(), "idx")
		ix, err := New(context.Background(), nil, WithPath(dir))
		if err != nil {
			t.Fatal(err)
		}
		defer ix.Close()
		start := time.Now()
		_, err = New(context.Background(), nil, WithPath(dir), WithLockTimeout(50*time.Millisecond))
		if !errors.Is(err, ErrLocked) || !errors.Is(err, store.ErrConflict) {
			t.Errorf("got %v, want ErrLocked", err)
		}
		if d := time.Since(start); d > 5*time.Second {
			t.Errorf("took %v", d)
		}
	})
	t.Run("a closed index can be opened again, parent directories made", func(t *testing.T) {
		checkLeaks(t)
		dir := filepath.Join(t.TempDir(), "a", "b", "idx")
		ix, err := New(context.Background(), nil, WithPath(dir))
		if err != nil {
			t.Fatal(err)
		}
		if err := ix.Apply(context.Background(), Upsert(Document{Kind: KindDoc, ID: "d1", Body: "persisted", AccessKeys: []string{"conv:a"}})); err != nil {
			t.Fatal(err)
		}
		ix.Close()
		ix, err = New(context.Background(), nil, WithPath(dir))
		if err != nil {
			t.Fatal(err)
		}
		defer ix.Close()
		if got, want := ids(t, ix, "persisted"), []string{"d1"}; !slices.Equal(got, want) {
			t.Errorf("got %v, want %v", got, want)
		}
	})
	t.Run("a corrupt directory fails with ErrCorrupt", func(t *testing.T) {
		checkLeaks(t)
		dir := filepath.Join(t.TempDir(), "idx")
		if err := os.MkdirAll(dir, 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, "index_meta.json"), []byte("{garbage"), 0o600); err != nil {
			t.Fatal(err)
		}
		_, err := New(context.Background(), nil, WithPath(dir))
		if !errors.Is(err, ErrCorrupt) {
			t.Errorf("got %v, want ErrCorrupt", err)
		}
		// And the lock was released.
		st := backends.Mem(t)
		ix, err := New(context.Background(), st, WithPath(dir), WithRebuildIfLost(enumNotes(st), nil))
		if err != nil {
			t.Fatalf("with rebuild: %v", err)
		}
		ix.Close()
	})
	t.Run("calls after Close fail with ErrClosed", func(t *testing.T) {
		ix, err := New(context.Background(), nil)
		if err != nil {
			t.Fatal(err)
		}
		ix.Close()
		if err := ix.Close(); err != nil {
			t.Errorf("second Close: %v", err)
		}
		if _, err := ix.Search(context.Background(), "u1", Request{Query: "x", Keys: []string{"k"}}); !errors.Is(err, store.ErrClosed) {
			t.Errorf("Search: got %v, want ErrClosed", err)
		}
		if err := ix.Apply(context.Background()); !errors.Is(err, store.ErrClosed) {
			t.Errorf("Apply: got %v, want ErrClosed", err)
		}
	})
}

func TestIndexerOnANamespace(t *testing.T) {
	for _, b := range backends.All() {
		t.Run(b.Name, func(t *testing.T) {
			checkLeaks(t)
			root := b.Open(t)
			ns, err := store.Namespace(root, "acme")
			if err != nil {
				t.Fatal(err)
			}
			other, err := store.Namespace(root, "globex")
			if err != nil {
				t.Fatal(err)
			}
			ix, err := New(context.Background(), ns, WithMapper(each(mapNote)))
			if err != nil {
				t.Fatal(err)
			}
			defer ix.Close()
			saveNote(t, ns, noteChange{Type: "note.saved", ID: "n1", Conv: "a", Text: "ours"})
			saveNote(t, other, noteChange{Type: "note.saved", ID: "n2", Conv: "a", Text: "theirs"})
			// The last records of the log belong to another tenant: Sync
			// still returns once the indexer has moved past them.
			if err := ix.Sync(context.Background()); err != nil {
				t.Fatal(err)
			}
			if got, want := ids(t, ix, "ours"), []string{"n1"}; !slices.Equal(got, want) {
				t.Errorf("got %v, want %v", got, want)
			}
			if got := ids(t, ix, "theirs"); len(got) != 0 {
				t.Errorf("another tenant's note: got %v, want none", got)
			}
		})
	}
}

// memstoreWithNotes returns a store holding n notes.
func memstoreWithNotes(t *testing.T, n int) store.Store {
	st := backends.Mem(t)
	for i := range n {
		saveNote(t, st, noteChange{Type: "note.saved", ID: fmt.Sprint("n", i), Conv: "a", Text: "note"})
	}
	return st
}
