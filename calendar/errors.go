package calendar

import (
	"fmt"

	"github.com/workspace-go/workspace/store"
)

// Errors returned by the Service. Each wraps one of the store sentinels, so
// callers may test either: errors.Is(err, calendar.ErrRoomBooked) or
// errors.Is(err, store.ErrConflict).
var (
	// ErrCalendarNotFound reports an unknown calendar id.
	ErrCalendarNotFound = fmt.Errorf("calendar not found: %w", store.ErrNotFound)

	// ErrEventNotFound reports an unknown event id, or an instance
	// (original start) that the series does not have.
	ErrEventNotFound = fmt.Errorf("event not found: %w", store.ErrNotFound)

	// ErrRoomNotFound reports a room id that names no room calendar.
	ErrRoomNotFound = fmt.Errorf("room not found: %w", store.ErrNotFound)

	// ErrRoomBooked reports that a room is already booked for an
	// overlapping time. The message names the clashing instance and event.
	ErrRoomBooked = fmt.Errorf("room already booked: %w", store.ErrConflict)

	// ErrDuplicateUID reports that a calendar already holds another event
	// with the iCalendar UID of an event moved to it.
	ErrDuplicateUID = fmt.Errorf("uid already on calendar: %w", store.ErrConflict)

	// ErrStaleRevision reports an update made against an older revision of
	// an event than the stored one.
	ErrStaleRevision = fmt.Errorf("stale revision: %w", store.ErrConflict)

	// ErrNoAccess reports that the actor's role on a calendar is too low
	// for what was asked.
	ErrNoAccess = fmt.Errorf("no access: %w", store.ErrPermission)

	// ErrNotAttendee reports an RSVP from someone not invited.
	ErrNotAttendee = fmt.Errorf("not an attendee: %w", store.ErrPermission)

	// ErrBadTime reports a start/end pair that makes no sense: zero, end not
	// after start, an all-day bound that is not a date.
	ErrBadTime = fmt.Errorf("bad time: %w", store.ErrInvalid)

	// ErrBadTimeZone reports a time zone name that is not an IANA zone
	// known to this system.
	ErrBadTimeZone = fmt.Errorf("unknown time zone: %w", store.ErrInvalid)

	// ErrBadRecurrence reports a recurrence that cannot be used: a
	// malformed RRULE, COUNT with UNTIL, an UNTIL past year 9999, a rule
	// that produces no instance.
	ErrBadRecurrence = fmt.Errorf("bad recurrence: %w", store.ErrInvalid)

	// ErrUnbounded reports a request for every instance of a series that
	// never ends.
	ErrUnbounded = fmt.Errorf("series has no end: %w", store.ErrInvalid)

	// ErrTooLarge reports a count or size over one of the documented
	// limits (see [MaxRDates] and the other limits).
	ErrTooLarge = fmt.Errorf("%w", store.ErrTooLarge)

	// ErrBadInput reports any other invalid argument: an empty name, an
	// unknown role or status, a window that is too long.
	ErrBadInput = fmt.Errorf("bad input: %w", store.ErrInvalid)
)
