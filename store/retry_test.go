package store_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/workspace-go/workspace/store"
	"github.com/workspace-go/workspace/store/memstore"
)

// flaky wraps a store whose Changes and Wait fail with a transient error
// while down is true.
type flaky struct {
	store.Store
	fail func() error
}

func (f *flaky) Changes(ctx context.Context, after uint64, limit int) ([]store.Change, uint64, error) {
	if err := f.fail(); err != nil {
		return nil, after, err
	}
	return f.Store.Changes(ctx, after, limit)
}

func appendN(t *testing.T, st store.Store, n int) {
	t.Helper()
	for i := range n {
		err := st.Update(t.Context(), func(tx store.Tx) error {
			_, err := tx.Append("test", fmt.Appendf(nil, "r%d", i))
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
}

func TestFollowRetriesTransientErrors(t *testing.T) {
	st := memstore.New()
	defer st.Close()
	appendN(t, st, 10)

	storeFailures := 3
	f := &flaky{Store: st, fail: func() error {
		if storeFailures > 0 {
			storeFailures--
			return fmt.Errorf("changes: %w", store.ErrUnavailable)
		}
		return nil
	}}
	var waits []time.Duration
	b := &store.Backoff{
		Min: 10 * time.Millisecond, Max: 40 * time.Millisecond,
		Jitter:  func() float64 { return 0 },
		Sleep:   func(ctx context.Context, d time.Duration) error { waits = append(waits, d); return nil },
		OnRetry: func(error, int, time.Duration) {},
	}
	var got []string
	fnFailures := 2
	ctx, cancel := context.WithCancel(t.Context())
	err := b.Follow(ctx, f, 0, func(c store.Change) error {
		if string(c.Data) == "r5" && fnFailures > 0 {
			fnFailures--
			return fmt.Errorf("map: %w", store.ErrUnavailable)
		}
		got = append(got, string(c.Data))
		if len(got) == 10 {
			cancel()
		}
		return nil
	})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("Follow = %v, want context.Canceled", err)
	}
	want := []string{"r0", "r1", "r2", "r3", "r4", "r5", "r6", "r7", "r8", "r9"}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("records = %v, want each once, in order: %v", got, want)
	}
	// Three store failures in a row: 5, 10, 20 ms (half of 10, 20, 40 with
	// no jitter); then progress resets the run, and fn's two failures wait
	// 5 and 10 ms.
	if fmt.Sprint(waits) != "[5ms 10ms 20ms 5ms 10ms]" {
		t.Errorf("waits = %v, want [5ms 10ms 20ms 5ms 10ms]", waits)
	}
}

func TestFollowStopsOnPermanentError(t *testing.T) {
	st := memstore.New()
	defer st.Close()
	appendN(t, st, 3)
	bad := errors.New("corrupt record")
	n := 0
	err := store.Follow(t.Context(), st, 0, func(c store.Change) error {
		n++
		if n == 2 {
			return bad
		}
		return nil
	})
	if !errors.Is(err, bad) {
		t.Fatalf("Follow = %v, want the permanent error", err)
	}
	if n != 2 {
		t.Errorf("fn called %d times, want 2: a permanent error is not retried", n)
	}
}

func TestRetryCapsTheWait(t *testing.T) {
	var waits []time.Duration
	b := &store.Backoff{
		Min: time.Second, Max: 4 * time.Second,
		Jitter: func() float64 { return 0.999 },
		Sleep: func(ctx context.Context, d time.Duration) error {
			waits = append(waits, d.Round(100*time.Millisecond))
			return nil
		},
	}
	n := 0
	err := b.Retry(t.Context(), func() error {
		if n++; n < 6 {
			return store.ErrUnavailable
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(waits) != "[1s 2s 4s 4s 4s]" {
		t.Errorf("waits = %v, want doubling up to the 4s cap", waits)
	}
}

func TestCode(t *testing.T) {
	for _, tc := range []struct {
		err  error
		want string
	}{
		{nil, ""},
		{fmt.Errorf("chat: get message %q: %w", "m1", store.ErrNotFound), "not_found"},
		{fmt.Errorf("x: %w", store.ErrTooLarge), "too_large"},
		{store.ErrReadOnly, "invalid"},
		{store.ErrOutsideNamespace, "permission"},
		{fmt.Errorf("pg: %w", store.ErrUnavailable), "unavailable"},
		{context.DeadlineExceeded, "timeout"},
		{errors.New("boom"), "internal"},
	} {
		if got := store.Code(tc.err); got != tc.want {
			t.Errorf("Code(%v) = %q, want %q", tc.err, got, tc.want)
		}
	}
}
