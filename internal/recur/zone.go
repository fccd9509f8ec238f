package recur

import "time"

// Instances are computed on "floating" wall-clock times: the local date and
// time of the series written as a UTC time.Time. They become instants only at
// the end, through resolve, which applies RFC 5545's rules for the two DST
// transitions. This keeps 09:00 at 09:00 across DST and keeps rrule-go away
// from time.Date's unspecified choice inside a gap.

// floating returns t's wall clock in loc, written as UTC, to the second.
func floating(t time.Time, loc *time.Location) time.Time {
	t = t.In(loc)
	_, off := t.Zone()
	return time.Unix(t.Unix()+int64(off), 0).UTC()
}

// LocalTime is time.Date with RFC 5545's answer for local times that a DST
// change makes ambiguous or impossible (RFC 5545 3.3.5): a time that occurs
// twice is its first occurrence; a time inside a gap is read with the UTC
// offset in force before the gap, so 02:30 on a spring-forward day in
// America/New_York is 03:30 EDT. Use it to build Series.Start, RDates and
// ExDates from DTSTART, RDATE and EXDATE values with a TZID.
func LocalTime(year int, month time.Month, day, hour, min, sec int, loc *time.Location) time.Time {
	if loc == nil {
		loc = time.UTC
	}
	return resolve(time.Date(year, month, day, hour, min, sec, 0, time.UTC), loc)
}

// nearTransition is how close to a zone transition the slow path is taken;
// no real transition moves wall clocks by more than a day.
const nearTransition = 48 * time.Hour

// resolve maps floating wall time f to an instant in loc (see LocalTime).
func resolve(f time.Time, loc *time.Location) time.Time {
	t, _ := resolveGap(f, loc)
	return t
}

// resolveGap is resolve, also reporting whether f lies in a gap, so that
// its instant is also that of a later wall time.
func resolveGap(f time.Time, loc *time.Location) (time.Time, bool) {
	if loc == time.UTC {
		return f, false
	}
	y, mo, d := f.Date()
	h, mi, s := f.Clock()
	t := time.Date(y, mo, d, h, mi, s, 0, loc)
	start, end := t.ZoneBounds()
	if (start.IsZero() || t.Sub(start) >= nearTransition) && (end.IsZero() || end.Sub(t) >= nearTransition) {
		return t, false
	}
	// Near a transition: try every offset in force around t, keep the
	// earliest instant whose wall clock is f; none means f is in a gap.
	offs := [3]int{offsetAt(t.Add(-nearTransition)), offsetAt(t), offsetAt(t.Add(nearTransition))}
	var best time.Time
	for _, off := range offs {
		u := time.Unix(f.Unix()-int64(off), 0).In(loc)
		if _, o := u.Zone(); o != off {
			continue
		}
		if best.IsZero() || u.Before(best) {
			best = u
		}
	}
	if !best.IsZero() {
		return best, false
	}
	before := min(offs[0], offs[1], offs[2])
	return time.Unix(f.Unix()-int64(before), 0).In(loc), true
}

func offsetAt(t time.Time) int {
	_, off := t.Zone()
	return off
}
