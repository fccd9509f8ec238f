package memstore

import (
	"context"
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
	ctx   context.Context
	fn    func(store.Tx) error
	err   error
	panic any
	state atomic.Int32  // queued, running or abandoned
	done  chan struct{} // capacity 1: the writer sends when it is done
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
	err, p := r.err, r.panic
	*r = request{done: r.done}
	requests.Put(r)
	if p != nil {
		panic(p)
	}
	return err
}

// write runs queued requests until the queue is empty.
func (s *Store) write() {
	var batch []*request
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
		for i, r := range batch {
			if r.state.CompareAndSwap(queued, running) {
				s.run(r)
				r.done <- struct{}{} // the last use of r here
			}
			batch[i] = nil
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
