package recur

import (
	"fmt"
	"slices"
	"time"

	"github.com/teambition/rrule-go"
)

// rrule-go has two ways to run away. Its HOURLY, MINUTELY and SECONDLY
// iterators step until the clock reaches a BYHOUR/BYMINUTE/BYSECOND value,
// forever when the INTERVAL never lands on one; and any iterator walks period
// after period, until year 9999, when no period yields an instance. The first
// is refused here by arithmetic (checkFeasible); the second by asking for the
// rule's first instance with the search capped at one full cycle of the
// calendar (firstRuleInstance), so a rule that is not refused always has its
// next instance less than a cycle away.

// checkFeasible refuses rules that cannot match, by arithmetic.
func (s *Set) checkFeasible() error {
	o := s.opt
	h0, m0, s0 := s.startF.Clock()
	// Time-of-day values the INTERVAL can reach: those congruent to DTSTART's
	// modulo gcd(INTERVAL, units per day).
	var unitsPerDay, unit, at0 int
	switch o.Freq {
	case rrule.HOURLY:
		unitsPerDay, unit, at0 = 24, 3600, h0*3600
	case rrule.MINUTELY:
		unitsPerDay, unit, at0 = 1440, 60, h0*3600+m0*60
	case rrule.SECONDLY:
		unitsPerDay, unit, at0 = 86400, 1, h0*3600+m0*60+s0
	}
	if unitsPerDay > 0 {
		g := gcd(o.Interval, unitsPerDay)
		hours, minutes, seconds := orAll(o.Byhour, 24), orAll(o.Byminute, 60), orAll(o.Bysecond, 60)
		if o.Freq == rrule.HOURLY {
			minutes, seconds = []int{0}, []int{0}
		} else if o.Freq == rrule.MINUTELY {
			seconds = []int{0}
		}
		if !reachable(hours, minutes, seconds, unit, g, at0/unit) {
			return fmt.Errorf("INTERVAL=%d never reaches the BYHOUR/BYMINUTE/BYSECOND values", o.Interval)
		}
	}
	if len(o.Bysetpos) > 0 {
		size := setSize(*o)
		ok := false
		for _, p := range o.Bysetpos {
			ok = ok || abs(p) <= size
		}
		if !ok {
			return fmt.Errorf("BYSETPOS beyond the at most %d instances of a period", size)
		}
	}
	if o.Freq == rrule.DAILY && o.Interval%7 == 0 && len(o.Byweekday) > 0 &&
		!slices.ContainsFunc(o.Byweekday, func(w rrule.Weekday) bool { return w.Day() == (int(s.startF.Weekday())+6)%7 }) {
		return fmt.Errorf("INTERVAL=%d days never reaches a BYDAY weekday", o.Interval)
	}
	if len(o.Bymonthday) > 0 {
		months := orAll(o.Bymonth, 13)
		ok := false
		for _, m := range months {
			for _, d := range o.Bymonthday {
				ok = ok || m > 0 && abs(d) <= maxMonthDays[m]
			}
		}
		if !ok {
			return fmt.Errorf("BYMONTHDAY never falls in BYMONTH")
		}
	}
	return nil
}

var maxMonthDays = [...]int{0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31}

// reachable reports whether some time of day built from hours, minutes and
// seconds, counted in units, is congruent to at0 modulo g.
func reachable(hours, minutes, seconds []int, unit, g, at0 int) bool {
	for _, h := range hours {
		for _, m := range minutes {
			for _, sec := range seconds {
				if ((h*3600+m*60+sec)/unit-at0)%g == 0 {
					return true
				}
			}
		}
	}
	return false
}

// setSize bounds the number of instances one period can hold.
func setSize(o rrule.ROption) int {
	n := func(l []int) int { return max(1, len(l)) }
	switch o.Freq {
	case rrule.SECONDLY:
		return 1
	case rrule.MINUTELY:
		return n(o.Bysecond)
	case rrule.HOURLY:
		return n(o.Byminute) * n(o.Bysecond)
	}
	days := map[rrule.Frequency]int{rrule.DAILY: 1, rrule.WEEKLY: 7, rrule.MONTHLY: 31, rrule.YEARLY: 366}[o.Freq]
	// Each BY* part that picks days caps how many a period can have.
	if len(o.Byweekday) > 0 {
		plain, numbered := map[int]bool{}, 0
		for _, w := range o.Byweekday {
			if w.N() == 0 {
				plain[w.Day()] = true
			} else {
				numbered++
			}
		}
		perWeekday := map[rrule.Frequency]int{rrule.DAILY: 1, rrule.WEEKLY: 1, rrule.MONTHLY: 5, rrule.YEARLY: 53}[o.Freq]
		days = min(days, len(plain)*perWeekday+numbered)
	}
	if len(o.Bymonthday) > 0 && o.Freq != rrule.YEARLY {
		days = min(days, len(o.Bymonthday))
	}
	if len(o.Byyearday) > 0 {
		days = min(days, len(o.Byyearday))
	}
	return days * n(o.Byhour) * n(o.Byminute) * n(o.Bysecond)
}

// orAll returns l, or 0..n-1 when l is empty.
func orAll(l []int, n int) []int {
	if len(l) > 0 {
		return l
	}
	all := make([]int, n)
	for i := range all {
		all[i] = i
	}
	return all
}

// lastFloating is the latest wall time rrule-go reaches (its MAXYEAR).
var lastFloating = time.Date(9999, 12, 31, 23, 59, 59, 0, time.UTC)

// cycleYears is the Gregorian calendar's period: dates, weekdays and leap
// years repeat every 400 years, so moving a series by a multiple of it
// changes no instance's month, day or weekday.
const cycleYears = 400

// firstRuleInstance returns the rule's first instance at or after DTSTART,
// ignoring COUNT and UNTIL, searching at most one cycle of the rule: 400
// years times the INTERVAL in days or coarser units, after which the pattern
// repeats. rrule-go only stops an empty search at year 9999, so the series
// is moved by whole 400-year cycles to end the search there.
func (s *Set) firstRuleInstance() (time.Time, bool) {
	o := s.opt
	factor := o.Interval
	switch o.Freq {
	case rrule.HOURLY:
		factor = (o.Interval + 23) / 24
	case rrule.MINUTELY:
		factor = (o.Interval + 1439) / 1440
	case rrule.SECONDLY:
		factor = (o.Interval + 86399) / 86400
	}
	horizon := cycleYears * min(factor, 25)
	if s.sub != nil {
		// The walker stops where it is told: no need to move the series.
		end := s.startF.AddDate(horizon, 0, 0)
		if end.After(lastFloating) {
			end = lastFloating
		}
		return s.sub.iter(s.startF, 0, end)()
	}
	shift := 0
	if y := s.startF.Year(); y+horizon < 9999 {
		shift = (9999 - horizon - y) / cycleYears * cycleYears
	}
	f, ok := s.newIter(s.startF.AddDate(shift, 0, 0), 0, lastFloating)()
	if !ok {
		return time.Time{}, false
	}
	return f.AddDate(-shift, 0, 0), true
}

func gcd(a, b int) int {
	for b != 0 {
		a, b = b, a%b
	}
	return a
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && (a < 0) != (b < 0) {
		q--
	}
	return q
}
