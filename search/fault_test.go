package search

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/workspace-go/workspace/internal/backends"
	"github.com/workspace-go/workspace/store"
)

// flakyStore fails Changes, Wait and Last with a transient error while
// its budget of failures lasts, the way a store does while its database
// restarts.
type flakyStore struct {
	store.Store
	mu                  sync.Mutex
	changes, wait, last int // failures left
	failedC, failedW    int // failures given
	permanent           error
}

func (f *flakyStore) fail(left *int, given *int) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.permanent != nil {
		return f.permanent
	}
	if *left > 0 {
		*left--
		if given != nil {
			*given++
		}
		return fmt.Errorf("flaky: connection reset: %w", store.ErrUnavailable)
	}
	return nil
}

func (f *flakyStore) Changes(ctx context.Context, after uint64, limit int) ([]store.Change, uint64, error) {
	if err := f.fail(&f.changes, &f.failedC); err != nil {
		return nil, 0, err
	}
	return f.Store.Changes(ctx, after, limit)
}

func (f *flakyStore) Wait(ctx context.Context, after uint64) (uint64, error) {
	if err := f.fail(&f.wait, &f.failedW); err != nil {
		return 0, err
	}
	return f.Store.Wait(ctx, after)
}

func (f *flakyStore) Last(ctx context.Context) (uint64, error) {
	if err := f.fail(&f.last, nil); err != nil {
		return 0, err
	}
	return f.Store.Last(ctx)
}

func (f *flakyStore) set(fn func(f *flakyStore)) {
	f.mu.Lock()
	defer f.mu.Unlock()
	fn(f)
}

// instantBackoff retries at once and counts the retries.
type instantBackoff struct {
	mu      sync.Mutex
	retries int
}

func (ib *instantBackoff) backoff() *store.Backoff {
	return &store.Backoff{
		Sleep: func(ctx context.Context, d time.Duration) error { return ctx.Err() },
		OnRetry: func(err error, attempt int, wait time.Duration) {
			ib.mu.Lock()
			ib.retries++
			ib.mu.Unlock()
		},
	}
}

func (ib *instantBackoff) count() int {
	ib.mu.Lock()
	defer ib.mu.Unlock()
	return ib.retries
}

func TestIndexerRetriesTransientErrors(t *testing.T) {
	for _, b := range backends.All() {
		t.Run(b.Name, func(t *testing.T) {
			checkLeaks(t)
			ctx := context.Background()
			raw := b.Open(t)
			st := &flakyStore{Store: raw}

			// The mapper fails transiently twice on every third note, and
			// counts the calls that succeed: each change exactly once.
			var mu sync.Mutex
			mapped := map[uint64]int{}
			mapperFails := map[uint64]int{}
			mapper := func(ctx context.Context, c store.Change) ([]Op, error) {
				mu.Lock()
				defer mu.Unlock()
				if c.Seq%3 == 0 && mapperFails[c.Seq] < 2 {
					mapperFails[c.Seq]++
					return nil, fmt.Errorf("read message: %w", store.ErrUnavailable)
				}
				mapped[c.Seq]++
				return mapNote(ctx, c)
			}
			var ib instantBackoff
			st.set(func(f *flakyStore) { f.changes, f.wait = 3, 3 })
			ix, err := New(context.Background(), st, WithMapper(each(mapper)), WithBatchSize(4), WithBackoff(ib.backoff()))
			if err != nil {
				t.Fatal(err)
			}
			defer ix.Close()
			var last uint64
			for i := range 20 {
				last = saveNote(t, raw, noteChange{Type: "note.saved", ID: fmt.Sprint("n", i), Conv: "a", Text: fmt.Sprint("outage note", i)})
				if i == 9 {
					if err := ix.Sync(ctx); err != nil {
						t.Fatalf("Sync after the first outage: %v", err)
					}
					// The database goes away again.
					st.set(func(f *flakyStore) { f.changes, f.wait, f.last = 2, 2, 2 })
				}
			}
			if err := ix.Sync(ctx); err != nil {
				t.Fatalf("Sync after transient errors: %v", err)
			}
			if err := ix.Err(); err != nil {
				t.Errorf("Err() = %v after transient errors, want nil", err)
			}
			if got := ix.Checkpoint(); got < last {
				t.Errorf("checkpoint %d, want at least %d", got, last)
			}
			if got := len(ids(t, ix, "outage")); got != 20 {
				t.Errorf("found %d notes, want 20", got)
			}
			mu.Lock()
			for seq, n := range mapped {
				if n != 1 {
					t.Errorf("change %d mapped %d times, want once", seq, n)
				}
			}
			if len(mapped) < 20 {
				t.Errorf("%d changes mapped, want 20", len(mapped))
			}
			mu.Unlock()
			st.mu.Lock()
			failed := st.failedC + st.failedW
			st.mu.Unlock()
			if failed < 5 {
				t.Errorf("the store failed only %d times: the test did not test retries", failed)
			}
			if ib.count() < failed {
				t.Errorf("%d retries reported for %d store failures (and the mapper's)", ib.count(), failed)
			}
		})
	}
}

