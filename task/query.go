package task

import (
	"bytes"
	"context"
	"fmt"
	"time"

	"github.com/workspace-go/workspace/internal/keys"
	"github.com/workspace-go/workspace/store"
)

// Period is the half-open interval [From, To). A zero From means since
// ever; a zero To means without end.
type Period struct {
	From time.Time `json:"from,omitzero"`
	To   time.Time `json:"to,omitzero"`
}

func (p Period) isZero() bool { return p.From.IsZero() && p.To.IsZero() }

func checkPeriod(p Period) error {
	if err := checkTime("period start", p.From); err != nil {
		return err
	}
	return checkTime("period end", p.To)
}

// Query selects the actor's tasks for List. Role says which relation to the
// actor; the other fields narrow it down.
//
// Without Due or Overdue, tasks come newest first (by creation). With Due
// or Overdue, only open tasks with a due time come, soonest deadline first.
// Each combination is one range scan over keys kept for it.
type Query struct {
	// Role is required: RoleAssignee (assigned to me), RoleCreator
	// (created by me) or RoleFollower (followed by me).
	Role Role `json:"role"`
	// Status keeps tasks in that status as the actor sees it: for an
	// assignee whose own part is done the task counts as done. Empty means
	// any. With Due or Overdue only todo and in progress make sense.
	Status Status `json:"status,omitempty"`
	// Created keeps tasks created within the period. Not with Due or
	// Overdue.
	Created Period `json:"created,omitzero"`
	// Due keeps open tasks whose deadline (Due.Deadline) lies within the
	// period; Due{From: now, To: now+24h} is "due within a day".
	Due Period `json:"due,omitzero"`
	// Overdue keeps open tasks whose deadline has passed, by the
	// Service's clock. Not with Due.
	Overdue bool `json:"overdue,omitempty"`
	// Limit is the page size: 50 when zero or less, at most 500.
	Limit int `json:"limit,omitempty"`
	// Cursor continues a previous List with the same query (the page's
	// Next).
	Cursor string `json:"cursor,omitempty"`
}

// List returns the page of the actor's tasks that q selects. The actor sees
// only tasks they hold the queried role on, so List needs no further
// permission check.
func (s *Service) List(ctx context.Context, actor string, q Query) (store.Page[Task], error) {
	if err := s.checkActor(ctx, actor); err != nil {
		return store.Page[Task]{}, err
	}
	rg, err := s.queryRange(actor, q)
	if err != nil {
		return store.Page[Task]{}, err
	}
	var want byte // status filter on the deadline index, 0 for none
	if (q.Overdue || !q.Due.isZero()) && q.Status != "" {
		want = q.Status.code()
	}
	limit := pageSize(q.Limit, 50, 500)
	var out store.Page[Task]
	err = s.st.View(ctx, func(tx store.Tx) error {
		out = store.Page[Task]{}
		var last []byte
		for k, v := range tx.Scan(rg) {
			if want != 0 && (len(v) != 1 || v[0] != want) {
				continue
			}
			if len(out.Items) == limit {
				out.Next = encodeCursor(last)
				break
			}
			id, err := keys.Last(k)
			if err != nil {
				return fmt.Errorf("task: malformed index key %q: %w", k, ErrInvalid)
			}
			r, err := load(tx, id)
			if err != nil {
				return err
			}
			out.Items = append(out.Items, r.Task)
			last = append(last[:0], k...)
		}
		return nil
	})
	return out, err
}

// DueSoon lists the actor's open tasks (in role) whose deadline falls
// within the next `within` by the Service's clock, soonest first.
func (s *Service) DueSoon(ctx context.Context, actor string, role Role, within time.Duration, cursor string) (store.Page[Task], error) {
	if within <= 0 {
		return store.Page[Task]{}, fmt.Errorf("task: due within %v: %w", within, ErrInvalid)
	}
	now := s.now()
	return s.List(ctx, actor, Query{Role: role, Due: Period{From: now, To: now.Add(within)}, Cursor: cursor})
}

// Overdue lists the actor's open tasks (in role) whose deadline has
// passed, most overdue first.
func (s *Service) Overdue(ctx context.Context, actor string, role Role, cursor string) (store.Page[Task], error) {
	return s.List(ctx, actor, Query{Role: role, Overdue: true, Cursor: cursor})
}

// queryRange checks q and returns the range of index keys that answers it.
func (s *Service) queryRange(actor string, q Query) (store.Range, error) {
	bad := func(why string) (store.Range, error) {
		return store.Range{}, fmt.Errorf("task: query: %s: %w", why, ErrInvalid)
	}
	if q.Role.code() == "" {
		return bad(fmt.Sprintf("role %q", clip(string(q.Role))))
	}
	if q.Status != "" && !q.Status.valid() {
		return bad(fmt.Sprintf("status %q", clip(string(q.Status))))
	}
	for _, p := range []Period{q.Created, q.Due} {
		if err := checkPeriod(p); err != nil {
			return store.Range{}, err
		}
		if !p.From.IsZero() && !p.To.IsZero() && p.To.Before(p.From) {
			return bad("period ends before it starts")
		}
	}
	byDeadline := q.Overdue || !q.Due.isZero()
	var prefix, lo, hi []byte
	switch {
	case q.Overdue && !q.Due.isZero():
		return bad("overdue and due period together")
	case byDeadline && !q.Created.isZero():
		return bad("created period with due period or overdue")
	case byDeadline && q.Status != "" && !q.Status.Open():
		return bad("due period or overdue with a closed status")
	case byDeadline:
		prefix = deadlinePrefix(actor, q.Role)
		lo, hi = bounds(prefix, q.Due)
		if q.Overdue {
			hi = keys.AppendTime(bytes.Clone(prefix), clampTime(s.now()).Add(1))
		}
	case q.Status != "":
		prefix = statusPrefix(actor, q.Role, q.Status)
		lo, hi = bounds(prefix, q.Created)
	default:
		prefix = rolePrefix(actor, q.Role)
		lo, hi = bounds(prefix, q.Created)
	}
	rg := store.Range{Start: lo, End: hi, Reverse: !byDeadline}
	if q.Cursor == "" {
		return rg, nil
	}
	c, err := decodeCursor("query", q.Cursor, lo, hi)
	if err != nil {
		return store.Range{}, err
	}
	if rg.Reverse {
		rg.End = c
	} else {
		rg.Start = append(c, 0)
	}
	return rg, nil
}

// bounds returns the keys under prefix whose time part lies in p.
func bounds(prefix []byte, p Period) (lo, hi []byte) {
	lo, hi = prefix, store.PrefixEnd(prefix)
	if !p.From.IsZero() {
		lo = keys.AppendTime(bytes.Clone(prefix), clampTime(p.From))
	}
	if !p.To.IsZero() {
		hi = keys.AppendTime(bytes.Clone(prefix), clampTime(p.To))
	}
	return lo, hi
}

var (
	minKeyTime = time.Unix(0, -1<<63+1)
	maxKeyTime = time.Unix(0, 1<<63-2)
)

// clampTime keeps t within the range keys.AppendTime can encode.
func clampTime(t time.Time) time.Time {
	switch {
	case t.Before(minKeyTime):
		return minKeyTime
	case t.After(maxKeyTime):
		return maxKeyTime
	}
	return t
}
