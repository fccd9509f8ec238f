package calendar

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/workspace-go/workspace/internal/keys"
	"github.com/workspace-go/workspace/store"
)

// Bounds of one Sweep transaction.
const (
	// sweepEvents is how many events' index entries one transaction reads.
	sweepEvents = 64
	// sweepEmits is how many ReminderDue records one transaction writes.
	sweepEmits = 256
)

// Sweep emits the event reminders due at now: a [ReminderDue] change for
// each reminder of each instance for each person it concerns (the
// organizer and the attendees who have not declined the series or the
// instance), whose instance has not ended by now. It returns how many it
// emitted.
//
// Each reminder is emitted once per instance per person, whichever of
// several application nodes sweeping the same store gets to it first: the
// emission key and the change record are written in one transaction. A
// reminder missed while nobody swept is emitted late, as long as its
// instance is still running or to come. Sweep reads only the events with
// a reminder due (an index kept by the events' own transactions) and
// works in transactions of at most 64 events and 256 reminders; a failure
// leaves the ones before it emitted.
func (s *Service) Sweep(ctx context.Context, now time.Time) (int, error) {
	if err := checkTime("sweep", now); err != nil {
		return 0, fmt.Errorf("calendar: sweep: %w", err)
	}
	total := 0
	for {
		n, more, err := s.sweepOnce(ctx, now)
		total += n
		if err != nil {
			return total, fmt.Errorf("calendar: sweep: %w", err)
		}
		if !more {
			return total, nil
		}
	}
}

// NextSweep returns the earliest time at which Sweep may have a reminder
// to emit, and false when none is pending.
func (s *Service) NextSweep(ctx context.Context) (time.Time, bool, error) {
	var next time.Time
	err := s.st.View(ctx, func(tx store.Tx) error {
		next = time.Time{}
		rg := store.Prefix(remindPrefix)
		rg.Limit = 1
		for k := range tx.Scan(rg) {
			at, _, err := parseRemindKey(k)
			if err != nil {
				return err
			}
			next = at
		}
		return nil
	})
	if err != nil {
		return time.Time{}, false, fmt.Errorf("calendar: next sweep: %w", err)
	}
	return next, !next.IsZero(), nil
}

func parseRemindKey(k []byte) (time.Time, string, error) {
	parts, err := keys.Split(k)
	if err != nil || len(parts) != 4 {
		return time.Time{}, "", fmt.Errorf("malformed reminder key %q: %w", k, store.ErrInvalid)
	}
	at, err := keys.Time(parts[2])
	if err != nil {
		return time.Time{}, "", fmt.Errorf("malformed reminder key %q: %w", k, store.ErrInvalid)
	}
	return at, string(parts[3]), nil
}

