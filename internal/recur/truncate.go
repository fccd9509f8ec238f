package recur

import (
	"fmt"
	"strings"
	"time"
)

// Truncate returns a copy of s ending before the instant before, for "this
// and following" edits: the RRULE gets an UNTIL just before it (a COUNT
// becomes that UNTIL, a date UNTIL for an all-day series), and RDates and
// ExDates at or after it are dropped. Instances before it are unchanged; a
// series that already ends before it is returned as it is. It refuses, with
// an error wrapping [ErrInvalid], a before at or before Start (nothing would
// be left) and a series that does not compile.
func (s Series) Truncate(before time.Time) (Series, error) {
	set, err := Compile(s)
	if err != nil {
		return Series{}, err
	}
	if !before.After(set.start) {
		return Series{}, fmt.Errorf("recur: truncate series starting %s before %s: nothing left: %w",
			set.start.Format(time.RFC3339), before.Format(time.RFC3339), ErrInvalid)
	}
	out := s
	out.RDates = keepBefore(s.RDates, before, set)
	out.ExDates = keepBefore(s.ExDates, before, set)
	if !set.hasRule || set.ruleOff {
		return out, nil
	}
	plain, err := Compile(Series{Start: s.Start, AllDay: s.AllDay, RRule: s.RRule})
	if err != nil {
		return Series{}, err
	}
	if last, ok := plain.Last(); ok && last.Before(before) {
		return out, nil // the rule already ends before the cut
	}
	parts := append([]string(nil), set.rule.parts...)
	parts = append(parts, "UNTIL="+set.untilBefore(before))
	out.RRule = strings.Join(parts, ";")
	return out, nil
}

// untilBefore is the UNTIL value that keeps exactly the instances before t.
func (s *Set) untilBefore(t time.Time) string {
	if s.allDay {
		// Keep the dates whose midnight is before t.
		f := floating(t, s.loc)
		d := time.Date(f.Year(), f.Month(), f.Day(), 0, 0, 0, 0, time.UTC)
		if !resolve(d, s.loc).Before(t) {
			d = d.AddDate(0, 0, -1)
		}
		return d.Format("20060102")
	}
	u := t.Truncate(time.Second)
	if u.Equal(t) {
		u = u.Add(-time.Second)
	}
	return u.UTC().Format("20060102T150405Z")
}

func keepBefore(ts []time.Time, before time.Time, set *Set) []time.Time {
	var out []time.Time
	for _, t := range ts {
		if inst, _, err := set.point(t); err == nil && inst.Before(before) {
			out = append(out, t)
		}
	}
	return out
}
