package recur

import (
	"slices"
	"time"

	"github.com/teambition/rrule-go"
)

// Between returns the instance starts t with from <= t < to, in order, at
// most limit of them (limit <= 0: up to [MaxInstances]). It starts rrule-go
// at the rule period holding from, never at DTSTART, so a window ten years
// out costs what a window next week costs.
func (s *Set) Between(from, to time.Time, limit int) []time.Time {
	if limit <= 0 || limit > MaxInstances {
		limit = MaxInstances
	}
	return s.between(from, to, limit)
}

// beginningOfTime is before every instance a Set can produce.
var beginningOfTime = time.Date(0, 1, 1, 0, 0, 0, 0, time.UTC)

func (s *Set) between(from, to time.Time, limit int) []time.Time {
	// Clamp the window so that the arithmetic below cannot overflow.
	if from.Before(beginningOfTime) {
		from = beginningOfTime
	}
	if to.After(endOfTime) {
		to = endOfTime
	}
	if !from.Before(to) {
		return nil
	}
	var out []time.Time
	if s.hasRule && !s.ruleOff {
		out = s.ruleBetween(from, to, limit)
	}
	sorted := true
	for i := 1; i < len(out); i++ {
		if !out[i-1].Before(out[i]) { // out of order, or two wall times on one instant (DST gap)
			sorted = false
			break
		}
	}
	added := false
	i, _ := slices.BinarySearchFunc(s.extras, from, time.Time.Compare)
	for ; i < len(s.extras) && s.extras[i].Before(to); i++ {
		t := s.extras[i]
		if s.ex != nil && s.excluded(floating(t, s.loc), t) {
			continue
		}
		out = append(out, t)
		added = true
	}
	if added || !sorted {
		slices.SortFunc(out, time.Time.Compare)
		out = slices.CompactFunc(out, time.Time.Equal)
	}
	if len(out) > limit {
		out = out[:limit:limit]
	}
	return out
}

// ruleBetween returns the rule's instants in [from, to), at least the first
// limit of them in time order.
func (s *Set) ruleBetween(from, to time.Time, limit int) []time.Time {
	fromF, toF := s.floatingWindow(from, to)
	next := s.ruleIter(fromF, toF)
	if next == nil {
		return nil
	}
	var out []time.Time
	var stopF time.Time // set once limit instants are in hand
	// A wall time in a DST gap has the instant of a later wall time: count
	// such instants once (between drops the repeat).
	var gapped map[int64]struct{}
	repeats := 0
	for {
		f, ok := next()
		if !ok || f.After(toF) || !stopF.IsZero() && f.After(stopF) {
			break
		}
		t, inGap := s.instantGap(f)
		if t.Before(from) || !t.Before(to) ||
			!s.untilAt.IsZero() && t.After(s.untilAt) ||
			s.ex != nil && s.excluded(f, t) {
			continue
		}
		out = append(out, t)
		if inGap {
			if gapped == nil {
				gapped = make(map[int64]struct{})
			}
			gapped[t.Unix()] = struct{}{}
		} else if _, ok := gapped[t.Unix()]; ok {
			repeats++
		}
		if stopF.IsZero() && len(out)-repeats == limit {
			// Wall-time order differs from instant order only by an offset
			// change, so instances later than that in wall time come later.
			stopF = f.Add(s.offsetSwing(t))
		}
	}
	return out
}

// floatingWindow widens [from, to] to the wall times that can map into it:
// an instant t shows as t+offset, with the offsets in force near the ends.
func (s *Set) floatingWindow(from, to time.Time) (time.Time, time.Time) {
	if s.loc == time.UTC {
		return time.Unix(from.Unix(), 0).UTC(), time.Unix(to.Unix(), 0).UTC()
	}
	lo := min(offsetIn(from.Add(-nearTransition), s.loc), offsetIn(from, s.loc), offsetIn(from.Add(nearTransition), s.loc))
	hi := max(offsetIn(to.Add(-nearTransition), s.loc), offsetIn(to, s.loc), offsetIn(to.Add(nearTransition), s.loc))
	return time.Unix(from.Unix()+int64(lo), 0).UTC(), time.Unix(to.Unix()+int64(hi), 0).UTC()
}

// offsetSwing is how far the zone's UTC offset moves within two days of t.
func (s *Set) offsetSwing(t time.Time) time.Duration {
	if s.loc == time.UTC {
		return 0
	}
	a, b, c := offsetIn(t.Add(-nearTransition), s.loc), offsetIn(t, s.loc), offsetIn(t.Add(nearTransition), s.loc)
	return time.Duration(max(a, b, c)-min(a, b, c)) * time.Second
}

func offsetIn(t time.Time, loc *time.Location) int {
	_, off := t.In(loc).Zone()
	return off
}

// instant maps a rule's floating instance to its start.
func (s *Set) instant(f time.Time) time.Time {
	if f.Equal(s.startF) {
		return s.start
	}
	return resolve(f, s.loc)
}

// instantGap is instant, also reporting a wall time in a DST gap (see
// resolveGap).
func (s *Set) instantGap(f time.Time) (time.Time, bool) {
	if f.Equal(s.startF) {
		return s.start, false
	}
	return resolveGap(f, s.loc)
}

func (s *Set) excluded(f, t time.Time) bool {
	_, ok := slices.BinarySearch(s.ex, s.exKey(f, t))
	return ok
}