func (s *Service) sweepOnce(ctx context.Context, now time.Time) (n int, more bool, err error) {
	end := keys.AppendTime(bytes.Clone(remindPrefix), now.Add(1))
	err = s.st.Update(ctx, func(tx store.Tx) error {
		n, more = 0, false
		type item struct {
			key []byte
			id  string
		}
		var items []item
		for k := range tx.Scan(store.Range{Start: remindPrefix, End: end, Limit: sweepEvents}) {
			_, id, err := parseRemindKey(k)
			if err != nil {
				return err
			}
			items = append(items, item{bytes.Clone(k), id})
		}
		more = len(items) == sweepEvents
		zones := map[string]*time.Location{}
		zone := func(u string) *time.Location {
			if l, ok := zones[u]; ok {
				return l
			}
			l := time.UTC
			if wh, err := workingHours(tx, u); err == nil {
				if z, err := loadZone(wh.TimeZone); err == nil {
					l = z
				}
			}
			zones[u] = l
			return l
		}
		for _, it := range items {
			ev, err := getEvent(tx, it.id)
			if errors.Is(err, store.ErrNotFound) {
				if err := tx.Delete(it.key); err != nil {
					return err
				}
				continue
			}
			if err != nil {
				return err
			}
			cal, err := getCalendar(tx, ev.CalendarID)
			if err != nil {
				return err
			}
			c, err := compile(ev)
			if err != nil {
				return err
			}
			due, next := plan(c, recipients(ev, cal), now, zone)
			for _, f := range due {
				if n == sweepEmits {
					next, more = now, true
					break
				}
				if f.exc != nil && f.exc.Responses[f.user] == Declined {
					continue
				}
				k := sentKey(ev.ID, f.orig, f.user, f.trigger())
				if _, err := tx.Get(k); err == nil {
					continue
				} else if !errors.Is(err, store.ErrNotFound) {
					return err
				}
				if err := tx.Put(k, []byte{1}); err != nil {
					return err
				}
				title := ev.Title
				if f.exc != nil && f.exc.Title != nil {
					title = *f.exc.Title
				}
				if err := appendChange(tx, Change{Type: ReminderDue, CalendarID: ev.CalendarID, EventID: ev.ID,
					User: f.user, InstanceStart: f.orig, Title: title, Minutes: f.rem.Minutes, At: now}); err != nil {
					return err
				}
				n++
			}
			if err := pruneSent(tx, ev.ID, now); err != nil {
				return err
			}
			if err := disarm(tx, ev.ID); err != nil {
				return err
			}
			if err := tx.Delete(it.key); err != nil {
				return err
			}
			if err := setNext(tx, ev.ID, next); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return 0, false, err
	}
	return n, more, nil
}

// sentKeep is how long emission keys are kept after their instance's
// original start: longer than any instance a reminder is emitted for
// while it runs, bounded by MaxWindow.
const sentKeep = MaxWindow + 24*time.Hour

// pruneSent deletes up to 256 emission keys of event id for instances
// that started more than sentKeep before now.
func pruneSent(tx store.Tx, id string, now time.Time) error {
	p := sentPrefix(id)
	rg := store.Range{Start: p, End: keys.AppendTime(bytes.Clone(p), now.Add(-sentKeep)), Limit: 256}
	var old [][]byte
	for k := range tx.Scan(rg) {
		old = append(old, bytes.Clone(k))
	}
	for _, k := range old {
		if err := tx.Delete(k); err != nil {
			return err
		}
	}
	return nil
}

// rearmCalendar re-arms the reminders of calendar id's events that have
// instances to come, in transactions of ImportBatch events.
func (s *Service) rearmCalendar(ctx context.Context, id string) error {
	var ids []string
	err := s.st.View(ctx, func(tx store.Tx) error {
		es, err := scanIndex(tx, slot{scopeCal, id}, s.now(), maxTime)
		for _, e := range es {
			ids = append(ids, e.id)
		}
		return err
	})
	if err != nil {
		return err
	}
	for len(ids) > 0 {
		batch := ids[:min(len(ids), ImportBatch)]
		ids = ids[len(batch):]
		err := s.st.Update(ctx, func(tx store.Tx) error {
			cal, err := getCalendar(tx, id)
			if err != nil {
				return err
			}
			for _, eid := range batch {
				ev, err := getEvent(tx, eid)
				if errors.Is(err, store.ErrNotFound) {
					continue
				}
				if err != nil {
					return err
				}
				if ev.CalendarID != id {
					continue
				}
				c, err := compile(ev)
				if err != nil {
					return err
				}
				if err := s.arm(tx, c, cal); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// checkCalendarReminders checks and normalises c's default reminders.
func checkCalendarReminders(c *Calendar) error {
	if err := checkReminders("default", c.DefaultReminders); err != nil {
		return err
	}
	if err := checkReminders("default all-day", c.DefaultAllDayReminders); err != nil {
		return err
	}
	if len(c.DefaultReminders) > 0 {
		c.DefaultReminders = *normReminders(&c.DefaultReminders)
	}
	if len(c.DefaultAllDayReminders) > 0 {
		c.DefaultAllDayReminders = *normReminders(&c.DefaultAllDayReminders)
	}
	return nil
}
