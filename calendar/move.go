package calendar

import (
	"context"
	"errors"
	"fmt"

	"github.com/workspace-go/workspace/store"
)

// MoveEvent moves event id, a single event or a whole series, to calendar
// toCalendar: its changed and cancelled instances, attendees and their
// answers (to the series and to single instances) and rooms go with it.
// It returns the moved event as actor sees it.
//
// Actor needs Writer on both calendars; otherwise the error wraps
// [ErrPermission]. A room calendar cannot receive events (book a room
// through the event's Rooms): the error wraps [ErrInvalid]. A calendar
// that already holds another event with the same iCalendar UID refuses
// it with [ErrDuplicateUID]. rev, when not 0, must equal the stored
// revision ([ErrStaleRevision]). Moving an event to the calendar it is
// on, after the same checks on that calendar, changes and logs nothing.
//
// The event keeps its id, UID, organizer, time zone and times: a timed
// event keeps its absolute times and an all-day one its dates, whatever
// the new calendar's zone, as in Google Calendar. Its index entries follow
// it, so the old calendar's readers, subscribers and exports no longer
// see it and the new calendar's do, each with their own level of detail
// (a private event's details still show only to the new calendar's
// writers, the organizer and attendees). Leaving a personal calendar, the
// event no longer makes that calendar's owner busy unless they are an
// attendee. The rooms are re-checked in the same transaction, like every
// other change, and stay booked at the same times.
//
// The move is one transaction, with one change of [EventMoved]
// whose CalendarID is the new calendar and FromCalendarID the old one.
func (s *Service) MoveEvent(ctx context.Context, actor, id, toCalendar string, rev uint64) (Event, error) {
	if err := s.checkActor(ctx, actor); err != nil {
		return Event{}, err
	}
	now := s.now().UTC()
	err := s.st.Update(ctx, func(tx store.Tx) error {
		old, err := getEvent(tx, id)
		if err != nil {
			return err
		}
		from, role, err := s.access(tx, actor, old.CalendarID)
		if err != nil {
			return err
		}
		if role < Writer {
			return denied(from.ID, actor, role, Writer)
		}
		if rev != 0 && rev != old.Revision {
			return fmt.Errorf("event %q: revision %d, stored %d: %w", id, rev, old.Revision, ErrStaleRevision)
		}
		if toCalendar == from.ID {
			return nil
		}
		to, role, err := s.access(tx, actor, toCalendar)
		if err != nil {
			return err
		}
		// Rooms are discoverable by everyone, so saying that this is one
		// before checking the role tells nothing new and says what to do.
		if to.Kind == Resource {
			return fmt.Errorf("calendar %q is a room: book it through an event's Rooms: %w", to.ID, ErrInvalid)
		}
		if role < Writer {
			return denied(to.ID, actor, role, Writer)
		}
		switch v, err := tx.Get(uidKey(to.ID, old.UID)); {
		case err == nil && string(v) != old.ID:
			return fmt.Errorf("calendar %q: event %q has UID %q too: %w", to.ID, string(v), old.UID, ErrDuplicateUID)
		case err != nil && !errors.Is(err, store.ErrNotFound):
			return err
		}

		e := cloneEvent(*old)
		e.CalendarID = to.ID
		e.Updated, e.Revision = now, old.Revision+1
		// Nothing but the calendar changes, so the event is not normalised
		// again: the target's zone must not re-zone it.
		c, err := compile(&e)
		if err != nil {
			return fmt.Errorf("stored event %q: %w", id, err)
		}
		if err := s.book(tx, c, now); err != nil {
			return err
		}
		// The old entries are removed with the old calendar: a personal
		// calendar's owner is indexed through it.
		if err := s.removeEvent(tx, old, from); err != nil {
			return err
		}
		if err := s.writeEvent(tx, nil, c, to); err != nil {
			return err
		}
		return appendChange(tx, Change{Type: EventMoved, CalendarID: to.ID, FromCalendarID: from.ID, EventID: id, Actor: actor, At: now})
	})
	if err != nil {
		return Event{}, fmt.Errorf("calendar: move event %q to %q: %w", id, toCalendar, err)
	}
	return s.eventAfter(ctx, actor, id)
}
