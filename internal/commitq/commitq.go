// Package commitq is the queue behind the group commit of boltstore and
// pgstore: callers of Update queue their function and wait; one committer
// goroutine takes what is queued and runs it as a group.
//
// A caller whose context ends while its request is still queued gives up at
// once and its function never runs; once the committer has started the
// request, the caller waits for the outcome, which is decided shortly.
package commitq

import (
	"context"
	"runtime"
	"sync"
	"sync/atomic"

	"github.com/workspace-go/workspace/store"
)

const (
	pending int32 = iota
	running
	abandoned
)

// Request is one queued Update. The committer reads Ctx and Fn and sets
// Err or Panic before calling Finish.
type Request struct {
	Ctx   context.Context
	Fn    func(store.Tx) error
	Err   error
	Panic any

	state  atomic.Int32
	done   chan struct{}
	inFn   bool // Call is running the function
	exited bool // the function ended the committer's goroutine
}

// Start claims the request for running. It reports false when the caller
// has given up waiting: the function must then not run.
func (r *Request) Start() bool { return r.state.CompareAndSwap(pending, running) }

// Queue is a queue of requests. It is safe for concurrent use.
type Queue struct {
	mu     sync.Mutex
	reqs   []*Request
	closed bool
	kick   chan struct{} // capacity 1: "the queue may be non-empty"
}

// New returns an empty, open queue.
func New() *Queue { return &Queue{kick: make(chan struct{}, 1)} }

// Do queues fn and waits for the committer's outcome: fn's error, a commit
// error, or ctx.Err() if ctx ended before fn started. A panic in fn is
// raised again here, on the caller's goroutine. On a closed queue Do
// returns closedErr without queueing.
func (q *Queue) Do(ctx context.Context, fn func(store.Tx) error, closedErr error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	r := &Request{Ctx: ctx, Fn: fn, done: make(chan struct{})}
	q.mu.Lock()
	if q.closed {
		q.mu.Unlock()
		return closedErr
	}
	q.reqs = append(q.reqs, r)
	q.mu.Unlock()
	select {
	case q.kick <- struct{}{}:
	default:
	}
	select {
	case <-r.done:
	case <-ctx.Done():
		if r.state.CompareAndSwap(pending, abandoned) {
			return ctx.Err()
		}
		<-r.done // already running: its outcome is decided shortly
	}
	switch {
	case r.Panic != nil:
		panic(r.Panic)
	case r.exited:
		runtime.Goexit()
	}
	return r.Err
}

// Call runs fn, the request's function wrapped by the backend, on the
// committer's goroutine. A panic is caught and returned, so that Do raises
// it again on the caller's goroutine instead of it killing the committer.
// A runtime.Goexit (t.FailNow inside an Update, say) cannot be caught:
// the committer's goroutine ends, and its deferred call to Recover sees
// that it happened here.
func (r *Request) Call(fn func() error) (err error, p any) {
	r.inFn = true
	defer func() {
		if v := recover(); v != nil {
			r.inFn, p = false, v
		}
	}()
	err = fn()
	r.inFn = false
	return err, nil
}

// Run runs the request's function with tx through Call: the context is
// checked before and after, and kept reports an error the transaction
// kept from a failed read (a scan's), which fails the function too.
func (r *Request) Run(tx store.Tx, kept func() error) (err error, p any) {
	return r.Call(func() error {
		if err := r.Ctx.Err(); err != nil {
			return err
		}
		if err := r.Fn(tx); err != nil {
			return err
		}
		if err := kept(); err != nil {
			return err
		}
		return r.Ctx.Err()
	})
}

// Recover is for a committer to defer around the running of a group. It
// reports whether the committer's goroutine is ending because a function
// of the group called runtime.Goexit; the backend's transaction has rolled
// back as the goroutine unwound. Then the request whose function exited
// is finished, and Do ends its caller's goroutine the same way; the rest
// of the group goes back to the head of the queue, to run again (the
// store contract lets a function run more than once); and the committer
// must start a new goroutine to take over.
func (q *Queue) Recover(group []*Request) bool {
	var exited *Request
	for _, r := range group {
		if r.inFn {
			exited = r
		}
	}
	if exited == nil {
		return false
	}
	exited.inFn, exited.exited = false, true
	var again []*Request
	for _, r := range group {
		if r != exited {
			r.Err, r.Panic = nil, nil
			r.state.CompareAndSwap(running, pending)
			again = append(again, r)
		}
	}
	q.mu.Lock()
	q.reqs = append(again, q.reqs...)
	q.mu.Unlock()
	select {
	case q.kick <- struct{}{}:
	default:
	}
	close(exited.done)
	return true
}

// Kick receives when requests may have been queued.
func (q *Queue) Kick() <-chan struct{} { return q.kick }

// Take removes up to max requests from the head of the queue.
func (q *Queue) Take(max int) []*Request {
	q.mu.Lock()
	defer q.mu.Unlock()
	n := min(len(q.reqs), max)
	if n == 0 {
		return nil
	}
	group := q.reqs[:n:n]
	if n == len(q.reqs) {
		q.reqs = nil
	} else {
		q.reqs = q.reqs[n:]
	}
	return group
}

// Len returns the number of requests waiting.
func (q *Queue) Len() int {
	q.mu.Lock()
	defer q.mu.Unlock()
	return len(q.reqs)
}

// Close marks the queue closed, so that Do refuses new requests. It reports
// false when the queue was closed already. Requests still queued stay for
// the committer to fail with Fail.
func (q *Queue) Close() bool {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.closed {
		return false
	}
	q.closed = true
	return true
}

// Closed reports whether Close was called.
func (q *Queue) Closed() bool {
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.closed
}

// Fail removes every queued request and finishes it with err.
func (q *Queue) Fail(err error) {
	q.mu.Lock()
	reqs := q.reqs
	q.reqs = nil
	q.mu.Unlock()
	for _, r := range reqs {
		r.Err = err
		close(r.done)
	}
}

// Finish releases the callers of a group's requests, except those who had
// already given up.
func Finish(group []*Request) {
	for _, r := range group {
		if r.state.Load() != abandoned {
			close(r.done)
		}
	}
}
