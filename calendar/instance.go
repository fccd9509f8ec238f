package calendar

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/workspace-go/workspace/store"
)

// Instance is one occurrence of an event as a viewer sees it.
type Instance struct {
	EventID    string `json:"event_id"`
	CalendarID string `json:"calendar_id"`
	// OriginalStart identifies the instance within its series (iCalendar's
	// RECURRENCE-ID); for a single event it is the event's start.
	OriginalStart time.Time    `json:"original_start"`
	Start         time.Time    `json:"start"`
	End           time.Time    `json:"end"`
	AllDay        bool         `json:"all_day,omitempty"`
	Title         string       `json:"title,omitempty"`
	Description   string       `json:"description,omitempty"`
	Location      string       `json:"location,omitempty"`
	Organizer     string       `json:"organizer,omitempty"`
	Attendees     []Attendee   `json:"attendees,omitempty"`
	Rooms         []string     `json:"rooms,omitempty"`
	Visibility    Visibility   `json:"visibility,omitempty"`
	Transparency  Transparency `json:"transparency"`
	Recurring     bool         `json:"recurring,omitempty"` // part of a series
	Changed       bool         `json:"changed,omitempty"`   // an instance changed on its own
	// BusyOnly reports that the viewer may only see that the time is
	// taken: title, description, location, organizer, attendees and rooms
	// are blank.
	BusyOnly bool `json:"busy_only,omitempty"`
}

