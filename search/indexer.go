package search

import (
	"context"
	"errors"
	"fmt"

	"github.com/workspace-go/workspace/store"
)

// run is the indexer goroutine: it tails the change log until ctx ends
// (Close) or an error stops it, which it records for Sync and WaitFor.
func (ix *Index) run(ctx context.Context) {
	defer close(ix.done)
	err := ix.tail(ctx)
	if ctx.Err() != nil {
		return // closing: not an indexer failure
	}
	ix.setCheckpoint(ix.Checkpoint(), fmt.Errorf("search: indexer stopped at %d: %w: %w", ix.Checkpoint(), ErrIndexerStopped, err))
}

// tail applies the log from the checkpoint on, one batch per read, waiting
// for new records when it has caught up.
func (ix *Index) tail(ctx context.Context) error {
	for {
		after := ix.Checkpoint()
		recs, next, err := ix.st.Changes(ctx, after, ix.cfg.batch)
		if err != nil {
			return err
		}
		if len(recs) == 0 && next <= after {
			if _, err := ix.st.Wait(ctx, after); err != nil {
				return err
			}
			continue
		}
		if err := ix.applyChanges(ctx, after, recs, next); err != nil {
			return err
		}
	}
}

// applyChanges maps recs and indexes the result together with the new
// checkpoint next in one bleve batch, so the index never holds the
// effects of a change without its position or the reverse: a crash
// replays from the last batch that made it to disk, and replaying is
// harmless because upserts and deletes are idempotent.
func (ix *Index) applyChanges(ctx context.Context, after uint64, recs []store.Change, next uint64) error {
	ops, err := ix.mapChanges(ctx, recs)
	if err != nil {
		return err
	}
	ix.wmu.Lock()
	defer ix.wmu.Unlock()
	if ix.Checkpoint() != after {
		return nil // a Rebuild moved the position meanwhile: read again from there
	}
	if ix.isClosed() {
		return ErrClosed
	}
	b := ix.idx.NewBatch()
	if err := ix.addOps(b, ops); err != nil {
		return fmt.Errorf("search: changes %d..%d: %w", after+1, next, err)
	}
	b.SetInternal(keyCheckpoint, encodeCheckpoint(next))
	if err := ix.idx.Batch(b); err != nil {
		return fmt.Errorf("search: index changes %d..%d: %w", after+1, next, err)
	}
	ix.setCheckpoint(next, nil)
	return nil
}

// mapChanges maps recs to index operations with the Mapper, in order.
func (ix *Index) mapChanges(ctx context.Context, recs []store.Change) ([]Op, error) {
	var ops []Op
	for _, c := range recs {
		o, err := ix.cfg.mapper(ctx, c)
		if err != nil {
			return nil, fmt.Errorf("search: map change %d (%s): %w", c.Seq, c.Kind, err)
		}
		ops = append(ops, o...)
	}
	return ops, nil
}

// WaitFor blocks until the index reflects every change with Seq <= seq,
// ctx ends, the Index is closed, or the indexer has stopped on an error
// (returned, wrapping ErrIndexerStopped). Use it after a write to read
// your own write: seq is the position the write's Append returned.
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
// store before the call (see WaitFor).
func (ix *Index) Sync(ctx context.Context) error {
	if ix.cfg.mapper == nil {
		return fmt.Errorf("search: sync: %w", ErrNoIndexer)
	}
	last, err := ix.st.Last(ctx)
	if err != nil {
		if errors.Is(err, store.ErrClosed) {
			return fmt.Errorf("search: sync: %w", err)
		}
		return err
	}
	return ix.WaitFor(ctx, last)
}
