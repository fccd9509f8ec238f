package recur

import (
	"slices"
	"time"

	"github.com/teambition/rrule-go"
)

// fastRule expands the common rules arithmetically instead of through
// rrule-go, whose rule and iterator setup costs several microseconds and
// dozens of allocations per call: DAILY, WEEKLY and MONTHLY rules without
// BYSETPOS, BYYEARDAY or BYWEEKNO (RFC 5545 refuses the last two there),
// with any BYMONTH, BYMONTHDAY, BYDAY (numbered only for MONTHLY) and
// BYHOUR/BYMINUTE/BYSECOND. Every BY* part of those rules picks whole days,
// so a rule period is a run of days, each kept or not, and each kept day
// holds the same times. It yields exactly what rrule-go yields for the same
// options, DTSTART, COUNT and UNTIL (window_test.go and fast_test.go check
// that): floating wall times, in order, none before DTSTART, the first
// period being the one holding DTSTART.
type fastRule struct {
	freq     rrule.Frequency
	interval int64
	wkst     int    // 0 = Monday, as rrule-go
	months   uint16 // bit m set: month m allowed; 0: any
	mdays    []int  // BYMONTHDAY, positive or negative; empty: any
	wdays    uint8  // bit d set (0 = Monday): weekday allowed; 0: any
	nwdays   []rrule.Weekday
	times    []int64 // seconds into the day, sorted, unique
	dayCheck bool    // some filter needs the date of a day
}

// newFastRule returns the arithmetic expander for o, or nil when rrule-go
// must expand it. o has DTSTART's implied BY* values made explicit.
func newFastRule(o rrule.ROption) *fastRule {
	if o.Freq != rrule.DAILY && o.Freq != rrule.WEEKLY && o.Freq != rrule.MONTHLY ||
		len(o.Bysetpos)+len(o.Byyearday)+len(o.Byweekno)+len(o.Byeaster) > 0 ||
		len(o.Byhour) == 0 || len(o.Byminute) == 0 || len(o.Bysecond) == 0 || o.Interval < 1 {
		return nil
	}
	r := &fastRule{freq: o.Freq, interval: int64(o.Interval), wkst: o.Wkst.Day()}
	for _, m := range o.Bymonth {
		if m < 1 || m > 12 {
			return nil
		}
		r.months |= 1 << m
	}
	for _, d := range o.Bymonthday {
		if d == 0 || d > 31 || d < -31 {
			return nil
		}
	}
	r.mdays = o.Bymonthday
	for _, w := range o.Byweekday {
		switch {
		case w.N() == 0:
			r.wdays |= 1 << w.Day()
		case o.Freq == rrule.MONTHLY:
			r.nwdays = append(r.nwdays, w)
		default:
			return nil
		}
	}
	r.dayCheck = r.months != 0 || len(r.mdays) > 0
	for _, h := range o.Byhour {
		for _, m := range o.Byminute {
			for _, s := range o.Bysecond {
				r.times = append(r.times, int64(h*3600+m*60+s))
			}
		}
	}
	slices.Sort(r.times)
	r.times = slices.Compact(r.times)
	return r
}

// iter returns the floating instances from the period holding dtstart on,
// none before dtstart or after until (zero: the end of year 9999), at most
// count of them (0: any).
func (r *fastRule) iter(dtstart time.Time, count int, until time.Time) rrule.Next {
	return r.newIter(dtstart, count, until).next
}

func (r *fastRule) newIter(dtstart time.Time, count int, until time.Time) *fastIter {
	if until.IsZero() || until.After(lastFloating) {
		until = lastFloating
	}
	it := &fastIter{r: r, from: dtstart.Unix(), until: until.Unix(), count: count}
	it.buf = it.arr[:0]
	d := floorDiv(it.from, 86400)
	switch r.freq {
	case rrule.DAILY:
		it.day = d
	case rrule.WEEKLY:
		it.day = d - int64((weekdayOf(d)-r.wkst+7)%7)
	case rrule.MONTHLY:
		y, m, _ := civil(d)
		it.ym = int64(y)*12 + int64(m-1)
	}
	return it
}

