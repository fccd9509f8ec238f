package calendar

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/workspace-go/workspace/internal/record"
	"github.com/workspace-go/workspace/store"
)

// Visibility says who sees an event's details beyond free/busy.
type Visibility string

// Visibilities.
const (
	// DefaultVisibility follows the calendar's sharing.
	DefaultVisibility Visibility = "default"
	// Public shows details to readers (as default does); it does not lift
	// the FreeBusy role's restriction, which never shows details.
	Public Visibility = "public"
	// Private shows details only to the calendar's writers and owner and
	// to the event's organizer and attendees; readers see a busy block.
	Private Visibility = "private"
)

// Transparency says whether an event blocks time in free/busy.
type Transparency string

// Transparencies.
const (
	// Opaque events show as busy (the default for timed events).
	Opaque Transparency = "opaque"
	// Transparent events show as free (the default for all-day events,
	// as in Google Calendar).
	Transparent Transparency = "transparent"
)

// RSVP is an attendee's answer to an invitation.
type RSVP string

// Answers.
const (
	NeedsAction RSVP = "needs-action"
	Accepted    RSVP = "accepted"
	Declined    RSVP = "declined"
	Tentative   RSVP = "tentative"
)

func (r RSVP) valid() bool {
	return r == NeedsAction || r == Accepted || r == Declined || r == Tentative
}

// Attendee is a person invited to an event.
type Attendee struct {
	User     string `json:"user"`
	Optional bool   `json:"optional,omitempty"`
	Status   RSVP   `json:"status"`
	// Reminders, when not nil, are this attendee's own reminders (empty:
	// none), replacing the event's; see [Service.SetMyReminders].
	Reminders *[]Reminder `json:"reminders,omitempty"`
}

// Recurrence makes an event a series (RFC 5545 RRULE, RDATE, EXDATE).
// Times in RDates and ExDates are instance starts; for all-day series only
// their dates count.
type Recurrence struct {
	RRule   string      `json:"rrule,omitempty"` // "FREQ=WEEKLY;BYDAY=MO,WE"
	RDates  []time.Time `json:"rdates,omitempty"`
	ExDates []time.Time `json:"exdates,omitempty"`
}

// InstanceChange is what a changed instance of a series overrides; nil
// fields keep the series' value, so later whole-series edits of other
// fields still reach the changed instance.
type InstanceChange struct {
	Start        *time.Time    `json:"start,omitempty"`
	End          *time.Time    `json:"end,omitempty"`
	Title        *string       `json:"title,omitempty"`
	Description  *string       `json:"description,omitempty"`
	Location     *string       `json:"location,omitempty"`
	Transparency *Transparency `json:"transparency,omitempty"`
}

// Exception is a changed or cancelled instance of a series, identified by
// its original start (iCalendar's RECURRENCE-ID).
type Exception struct {
	OriginalStart time.Time `json:"original_start"`
	Cancelled     bool      `json:"cancelled,omitempty"`
	InstanceChange
	// Responses are attendees' answers for this instance only, overriding
	// their answer to the series.
	Responses map[string]RSVP `json:"responses,omitempty"`
}

// changed reports whether x changes the instance itself (not only
// someone's answer).
func (x *Exception) changed() bool {
	c := x.InstanceChange
	return x.Cancelled || c.Start != nil || c.End != nil || c.Title != nil || c.Description != nil || c.Location != nil || c.Transparency != nil
}

