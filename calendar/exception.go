package calendar

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/workspace-go/workspace/internal/recur"
	"github.com/workspace-go/workspace/store"
)

// UpdateInstance changes one instance of a series, identified by its
// original start (RECURRENCE-ID). Changes made earlier to the same
// instance are kept unless ch overrides them. Moving the instance
// re-checks the event's rooms.
func (s *Service) UpdateInstance(ctx context.Context, actor, id string, originalStart time.Time, ch InstanceChange) (Event, error) {
	if err := s.checkActor(ctx, actor); err != nil {
		return Event{}, err
	}
	if err := checkTime("original start", originalStart); err != nil {
		return Event{}, fmt.Errorf("calendar: update instance of %q: %w", id, err)
	}
	if err := checkChangeTimes(&ch); err != nil {
		return Event{}, fmt.Errorf("calendar: update instance of %q at %s: %w", id, originalStart.Format(time.RFC3339), err)
	}
	err := s.mutate(ctx, actor, id, 0, EventUpdated, func(tx store.Tx, old *Event, cal *Calendar) (*Event, error) {
		c, orig, err := instanceOf(old, originalStart)
		if err != nil {
			return nil, err
		}
		if err := c.checkChange(&ch); err != nil {
			return nil, err
		}
		e := cloneEvent(*old)
		i := slices.IndexFunc(e.Exceptions, func(x Exception) bool { return x.OriginalStart.Equal(orig) })
		if i < 0 {
			e.Exceptions = append(e.Exceptions, Exception{OriginalStart: orig})
			i = len(e.Exceptions) - 1
		}
		x := &e.Exceptions[i]
		if x.Cancelled {
			return nil, fmt.Errorf("event %q: instance %s is cancelled: %w", id, orig.Format(time.RFC3339), ErrNotFound)
		}
		merge := func(dst **string, src *string) {
			if src != nil {
				*dst = src
			}
		}
		merge(&x.Title, ch.Title)
		merge(&x.Description, ch.Description)
		merge(&x.Location, ch.Location)
		if ch.Start != nil {
			x.Start = ch.Start
		}
		if ch.End != nil {
			x.End = ch.End
		}
		if ch.Transparency != nil {
			x.Transparency = ch.Transparency
		}
		st, en := c.times(orig, x)
		if en.Before(st) || (old.AllDay && !en.After(st)) {
			return nil, fmt.Errorf("instance end %v before start %v: %w", en, st, ErrBadTime)
		}
		return &e, nil
	})
	if err != nil {
		return Event{}, fmt.Errorf("calendar: update instance of %q at %s: %w", id, originalStart.Format(time.RFC3339), err)
	}
	return s.eventAfter(ctx, actor, id)
}

// CancelInstance cancels one instance of a series (like deleting "this
// event" in Google Calendar), freeing its rooms.
func (s *Service) CancelInstance(ctx context.Context, actor, id string, originalStart time.Time) error {
	if err := s.checkActor(ctx, actor); err != nil {
		return err
	}
	if err := checkTime("original start", originalStart); err != nil {
		return fmt.Errorf("calendar: cancel instance of %q: %w", id, err)
	}
	err := s.mutate(ctx, actor, id, 0, EventUpdated, func(tx store.Tx, old *Event, cal *Calendar) (*Event, error) {
		_, orig, err := instanceOf(old, originalStart)
		if err != nil {
			return nil, err
		}
		e := cloneEvent(*old)
		i := slices.IndexFunc(e.Exceptions, func(x Exception) bool { return x.OriginalStart.Equal(orig) })
		if i < 0 {
			e.Exceptions = append(e.Exceptions, Exception{OriginalStart: orig})
			i = len(e.Exceptions) - 1
		}
		e.Exceptions[i] = Exception{OriginalStart: orig, Cancelled: true}
		return &e, nil
	})
	if err != nil {
		return fmt.Errorf("calendar: cancel instance of %q at %s: %w", id, originalStart.Format(time.RFC3339), err)
	}
	return nil
}

