package memstore

import (
	"context"
	"fmt"
	"iter"
	"sort"
	"sync"
	"sync/atomic"

	"github.com/workspace-go/workspace/store"
)

var _ store.Store = (*Store)(nil)

// Store is an in-memory [store.Store]. The zero value is not usable: call
// New. It is safe for concurrent use.
type Store struct {
	root atomic.Pointer[node] // the committed snapshot readers start from

	wmu sync.Mutex // serializes writers

	mu      sync.Mutex // guards the fields below
	log     []store.Change
	last    uint64
	notify  chan struct{} // closed and replaced on every commit with records
	closed  bool
	closing chan struct{}
}

// New returns an empty in-memory store.
func New() *Store {
	return &Store{notify: make(chan struct{}), closing: make(chan struct{})}
}

func (s *Store) isClosed() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.closed
}

func (s *Store) begin(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if s.isClosed() {
		return fmt.Errorf("memstore: %w", store.ErrClosed)
	}
	return nil
}

// View runs fn over the snapshot committed when View was called.
func (s *Store) View(ctx context.Context, fn func(store.Tx) error) error {
	if err := s.begin(ctx); err != nil {
		return err
	}
	tx := &tx{ctx: ctx, root: s.root.Load()}
	err := fn(tx)
	tx.done = true
	if err != nil {
		return err
	}
	return tx.err
}

// Update runs fn with the store's single writer; its writes and change
// records become visible together when fn returns nil.
func (s *Store) Update(ctx context.Context, fn func(store.Tx) error) error {
	if err := s.begin(ctx); err != nil {
		return err
	}
	s.wmu.Lock()
	defer s.wmu.Unlock()
	if err := s.begin(ctx); err != nil {
		return err
	}
	s.mu.Lock()
	next := s.last + 1
	s.mu.Unlock()
	tx := &tx{ctx: ctx, root: s.root.Load(), writable: true, nextSeq: next, gen: generations.Add(1)}
	err := fn(tx)
	tx.done = true
	if err != nil {
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
	if s.closed {
		return fmt.Errorf("memstore: %w", store.ErrClosed)
	}
	s.root.Store(tx.root)
	if len(tx.changes) > 0 {
		s.log = append(s.log, tx.changes...)
		s.last = tx.changes[len(tx.changes)-1].Seq
		close(s.notify)
		s.notify = make(chan struct{})
	}
	return nil
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
	i := sort.Search(len(s.log), func(i int) bool { return s.log[i].Seq > after })
	n := min(limit, len(s.log)-i)
	if n == 0 {
		return nil, max(after, s.trimmedTo()), nil
	}
	out := make([]store.Change, n)
	for j := range n {
		c := s.log[i+j]
		c.Data = append([]byte(nil), c.Data...)
		out[j] = c
	}
	return out, out[n-1].Seq, nil
}

// trimmedTo returns the position below which records were trimmed, so a
// reader behind it jumps forward instead of asking again. Call with mu held.
func (s *Store) trimmedTo() uint64 {
	if len(s.log) == 0 {
		return s.last
	}
	return s.log[0].Seq - 1
}

// Wait blocks until a record after the given position is committed.
func (s *Store) Wait(ctx context.Context, after uint64) (uint64, error) {
	if err := s.begin(ctx); err != nil {
		return 0, err
	}
	for {
		s.mu.Lock()
		if s.closed {
			s.mu.Unlock()
			return 0, fmt.Errorf("memstore: %w", store.ErrClosed)
		}
		last, ch := s.last, s.notify
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
	return s.last, nil
}

// Trim drops records below the given position.
func (s *Store) Trim(ctx context.Context, below uint64) error {
	if err := s.begin(ctx); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	i := sort.Search(len(s.log), func(i int) bool { return s.log[i].Seq >= below })
	s.log = append([]store.Change(nil), s.log[i:]...)
	return nil
}

// Close discards nothing (the data stays reachable to whoever holds it) but
// makes every later call fail with store.ErrClosed and wakes waiters.
func (s *Store) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.closed {
		s.closed = true
		close(s.closing)
	}
	return nil
}

// tx is a transaction over one version of the tree. A writable tx builds a
// new version; it is published only on commit.
type tx struct {
	ctx      context.Context
	root     *node
	writable bool
	done     bool
	err      error // first scan failure; sticks
	nextSeq  uint64
	changes  []store.Change
	gen      uint64 // generation of the nodes this transaction owns
}

// generations hands out a new generation to each write transaction, and
// to each Scan inside one: a scan freezes the nodes it walks, so writes
// the caller makes during the scan copy them rather than restructure the
// tree under the iterator. Generation 0 is never handed out.
var generations atomic.Uint64

func (t *tx) check(write bool) error {
	switch {
	case t.done:
		return fmt.Errorf("memstore: transaction used after it ended: %w", store.ErrInvalid)
	case t.err != nil:
		return t.err
	case write && !t.writable:
		return fmt.Errorf("memstore: %w", store.ErrReadOnly)
	}
	return nil
}

func (t *tx) Get(key []byte) ([]byte, error) {
	if err := t.check(false); err != nil {
		return nil, err
	}
	if err := store.CheckKey(key); err != nil {
		return nil, err
	}
	n, ok := get(t.root, key)
	if !ok {
		return nil, fmt.Errorf("memstore: key %q: %w", key, store.ErrNotFound)
	}
	return n.val, nil
}

func (t *tx) Put(key, value []byte) error {
	if err := t.check(true); err != nil {
		return err
	}
	if err := store.CheckKey(key); err != nil {
		return err
	}
	if err := store.CheckValue(value); err != nil {
		return err
	}
	k := append([]byte(nil), key...)
	v := append(make([]byte, 0, len(value)), value...)
	t.root = insert(t.root, k, v, priority(k), t.gen)
	return nil
}

func (t *tx) Delete(key []byte) error {
	if err := t.check(true); err != nil {
		return err
	}
	if err := store.CheckKey(key); err != nil {
		return err
	}
	t.root = remove(t.root, key, t.gen)
	return nil
}

func (t *tx) Scan(r store.Range) iter.Seq2[[]byte, []byte] {
	return func(yield func([]byte, []byte) bool) {
		if err := t.check(false); err != nil {
			return
		}
		if err := store.CheckRange(r); err != nil {
			t.err = err
			return
		}
		if t.writable {
			t.gen = generations.Add(1)
		}
		n := 0
		visit := func(k, v []byte) bool {
			if n&255 == 255 {
				if err := t.ctx.Err(); err != nil {
					t.err = err
					return false
				}
			}
			n++
			if r.Limit > 0 && n > r.Limit {
				return false
			}
			return yield(k, v)
		}
		if r.Reverse {
			descend(t.root, r.Start, r.End, visit)
		} else {
			ascend(t.root, r.Start, r.End, visit)
		}
	}
}

func (t *tx) Append(kind string, data []byte) (uint64, error) {
	if err := t.check(true); err != nil {
		return 0, err
	}
	if err := store.CheckChange(kind, data); err != nil {
		return 0, err
	}
	seq := t.nextSeq + uint64(len(t.changes))
	t.changes = append(t.changes, store.Change{Seq: seq, Kind: kind, Data: append([]byte(nil), data...)})
	return seq, nil
}