// Event is a single event or a series.
type Event struct {
	ID         string `json:"id"`
	CalendarID string `json:"calendar_id"`
	// UID is the iCalendar UID (set to ID when empty).
	UID         string `json:"uid"`
	Title       string `json:"title"`
	Description string `json:"description,omitempty"`
	Location    string `json:"location,omitempty"`
	// Start and End bound the event (the first instance of a series).
	// For all-day events only their dates count, and End is exclusive: a
	// one-day event on 1 May has Start 1 May and End 2 May (End zero means
	// one day).
	Start time.Time `json:"start"`
	End   time.Time `json:"end"`
	// TimeZone is the IANA zone the event is planned in (default: the
	// calendar's). Instances of a series keep their wall-clock time in it.
	TimeZone     string       `json:"tz"`
	AllDay       bool         `json:"all_day,omitempty"`
	Visibility   Visibility   `json:"visibility"`
	Transparency Transparency `json:"transparency"`
	Organizer    string       `json:"organizer"`
	Attendees    []Attendee   `json:"attendees,omitempty"`
	// Rooms are the resource calendars booked for the event.
	Rooms      []string    `json:"rooms,omitempty"`
	Recurrence *Recurrence `json:"recurrence,omitempty"`
	Exceptions []Exception `json:"exceptions,omitempty"`
	// Reminders, when not nil, replace the calendar's default reminders
	// for this event (empty: none); at most [MaxReminders].
	Reminders *[]Reminder `json:"reminders,omitempty"`
	Created   time.Time   `json:"created"`
	Updated   time.Time   `json:"updated"`
	// Revision counts changes; pass it back in an update to refuse
	// overwriting someone else's change (ErrStaleRevision), or leave it 0.
	Revision uint64 `json:"rev"`
	// ClientKey, when set, makes CreateEvent idempotent: a second create
	// by the same actor with the same key returns the first event (as the
	// actor sees it now), unchanged, and writes nothing. At most
	// [MaxClientKey] bytes.
	ClientKey string `json:"client_key,omitempty"`
	// BusyOnly is set on copies returned to someone who may see only when
	// the event is: its details are blanked.
	BusyOnly bool `json:"busy_only,omitempty"`
}

// Limits on event fields.
const (
	MaxTitle       = 1 << 10
	MaxDescription = 64 << 10
	MaxAttendees   = 1000
)

var zones sync.Map // name -> *time.Location

func loadZone(name string) (*time.Location, error) {
	if name == "" || name == "UTC" || name == "Z" {
		return time.UTC, nil
	}
	if l, ok := zones.Load(name); ok {
		return l.(*time.Location), nil
	}
	if name == "Local" || strings.ContainsAny(name, "\\") || strings.Contains(name, "..") {
		return nil, fmt.Errorf("time zone %q: %w", name, ErrBadTimeZone)
	}
	l, err := time.LoadLocation(name)
	if err != nil {
		return nil, fmt.Errorf("time zone %q: %w", name, ErrBadTimeZone)
	}
	zones.Store(name, l)
	return l, nil
}

func dateIn(t time.Time, loc *time.Location) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, loc)
}

