// Package recur expands RFC 5545 recurrences (RRULE, RDATE, EXDATE) for the
// calendar: which instances of a series start in a window, the next one, the
// last one, all of a finite series, and the series cut short for a "this and
// following" edit.
//
// # Semantics
//
// Instances are generated on the series' wall clock in its Location (RFC
// 5545 "local time with a time zone reference"): a 09:00 weekly meeting stays
// at 09:00 across DST. A local time that does not exist (a spring-forward
// gap) is read with the offset in force before the gap, so 02:30 becomes
// 03:30 after a one-hour jump; a local time that occurs twice (fall back) is
// its first occurrence (RFC 5545 3.3.5). DTSTART is always the first instance,
// even when it does not match the rule, and it counts toward COUNT (RFC 5545
// 3.8.5.3; Google Calendar and Outlook do the same). COUNT counts the rule's
// instances before EXDATE removes any; RDATEs come on top. An UNTIL in UTC is
// compared as an instant, a local or DATE UNTIL as wall time, inclusively.
// An all-day series (DTSTART;VALUE=DATE) has date instances, returned as the
// local midnight that starts each date. BYSETPOS in a WEEKLY rule picks from
// the whole week starting at WKST, DTSTART's own week included (rrule-go
// would pick from what is left of that week after DTSTART).
//
// The common DAILY, WEEKLY and MONTHLY rules (no BYSETPOS; any BYDAY,
// BYMONTHDAY, BYMONTH, INTERVAL, COUNT or UNTIL) are expanded by day
// arithmetic in this package, which yields exactly what rrule-go would for
// them at a fraction of the cost (a test compares the two on thousands of
// random rules). The other YEARLY, MONTHLY, WEEKLY and DAILY rules are
// expanded by github.com/teambition/rrule-go, driven so as to avoid its
// known gaps: it
// runs on wall-clock times written as UTC (no time.Date inside a DST gap),
// with every BY* value DTSTART implies made explicit, from a synthetic
// DTSTART at the start of the rule period holding the window (so a window
// years after DTSTART costs microseconds, not a walk from DTSTART). A COUNT
// rule jumps the same way once its last instance is known (found once per
// Set, by one walk of at most [MaxCount] instances). HOURLY, MINUTELY and
// SECONDLY rules are walked by this package, which skips days, hours and
// minutes that cannot match and stops at the window's end (rrule-go steps
// through them one period at a time, and past the window until it finds an
// instance). The RRULE text is parsed here too: rrule-go rejects a trailing
// ';', cannot tell a DATE from a local or UTC UNTIL, and accepts COUNT with
// UNTIL.
//
// # Bounded work
//
// Every call terminates quickly. Compile refuses rules that can never
// produce an instance (by arithmetic where rrule-go would loop forever, by a
// search capped at one 400-year calendar cycle otherwise; a rule whose first
// instance lies beyond year 9999 counts as never), COUNT above [MaxCount],
// INTERVAL above a million, and dates outside years 1-9999. A rule that is
// not refused has its next instance less than a cycle away, which bounds the
// work of any window. Between returns at most [MaxInstances] instances; All
// refuses an endless series or one with more than [MaxInstances] instances
// ([ErrUnbounded]). An UNTIL before DTSTART is accepted: the series is then
// DTSTART alone.
//
// # Concurrency
//
// A [Set] is safe for concurrent use; it caches the last instance of
// COUNT and finite series on first use. Compile once per series and reuse.
// Compile is safe for concurrent use too: it shares parsed rules (up to
// 256 bytes long) and what a rule implies for a DTSTART's month, day,
// weekday and time of day between sets, through process-wide caches of at
// most 4,096 entries each, read only once filled.
//
// # Caveats
//
// A [time.Time] cannot say which wall time was meant inside a DST gap:
// build Start, RDates and ExDates with [LocalTime] from the iCalendar wall
// time, not with time.Date, to get RFC 5545's answer. HOURLY, MINUTELY and
// SECONDLY rules step on the wall clock too: the hour a spring-forward skips
// folds into the next (two wall times on one instant give one instance) and
// the hour an autumn change repeats occurs once. Instances have second
// precision. BYSECOND=60 (leap seconds) is refused, as is the non-standard
// BYEASTER; X- parts are ignored. The RFC's "MUST NOT" combinations (BYWEEKNO
// outside YEARLY, BYYEARDAY with DAILY/WEEKLY/MONTHLY, BYMONTHDAY with
// WEEKLY, numbered BYDAY outside MONTHLY/YEARLY) are refused, as is a
// weekday numbered beyond 5 within a month (MONTHLY, or YEARLY with BYMONTH).
package recur
