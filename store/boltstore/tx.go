package boltstore

import (
	"bytes"
	"fmt"
	"iter"
	"slices"

	bolt "go.etcd.io/bbolt"

	"github.com/workspace-go/workspace/store"
)

// tx is a store.Tx over a bbolt transaction. A writable tx keeps its writes
// in an overlay until the committer applies them (see commit.go); reads
// see the overlay first.
type tx struct {
	ctx      interface{ Err() error }
	kv       *bolt.Bucket
	log      *bolt.Bucket // nil in View
	writable bool
	done     bool
	err      error

	writes   map[string][]byte // nil value: deleted
	nextSeq  uint64
	changes  []store.Change
	rewrites map[uint64][]byte // committed records' new log values
}

func (t *tx) check(write bool) error {
	switch {
	case t.done:
		return fmt.Errorf("boltstore: transaction used after it ended: %w", store.ErrInvalid)
	case t.err != nil:
		return t.err
	case write && !t.writable:
		return fmt.Errorf("boltstore: %w", store.ErrReadOnly)
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
	if v, ok := t.writes[string(key)]; ok {
		if v == nil {
			return nil, fmt.Errorf("boltstore: key %q: %w", key, store.ErrNotFound)
		}
		return v, nil
	}
	v := t.kv.Get(key)
	if v == nil {
		return nil, fmt.Errorf("boltstore: key %q: %w", key, store.ErrNotFound)
	}
	return v, nil
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
	if t.writes == nil {
		t.writes = make(map[string][]byte)
	}
	t.writes[string(key)] = append(make([]byte, 0, len(value)), value...)
	return nil
}

func (t *tx) Delete(key []byte) error {
	if err := t.check(true); err != nil {
		return err
	}
	if err := store.CheckKey(key); err != nil {
		return err
	}
	if t.writes == nil {
		t.writes = make(map[string][]byte)
	}
	t.writes[string(key)] = nil
	return nil
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

func (t *tx) Rewrite(seq uint64, data []byte) error {
	return t.RewritePrefix(seq, "", data)
}

// RewritePrefix rewrites the record at seq if its kind is under
// kindPrefix (see store.PrefixRewriter): at apply, the log bucket's value
// is overwritten.
func (t *tx) RewritePrefix(seq uint64, kindPrefix string, data []byte) error {
	if err := t.check(true); err != nil {
		return err
	}
	if err := store.CheckChangeData(data); err != nil {
		return err
	}
	notFound := fmt.Errorf("boltstore: rewrite change %d: %w", seq, store.ErrNotFound)
	if seq >= t.nextSeq && seq-t.nextSeq < uint64(len(t.changes)) {
		c := &t.changes[seq-t.nextSeq]
		if !store.HasKindPrefix(c.Kind, kindPrefix) {
			return notFound
		}
		c.Data = append([]byte{}, data...)
		return nil
	}
	v := t.log.Get(seqKey(seq))
	if v == nil {
		return notFound
	}
	c, err := decodeChange(seqKey(seq), v)
	if err != nil {
		return err
	}
	if !store.HasKindPrefix(c.Kind, kindPrefix) {
		return notFound
	}
	if t.rewrites == nil {
		t.rewrites = make(map[uint64][]byte)
	}
	t.rewrites[seq] = encodeChange(c.Kind, data)
	return nil
}

// apply writes the overlay and change records into the bbolt transaction.
//
// Keys go in in order: bbolt inserts into a node by moving what follows,
// so random order makes a large transaction quadratic.
func (t *tx) apply(kv, lb *bolt.Bucket) error {
	keys := make([]string, 0, len(t.writes))
	for k := range t.writes {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		v := t.writes[k]
		var err error
		if v == nil {
			err = kv.Delete([]byte(k))
		} else {
			err = kv.Put([]byte(k), v)
		}
		if err != nil {
			return err
		}
	}
	for _, c := range t.changes {
		if err := lb.Put(seqKey(c.Seq), encodeChange(c.Kind, c.Data)); err != nil {
			return err
		}
	}
	for seq, v := range t.rewrites {
		if err := lb.Put(seqKey(seq), v); err != nil {
			return err
		}
	}
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
		n := 0
		emit := func(k, v []byte) bool {
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
		// Merge the stored keys with the overlay's, in scan order. On a tie
		// the overlay's write (or deletion) replaces the stored pair.
		over := t.overlayIn(r)
		cur := t.kv.Cursor()
		k, v := first(cur, r)
		i := 0
		for {
			if k != nil && !within(k, r) {
				k = nil
			}
			if k == nil && i == len(over) {
				return
			}
			cmp := 1 // > 0: the overlay key comes first
			if k != nil && i < len(over) {
				cmp = bytes.Compare(k, []byte(over[i]))
				if r.Reverse {
					cmp = -cmp
				}
			} else if k != nil {
				cmp = -1
			}
			if cmp < 0 {
				if !emit(k, v) {
					return
				}
				k, v = step(cur, r)
				continue
			}
			if cmp == 0 {
				k, v = step(cur, r)
			}
			ok := over[i]
			i++
			if val := t.writes[ok]; val != nil && !emit([]byte(ok), val) {
				return
			}
		}
	}
}

func (t *tx) overlayIn(r store.Range) []string {
	if len(t.writes) == 0 {
		return nil
	}
	var keys []string
	for k := range t.writes {
		if within([]byte(k), r) {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	if r.Reverse {
		slices.Reverse(keys)
	}
	return keys
}

func within(k []byte, r store.Range) bool {
	return (r.Start == nil || bytes.Compare(k, r.Start) >= 0) && (r.End == nil || bytes.Compare(k, r.End) < 0)
}

func first(c *bolt.Cursor, r store.Range) ([]byte, []byte) {
	if !r.Reverse {
		if r.Start == nil {
			return c.First()
		}
		return c.Seek(r.Start)
	}
	if r.End == nil {
		return c.Last()
	}
	k, _ := c.Seek(r.End)
	if k == nil {
		return c.Last()
	}
	return c.Prev()
}

func step(c *bolt.Cursor, r store.Range) ([]byte, []byte) {
	if r.Reverse {
		return c.Prev()
	}
	return c.Next()
}
