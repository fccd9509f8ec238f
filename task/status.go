package task

import (
	"context"
	"fmt"
	"time"
)

// settle moves an open task to the status its assignees' parts imply:
// done when all parts are done (ModeAll) or any is (ModeAny), in progress
// once some part is done. It returns the activity entry of the move, or
// nil when the status stays.
func settle(t *Task, actor string, now time.Time) *Activity {
	if !t.Status.Open() {
		return nil
	}
	done, _ := t.Progress()
	to := t.Status
	switch {
	case doneByParts(t) && t.Subtasks.Open() > 0:
		// The parts are done but subtasks are not: the creator closes it.
		to = StatusInProgress
	case doneByParts(t):
		to = StatusDone
	case done > 0 && t.Status == StatusTodo:
		to = StatusInProgress
	}
	if to == t.Status {
		return nil
	}
	a := &Activity{Type: ActStatus, Actor: actor, From: string(t.Status), To: string(to)}
	t.Status = to
	if to == StatusDone {
		t.Closed = now
	}
	return a
}

// doneByParts reports whether t's parts alone make it done.
func doneByParts(t *Task) bool {
	done, total := t.Progress()
	return total > 0 && (done == total || t.Mode == ModeAny && done > 0)
}

// reopen makes a closed task open again: every part not done, status
// todo, reminders re-armed.
func reopen(r *record) {
	for i := range r.Assignees {
		r.Assignees[i].Done = false
		r.Assignees[i].DoneAt = time.Time{}
	}
	r.Status = StatusTodo
	r.Closed = time.Time{}
	r.SoonSent, r.LateSent = false, false
}

// Complete marks the actor's own part of task id done ("2/3 done"). The
// actor must be an assignee (ErrPermission otherwise; a creator who is not
// an assignee closes the task with SetStatus). When that completes the task
// (every part in ModeAll, this one in ModeAny) the task becomes done. A part
// already done is left alone; a closed task gives ErrDone.
//
// When that would make done a task that has open subtasks, Complete
// refuses with ErrOpenSubtasks and changes nothing; ForceComplete
// completes it anyway.
func (s *Service) Complete(ctx context.Context, actor, id string) (Task, error) {
	return s.complete(ctx, actor, id, false)
}

func (s *Service) complete(ctx context.Context, actor, id string, force bool) (Task, error) {
	if err := s.checkActor(ctx, actor); err != nil {
		return Task{}, err
	}
	now := s.now()
	return s.mutate(ctx, "complete", actor, id, now, func(r *record) (step, error) {
		i := r.assignee(actor)
		if i < 0 {
			return step{}, fmt.Errorf("task: %s may not complete %q: not an assignee: %w", actor, id, ErrPermission)
		}
		if r.Assignees[i].Done {
			return step{}, noChange
		}
		if !r.Status.Open() {
			return step{}, fmt.Errorf("task: complete %q: %w", id, ErrDone)
		}
		r.Assignees[i].Done = true
		r.Assignees[i].DoneAt = now
		acts := []Activity{{Type: ActCompleted, Actor: actor}}
		if doneByParts(&r.Task) && r.Subtasks.Open() > 0 {
			if !force {
				return step{}, fmt.Errorf("task: complete %q: %d of its %d subtasks are open: %w", id, r.Subtasks.Open(), r.Subtasks.Total, ErrOpenSubtasks)
			}
			acts = append(acts, Activity{Type: ActStatus, Actor: actor, From: string(r.Status), To: string(StatusDone)})
			r.Status, r.Closed = StatusDone, now
		} else if a := settle(&r.Task, actor, now); a != nil {
			acts = append(acts, *a)
		}
		return step{typ: TaskCompleted, acts: acts, force: force}, nil
	})
}