func TestIndexerStopsOnAPermanentStoreError(t *testing.T) {
	checkLeaks(t)
	ctx := context.Background()
	raw := backends.Mem(t)
	st := &flakyStore{Store: raw}
	var ib instantBackoff
	ix, err := New(context.Background(), st, WithMapper(each(mapNote)), WithBackoff(ib.backoff()))
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	saveNote(t, raw, noteChange{Type: "note.saved", ID: "n1", Conv: "a", Text: "first"})
	if err := ix.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	corrupt := fmt.Errorf("flaky: corrupt record: %w", store.ErrInvalid)
	st.set(func(f *flakyStore) { f.permanent = corrupt })
	seq := saveNote(t, raw, noteChange{Type: "note.saved", ID: "n2", Conv: "a", Text: "second"})
	err = ix.WaitFor(ctx, seq)
	if !errors.Is(err, corrupt) || !errors.Is(err, ErrIndexerStopped) {
		t.Errorf("WaitFor: got %v, want an error wrapping the cause and ErrIndexerStopped", err)
	}
	if err := ix.Err(); !errors.Is(err, corrupt) {
		t.Errorf("Err() = %v, want the cause", err)
	}
	if n := ib.count(); n != 0 {
		t.Errorf("a permanent error was retried %d times", n)
	}
}

func TestIndexerStopsOnAPermanentMapperError(t *testing.T) {
	checkLeaks(t)
	st := backends.Mem(t)
	var ib instantBackoff
	refused := fmt.Errorf("refuse record: %w", store.ErrInvalid)
	ix, err := New(context.Background(), st, WithBackoff(ib.backoff()), WithMapper(each(func(ctx context.Context, c store.Change) ([]Op, error) {
		return nil, refused
	})))
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	saveNote(t, st, noteChange{Type: "note.saved", ID: "n1", Conv: "a", Text: "x"})
	if err := ix.Sync(context.Background()); !errors.Is(err, refused) || !errors.Is(err, ErrIndexerStopped) {
		t.Errorf("Sync: got %v, want an error wrapping the mapper's and ErrIndexerStopped", err)
	}
	if !errors.Is(ix.Err(), refused) {
		t.Errorf("Err() = %v, want the mapper's error", ix.Err())
	}
	if n := ib.count(); n != 0 {
		t.Errorf("a permanent error was retried %d times", n)
	}
}

func TestAMapperMayEmitMoreThanABatch(t *testing.T) {
	checkLeaks(t)
	st := backends.Mem(t)
	const n = 1000
	mapper := func(ctx context.Context, c store.Change, emit func(Op) error) error {
		if c.Kind != noteKind {
			return nil
		}
		for i := range n {
			err := emit(Upsert(Document{Kind: KindDoc, ID: fmt.Sprint("d", c.Seq, "-", i), Body: "folder member", AccessKeys: []string{"conv:a"}}))
			if err != nil {
				return err
			}
		}
		return nil
	}
	ix, err := New(context.Background(), st, WithMapper(mapper), WithBatchSize(64))
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	saveNote(t, st, noteChange{Type: "note.saved", ID: "n1", Conv: "a", Text: "x"})
	last := saveNote(t, st, noteChange{Type: "note.saved", ID: "n2", Conv: "a", Text: "x"})
	if err := ix.Sync(context.Background()); err != nil {
		t.Fatal(err)
	}
	if got, _ := ix.Count(); got != 2*n {
		t.Errorf("indexed %d documents, want %d", got, 2*n)
	}
	if got := ix.Checkpoint(); got != last {
		t.Errorf("checkpoint %d, want %d", got, last)
	}
}

// laggingStore reports in Last one record less than Changes shows, until
// Wait is called for that record, the way boltstore briefly does between
// its commit and its publication of the new position.
type laggingStore struct {
	store.Store
	mu     sync.Mutex
	caught map[uint64]bool
}

func (l *laggingStore) Last(ctx context.Context) (uint64, error) {
	last, err := l.Store.Last(ctx)
	l.mu.Lock()
	defer l.mu.Unlock()
	if err == nil && last > 0 && !l.caught[last] {
		last--
	}
	return last, err
}

func (l *laggingStore) Wait(ctx context.Context, after uint64) (uint64, error) {
	last, err := l.Store.Wait(ctx, after)
	if err == nil {
		l.mu.Lock()
		l.caught[last] = true
		l.mu.Unlock()
	}
	return last, err
}

func TestIndexerMapsARecordOnlyOnceLastCoversIt(t *testing.T) {
	checkLeaks(t)
	raw := backends.Mem(t)
	st := &laggingStore{Store: raw, caught: map[uint64]bool{}}
	var mu sync.Mutex
	var early []uint64
	mapper := func(ctx context.Context, c store.Change, emit func(Op) error) error {
		last, err := st.Last(ctx)
		if err != nil {
			return err
		}
		if last < c.Seq {
			mu.Lock()
			early = append(early, c.Seq)
			mu.Unlock()
		}
		return nil
	}
	ix, err := New(context.Background(), st, WithMapper(mapper))
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	var last uint64
	for i := range 5 {
		last = saveNote(t, raw, noteChange{Type: "note.saved", ID: fmt.Sprint("n", i), Conv: "a", Text: "x"})
	}
	if err := ix.WaitFor(context.Background(), last); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(early) > 0 {
		t.Errorf("records %v were mapped while Last did not cover them yet", early)
	}
}
