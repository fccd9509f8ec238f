package calendar

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/workspace-go/workspace/internal/recur"
	"github.com/workspace-go/workspace/store"
)

// Instance is one occurrence of an event as a viewer sees it.
type Instance struct {
	EventID    string
	CalendarID string
	// OriginalStart identifies the instance within its series (iCalendar's
	// RECURRENCE-ID); for a single event it is the event's start.
	OriginalStart time.Time
	Start, End    time.Time
	AllDay        bool
	Title         string
	Description   string
	Location      string
	Organizer     string
	Attendees     []Attendee
	Rooms         []string
	Visibility    Visibility
	Transparency  Transparency
	Recurring     bool // part of a series
	Changed       bool // an instance changed on its own
	// BusyOnly reports that the viewer may only see that the time is
	// taken: title, description, location, organizer, attendees and rooms
	// are blank.
	BusyOnly bool
}

func checkWindow(from, to time.Time) error {
	if from.IsZero() || to.IsZero() || !to.After(from) {
		return fmt.Errorf("window %v to %v: %w", from, to, ErrBadTime)
	}
	if to.Sub(from) > MaxWindow {
		return fmt.Errorf("window %v to %v longer than %v: %w", from, to, MaxWindow, ErrBadInput)
	}
	return nil
}

func makeInstance(c *compiled, o occurrence, d detail) Instance {
	ev := c.ev
	in := Instance{
		EventID: ev.ID, CalendarID: ev.CalendarID, OriginalStart: o.orig,
		Start: o.start, End: o.end, AllDay: ev.AllDay,
		Visibility: ev.Visibility, Transparency: ev.Transparency,
		Recurring: c.set != nil, Changed: o.exc != nil && o.exc.changed(),
	}
	if x := o.exc; x != nil && x.Transparency != nil {
		in.Transparency = *x.Transparency
	}
	if d < full {
		in.BusyOnly, in.Visibility = true, ""
		return in
	}
	in.Title, in.Description, in.Location = ev.Title, ev.Description, ev.Location
	in.Organizer, in.Attendees, in.Rooms = ev.Organizer, slices.Clone(ev.Attendees), slices.Clone(ev.Rooms)
	if x := o.exc; x != nil {
		for i, a := range in.Attendees {
			if r, ok := x.Responses[a.User]; ok {
				in.Attendees[i].Status = r
			}
		}
		if x.Title != nil {
			in.Title = *x.Title
		}
		if x.Description != nil {
			in.Description = *x.Description
		}
		if x.Location != nil {
			in.Location = *x.Location
		}
	}
	return in
}

type instKey struct {
	id   string
	orig int64
}

// collector gathers instances from several indexes, keeping for each
// instance the most detailed view the actor is entitled to.
type collector struct {
	s     *Service
	tx    store.Tx
	actor string
	from  time.Time
	to    time.Time
	roles map[string]Role // home calendar -> actor's role
	seen  map[instKey]int
	out   []Instance
}

func (k *collector) roleOnHome(cal string) Role {
	if r, ok := k.roles[cal]; ok {
		return r
	}
	r := NoRole
	if c, err := getCalendar(k.tx, cal); err == nil {
		r = roleOn(k.tx, c, k.actor)
	}
	k.roles[cal] = r
	return r
}

// add expands index sl; atLeast is the detail the source itself grants
// (busy for a room or a free/busy calendar).
func (k *collector) add(sl slot, atLeast detail) error {
	ents, err := scanIndex(k.tx, sl, k.from, k.to)
	if err != nil {
		return err
	}
	for _, e := range ents {
		c, err := k.s.load(k.tx, e.id, e.span.rev, &e.span, true)
		if err != nil {
			return err
		}
		d := max(detailFor(c.ev, k.roleOnHome(c.ev.CalendarID), k.actor), atLeast)
		if d == hidden {
			continue
		}
		for _, o := range c.occurrences(k.from, k.to) {
			key := instKey{e.id, o.orig.UnixNano()}
			if i, ok := k.seen[key]; ok {
				if d == full && k.out[i].BusyOnly {
					k.out[i] = makeInstance(c, o, d)
				}
				continue
			}
			k.seen[key] = len(k.out)
			k.out = append(k.out, makeInstance(c, o, d))
		}
	}
	return nil
}

func (k *collector) sorted() []Instance {
	slices.SortStableFunc(k.out, func(a, b Instance) int {
		if c := a.Start.Compare(b.Start); c != 0 {
			return c
		}
		if a.EventID != b.EventID {
			if a.EventID < b.EventID {
				return -1
			}
			return 1
		}
		return a.OriginalStart.Compare(b.OriginalStart)
	})
	return k.out
}

func (s *Service) newCollector(tx store.Tx, actor string, from, to time.Time) *collector {
	return &collector{s: s, tx: tx, actor: actor, from: from, to: to, roles: map[string]Role{}, seen: map[instKey]int{}}
}

