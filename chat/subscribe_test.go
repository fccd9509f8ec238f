package chat_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/workspace-go/workspace/chat"
	"github.com/workspace-go/workspace/store"
	"github.com/workspace-go/workspace/store/memstore"
)

// faultyStore fails the change-log reads it is told to: the next
// transient calls with store.ErrUnavailable, and every call with
// permanent once set.
type faultyStore struct {
	store.Store
	mu        sync.Mutex
	transient int
	permanent error
	failed    int
}

func (f *faultyStore) fault() error {
	f.mu.Lock()
	defer f.mu.Unlock()
	switch {
	case f.permanent != nil:
		return f.permanent
	case f.transient > 0:
		f.transient--
		f.failed++
		return fmt.Errorf("injected: connection reset: %w", store.ErrUnavailable)
	}
	return nil
}

func (f *faultyStore) fail(n int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.transient += n
}

func (f *faultyStore) Changes(ctx context.Context, after uint64, limit int) ([]store.Change, uint64, error) {
	if err := f.fault(); err != nil {
		return nil, 0, err
	}
	return f.Store.Changes(ctx, after, limit)
}

func (f *faultyStore) Wait(ctx context.Context, after uint64) (uint64, error) {
	if err := f.fault(); err != nil {
		return 0, err
	}
	return f.Store.Wait(ctx, after)
}

// faultyEnv is a service over a faultyStore whose subscriptions retry
// without waiting, counting the retries.
func faultyEnv(t *testing.T) (*faultyStore, *chat.Service, *int) {
	t.Helper()
	st := &faultyStore{Store: memstore.New()}
	t.Cleanup(func() { st.Close() })
	var mu sync.Mutex
	retries := 0
	b := &store.Backoff{
		Sleep: func(ctx context.Context, d time.Duration) error { return ctx.Err() },
		OnRetry: func(err error, attempt int, wait time.Duration) {
			mu.Lock()
			defer mu.Unlock()
			retries++
		},
	}
	svc, err := chat.New(t.Context(), st, chat.WithBackoff(b))
	if err != nil {
		t.Fatal(err)
	}
	return st, svc, &retries
}

func TestSubscribeRetriesTransientErrorsFromItsPosition(t *testing.T) {
	st, svc, retries := faultyEnv(t)
	ctx := t.Context()
	c, err := svc.CreateGroup(ctx, "ann", chat.GroupOptions{Name: "g", Members: []string{"bob"}})
	if err != nil {
		t.Fatal(err)
	}
	sub, err := svc.Subscribe(ctx, "bob")
	if err != nil {
		t.Fatal(err)
	}
	var want []string
	for i := range 5 {
		st.fail(3) // the database goes away for three reads
		m, err := svc.Post(ctx, "ann", c.ID, chat.Draft{Text: fmt.Sprint("m", i)})
		if err != nil {
			t.Fatal(err)
		}
		want = append(want, m.ID)
	}
	var got []string
	for len(got) < len(want) {
		select {
		case ch, ok := <-sub.C():
			if !ok {
				t.Fatalf("the subscription ended: %v", sub.Err())
			}
			got = append(got, ch.MessageID)
		case <-time.After(10 * time.Second):
			t.Fatalf("got %d of %d messages", len(got), len(want))
		}
	}
	if !equal(got, want) {
		t.Errorf("got %v, want each message once, in order: %v", got, want)
	}
	if sub.Err() != nil {
		t.Errorf("got Err %v while running, want nil", sub.Err())
	}
	st.mu.Lock()
	failed := st.failed
	st.mu.Unlock()
	// Every injected failure was met, and retried, before the message
	// after it could be read.
	if failed != 15 || *retries != 15 {
		t.Errorf("got %d injected failures and %d retries, want 15 of each", failed, *retries)
	}
}

func TestASubscriptionSaysWhyItEnded(t *testing.T) {
	t.Run("a permanent store error", func(t *testing.T) {
		st, svc, _ := faultyEnv(t)
		sub, err := svc.Subscribe(t.Context(), "bob")
		if err != nil {
			t.Fatal(err)
		}
		boom := errors.New("disk on fire")
		st.mu.Lock()
		st.permanent = boom
		st.mu.Unlock()
		// Wake the subscriber.
		if _, err := svc.OpenDirect(t.Context(), "ann", "bob"); err != nil {
			t.Fatal(err)
		}
		for range sub.C() {
		}
		if !errors.Is(sub.Err(), boom) {
			t.Errorf("got %v, want the store's error", sub.Err())
		}
	})
	t.Run("a malformed chat record", func(t *testing.T) {
		st := memstore.New()
		defer st.Close()
		svc, err := chat.New(t.Context(), st)
		if err != nil {
			t.Fatal(err)
		}
		sub, err := svc.Subscribe(t.Context(), "bob")
		if err != nil {
			t.Fatal(err)
		}
		err = st.Update(t.Context(), func(tx store.Tx) error { _, err := tx.Append(chat.Kind, []byte("{")); return err })
		if err != nil {
			t.Fatal(err)
		}
		for range sub.C() {
		}
		if !errors.Is(sub.Err(), store.ErrInvalid) {
			t.Errorf("got %v, want an invalid-record error", sub.Err())
		}
	})
	t.Run("the context ended", func(t *testing.T) {
		_, svc, _ := faultyEnv(t)
		ctx, cancel := context.WithCancel(t.Context())
		sub, err := svc.Subscribe(ctx, "bob")
		if err != nil {
			t.Fatal(err)
		}
		if sub.Err() != nil {
			t.Errorf("got Err %v before the end, want nil", sub.Err())
		}
		cancel()
		for range sub.C() {
		}
		<-sub.Done()
		if !errors.Is(sub.Err(), context.Canceled) {
			t.Errorf("got %v, want context.Canceled", sub.Err())
		}
	})
	t.Run("the store closed", func(t *testing.T) {
		st, svc, _ := faultyEnv(t)
		sub, err := svc.Subscribe(t.Context(), "bob")
		if err != nil {
			t.Fatal(err)
		}
		st.Close()
		for range sub.C() {
		}
		if !errors.Is(sub.Err(), store.ErrClosed) {
			t.Errorf("got %v, want store.ErrClosed", sub.Err())
		}
	})
}