// DeleteFollowing deletes the instance at originalStart and every later
// one ("this and following events"), ending the series just before it;
// from the first instance it deletes the whole series.
func (s *Service) DeleteFollowing(ctx context.Context, actor, id string, originalStart time.Time) error {
	if err := s.checkActor(ctx, actor); err != nil {
		return err
	}
	if err := checkTime("original start", originalStart); err != nil {
		return fmt.Errorf("calendar: delete %q from an instance on: %w", id, err)
	}
	err := s.mutate(ctx, actor, id, 0, EventUpdated, func(tx store.Tx, old *Event, cal *Calendar) (*Event, error) {
		_, orig, err := instanceOf(old, originalStart)
		if err != nil {
			return nil, err
		}
		if !orig.After(old.Start) {
			return nil, nil
		}
		return truncated(old, orig)
	})
	if err != nil {
		return fmt.Errorf("calendar: delete %q from %s on: %w", id, originalStart.Format(time.RFC3339), err)
	}
	return nil
}

// truncated returns old ended just before orig: its rule cut, its RDATEs,
// EXDATEs and exceptions from orig on dropped.
func truncated(old *Event, orig time.Time) (*Event, error) {
	head := cloneEvent(*old)
	ser := recur.Series{Start: old.Start, AllDay: old.AllDay, RRule: old.Recurrence.RRule}
	cut, err := ser.Truncate(orig)
	if err != nil {
		return nil, fmt.Errorf("end series %q before %s: %w", old.ID, orig.Format(time.RFC3339), recurError(err))
	}
	head.Recurrence.RRule = cut.RRule
	before := func(t time.Time) bool { return t.Before(orig) }
	head.Recurrence.RDates = slices.DeleteFunc(head.Recurrence.RDates, func(t time.Time) bool { return !before(t) })
	head.Recurrence.ExDates = slices.DeleteFunc(head.Recurrence.ExDates, func(t time.Time) bool { return !before(t) })
	head.Exceptions = slices.DeleteFunc(head.Exceptions, func(x Exception) bool { return !before(x.OriginalStart) })
	return &head, nil
}

// instanceOf compiles a stored series and checks that originalStart names
// one of its instances; it returns the start in the series' zone.
func instanceOf(ev *Event, originalStart time.Time) (*compiled, time.Time, error) {
	if ev.Recurrence == nil {
		return nil, time.Time{}, fmt.Errorf("event %q is not a series: %w", ev.ID, ErrInvalid)
	}
	c, err := compile(ev)
	if err != nil {
		return nil, time.Time{}, err
	}
	orig := c.inZone(originalStart)
	if !c.isInstance(orig) {
		return nil, time.Time{}, fmt.Errorf("event %q has no instance at %s: %w", ev.ID, originalStart.Format(time.RFC3339), ErrNotFound)
	}
	return c, orig, nil
}