// normalize checks ev and fills defaults; calTZ is the calendar's zone.
// It returns the compiled event. It is pure: safe inside a transaction.
func normalize(ev *Event, calTZ string) (*compiled, error) {
	if err := checkBounds(ev); err != nil {
		return nil, err
	}
	if err := checkEventReminders(ev); err != nil {
		return nil, err
	}
	ev.Reminders = normReminders(ev.Reminders)
	for i := range ev.Attendees {
		ev.Attendees[i].Reminders = normReminders(ev.Attendees[i].Reminders)
	}
	if ev.TimeZone == "" {
		ev.TimeZone = calTZ
	}
	loc, err := loadZone(ev.TimeZone)
	if err != nil {
		return nil, err
	}
	ev.Title = strings.TrimSpace(ev.Title)
	if len(ev.Title) > MaxTitle || len(ev.Description) > MaxDescription || len(ev.Location) > MaxTitle {
		return nil, fmt.Errorf("title, description or location too long: %w", ErrInvalid)
	}
	if !utf8.ValidString(ev.Title) || !utf8.ValidString(ev.Description) || !utf8.ValidString(ev.Location) {
		return nil, fmt.Errorf("text is not UTF-8: %w", ErrInvalid)
	}
	if ev.Start.IsZero() {
		return nil, fmt.Errorf("no start: %w", ErrBadTime)
	}
	if ev.Start.Year() < 1900 || ev.Start.Year() > 2200 || ev.End.Year() > 2200 {
		return nil, fmt.Errorf("start %v, end %v: year out of range 1900-2200: %w", ev.Start, ev.End, ErrBadTime)
	}
	if ev.AllDay {
		ev.Start = dateIn(ev.Start, loc)
		if ev.End.IsZero() {
			ev.End = ev.Start.AddDate(0, 0, 1)
		} else {
			ev.End = dateIn(ev.End, loc)
		}
		if !ev.End.After(ev.Start) {
			return nil, fmt.Errorf("all-day end %s not after start %s (the end date is exclusive): %w",
				ev.End.Format(time.DateOnly), ev.Start.Format(time.DateOnly), ErrBadTime)
		}
	} else {
		ev.Start = ev.Start.In(loc)
		if ev.End.IsZero() {
			return nil, fmt.Errorf("no end: %w", ErrBadTime)
		}
		ev.End = ev.End.In(loc)
		if ev.End.Before(ev.Start) {
			return nil, fmt.Errorf("end %s before start %s: %w", ev.End.Format(time.RFC3339), ev.Start.Format(time.RFC3339), ErrBadTime)
		}
	}
	switch ev.Visibility {
	case "":
		ev.Visibility = DefaultVisibility
	case DefaultVisibility, Public, Private:
	default:
		return nil, fmt.Errorf("visibility %q: %w", ev.Visibility, ErrInvalid)
	}
	switch ev.Transparency {
	case "":
		ev.Transparency = Opaque
		if ev.AllDay {
			ev.Transparency = Transparent
		}
	case Opaque, Transparent:
	default:
		return nil, fmt.Errorf("transparency %q: %w", ev.Transparency, ErrInvalid)
	}
	if len(ev.Attendees) > MaxAttendees {
		return nil, fmt.Errorf("%d attendees, at most %d: %w", len(ev.Attendees), MaxAttendees, ErrInvalid)
	}
	seen := map[string]bool{}
	att := ev.Attendees[:0:0]
	for _, a := range ev.Attendees {
		if a.User == "" {
			return nil, fmt.Errorf("attendee without user: %w", ErrInvalid)
		}
		if seen[a.User] {
			continue
		}
		seen[a.User] = true
		if a.Status == "" {
			a.Status = NeedsAction
			if a.User == ev.Organizer {
				a.Status = Accepted
			}
		}
		if !a.Status.valid() {
			return nil, fmt.Errorf("attendee %q: status %q: %w", a.User, a.Status, ErrInvalid)
		}
		att = append(att, a)
	}
	ev.Attendees = att
	rooms := ev.Rooms[:0:0]
	for _, r := range ev.Rooms {
		if r == "" {
			return nil, fmt.Errorf("empty room id: %w", ErrInvalid)
		}
		if !slices.Contains(rooms, r) {
			rooms = append(rooms, r)
		}
	}
	ev.Rooms = rooms
	if rc := ev.Recurrence; rc != nil {
		rc.RRule = strings.TrimSpace(rc.RRule)
		if rc.RRule == "" && len(rc.RDates) == 0 {
			ev.Recurrence, ev.Exceptions = nil, nil
		} else {
			// Sort, then drop repeats: O(n log n) for the thousands of
			// RDATEs an import may bring (MaxRDates).
			fix := func(ts []time.Time) []time.Time {
				out := make([]time.Time, 0, len(ts))
				for _, t := range ts {
					if ev.AllDay {
						t = dateIn(t, loc)
					} else {
						t = t.In(loc)
					}
					out = append(out, t)
				}
				slices.SortFunc(out, time.Time.Compare)
				return slices.CompactFunc(out, time.Time.Equal)
			}
			rc.RDates, rc.ExDates = fix(rc.RDates), fix(rc.ExDates)
		}
	} else {
		ev.Exceptions = nil
	}
	c, err := compile(ev)
	if err != nil {
		return nil, err
	}
	// Keep only the exceptions that still name an instance, normalised.
	kept := ev.Exceptions[:0:0]
	for _, x := range ev.Exceptions {
		x.OriginalStart = c.inZone(x.OriginalStart)
		if !c.isInstance(x.OriginalStart) {
			continue
		}
		if err := c.checkChange(&x.InstanceChange); err != nil {
			return nil, err
		}
		for u, r := range x.Responses {
			if !r.valid() {
				return nil, fmt.Errorf("instance %s: %q answered %q: %w", x.OriginalStart.Format(time.RFC3339), u, r, ErrInvalid)
			}
		}
		kept = append(kept, x)
	}
	// The first of exceptions with the same original start wins.
	slices.SortStableFunc(kept, func(a, b Exception) int { return a.OriginalStart.Compare(b.OriginalStart) })
	ev.Exceptions = slices.CompactFunc(kept, func(a, b Exception) bool { return a.OriginalStart.Equal(b.OriginalStart) })
	return compile(ev)
}

