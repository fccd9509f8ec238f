package task

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/workspace-go/workspace/store"
)

// Edit changes some fields of a task; nil fields are left as they are.
type Edit struct {
	Title       *string `json:"title,omitempty"`
	Description *string `json:"description,omitempty"`
	// Due replaces the due time; a pointer to the zero Due removes it.
	// Changing the due re-arms the task's reminders.
	Due      *Due      `json:"due,omitempty"`
	Priority *Priority `json:"priority,omitempty"`
	Mode     *Mode     `json:"mode,omitempty"`
	// Repeat sets the recurrence rule of the series this occurrence
	// belongs to, counting from this occurrence's due; a pointer to ""
	// stops the series (this occurrence stays, no next one is made). The
	// following occurrences are made from this one, so an edit of its
	// title, assignees or checklist carries on to them.
	Repeat *string `json:"repeat,omitempty"`
	// Parent moves the task under another task (as Spec.Parent; cycles are
	// refused with ErrCycle), or with a pointer to "" out from under its
	// parent.
	Parent *string `json:"parent,omitempty"`
}

// Update applies e to task id and returns the task. Only the creator may
// edit a task (as in DingTalk: the person who hands out the work sets its
// terms). An edit that changes nothing writes nothing. Each changed field
// gets an activity entry (ActEdited, or ActDueChanged for the due); the
// change record is TaskUpdated.
func (s *Service) Update(ctx context.Context, actor, id string, e Edit) (Task, error) {
	if err := s.checkActor(ctx, actor); err != nil {
		return Task{}, err
	}
	var (
		title, desc string
		due         Due
		mode        Mode
		err         error
	)
	if e.Title != nil {
		if title, err = cleanTitle(*e.Title); err != nil {
			return Task{}, err
		}
	}
	if e.Description != nil {
		if err := checkText("description", *e.Description, 0, MaxDescription); err != nil {
			return Task{}, err
		}
		desc = *e.Description
	}
	if e.Due != nil {
		if due, err = e.Due.normal(); err != nil {
			return Task{}, err
		}
	}
	if e.Priority != nil && !e.Priority.valid() {
		return Task{}, fmt.Errorf("task: priority %d: %w", int8(*e.Priority), ErrInvalid)
	}
	if e.Mode != nil {
		if mode, err = checkMode(*e.Mode); err != nil {
			return Task{}, err
		}
	}
	var rule string
	if e.Repeat != nil {
		if rule, err = checkRule(*e.Repeat); err != nil {
			return Task{}, err
		}
	}
	if e.Parent != nil && *e.Parent != "" {
		if err := checkID(*e.Parent); err != nil {
			return Task{}, err
		}
	}
	now := s.now()
	return s.mutateTx(ctx, "edit", actor, id, now, func(tx store.Tx, r *record) (step, error) {
		if r.Creator != actor {
			return step{}, fmt.Errorf("task: %s may not edit %q: only its creator may: %w", actor, id, ErrPermission)
		}
		var acts []Activity
		edited := func(field, from, to string) {
			acts = append(acts, Activity{Type: ActEdited, Actor: actor, Field: field, From: from, To: to})
		}
		if e.Title != nil && title != r.Title {
			edited("title", r.Title, title)
			r.Title = title
		}
		if e.Description != nil && desc != r.Description {
			edited("description", "", "")
			r.Description = desc
		}
		if e.Priority != nil && *e.Priority != r.Priority {
			edited("priority", r.Priority.String(), e.Priority.String())
			r.Priority = *e.Priority
		}
		if e.Mode != nil && mode != r.Mode {
			edited("mode", string(r.Mode), string(mode))
			r.Mode = mode
			if a := settle(&r.Task, actor, now); a != nil {
				acts = append(acts, *a)
			}
		}
		if e.Due != nil && !due.Equal(r.Due) {
			acts = append(acts, Activity{Type: ActDueChanged, Actor: actor, From: r.Due.String(), To: due.String()})
			r.Due = due
			r.SoonSent, r.LateSent = false, false
		}
		if e.Repeat != nil {
			a, err := s.editRepeat(r, actor, rule, now)
			if err != nil {
				return step{}, err
			}
			if a != nil {
				acts = append(acts, *a)
			}
		}
		if e.Parent != nil && *e.Parent != r.Parent {
			if err := s.move(tx, r, actor, *e.Parent, now); err != nil {
				return step{}, err
			}
			acts = append(acts, Activity{Type: ActParentChanged, Actor: actor, From: r.Parent, To: *e.Parent})
			r.Parent = *e.Parent
		}
		if len(acts) == 0 {
			return step{}, noChange
		}
		return step{typ: TaskUpdated, acts: acts}, nil
	})
}

