package memstore

import (
	"context"
	"fmt"
	"iter"

	"github.com/workspace-go/workspace/store"
)

// tx reads the list as of commit seq. A writable tx (w set) writes
// versions stamped seq, which no reader sees until the store commits it.
type tx struct {
	ctx  context.Context
	data *list
	seq  uint64
	done bool
	err  error // first scan failure; sticks
	w    *writes
}

// writes is what a writable tx keeps for its commit or rollback.
type writes struct {
	s       *Store
	nextSeq uint64  // the log position of the next Append
	changes []entry // appended records
	mark    mark    // where the log's data ended when the tx began
	// snaps are the commits readers may read at while this tx runs, in
	// ascending order: the open Views' and the newest. A version no
	// snapshot sees may go.
	snaps    []uint64
	touched  []*node   // nodes given a version stamped seq, for rollback
	deleted  []pending // nodes whose key this tx deleted
	rewrites []rewrite // committed records' new data, for commit

	// Room for a small transaction's bookkeeping, saving allocations.
	touchedRoom [8]*node
	changeRoom  [2]entry
	snapRoom    [4]uint64
}

// writeTx is a writable tx and its writes, allocated together.
type writeTx struct {
	tx
	writes
}

func (t *tx) check(write bool) error {
	switch {
	case t.done:
		return fmt.Errorf("memstore: transaction used after it ended: %w", store.ErrInvalid)
	case t.err != nil:
		return t.err
	case write && t.w == nil:
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
	if n := t.data.find(key); n != nil {
		if v := n.at(t.seq); v != nil {
			return v.val, nil
		}
	}
	return nil, fmt.Errorf("memstore: key %q: %w", key, store.ErrNotFound)
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
	// Not through the cache: a write is mostly of a new key, which the
	// cache would only miss.
	var p [maxHeight]*node
	if n := t.data.preds(key, &p); n != nil {
		t.push(n, append(make([]byte, 0, len(value)), value...), false)
		return nil
	}
	// A new key: the key and its first value share one allocation.
	buf := make([]byte, len(key)+len(value))
	copy(buf, key)
	copy(buf[len(key):], value)
	n := &node{key: buf[:len(key):len(key)]}
	n.first = version{seq: t.seq, val: buf[len(key):]}
	n.head.Store(&n.first)
	t.data.insert(n, &p)
	t.w.touched = append(t.w.touched, n)
	return nil
}

func (t *tx) Delete(key []byte) error {
	if err := t.check(true); err != nil {
		return err
	}
	if err := store.CheckKey(key); err != nil {
		return err
	}
	n := t.data.find(key)
	if n == nil || n.at(t.seq) == nil {
		return nil
	}
	t.push(n, nil, true)
	t.w.deleted = append(t.w.deleted, pending{n: n, seq: t.seq})
	return nil
}

// push makes a new version the newest of n. A second write to a key in
// one transaction replaces the first in place: no reader sees either yet.
func (t *tx) push(n *node, val []byte, del bool) {
	h := n.head.Load()
	if h != nil && h.seq == t.seq {
		h.val, h.del = val, del
		return
	}
	v := &version{seq: t.seq, val: val, del: del}
	v.older.Store(h)
	n.head.Store(v)
	t.w.touched = append(t.w.touched, n)
	t.w.prune(v)
}

// prune unlinks the versions older than v that no snapshot sees. A version
// is seen by the snapshots from its commit up to the next newer version's.
// A reader walking the chain meanwhile still finds its version: only kept
// versions are relinked, and a skipped one keeps its link down the chain.
func (w *writes) prune(v *version) {
	kept, keptAbove := v, (*version)(nil)
	upper := v.seq
	for x := v.older.Load(); x != nil; x = x.older.Load() {
		if w.seen(x.seq, upper) {
			if kept.older.Load() != x {
				kept.older.Store(x)
			}
			kept, keptAbove = x, kept
		}
		upper = x.seq
	}
	switch {
	case kept.older.Load() != nil:
		kept.older.Store(nil)
	case kept.del && keptAbove != nil:
		keptAbove.older.Store(nil) // the oldest kept is a deletion: so is nothing
	}
}

// seen reports whether a snapshot reads at a commit in [from, upper).
func (w *writes) seen(from, upper uint64) bool {
	for _, s := range w.snaps {
		if s >= from {
			return s < upper
		}
	}
	return false
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
		if r.Reverse {
			t.descend(r, yield)
		} else {
			t.ascend(r, yield)
		}
	}
}

