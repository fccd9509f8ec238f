package task

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/workspace-go/workspace/store"
)

// Spec describes a new task.
type Spec struct {
	// Title is required: 1 to MaxTitle bytes of UTF-8 after runs of white
	// space (newlines included) are folded into single spaces.
	Title string `json:"title"`
	// Description is optional, at most MaxDescription bytes.
	Description string `json:"description,omitempty"`
	// Assignees are the people the task is given to, each with their own
	// completion; duplicates are dropped. May be empty (a personal to-do).
	Assignees []string `json:"assignees,omitempty"`
	// Followers are told about the task and may view it.
	Followers []string `json:"followers,omitempty"`
	// Due is when the task is due; the zero Due means none. A due in the
	// past is accepted (the task is overdue at once), as products do when
	// a task is recorded late.
	Due Due `json:"due,omitzero"`
	// Priority; the zero value is PriorityNormal.
	Priority Priority `json:"priority"`
	// Mode says whether every assignee (ModeAll, the default when empty)
	// or any one (ModeAny) must complete the task.
	Mode Mode `json:"mode,omitempty"`
	// Source links the task to where it came from; optional. BySource
	// lists the tasks made from a source.
	Source Source `json:"source,omitzero"`
	// ClientKey makes the create safe to retry: a second Create by the
	// same actor with the same key returns the task the first one made, as
	// it is now, and writes nothing. Optional; at most MaxClientKey bytes
	// of printable UTF-8. The key is freed when the task is deleted.
	ClientKey string `json:"client_key,omitempty"`
	// Parent makes the task a subtask of the task with that id, which the
	// actor must see and be the creator or an assignee of, and which must
	// be open. Optional.
	Parent string `json:"parent,omitempty"`
	// Checklist is the task's checklist, one text per item, at most
	// MaxChecklist of at most MaxCheckItem bytes each.
	Checklist []string `json:"checklist,omitempty"`
	// Repeat makes the task the first occurrence of a recurring task: an
	// RFC 5545 RRULE ("FREQ=WEEKLY;BYDAY=MO", at most MaxRule bytes) whose
	// DTSTART is Due, which is then required. The rule must have an
	// occurrence due after now (ErrNoOccurrence). Not with Parent.
	Repeat string `json:"repeat,omitempty"`
}

func cleanTitle(s string) (string, error) {
	s = strings.Join(strings.Fields(s), " ")
	if err := checkText("title", s, 1, MaxTitle); err != nil {
		return "", err
	}
	if hasControl(s) {
		return "", fmt.Errorf("task: title %q has control characters: %w", clip(s), ErrInvalid)
	}
	return s, nil
}

func checkMode(m Mode) (Mode, error) {
	switch m {
	case "":
		return ModeAll, nil
	case ModeAll, ModeAny:
		return m, nil
	}
	return "", fmt.Errorf("task: mode %q: %w", clip(string(m)), ErrInvalid)
}

func checkSource(src Source) error {
	if src.IsZero() {
		return nil
	}
	if src.Kind == "" || src.ID == "" || len(src.Kind) > MaxID || len(src.ID) > MaxUser ||
		!utf8Valid(src.Kind, src.ID) {
		return fmt.Errorf("task: source %q/%q: kind and id must both be set: %w", clip(src.Kind), clip(src.ID), ErrInvalid)
	}
	return nil
}

// Create makes a task with the actor as its creator and returns it. The new
// task is todo; its activity starts with an ActCreated entry, and a
// TaskCreated record (Users: the assignees) lets an app tell them.
func (s *Service) Create(ctx context.Context, actor string, sp Spec) (Task, error) {
	if err := s.checkActor(ctx, actor); err != nil {
		return Task{}, err
	}
	t, err := s.newTask(actor, sp)
	if err != nil {
		return Task{}, err
	}
	now := t.Created
	var out Task
	err = s.st.Update(ctx, func(tx store.Tx) error {
		if sp.ClientKey != "" {
			id, err := tx.Get(clientKey(actor, sp.ClientKey))
			if err == nil {
				r, err := load(tx, string(id))
				if err != nil {
					return err
				}
				out = r.Task.clone()
				return nil
			}
			if !errors.Is(err, store.ErrNotFound) {
				return err
			}
		}
		if _, err := tx.Get(recordKey(t.ID)); err == nil {
			return fmt.Errorf("task: id %q already used: %w", t.ID, store.ErrConflict)
		} else if !errors.Is(err, store.ErrNotFound) {
			return err
		}
		r := &record{Task: t.clone(), ClientKey: sp.ClientKey, CheckSeq: len(t.Checklist)}
		if sp.Parent != "" {
			if _, err := adopt(tx, actor, "", sp.Parent); err != nil {
				return err
			}
			r.Parent = sp.Parent
		}
		users := r.Pending()
		st := step{typ: TaskCreated, users: users, acts: []Activity{{Type: ActCreated, Actor: actor, Users: users}}}
		if err := s.save(tx, r, nil, st, now); err != nil {
			return err
		}
		if r.Parent != "" {
			if err := s.rollup(tx, r.Parent, r.ID, 0, childState(r.Status), now); err != nil {
				return err
			}
		}
		out = r.Task.clone()
		return nil
	})
	if err != nil {
		return Task{}, fmt.Errorf("task: create %q: %w", clip(t.Title), err)
	}
	return out, nil
}