// Assign adds users as assignees of task id, each with their part not yet
// done. Only the creator may assign, and only while the task is open
// (ErrDone otherwise). Users already assigned are ignored; if all are,
// nothing is written. The change record (TaskAssigned) names the users
// newly assigned.
func (s *Service) Assign(ctx context.Context, actor, id string, users ...string) (Task, error) {
	if err := s.checkActor(ctx, actor); err != nil {
		return Task{}, err
	}
	users, err := checkPeople("assignee", users)
	if err != nil {
		return Task{}, err
	}
	return s.mutate(ctx, "assign", actor, id, s.now(), func(r *record) (step, error) {
		if r.Creator != actor {
			return step{}, fmt.Errorf("task: %s may not assign %q: only its creator may: %w", actor, id, ErrPermission)
		}
		if !r.Status.Open() {
			return step{}, fmt.Errorf("task: assign %q: %w", id, ErrDone)
		}
		var added []string
		for _, u := range users {
			if !r.IsAssignee(u) {
				added = append(added, u)
				r.Assignees = append(r.Assignees, Assignee{User: u})
			}
		}
		if len(added) == 0 {
			return step{}, noChange
		}
		if len(r.Assignees) > MaxPeople {
			return step{}, fmt.Errorf("task: %q would have %d assignees, over %d: %w", id, len(r.Assignees), MaxPeople, ErrInvalid)
		}
		return step{typ: TaskAssigned, users: added, acts: []Activity{{Type: ActAssigned, Actor: actor, Users: added}}}, nil
	})
}

// Unassign removes users from the assignees of task id. The creator may
// remove anyone; an assignee may remove only themselves (leave the task).
// Users not assigned are ignored. If the assignees left have all completed
// their parts (or, in ModeAny, one has), the open task becomes done.
func (s *Service) Unassign(ctx context.Context, actor, id string, users ...string) (Task, error) {
	if err := s.checkActor(ctx, actor); err != nil {
		return Task{}, err
	}
	users, err := checkPeople("assignee", users)
	if err != nil {
		return Task{}, err
	}
	now := s.now()
	return s.mutate(ctx, "unassign", actor, id, now, func(r *record) (step, error) {
		if r.Creator != actor && (len(users) != 1 || users[0] != actor) {
			return step{}, fmt.Errorf("task: %s may not unassign others from %q: only its creator may: %w", actor, id, ErrPermission)
		}
		var gone []string
		r.Assignees = slices.DeleteFunc(r.Assignees, func(a Assignee) bool {
			if slices.Contains(users, a.User) {
				gone = append(gone, a.User)
				return true
			}
			return false
		})
		if len(gone) == 0 {
			return step{}, noChange
		}
		if len(r.Assignees) == 0 {
			r.Assignees = nil
		}
		acts := []Activity{{Type: ActUnassigned, Actor: actor, Users: gone}}
		if a := settle(&r.Task, actor, now); a != nil {
			acts = append(acts, *a)
		}
		return step{typ: TaskUnassigned, users: gone, acts: acts}, nil
	})
}

