package recur

import (
	"slices"
	"time"

	"github.com/teambition/rrule-go"
)

// HOURLY, MINUTELY and SECONDLY rules are expanded here, not by rrule-go:
// its iterators for them step one period at a time through days the rule
// skips, and only notice UNTIL when an instance comes out, so a window
// before a sparse stretch (FREQ=SECONDLY;BYMONTH=2;BYMONTHDAY=29) walks
// years second by second. This walker skips a day, hour or minute that
// cannot match in one step and stops at its bound whatever it finds.

// subDaily is a HOURLY, MINUTELY or SECONDLY rule ready to walk.
type subDaily struct {
	unit     int64   // seconds per period
	step     int64   // seconds between periods: unit * INTERVAL
	p0       int64   // DTSTART's period start, floating Unix seconds
	start    int64   // DTSTART, floating Unix seconds
	hours    []bool  // BYHOUR (nil: any)
	minutes  []bool  // BYMINUTE for MINUTELY and SECONDLY (nil: any)
	seconds  []bool  // BYSECOND for SECONDLY (nil: any)
	offsets  []int64 // instance offsets within a period, sorted
	setpos   []int
	months   []bool // BYMONTH (nil: any)
	monthday []int
	yearday  []int
	weekdays []bool // BYDAY, 0 = Monday (nil: any)
}

func newSubDaily(o rrule.ROption, startF time.Time) *subDaily {
	e := &subDaily{start: startF.Unix(), setpos: o.Bysetpos, monthday: o.Bymonthday, yearday: o.Byyearday}
	e.unit = map[rrule.Frequency]int64{rrule.HOURLY: 3600, rrule.MINUTELY: 60, rrule.SECONDLY: 1}[o.Freq]
	e.step = e.unit * int64(o.Interval)
	e.p0 = floorDiv(e.start, e.unit) * e.unit
	e.hours = mask(o.Byhour, 24)
	switch o.Freq {
	case rrule.HOURLY:
		for _, m := range o.Byminute {
			for _, sec := range o.Bysecond {
				e.offsets = append(e.offsets, int64(m*60+sec))
			}
		}
	case rrule.MINUTELY:
		e.minutes = mask(o.Byminute, 60)
		for _, sec := range o.Bysecond {
			e.offsets = append(e.offsets, int64(sec))
		}
	default:
		e.minutes, e.seconds = mask(o.Byminute, 60), mask(o.Bysecond, 60)
		e.offsets = []int64{0}
	}
	slices.Sort(e.offsets)
	e.months = mask(o.Bymonth, 13)
	if len(o.Byweekday) > 0 {
		e.weekdays = make([]bool, 7)
		for _, w := range o.Byweekday {
			e.weekdays[w.Day()] = true
		}
	}
	return e
}

func mask(vals []int, n int) []bool {
	if len(vals) == 0 {
		return nil
	}
	m := make([]bool, n)
	for _, v := range vals {
		m[v] = true
	}
	return m
}

// dayMatches reports whether the day numbered d passes the day parts.
func (e *subDaily) dayMatches(d int64) bool {
	if e.months == nil && e.weekdays == nil && e.monthday == nil && e.yearday == nil {
		return true
	}
	t := time.Unix(d*86400, 0).UTC()
	if e.months != nil && !e.months[t.Month()] {
		return false
	}
	if e.weekdays != nil && !e.weekdays[(t.Weekday()+6)%7] {
		return false
	}
	if e.monthday != nil {
		md := t.Day()
		mlen := time.Date(t.Year(), t.Month()+1, 0, 0, 0, 0, 0, time.UTC).Day()
		if !slices.Contains(e.monthday, md) && !slices.Contains(e.monthday, md-mlen-1) {
			return false
		}
	}
	if e.yearday != nil {
		yd := t.YearDay()
		ylen := 365
		if time.Date(t.Year(), 12, 31, 0, 0, 0, 0, time.UTC).YearDay() == 366 {
			ylen = 366
		}
		if !slices.Contains(e.yearday, yd) && !slices.Contains(e.yearday, yd-ylen-1) {
			return false
		}
	}
	return true
}

// firstPeriodFrom returns the first period start at or after x.
func (e *subDaily) firstPeriodFrom(x int64) int64 {
	if x <= e.p0 {
		return e.p0
	}
	k := (x - e.p0 + e.step - 1) / e.step
	return e.p0 + k*e.step
}

// iter returns an iterator over the instances from the period starting at
// from (a period start), up to until and at most count (0: any) of them.
func (e *subDaily) iter(from time.Time, count int, until time.Time) rrule.Next {
	p, end := floorDiv(from.Unix(), e.unit)*e.unit, until.Unix()
	var buf []int64
	emitted := 0
	return func() (time.Time, bool) {
		for len(buf) == 0 {
			if p > end || count > 0 && emitted >= count {
				return time.Time{}, false
			}
			buf = e.period(p, buf[:0])
			p = e.nextPeriod(p)
		}
		c := buf[0]
		buf = buf[1:]
		if c > end || count > 0 && emitted >= count {
			p, buf = end+1, nil
			return time.Time{}, false
		}
		emitted++
		return time.Unix(c, 0).UTC(), true
	}
}

// period appends the instances of the period starting at p to buf.
func (e *subDaily) period(p int64, buf []int64) []int64 {
	if !e.dayMatches(floorDiv(p, 86400)) || !e.timeMatches(p) {
		return buf
	}
	n := len(e.offsets)
	if len(e.setpos) == 0 {
		for _, off := range e.offsets {
			if c := p + off; c >= e.start {
				buf = append(buf, c)
			}
		}
		return buf
	}
	for _, pos := range e.setpos {
		i := pos - 1
		if pos < 0 {
			i = n + pos
		}
		if i >= 0 && i < n {
			if c := p + e.offsets[i]; c >= e.start && !slices.Contains(buf, c) {
				buf = append(buf, c)
			}
		}
	}
	slices.Sort(buf)
	return buf
}

func (e *subDaily) timeMatches(p int64) bool {
	sod := p - floorDiv(p, 86400)*86400
	return (e.hours == nil || e.hours[sod/3600]) &&
		(e.minutes == nil || e.minutes[sod/60%60]) &&
		(e.seconds == nil || e.seconds[sod%60])
}

// nextPeriod returns the period start after p, skipping whole days, hours
// and minutes that cannot match.
func (e *subDaily) nextPeriod(p int64) int64 {
	day := floorDiv(p, 86400)
	if !e.dayMatches(day) {
		return e.firstPeriodFrom((day + 1) * 86400)
	}
	sod := p - day*86400
	switch {
	case e.hours != nil && !e.hours[sod/3600]:
		return max(p+e.step, e.firstPeriodFrom((floorDiv(p, 3600)+1)*3600))
	case e.minutes != nil && !e.minutes[sod/60%60]:
		return max(p+e.step, e.firstPeriodFrom((floorDiv(p, 60)+1)*60))
	}
	return p + e.step
}