// lastIter is iter for a caller that wants only the last instance (the
// end of a COUNT rule): it skips whole cycles of periods that hold a known
// number of instances, so the instances it yields are the walk's last ones
// but not all the ones before.
func (r *fastRule) lastIter(dtstart time.Time, count int, until time.Time) rrule.Next {
	it := r.newIter(dtstart, count, until)
	it.jump = count > 0
	return it.next
}

// fastIter walks a fastRule period by period.
type fastIter struct {
	r           *fastRule
	from, until int64 // floating Unix seconds
	count       int   // instances still allowed; 0: any
	day         int64 // DAILY, WEEKLY: the period's first day
	ym          int64 // MONTHLY: the period's year*12 + month-1
	buf         []int64
	arr         [8]int64 // buf's storage for small periods
	pos         int
	done        bool
	jump        bool // skip cycles (see lastIter)
}

func (it *fastIter) next() (time.Time, bool) {
	for it.pos == len(it.buf) {
		if it.done {
			return time.Time{}, false
		}
		it.fill()
	}
	f := it.buf[it.pos]
	it.pos++
	return time.Unix(f, 0).UTC(), true
}

// fill puts the next period's instances in buf and moves to the period
// after it; it sets done at the end of the rule.
func (it *fastIter) fill() {
	r := it.r
	it.buf, it.pos = it.buf[:0], 0
	if it.jump {
		it.skipCycles()
	}
	var first, n int64 // the period's days
	switch r.freq {
	case rrule.DAILY:
		first, n = it.day, 1
		it.day += r.interval
	case rrule.WEEKLY:
		first, n = it.day, 7
		it.day += 7 * r.interval
	case rrule.MONTHLY:
		y, m := int(floorDiv(it.ym, 12)), int(it.ym-floorDiv(it.ym, 12)*12)+1
		first, n = daysFromCivil(y, m, 1), int64(monthLen(y, m))
		it.ym += r.interval
	}
	if first*86400 > it.until {
		it.done = true
		return
	}
	for d := first; d < first+n; d++ {
		if !r.keeps(d, first, n) {
			continue
		}
		for _, t := range r.times {
			f := d*86400 + t
			if f > it.until {
				it.done = true
				return
			}
			if f < it.from {
				continue
			}
			it.buf = append(it.buf, f)
			if it.count > 0 {
				if it.count--; it.count == 0 {
					it.done = true
					return
				}
			}
		}
	}
}

// matches reports whether floating time f is an instance of the rule when
// its period is the first (as DTSTART's is).
func (r *fastRule) matches(f time.Time) bool {
	sec := f.Unix()
	d := floorDiv(sec, 86400)
	first, n := d, int64(1)
	switch r.freq {
	case rrule.WEEKLY:
		first, n = d-int64((weekdayOf(d)-r.wkst+7)%7), 7
	case rrule.MONTHLY:
		y, m, md := civil(d)
		first, n = d-int64(md-1), int64(monthLen(y, m))
	}
	_, found := slices.BinarySearch(r.times, sec-d*86400)
	return found && r.keeps(d, first, n)
}

// productive reports rules that obviously yield an instance in every
// period: no filter but weekdays for DAILY and WEEKLY rules with an
// INTERVAL that reaches every weekday, and for MONTHLY rules a weekday
// numbered from 1 to 4 (or -1 to -4), which every month has.
func (r *fastRule) productive() bool {
	if r.dayCheck {
		return false
	}
	switch r.freq {
	case rrule.WEEKLY:
		return true
	case rrule.DAILY:
		return r.wdays == 0 || r.interval%7 != 0
	}
	if r.wdays != 0 {
		return false
	}
	for _, w := range r.nwdays {
		if w.N() >= -4 && w.N() <= 4 {
			return true
		}
	}
	return false
}