// CreateEvent creates ev on calendar ev.CalendarID, booking its rooms in
// the same transaction: if a room is booked at an overlapping time the
// event is not created and the error wraps ErrRoomBooked, naming the clash.
// Actor needs Writer on the calendar and becomes the organizer unless
// ev.Organizer is set.
//
// The work that grows with the event (RDATEs, EXDATEs, changed instances,
// the instances a room booking checks) is done before the store
// transaction, which only re-checks access and the rooms' bookings.
func (s *Service) CreateEvent(ctx context.Context, actor string, ev Event) (Event, error) {
	if err := s.checkActor(ctx, actor); err != nil {
		return Event{}, err
	}
	if actor == "" {
		return Event{}, fmt.Errorf("calendar: create event: empty actor: %w", ErrInvalid)
	}
	if err := checkBounds(&ev); err != nil {
		return Event{}, fmt.Errorf("calendar: create event %q: %w", ev.Title, err)
	}
	if err := checkClientKey(ev.ClientKey); err != nil {
		return Event{}, fmt.Errorf("calendar: create event %q: %w", ev.Title, err)
	}
	// retried returns the event an earlier create with ev.ClientKey made,
	// if it still exists.
	retried := func(tx store.Tx) (string, bool, error) {
		if ev.ClientKey == "" {
			return "", false, nil
		}
		id, ok, err := clientKeyID(tx, actor, "ev", ev.ClientKey)
		if err != nil || !ok {
			return "", false, err
		}
		switch _, err := getEvent(tx, id); {
		case err == nil:
			return id, true, nil
		case errors.Is(err, store.ErrNotFound):
			return "", false, nil // deleted since: create anew
		default:
			return "", false, err
		}
	}
	ev.ID = s.newID()
	if ev.UID == "" {
		ev.UID = ev.ID
	}
	if ev.Organizer == "" {
		ev.Organizer = actor
	}
	now := s.now().UTC()
	ev.Created, ev.Updated, ev.Revision = now, now, 1
	ev.BusyOnly = false
	// prepare checks access and normalises ev for cal; pure but for the
	// reads of cal.
	prepare := func(tx store.Tx) (*Calendar, *compiled, error) {
		e := cloneEvent(ev)
		cal, role, err := s.access(tx, actor, e.CalendarID)
		if err != nil {
			return nil, nil, err
		}
		if role < Writer {
			return nil, nil, denied(cal.ID, actor, role, Writer)
		}
		if cal.Kind == Resource {
			return nil, nil, fmt.Errorf("calendar %q is a room: book it through an event's Rooms: %w", cal.ID, ErrInvalid)
		}
		c, err := normalize(&e, cal.TimeZone)
		if err != nil {
			return nil, nil, err
		}
		return cal, c, s.prepareBooking(c, now)
	}
	var pre *compiled
	var preTZ string
	var firstID string
	err := s.st.View(ctx, func(tx store.Tx) error {
		id, ok, err := retried(tx)
		if err != nil || ok {
			firstID = id
			return err
		}
		cal, c, err := prepare(tx)
		if err == nil {
			pre, preTZ = c, cal.TimeZone
		}
		return err
	})
	if err != nil {
		return Event{}, fmt.Errorf("calendar: create event %q: %w", ev.Title, err)
	}
	if firstID != "" {
		return s.eventAfter(ctx, actor, firstID)
	}
	var out Event
	err = s.st.Update(ctx, func(tx store.Tx) error {
		firstID = ""
		if id, ok, err := retried(tx); err != nil || ok {
			firstID = id
			return err
		}
		if ev.ClientKey != "" {
			if err := tx.Put(ckKey(actor, "ev", ev.ClientKey), []byte(ev.ID)); err != nil {
				return err
			}
		}
		cal, role, err := s.access(tx, actor, ev.CalendarID)
		if err != nil {
			return err
		}
		c := pre
		if role < Writer || cal.Kind == Resource || cal.TimeZone != preTZ {
			// Changed since prepared: prepare again (and refuse).
			if cal, c, err = prepare(tx); err != nil {
				return err
			}
		}
		if err := s.book(tx, c, now); err != nil {
			return err
		}
		if err := s.writeEvent(tx, nil, c, cal); err != nil {
			return err
		}
		out = cloneEvent(*c.ev)
		return appendChange(tx, Change{Type: EventCreated, CalendarID: cal.ID, EventID: c.ev.ID, Actor: actor, At: now})
	})
	if err != nil {
		return Event{}, fmt.Errorf("calendar: create event %q: %w", ev.Title, err)
	}
	if firstID != "" {
		return s.eventAfter(ctx, actor, firstID)
	}
	return out, nil
}

