package task

import (
	"bytes"
	"context"
	"fmt"
	"time"

	"github.com/workspace-go/workspace/internal/keys"
	"github.com/workspace-go/workspace/store"
)

// sweepBatch is how many reminders one Sweep transaction handles.
const sweepBatch = 128

// Sweep emits the reminders that are due at now: TaskDueSoon for open
// tasks whose due-soon time has come (WithReminderLead before a timed due;
// WithDayReminder on the date of a date-only one), and TaskOverdue for
// open tasks whose deadline has passed. Each record names, in Users, the
// assignees still to finish (the creator when there are none), and an
// ActDueSoon or ActOverdue entry with no actor goes into the task's
// activity. It returns how many reminders it emitted.
//
// Each reminder is emitted once per due time: Sweep is idempotent, and
// several application nodes may run it concurrently without duplicates.
// Changing a task's due, or reopening it, re-arms its reminders. A task
// whose deadline has already passed when its due-soon time is swept gets
// only the overdue reminder.
//
// An application's scheduler calls Sweep periodically (say once a minute)
// or at NextSweep; it is the only place reminders come from, so a missed
// run is caught up by the next. Sweep works in transactions of up to 128
// reminders; a failure leaves the ones before it emitted.
func (s *Service) Sweep(ctx context.Context, now time.Time) (int, error) {
	if now.IsZero() {
		return 0, fmt.Errorf("task: sweep at the zero time: %w", ErrInvalid)
	}
	if err := checkTime("sweep", now); err != nil {
		return 0, err
	}
	total := 0
	for _, late := range []bool{true, false} {
		for {
			n, more, err := s.sweepOnce(ctx, now, late)
			total += n
			if err != nil {
				return total, err
			}
			if !more {
				break
			}
		}
	}
	return total, nil
}

// NextSweep returns the earliest time at which Sweep will have a reminder
// to emit, and false when no reminder is pending.
func (s *Service) NextSweep(ctx context.Context) (time.Time, bool, error) {
	var next time.Time
	err := s.st.View(ctx, func(tx store.Tx) error {
		next = time.Time{}
		for _, p := range [][]byte{soonPrefix, latePrefix} {
			rg := store.Prefix(p)
			rg.Limit = 1
			for k := range tx.Scan(rg) {
				parts, err := keys.Split(k)
				if err != nil || len(parts) < 5 {
					return fmt.Errorf("task: malformed reminder key %q", k)
				}
				at, err := keys.Time(parts[3])
				if err != nil {
					return fmt.Errorf("task: malformed reminder key %q", k)
				}
				if next.IsZero() || at.Before(next) {
					next = at
				}
			}
		}
		return nil
	})
	return next, !next.IsZero(), err
}

// sweepOnce emits up to sweepBatch reminders of one kind in one
// transaction, and reports whether more may be pending.
func (s *Service) sweepOnce(ctx context.Context, now time.Time, late bool) (n int, more bool, err error) {
	prefix := soonPrefix
	if late {
		prefix = latePrefix
	}
	end := keys.AppendTime(bytes.Clone(prefix), now.Add(1)) // at or before now
	err = s.st.Update(ctx, func(tx store.Tx) error {
		n, more = 0, false
		var ids []string
		for k := range tx.Scan(store.Range{Start: prefix, End: end, Limit: sweepBatch}) {
			id, err := keys.Last(k)
			if err != nil {
				return fmt.Errorf("task: malformed reminder key %q", k)
			}
			ids = append(ids, id)
		}
		more = len(ids) == sweepBatch
		for _, id := range ids {
			r, err := load(tx, id)
			if err != nil {
				return err
			}
			before := s.entries(r)
			var st step
			users := r.Pending()
			if len(users) == 0 {
				users = []string{r.Creator}
			}
			switch {
			case late:
				r.LateSent, r.SoonSent = true, true
				st = step{typ: TaskOverdue, users: users, acts: []Activity{{Type: ActOverdue, Users: users}}}
			case !now.Before(r.Due.Deadline()):
				// Overdue already: the overdue reminder says it all.
				r.SoonSent = true
			default:
				r.SoonSent = true
				st = step{typ: TaskDueSoon, users: users, acts: []Activity{{Type: ActDueSoon, Users: users}}}
			}
			if st.typ == "" {
				v, err := encodeRecord(r)
				if err != nil {
					return err
				}
				if err := tx.Put(recordKey(id), v); err != nil {
					return err
				}
				if err := applyEntries(tx, before, s.entries(r)); err != nil {
					return err
				}
				continue
			}
			if err := s.save(tx, r, before, st, now); err != nil {
				return err
			}
			n++
		}
		return nil
	})
	if err != nil {
		return 0, false, err
	}
	return n, more, nil
}