func checkWindow(from, to time.Time) error {
	if err := checkTime("window start", from); err != nil {
		return err
	}
	if err := checkTime("window end", to); err != nil {
		return err
	}
	if !to.After(from) {
		return fmt.Errorf("window %v to %v: %w", from, to, ErrBadTime)
	}
	if to.Sub(from) > MaxWindow {
		return fmt.Errorf("window %v to %v longer than %v: %w", from, to, MaxWindow, ErrInvalid)
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

// collector gathers instances from several indexes, a page at a time,
// keeping for each instance the most detailed view the actor is entitled
// to. Each series is expanded from the page's cursor on, at most
// limit+2 instances of it, so a page costs O(series x limit) however dense
// the series; a series cut short bounds the page (cutoff), so no instance
// of it is skipped.
type collector struct {
	s      *Service
	tx     store.Tx
	actor  string
	from   time.Time
	to     time.Time
	after  cursor // the previous page's last instance
	limit  int
	roles  map[string]Role // home calendar -> actor's role
	out    []Instance
	cutoff time.Time // instances after it may be missing; zero: none
	series []pendingSeries
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
		if e.series {
			k.series = append(k.series, pendingSeries{e, atLeast})
			continue
		}
		if !k.after.before(e.span.start, e.id, e.span.start) {
			continue
		}
		if err := k.load(e, atLeast, 1); err != nil {
			return err
		}
	}
	return nil
}

// pendingSeries is a series entry of an index, expanded by page.
type pendingSeries struct {
	e       entry
	atLeast detail
}

// load loads the event of e and adds its instances, at most per of a
// series.
func (k *collector) load(e entry, atLeast detail, per int) error {
	c, err := k.s.load(k.tx, e.id, e.span.rev, &e.span, true)
	if err != nil {
		return err
	}
	d := max(detailFor(c.ev, k.roleOnHome(c.ev.CalendarID), k.actor), atLeast)
	if d == hidden {
		return nil
	}
	return k.expand(c, d, per)
}

// expandSeries expands the series the indexes named: each at most
// limit+2 instances, fewer when there are so many series that the page
// would expand more than MaxViewExpansion (at least 2 each).
func (k *collector) expandSeries() error {
	per := k.limit + 2
	if n := len(k.series); n > 0 && n*per > MaxViewExpansion {
		per = max(2, MaxViewExpansion/n)
	}
	for _, p := range k.series {
		if err := k.load(p.e, p.atLeast, per); err != nil {
			return err
		}
	}
	k.series = nil
	return nil
}

// expand adds the instances of c after the cursor, at most per of its
// rule's.
func (k *collector) expand(c *compiled, d detail, per int) error {
	occ, cut := c.occurrencesN(k.from, k.to, k.after.startTime(), per)
	if !cut.IsZero() && (k.cutoff.IsZero() || cut.Before(k.cutoff)) {
		// Every instance of c up to cut is here, not all after it.
		k.cutoff = cut
	}
	for _, o := range occ {
		if k.after.before(o.start, c.ev.ID, o.orig) {
			k.out = append(k.out, makeInstance(c, o, d))
		}
	}
	if len(k.out) > 4*k.limit+64 {
		k.compact()
	}
	return nil
}

func compareInstances(a, b *Instance) int {
	if c := a.Start.Compare(b.Start); c != 0 {
		return c
	}
	if c := strings.Compare(a.EventID, b.EventID); c != 0 {
		return c
	}
	return a.OriginalStart.Compare(b.OriginalStart)
}

// compact sorts the instances, merges the views of one instance (keeping
// the most detailed) and keeps only those that can still be on the page.
func (k *collector) compact() {
	slices.SortStableFunc(k.out, func(a, b Instance) int { return compareInstances(&a, &b) })
	out := k.out[:0]
	for _, in := range k.out {
		if n := len(out); n > 0 && out[n-1].EventID == in.EventID && out[n-1].OriginalStart.Equal(in.OriginalStart) {
			if out[n-1].BusyOnly && !in.BusyOnly {
				out[n-1] = in
			}
			continue
		}
		out = append(out, in)
	}
	if !k.cutoff.IsZero() {
		i := len(out)
		for i > 0 && out[i-1].Start.After(k.cutoff) {
			i--
		}
		out = out[:i]
	}
	if len(out) > k.limit+1 {
		out = out[:k.limit+1]
	}
	clear(k.out[len(out):])
	k.out = out
}

// page returns the page the collector holds.
func (k *collector) page() (store.Page[Instance], error) {
	if err := k.expandSeries(); err != nil {
		return store.Page[Instance]{}, err
	}
	k.compact()
	p := store.Page[Instance]{Items: k.out}
	switch {
	case len(k.out) > k.limit:
		p.Items = k.out[:k.limit:k.limit]
		last := p.Items[k.limit-1]
		p.Next = cursor{start: last.Start.UnixNano(), id: last.EventID, orig: last.OriginalStart.UnixNano()}.String()
	case !k.cutoff.IsZero():
		// Everything up to the cutoff is on this page.
		p.Next = cursor{start: k.cutoff.UnixNano(), all: true}.String()
	}
	if p.Items == nil {
		p.Items = []Instance{}
	}
	return p, nil
}

func (s *Service) newCollector(tx store.Tx, actor string, q *InstanceQuery) (*collector, error) {
	after, err := parseCursor(q.Page)
	if err != nil {
		return nil, err
	}
	return &collector{s: s, tx: tx, actor: actor, from: q.From, to: q.To, after: after, limit: q.Limit, roles: map[string]Role{}}, nil
}

// PageQuery asks for one page of a listing.
type PageQuery struct {
	// Limit is the most items the page holds: default
	// [DefaultPageSize], at most [MaxPageSize].
	Limit int `json:"limit,omitempty"`
	// Page is the previous page's Next; "" asks for the first page.
	Page string `json:"page,omitempty"`
}

func (p *PageQuery) check() error {
	if p.Limit == 0 {
		p.Limit = DefaultPageSize
	}
	if p.Limit < 0 || p.Limit > MaxPageSize {
		return fmt.Errorf("page limit %d: at most %d: %w", p.Limit, MaxPageSize, ErrTooLarge)
	}
	return nil
}

// InstanceQuery asks for the instances overlapping [From, To), a page at
// a time. The window is at most [MaxWindow] long.
type InstanceQuery struct {
	From time.Time `json:"from"`
	To   time.Time `json:"to"`
	PageQuery
}

func (q *InstanceQuery) check() error {
	if err := checkWindow(q.From, q.To); err != nil {
		return err
	}
	return q.PageQuery.check()
}

// Instances returns the instances overlapping [q.From, q.To) (an instance
// that started before q.From and is still running is included) on every
// calendar in actor's list and every event actor is invited to, in start
// order (then event id and original start), a page of at most q.Limit at
// a time: pass the page's Next back in q.Page for the next one. Each
// shows what actor may see: on a calendar where actor has only FreeBusy,
// instances are BusyOnly.
//
// However many series a view holds (invitations included), one page
// expands at most q.Limit+2 instances of each: a dense view is read in
// more pages, never all at once. A page may hold fewer than q.Limit
// instances and still have a Next; the last page has none.
func (s *Service) Instances(ctx context.Context, actor string, q InstanceQuery) (store.Page[Instance], error) {
	if err := s.checkActor(ctx, actor); err != nil {
		return store.Page[Instance]{}, err
	}
	if err := q.check(); err != nil {
		return store.Page[Instance]{}, fmt.Errorf("calendar: instances for %q: %w", actor, err)
	}
	var out store.Page[Instance]
	err := s.st.View(ctx, func(tx store.Tx) error {
		k, err := s.newCollector(tx, actor, &q)
		if err != nil {
			return err
		}
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
		out, err = k.page()
		return err
	})
	if err != nil {
		return store.Page[Instance]{}, fmt.Errorf("calendar: instances for %q: %w", actor, err)
	}
	return out, nil
}

// CalendarInstances returns the instances of one calendar overlapping
// [q.From, q.To), as actor may see them, a page at a time (as Instances).
// For a room, they are its bookings.
func (s *Service) CalendarInstances(ctx context.Context, actor, id string, q InstanceQuery) (store.Page[Instance], error) {
	if err := s.checkActor(ctx, actor); err != nil {
		return store.Page[Instance]{}, err
	}
	if err := q.check(); err != nil {
		return store.Page[Instance]{}, fmt.Errorf("calendar: instances of %q: %w", id, err)
	}
	var out store.Page[Instance]
	err := s.st.View(ctx, func(tx store.Tx) error {
		cal, role, err := s.access(tx, actor, id)
		if err != nil {
			return err
		}
		if role < FreeBusy {
			return fmt.Errorf("calendar %q: %w", id, ErrNotFound)
		}
		k, err := s.newCollector(tx, actor, &q)
		if err != nil {
			return err
		}
		if err := k.add(sourceOf(cal), minDetail(role)); err != nil {
			return err
		}
		out, err = k.page()
		return err
	})
	if err != nil {
		return store.Page[Instance]{}, fmt.Errorf("calendar: instances of %q: %w", id, err)
	}
	return out, nil
}

// EventInstances returns the instances of event id overlapping
// [q.From, q.To), a page at a time (as Instances).
func (s *Service) EventInstances(ctx context.Context, actor, id string, q InstanceQuery) (store.Page[Instance], error) {
	if err := s.checkActor(ctx, actor); err != nil {
		return store.Page[Instance]{}, err
	}
	if err := q.check(); err != nil {
		return store.Page[Instance]{}, fmt.Errorf("calendar: instances of event %q: %w", id, err)
	}
	return s.eventInstances(ctx, actor, id, q, nil)
}

// AllInstances returns every instance of event id, a page at a time. A
// series without an end is refused with ErrUnbounded (ask for a window
// instead).
func (s *Service) AllInstances(ctx context.Context, actor, id string, p PageQuery) (store.Page[Instance], error) {
	if err := s.checkActor(ctx, actor); err != nil {
		return store.Page[Instance]{}, err
	}
	if err := p.check(); err != nil {
		return store.Page[Instance]{}, fmt.Errorf("calendar: instances of event %q: %w", id, err)
	}
	return s.eventInstances(ctx, actor, id, InstanceQuery{PageQuery: p}, func(c *compiled) error {
		if c.set != nil && !c.set.Finite() {
			return fmt.Errorf("event %q: rule %q has no COUNT or UNTIL (ask for a window): %w", id, c.ev.Recurrence.RRule, ErrUnbounded)
		}
		return nil
	})
}

// eventInstances pages through the instances of one event; whole, when
// set, asks for all of them (q's window is then the event's span) after
// checking that c may be.
func (s *Service) eventInstances(ctx context.Context, actor, id string, q InstanceQuery, whole func(*compiled) error) (store.Page[Instance], error) {
	var out store.Page[Instance]
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
				return fmt.Errorf("event %q: %w", id, ErrNotFound)
			}
			d = busy
		}
		c, err := s.load(tx, id, ev.Revision, nil, true)
		if err != nil {
			return err
		}
		if whole != nil {
			if err := whole(c); err != nil {
				return err
			}
			q.From, q.To = c.first, c.last.Add(1)
		}
		k, err := s.newCollector(tx, actor, &q)
		if err != nil {
			return err
		}
		if err := k.expand(c, d, k.limit+2); err != nil {
			return err
		}
		out, err = k.page()
		return err
	})
	if err != nil {
		return store.Page[Instance]{}, fmt.Errorf("calendar: instances of event %q: %w", id, err)
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