// Instances returns the instances overlapping [from, to) (an instance
// that started before from and is still running is included) on every
// calendar in actor's list and every event actor is invited to, in start
// order. Each shows what actor may see: on a calendar where actor has
// only FreeBusy, instances are BusyOnly.
func (s *Service) Instances(ctx context.Context, actor string, from, to time.Time) ([]Instance, error) {
	if err := checkWindow(from, to); err != nil {
		return nil, fmt.Errorf("calendar: instances for %q: %w", actor, err)
	}
	var out []Instance
	err := s.st.View(ctx, func(tx store.Tx) error {
		k := s.newCollector(tx, actor, from, to)
		list, err := calendarList(tx, actor)
		if err != nil {
			return err
		}
		for _, le := range list {
			if err := k.add(sourceOf(&le.Calendar), minDetail(le.Role)); err != nil {
				return err
			}
		}
		if err := k.add(slot{scopeUser, actor}, hidden); err != nil {
			return err
		}
		out = k.sorted()
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("calendar: instances for %q: %w", actor, err)
	}
	return out, nil
}

// CalendarInstances returns the instances of one calendar overlapping
// [from, to), as actor may see them. For a room, they are its bookings.
func (s *Service) CalendarInstances(ctx context.Context, actor, id string, from, to time.Time) ([]Instance, error) {
	if err := checkWindow(from, to); err != nil {
		return nil, fmt.Errorf("calendar: instances of %q: %w", id, err)
	}
	var out []Instance
	err := s.st.View(ctx, func(tx store.Tx) error {
		cal, role, err := s.access(tx, actor, id)
		if err != nil {
			return err
		}
		if role < FreeBusy {
			return fmt.Errorf("calendar %q: %w", id, ErrNoAccess)
		}
		k := s.newCollector(tx, actor, from, to)
		if err := k.add(sourceOf(cal), minDetail(role)); err != nil {
			return err
		}
		out = k.sorted()
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("calendar: instances of %q: %w", id, err)
	}
	return out, nil
}

// EventInstances returns the instances of event id overlapping [from, to).
func (s *Service) EventInstances(ctx context.Context, actor, id string, from, to time.Time) ([]Instance, error) {
	if err := checkWindow(from, to); err != nil {
		return nil, fmt.Errorf("calendar: instances of event %q: %w", id, err)
	}
	return s.eventInstances(ctx, actor, id, func(c *compiled) ([]occurrence, error) {
		return c.occurrences(from, to), nil
	})
}

// AllInstances returns every instance of event id. A series without an
// end is refused with ErrUnbounded (ask for a window instead); a finite
// one is capped at 100,000 instances.
func (s *Service) AllInstances(ctx context.Context, actor, id string) ([]Instance, error) {
	return s.eventInstances(ctx, actor, id, func(c *compiled) ([]occurrence, error) {
		if c.set == nil {
			return c.occurrences(c.first, c.last.Add(1)), nil
		}
		if !c.set.Finite() {
			return nil, fmt.Errorf("event %q: rule %q has no COUNT or UNTIL (ask for a window): %w", id, c.ev.Recurrence.RRule, ErrUnbounded)
		}
		starts, err := c.set.All()
		if err != nil {
			return nil, fmt.Errorf("event %q: %s: %w", id, strings.TrimSuffix(err.Error(), ": "+recur.ErrUnbounded.Error()), ErrUnbounded)
		}
		var out []occurrence
		for _, o := range starts {
			x := c.exc[o.UnixNano()]
			if x != nil && x.Cancelled {
				continue
			}
			st, en := c.times(o, x)
			out = append(out, occurrence{orig: o, start: st, end: en, exc: x})
		}
		slices.SortStableFunc(out, func(a, b occurrence) int { return a.start.Compare(b.start) })
		return out, nil
	})
}

func (s *Service) eventInstances(ctx context.Context, actor, id string, occ func(*compiled) ([]occurrence, error)) ([]Instance, error) {
	var out []Instance
	err := s.st.View(ctx, func(tx store.Tx) error {
		ev, err := getEvent(tx, id)
		if err != nil {
			return err
		}
		cal, err := getCalendar(tx, ev.CalendarID)
		if err != nil {
			return err
		}
		d := detailFor(ev, roleOn(tx, cal, actor), actor)
		if d == hidden {
			if !bookedRoomVisible(tx, ev, actor) {
				return fmt.Errorf("event %q: %w", id, ErrNoAccess)
			}
			d = busy
		}
		c, err := s.load(tx, id, ev.Revision, nil, true)
		if err != nil {
			return err
		}
		os, err := occ(c)
		if err != nil {
			return err
		}
		for _, o := range os {
			out = append(out, makeInstance(c, o, d))
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("calendar: instances of event %q: %w", id, err)
	}
	return out, nil
}

func sourceOf(c *Calendar) slot {
	if c.Kind == Resource {
		return slot{scopeRoom, c.ID}
	}
	return slot{scopeCal, c.ID}
}

// minDetail is what a role on a listed calendar shows at the least.
func minDetail(r Role) detail {
	if r >= FreeBusy {
		return busy
	}
	return hidden
}