// UpdateFollowing changes the instance at originalStart and every later
// one ("this and following events"): the series is ended just before it
// and a new series, with p applied, starts there. Instances are neither
// lost nor duplicated: a COUNT is split between the two series, RDATEs,
// EXDATEs and changed instances from originalStart on move to the new
// series (shifted with its start; changed instances the new rule no longer
// produces are dropped). p.Start, when set, is the new start of this
// instance. Editing from the first instance changes the whole series and
// returns it. The new series gets its own id and UID; both changes and the
// rooms' re-check are one transaction.
func (s *Service) UpdateFollowing(ctx context.Context, actor, id string, originalStart time.Time, p EventPatch) (Event, error) {
	if err := s.checkActor(ctx, actor); err != nil {
		return Event{}, err
	}
	if err := checkTime("original start", originalStart); err != nil {
		return Event{}, fmt.Errorf("calendar: update %q from an instance on: %w", id, err)
	}
	if err := checkPatch(&p); err != nil {
		return Event{}, fmt.Errorf("calendar: update %q from %s on: %w", id, originalStart.Format(time.RFC3339), err)
	}
	newID := s.newID()
	now := s.now().UTC()
	// Everything but the room check and the writes is planned in a read
	// transaction first; the write transaction reuses the plan when the
	// series and its calendar's zone are as they were.
	var plan *followPlan
	err := s.st.View(ctx, func(tx store.Tx) error {
		var err error
		plan, err = s.planFollowing(tx, actor, id, originalStart, p, newID, now)
		return err
	})
	resultID := newID
	if err == nil {
		err = s.st.Update(ctx, func(tx store.Tx) error {
			pl := plan
			old, err := getEvent(tx, id)
			if err != nil {
				return err
			}
			cal, role, err := s.access(tx, actor, old.CalendarID)
			if err != nil {
				return err
			}
			if old.Revision != pl.old.Revision || cal.TimeZone != pl.cal.TimeZone || role < Writer {
				if pl, err = s.planFollowing(tx, actor, id, originalStart, p, newID, now); err != nil {
					return err
				}
			}
			resultID = newID
			if pl.whole != nil {
				resultID = id
				if err := s.book(tx, pl.whole, now); err != nil {
					return err
				}
				if err := s.writeEvent(tx, old, pl.whole, cal); err != nil {
					return err
				}
				return appendChange(tx, Change{Type: EventUpdated, CalendarID: cal.ID, EventID: id, Actor: actor, At: now})
			}
			if err := s.writeEvent(tx, old, pl.head, cal); err != nil {
				return err
			}
			if err := appendChange(tx, Change{Type: EventUpdated, CalendarID: cal.ID, EventID: id, Actor: actor, At: now}); err != nil {
				return err
			}
			if err := s.book(tx, pl.tail, now); err != nil {
				return err
			}
			if err := s.writeEvent(tx, nil, pl.tail, cal); err != nil {
				return err
			}
			return appendChange(tx, Change{Type: EventCreated, CalendarID: cal.ID, EventID: newID, Actor: actor, At: now})
		})
	}
	if err != nil {
		return Event{}, fmt.Errorf("calendar: update %q from %s on: %w", id, originalStart.Format(time.RFC3339), err)
	}
	return s.eventAfter(ctx, actor, resultID)
}

// followPlan is UpdateFollowing's work before its writes: the whole series
// changed (from the first instance), or the old series ended (head) and
// the new one (tail), normalised, the tail's booking expanded.
type followPlan struct {
	old               *Event
	cal               *Calendar
	whole, head, tail *compiled
}

