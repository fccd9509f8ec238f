package calendar

import (
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/workspace-go/workspace/store"
)

// Booking policy for recurring events: every instance of the new series
// that starts within the booking horizon (from the later of now and the
// series' first start) is checked against every existing booking of each
// room, singles and the instances of other series. If any instance clashes
// the whole change is refused with ErrRoomBooked naming the first clashing
// instance, and nothing is written; the organizer can then cancel that
// instance (CancelInstance) or pick another room. Instances beyond the
// horizon are not checked: the series is accepted for them.

type busyInterval struct {
	start, end time.Time
	event      string
	orig       time.Time
}

// booking is the plan of a room booking: the instances to check, computed
// before the transaction where possible (see prepareBooking).
type booking struct {
	now      time.Time
	occ      []occurrence
	from, to time.Time
}

// prepareBooking expands the instances of c that a booking of its rooms
// must check: every instance from the first to the end of the booking
// horizon. It refuses a series with more than MaxRoomInstances of them
// (ErrTooLarge) or repeating within MinRoomRepeat (ErrBadRecurrence)
// rather than check only some. It reads nothing from the store, so it
// runs before the transaction; book uses its result.
func (s *Service) prepareBooking(c *compiled, now time.Time) error {
	if len(c.ev.Rooms) == 0 || c.booking != nil && c.booking.now.Equal(now) {
		return nil
	}
	horizonEnd := c.first
	if now.After(horizonEnd) {
		horizonEnd = now
	}
	horizonEnd = horizonEnd.Add(s.horizon)
	end := c.last
	if end.After(horizonEnd) {
		end = horizonEnd
	}
	occ, cut := c.occurrencesN(c.first, end, time.Time{}, MaxRoomInstances)
	if !cut.IsZero() {
		return fmt.Errorf("room booking: series %q has more than %d instances before %s (the booking horizon): %w",
			c.ev.Recurrence.RRule, MaxRoomInstances, end.Format(time.RFC3339), ErrTooLarge)
	}
	b := &booking{now: now, occ: occ}
	if c.set != nil && len(occ) > 1 {
		origs := make([]int64, len(occ))
		for i, o := range occ {
			origs[i] = o.orig.UnixNano()
		}
		slices.Sort(origs)
		for i := 1; i < len(origs); i++ {
			if d := time.Duration(origs[i] - origs[i-1]); d < MinRoomRepeat {
				return fmt.Errorf("room booking: instances at %s are %v apart, rooms are booked at most once a minute: %w",
					time.Unix(0, origs[i-1]).In(c.loc).Format(time.RFC3339), d, ErrBadRecurrence)
			}
		}
	}
	if len(occ) > 0 {
		b.from, b.to = occ[0].start, occ[0].end
		for _, o := range occ {
			if o.end.After(b.to) {
				b.to = o.end
			}
			if o.start.Before(b.from) {
				b.from = o.start
			}
		}
	}
	c.booking = b
	return nil
}

// book checks, inside the transaction, that every room of c exists and is
// free for every instance of c within the booking horizon. The instances
// come from prepareBooking (run now if it was not).
func (s *Service) book(tx store.Tx, c *compiled, now time.Time) error {
	if len(c.ev.Rooms) == 0 {
		return nil
	}
	names := make(map[string]string, len(c.ev.Rooms))
	for _, r := range c.ev.Rooms {
		cal, err := getCalendar(tx, r)
		if errors.Is(err, store.ErrNotFound) || err == nil && cal.Kind != Resource {
			return fmt.Errorf("room %q: %w", r, ErrNotFound)
		}
		if err != nil {
			return err
		}
		names[r] = cal.Room.Name
		if n := headcount(c.ev); cal.Room.Capacity > 0 && n > cal.Room.Capacity {
			return fmt.Errorf("room %q (%s) seats %d, the event has %d people: %w", r, cal.Room.Name, cal.Room.Capacity, n, ErrRoomTooSmall)
		}
	}
	if err := s.prepareBooking(c, now); err != nil {
		return err
	}
	occ, from, to := c.booking.occ, c.booking.from, c.booking.to
	if len(occ) == 0 {
		return nil
	}
	for _, r := range c.ev.Rooms {
		busy, err := s.busyOf(tx, slot{scopeRoom, r}, from, to, c.ev.ID, false)
		if err != nil {
			return err
		}
		if o, b, ok := firstClash(occ, busy); ok {
			what := "event"
			if c.set != nil {
				what = "instance"
			}
			return fmt.Errorf("room %q (%s): %s at %s clashes with event %q from %s to %s: %w",
				r, names[r], what, o.start.Format(time.RFC3339), b.event,
				b.start.In(c.loc).Format(time.RFC3339), b.end.In(c.loc).Format(time.RFC3339), ErrRoomBooked)
		}
	}
	return nil
}

// firstClash returns the first occurrence (in start order) overlapping a
// busy interval. Zero-length intervals never clash.
func firstClash(occ []occurrence, busy []busyInterval) (occurrence, busyInterval, bool) {
	if len(busy) == 0 {
		return occurrence{}, busyInterval{}, false
	}
	slices.SortFunc(busy, func(a, b busyInterval) int { return a.start.Compare(b.start) })
	pm := make([]time.Time, len(busy)) // running max of ends
	for i, b := range busy {
		pm[i] = b.end
		if i > 0 && pm[i-1].After(b.end) {
			pm[i] = pm[i-1]
		}
	}
	for _, o := range occ {
		if !o.end.After(o.start) {
			continue
		}
		k, _ := slices.BinarySearchFunc(busy, o.end, func(b busyInterval, t time.Time) int { return b.start.Compare(t) })
		if k == 0 || !pm[k-1].After(o.start) {
			continue
		}
		for i := k - 1; i >= 0; i-- {
			b := busy[i]
			if b.end.After(o.start) && b.end.After(b.start) {
				return o, b, true
			}
		}
	}
	return occurrence{}, busyInterval{}, false
}

