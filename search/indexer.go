package search

import (
	"context"
	"errors"
	"fmt"

	"github.com/blevesearch/bleve/v2"

	"github.com/workspace-go/workspace/store"
)

// run is the indexer goroutine: it tails the change log until ctx ends
// (Close) or a permanent error stops it, which it records for Err, Sync
// and WaitFor. A transient error (store.Transient: a lost connection, a
// restarted server, a timeout), from the store or from the Mapper, is
// retried with the configured store.Backoff from the checkpoint, the last
// position the index holds durably: the failed batch is read and mapped
// again, and nothing before it is applied twice.
func (ix *Index) run(ctx context.Context) {
	defer close(ix.done)
	for {
		err := ix.cfg.backoff.Retry(ctx, func() error { return ix.step(ctx) })
		if err == nil {
			continue
		}
		if ctx.Err() != nil {
			return // closing: not an indexer failure
		}
		cp := ix.Checkpoint()
		ix.setCheckpoint(cp, fmt.Errorf("search: indexer stopped at %d: %w: %w", cp, ErrIndexerStopped, err))
		return
	}
}

// step applies one batch of the log from the checkpoint on, or waits for
// new records when the index has caught up.
func (ix *Index) step(ctx context.Context) error {
	after := ix.Checkpoint()
	recs, next, err := ix.st.Changes(ctx, after, ix.cfg.batch)
	if err != nil {
		return err
	}
	if len(recs) == 0 && next <= after {
		_, err := ix.st.Wait(ctx, after)
		return err
	}
	if len(recs) > 0 {
		// A backend may show a record to Changes a moment before Last
		// counts it (boltstore publishes its position after the commit).
		// Services that read "as of Last" (docacl) would then answer for
		// the state before the record: wait until Last covers it, so that
		// the Mapper's reads see what the record says.
		if _, err := ix.st.Wait(ctx, recs[len(recs)-1].Seq-1); err != nil {
			return err
		}
	}
	return ix.applyChanges(ctx, after, recs, next)
}

// applyChanges maps recs and indexes the result in bleve batches of at
// most cfg.batch operations, each written together with the position of
// the last change it completes: the index never holds the effects of a
// change without a position at or below it, nor a position without the
// effects of the changes up to it. A crash replays from the last batch
// that made it to disk, which is harmless because upserts and deletes are
// idempotent; the last batch moves the checkpoint to next.
func (ix *Index) applyChanges(ctx context.Context, after uint64, recs []store.Change, next uint64) error {
	expect := after
	flush := func(b *bleve.Batch, cp uint64) error {
		ix.wmu.Lock()
		defer ix.wmu.Unlock()
		if ix.Checkpoint() != expect {
			return errMoved
		}
		if ix.isClosed() {
			return ErrClosed
		}
		b.SetInternal(keyCheckpoint, encodeCheckpoint(cp))
		if err := ix.idx.Batch(b); err != nil {
			return fmt.Errorf("search: index changes %d..%d: %w", after+1, cp, err)
		}
		ix.setCheckpoint(cp, nil)
		expect = cp
		return nil
	}
	ix.mu.RLock()
	if ix.closed {
		ix.mu.RUnlock()
		return ErrClosed
	}
	b := ix.idx.NewBatch()
	ix.mu.RUnlock()
	err := ix.mapChanges(ctx, b, after, recs, next, flush)
	if errors.Is(err, errMoved) {
		return nil // a Rebuild moved the position meanwhile: read again from there
	}
	return err
}

// errMoved reports, inside the indexer, that a Rebuild replaced the index
// while a batch was being mapped.
var errMoved = errors.New("search: checkpoint moved by a rebuild")

// mapChanges maps recs with the Mapper, in order, and gives the
// operations to flush in batches of at most cfg.batch, each with the
// position of the last change it completes (after when none is complete
// yet), and finally with next. A transient Mapper error is retried on the
// same record, so that the records before it are not mapped again.
func (ix *Index) mapChanges(ctx context.Context, b *bleve.Batch, after uint64, recs []store.Change, next uint64, flush func(b *bleve.Batch, cp uint64) error) error {
	n := 0
	done := after
	emit := func(o Op) error {
		if err := ix.addOps(b, []Op{o}); err != nil {
			return err
		}
		if n++; n >= ix.cfg.batch {
			if err := flush(b, done); err != nil {
				return err
			}
			b.Reset()
			n = 0
		}
		return nil
	}
	for _, c := range recs {
		err := ix.cfg.backoff.Retry(ctx, func() error { return ix.cfg.mapper(ctx, c, emit) })
		if err != nil {
			if errors.Is(err, errMoved) {
				return err
			}
			return fmt.Errorf("search: map change %d (%s): %w", c.Seq, c.Kind, err)
		}
		done = c.Seq
	}
	return flush(b, next)
}

// Err returns the error that stopped the indexer (wrapping
// ErrIndexerStopped and its cause), or nil while it runs, has not
// started, or was stopped by Close. Transient errors being retried are
// not reported here (see WithBackoff's OnRetry).
func (ix *Index) Err() error {
	ix.cpMu.Lock()
	defer ix.cpMu.Unlock()
	return ix.runErr
}

// WaitFor blocks until the index reflects every change with Seq <= seq,
// ctx ends, the Index is closed, or the indexer has stopped on a
// permanent error (returned, wrapping ErrIndexerStopped). While the store
// is unavailable, the indexer retries and WaitFor keeps waiting. Use it
// after a write to read your own write: seq is the position the write's
// Append returned.
func (ix *Index) WaitFor(ctx context.Context, seq uint64) error {
	if ix.cfg.mapper == nil {
		return fmt.Errorf("search: wait for %d: %w", seq, ErrNoIndexer)
	}
	for {
		ix.cpMu.Lock()
		cp, ch, err := ix.checkpoint, ix.cpChanged, ix.runErr
		ix.cpMu.Unlock()
		if cp >= seq {
			return nil
		}
		if err != nil {
			return err
		}
		if ix.isClosed() {
			return ErrClosed
		}
		select {
		case <-ch:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// Sync blocks until the index reflects every change committed to the
// store before the call (see WaitFor). Reading the log's position may
// fail transiently (an error wrapping store.ErrUnavailable); it is
// retried like the indexer's reads.
func (ix *Index) Sync(ctx context.Context) error {
	if ix.cfg.mapper == nil {
		return fmt.Errorf("search: sync: %w", ErrNoIndexer)
	}
	var last uint64
	err := ix.cfg.backoff.Retry(ctx, func() error {
		var err error
		last, err = ix.st.Last(ctx)
		return err
	})
	if err != nil {
		if errors.Is(err, store.ErrClosed) {
			return fmt.Errorf("search: sync: %w", err)
		}
		return err
	}
	return ix.WaitFor(ctx, last)
}
