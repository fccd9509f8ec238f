package search

import (
	"context"
	"fmt"
	"os"

	"github.com/blevesearch/bleve/v2"

	"github.com/workspace-go/workspace/store"
)

// Rebuild replaces the contents of the index with the documents enum
// yields: the way back from a lost or corrupt index, or from a change in
// how records map to Documents. progress, if not nil, is called after
// every batch and once more with Done set.
//
// The new index is built beside the old one (in "<path>.rebuild" on
// disk), which keeps serving searches until the new one replaces it; if
// enum or ctx fails, the old index is left untouched. The change-log
// position read before enumerating becomes the checkpoint, so the indexer
// then replays whatever changed during the rebuild; replaying a change the
// enumeration already saw is harmless. Indexing waits while the new index
// replaces the old; an indexer stopped on an error stays stopped.
func (ix *Index) Rebuild(ctx context.Context, enum Enumerator, progress func(Progress)) error {
	if enum == nil {
		return fmt.Errorf("search: rebuild: nil enumerator: %w", store.ErrInvalid)
	}
	return ix.rebuild(ctx, func(nidx bleve.Index) (uint64, error) {
		var last uint64
		if ix.st != nil {
			var err error
			if last, err = ix.st.Last(ctx); err != nil {
				return 0, fmt.Errorf("search: rebuild: %w", err)
			}
		}
		return last, ix.fill(ctx, nidx, enum, last, progress)
	}, progress)
}

// upgrade rebuilds an index written with version was of the mapping
// (see mappingVersion): from WithRebuildIfLost's Enumerator when given,
// which does not depend on the change log being whole, or else by
// replaying the change log from its start through the Mapper, as an
// index created empty would, but before New returns and beside the old
// index. It runs in New, before the indexer starts.
func (ix *Index) upgrade(ctx context.Context, was string) error {
	switch {
	case ix.cfg.rebuild != nil:
		return ix.Rebuild(ctx, ix.cfg.rebuild, ix.cfg.progress)
	case ix.cfg.mapper != nil:
		return ix.rebuild(ctx, func(nidx bleve.Index) (uint64, error) {
			return ix.replay(ctx, nidx)
		}, nil)
	}
	return fmt.Errorf("search: open index %q: written with analysis version %q, this package writes %q; "+
		"nothing to rebuild it from (WithRebuildIfLost or WithMapper): %w", ix.cfg.path, was, mappingVersion, ErrCorrupt)
}

// rebuild builds a new index with build, which returns the change-log
// position of what it indexed, and swaps it in place of the current one.
// The current index is untouched if build fails.
func (ix *Index) rebuild(ctx context.Context, build func(nidx bleve.Index) (uint64, error), progress func(Progress)) error {
	if ix.isClosed() {
		return ErrClosed
	}
	dir := ""
	if ix.cfg.path != "" {
		dir = ix.cfg.path + ".rebuild"
		if err := os.RemoveAll(dir); err != nil {
			return fmt.Errorf("search: rebuild: %w", err)
		}
	}
	nidx, err := ix.create(dir)
	if err != nil {
		return err
	}
	discard := func() {
		nidx.Close()
		if dir != "" {
			os.RemoveAll(dir)
		}
	}
	last, err := build(nidx)
	if err != nil {
		discard()
		return err
	}
	n, _ := nidx.DocCount()

	ix.wmu.Lock()
	defer ix.wmu.Unlock()
	ix.mu.Lock()
	if ix.closed {
		ix.mu.Unlock()
		discard()
		return ErrClosed
	}
	if err := ix.swap(nidx, dir); err != nil {
		ix.closed = true
		ix.mu.Unlock()
		ix.lock.unlock()
		ix.setCheckpoint(ix.Checkpoint(), err)
		return err
	}
	ix.mu.Unlock()
	ix.setCheckpoint(last, nil)
	if progress != nil {
		progress(Progress{Docs: int(n), Done: true})
	}
	return nil
}

// replay indexes the whole change log into nidx, one batch of changes
// per bleve batch, and returns the position reached.
func (ix *Index) replay(ctx context.Context, nidx bleve.Index) (uint64, error) {
	last, err := ix.st.Last(ctx)
	if err != nil {
		return 0, fmt.Errorf("search: rebuild from the change log: %w", err)
	}
	var after uint64
	for after < last {
		recs, next, err := ix.st.Changes(ctx, after, ix.cfg.batch)
		if err != nil {
			return 0, fmt.Errorf("search: rebuild from the change log: %w", err)
		}
		if len(recs) == 0 && next <= after {
			break
		}
		err = ix.mapChanges(ctx, nidx.NewBatch(), after, recs, next, func(b *bleve.Batch, cp uint64) error {
			b.SetInternal(keyCheckpoint, encodeCheckpoint(cp))
			return nidx.Batch(b)
		})
		if err != nil {
			return 0, fmt.Errorf("search: rebuild from the change log: %w", err)
		}
		after = next
	}
	return after, nil
}

// fill indexes enum's documents into nidx in batches, ending with the
// checkpoint last.
func (ix *Index) fill(ctx context.Context, nidx bleve.Index, enum Enumerator, last uint64, progress func(Progress)) error {
	b := nidx.NewBatch()
	n := 0
	flush := func() error {
		if err := nidx.Batch(b); err != nil {
			return fmt.Errorf("search: rebuild: %w", err)
		}
		b.Reset()
		if progress != nil {
			progress(Progress{Docs: n})
		}
		return nil
	}
	err := enum(ctx, func(d Document) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := ix.addOps(b, []Op{Upsert(d)}); err != nil {
			return err
		}
		n++
		if b.Size() >= ix.cfg.batch {
			return flush()
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("search: rebuild after %d documents: %w", n, err)
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	b.SetInternal(keyCheckpoint, encodeCheckpoint(last))
	return flush()
}

// swap puts nidx, built in dir, in place of the current index. It runs
// with wmu and mu held.
func (ix *Index) swap(nidx bleve.Index, dir string) error {
	if dir == "" {
		old := ix.idx
		ix.idx = nidx
		old.Close()
		return nil
	}
	path := ix.cfg.path
	if err := nidx.Close(); err != nil {
		return fmt.Errorf("search: rebuild: %w", err)
	}
	ix.idx.Close()
	if err := os.RemoveAll(path); err != nil {
		return fmt.Errorf("search: rebuild: remove old index: %w", err)
	}
	if err := os.Rename(dir, path); err != nil {
		return fmt.Errorf("search: rebuild: %w", err)
	}
	idx, _, stale, err := ix.openDir(path)
	if err == nil && stale != "" {
		idx.Close()
		err = fmt.Errorf("version %s: %w", stale, ErrCorrupt)
	}
	if err != nil {
		return fmt.Errorf("search: rebuild: reopen: %w", err)
	}
	ix.idx = idx
	return nil
}
