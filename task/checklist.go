package task

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Limits of a checklist.
const (
	// MaxChecklist is the most items a task's checklist holds.
	MaxChecklist = 100
	// MaxCheckItem is the longest item text, in bytes.
	MaxCheckItem = 1 << 10
)

// Activity types of a checklist.
const (
	ActCheckAdded    ActivityType = "check_added"
	ActChecked       ActivityType = "checked"
	ActUnchecked     ActivityType = "unchecked"
	ActCheckRemoved  ActivityType = "check_removed"
	ActRepeatChanged ActivityType = "repeat_changed"
	ActParentChanged ActivityType = "parent_changed"
)

func cleanCheckText(s string) (string, error) {
	s = strings.Join(strings.Fields(s), " ")
	if err := checkText("checklist item", s, 1, MaxCheckItem); err != nil {
		return "", err
	}
	return s, nil
}

// checkChecklist checks the item texts of a new task and numbers them.
func checkChecklist(texts []string) ([]CheckItem, error) {
	if len(texts) > MaxChecklist {
		return nil, fmt.Errorf("task: %d checklist items exceed %d: %w", len(texts), MaxChecklist, ErrTooLarge)
	}
	var out []CheckItem
	for i, s := range texts {
		s, err := cleanCheckText(s)
		if err != nil {
			return nil, err
		}
		out = append(out, CheckItem{ID: strconv.Itoa(i + 1), Text: s})
	}
	return out, nil
}

func canCheck(r *record, actor string) bool { return r.Creator == actor || r.IsAssignee(actor) }

// AddCheckItem appends an item to the checklist of task id. The creator
// and the assignees may change a checklist.
func (s *Service) AddCheckItem(ctx context.Context, actor, id, text string) (Task, error) {
	if err := s.checkActor(ctx, actor); err != nil {
		return Task{}, err
	}
	text, err := cleanCheckText(text)
	if err != nil {
		return Task{}, err
	}
	return s.mutate(ctx, "add a checklist item to", actor, id, s.now(), func(r *record) (step, error) {
		if !canCheck(r, actor) {
			return step{}, fmt.Errorf("task: %s may not change the checklist of %q: %w", actor, id, ErrPermission)
		}
		if len(r.Checklist) >= MaxChecklist {
			return step{}, fmt.Errorf("task: checklist of %q has %d items already: %w", id, MaxChecklist, ErrTooLarge)
		}
		r.CheckSeq++
		item := CheckItem{ID: strconv.Itoa(r.CheckSeq), Text: text}
		r.Checklist = append(r.Checklist, item)
		return step{typ: TaskUpdated, acts: []Activity{{Type: ActCheckAdded, Actor: actor, Field: item.ID, Text: text}}}, nil
	})
}

// CheckItem checks (done) or unchecks item of task id's checklist. An item
// already so writes nothing; an unknown item is ErrNotFound.
func (s *Service) CheckItem(ctx context.Context, actor, id, item string, done bool) (Task, error) {
	if err := s.checkActor(ctx, actor); err != nil {
		return Task{}, err
	}
	now := s.now()
	return s.mutate(ctx, "check an item of", actor, id, now, func(r *record) (step, error) {
		if !canCheck(r, actor) {
			return step{}, fmt.Errorf("task: %s may not change the checklist of %q: %w", actor, id, ErrPermission)
		}
		i := slices.IndexFunc(r.Checklist, func(c CheckItem) bool { return c.ID == item })
		if i < 0 {
			return step{}, fmt.Errorf("task: check item %q of task %q: %w", clip(item), id, ErrNotFound)
		}
		c := &r.Checklist[i]
		if c.Done == done {
			return step{}, noChange
		}
		typ := ActChecked
		if done {
			c.Done, c.DoneBy, c.DoneAt = true, actor, now
		} else {
			c.Done, c.DoneBy, c.DoneAt = false, "", time.Time{}
			typ = ActUnchecked
		}
		return step{typ: TaskUpdated, acts: []Activity{{Type: typ, Actor: actor, Field: item}}}, nil
	})
}

// RemoveCheckItem removes item from task id's checklist; an unknown item
// is ErrNotFound.
func (s *Service) RemoveCheckItem(ctx context.Context, actor, id, item string) (Task, error) {
	if err := s.checkActor(ctx, actor); err != nil {
		return Task{}, err
	}
	return s.mutate(ctx, "remove a checklist item of", actor, id, s.now(), func(r *record) (step, error) {
		if !canCheck(r, actor) {
			return step{}, fmt.Errorf("task: %s may not change the checklist of %q: %w", actor, id, ErrPermission)
		}
		i := slices.IndexFunc(r.Checklist, func(c CheckItem) bool { return c.ID == item })
		if i < 0 {
			return step{}, fmt.Errorf("task: remove item %q of task %q: %w", clip(item), id, ErrNotFound)
		}
		text := r.Checklist[i].Text
		r.Checklist = slices.Delete(r.Checklist, i, i+1)
		if len(r.Checklist) == 0 {
			r.Checklist = nil
		}
		return step{typ: TaskUpdated, acts: []Activity{{Type: ActCheckRemoved, Actor: actor, Field: item, Text: text}}}, nil
	})
}