// Follow makes users followers of task id; with no users, the actor
// follows. Only the creator and assignees may add followers (themselves
// included); a follower may not bring in others, and people not on the
// task cannot see it to follow it. Followers may view, comment and nudge.
// Users already following are ignored.
func (s *Service) Follow(ctx context.Context, actor, id string, users ...string) (Task, error) {
	if err := s.checkActor(ctx, actor); err != nil {
		return Task{}, err
	}
	if len(users) == 0 {
		users = []string{actor}
	}
	users, err := checkPeople("follower", users)
	if err != nil {
		return Task{}, err
	}
	return s.mutate(ctx, "follow", actor, id, s.now(), func(r *record) (step, error) {
		if r.Creator != actor && !r.IsAssignee(actor) {
			if len(users) == 1 && users[0] == actor {
				return step{}, noChange // a follower following again
			}
			return step{}, fmt.Errorf("task: %s may not add followers to %q: %w", actor, id, ErrPermission)
		}
		var added []string
		for _, u := range users {
			if !r.IsFollower(u) {
				added = append(added, u)
				r.Followers = append(r.Followers, u)
			}
		}
		if len(added) == 0 {
			return step{}, noChange
		}
		if len(r.Followers) > MaxPeople {
			return step{}, fmt.Errorf("task: %q would have %d followers, over %d: %w", id, len(r.Followers), MaxPeople, ErrInvalid)
		}
		return step{typ: TaskFollowed, users: added, acts: []Activity{{Type: ActFollowed, Actor: actor, Users: added}}}, nil
	})
}

// Unfollow removes users from the followers of task id; with no users, the
// actor stops following. The creator may remove anyone; others only
// themselves.
func (s *Service) Unfollow(ctx context.Context, actor, id string, users ...string) (Task, error) {
	if err := s.checkActor(ctx, actor); err != nil {
		return Task{}, err
	}
	if len(users) == 0 {
		users = []string{actor}
	}
	users, err := checkPeople("follower", users)
	if err != nil {
		return Task{}, err
	}
	return s.mutate(ctx, "unfollow", actor, id, s.now(), func(r *record) (step, error) {
		if r.Creator != actor && (len(users) != 1 || users[0] != actor) {
			return step{}, fmt.Errorf("task: %s may not remove others' follow of %q: %w", actor, id, ErrPermission)
		}
		var gone []string
		r.Followers = slices.DeleteFunc(r.Followers, func(f string) bool {
			if slices.Contains(users, f) {
				gone = append(gone, f)
				return true
			}
			return false
		})
		if len(gone) == 0 {
			return step{}, noChange
		}
		if len(r.Followers) == 0 {
			r.Followers = nil
		}
		return step{typ: TaskUnfollowed, users: gone, acts: []Activity{{Type: ActUnfollowed, Actor: actor, Users: gone}}}, nil
	})
}

// editRepeat sets (rule) or stops ("") the series of r, counting from r's
// due, and returns the activity entry, or nil when nothing changes.
func (s *Service) editRepeat(r *record, actor, rule string, now time.Time) (*Activity, error) {
	from := ""
	if r.Repeat != nil {
		from = r.Repeat.Rule
	}
	if rule == from {
		return nil, nil
	}
	if rule == "" {
		r.Repeat = nil
		return &Activity{Type: ActRepeatChanged, Actor: actor, From: from}, nil
	}
	if r.Parent != "" {
		return nil, fmt.Errorf("task: a subtask cannot repeat: %w", ErrInvalid)
	}
	if !r.Status.Open() {
		return nil, fmt.Errorf("task: repeat %q: %w", r.ID, ErrDone)
	}
	seriesID, index := r.ID, 1
	if r.Repeat != nil {
		seriesID, index = r.Repeat.Series, r.Repeat.Index
	}
	rep, err := startRepeat(rule, r.Due, seriesID, r.ID, index, now)
	if err != nil {
		return nil, err
	}
	r.Repeat = rep
	return &Activity{Type: ActRepeatChanged, Actor: actor, From: from, To: rule}, nil
}

// move takes r out from under its parent and, unless parent is "", puts
// it under parent, updating both parents' counts in tx.
func (s *Service) move(tx store.Tx, r *record, actor, parent string, now time.Time) error {
	if parent != "" {
		if r.Repeat != nil {
			return fmt.Errorf("task: a recurring task cannot be a subtask: %w", ErrInvalid)
		}
		if _, err := adopt(tx, actor, r.ID, parent); err != nil {
			return err
		}
		if err := s.rollup(tx, parent, r.ID, 0, childState(r.Status), now); err != nil {
			return err
		}
	}
	if r.Parent != "" {
		return s.rollup(tx, r.Parent, r.ID, childState(r.Status), 0, now)
	}
	return nil
}
