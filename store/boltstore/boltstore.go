package boltstore

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"

	bolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"

	"github.com/workspace-go/workspace/internal/commitq"
	"github.com/workspace-go/workspace/store"
)

var _ store.Store = (*DB)(nil)

// Errors particular to this backend. Each wraps a store sentinel.
var (
	// ErrLocked reports that another process holds the data file. It wraps
	// store.ErrConflict.
	ErrLocked = fmt.Errorf("data file locked by another process: %w", store.ErrConflict)

	// ErrFull reports a commit refused because the file reached
	// Options.MaxSize. It wraps store.ErrConflict.
	ErrFull = fmt.Errorf("data file reached its maximum size: %w", store.ErrConflict)
)

var (
	bucketKV  = []byte("kv")
	bucketLog = []byte("log")
)

// DB is a [store.Store] in one bbolt file. It is safe for concurrent use.
//
// Open starts one goroutine, the committer, which runs Update functions in
// groups; Close stops it.
type DB struct {
	bolt *bolt.DB
	path string
	opts Options

	q       *commitq.Queue // Update's requests, for the committer
	stop    chan struct{}
	stopped chan struct{}

	last   atomic.Uint64
	nmu    sync.Mutex
	notify chan struct{} // closed and replaced after each commit with records
}

// Open opens (creating if needed) the bbolt file at path.
func Open(path string, opts *Options) (*DB, error) {
	o := opts.withDefaults()
	bdb, err := bolt.Open(path, o.Mode, &bolt.Options{
		Timeout:         o.Timeout,
		NoSync:          o.NoSync,
		MaxSize:         o.MaxSize,
		FreelistType:    bolt.FreelistMapType,
		InitialMmapSize: o.InitialMmapSize,
	})
	if errors.Is(err, berrors.ErrTimeout) {
		return nil, fmt.Errorf("boltstore: open %q: %w", path, ErrLocked)
	}
	if err != nil {
		return nil, fmt.Errorf("boltstore: open %q: %w", path, err)
	}
	var last uint64
	err = bdb.Update(func(tx *bolt.Tx) error {
		if _, err := tx.CreateBucketIfNotExists(bucketKV); err != nil {
			return err
		}
		lb, err := tx.CreateBucketIfNotExists(bucketLog)
		if err != nil {
			return err
		}
		last = lb.Sequence()
		return nil
	})
	if err != nil {
		bdb.Close()
		return nil, fmt.Errorf("boltstore: open %q: %w", path, err)
	}
	db := &DB{
		bolt:    bdb,
		path:    path,
		opts:    o,
		q:       commitq.New(),
		stop:    make(chan struct{}),
		stopped: make(chan struct{}),
		notify:  make(chan struct{}),
	}
	db.last.Store(last)
	go db.commitLoop()
	return db, nil
}

// Path returns the data file's path.
func (db *DB) Path() string { return db.path }

// Bolt returns the underlying bbolt database, for backups (Tx.WriteTo) and
// statistics. Writing to it directly bypasses the change log.
func (db *DB) Bolt() *bolt.DB { return db.bolt }

func (db *DB) checkOpen(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if db.q.Closed() {
		return fmt.Errorf("boltstore: %w", store.ErrClosed)
	}
	return nil
}

// View runs fn in a bbolt read transaction: a consistent snapshot that
// does not block writers.
func (db *DB) View(ctx context.Context, fn func(store.Tx) error) error {
	if err := db.checkOpen(ctx); err != nil {
		return err
	}
	var ferr error
	err := db.bolt.View(func(btx *bolt.Tx) error {
		t := newTx(ctx, btx.Bucket(bucketKV), nil)
		ferr = fn(t)
		t.End()
		if ferr == nil {
			ferr = t.Err()
		}
		return nil
	})
	if err != nil {
		return mapErr("view", err)
	}
	return ferr
}