func (s *Service) newTask(actor string, sp Spec) (Task, error) {
	var t Task
	var err error
	if t.Title, err = cleanTitle(sp.Title); err != nil {
		return Task{}, err
	}
	if err := checkText("description", sp.Description, 0, MaxDescription); err != nil {
		return Task{}, err
	}
	assignees, err := checkPeople("assignee", sp.Assignees)
	if err != nil {
		return Task{}, err
	}
	if t.Followers, err = checkPeople("follower", sp.Followers); err != nil {
		return Task{}, err
	}
	if len(t.Followers) == 0 {
		t.Followers = nil
	}
	if t.Due, err = sp.Due.normal(); err != nil {
		return Task{}, err
	}
	if !sp.Priority.valid() {
		return Task{}, fmt.Errorf("task: priority %d: %w", int8(sp.Priority), ErrInvalid)
	}
	if t.Mode, err = checkMode(sp.Mode); err != nil {
		return Task{}, err
	}
	if err := checkSource(sp.Source); err != nil {
		return Task{}, err
	}
	if sp.ClientKey != "" {
		if err := checkText("client key", sp.ClientKey, 1, MaxClientKey); err != nil {
			return Task{}, err
		}
		if hasControl(sp.ClientKey) {
			return Task{}, fmt.Errorf("task: client key %q has control characters: %w", clip(sp.ClientKey), ErrInvalid)
		}
	}
	if sp.Parent != "" {
		if err := checkID(sp.Parent); err != nil {
			return Task{}, err
		}
	}
	if t.Checklist, err = checkChecklist(sp.Checklist); err != nil {
		return Task{}, err
	}
	t.ID = s.opts.newID()
	if err := checkID(t.ID); err != nil {
		return Task{}, fmt.Errorf("task: generated %w", err)
	}
	if sp.Repeat != "" {
		if sp.Parent != "" {
			return Task{}, fmt.Errorf("task: a subtask cannot repeat: %w", ErrInvalid)
		}
		rule, err := checkRule(sp.Repeat)
		if err != nil {
			return Task{}, err
		}
		if t.Repeat, err = startRepeat(rule, t.Due, "", t.ID, 1, s.now()); err != nil {
			return Task{}, err
		}
	}
	for _, u := range assignees {
		t.Assignees = append(t.Assignees, Assignee{User: u})
	}
	t.Description = sp.Description
	t.Creator = actor
	t.Priority = sp.Priority
	t.Source = sp.Source
	t.Status = StatusTodo
	t.Created = s.now()
	t.Updated = t.Created
	return t, nil
}

// Delete removes task id with its activity and index keys, and appends a
// TaskDeleted record. Only the creator may delete a task.
func (s *Service) Delete(ctx context.Context, actor, id string) error {
	if err := s.checkActor(ctx, actor); err != nil {
		return err
	}
	if err := checkID(id); err != nil {
		return err
	}
	now := s.now()
	return s.st.Update(ctx, func(tx store.Tx) error {
		r, err := view(tx, "delete", actor, id)
		if err != nil {
			return err
		}
		if r.Creator != actor {
			return fmt.Errorf("task: %s may not delete %q: only its creator may: %w", actor, id, ErrPermission)
		}
		if r.Subtasks.Total > 0 {
			return fmt.Errorf("task: delete %q: it has %d subtasks: delete or move them first: %w", id, r.Subtasks.Total, ErrOpenSubtasks)
		}
		if r.Parent != "" {
			if err := s.rollup(tx, r.Parent, id, childState(r.Status), 0, now); err != nil {
				return err
			}
		}
		if err := applyEntries(tx, s.entries(r), nil); err != nil {
			return err
		}
		var acts [][]byte
		for k := range tx.Scan(store.Prefix(activityPrefix(id))) {
			acts = append(acts, append([]byte(nil), k...))
		}
		for _, k := range acts {
			if err := tx.Delete(k); err != nil {
				return err
			}
		}
		if err := tx.Delete(recordKey(id)); err != nil {
			return err
		}
		return appendChange(tx, Change{Type: TaskDeleted, TaskID: id, Actor: actor, At: now})
	})
}
