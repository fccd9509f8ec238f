package recur

import (
	"fmt"
	"time"

	"github.com/teambition/rrule-go"
)

// endOfTime is past every instance a Set can produce.
var endOfTime = time.Date(10000, 1, 2, 0, 0, 0, 0, time.UTC)

// Finite reports whether the series ends: it has COUNT or UNTIL, or no RRULE.
func (s *Set) Finite() bool {
	return !s.hasRule || s.ruleOff || s.rule.count > 0 || s.rule.untilKind != untilNone
}

// Last returns the start of the series' last instance when it is finite
// (ok is false for an endless series, or when EXDATE removed every instance).
func (s *Set) Last() (time.Time, bool) {
	if !s.Finite() {
		return time.Time{}, false
	}
	s.mu.Lock()
	if s.lastDone {
		defer s.mu.Unlock()
		return s.last, s.lastOK
	}
	s.mu.Unlock()
	last, ok := s.findLast()
	s.mu.Lock()
	s.last, s.lastOK, s.lastDone = last, ok, true
	s.mu.Unlock()
	return last, ok
}

// findLast searches back from the end of the rule in doubling windows.
func (s *Set) findLast() (time.Time, bool) {
	hi := s.extras[len(s.extras)-1]
	if s.hasRule && !s.ruleOff {
		endF := s.untilF
		if s.ruleCount > 0 {
			endF = s.countEnd()
		}
		if e := resolve(endF, s.loc).Add(nearTransition); e.After(hi) {
			hi = e
		}
	}
	if s.ruleCount > 0 && !s.ruleOff {
		// A COUNT rule's last instance is known: unless EXDATE took it, it
		// or a later RDATE is the answer.
		f := s.countEnd()
		if t := s.instant(f); s.ex == nil || !s.excluded(f, t) {
			return maxTime(t, s.extras[len(s.extras)-1]), true
		}
	}
	hi = hi.Add(time.Second)
	lo := s.extras[0]
	// Start with a window about one rule period long, so one call suffices
	// unless EXDATEs removed the last instances.
	w := time.Hour
	if s.hasRule {
		per := periodLength[s.opt.Freq]
		n := min(time.Duration(s.opt.Interval), 100*periodLength[rrule.YEARLY]/per) // no overflow
		w = max(w, n*per+2*nearTransition)
	}
	for ; ; w *= 2 {
		from := hi.Add(-w)
		if from.Before(lo) || w > 1<<60 {
			from = lo
		}
		if got := s.between(from, hi, MaxInstances); len(got) > 0 {
			// A full answer may stop short of the window's end: go on from it.
			for len(got) == MaxInstances {
				more := s.between(got[len(got)-1].Add(time.Nanosecond), hi, MaxInstances)
				if len(more) == 0 {
					break
				}
				got = more
			}
			return got[len(got)-1], true
		}
		if !from.After(lo) {
			return time.Time{}, false
		}
		hi = from
	}
}

// periodLength is the longest a rule period of each frequency lasts.
var periodLength = map[rrule.Frequency]time.Duration{
	rrule.YEARLY: 366 * 24 * time.Hour, rrule.MONTHLY: 31 * 24 * time.Hour, rrule.WEEKLY: 7 * 24 * time.Hour,
	rrule.DAILY: 24 * time.Hour, rrule.HOURLY: time.Hour, rrule.MINUTELY: time.Minute, rrule.SECONDLY: time.Second,
}

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

// After returns the first instance start strictly after t.
func (s *Set) After(t time.Time) (time.Time, bool) {
	end := endOfTime
	if last, ok := s.Last(); ok {
		end = last.Add(time.Second)
	} else if s.Finite() {
		return time.Time{}, false
	}
	from := t.Add(time.Nanosecond)
	if from.Before(s.extras[0]) {
		from = s.extras[0]
	}
	for w := 24 * time.Hour; from.Before(end); w *= 2 {
		to := from.Add(w)
		if to.After(end) || w > 1<<60 {
			to = end
		}
		if got := s.between(from, to, 1); len(got) > 0 {
			return got[0], true
		}
		from = to
	}
	return time.Time{}, false
}

// All returns every instance of a finite series, in order. It refuses, with
// an error wrapping [ErrUnbounded], an endless series or one with more than
// [MaxInstances] instances.
func (s *Set) All() ([]time.Time, error) {
	if !s.Finite() {
		return nil, fmt.Errorf("recur: all instances of a series starting %s: no COUNT or UNTIL: %w",
			s.start.Format(time.RFC3339), ErrUnbounded)
	}
	last, ok := s.Last()
	if !ok {
		return nil, nil
	}
	all := s.between(s.extras[0], last.Add(time.Second), MaxInstances+1)
	if len(all) > MaxInstances {
		return nil, fmt.Errorf("recur: all instances of a series starting %s: more than %d: %w",
			s.start.Format(time.RFC3339), MaxInstances, ErrUnbounded)
	}
	return all, nil
}