// Event returns event id as actor may see it: details are blanked
// (BusyOnly) when actor may only see free/busy.
func (s *Service) Event(ctx context.Context, actor, id string) (Event, error) {
	if err := s.checkActor(ctx, actor); err != nil {
		return Event{}, err
	}
	var out Event
	err := s.st.View(ctx, func(tx store.Tx) error {
		ev, err := getEvent(tx, id)
		if err != nil {
			return err
		}
		cal, err := getCalendar(tx, ev.CalendarID)
		if err != nil {
			return err
		}
		switch detailFor(ev, roleOn(tx, cal, actor), actor) {
		case hidden:
			if !bookedRoomVisible(tx, ev, actor) {
				return fmt.Errorf("event %q: %w", id, ErrNotFound)
			}
			out = busyOnly(ev)
		case busy:
			out = busyOnly(ev)
		default:
			out = *ev
		}
		return nil
	})
	if err != nil {
		return Event{}, fmt.Errorf("calendar: event: %w", err)
	}
	return out, nil
}

// bookedRoomVisible: everyone may see that a room they can see is taken.
func bookedRoomVisible(tx store.Tx, ev *Event, actor string) bool {
	for _, r := range ev.Rooms {
		if c, err := getCalendar(tx, r); err == nil && roleOn(tx, c, actor) >= FreeBusy {
			return true
		}
	}
	return false
}

// EventPatch changes an event or a series; nil fields keep their value.
type EventPatch struct {
	Title        *string       `json:"title,omitempty"`
	Description  *string       `json:"description,omitempty"`
	Location     *string       `json:"location,omitempty"`
	Start        *time.Time    `json:"start,omitempty"` // of the series: moves every instance by the same shift
	End          *time.Time    `json:"end,omitempty"`
	TimeZone     *string       `json:"tz,omitempty"`
	AllDay       *bool         `json:"all_day,omitempty"`
	Visibility   *Visibility   `json:"visibility,omitempty"`
	Transparency *Transparency `json:"transparency,omitempty"`
	Attendees    *[]Attendee   `json:"attendees,omitempty"`
	Rooms        *[]string     `json:"rooms,omitempty"`
	// Recurrence replaces the rule; a Recurrence with no RRULE and no
	// RDATE makes the event single.
	Recurrence *Recurrence `json:"recurrence,omitempty"`
	// Reminders replaces the event's reminders; DefaultReminders, when
	// set, goes back to the calendar's defaults.
	Reminders        *[]Reminder `json:"reminders,omitempty"`
	DefaultReminders bool        `json:"default_reminders,omitempty"`
	// Revision, when not 0, must equal the stored revision.
	Revision uint64 `json:"rev,omitempty"`
}

func (p *EventPatch) apply(e *Event) {
	set := func(dst *string, src *string) {
		if src != nil {
			*dst = *src
		}
	}
	set(&e.Title, p.Title)
	set(&e.Description, p.Description)
	set(&e.Location, p.Location)
	set(&e.TimeZone, p.TimeZone)
	if p.Start != nil {
		e.Start = *p.Start
	}
	if p.End != nil {
		e.End = *p.End
	}
	if p.AllDay != nil {
		e.AllDay = *p.AllDay
	}
	if p.Visibility != nil {
		e.Visibility = *p.Visibility
	}
	if p.Transparency != nil {
		e.Transparency = *p.Transparency
	}
	if p.Attendees != nil {
		e.Attendees = slices.Clone(*p.Attendees)
	}
	if p.Rooms != nil {
		e.Rooms = slices.Clone(*p.Rooms)
	}
	if p.Recurrence != nil {
		r := cloneRecurrence(p.Recurrence)
		e.Recurrence = r
	}
	if p.Reminders != nil {
		e.Reminders = normReminders(p.Reminders)
	}
	if p.DefaultReminders {
		e.Reminders = nil
	}
}

// UpdateEvent changes a single event or a whole series. For a series, the
// changed and cancelled instances whose original start is still an
// instance of the new rule are kept (their own changes win over the
// series'); the others are dropped. Rooms are re-checked in the same
// transaction.
func (s *Service) UpdateEvent(ctx context.Context, actor, id string, p EventPatch) (Event, error) {
	if err := s.checkActor(ctx, actor); err != nil {
		return Event{}, err
	}
	if err := checkPatch(&p); err != nil {
		return Event{}, fmt.Errorf("calendar: update event %q: %w", id, err)
	}
	err := s.mutate(ctx, actor, id, p.Revision, EventUpdated, func(tx store.Tx, old *Event, cal *Calendar) (*Event, error) {
		e := wholeSeries(old, p)
		return &e, nil
	})
	if err != nil {
		return Event{}, fmt.Errorf("calendar: update event %q: %w", id, err)
	}
	return s.eventAfter(ctx, actor, id)
}

