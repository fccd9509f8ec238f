package txbuf

import (
	"fmt"
	"iter"

	"github.com/workspace-go/workspace/store"
)

// Base is the backend's stored state under a Tx: what its committed
// transactions (and, in a commit group, the group's earlier functions)
// wrote. Its errors come wrapped by the backend as its callers should see
// them; a Tx keeps the first one (the transaction is then unusable).
type Base interface {
	// Get returns the stored value at key; ok is false when there is none.
	Get(key []byte) (v []byte, ok bool, err error)
	// Scan returns a cursor over the stored pairs in r's bounds, in r's
	// order. r.Limit is a hint: the Tx stops asking when it has enough.
	// (The Tx raises a scan's limit by the deletions it buffers in the
	// range: see Set.BaseLimit.)
	Scan(r store.Range) Cursor
	// ChangeKind returns the kind of the record at seq committed before
	// the Tx; ok is false when the log has no record at seq.
	ChangeKind(seq uint64) (kind string, ok bool, err error)
	// Reserve returns the Seq of the Tx's first record, at its first
	// Append, when Tx.NextSeq was 0.
	Reserve() (uint64, error)
}

// Tx is a store.Tx (and store.PrefixRewriter) that checks its arguments
// against the contract, buffers its writes in Set, and reads through Set
// into Base. The backend fills in the exported fields, runs the
// transaction's function, calls End, and applies Set if it committed.
type Tx struct {
	// Name prefixes error messages: "boltstore", "pgstore".
	Name string
	// Ctx is the caller's context; a scan checks it every 256 keys.
	Ctx interface{ Err() error }
	// CheckContext makes every operation check Ctx first (for backends
	// whose operations are round trips, where the check is free).
	CheckContext bool
	// Base is the stored state the transaction reads through its writes.
	Base Base
	// Writable is false in View: writes fail with store.ErrReadOnly.
	Writable bool
	// NextSeq is the Seq of the next record Append hands out; 0 means
	// ask Base.Reserve at the first Append.
	NextSeq uint64
	// Set holds the transaction's writes.
	Set Set

	done bool
	err  error
}

var _ store.PrefixRewriter = (*Tx)(nil)

// End makes the transaction unusable: the function it was passed to
// returned.
func (t *Tx) End() { t.done = true }

// Err returns the error that made the transaction unusable (a failed read
// of Base, a cancelled scan), or nil: a function that returned nil over
// such an error must not commit.
func (t *Tx) Err() error { return t.err }

func (t *Tx) check(write bool) error {
	switch {
	case t.done:
		return fmt.Errorf("%s: transaction used after it ended: %w", t.Name, store.ErrInvalid)
	case t.err != nil:
		return t.err
	case write && !t.Writable:
		return fmt.Errorf("%s: %w", t.Name, store.ErrReadOnly)
	}
	if t.CheckContext {
		if err := t.Ctx.Err(); err != nil {
			t.err = err
			return err
		}
	}
	return nil
}

func (t *Tx) fail(err error) error {
	if t.err == nil {
		t.err = err
	}
	return err
}

func (t *Tx) notFound(key []byte) error {
	return fmt.Errorf("%s: key %q: %w", t.Name, key, store.ErrNotFound)
}

// Get implements store.Tx.
func (t *Tx) Get(key []byte) ([]byte, error) {
	if err := t.check(false); err != nil {
		return nil, err
	}
	if err := store.CheckKey(key); err != nil {
		return nil, err
	}
	if v, ok := t.Set.Lookup(key); ok {
		if v == nil {
			return nil, t.notFound(key)
		}
		return v, nil
	}
	v, ok, err := t.Base.Get(key)
	if err != nil {
		return nil, t.fail(err)
	}
	if !ok {
		return nil, t.notFound(key)
	}
	return v, nil
}

// Put implements store.Tx.
func (t *Tx) Put(key, value []byte) error {
	if err := t.check(true); err != nil {
		return err
	}
	if err := store.CheckKey(key); err != nil {
		return err
	}
	if err := store.CheckValue(value); err != nil {
		return err
	}
	// One allocation for both copies.
	buf := make([]byte, len(key)+len(value))
	n := copy(buf, key)
	copy(buf[n:], value)
	t.Set.put(buf[:n:n], buf[n:])
	return nil
}

// Delete implements store.Tx.
func (t *Tx) Delete(key []byte) error {
	if err := t.check(true); err != nil {
		return err
	}
	if err := store.CheckKey(key); err != nil {
		return err
	}
	t.Set.put(append(make([]byte, 0, len(key)), key...), nil)
	return nil
}

// Append implements store.Tx.
func (t *Tx) Append(kind string, data []byte) (uint64, error) {
	if err := t.check(true); err != nil {
		return 0, err
	}
	if err := store.CheckChange(kind, data); err != nil {
		return 0, err
	}
	if t.NextSeq == 0 {
		next, err := t.Base.Reserve()
		if err != nil {
			return 0, t.fail(err)
		}
		t.NextSeq = next
	}
	seq := t.NextSeq + uint64(len(t.Set.Changes))
	t.Set.Changes = append(t.Set.Changes, store.Change{Seq: seq, Kind: kind, Data: append([]byte{}, data...)})
	return seq, nil
}

// Rewrite implements store.Tx.
func (t *Tx) Rewrite(seq uint64, data []byte) error {
	return t.RewritePrefix(seq, "", data)
}

// RewritePrefix implements store.PrefixRewriter: a record appended in
// this transaction is changed in place; one committed before is checked
// in Base and its new data kept in Set.Rewrites.
func (t *Tx) RewritePrefix(seq uint64, kindPrefix string, data []byte) error {
	if err := t.check(true); err != nil {
		return err
	}
	if err := store.CheckChangeData(data); err != nil {
		return err
	}
	notFound := func() error { return fmt.Errorf("%s: rewrite change %d: %w", t.Name, seq, store.ErrNotFound) }
	data = append([]byte{}, data...)
	if c := t.Set.Change(seq); c != nil {
		if !store.HasKindPrefix(c.Kind, kindPrefix) {
			return notFound()
		}
		c.Data = data
		return nil
	}
	kind, ok, err := t.Base.ChangeKind(seq)
	if err != nil {
		return t.fail(err)
	}
	if !ok || !store.HasKindPrefix(kind, kindPrefix) {
		return notFound()
	}
	if t.Set.Rewrites == nil {
		t.Set.Rewrites = make(map[uint64]store.Change)
	}
	t.Set.Rewrites[seq] = store.Change{Seq: seq, Kind: kind, Data: data}
	return nil
}

// Scan implements store.Tx: Base's pairs with the transaction's writes
// laid over them.
func (t *Tx) Scan(r store.Range) iter.Seq2[[]byte, []byte] {
	return func(yield func([]byte, []byte) bool) {
		if err := t.check(false); err != nil {
			return
		}
		if err := store.CheckRange(r); err != nil {
			t.fail(err)
			return
		}
		br := r
		br.Limit = t.Set.BaseLimit(r)
		c := Merge(t.Set.InRange(r), t.Base.Scan(br), r.Reverse)
		for n := 0; ; {
			k, v, ok := c.Next()
			if !ok {
				break
			}
			if n&255 == 255 {
				if err := t.Ctx.Err(); err != nil {
					t.fail(err)
					return
				}
			}
			n++
			// Stop at the limit without asking Base for one pair more.
			if !yield(k, v) || r.Limit > 0 && n >= r.Limit {
				return
			}
		}
		if err := c.Err(); err != nil {
			t.fail(err)
		}
	}
}
