package commitq

import (
	"context"
	"errors"
	"runtime"
	"testing"

	"github.com/workspace-go/workspace/store"
)

var errClosed = errors.New("closed")

// committer runs every request of the next group once and finishes it.
func committer(q *Queue) {
	for range q.Kick() {
		group := q.Take(10)
		for _, r := range group {
			if r.Start() {
				r.Err = r.Fn(nil)
			}
		}
		Finish(group)
	}
}

func TestDoReturnsTheFunctionsError(t *testing.T) {
	q := New()
	go committer(q)
	defer close(q.kick)
	boom := errors.New("boom")
	if err := q.Do(context.Background(), func(store.Tx) error { return boom }, errClosed); err != boom {
		t.Errorf("Do = %v; want the function's error", err)
	}
}

func TestAnAbandonedRequestNeverRuns(t *testing.T) {
	q := New()
	ctx, cancel := context.WithCancel(context.Background())
	ran := false
	done := make(chan error)
	go func() { done <- q.Do(ctx, func(store.Tx) error { ran = true; return nil }, errClosed) }()
	<-q.Kick() // queued, and nobody is committing
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Errorf("Do = %v; want context.Canceled", err)
	}
	group := q.Take(10)
	if len(group) != 1 || group[0].Start() {
		t.Fatalf("took %d requests, startable: the abandoned request must not start", len(group))
	}
	Finish(group) // must not close an abandoned request's channel twice or block
	if ran {
		t.Error("the abandoned function ran")
	}
}

func TestAPanicReachesTheCaller(t *testing.T) {
	q := New()
	go func() {
		<-q.Kick()
		group := q.Take(1)
		group[0].Start()
		group[0].Panic = "kaboom"
		Finish(group)
	}()
	defer func() {
		if r := recover(); r != "kaboom" {
			t.Errorf("recovered %v; want kaboom", r)
		}
	}()
	q.Do(context.Background(), func(store.Tx) error { return nil }, errClosed)
}

func TestCloseRefusesAndFailFinishes(t *testing.T) {
	q := New()
	done := make(chan error)
	go func() { done <- q.Do(context.Background(), func(store.Tx) error { return nil }, errClosed) }()
	<-q.Kick()
	if !q.Close() || q.Close() {
		t.Error("Close should report true once, then false")
	}
	if err := q.Do(context.Background(), func(store.Tx) error { return nil }, errClosed); err != errClosed {
		t.Errorf("Do on a closed queue = %v; want closedErr", err)
	}
	if q.Len() != 1 {
		t.Fatalf("Len = %d; want the request queued before Close", q.Len())
	}
	q.Fail(errClosed)
	if err := <-done; err != errClosed {
		t.Errorf("queued request finished with %v; want the Fail error", err)
	}
	if !q.Closed() || q.Len() != 0 {
		t.Error("queue not closed and empty after Fail")
	}
}

func TestTakeRespectsMax(t *testing.T) {
	q := New()
	for range 5 {
		q.reqs = append(q.reqs, &Request{done: make(chan struct{})})
	}
	if a, b, c := len(q.Take(2)), len(q.Take(2)), len(q.Take(2)); a != 2 || b != 2 || c != 1 {
		t.Errorf("Take(2) thrice = %d %d %d; want 2 2 1", a, b, c)
	}
}

// TestGoexit: a function that ends the committer's goroutine ends its
// caller's the same way, and its group runs again under a new committer.
func TestGoexit(t *testing.T) {
	for _, exitFirst := range []bool{true, false} {
		q := New()
		var committer func()
		committer = func() {
			for range q.Kick() {
				group := q.Take(10)
				func() {
					defer func() {
						if q.Recover(group) {
							go committer()
						}
					}()
					for _, r := range group {
						if r.Start() {
							r.Err, r.Panic = r.Call(func() error { return r.Fn(nil) })
						}
					}
					Finish(group)
				}()
			}
		}
		ctx := context.Background()
		exited, returned := make(chan struct{}), false
		exit := func() {
			defer close(exited)
			q.Do(ctx, func(store.Tx) error { runtime.Goexit(); return nil }, errClosed)
			returned = true
		}
		runs := 0
		other := make(chan error)
		stay := func() { other <- q.Do(ctx, func(store.Tx) error { runs++; return nil }, errClosed) }
		first, second := exit, stay
		if !exitFirst {
			first, second = stay, exit
		}
		go first()
		for q.Len() < 1 {
			runtime.Gosched()
		}
		go second()
		for q.Len() < 2 {
			runtime.Gosched()
		}
		go committer()
		<-exited
		if err := <-other; err != nil {
			t.Errorf("exit first %v: the other request: %v", exitFirst, err)
		}
		if returned {
			t.Errorf("exit first %v: Do returned to the caller whose function called runtime.Goexit", exitFirst)
		}
		if want := map[bool]int{true: 1, false: 2}[exitFirst]; runs != want {
			t.Errorf("exit first %v: the other function ran %d times; want %d", exitFirst, runs, want)
		}
		close(q.kick)
	}
}
