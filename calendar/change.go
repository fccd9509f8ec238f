package calendar

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/workspace-go/workspace/internal/record"
	"github.com/workspace-go/workspace/store"
)

// ChangeType says what a change record reports.
type ChangeType string

// Change types, one per record this package appends.
const (
	CalendarCreated      ChangeType = "calendar.created"
	CalendarDeleted      ChangeType = "calendar.deleted"
	CalendarShared       ChangeType = "calendar.shared" // User got Role (a NoRole grant revokes)
	CalendarSubscribed   ChangeType = "calendar.subscribed"
	CalendarUnsubscribed ChangeType = "calendar.unsubscribed"
	EventCreated         ChangeType = "event.created"
	// EventUpdated also reports changed and cancelled instances.
	EventUpdated ChangeType = "event.updated"
	// EventMoved reports a move to CalendarID from FromCalendarID.
	EventMoved      ChangeType = "event.moved"
	EventDeleted    ChangeType = "event.deleted"
	EventResponded  ChangeType = "event.responded" // User answered Role
	WorkingHoursSet ChangeType = "workinghours.set"
	// CalendarUpdated reports a change of a calendar's settings (its
	// default reminders).
	CalendarUpdated ChangeType = "calendar.updated"
	// ReminderDue reports that a reminder of EventID's instance starting
	// at InstanceStart is due for User (see [Service.Sweep]).
	ReminderDue ChangeType = "reminder.due"
)

// Change is one record this package writes to the store's change log,
// under [Kind]. It is also the wire form of the record.
type Change struct {
	Type ChangeType `json:"type"`
	// CalendarID is the calendar concerned; for EventMoved, the one the
	// event is now on.
	CalendarID string `json:"calendar_id,omitempty"`
	// FromCalendarID is, for EventMoved, the calendar the event left.
	FromCalendarID string `json:"from_calendar_id,omitempty"`
	EventID        string `json:"event_id,omitempty"`
	// User is the grantee, subscriber or responder.
	User string `json:"user,omitempty"`
	// Role is the role granted (CalendarShared) or the answer given
	// (EventResponded).
	Role string `json:"role,omitempty"`
	// InstanceStart and Title are set on ReminderDue: the instance's
	// (original) start and its title. Minutes is the reminder's lead
	// (0 for an absolute reminder or one at the start).
	InstanceStart time.Time `json:"instance_start,omitzero"`
	Title         string    `json:"title,omitempty"`
	Minutes       int       `json:"minutes,omitempty"`
	Actor         string    `json:"actor"`
	At            time.Time `json:"at"`
}

// DecodeChange decodes a change-log record. For another package's record
// it returns ok false and no error; for one of [Kind], the change, or an
// error wrapping [store.ErrInvalid] when the record is malformed (it does
// not decode, or has no known Type).
func DecodeChange(c store.Change) (ch Change, ok bool, err error) {
	if c.Kind != Kind {
		return Change{}, false, nil
	}
	if err := json.Unmarshal(c.Data, &ch); err != nil {
		return Change{}, true, fmt.Errorf("calendar: decode change %d: %w: %w", c.Seq, ErrInvalid, err)
	}
	switch ch.Type {
	case CalendarCreated, CalendarDeleted, CalendarShared, CalendarSubscribed, CalendarUnsubscribed,
		EventCreated, EventUpdated, EventMoved, EventDeleted, EventResponded, WorkingHoursSet, CalendarUpdated, ReminderDue:
		return ch, true, nil
	}
	return Change{}, true, fmt.Errorf("calendar: decode change %d: type %q: %w", c.Seq, ch.Type, ErrInvalid)
}

func appendChange(tx store.Tx, c Change) error {
	_, err := record.Append(tx, Kind, c)
	return err
}