// wholeSeries returns old with p applied to every instance.
func wholeSeries(old *Event, p EventPatch) Event {
	e := cloneEvent(*old)
	if p.Start != nil && p.End == nil {
		// Moving the start keeps the duration.
		d := old.End.Sub(old.Start)
		e.End = p.Start.Add(d)
		if old.AllDay {
			e.End = p.Start.AddDate(0, 0, int(d.Hours()+12)/24)
		}
	}
	if p.Start != nil && old.Recurrence != nil && p.Recurrence == nil {
		// Shifting the series shifts the keys of its exceptions, EXDATEs
		// and RDATEs with it: cancelled instances stay cancelled and
		// changed ones keep their changes (an explicit new time stays
		// where it was put). Keys the new rule does not produce are
		// dropped by normalize.
		shiftSeries(&e, p.Start.Sub(old.Start))
	}
	p.apply(&e)
	return e
}

func shiftSeries(e *Event, shift time.Duration) {
	if shift == 0 || e.Recurrence == nil {
		return
	}
	e.Recurrence.RRule = shiftUntil(e.Recurrence.RRule, shift)
	for i := range e.Recurrence.RDates {
		e.Recurrence.RDates[i] = e.Recurrence.RDates[i].Add(shift)
	}
	for i := range e.Recurrence.ExDates {
		e.Recurrence.ExDates[i] = e.Recurrence.ExDates[i].Add(shift)
	}
	for i := range e.Exceptions {
		e.Exceptions[i].OriginalStart = e.Exceptions[i].OriginalStart.Add(shift)
	}
}

// eventAfter reads back an event after a mutation.
func (s *Service) eventAfter(ctx context.Context, actor, id string) (Event, error) {
	return s.Event(ctx, actor, id)
}

// mutate runs the common shape of an event change in one transaction:
// load, check writer access and revision, build the new event with change,
// normalise, re-check rooms, rewrite record and indexes, log.
//
// Everything but the room check and the writes is done first in a read
// transaction; the write transaction reuses that work when the event and
// its calendar's zone are as they were (the revision tells), so the commit
// path does no work that grows with the event. change must depend only on
// old and cal.
func (s *Service) mutate(ctx context.Context, actor, id string, rev uint64, typ ChangeType,
	change func(tx store.Tx, old *Event, cal *Calendar) (*Event, error)) error {
	now := s.now().UTC()
	// prepare loads and checks; c is nil for a delete.
	prepare := func(tx store.Tx) (old *Event, cal *Calendar, c *compiled, err error) {
		old, err = getEvent(tx, id)
		if err != nil {
			return nil, nil, nil, err
		}
		cal, role, err := s.access(tx, actor, old.CalendarID)
		if err != nil {
			return nil, nil, nil, err
		}
		if role < Writer {
			return nil, nil, nil, denied(cal.ID, actor, role, Writer)
		}
		if rev != 0 && rev != old.Revision {
			return nil, nil, nil, fmt.Errorf("event %q: revision %d, stored %d: %w", id, rev, old.Revision, ErrStaleRevision)
		}
		e, err := change(tx, old, cal)
		if err != nil || e == nil {
			return old, cal, nil, err
		}
		e.ID, e.CalendarID, e.Created, e.UID = old.ID, old.CalendarID, old.Created, old.UID
		e.Updated, e.Revision = now, old.Revision+1
		if c, err = normalize(e, cal.TimeZone); err != nil {
			return nil, nil, nil, err
		}
		return old, cal, c, s.prepareBooking(c, now)
	}
	var preRev uint64
	var preTZ string
	var pre *compiled
	err := s.st.View(ctx, func(tx store.Tx) error {
		old, cal, c, err := prepare(tx)
		if err == nil {
			preRev, preTZ, pre = old.Revision, cal.TimeZone, c
		}
		return err
	})
	if err != nil {
		return err
	}
	return s.st.Update(ctx, func(tx store.Tx) error {
		old, err := getEvent(tx, id)
		if err != nil {
			return err
		}
		cal, role, err := s.access(tx, actor, old.CalendarID)
		if err != nil {
			return err
		}
		c := pre
		if old.Revision != preRev || cal.TimeZone != preTZ || role < Writer {
			// Changed since prepared: prepare again (and refuse).
			if old, cal, c, err = prepare(tx); err != nil {
				return err
			}
		}
		if c == nil { // deleted
			if err := s.removeEvent(tx, old, cal); err != nil {
				return err
			}
			return appendChange(tx, Change{Type: typ, CalendarID: cal.ID, EventID: id, Actor: actor, At: now})
		}
		if err := s.book(tx, c, now); err != nil {
			return err
		}
		if err := s.writeEvent(tx, old, c, cal); err != nil {
			return err
		}
		return appendChange(tx, Change{Type: typ, CalendarID: cal.ID, EventID: id, Actor: actor, At: now})
	})
}

