package boltstore

import (
	"errors"

	bolt "go.etcd.io/bbolt"

	"github.com/workspace-go/workspace/internal/txbuf"
	"github.com/workspace-go/workspace/store"
)

// A transaction is a txbuf.Tx over a reader of the bbolt transaction. In
// Update its writes stay in the Tx's write set until the committer applies
// them (see commit.go); reads see the set first.
type tx struct {
	txbuf.Tx
	rd reader
}

func newTx(ctx interface{ Err() error }, kv, lb *bolt.Bucket) *tx {
	t := &tx{rd: reader{kv: kv, log: lb}}
	t.Name, t.Ctx, t.Base = "boltstore", ctx, &t.rd
	return t
}

// reader is the txbuf.Base of a bbolt transaction: the key bucket and, in
// Update, the log bucket.
type reader struct {
	kv, log *bolt.Bucket
	cur     cursor // the transaction's first Scan's, saving an allocation
}

func (r *reader) Get(key []byte) ([]byte, bool, error) {
	v := r.kv.Get(key)
	return v, v != nil, nil
}

func (r *reader) Scan(rg store.Range) txbuf.Cursor {
	c := &r.cur
	if c.busy { // a later scan, or one inside a scan
		c = new(cursor)
	}
	// A copy of the bbolt cursor, which then stays off the heap.
	*c = cursor{c: *r.kv.Cursor(), r: rg, busy: true}
	return c
}

// cursor walks a range of the key bucket.
type cursor struct {
	c       bolt.Cursor
	r       store.Range
	busy    bool // taken by a Scan
	started bool
}

func (c *cursor) Next() ([]byte, []byte, bool) {
	var k, v []byte
	if c.started {
		k, v = step(&c.c, c.r)
	} else {
		k, v = first(&c.c, c.r)
		c.started = true
	}
	if k == nil || !txbuf.Within(k, c.r) {
		return nil, nil, false
	}
	return k, v, true
}

func (c *cursor) Err() error { return nil }

func (r *reader) ChangeKind(seq uint64) (string, bool, error) {
	v := r.log.Get(seqKey(seq))
	if v == nil {
		return "", false, nil
	}
	c, err := decodeChange(seqKey(seq), v)
	return c.Kind, err == nil, err
}

func (r *reader) Reserve() (uint64, error) {
	return 0, errors.New("boltstore: no sequence number for an append") // the committer sets NextSeq
}

// apply writes a committed write set into the bbolt transaction.
//
// Keys go in in order: bbolt inserts into a node by moving what follows,
// so random order makes a large transaction quadratic.
func apply(s *txbuf.Set, kv, lb *bolt.Bucket) error {
	for k, v := range s.Writes() {
		var err error
		if v == nil {
			err = kv.Delete(k)
		} else {
			err = kv.Put(k, v)
		}
		if err != nil {
			return err
		}
	}
	for _, c := range s.Changes {
		if err := lb.Put(seqKey(c.Seq), encodeChange(c.Kind, c.Data)); err != nil {
			return err
		}
	}
	for seq, c := range s.Rewrites {
		if err := lb.Put(seqKey(seq), encodeChange(c.Kind, c.Data)); err != nil {
			return err
		}
	}
	return nil
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