// visit yields the visible version of node x, the n-th key of a scan, and
// reports whether the scan goes on. It checks the context every 256 keys.
func (t *tx) visit(x *node, n *int, r *store.Range, yield func([]byte, []byte) bool) bool {
	v := x.at(t.seq)
	if v == nil {
		return true
	}
	if *n&255 == 255 {
		if err := t.ctx.Err(); err != nil {
			t.err = err
			return false
		}
	}
	*n++
	if r.Limit > 0 && *n > r.Limit {
		return false
	}
	return yield(x.key, v.val)
}

// ascend yields the keys of r the transaction sees, in ascending order.
// A writer may change the list as the scan goes: the walk follows the
// links of the node it stands on.
func (t *tx) ascend(r store.Range, yield func([]byte, []byte) bool) {
	_, x := t.data.seek(r.Start)
	for n := 0; x != nil; x = x.next0.Load() {
		if r.End != nil && string(x.key) >= string(r.End) || !t.visit(x, &n, &r, yield) {
			return
		}
	}
}

// descend is ascend in descending order.
func (t *tx) descend(r store.Range, yield func([]byte, []byte) bool) {
	var x *node
	if r.End == nil {
		x = t.data.last()
	} else {
		x, _ = t.data.seek(r.End)
	}
	for n, head := 0, &t.data.head; x != head; x = x.prev.Load() {
		if r.Start != nil && string(x.key) < string(r.Start) || !t.visit(x, &n, &r, yield) {
			return
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
	w := t.w
	w.changes = append(w.changes, w.s.log.add(w.s, kind, data))
	return w.nextSeq + uint64(len(w.changes)-1), nil
}

func (t *tx) Rewrite(seq uint64, data []byte) error {
	return t.RewritePrefix(seq, "", data)
}

// RewritePrefix rewrites the record at seq if its kind is under
// kindPrefix (see store.PrefixRewriter). The new data goes into the log's
// chunks now, where no reader looks; the committed entry is switched to
// it, and the old data cleared, under Store.mu at commit.
func (t *tx) RewritePrefix(seq uint64, kindPrefix string, data []byte) error {
	if err := t.check(true); err != nil {
		return err
	}
	if err := store.CheckChangeData(data); err != nil {
		return err
	}
	w := t.w
	s, l := w.s, &w.s.log
	notFound := fmt.Errorf("memstore: rewrite change %d: %w", seq, store.ErrNotFound)
	if seq >= w.nextSeq && seq-w.nextSeq < uint64(len(w.changes)) {
		// Appended by this transaction: replace its entry.
		i := seq - w.nextSeq
		old := w.changes[i]
		kind := l.kinds[old.kind] // only the writer adds kinds
		if !store.HasKindPrefix(kind, kindPrefix) {
			return notFound
		}
		w.changes[i] = l.add(s, kind, data)
		s.mu.Lock()
		l.clear(old)
		s.mu.Unlock()
		return nil
	}
	s.mu.Lock()
	e, ok := l.entryAt(seq)
	var kind string
	if ok {
		kind = l.kinds[e.kind]
	}
	s.mu.Unlock()
	if !ok || !store.HasKindPrefix(kind, kindPrefix) {
		return notFound
	}
	w.rewrites = append(w.rewrites, rewrite{seq: seq, e: l.add(s, kind, data)})
	return nil
}