// DeleteEvent deletes a single event or a whole series, freeing its rooms.
func (s *Service) DeleteEvent(ctx context.Context, actor, id string) error {
	if err := s.checkActor(ctx, actor); err != nil {
		return err
	}
	err := s.mutate(ctx, actor, id, 0, EventDeleted, func(store.Tx, *Event, *Calendar) (*Event, error) {
		return nil, nil
	})
	if err != nil {
		return fmt.Errorf("calendar: delete event %q: %w", id, err)
	}
	return nil
}

// Respond records actor's answer to an invitation to event id (the whole
// series). Declined events do not count in actor's free/busy.
func (s *Service) Respond(ctx context.Context, actor, id string, answer RSVP) error {
	if err := s.checkActor(ctx, actor); err != nil {
		return err
	}
	if !answer.valid() {
		return fmt.Errorf("calendar: respond to %q: answer %q: %w", id, answer, ErrInvalid)
	}
	now := s.now().UTC()
	err := s.st.Update(ctx, func(tx store.Tx) error {
		old, err := getEvent(tx, id)
		if err != nil {
			return err
		}
		i := slices.IndexFunc(old.Attendees, func(a Attendee) bool { return a.User == actor })
		if i < 0 {
			return notAttendee(tx, old, actor)
		}
		cal, err := getCalendar(tx, old.CalendarID)
		if err != nil {
			return err
		}
		e := cloneEvent(*old)
		e.Attendees[i].Status = answer
		e.Updated, e.Revision = now, old.Revision+1
		c, err := compile(&e)
		if err != nil {
			return err
		}
		if err := s.writeEvent(tx, old, c, cal); err != nil {
			return err
		}
		return appendChange(tx, Change{Type: EventResponded, CalendarID: cal.ID, EventID: id, User: actor, Role: string(answer), Actor: actor, At: now})
	})
	if err != nil {
		return fmt.Errorf("calendar: respond to %q: %w", id, err)
	}
	return nil
}

// RespondInstance records actor's answer for one instance of a series,
// identified by its original start (declining one occurrence of a weekly
// meeting). It overrides actor's answer to the series for that instance.
func (s *Service) RespondInstance(ctx context.Context, actor, id string, originalStart time.Time, answer RSVP) error {
	if err := s.checkActor(ctx, actor); err != nil {
		return err
	}
	if !answer.valid() {
		return fmt.Errorf("calendar: respond to %q at %s: answer %q: %w", id, originalStart.Format(time.RFC3339), answer, ErrInvalid)
	}
	if err := checkTime("original start", originalStart); err != nil {
		return fmt.Errorf("calendar: respond to %q: %w", id, err)
	}
	now := s.now().UTC()
	err := s.st.Update(ctx, func(tx store.Tx) error {
		old, err := getEvent(tx, id)
		if err != nil {
			return err
		}
		if !slices.ContainsFunc(old.Attendees, func(a Attendee) bool { return a.User == actor }) {
			return notAttendee(tx, old, actor)
		}
		_, orig, err := instanceOf(old, originalStart)
		if err != nil {
			return err
		}
		cal, err := getCalendar(tx, old.CalendarID)
		if err != nil {
			return err
		}
		e := cloneEvent(*old)
		i := slices.IndexFunc(e.Exceptions, func(x Exception) bool { return x.OriginalStart.Equal(orig) })
		if i < 0 {
			e.Exceptions = append(e.Exceptions, Exception{OriginalStart: orig})
			slices.SortFunc(e.Exceptions, func(a, b Exception) int { return a.OriginalStart.Compare(b.OriginalStart) })
			i = slices.IndexFunc(e.Exceptions, func(x Exception) bool { return x.OriginalStart.Equal(orig) })
		}
		x := &e.Exceptions[i]
		if x.Cancelled {
			return fmt.Errorf("event %q: instance %s is cancelled: %w", id, orig.Format(time.RFC3339), ErrNotFound)
		}
		if x.Responses == nil {
			x.Responses = map[string]RSVP{}
		}
		x.Responses[actor] = answer
		e.Updated, e.Revision = now, old.Revision+1
		c, err := compile(&e)
		if err != nil {
			return err
		}
		if err := s.writeEvent(tx, old, c, cal); err != nil {
			return err
		}
		return appendChange(tx, Change{Type: EventResponded, CalendarID: cal.ID, EventID: id, User: actor, Role: string(answer), Actor: actor, At: now})
	})
	if err != nil {
		return fmt.Errorf("calendar: respond to %q at %s: %w", id, originalStart.Format(time.RFC3339), err)
	}
	return nil
}

