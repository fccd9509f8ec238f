package memstore

import (
	"context"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/workspace-go/workspace/store"
)

// Under contention, writers do not take turns at the lock: handing a
// mutex from goroutine to goroutine costs a wake-up and a context switch
// per transaction, more than a short transaction itself. Instead the
// contended Updates are queued, and one writer goroutine runs them back to
// back while their callers wait; each still commits (or fails) on its own.
// The goroutine starts when the queue gets its first request and ends when
// the queue is empty, so an idle Store has none.

// A request is a queued Update.
type request struct {
	ctx    context.Context
	fn     func(store.Tx) error
	err    error
	panic  any
	goexit bool          // fn called runtime.Goexit
	state  atomic.Int32  // queued, running or abandoned
	done   chan struct{} // capacity 1: the writer sends when it is done
}

// requests recycles requests. A request goes back only once the writer is
// done with it, never when its caller gave up: the writer may yet look at
// it.
var requests = sync.Pool{New: func() any { return &request{done: make(chan struct{}, 1)} }}

const (
	queued int32 = iota
	running
	abandoned
)

// enqueue queues fn for the writer goroutine, starting it if need be, and
// waits for the outcome. A caller whose ctx ends while fn is still queued
// leaves at once, and fn never runs.
func (s *Store) enqueue(ctx context.Context, fn func(store.Tx) error) error {
	r := requests.Get().(*request)
	r.ctx, r.fn = ctx, fn
	r.state.Store(queued)
	s.qmu.Lock()
	s.queue = append(s.queue, r)
	s.queued.Add(1)
	start := !s.writing
	s.writing = true
	s.qmu.Unlock()
	if start {
		go s.write()
	}
	select {
	case <-r.done:
	case <-ctx.Done():
		if r.state.CompareAndSwap(queued, abandoned) {
			return ctx.Err()
		}
		<-r.done // running: the outcome is near
	}
	err, p, exit := r.err, r.panic, r.goexit
	*r = request{done: r.done}
	requests.Put(r)
	switch {
	case p != nil:
		panic(p)
	case exit:
		runtime.Goexit()
	}
	return err
}

// write runs queued requests until the queue is empty.
func (s *Store) write() {
	var batch []*request
	next := 0 // batch[next:] has not run yet
	defer func() {
		if next < len(batch) {
			s.exited(batch[next], batch[next+1:])
		}
	}()
	for {
		// Take the queue once the lock is ours: what queues meanwhile
		// joins this batch.
		s.wmu.Lock()
		s.qmu.Lock()
		batch, s.queue = s.queue, batch[:0]
		s.queued.Store(0)
		if len(batch) == 0 {
			s.writing = false
			s.qmu.Unlock()
			s.wmu.Unlock()
			return
		}
		s.qmu.Unlock()
		for next = 0; next < len(batch); next++ {
			r := batch[next]
			if r.state.CompareAndSwap(queued, running) {
				s.run(r)
				r.done <- struct{}{} // the last use of r here
			}
			batch[next] = nil
		}
		s.wmu.Unlock()
	}
}

// run runs one request, catching its panic for the caller to raise again.
func (s *Store) run(r *request) {
	defer func() {
		if p := recover(); p != nil {
			r.panic = p
		}
	}()
	r.err = s.update(r.ctx, r.fn)
}

// exited handles a function that ended the writer goroutine with
// runtime.Goexit (t.FailNow, say) while running r: its transaction has
// rolled back; its caller's goroutine exits the same way, and a new
// writer takes over the requests behind it.
func (s *Store) exited(r *request, rest []*request) {
	r.goexit = true
	r.done <- struct{}{}
	s.qmu.Lock()
	s.queue = append(slices.Clip(rest), s.queue...)
	s.queued.Store(int32(len(s.queue)))
	s.qmu.Unlock()
	s.wmu.Unlock()
	go s.write()
}
