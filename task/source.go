package task

import (
	"context"
	"fmt"

	"github.com/workspace-go/workspace/internal/keys"
	"github.com/workspace-go/workspace/store"
)

// Bounds of BySource.
const (
	// SourcePage is the most tasks one page of BySource holds.
	SourcePage = 100
	// sourceScan is the most index keys one call reads, so that a source
	// with many tasks the actor may not see costs a bounded read per
	// page; a page cut short by it still has a Next.
	sourceScan = 1000
)

// BySource lists the tasks made from src (a chat message, a document
// comment: Spec.Source) that the actor may view, oldest first, a page of
// at most SourcePage. Tasks the actor may not view are left out. The index
// it reads is written in the transaction of each task, so a task just
// made is listed at once. A page may hold fewer than SourcePage tasks and
// still have a Next, when the source has many tasks the actor does not
// see; pass Next back for the rest.
func (s *Service) BySource(ctx context.Context, actor string, src Source, cursor string) (store.Page[Task], error) {
	if err := s.checkActor(ctx, actor); err != nil {
		return store.Page[Task]{}, err
	}
	if src.IsZero() {
		return store.Page[Task]{}, fmt.Errorf("task: by source: empty source: %w", ErrInvalid)
	}
	if err := checkSource(src); err != nil {
		return store.Page[Task]{}, err
	}
	return s.listVisible(ctx, "by source", actor, sourcePrefix(src), cursor, nil)
}

// listVisible pages through the tasks whose ids end the keys under prefix
// (written at their creation time), keeping those the actor may view. check,
// when set, runs first in the same transaction.
func (s *Service) listVisible(ctx context.Context, what, actor string, prefix []byte, cursor string, check func(store.Tx) error) (store.Page[Task], error) {
	rg := store.Prefix(prefix)
	if cursor != "" {
		c, err := decodeCursor(what, cursor, rg.Start, rg.End)
		if err != nil {
			return store.Page[Task]{}, err
		}
		rg.Start = append(c, 0)
	}
	rg.Limit = sourceScan + 1
	var out store.Page[Task]
	err := s.st.View(ctx, func(tx store.Tx) error {
		out = store.Page[Task]{}
		if check != nil {
			if err := check(tx); err != nil {
				return err
			}
		}
		var last []byte
		n := 0
		for k := range tx.Scan(rg) {
			if n == sourceScan || len(out.Items) == SourcePage {
				out.Next = encodeCursor(last)
				break
			}
			n++
			last = append(last[:0], k...)
			id, err := keys.Last(k)
			if err != nil {
				return fmt.Errorf("task: %s: malformed index key %q: %w", what, k, ErrInvalid)
			}
			r, err := load(tx, id)
			if err != nil {
				return err
			}
			if canView(&r.Task, actor) {
				out.Items = append(out.Items, r.Task.clone())
			}
		}
		return nil
	})
	if err != nil {
		return store.Page[Task]{}, err
	}
	return out, nil
}