// ruleIter returns rrule-go's iterator over the rule's floating instances
// from the start of the rule period holding fromF, bounded by toF; nil when
// the rule has nothing there.
func (s *Set) ruleIter(fromF, toF time.Time) rrule.Next {
	bound := toF
	if !s.untilF.IsZero() && s.untilF.Before(bound) {
		bound = s.untilF
	}
	if bound.After(lastFloating) {
		bound = lastFloating
	}
	if fromF.After(bound) {
		return nil
	}
	syn, ok := s.periodFloor(fromF)
	if !ok {
		return s.firstIter(s.ruleCount, bound)
	}
	// A later period start with every BY* part explicit yields the same
	// instances from there on; COUNT becomes the last instance's time.
	if s.ruleCount > 0 {
		end := s.countEnd()
		if fromF.After(end) {
			return nil
		}
		if end.Before(bound) {
			bound = end
		}
	}
	return s.newIter(syn, 0, bound)
}

// newIter returns an iterator over the rule's floating instances from the
// period starting at dtstart (DTSTART's or a later one), at most count of
// them (0: any) and none after until.
func (s *Set) newIter(dtstart time.Time, count int, until time.Time) rrule.Next {
	if s.sub != nil {
		return s.sub.iter(dtstart, count, until)
	}
	if s.fast != nil {
		return s.fast.iter(dtstart, count, until)
	}
	o := *s.opt
	o.Dtstart, o.Count, o.Until = dtstart, count, until
	r, err := rrule.NewRRule(o)
	if err != nil {
		return func() (time.Time, bool) { return time.Time{}, false }
	}
	return r.Iterator()
}

// firstIter iterates the rule from DTSTART on, at most count instances (0:
// any) and none after until. rrule-go starts a WEEKLY rule's first period
// at DTSTART's day, not at WKST, so a BYSETPOS would pick from what is left
// of DTSTART's week (RFC 5545: the set is the whole week starting at WKST);
// such a rule is run from that week's WKST day instead, dropping what
// comes before DTSTART and counting COUNT from DTSTART.
func (s *Set) firstIter(count int, until time.Time) rrule.Next {
	if s.sub != nil || s.fast != nil || s.opt.Freq != rrule.WEEKLY || len(s.opt.Bysetpos) == 0 {
		return s.newIter(s.startF, count, until)
	}
	next := s.newIter(time.Unix(s.weekStart(s.startF)*86400, 0).UTC(), 0, until)
	n := 0
	return func() (time.Time, bool) {
		if count > 0 && n >= count {
			return time.Time{}, false
		}
		for {
			f, ok := next()
			if !ok {
				return f, false
			}
			if f.Before(s.startF) {
				continue
			}
			n++
			return f, true
		}
	}
}

// countEnd returns the floating time of the last instance of a COUNT rule,
// found once by walking it from DTSTART (COUNT <= MaxCount bounds the walk).
func (s *Set) countEnd() time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.endKnown {
		return s.endF
	}
	end := s.startF
	next := s.firstIter(s.ruleCount, lastFloating)
	if s.fast != nil {
		next = s.fast.lastIter(s.startF, s.ruleCount, lastFloating)
	}
	for f, ok := next(); ok; f, ok = next() {
		end = f
	}
	s.endF, s.endKnown = end, true
	return end
}

// periodFloor returns the start of the latest rule period (a multiple of
// INTERVAL periods after DTSTART's) that begins at or before f; ok is false
// when that is DTSTART's own period.
func (s *Set) periodFloor(f time.Time) (time.Time, bool) {
	o, st := s.opt, s.startF
	n := int64(o.Interval)
	var k int64
	switch o.Freq {
	case rrule.YEARLY:
		k = int64(f.Year() - st.Year())
	case rrule.MONTHLY:
		k = int64((f.Year()-st.Year())*12 + int(f.Month()) - int(st.Month()))
	case rrule.WEEKLY:
		k = (s.weekStart(f) - s.weekStart(st)) / 7
	case rrule.DAILY:
		k = days(f) - days(st)
	default:
		unit := map[rrule.Frequency]int64{rrule.HOURLY: 3600, rrule.MINUTELY: 60, rrule.SECONDLY: 1}[o.Freq]
		k = floorDiv(f.Unix(), unit) - floorDiv(st.Unix(), unit)
	}
	k -= k % n
	if k <= 0 {
		return time.Time{}, false
	}
	switch o.Freq {
	case rrule.YEARLY:
		return time.Date(st.Year()+int(k), 1, 1, 0, 0, 0, 0, time.UTC), true
	case rrule.MONTHLY:
		return time.Date(st.Year(), st.Month()+time.Month(k), 1, 0, 0, 0, 0, time.UTC), true
	case rrule.WEEKLY:
		return time.Unix((s.weekStart(st)+7*k)*86400, 0).UTC(), true
	case rrule.DAILY:
		return time.Unix((days(st)+k)*86400, 0).UTC(), true
	case rrule.HOURLY:
		return time.Unix((floorDiv(st.Unix(), 3600)+k)*3600, 0).UTC(), true
	case rrule.MINUTELY:
		return time.Unix((floorDiv(st.Unix(), 60)+k)*60, 0).UTC(), true
	}
	return st.Add(time.Duration(k) * time.Second), true
}

// days is the day number of floating time f (0 = 1970-01-01).
func days(f time.Time) int64 { return floorDiv(f.Unix(), 86400) }

// weekStart is the day number of the WKST day starting f's week.
func (s *Set) weekStart(f time.Time) int64 {
	d := days(f)
	wd := (d%7 + 7 + 3) % 7 // 1970-01-01 was a Thursday; 0 = Monday, as rrule-go
	return d - int64((int(wd)-s.opt.Wkst.Day()+7)%7)
}
