package task

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/workspace-go/workspace/store"
)

// Kind is the change-log kind of every record this package appends.
const Kind = "task"

// Service stores tasks in a store.Store and answers queries about them.
//
// A Service is safe for concurrent use by multiple goroutines; it keeps no
// state of its own besides its configuration, so several Services (on
// several application nodes) may share one store. It starts no goroutines.
type Service struct {
	st   store.Store
	opts options
}

// New returns a Service over st. With no options it reads the real clock,
// names tasks with time-ordered UUIDv7 ids and uses the documented
// defaults (DefaultNudgeInterval, DefaultReminderLead, DefaultDayReminder).
//
// A store written by an earlier version of this package is migrated
// once, under ctx: New writes the index keys the current layout adds for
// every stored task (the by-source index of BySource), in bounded
// transactions, and records the layout version.
func New(ctx context.Context, st store.Store, opts ...Option) (*Service, error) {
	if st == nil {
		return nil, fmt.Errorf("task: nil store: %w", ErrInvalid)
	}
	o := defaultOptions()
	for _, opt := range opts {
		if opt == nil {
			continue
		}
		if err := opt(&o); err != nil {
			return nil, err
		}
	}
	o.finish()
	s := &Service{st: st, opts: o}
	if err := s.migrate(ctx); err != nil {
		return nil, err
	}
	return s, nil
}

// record is what is stored for a task: the task and the bookkeeping the
// Service needs but callers do not.
type record struct {
	Task
	// Acts is the number of activity entries recorded so far.
	Acts uint64 `json:"acts"`
	// SoonSent and LateSent say whether Sweep has emitted the due-soon and
	// overdue reminders for the current due time.
	SoonSent bool `json:"soon_sent,omitempty"`
	LateSent bool `json:"late_sent,omitempty"`
	// ClientKey is the key the creator made the task with (Spec.ClientKey),
	// or "".
	ClientKey string `json:"client_key,omitempty"`
	// CheckSeq is the number of checklist items ever added, for their ids.
	CheckSeq int `json:"check_seq,omitempty"`
}

func (s *Service) now() time.Time { return s.opts.now() }

