package task

import (
	"fmt"
	"strings"
	"time"

	"github.com/workspace-go/workspace/internal/recur"
	"github.com/workspace-go/workspace/store"
)

// MaxRule is the longest recurrence rule, in bytes.
const MaxRule = 256

// series compiles the recurrence of rule from start, a due: a date-only
// due makes an all-day series, a timed one a series at that wall time in
// its zone.
func series(rule string, start Due) (*recur.Set, error) {
	set, err := recur.Compile(recur.Series{
		Start:  start.Local(),
		AllDay: start.Precision == PrecisionDay,
		RRule:  rule,
	})
	if err != nil {
		return nil, fmt.Errorf("task: repeat %q: %v: %w", clip(rule), err, ErrInvalid)
	}
	return set, nil
}

// checkRule checks a recurrence rule given in a Spec or an Edit.
func checkRule(rule string) (string, error) {
	rule = strings.TrimSpace(rule)
	if len(rule) > MaxRule {
		return "", fmt.Errorf("task: repeat rule of %d bytes exceeds %d: %w", len(rule), MaxRule, ErrTooLarge)
	}
	if !utf8Valid(rule) {
		return "", fmt.Errorf("task: repeat rule %q: %w", clip(rule), ErrInvalid)
	}
	return rule, nil
}

// occurrence returns the first instance of set after the due cur that is
// not already past at now: for a timed series the first instance after
// both; for an all-day one the first date after cur's that is today or
// later (in the due's zone). It reports false when the series has none, or
// none in years MinDueYear to MaxDueYear.
func occurrence(set *recur.Set, cur Due, now time.Time) (Due, bool) {
	pivot := now
	if cur.Precision == PrecisionDay {
		y, m, d := now.In(cur.Local().Location()).Date()
		pivot = time.Date(y, m, d, 0, 0, 0, 0, cur.Local().Location()).Add(-time.Nanosecond)
	}
	if cur.Time.After(pivot) {
		pivot = cur.Time
	}
	t, ok := set.After(pivot)
	if !ok {
		return Due{}, false
	}
	next, err := Due{Time: t, Precision: cur.Precision, Location: cur.Location}.normal()
	if err != nil {
		return Due{}, false
	}
	return next, true
}

// startRepeat checks that rule has an occurrence due after now, counting
// from the due start (the occurrence it is set on), and returns the
// series' Repeat.
func startRepeat(rule string, start Due, seriesID, id string, index int, now time.Time) (*Repeat, error) {
	if start.IsZero() {
		return nil, fmt.Errorf("task: repeat %q: a recurring task needs a due: %w", clip(rule), ErrInvalid)
	}
	set, err := series(rule, start)
	if err != nil {
		return nil, err
	}
	if !now.Before(start.Deadline()) {
		if _, ok := occurrence(set, start, now); !ok {
			return nil, fmt.Errorf("task: repeat %q from %s: %w", clip(rule), start, ErrNoOccurrence)
		}
	}
	if seriesID == "" {
		seriesID = id
	}
	return &Repeat{Rule: rule, Start: start, Series: seriesID, Index: index}, nil
}

// nextOccurrence returns the occurrence that follows r, a recurring task
// that has just become done, for the caller to save after r: the same title, description, creator,
// assignees (none done), followers, priority, mode, source and checklist
// (nothing checked), due at the rule's next instance that is not already
// past. It records the new task's id in r.Repeat.Next. A series with no
// further instance ends quietly: r is done, nothing follows and
// nextOccurrence returns nil.
func (s *Service) nextOccurrence(r *record, now time.Time) (*record, error) {
	set, err := series(r.Repeat.Rule, r.Repeat.Start)
	if err != nil {
		return nil, nil // a rule this code no longer reads: the series ends
	}
	due, ok := occurrence(set, r.Due, now)
	if !ok {
		return nil, nil
	}
	id := s.opts.newID()
	if err := checkID(id); err != nil {
		return nil, fmt.Errorf("task: generated %w", err)
	}
	n := &record{Task: Task{
		ID: id, Title: r.Title, Description: r.Description, Creator: r.Creator,
		Followers: r.Followers, Due: due, Priority: r.Priority, Status: StatusTodo, Mode: r.Mode,
		Source: r.Source, Created: now, Updated: now,
	}}
	n.Task = n.Task.clone()
	for _, a := range r.Assignees {
		n.Assignees = append(n.Assignees, Assignee{User: a.User})
	}
	for _, c := range r.Checklist {
		n.Checklist = append(n.Checklist, CheckItem{ID: c.ID, Text: c.Text})
	}
	n.CheckSeq = r.CheckSeq
	rep := *r.Repeat
	rep.Index++
	rep.Next = ""
	n.Repeat = &rep
	r.Repeat.Next = id
	return n, nil
}

// saveNext writes n, the occurrence that follows prev, with its
// ActCreated entry (From: prev) and its TaskCreated record.
func (s *Service) saveNext(tx store.Tx, n *record, prev, actor string, now time.Time) error {
	users := n.Pending()
	st := step{typ: TaskCreated, users: users, acts: []Activity{{Type: ActCreated, Actor: actor, Users: users, From: prev}}}
	return s.save(tx, n, nil, st, now)
}