// skipCycles jumps over whole cycles of periods (a DAILY or WEEKLY rule
// without day-of-month or month filters repeats every period, or every 7
// periods when BYDAY meets a DAILY INTERVAL) while more than a cycle's
// instances remain to count, leaving the last cycle to walk. It only jumps
// from a period wholly after dtstart, and only when the cycle after the
// jump ends before until, so that no instance it skips could be the last.
func (it *fastIter) skipCycles() {
	r := it.r
	it.jump = false
	if r.freq == rrule.MONTHLY || r.dayCheck || len(r.nwdays) > 0 || it.day*86400 < it.from {
		it.jump = it.day*86400 < it.from // not yet: try again next period
		return
	}
	periods, n := int64(1), int64(1) // periods per cycle, days per period
	if r.freq == rrule.WEEKLY {
		n = 7
	} else if r.wdays != 0 && r.interval%7 != 0 {
		periods = 7
	}
	step := r.interval * n // days from one period to the next
	per := 0
	for j := range periods {
		first := it.day + j*step
		for d := first; d < first+n; d++ {
			if r.keeps(d, first, n) {
				per += len(r.times)
			}
		}
	}
	if per == 0 {
		return
	}
	q := int64(it.count-1) / int64(per)
	target := it.day + q*periods*step
	if q == 0 || (target+periods*step)*86400 > it.until {
		return
	}
	it.day = target
	it.count -= int(q) * per
}

// keeps reports whether day d, in the period of n days from first, passes
// the rule's BY* filters, as rrule-go applies them.
func (r *fastRule) keeps(d, first, n int64) bool {
	wd := weekdayOf(d)
	if r.wdays != 0 && r.wdays&(1<<wd) == 0 {
		return false
	}
	if r.dayCheck {
		y, m, md := civil(d)
		if r.months != 0 && r.months&(1<<m) == 0 {
			return false
		}
		if len(r.mdays) > 0 {
			neg := md - monthLen(y, m) - 1
			if !slices.Contains(r.mdays, md) && !slices.Contains(r.mdays, neg) {
				return false
			}
		}
	}
	if len(r.nwdays) > 0 { // MONTHLY: the period is the month
		ok := false
		for _, w := range r.nwdays {
			var i int64
			if w.N() > 0 {
				i = first + int64(w.N()-1)*7
				i += int64((w.Day() - weekdayOf(i) + 7) % 7)
			} else {
				last := first + n - 1
				i = last + int64(w.N()+1)*7
				i -= int64((weekdayOf(i) - w.Day() + 7) % 7)
			}
			if i == d {
				ok = true
				break
			}
		}
		if !ok {
			return false
		}
	}
	return true
}

// weekdayOf is the weekday of day number d, 0 = Monday (1970-01-01 was a
// Thursday).
func weekdayOf(d int64) int { return int((d%7 + 7 + 3) % 7) }

// civil returns the date of day number d (0 = 1970-01-01), proleptic
// Gregorian (H. Hinnant's algorithm).
func civil(d int64) (y, m, day int) {
	z := d + 719468
	era := floorDiv(z, 146097)
	doe := z - era*146097
	yoe := (doe - doe/1460 + doe/36524 - doe/146096) / 365
	doy := doe - (365*yoe + yoe/4 - yoe/100)
	mp := (5*doy + 2) / 153
	day = int(doy - (153*mp+2)/5 + 1)
	m = int(mp + 3)
	if m > 12 {
		m -= 12
	}
	y = int(yoe + era*400)
	if m <= 2 {
		y++
	}
	return y, m, day
}

// daysFromCivil is the day number of y-m-d (the inverse of civil).
func daysFromCivil(y, m, d int) int64 {
	if m <= 2 {
		y--
	}
	era := floorDiv(int64(y), 400)
	yoe := int64(y) - era*400
	mp := int64((m + 9) % 12)
	doy := (153*mp+2)/5 + int64(d) - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return era*146097 + doe - 719468
}

func monthLen(y, m int) int {
	if m == 2 {
		if y%4 == 0 && (y%100 != 0 || y%400 == 0) {
			return 29
		}
		return 28
	}
	return maxMonthDays[m]
}