// load reads the record of task id inside tx.
func load(tx store.Tx, id string) (*record, error) {
	v, err := tx.Get(recordKey(id))
	if errors.Is(err, store.ErrNotFound) {
		return nil, fmt.Errorf("task: task %q: %w", id, ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("task: read %q: %w", id, err)
	}
	var r record
	if err := decodeRecord(v, &r); err != nil {
		return nil, fmt.Errorf("task: decode %q: %v: %w", id, err, ErrInvalid)
	}
	return &r, nil
}

// view reads the record of task id for an operation (op, "get") by actor:
// a task the actor may not view is not found, like one that does not
// exist, so that its existence never leaks.
func view(tx store.Tx, op, actor, id string) (*record, error) {
	r, err := load(tx, id)
	if errors.Is(err, store.ErrNotFound) || err == nil && !canView(&r.Task, actor) {
		return nil, fmt.Errorf("task: %s task %q: %w", op, id, ErrNotFound)
	}
	return r, err
}

// Get returns task id. The actor must be its creator, an assignee or a
// follower.
func (s *Service) Get(ctx context.Context, actor, id string) (Task, error) {
	if err := s.checkActor(ctx, actor); err != nil {
		return Task{}, err
	}
	if err := checkID(id); err != nil {
		return Task{}, err
	}
	var out Task
	err := s.st.View(ctx, func(tx store.Tx) error {
		r, err := view(tx, "get", actor, id)
		if err != nil {
			return err
		}
		out = r.Task.clone()
		return nil
	})
	return out, err
}

// step is what one mutation did: the change type and what it recorded in
// the task's activity, and who it concerns (Change.Users). force lets the
// mutation make a task with open subtasks done.
type step struct {
	typ   ChangeType
	acts  []Activity
	users []string
	force bool
}

// noChange, returned by a mutation function, means the request asks for
// the state the task is already in: nothing is written.
var noChange = errors.New("task: no change")

// mutate runs fn on task id in one Update and writes back the record, its
// index keys, the activity fn returns and one change record. fn checks
// permissions and input against the current record and changes it in
// place; it must have no other effects, since Update may run it again.
//
// Every mutation needs at least the right to view the task: mutate checks
// it before fn runs (a task the actor may not view is ErrNotFound), so fn
// checks only the finer rights (ErrPermission).
func (s *Service) mutate(ctx context.Context, op, actor, id string, now time.Time, fn func(r *record) (step, error)) (Task, error) {
	return s.mutateTx(ctx, op, actor, id, now, func(_ store.Tx, r *record) (step, error) { return fn(r) })
}

// mutateTx is mutate for a fn that reads other records in tx (a new
// parent). After fn, in the same transaction, it refuses to make a task
// with open subtasks done (unless the step is forced), updates the counts
// of the task's parent when the task opened, closed or was cancelled, and
// makes the next occurrence of a recurring task that became done.
func (s *Service) mutateTx(ctx context.Context, op, actor, id string, now time.Time, fn func(tx store.Tx, r *record) (step, error)) (Task, error) {
	if err := checkID(id); err != nil {
		return Task{}, err
	}
	var out Task
	err := s.st.Update(ctx, func(tx store.Tx) error {
		r, err := view(tx, op, actor, id)
		if err != nil {
			return err
		}
		before := s.entries(r)
		wasOpen, wasState, wasParent := r.Status.Open(), childState(r.Status), r.Parent
		st, err := fn(tx, r)
		if err == noChange {
			out = r.Task.clone()
			return nil
		}
		if err != nil {
			return err
		}
		done := wasOpen && r.Status == StatusDone
		if done && r.Subtasks.Open() > 0 && !st.force {
			return fmt.Errorf("task: %s task %q: %d of its %d subtasks are open: %w", op, id, r.Subtasks.Open(), r.Subtasks.Total, ErrOpenSubtasks)
		}
		var next *record
		if done && r.Repeat != nil && r.Repeat.Next == "" {
			if next, err = s.nextOccurrence(r, now); err != nil {
				return err
			}
		}
		r.Updated = now
		if err := s.save(tx, r, before, st, now); err != nil {
			return err
		}
		if next != nil {
			if err := s.saveNext(tx, next, r.ID, actor, now); err != nil {
				return err
			}
		}
		if r.Parent == wasParent && r.Parent != "" && childState(r.Status) != wasState {
			if err := s.rollup(tx, r.Parent, r.ID, wasState, childState(r.Status), now); err != nil {
				return err
			}
		}
		out = r.Task.clone()
		return nil
	})
	if err != nil {
		return Task{}, err
	}
	return out, nil
}

// save writes r, the difference between its old index entries (before)
// and its new ones, the activity entries of st and its change record.
func (s *Service) save(tx store.Tx, r *record, before []entry, st step, now time.Time) error {
	for i := range st.acts {
		r.Acts++
		a := &st.acts[i]
		a.Seq = r.Acts
		a.At = now
		v, err := json.Marshal(a)
		if err != nil {
			return fmt.Errorf("task: encode activity: %w", err)
		}
		if err := tx.Put(activityKey(r.ID, a.Seq), v); err != nil {
			return err
		}
	}
	if err := applyEntries(tx, before, s.entries(r)); err != nil {
		return err
	}
	v, err := encodeRecord(r)
	if err != nil {
		return err
	}
	if err := tx.Put(recordKey(r.ID), v); err != nil {
		return err
	}
	snap := r.Task.clone()
	return appendChange(tx, Change{
		Type:     st.typ,
		TaskID:   r.ID,
		Actor:    actorOf(st.acts),
		At:       now,
		Users:    st.users,
		Activity: st.acts,
		Task:     &snap,
	})
}

func actorOf(acts []Activity) string {
	if len(acts) == 0 {
		return ""
	}
	return acts[0].Actor
}

func appendChange(tx store.Tx, c Change) error {
	v, err := json.Marshal(c)
	if err != nil {
		return fmt.Errorf("task: encode change: %w", err)
	}
	_, err = tx.Append(Kind, v)
	return err
}
