package calendar

import (
	"fmt"
	"time"
	"unicode/utf8"
)

// Limits on what a caller may ask for. Each bounds the work one call can
// cause, so that no call holds the store's commit path for long (bbolt has
// one writer for every tenant of a file); a request over a limit is
// refused with an error wrapping [ErrTooLarge] (a count) or [ErrInvalid]
// (a time), before anything is read or written.
const (
	// MaxRDates is the most RDATEs a series may have.
	MaxRDates = 10_000
	// MaxExDates is the most EXDATEs a series may have.
	MaxExDates = 10_000
	// MaxExceptions is the most changed, cancelled or individually
	// answered instances a series may have.
	MaxExceptions = 10_000

	// MaxRoomInstances is the most instances a recurring room booking may
	// have within the booking horizon: every one is checked for clashes,
	// so a series with more is refused rather than half checked. Hourly
	// for two years (17,520) fits; an endless minutely series does not.
	MaxRoomInstances = 20_000
	// MinRoomRepeat is the shortest time between two instance starts of
	// a recurring room booking: a series repeating more often (FREQ=SECONDLY,
	// several BYSECOND values, RDATEs seconds apart) is refused.
	MinRoomRepeat = time.Minute

	// DefaultPageSize is the number of instances a page holds when the
	// query does not say.
	DefaultPageSize = 1_000
	// MaxPageSize is the most instances one page may hold: a view is
	// expanded a page at a time, at most MaxPageSize+1 instances of each
	// series, however many series (and however dense) it holds.
	MaxPageSize = 10_000

	// MaxViewExpansion bounds the instances one page of Instances expands
	// across its series: with more than MaxViewExpansion/(limit+2) series
	// in the view, each is expanded less far (at least two instances) and
	// the page ends earlier.
	MaxViewExpansion = 200_000

	// MaxCandidates is the largest Limit of a FindTime request.
	MaxCandidates = 1_000
	// MaxFindTimePeople is the most people (required and optional) one
	// FindTime request may ask about; MaxFreeBusyTargets the most users
	// and rooms one FreeBusy query may.
	MaxFindTimePeople  = MaxAttendees
	MaxFreeBusyTargets = 1_000

	// MaxListed is the most calendars (owned and subscribed) in one
	// person's calendar list: Instances reads each of them.
	MaxListed = 1_000

	// MaxClientKey is the longest ClientKey of a create, in bytes.
	MaxClientKey = 256

	// MinYear and MaxYear bound every time the API takes: a time outside
	// them (or the zero time, where a time is needed) is refused with
	// [ErrBadTime]. Event starts are held to narrower years (1900 to
	// 2200, see the package doc).
	MinYear = 1
	MaxYear = 9999
)

// checkTime refuses the zero time and a time outside MinYear..MaxYear.
func checkTime(what string, t time.Time) error {
	if t.IsZero() {
		return fmt.Errorf("%s: no time: %w", what, ErrBadTime)
	}
	if y := t.UTC().Year(); y < MinYear || y > MaxYear || t.Year() < MinYear || t.Year() > MaxYear {
		return fmt.Errorf("%s: year %d outside %d-%d: %w", what, t.Year(), MinYear, MaxYear, ErrBadTime)
	}
	return nil
}

// checkTimes is checkTime over ts, which may hold at most limit times.
func checkTimes(what string, ts []time.Time, limit int) error {
	if len(ts) > limit {
		return fmt.Errorf("%d %s, at most %d: %w", len(ts), what, limit, ErrTooLarge)
	}
	for _, t := range ts {
		if err := checkTime(what, t); err != nil {
			return err
		}
	}
	return nil
}

// checkBounds checks the sizes and times of ev that normalize's work grows
// with, before any transaction: counts of RDATEs, EXDATEs, exceptions and
// attendees, and every time's year.
func checkBounds(ev *Event) error {
	if err := checkTime("start", ev.Start); err != nil {
		return err
	}
	if !ev.End.IsZero() {
		if err := checkTime("end", ev.End); err != nil {
			return err
		}
	}
	if len(ev.Attendees) > MaxAttendees {
		return fmt.Errorf("%d attendees, at most %d: %w", len(ev.Attendees), MaxAttendees, ErrTooLarge)
	}
	if len(ev.Rooms) > MaxAttendees {
		return fmt.Errorf("%d rooms, at most %d: %w", len(ev.Rooms), MaxAttendees, ErrTooLarge)
	}
	if rc := ev.Recurrence; rc != nil {
		if err := checkTimes("RDATEs", rc.RDates, MaxRDates); err != nil {
			return err
		}
		if err := checkTimes("EXDATEs", rc.ExDates, MaxExDates); err != nil {
			return err
		}
	}
	if len(ev.Exceptions) > MaxExceptions {
		return fmt.Errorf("%d changed instances, at most %d: %w", len(ev.Exceptions), MaxExceptions, ErrTooLarge)
	}
	for i := range ev.Exceptions {
		x := &ev.Exceptions[i]
		if err := checkTime("instance", x.OriginalStart); err != nil {
			return err
		}
		if err := checkChangeTimes(&x.InstanceChange); err != nil {
			return err
		}
		if len(x.Responses) > MaxAttendees {
			return fmt.Errorf("instance %s: %d answers, at most %d: %w", x.OriginalStart.Format(time.RFC3339), len(x.Responses), MaxAttendees, ErrTooLarge)
		}
	}
	return nil
}

func checkChangeTimes(ch *InstanceChange) error {
	if ch.Start != nil {
		if err := checkTime("instance start", *ch.Start); err != nil {
			return err
		}
	}
	if ch.End != nil {
		if err := checkTime("instance end", *ch.End); err != nil {
			return err
		}
	}
	return nil
}

// checkPatch is checkBounds for what p sets.
func checkPatch(p *EventPatch) error {
	for _, t := range []*time.Time{p.Start, p.End} {
		if t != nil && !t.IsZero() {
			if err := checkTime("time", *t); err != nil {
				return err
			}
		}
	}
	if p.Attendees != nil && len(*p.Attendees) > MaxAttendees {
		return fmt.Errorf("%d attendees, at most %d: %w", len(*p.Attendees), MaxAttendees, ErrTooLarge)
	}
	if p.Rooms != nil && len(*p.Rooms) > MaxAttendees {
		return fmt.Errorf("%d rooms, at most %d: %w", len(*p.Rooms), MaxAttendees, ErrTooLarge)
	}
	if rc := p.Recurrence; rc != nil {
		if err := checkTimes("RDATEs", rc.RDates, MaxRDates); err != nil {
			return err
		}
		if err := checkTimes("EXDATEs", rc.ExDates, MaxExDates); err != nil {
			return err
		}
	}
	return nil
}

func checkClientKey(k string) error {
	if len(k) > MaxClientKey {
		return fmt.Errorf("client key of %d bytes, at most %d: %w", len(k), MaxClientKey, ErrTooLarge)
	}
	if !utf8.ValidString(k) {
		return fmt.Errorf("client key is not UTF-8: %w", ErrInvalid)
	}
	return nil
}
