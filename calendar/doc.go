// Package calendar is the workspace calendar: personal, shared and room
// calendars; events in IANA time zones, all-day events, attendees with
// RSVP; recurring series (RRULE, RDATE, EXDATE) with changed and cancelled
// instances and "this and following" edits; meeting rooms that can never
// be double-booked; free/busy across people and rooms; find-a-time; and
// iCalendar (RFC 5545) import and export.
//
// One [Service] serves one tenant: build it over the tenant's
// [store.Namespace]. Every method takes the acting user and checks what
// they may see or change.
//
// # Calendars and access
//
// A calendar is [Personal], [Shared] or a [Resource] (a meeting room with
// name, building, floor, capacity and equipment). Access roles are ordered
// [FreeBusy] < [Reader] < [Writer] < [Owner]. Owners [Service.Share]
// calendars; a calendar's DefaultRole is what everyone in the tenant has
// (free/busy for personal calendars and rooms, reader for public shared
// calendars). [Service.Discover] lists public calendars and rooms;
// [Service.Subscribe] adds one to the user's list.
//
// A viewer with only FreeBusy never sees an event's title, description,
// location, organizer, attendees or rooms: [Instance.BusyOnly] and
// [Event.BusyOnly] mark the blanked copies. Private events show their
// details only to writers, owners, the organizer and attendees.
//
// # Events and recurrence
//
// All-day events are dates in the event's zone with an exclusive end, and
// are transparent (free) unless said otherwise, as in Google Calendar.
// Series are expanded by internal/recur (RFC 5545 rules: DST gap, DTSTART
// first, COUNT before EXDATE), never scanning from DTSTART to reach a far
// window. A changed or cancelled instance is an [Exception] keyed by its
// original start (RECURRENCE-ID). [Service.UpdateFollowing] ends a series
// and starts a new one without losing or repeating an instance;
// [Service.UpdateEvent] on a series keeps the changed instances that the
// new rule still produces (moving the series moves their keys with it).
// Attendees answer for a series ([Service.Respond]) or for one instance
// ([Service.RespondInstance]).
//
// [Service.Instances] returns the instances overlapping a window (an
// instance that started before it and is still running included) on the
// calendars in the user's list and the events the user is invited to, as
// a [store.Page]: at most [MaxPageSize] a page, each page expanding at
// most its limit (plus two) instances of each series, so thirty endless
// secondly invitations cost a page what one weekly meeting costs.
//
// # Moving events
//
// [Service.MoveEvent] moves an event or a whole series, with its changed
// and cancelled instances, attendees, answers and rooms, to another
// calendar in one transaction, such as from a personal calendar to a
// team's shared one. The actor must be a writer on both calendars; room
// calendars never receive events. The event keeps its id, UID, time zone
// and absolute times (all-day events their dates), as Google Calendar
// does, and its organizer: a move between calendars the actor writes is
// not a change of organizer. Everything derived from the calendar follows
// it: the calendars' listings, instances, exports and subscribers' views,
// and free/busy (leaving a personal calendar, the event no longer makes
// its owner busy unless they are an attendee). Rooms stay booked at the
// same times and are re-checked in the transaction. The change log gets
// one [EventMoved] [Change] naming both calendars. Moving an event to
// the calendar it is on does nothing.
//
// # Rooms
//
// Rooms are booked by listing them in [Event.Rooms]. A room with a
// Capacity takes at most that many people (the organizer and the
// attendees who have not declined): a bigger booking is refused with
// [ErrRoomTooSmall] (an [store.ErrConflict]), as a clash is; a room
// without a Capacity takes any number. The clash check runs
// in the same transaction as the write, so of two overlapping bookings
// made at once exactly one wins and the other fails with [ErrRoomBooked]
// (an [store.ErrConflict]) naming the clash. Recurring bookings: every
// instance starting within the booking horizon (two years from the later
// of now and the series start, [WithBookingHorizon]) is checked, and if any
// clashes the whole series is refused, naming the first clashing instance;
// nothing is written. Cancel that instance or choose another room. A
// series is checked in full or refused: one with more than
// [MaxRoomInstances] instances in the horizon ([ErrTooLarge]) or
// repeating within [MinRoomRepeat], such as FREQ=SECONDLY
// ([ErrBadRecurrence]), cannot book a room.
// Existing series are always expanded over the window of a new booking,
// so a single booking years ahead still meets a weekly series.
//
// # Reminders
//
// A [Reminder] fires some minutes before each instance (all-day events:
// before the midnight starting their date in the attendee's zone, that of
// their working hours, so 900 minutes is 09:00 the day before wherever
// they are) or at an absolute time. A calendar has default reminders for
// timed and all-day events ([Calendar.DefaultReminders],
// [Service.SetDefaultReminders]; none until set; [DefaultReminder] and
// [DefaultAllDayReminder] are the usual ones); an event's Reminders
// replace them for everyone, and an attendee's own ([Service.SetMyReminders])
// replace the event's for them. Each list holds at most [MaxReminders],
// each at most [MaxReminderMinutes] ahead. Import and export carry an
// event's own reminders as VALARMs (ACTION:DISPLAY).
//
// [Service.Sweep] emits a [ReminderDue] change per reminder, instance and
// person (organizer and attendees who have not declined), once, even with
// several nodes sweeping the store; [Service.NextSweep] says when. An
// index entry per event, kept by the event's own transactions, holds the
// time its next reminder may be due, so Sweep reads only those events;
// for a series it is found from the rule, looking at most 64 instances
// ahead at a time.
//
// # Free/busy and find-a-time
//
// [Service.FreeBusy] merges the busy intervals of people (events on their
// personal calendars and invitations not declined; transparent events and
// instances do not count) and rooms (every booking). Anyone in the tenant
// may ask, as in Google Workspace and Feishu; only times are returned.
//
// [Service.FindTime] proposes slots when every required attendee is free
// and inside their working hours ([Service.SetWorkingHours], in their own
// zone; Monday to Friday 09:00-18:00 in their calendar's zone by default)
// and, when asked, a room with enough seats and the equipment is free;
// slots where more optional attendees are free rank first, then earlier
// ones.
//
// # iCalendar
//
// [Service.ExportCalendar] and [Service.ExportEvent] write RFC 5545;
// [Service.Import] reads it tolerantly: a component it cannot use is
// reported and skipped, the rest imported in transactions of
// [ImportBatch] events; it never
// panics (it is fuzzed). Import, export and import again keeps every
// instance, including changed, cancelled and individually declined ones.
//
// # Errors, limits and the wire format
//
// Errors wrap [ErrNotFound], [ErrInvalid], [ErrTooLarge], [ErrPermission]
// or a specific sentinel ([ErrRoomBooked], [ErrBadTime], ...), each
// wrapping the store's; a calendar or event the actor may not see is
// [ErrNotFound], never [ErrPermission]. Every size a caller controls has
// a documented limit (limits.go: [MaxRDates], [MaxExDates],
// [MaxExceptions], [MaxRoomInstances], [MaxPageSize], [MaxCandidates],
// [MaxAttendees], ...) and every time the years [MinYear]..[MaxYear];
// a breach is refused before any transaction. The work that grows with an
// event (normalising RDATEs, EXDATEs and overrides, expanding a room
// booking) is done before the write transaction, which only re-checks
// access and bookings: at the limits, no call holds the commit path for
// more than about 60 ms (BenchmarkCommitHold).
//
// Every type sent to clients has snake_case JSON tags; [Role] is its name
// ("reader"); times are RFC 3339. Stored events and calendars use the same
// encoding (a calendar stored with a numeric role still reads); the
// timing records beside series (timing.go) have an encoding of their own.
// [FindTimeRequest] durations are nanoseconds.
//
// # Change log
//
// Every mutation appends a [Change] of [Kind] "calendar" in its own
// transaction, with a [ChangeType] constant per record ([EventCreated],
// ...); read it with [DecodeChange], which refuses a malformed record of
// this package with an error wrapping [store.ErrInvalid].
//
// # Trusted reads
//
// [Service.System] returns a [System], whose reads skip the actor check;
// it is for code acting for the system, such as a search indexer.
//
// # Concurrency
//
// A Service is safe for concurrent use. It starts no goroutines. Every
// mutation is one store transaction, including its index entries and
// change record, so nothing is ever half-written and room bookings are
// serialised by the store.
//
// # Caveats
//
// Instances of a recurring room booking beyond the booking horizon are not
// checked. A series split by [Service.UpdateFollowing] is two events:
// moving one leaves the other where it is.
// Export writes a VTIMEZONE per zone, with the zone's transitions over
// the exported events' years (to five years ahead for series without an
// end) from the system's zone database; import does not read VTIMEZONE
// definitions but resolves TZIDs by name (IANA, vendor-prefixed, common
// Windows names), and takes RECURRENCE-ID;RANGE=THISANDFUTURE as a
// change of that one instance.
//
// A reminder whose instance has ended before anyone swept is not sent.
// An attendee who changes their zone after Sweep planned an all-day
// event's reminder may get it up to a day early or late. Emission keys of
// a deleted event's coming instances stay in the store until that
// event's id is reused or the store is compacted; those of past
// instances are pruned by Sweep.
//
// Window queries are limited to [MaxWindow]. A person's free/busy (and
// find-a-time) expands at most 100,000 instances of their series in all
// and is cut there (single events always count), so a flood of dense
// invitations can hide some of their busy time but not stall the call; a
// room's series are checked in full or refused.
// Event starts are limited to the years 1900 to 2200. Compiled series are
// cached per event revision (at most 65,536 entries), with their instances
// memoised in 14-day blocks: the first free/busy query after a start or a
// change expands series from the stored rule and is slower than later
// ones.
package calendar
