package calendar

import (
	"fmt"

	"github.com/workspace-go/workspace/store"
)

// Errors returned by the Service. Each wraps one of the store sentinels, so
// callers may test either: errors.Is(err, calendar.ErrRoomBooked) or
// errors.Is(err, store.ErrConflict); [store.Code] gives the stable code.
// Messages name the operation and the thing: `calendar: get event "e_1":
// not found`.
var (
	// ErrNotFound reports an unknown calendar, event or room id, an
	// instance (original start) that a series does not have, and a
	// calendar or event the actor may not see: existence never leaks.
	ErrNotFound = fmt.Errorf("%w", store.ErrNotFound)

	// ErrInvalid reports an invalid argument: an empty name, an unknown
	// role or status, a malformed page. The specific ErrBadTime,
	// ErrBadTimeZone, ErrBadRecurrence and ErrUnbounded wrap it.
	ErrInvalid = fmt.Errorf("%w", store.ErrInvalid)

	// ErrTooLarge reports a count or size over one of the documented
	// limits ([MaxRDates] and the others in limits.go).
	ErrTooLarge = fmt.Errorf("%w", store.ErrTooLarge)

	// ErrPermission reports that the actor's role on a calendar they can
	// see is too low for what was asked.
	ErrPermission = fmt.Errorf("%w", store.ErrPermission)

	// ErrRoomBooked reports that a room is already booked for an
	// overlapping time. The message names the clashing instance and event.
	ErrRoomBooked = fmt.Errorf("room already booked: %w", store.ErrConflict)

	// ErrRoomTooSmall reports a booking of a room for more people (the
	// organizer and the attendees who have not declined) than its
	// Capacity. It is a conflict with the room as it is, like
	// ErrRoomBooked: the same request succeeds in a bigger room or once
	// the room's capacity is raised, so it is not malformed input.
	ErrRoomTooSmall = fmt.Errorf("room too small: %w", store.ErrConflict)

	// ErrDuplicateUID reports that a calendar already holds another event
	// with the iCalendar UID of an event moved to it.
	ErrDuplicateUID = fmt.Errorf("uid already on calendar: %w", store.ErrConflict)

	// ErrStaleRevision reports an update made against an older revision of
	// an event than the stored one.
	ErrStaleRevision = fmt.Errorf("stale revision: %w", store.ErrConflict)

	// ErrNotAttendee reports an RSVP from someone not invited.
	ErrNotAttendee = fmt.Errorf("not an attendee: %w", store.ErrPermission)

	// ErrBadTime reports a time that makes no sense: zero, a year outside
	// [MinYear]..[MaxYear], an end not after its start, an all-day bound
	// that is not a date.
	ErrBadTime = fmt.Errorf("bad time: %w", ErrInvalid)

	// ErrBadTimeZone reports a time zone name that is not an IANA zone
	// known to this system.
	ErrBadTimeZone = fmt.Errorf("unknown time zone: %w", ErrInvalid)

	// ErrBadRecurrence reports a recurrence that cannot be used: a
	// malformed RRULE, COUNT with UNTIL, an UNTIL past year 9999, a rule
	// that produces no instance, a room booking repeating within
	// [MinRoomRepeat].
	ErrBadRecurrence = fmt.Errorf("bad recurrence: %w", ErrInvalid)

	// ErrUnbounded reports a request for every instance of a series that
	// never ends.
	ErrUnbounded = fmt.Errorf("series has no end: %w", ErrInvalid)
)

// denied is the error for actor's role on calendar id being below need:
// ErrNotFound when actor may not see the calendar at all, so that its
// existence does not leak; ErrPermission otherwise.
func denied(id, actor string, role, need Role) error {
	if role < FreeBusy {
		return fmt.Errorf("calendar %q: %w", id, ErrNotFound)
	}
	return fmt.Errorf("calendar %q: %q is %v, needs %v: %w", id, actor, role, need, ErrPermission)
}