func getEvent(tx store.Tx, id string) (*Event, error) {
	if id == "" {
		return nil, fmt.Errorf("empty event id: %w", ErrInvalid)
	}
	var e Event
	if err := record.Get(tx, evKey(id), &e); err != nil {
		if errors.Is(err, store.ErrNotFound) {
			return nil, fmt.Errorf("event %q: %w", id, ErrNotFound)
		}
		return nil, err
	}
	localize(&e)
	return &e, nil
}

// localize puts the times of a decoded event back in its zone.
func localize(e *Event) {
	loc, err := loadZone(e.TimeZone)
	if err != nil {
		return
	}
	in := func(t *time.Time) {
		if !t.IsZero() {
			*t = t.In(loc)
		}
	}
	in(&e.Start)
	in(&e.End)
	if e.Recurrence != nil {
		for i := range e.Recurrence.RDates {
			in(&e.Recurrence.RDates[i])
		}
		for i := range e.Recurrence.ExDates {
			in(&e.Recurrence.ExDates[i])
		}
	}
	for i := range e.Exceptions {
		x := &e.Exceptions[i]
		in(&x.OriginalStart)
		if x.Start != nil {
			t := x.Start.In(loc)
			x.Start = &t
		}
		if x.End != nil {
			t := x.End.In(loc)
			x.End = &t
		}
	}
}

func cloneRecurrence(r *Recurrence) *Recurrence {
	if r == nil {
		return nil
	}
	return &Recurrence{RRule: r.RRule, RDates: slices.Clone(r.RDates), ExDates: slices.Clone(r.ExDates)}
}

func cloneEvent(e Event) Event {
	e.Attendees = slices.Clone(e.Attendees)
	e.Rooms = slices.Clone(e.Rooms)
	e.Recurrence = cloneRecurrence(e.Recurrence)
	e.Exceptions = slices.Clone(e.Exceptions)
	for i := range e.Exceptions {
		e.Exceptions[i].Responses = maps.Clone(e.Exceptions[i].Responses)
	}
	return e
}

func busyOnly(e *Event) Event {
	return Event{
		ID: e.ID, CalendarID: e.CalendarID, Start: e.Start, End: e.End, TimeZone: e.TimeZone,
		AllDay: e.AllDay, Transparency: e.Transparency,
		Recurrence: cloneRecurrence(e.Recurrence), BusyOnly: true, Revision: e.Revision,
		Exceptions: busyExceptions(e.Exceptions),
	}
}

func busyExceptions(xs []Exception) []Exception {
	var out []Exception
	for _, x := range xs {
		out = append(out, Exception{OriginalStart: x.OriginalStart, Cancelled: x.Cancelled,
			InstanceChange: InstanceChange{Start: x.Start, End: x.End, Transparency: x.Transparency}})
	}
	return out
}

// detail levels for a viewer
type detail int

const (
	hidden detail = iota
	busy
	full
)

// detailFor says how much of ev someone with role on its calendar sees.
func detailFor(ev *Event, role Role, actor string) detail {
	if actor != "" && (actor == ev.Organizer || slices.ContainsFunc(ev.Attendees, func(a Attendee) bool { return a.User == actor })) {
		return full
	}
	switch {
	case role >= Writer:
		return full
	case role == Reader && ev.Visibility != Private:
		return full
	case role >= FreeBusy:
		return busy
	}
	return hidden
}

// notAttendee is the error for actor answering event ev they are not
// invited to: ErrNotAttendee when actor may see the event, ErrNotFound
// when not (existence does not leak).
func notAttendee(tx store.Tx, ev *Event, actor string) error {
	if cal, err := getCalendar(tx, ev.CalendarID); err == nil && detailFor(ev, roleOn(tx, cal, actor), actor) != hidden || bookedRoomVisible(tx, ev, actor) {
		return fmt.Errorf("event %q: %q: %w", ev.ID, actor, ErrNotAttendee)
	}
	return fmt.Errorf("event %q: %w", ev.ID, ErrNotFound)
}