// Changes returns committed change records after the given position.
func (db *DB) Changes(ctx context.Context, after uint64, limit int) ([]store.Change, uint64, error) {
	if err := db.checkOpen(ctx); err != nil {
		return nil, after, err
	}
	if limit <= 0 {
		limit = 256
	}
	var out []store.Change
	next := after
	err := db.bolt.View(func(btx *bolt.Tx) error {
		lb := btx.Bucket(bucketLog)
		c := lb.Cursor()
		var k, v []byte
		if after == ^uint64(0) {
			return nil
		}
		k, v = c.Seek(seqKey(after + 1))
		for ; k != nil && len(out) < limit; k, v = c.Next() {
			ch, err := decodeChange(k, v)
			if err != nil {
				return err
			}
			out = append(out, ch)
		}
		if len(out) > 0 {
			next = out[len(out)-1].Seq
		} else if k == nil && lb.Sequence() > after {
			// Everything after the position was trimmed away.
			next = lb.Sequence()
		}
		return nil
	})
	if err != nil {
		return nil, after, mapErr("changes", err)
	}
	return out, next, nil
}

// Wait blocks until a record after the given position is committed.
func (db *DB) Wait(ctx context.Context, after uint64) (uint64, error) {
	if err := db.checkOpen(ctx); err != nil {
		return 0, err
	}
	for {
		db.nmu.Lock()
		ch := db.notify
		db.nmu.Unlock()
		if last := db.last.Load(); last > after {
			return last, nil
		}
		select {
		case <-ch:
		case <-db.stop:
			return 0, fmt.Errorf("boltstore: %w", store.ErrClosed)
		case <-ctx.Done():
			return 0, ctx.Err()
		}
	}
}

// Last returns the highest committed position.
func (db *DB) Last(ctx context.Context) (uint64, error) {
	if err := db.checkOpen(ctx); err != nil {
		return 0, err
	}
	return db.last.Load(), nil
}

// Trim deletes change records below the given position.
func (db *DB) Trim(ctx context.Context, below uint64) error {
	if err := db.checkOpen(ctx); err != nil {
		return err
	}
	// Delete in chunks so a long log does not make one huge transaction.
	for {
		n := 0
		err := db.bolt.Update(func(btx *bolt.Tx) error {
			c := btx.Bucket(bucketLog).Cursor()
			for k, _ := c.First(); k != nil && n < 10000; k, _ = c.Next() {
				if binary.BigEndian.Uint64(k) >= below {
					break
				}
				if err := c.Delete(); err != nil {
					return err
				}
				n++
			}
			return nil
		})
		if err != nil {
			return mapErr("trim", err)
		}
		if n < 10000 {
			return nil
		}
		if err := ctx.Err(); err != nil {
			return err
		}
	}
}

// Close stops the committer, fails queued updates with store.ErrClosed,
// and closes the file. It is idempotent.
func (db *DB) Close() error {
	if !db.q.Close() {
		return nil
	}
	close(db.stop)
	<-db.stopped
	return db.bolt.Close()
}

func (db *DB) published(last uint64) {
	db.last.Store(last)
	db.nmu.Lock()
	close(db.notify)
	db.notify = make(chan struct{})
	db.nmu.Unlock()
}

func mapErr(op string, err error) error {
	switch {
	case errors.Is(err, berrors.ErrMaxSizeReached):
		return fmt.Errorf("boltstore: %s: %w", op, ErrFull)
	case errors.Is(err, berrors.ErrDatabaseNotOpen):
		return fmt.Errorf("boltstore: %s: %w", op, store.ErrClosed)
	}
	return fmt.Errorf("boltstore: %s: %w", op, err)
}

func seqKey(seq uint64) []byte {
	var k [8]byte
	binary.BigEndian.PutUint64(k[:], seq)
	return k[:]
}

// A log value is one byte of kind length, the kind, then the data.
func encodeChange(kind string, data []byte) []byte {
	b := make([]byte, 0, 1+len(kind)+len(data))
	b = append(b, byte(len(kind)))
	b = append(b, kind...)
	return append(b, data...)
}

func decodeChange(k, v []byte) (store.Change, error) {
	if len(k) != 8 || len(v) < 1 || len(v) < 1+int(v[0]) {
		return store.Change{}, fmt.Errorf("boltstore: corrupt change record %x", k)
	}
	n := int(v[0])
	return store.Change{
		Seq:  binary.BigEndian.Uint64(k),
		Kind: string(v[1 : 1+n]),
		Data: append([]byte(nil), v[1+n:]...),
	}, nil
}
