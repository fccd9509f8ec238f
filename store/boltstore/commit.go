package boltstore

import (
	"context"
	"fmt"

	bolt "go.etcd.io/bbolt"

	"github.com/workspace-go/workspace/internal/commitq"
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

// Update queues fn for the next commit group and waits for the group to be
// on disk.
func (db *DB) Update(ctx context.Context, fn func(store.Tx) error) error {
	return db.q.Do(ctx, fn, fmt.Errorf("boltstore: %w", store.ErrClosed))
}

func (db *DB) commitLoop() {
	for {
		select {
		case <-db.q.Kick():
		case <-db.stop:
			db.q.Fail(fmt.Errorf("boltstore: %w", store.ErrClosed))
			close(db.stopped)
			return
		}
		for {
			group := db.q.Take(db.opts.MaxBatch)
			if len(group) == 0 {
				break
			}
			db.commit(group)
		}
	}
}

func (db *DB) commit(group []*commitq.Request) {
	defer func() {
		if db.q.Recover(group) { // a function called runtime.Goexit
			go db.commitLoop()
		}
	}()
	var last uint64
	ran := group[:0:0]
	err := db.bolt.Update(func(btx *bolt.Tx) error {
		kv, lb := btx.Bucket(bucketKV), btx.Bucket(bucketLog)
		next := lb.Sequence() + 1
		for _, r := range group {
			if !r.Start() {
				continue // its caller gave up waiting
			}
			ran = append(ran, r)
			t := newTx(r.Ctx, kv, lb)
			t.Writable, t.NextSeq = true, next
			r.Err, r.Panic = run(r, t)
			if r.Err != nil || r.Panic != nil {
				continue
			}
			if err := apply(&t.Set, kv, lb); err != nil {
				return err // the commit cannot proceed: fail the group
			}
			next += uint64(len(t.Set.Changes))
		}
		last = next - 1
		return lb.SetSequence(last)
	})
	if err != nil {
		err = mapErr("commit", err)
		for _, r := range ran {
			if r.Err == nil && r.Panic == nil {
				r.Err = err
			}
		}
	} else if last > db.last.Load() {
		db.published(last)
	}
	commitq.Finish(group)
}

// run calls the request's function with the transaction t, which ends
// with it; see commitq.Request.Run.
func run(r *commitq.Request, t *tx) (error, any) {
	defer t.End()
	return r.Run(t, t.Err)
}
