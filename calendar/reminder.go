package calendar

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/workspace-go/workspace/internal/record"
	"github.com/workspace-go/workspace/store"
)

// Reminder is one alarm of an event (iCalendar VALARM with ACTION:DISPLAY).
//
// A relative reminder fires Minutes before each instance's start. For an
// all-day event the start is midnight at the beginning of its date in the
// attendee's zone (the zone of their working hours, see
// [Service.SetWorkingHours]), so Minutes 900 fires at 09:00 the day
// before wherever the attendee is, as [DefaultAllDayReminder] does.
//
// An absolute reminder (At set) fires once, at At, for the event's first
// instance.
type Reminder struct {
	// Minutes before the start, 0 to [MaxReminderMinutes].
	Minutes int `json:"minutes"`
	// At, when not zero, is the absolute time the reminder fires at;
	// Minutes is then ignored.
	At time.Time `json:"at,omitzero"`
}

// Limits and defaults of reminders.
const (
	// MaxReminders is the most reminders one list (a calendar's defaults,
	// an event's overrides, an attendee's overrides) may hold.
	MaxReminders = 5
	// MaxReminderMinutes is the longest a reminder may fire before its
	// instance: four weeks.
	MaxReminderMinutes = 4 * 7 * 24 * 60
)

// Suggested defaults for a calendar's DefaultReminders and
// DefaultAllDayReminders: 15 minutes before a timed event, 09:00 the day
// before an all-day one. A calendar has no default reminders until its
// owner sets some.
var (
	DefaultReminder       = Reminder{Minutes: 15}
	DefaultAllDayReminder = Reminder{Minutes: 15 * 60}
)

// checkReminders checks one list of reminders.
func checkReminders(what string, rs []Reminder) error {
	if len(rs) > MaxReminders {
		return fmt.Errorf("%s: %d reminders, at most %d: %w", what, len(rs), MaxReminders, ErrTooLarge)
	}
	for _, r := range rs {
		if !r.At.IsZero() {
			if err := checkTime(what+": reminder", r.At); err != nil {
				return err
			}
			continue
		}
		if r.Minutes < 0 || r.Minutes > MaxReminderMinutes {
			return fmt.Errorf("%s: reminder %d minutes before, 0 to %d: %w", what, r.Minutes, MaxReminderMinutes, ErrInvalid)
		}
	}
	return nil
}

// checkEventReminders checks the reminder lists of ev.
func checkEventReminders(ev *Event) error {
	if ev.Reminders != nil {
		if err := checkReminders("event", *ev.Reminders); err != nil {
			return err
		}
	}
	for _, a := range ev.Attendees {
		if a.Reminders != nil {
			if err := checkReminders("attendee "+a.User, *a.Reminders); err != nil {
				return err
			}
		}
	}
	return nil
}

// normReminders sorts and deduplicates a list, keeping its nil-ness.
func normReminders(p *[]Reminder) *[]Reminder {
	if p == nil {
		return nil
	}
	rs := slices.Clone(*p)
	if rs == nil {
		rs = []Reminder{}
	}
	for i := range rs {
		if !rs[i].At.IsZero() {
			rs[i].Minutes = 0
		}
	}
	slices.SortFunc(rs, func(a, b Reminder) int {
		if c := a.At.Compare(b.At); c != 0 {
			return c
		}
		return a.Minutes - b.Minutes
	})
	rs = slices.CompactFunc(rs, func(a, b Reminder) bool { return a.Minutes == b.Minutes && a.At.Equal(b.At) })
	return &rs
}

// remindersFor returns the reminders that apply to user on ev: their own
// overrides, else the event's, else the calendar's defaults.
func remindersFor(ev *Event, cal *Calendar, user string) []Reminder {
	for _, a := range ev.Attendees {
		if a.User == user && a.Reminders != nil {
			return *a.Reminders
		}
	}
	if ev.Reminders != nil {
		return *ev.Reminders
	}
	if ev.AllDay {
		return cal.DefaultAllDayReminders
	}
	return cal.DefaultReminders
}

// SetDefaultReminders sets the default reminders of calendar id: timed
// for timed events and allDay for all-day ones (each at most
// [MaxReminders]; nil or empty for none). The actor must be a writer. The
// calendar's events that use the defaults are re-armed in later
// transactions of [ImportBatch] events; a failure there is returned and
// a retry finishes the job.
func (s *Service) SetDefaultReminders(ctx context.Context, actor, id string, timed, allDay []Reminder) error {
	if err := checkReminders("default", timed); err != nil {
		return fmt.Errorf("calendar: set default reminders of %q: %w", id, err)
	}
	if err := checkReminders("default all-day", allDay); err != nil {
		return fmt.Errorf("calendar: set default reminders of %q: %w", id, err)
	}
	t, a := normReminders(&timed), normReminders(&allDay)
	err := s.st.Update(ctx, func(tx store.Tx) error {
		c, err := getCalendar(tx, id)
		if err != nil {
			return err
		}
		role := roleOn(tx, c, actor)
		if role < Reader {
			return ErrNotFound
		}
		if role < Writer {
			return ErrPermission
		}
		c.DefaultReminders, c.DefaultAllDayReminders = nil, nil
		if len(*t) > 0 {
			c.DefaultReminders = *t
		}
		if len(*a) > 0 {
			c.DefaultAllDayReminders = *a
		}
		if err := record.Put(tx, calKey(id), c); err != nil {
			return err
		}
		return appendChange(tx, Change{Type: CalendarUpdated, CalendarID: id, Actor: actor, At: s.now()})
	})
	if err != nil {
		return fmt.Errorf("calendar: set default reminders of %q: %w", id, err)
	}
	if err := s.rearmCalendar(ctx, id); err != nil {
		return fmt.Errorf("calendar: set default reminders of %q: %w", id, err)
	}
	return nil
}

// SetMyReminders sets actor's own reminders for event id, which they are
// invited to: rs (at most [MaxReminders]) replaces the reminders they get
// from the event and calendar; nil goes back to those.
func (s *Service) SetMyReminders(ctx context.Context, actor, id string, rs *[]Reminder) error {
	if rs != nil {
		if err := checkReminders("attendee "+actor, *rs); err != nil {
			return fmt.Errorf("calendar: set reminders of %q on %q: %w", actor, id, err)
		}
	}
	rs = normReminders(rs)
	err := s.st.Update(ctx, func(tx store.Tx) error {
		old, err := getEvent(tx, id)
		if err != nil {
			return err
		}
		cal, err := getCalendar(tx, old.CalendarID)
		if err != nil {
			return err
		}
		i := slices.IndexFunc(old.Attendees, func(a Attendee) bool { return a.User == actor })
		if i < 0 {
			return notAttendee(tx, old, actor)
		}
		ev := cloneEvent(*old)
		ev.Attendees = slices.Clone(ev.Attendees)
		ev.Attendees[i].Reminders = rs
		ev.Revision++
		ev.Updated = s.now()
		c, err := compile(&ev)
		if err != nil {
			return err
		}
		if err := s.writeEvent(tx, old, c, cal); err != nil {
			return err
		}
		return appendChange(tx, Change{Type: EventUpdated, CalendarID: ev.CalendarID, EventID: id, User: actor, Actor: actor, At: s.now()})
	})
	if err != nil {
		return fmt.Errorf("calendar: set reminders of %q on %q: %w", actor, id, err)
	}
	return nil
}
