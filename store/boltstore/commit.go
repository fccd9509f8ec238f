package boltstore

import (
	"context"
	"fmt"
	"sync/atomic"

	bolt "go.etcd.io/bbolt"

	"github.com/workspace-go/workspace/store"
)

// Group commit.
//
// Update does not open a bbolt transaction itself. It queues a request and
// waits. One goroutine, the committer, takes everything queued (up to
// Options.MaxBatch), runs the functions one after another inside a single
// bbolt read-write transaction, and commits them with a single fsync. While
// that fsync runs, new requests queue up and form the next group, so the
// group size follows the load with no fixed delay (bbolt's DB.Batch waits
// up to 10 ms for company).
//
// Each function writes into its own overlay, not into the bbolt
// transaction. If it returns nil, the overlay is applied to the bbolt
// transaction, where the functions after it see it; if it fails, panics or
// its context ends, the overlay is dropped, as are its change records
// (sequence numbers are handed out again, so the log has no gaps). A
// failing function therefore never fails, or re-runs, the rest of its
// group. Only a failed commit (a disk error, ErrFull) fails the whole group.

const (
	reqPending int32 = iota
	reqRunning
	reqCancelled
)

type request struct {
	ctx   context.Context
	fn    func(store.Tx) error
	state atomic.Int32
	err   error
	panic any
	done  chan struct{}
}

// Update queues fn for the next commit group and waits for the group to be
// on disk.
func (db *DB) Update(ctx context.Context, fn func(store.Tx) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	r := &request{ctx: ctx, fn: fn, done: make(chan struct{})}
	db.qmu.Lock()
	if db.closed {
		db.qmu.Unlock()
		return fmt.Errorf("boltstore: %w", store.ErrClosed)
	}
	db.queue = append(db.queue, r)
	db.qmu.Unlock()
	select {
	case db.kick <- struct{}{}:
	default:
	}
	select {
	case <-r.done:
	case <-ctx.Done():
		if r.state.CompareAndSwap(reqPending, reqCancelled) {
			return ctx.Err()
		}
		<-r.done // already running: its outcome is decided shortly
	}
	if r.panic != nil {
		panic(r.panic)
	}
	return r.err
}

func (db *DB) commitLoop() {
	defer close(db.stopped)
	for {
		select {
		case <-db.kick:
		case <-db.stop:
			db.failQueued()
			return
		}
		for {
			group := db.take()
			if len(group) == 0 {
				break
			}
			db.commit(group)
		}
	}
}

// take removes up to MaxBatch requests from the queue.
func (db *DB) take() []*request {
	db.qmu.Lock()
	defer db.qmu.Unlock()
	n := min(len(db.queue), db.opts.MaxBatch)
	if n == 0 {
		return nil
	}
	group := db.queue[:n:n]
	if n == len(db.queue) {
		db.queue = nil
	} else {
		db.queue = db.queue[n:]
	}
	return group
}

func (db *DB) failQueued() {
	db.qmu.Lock()
	q := db.queue
	db.queue = nil
	db.qmu.Unlock()
	for _, r := range q {
		r.err = fmt.Errorf("boltstore: %w", store.ErrClosed)
		close(r.done)
	}
}

func (db *DB) commit(group []*request) {
	var last uint64
	ran := group[:0:0]
	err := db.bolt.Update(func(btx *bolt.Tx) error {
		kv, lb := btx.Bucket(bucketKV), btx.Bucket(bucketLog)
		next := lb.Sequence() + 1
		for _, r := range group {
			if !r.state.CompareAndSwap(reqPending, reqRunning) {
				continue // its caller gave up waiting
			}
			ran = append(ran, r)
			t := &tx{ctx: r.ctx, kv: kv, writable: true, nextSeq: next}
			r.err, r.panic = run(r, t)
			if r.err != nil || r.panic != nil {
				continue
			}
			if err := t.apply(kv, lb); err != nil {
				return err // the commit cannot proceed: fail the group
			}
			next += uint64(len(t.changes))
		}
		last = next - 1
		return lb.SetSequence(last)
	})
	if err != nil {
		err = mapErr("commit", err)
		for _, r := range ran {
			if r.err == nil && r.panic == nil {
				r.err = err
			}
		}
	} else if last > db.last.Load() {
		db.published(last)
	}
	for _, r := range group {
		if r.state.Load() != reqCancelled {
			close(r.done)
		}
	}
}

// run calls the request's function, catching a panic so that it reaches
// the caller's goroutine instead of killing the committer.
func run(r *request, t *tx) (err error, p any) {
	defer func() {
		t.done = true
		if v := recover(); v != nil {
			p = v
		}
	}()
	if err := r.ctx.Err(); err != nil {
		return err, nil
	}
	if err := r.fn(t); err != nil {
		return err, nil
	}
	if t.err != nil {
		return t.err, nil
	}
	return r.ctx.Err(), nil
}