// Uncomplete takes back the actor's completion of their part of task id.
// If the parts had made the task done, it opens again (in progress when
// other parts are still done, todo otherwise). A task the creator closed
// or cancelled gives ErrDone: only the creator reopens it.
func (s *Service) Uncomplete(ctx context.Context, actor, id string) (Task, error) {
	if err := s.checkActor(ctx, actor); err != nil {
		return Task{}, err
	}
	now := s.now()
	return s.mutate(ctx, "uncomplete", actor, id, now, func(r *record) (step, error) {
		i := r.assignee(actor)
		if i < 0 {
			return step{}, fmt.Errorf("task: %s may not uncomplete %q: not an assignee: %w", actor, id, ErrPermission)
		}
		if !r.Assignees[i].Done {
			return step{}, noChange
		}
		if r.Status == StatusCancelled || r.Status == StatusDone && !doneByParts(&r.Task) {
			return step{}, fmt.Errorf("task: uncomplete %q: %w", id, ErrDone)
		}
		r.Assignees[i].Done = false
		r.Assignees[i].DoneAt = time.Time{}
		acts := []Activity{{Type: ActUncompleted, Actor: actor}}
		if r.Status == StatusDone {
			to := StatusTodo
			if done, _ := r.Progress(); done > 0 {
				to = StatusInProgress
			}
			acts = append(acts, Activity{Type: ActReopened, Actor: actor, From: string(r.Status), To: string(to)})
			r.Status = to
			r.Closed = time.Time{}
			r.SoonSent, r.LateSent = false, false
		}
		return step{typ: TaskUncompleted, acts: acts}, nil
	})
}

// SetStatus sets the status of task id as a whole.
//
// Setting done on a task with open subtasks is refused with
// ErrOpenSubtasks; ForceStatus does it anyway.
//
// The creator may set any status: done closes the task whatever the
// parts say (the parts keep their own state, so progress stays truthful),
// cancelled withdraws it, and todo or in progress on a closed task reopens
// it, clearing every part's completion. An assignee may only move an open
// task between todo and in progress (start work, or put it back). Setting
// the status the task already has writes nothing.
func (s *Service) SetStatus(ctx context.Context, actor, id string, to Status) (Task, error) {
	if err := s.checkActor(ctx, actor); err != nil {
		return Task{}, err
	}
	if !to.valid() {
		return Task{}, fmt.Errorf("task: status %q: %w", clip(string(to)), ErrInvalid)
	}
	return s.setStatus(ctx, actor, id, to, false, false)
}

// setStatus is SetStatus; with reopenOnly it changes only a closed task,
// with force it may close one with open subtasks.
func (s *Service) setStatus(ctx context.Context, actor, id string, to Status, reopenOnly, force bool) (Task, error) {
	now := s.now()
	return s.mutate(ctx, "set status of", actor, id, now, func(r *record) (step, error) {
		from := r.Status
		if from == to || reopenOnly && from.Open() {
			return step{}, noChange
		}
		creator := r.Creator == actor
		if !creator {
			if !r.IsAssignee(actor) || !from.Open() || !to.Open() {
				return step{}, fmt.Errorf("task: %s may not set %q from %s to %s: %w", actor, id, from, to, ErrPermission)
			}
		}
		act := Activity{Type: ActStatus, Actor: actor, From: string(from), To: string(to)}
		switch {
		case !from.Open() && to.Open():
			reopen(r)
			r.Status = to
			act.Type = ActReopened
		case !to.Open():
			r.Status = to
			r.Closed = now
		default:
			r.Status = to
		}
		if force && !creator {
			return step{}, fmt.Errorf("task: %s may not force the status of %q: only its creator may: %w", actor, id, ErrPermission)
		}
		return step{typ: TaskStatus, acts: []Activity{act}, force: force}, nil
	})
}

// Reopen makes a done or cancelled task todo again, clearing every part's
// completion; it is SetStatus(ctx, actor, id, StatusTodo) and only the
// creator may do it. Reopening an open task writes nothing.
func (s *Service) Reopen(ctx context.Context, actor, id string) (Task, error) {
	if err := s.checkActor(ctx, actor); err != nil {
		return Task{}, err
	}
	return s.setStatus(ctx, actor, id, StatusTodo, true, false)
}