// busyOf returns the instances in index sl overlapping [from, to), except
// those of event skip. For people (scope "u") transparent events, declined
// invitations and instances made transparent are left out; a room is busy
// whatever the event's transparency.
func (s *Service) busyOf(tx store.Tx, sl slot, from, to time.Time, skip string, cache bool) ([]busyInterval, error) {
	var out []busyInterval
	err := s.eachBusy(tx, sl, from, to, skip, cache, func(st, en time.Time, event string, orig time.Time) {
		out = append(out, busyInterval{start: st, end: en, event: event, orig: orig})
	})
	return out, err
}

// eachBusy calls fn for each busy instance busyOf would return. A room's
// series are expanded in full (more than maxInstances of one in the window
// is an error: its bookings are checked whole or not at all); a person's
// series together expand at most maxInstances instances, and their
// free/busy is cut there.
func (s *Service) eachBusy(tx store.Tx, sl slot, from, to time.Time, skip string, cache bool,
	fn func(start, end time.Time, event string, orig time.Time)) error {
	ents, err := scanIndex(tx, sl, from, to)
	if err != nil {
		return err
	}
	person := sl.scope == scopeUser
	left := maxInstances // a person's budget, across series
	for _, e := range ents {
		if e.id == skip {
			continue
		}
		declined := person && e.span.flags&flagDeclined != 0
		if declined && !e.series {
			continue
		}
		if !e.series {
			if person && e.span.flags&flagTransparent != 0 {
				continue
			}
			fn(e.span.start, e.span.end, e.id, e.span.start)
			continue
		}
		c, err := s.loadTiming(tx, e.id, e.span.rev, &e.span, cache)
		if err != nil {
			return err
		}
		if declined && !c.answers {
			continue
		}
		limit := maxInstances
		if person {
			if left <= 0 {
				continue // a person's free/busy is cut at maxInstances
			}
			limit = left
		}
		n, err := eachOccurrence(c, from, to, limit, func(o occurrence) {
			if person && o.exc != nil {
				if r, ok := o.exc.Responses[sl.owner]; ok {
					if r == Declined {
						return
					}
				} else if declined {
					return
				}
			} else if declined {
				return
			}
			if person {
				tr := c.ev.Transparency
				if o.exc != nil && o.exc.Transparency != nil {
					tr = *o.exc.Transparency
				}
				if tr == Transparent {
					return
				}
			}
			fn(o.start, o.end, e.id, o.orig)
		})
		left -= n
		if err != nil {
			if !person {
				// A room's bookings are checked in full or not at all.
				return fmt.Errorf("series %q in %q from %s to %s: %w", e.id, sl.owner, from.Format(time.RFC3339), to.Format(time.RFC3339), err)
			}
			// A person's free/busy of a denser series is cut there.
		}
	}
	return nil
}

// busyChunk is how many instances eachOccurrence expands at a time.
const busyChunk = 4096

// eachOccurrence calls fn for each instance of c overlapping [from, to),
// expanding a chunk at a time so that a dense series never sits in memory
// whole, and returns how many; after limit of them it stops with an error
// wrapping ErrTooLarge. Instances come in start order within a chunk.
func eachOccurrence(c *compiled, from, to time.Time, limit int, fn func(occurrence)) (n int, err error) {
	var after time.Time
	for first := true; ; first = false {
		occ, cut := c.occurrencesN(from, to, after, busyChunk)
		rlo := after
		for _, o := range occ {
			// Each instance once: changed instances moved across chunks
			// come with every chunk, so keep those whose original start is
			// this chunk's (or, first and last, outside every chunk's).
			if !first && o.orig.Before(rlo) || !cut.IsZero() && o.orig.After(cut) {
				continue
			}
			fn(o)
			n++
		}
		if cut.IsZero() {
			return n, nil
		}
		if n >= limit {
			return n, fmt.Errorf("more than %d instances: %w", limit, ErrTooLarge)
		}
		after = cut.Add(time.Nanosecond)
	}
}

// load returns event id compiled, from the cache when its revision is the
// index entry's; the entry's span spares the search for the last instance.
// Only reads of committed state (View) fill the cache.
func (s *Service) load(tx store.Tx, id string, rev uint64, sp *span, cache bool) (*compiled, error) {
	if c := s.cached(id, rev, true); c != nil {
		return c, nil
	}
	ev, err := getEvent(tx, id)
	if err != nil {
		return nil, err
	}
	if ev.Revision != rev {
		sp = nil // the index entry is not this revision's
	}
	c, err := compileSpan(ev, sp)
	if err != nil {
		return nil, fmt.Errorf("stored event %q: %w", id, err)
	}
	if cache && ev.Revision == rev {
		s.remember(c)
	}
	return c, nil
}

// headcount is how many people an event brings to its rooms: the organizer
// and every attendee who has not declined.
func headcount(ev *Event) int {
	n := 0
	org := false
	for _, a := range ev.Attendees {
		if a.User == ev.Organizer {
			org = true
		}
		if a.Status != Declined {
			n++
		}
	}
	if !org && ev.Organizer != "" {
		n++
	}
	return n
}
