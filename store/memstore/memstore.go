package memstore

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"

	"github.com/workspace-go/workspace/store"
)

var _ store.Store = (*Store)(nil)

// Store is an in-memory [store.Store]. The zero value is not usable: call
// New. It is safe for concurrent use.
type Store struct {
	data      *list
	committed atomic.Uint64 // the newest commit: what a new View reads
	snaps     snapshots

	wmu     sync.Mutex // serializes writers; guards the fields below
	pending []pending  // deleted or rolled-back keys to unlink, oldest first

	qmu     sync.Mutex   // guards the fields below
	queue   []*request   // Updates waiting for the writer goroutine
	writing bool         // the writer goroutine is running
	queued  atomic.Int32 // len(queue), for Update to read without qmu

	mu  sync.Mutex // guards the fields below
	log changeLog  // see log.go for what the writer may touch without mu
	// notify is made by the first Wait after a commit with records, which
	// closes it: commits no one waits for make no channel.
	notify  chan struct{}
	closing chan struct{}

	closed atomic.Bool // set with mu held
}

// pending is a node whose newest version, written at seq, leaves its key
// absent: once no open snapshot is older than seq, no one can see the key
// and the node can leave the list.
type pending struct {
	n   *node
	seq uint64
}

// New returns an empty in-memory store.
func New() *Store {
	return &Store{data: newList(), closing: make(chan struct{})}
}

func (s *Store) begin(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if s.closed.Load() {
		return fmt.Errorf("memstore: %w", store.ErrClosed)
	}
	return nil
}

// View runs fn over the snapshot committed when View was called. It never
// waits for writers, and writers never wait for it.
func (s *Store) View(ctx context.Context, fn func(store.Tx) error) error {
	if err := s.begin(ctx); err != nil {
		return err
	}
	sn := s.snaps.acquire(&s.committed)
	defer s.snaps.release(sn)
	tx := &tx{ctx: ctx, data: s.data, seq: sn.seq}
	err := fn(tx)
	tx.done = true
	if err != nil {
		return err
	}
	return tx.err
}

// Update runs fn with the store's single writer; its writes and change
// records become visible together when fn returns nil.
//
// The writer writes new versions straight into the shared list, stamped
// with a commit number no reader has yet; committing publishes that
// number. A failed, panicking or cancelled transaction takes its versions
// out again.
//
// When no one else is writing, fn runs on the caller's goroutine. Under
// contention it is queued, and a writer goroutine runs the queue's
// functions one after another (see queue.go).
func (s *Store) Update(ctx context.Context, fn func(store.Tx) error) error {
	if err := s.begin(ctx); err != nil {
		return err
	}
	if s.queued.Load() == 0 && s.wmu.TryLock() {
		defer s.wmu.Unlock()
		return s.update(ctx, fn)
	}
	return s.enqueue(ctx, fn)
}

// update runs fn as one transaction. Call with wmu held.
func (s *Store) update(ctx context.Context, fn func(store.Tx) error) error {
	if err := s.begin(ctx); err != nil {
		return err
	}
	x := &writeTx{
		tx:     tx{ctx: ctx, data: s.data, seq: s.committed.Load() + 1},
		writes: writes{s: s, nextSeq: s.log.last + 1, mark: s.log.mark()},
	}
	tx, w := &x.tx, &x.writes
	tx.w = w
	w.touched, w.changes = w.touchedRoom[:0], w.changeRoom[:0]
	w.snaps = s.snaps.active(w.snapRoom[:0], &s.committed)
	s.collect(w.snaps[0])
	committed := false
	defer func() {
		tx.done = true
		if !committed {
			s.rollback(tx)
		}
	}()
	if err := fn(tx); err != nil {
		return err
	}
	if tx.err != nil {
		return tx.err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed.Load() {
		return fmt.Errorf("memstore: %w", store.ErrClosed)
	}
	s.committed.Store(tx.seq)
	committed = true
	s.pending = append(s.pending, w.deleted...)
	if len(w.rewrites) > 0 {
		s.log.rewrite(w.rewrites)
	}
	if len(w.changes) > 0 {
		s.log.commit(w.changes)
		if s.notify != nil {
			close(s.notify)
			s.notify = nil
		}
	}
	return nil
}

// rollback takes the versions tx wrote out of the list. Call with wmu held.
func (s *Store) rollback(tx *tx) {
	s.log.reset(tx.w.mark)
	for _, n := range tx.w.touched {
		if h := n.head.Load(); h != nil && h.seq == tx.seq {
			o := h.older.Load()
			n.head.Store(o)
			if o == nil { // the node was new: no one can see it
				s.pending = append(s.pending, pending{n: n, seq: tx.seq - 1})
			}
		}
	}
}

// collect unlinks the nodes of keys no snapshot at or after oldest can
// see. Call with wmu held.
func (s *Store) collect(oldest uint64) {
	i := 0
	for ; i < len(s.pending); i++ {
		p := s.pending[i]
		if p.seq > oldest {
			break
		}
		if p.n.unlinked.Load() {
			continue
		}
		if h := p.n.head.Load(); h == nil || h.del && h.seq <= oldest {
			s.data.unlink(p.n)
		}
	}
	clear(s.pending[:i])
	s.pending = s.pending[i:]
}

// Changes returns committed records after the given position.
func (s *Store) Changes(ctx context.Context, after uint64, limit int) ([]store.Change, uint64, error) {
	if err := s.begin(ctx); err != nil {
		return nil, after, err
	}
	if limit <= 0 {
		limit = 256
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	out := s.log.records(after, limit)
	if len(out) == 0 {
		// A reader behind the trimmed records jumps forward instead of
		// asking again.
		return nil, max(after, s.log.first()-1), nil
	}
	return out, out[len(out)-1].Seq, nil
}

// Wait blocks until a record after the given position is committed.
func (s *Store) Wait(ctx context.Context, after uint64) (uint64, error) {
	if err := s.begin(ctx); err != nil {
		return 0, err
	}
	for {
		s.mu.Lock()
		if s.closed.Load() {
			s.mu.Unlock()
			return 0, fmt.Errorf("memstore: %w", store.ErrClosed)
		}
		if s.notify == nil {
			s.notify = make(chan struct{})
		}
		last, ch := s.log.last, s.notify
		s.mu.Unlock()
		if last > after {
			return last, nil
		}
		select {
		case <-ch:
		case <-s.closing:
		case <-ctx.Done():
			return 0, ctx.Err()
		}
	}
}

// Last returns the highest committed position.
func (s *Store) Last(ctx context.Context) (uint64, error) {
	if err := s.begin(ctx); err != nil {
		return 0, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.log.last, nil
}

// Trim drops records below the given position.
func (s *Store) Trim(ctx context.Context, below uint64) error {
	if err := s.begin(ctx); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.log.trim(below)
	return nil
}

// Close discards nothing (the data stays reachable to whoever holds it) but
// makes every later call fail with store.ErrClosed and wakes waiters.
func (s *Store) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.closed.Load() {
		s.closed.Store(true)
		close(s.closing)
	}
	return nil
}
