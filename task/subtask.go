package task

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/workspace-go/workspace/internal/keys"
	"github.com/workspace-go/workspace/store"
)

// MaxDepth is the most levels a tree of tasks may have: a task and up to
// MaxDepth-1 levels of subtasks under it.
const MaxDepth = 5

// Activity types of a parent task.
const (
	ActSubtaskAdded   ActivityType = "subtask_added"
	ActSubtaskRemoved ActivityType = "subtask_removed"
)

func subtaskPrefix(parent string) []byte { return keys.New("task", "p", parent) }

// childState is how a subtask counts in its parent's Subtasks: open, done
// or cancelled.
func childState(st Status) byte {
	switch st {
	case StatusDone:
		return 'd'
	case StatusCancelled:
		return 'c'
	}
	return 'o'
}

// count moves one subtask from state from to state to in c; 0 means not a
// subtask (added or removed).
func (c *Subtasks) count(from, to byte) {
	switch from {
	case 0:
		c.Total++
	case 'd':
		c.Done--
	case 'c':
		c.Cancelled--
	}
	switch to {
	case 0:
		c.Total--
	case 'd':
		c.Done++
	case 'c':
		c.Cancelled++
	}
}

// rollup records in parent's counts that its subtask child moved from
// state from to state to (0: added or removed), with an activity entry
// when it was added or removed. The parent may be one the actor cannot
// see: a subtask's assignee need not be on its parent.
func (s *Service) rollup(tx store.Tx, parent, child string, from, to byte, now time.Time) error {
	p, err := load(tx, parent)
	if errors.Is(err, store.ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	before := s.entries(p)
	p.Subtasks.count(from, to)
	var acts []Activity
	switch {
	case from == 0:
		acts = []Activity{{Type: ActSubtaskAdded, To: child}}
	case to == 0:
		acts = []Activity{{Type: ActSubtaskRemoved, From: child}}
	}
	p.Updated = now
	return s.save(tx, p, before, step{typ: TaskUpdated, acts: acts}, now)
}

// adopt checks that actor may put task id under parent (id is "" for a
// task not made yet) and returns the parent's record: the actor must see
// the parent (ErrNotFound) and be its creator or an assignee
// (ErrPermission); the parent must be open (ErrDone), not id itself nor
// under it (ErrCycle), and less than MaxDepth-1 levels deep (ErrTooLarge).
func adopt(tx store.Tx, actor, id, parent string) (*record, error) {
	if err := checkID(parent); err != nil {
		return nil, err
	}
	if parent == id {
		return nil, fmt.Errorf("task: put %q under itself: %w", id, ErrCycle)
	}
	p, err := view(tx, "add a subtask to", actor, parent)
	if err != nil {
		return nil, err
	}
	if p.Creator != actor && !p.IsAssignee(actor) {
		return nil, fmt.Errorf("task: %s may not add subtasks to %q: only its creator and assignees may: %w", actor, parent, ErrPermission)
	}
	if !p.Status.Open() {
		return nil, fmt.Errorf("task: add a subtask to %q: %w", parent, ErrDone)
	}
	depth := 1
	for up := p; up.Parent != ""; depth++ {
		if up.Parent == id {
			return nil, fmt.Errorf("task: put %q under %q, which is under it: %w", id, parent, ErrCycle)
		}
		if depth >= MaxDepth-1 {
			return nil, fmt.Errorf("task: add a subtask to %q: more than %d levels: %w", parent, MaxDepth, ErrTooLarge)
		}
		if up, err = load(tx, up.Parent); err != nil {
			return nil, err
		}
	}
	return p, nil
}

// Subtasks lists the direct subtasks of task id that the actor may view,
// oldest first, a page of at most SourcePage (pass the page's Next for
// the rest). The actor must be able to view the task.
func (s *Service) Subtasks(ctx context.Context, actor, id, cursor string) (store.Page[Task], error) {
	if err := s.checkActor(ctx, actor); err != nil {
		return store.Page[Task]{}, err
	}
	if err := checkID(id); err != nil {
		return store.Page[Task]{}, err
	}
	return s.listVisible(ctx, "list subtasks", actor, subtaskPrefix(id), cursor, func(tx store.Tx) error {
		_, err := view(tx, "list subtasks of", actor, id)
		return err
	})
}

// ForceStatus is SetStatus that may also close a task with open subtasks
// as done, leaving the subtasks as they are. Only the creator may force.
func (s *Service) ForceStatus(ctx context.Context, actor, id string, to Status) (Task, error) {
	if err := s.checkActor(ctx, actor); err != nil {
		return Task{}, err
	}
	if !to.valid() {
		return Task{}, fmt.Errorf("task: status %q: %w", clip(string(to)), ErrInvalid)
	}
	return s.setStatus(ctx, actor, id, to, false, true)
}

// ForceComplete is Complete that may also make a task with open subtasks
// done when the actor's part was the last one.
func (s *Service) ForceComplete(ctx context.Context, actor, id string) (Task, error) {
	return s.complete(ctx, actor, id, true)
}