// planFollowing reads and checks what UpdateFollowing changes and builds
// the new events; it writes nothing.
func (s *Service) planFollowing(tx store.Tx, actor, id string, originalStart time.Time, p EventPatch, newID string, now time.Time) (*followPlan, error) {
	old, err := getEvent(tx, id)
	if err != nil {
		return nil, err
	}
	cal, role, err := s.access(tx, actor, old.CalendarID)
	if err != nil {
		return nil, err
	}
	if role < Writer {
		return nil, denied(cal.ID, actor, role, Writer)
	}
	if p.Revision != 0 && p.Revision != old.Revision {
		return nil, fmt.Errorf("event %q: revision %d, stored %d: %w", id, p.Revision, old.Revision, ErrStaleRevision)
	}
	oc, orig, err := instanceOf(old, originalStart)
	if err != nil {
		return nil, err
	}
	pl := &followPlan{old: old, cal: cal}
	if !orig.After(old.Start) {
		e := wholeSeries(old, p)
		e.Updated, e.Revision = now, old.Revision+1
		if pl.whole, err = normalize(&e, cal.TimeZone); err != nil {
			return nil, err
		}
		return pl, s.prepareBooking(pl.whole, now)
	}
	// The old series, ended before orig.
	head, err := truncated(old, orig)
	if err != nil {
		return nil, err
	}
	before := func(t time.Time) bool { return t.Before(orig) }
	head.Updated, head.Revision = now, old.Revision+1
	if pl.head, err = normalize(head, cal.TimeZone); err != nil {
		return nil, err
	}

	// The new series from orig.
	tail := cloneEvent(*old)
	tail.ID, tail.UID, tail.ClientKey = newID, newID, ""
	tail.Created, tail.Updated, tail.Revision = now, now, 1
	tail.Start, tail.End = orig, oc.endOf(orig)
	rule, err := splitCount(old, orig)
	if err != nil {
		return nil, err
	}
	tail.Recurrence.RRule = rule
	tail.Recurrence.RDates = slices.DeleteFunc(tail.Recurrence.RDates, before)
	tail.Recurrence.ExDates = slices.DeleteFunc(tail.Recurrence.ExDates, before)
	tail.Exceptions = slices.DeleteFunc(tail.Exceptions, func(x Exception) bool { return before(x.OriginalStart) })
	if p.Start != nil {
		shift := p.Start.Sub(orig)
		if p.End == nil {
			e := tail.End.Add(shift)
			p.End = &e
		}
		shiftSeries(&tail, shift)
	}
	p.apply(&tail)
	if pl.tail, err = normalize(&tail, cal.TimeZone); err != nil {
		return nil, err
	}
	return pl, s.prepareBooking(pl.tail, now)
}

// splitCount returns old's RRULE for a series starting at orig: a COUNT
// is reduced by the rule's instances before orig (COUNT counts the rule's
// instances before EXDATEs remove any, RFC 5545 3.8.5.3).
func splitCount(old *Event, orig time.Time) (string, error) {
	rule := old.Recurrence.RRule
	n, ok := ruleCount(rule)
	if !ok {
		return rule, nil
	}
	set, err := recur.Compile(recur.Series{Start: old.Start, AllDay: old.AllDay, RRule: rule})
	if err != nil {
		return "", recurError(err)
	}
	done := len(set.Between(old.Start, orig, 0))
	return setCount(rule, n-done), nil
}

func ruleParts(rule string) []string {
	rule = strings.TrimPrefix(strings.TrimSpace(rule), "RRULE:")
	var parts []string
	for _, p := range strings.Split(rule, ";") {
		if p = strings.TrimSpace(p); p != "" {
			parts = append(parts, p)
		}
	}
	return parts
}

func ruleCount(rule string) (int, bool) {
	for _, p := range ruleParts(rule) {
		if v, ok := strings.CutPrefix(strings.ToUpper(p), "COUNT="); ok {
			n, err := strconv.Atoi(v)
			return n, err == nil
		}
	}
	return 0, false
}

func setCount(rule string, n int) string {
	parts := ruleParts(rule)
	for i, p := range parts {
		if strings.HasPrefix(strings.ToUpper(p), "COUNT=") {
			parts[i] = "COUNT=" + strconv.Itoa(max(n, 1))
		}
	}
	return strings.Join(parts, ";")
}

// shiftUntil moves a rule's UNTIL by shift, so that moving a series keeps
// its last instance.
func shiftUntil(rule string, shift time.Duration) string {
	parts := ruleParts(rule)
	for i, p := range parts {
		v, ok := strings.CutPrefix(strings.ToUpper(p), "UNTIL=")
		if !ok {
			continue
		}
		for _, layout := range []string{"20060102T150405Z", "20060102T150405", "20060102"} {
			if t, err := time.Parse(layout, v); err == nil && len(v) == len(layout) {
				if layout == "20060102" {
					t = t.AddDate(0, 0, int(shift/(24*time.Hour)))
				} else {
					t = t.Add(shift)
				}
				parts[i] = "UNTIL=" + t.Format(layout)
				break
			}
		}
	}
	return strings.Join(parts, ";")
}
