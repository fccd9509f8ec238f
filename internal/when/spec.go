package when

import "time"

// Slots of a spec; two components of one expression never fill the same one.
const (
	bRel     uint16 = 1 << iota // days from today
	bWd                         // weekday
	bWeek                       // week offset
	bYear                       // absolute year
	bMonth                      // absolute month
	bMonOff                     // month offset
	bDay                        // day of month
	bBound                      // month/year/week boundary
	bTime                       // clock time
	bPeriod                     // period of the day
	bDur                        // offset from now or from the anchor
	bYearOff                    // year offset
	bEOD                        // end of day
	bNth                        // n-th or last weekday (or working day) of a month
	bZone                       // the clock is in a named zone or UTC offset
	bEvery                      // a recurrence: every day, week, month, year
)

// Periods of the day.
const (
	pNone uint8 = iota
	pMorning
	pNoon
	pAfternoon
	pEvening
	pNight
	pEarly // 凌晨: small hours
	pMidnight
)

// Boundaries.
const (
	kMonthEnd uint8 = iota + 1
	kMonthStart
	kYearEnd
	kYearStart
	kWeekEnd  // EOW: Friday
	kWeekendS // 周末: Saturday
	kMonthMid // 月中: the 15th
)

// Duration units.
const (
	uMinute uint8 = iota + 1
	uHour
	uDay
	uWeek
	uMonth
	uYear
	uWorkday
)

// Weekday modes.
const (
	wdNext   uint8 = iota // next occurrence, today included
	wdStrict              // next occurrence after today
)

// spec is what the components of one expression say.
type spec struct {
	mask    uint16
	rel     int
	wd      int // 1 Monday .. 7 Sunday
	wdMode  uint8
	weekOff int
	year    int
	month   int
	monOff  int
	day     int
	bound   uint8
	hour    int
	min     int
	ampm    uint8 // 0 none, 1 am, 2 pm
	period  uint8
	durN    int // minutes for uMinute/uHour, else count; negative: before
	durUnit uint8
	// durAnchor: the offset counts from another component of the
	// expression ("3 days from Tuesday"), not from now.
	durAnchor bool
	holiday   uint8
	yearOff   int
	// hol is the holiday named, with holiday != 0 (see holiday.go).
	hol holidayRef
	// wdN counts weekdays: "2 Fridays from now" is the second Friday
	// after today (with bWd).
	wdN int
	// nth and nthWd: the nth (1..5, -1 last) weekday nthWd (1 Monday ..
	// 7 Sunday; 0 a working day) of a month (bNth).
	nth, nthWd int
	// zoneOff is the offset east of UTC, in seconds, of the zone the
	// clock is written in (bZone).
	zoneOff int
	// rep is the recurrence (bEvery).
	rep Repeat
}

func (sp *spec) has(b uint16) bool { return sp.mask&b != 0 }

// merge copies the filled slots of pc into sp.
func (sp *spec) merge(pc *spec) {
	m := pc.mask
	if m&bRel != 0 {
		sp.rel = pc.rel
	}
	if m&bWd != 0 {
		sp.wd, sp.wdMode, sp.wdN = pc.wd, pc.wdMode, pc.wdN
	}
	if m&bNth != 0 {
		sp.nth, sp.nthWd = pc.nth, pc.nthWd
	}
	if m&bZone != 0 {
		sp.zoneOff = pc.zoneOff
	}
	if m&bEvery != 0 {
		sp.rep = pc.rep
	}
	if m&bWeek != 0 {
		sp.weekOff = pc.weekOff
	}
	if m&bYear != 0 {
		sp.year = pc.year
	}
	if m&bMonth != 0 {
		sp.month = pc.month
	}
	if m&bMonOff != 0 {
		sp.monOff = pc.monOff
	}
	if m&bDay != 0 {
		sp.day, sp.holiday, sp.hol = pc.day, pc.holiday, pc.hol
	}
	if m&bBound != 0 {
		sp.bound = pc.bound
	}
	if m&bTime != 0 {
		sp.hour, sp.min, sp.ampm = pc.hour, pc.min, pc.ampm
	}
	if m&bPeriod != 0 {
		sp.period = pc.period
	}
	if m&bDur != 0 {
		sp.durN, sp.durUnit, sp.durAnchor = pc.durN, pc.durUnit, pc.durAnchor
	}
	if m&bYearOff != 0 {
		sp.yearOff = pc.yearOff
	}
	sp.mask |= m
}

// meaningful reports whether the spec names a moment: a year, a month or a
// bare period of the day alone does not.
func (sp *spec) meaningful() bool {
	if sp.mask&^(bYear|bMonth|bZone|bEvery) == 0 {
		// "每周一", "every weekday", "每天" name their days; "每周",
		// "every month" alone do not.
		return sp.has(bEvery) && (sp.rep.Weekdays != 0 || sp.rep.Freq == Daily)
	}
	return true
}

func daysIn(y int, m time.Month) int {
	return time.Date(y, m+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

func date(y int, m time.Month, d int, loc *time.Location) time.Time {
	return time.Date(y, m, d, 0, 0, 0, 0, loc)
}

// mondayOf returns the Monday of the week holding t (weeks start Monday).
func mondayOf(t time.Time) time.Time {
	wd := int(t.Weekday()+6) % 7 // Monday 0
	return t.AddDate(0, 0, -wd)
}

// resolve turns the spec into a moment relative to now (already in its
// location), counting working days on cal. ok is false for impossible
// dates and for days the calendar does not know.
func (sp *spec) resolve(now time.Time, cal Calendar) (time.Time, Precision, bool) {
	if !sp.has(bZone) {
		return sp.resolveIn(now, cal)
	}
	// The words are on the zone's clock: resolve them on its wall time,
	// written as UTC (no *time.Location is made), then take the instant.
	off := time.Duration(sp.zoneOff) * time.Second
	wall := now.UTC().Add(off)
	t, p, ok := sp.resolveIn(wall, cal)
	if !ok {
		return time.Time{}, 0, false
	}
	loc := now.Location()
	if p == Minute {
		return t.Add(-off).In(loc), Minute, true
	}
	y, m, d := t.Date()
	return date(y, m, d, loc), Day, true
}

func (sp *spec) resolveIn(now time.Time, cal Calendar) (time.Time, Precision, bool) {
	if sp.has(bEvery) {
		return sp.resolveEvery(now, cal)
	}
	loc := now.Location()
	y, mo, d := now.Date()
	today := date(y, mo, d, loc)
	var day time.Time
	haveDay := false

	switch {
	case sp.has(bNth):
		t, ok := sp.resolveNth(today, cal)
		if !ok {
			return time.Time{}, 0, false
		}
		day, haveDay = t, true
	case sp.has(bDay) && sp.holiday != 0:
		t, ok := sp.resolveHoliday(today, cal)
		if !ok {
			return time.Time{}, 0, false
		}
		day, haveDay = t, true
	case sp.has(bDay):
		t, ok := sp.resolveDay(today)
		if !ok {
			return time.Time{}, 0, false
		}
		day, haveDay = t, true
	case sp.has(bBound):
		day, haveDay = sp.resolveBound(today), true
	case sp.has(bWd):
		switch {
		case sp.has(bWeek):
			day = mondayOf(today).AddDate(0, 0, 7*sp.weekOff+sp.wd-1)
		default:
			cur := int(today.Weekday()+6)%7 + 1
			delta := (sp.wd - cur + 7) % 7
			if delta == 0 && sp.wdMode == wdStrict {
				delta = 7
			}
			if sp.wdN > 1 {
				delta += 7 * (sp.wdN - 1)
			}
			day = today.AddDate(0, 0, delta)
		}
		haveDay = true
	case sp.has(bWeek):
		mon := mondayOf(today).AddDate(0, 0, 7*sp.weekOff)
		if sp.weekOff == 0 {
			day = mon.AddDate(0, 0, 4) // this week: its Friday
			if day.Before(today) {
				day = mon.AddDate(0, 0, 6)
			}
		} else {
			day = mon
		}
		haveDay = true
	case sp.has(bMonOff):
		day, haveDay = date(y, mo+time.Month(sp.monOff), 1, loc), true
	case sp.has(bYearOff):
		day, haveDay = date(y+sp.yearOff, 1, 1, loc), true
	case sp.has(bRel):
		day, haveDay = today.AddDate(0, 0, sp.rel), true
	case sp.has(bMonth) && sp.has(bYear):
		return time.Time{}, 0, false
	}

	if sp.has(bDur) {
		// "3 days from Tuesday" counts from the weekday; "Monday two weeks
		// from now" and "in 3 days on Friday" name the weekday of the week
		// the offset lands in.
		wdOfWeek := sp.has(bWd) && !sp.has(bWeek)
		base := now
		if sp.durAnchor && haveDay {
			base = day
			if wdOfWeek && !sp.has(bDay) && !sp.has(bRel) {
				wdOfWeek = false
			}
		} else {
			haveDay = false
		}
		switch sp.durUnit {
		case uMinute, uHour:
			if haveDay {
				day = day.Add(time.Duration(sp.durN) * time.Minute)
			} else {
				return now.Add(time.Duration(sp.durN) * time.Minute).Truncate(time.Minute), Minute, true
			}
		case uDay:
			day = dateOf(base).AddDate(0, 0, sp.durN)
		case uWorkday:
			if sp.durN > maxWorkdays || sp.durN < -maxWorkdays {
				return time.Time{}, 0, false
			}
			t, ok := addWorkdays(cal, dateOf(base), sp.durN)
			if !ok {
				return time.Time{}, 0, false
			}
			day = t
		case uWeek:
			day = dateOf(base).AddDate(0, 0, 7*sp.durN)
		case uMonth:
			day = dateOf(base).AddDate(0, sp.durN, 0)
		case uYear:
			day = dateOf(base).AddDate(sp.durN, 0, 0)
		}
		haveDay = true
		if wdOfWeek {
			day = mondayOf(day).AddDate(0, 0, sp.wd-1)
		}
	}

	if sp.has(bEOD) {
		if !haveDay {
			return today, Day, true
		}
		return dateOf(day), Day, true
	}
	hour, min, hasClock := sp.clock()
	if !hasClock {
		if !haveDay {
			if sp.has(bPeriod) {
				return today, Day, true
			}
			return time.Time{}, 0, false
		}
		return day, Day, true
	}
	if !haveDay {
		t := time.Date(y, mo, d, hour, min, 0, 0, loc)
		if t.Before(now.Truncate(time.Minute)) {
			t = time.Date(y, mo, d+1, hour, min, 0, 0, loc)
		}
		return t, Minute, true
	}
	dy, dm, dd := day.Date()
	return time.Date(dy, dm, dd, hour, min, 0, 0, loc), Minute, true
}

func dateOf(t time.Time) time.Time {
	y, m, d := t.Date()
	return date(y, m, d, t.Location())
}

// clock returns the 24-hour clock time the spec names, if any.
func (sp *spec) clock() (hour, min int, ok bool) {
	if !sp.has(bTime) {
		switch sp.period {
		case pNoon:
			return 12, 0, true
		case pMidnight:
			return 23, 59, true
		}
		return 0, 0, false
	}
	h, m := sp.hour, sp.min
	switch {
	case sp.ampm == 1:
		if h == 12 {
			h = 0
		}
	case sp.ampm == 2:
		if h < 12 {
			h += 12
		}
	case sp.period == pAfternoon || sp.period == pEvening || sp.period == pNight:
		if h < 12 && !(sp.period == pNight && h <= 3) {
			h += 12
		}
	case sp.period == pNoon:
		if h <= 3 {
			h += 12
		}
	case sp.period == pMorning || sp.period == pEarly:
		if h == 12 {
			h = 0
		}
	case sp.period == pNone:
		if h >= 1 && h <= 7 {
			h += 12
		}
	}
	if h == 24 && m == 0 {
		h, m = 23, 59
	}
	if h > 23 || m > 59 {
		return 0, 0, false
	}
	return h, m, true
}

// resolveDay resolves a spec with a day of the month.
func (sp *spec) resolveDay(today time.Time) (time.Time, bool) {
	loc := today.Location()
	ty, tm, _ := today.Date()
	d := sp.day
	if d < 1 || d > 31 {
		return time.Time{}, false
	}
	switch {
	case sp.has(bMonth):
		m := time.Month(sp.month)
		if m < 1 || m > 12 {
			return time.Time{}, false
		}
		if sp.has(bYear) || sp.has(bYearOff) {
			y := sp.year
			if !sp.has(bYear) {
				y = ty + sp.yearOff
			}
			if d > daysIn(y, m) {
				return time.Time{}, false
			}
			return date(y, m, d, loc), true
		}
		// The next year that has this date, this year included. With a
		// weekday ("Thu, Sep 4", "周四 9月4日"), of the date's next two
		// occurrences the one on that weekday; when neither is, the date
		// wins over the weekday.
		var first time.Time
		seen := 0
		for y := ty; y <= ty+8; y++ {
			if d > daysIn(y, m) {
				continue
			}
			t := date(y, m, d, loc)
			if t.Before(today) {
				continue
			}
			if !sp.has(bWd) || int(t.Weekday()+6)%7+1 == sp.wd {
				return t, true
			}
			if seen++; seen == 1 {
				first = t
			} else {
				break
			}
		}
		return first, !first.IsZero()
	case sp.has(bMonOff):
		first := date(ty, tm+time.Month(sp.monOff), 1, loc)
		if d > daysIn(first.Year(), first.Month()) {
			return time.Time{}, false
		}
		return first.AddDate(0, 0, d-1), true
	case sp.has(bWd):
		// "Monday 21": the next 21st that is a Monday.
		for k := 0; k < 60; k++ {
			first := date(ty, tm+time.Month(k), 1, loc)
			if d > daysIn(first.Year(), first.Month()) {
				continue
			}
			t := first.AddDate(0, 0, d-1)
			if t.Before(today) {
				continue
			}
			if int(t.Weekday()+6)%7+1 == sp.wd {
				return t, true
			}
		}
		return time.Time{}, false
	}
	// The next month that has this day, this month included.
	for k := 0; k < 12; k++ {
		first := date(ty, tm+time.Month(k), 1, loc)
		if d > daysIn(first.Year(), first.Month()) {
			continue
		}
		t := first.AddDate(0, 0, d-1)
		if !t.Before(today) {
			return t, true
		}
	}
	return time.Time{}, false
}

// resolveBound resolves month, year and week boundaries.
func (sp *spec) resolveBound(today time.Time) time.Time {
	loc := today.Location()
	ty, tm, _ := today.Date()
	y := ty
	if sp.has(bYear) {
		y = sp.year
	} else if sp.has(bYearOff) {
		y = ty + sp.yearOff
	}
	m := tm
	explicitMonth := false
	if sp.has(bMonth) {
		m = time.Month(sp.month)
		explicitMonth = true
	} else if sp.has(bMonOff) {
		m = tm + time.Month(sp.monOff)
		explicitMonth = true
	}
	switch sp.bound {
	case kMonthEnd:
		t := date(y, m+1, 0, loc)
		if sp.has(bMonth) && !sp.has(bYear) && t.Before(today) {
			t = date(y+1, m+1, 0, loc)
		}
		return t
	case kMonthStart:
		t := date(y, m, 1, loc)
		if t.Before(today) && (!explicitMonth || sp.has(bMonth) && !sp.has(bYear)) {
			if sp.has(bMonth) {
				t = date(y+1, m, 1, loc)
			} else {
				t = date(y, m+1, 1, loc)
			}
		}
		return t
	case kMonthMid:
		t := date(y, m, 15, loc)
		if t.Before(today) && !sp.has(bMonOff) && !sp.has(bYear) {
			if sp.has(bMonth) {
				t = date(y+1, m, 15, loc)
			} else {
				t = date(y, m+1, 15, loc)
			}
		}
		return t
	case kYearEnd:
		return date(y, 12, 31, loc)
	case kYearStart:
		t := date(y, 1, 1, loc)
		if t.Before(today) && !sp.has(bYear) && !sp.has(bYearOff) {
			t = date(y+1, 1, 1, loc)
		}
		return t
	case kWeekEnd, kWeekendS:
		mon := mondayOf(today).AddDate(0, 0, 7*sp.weekOff)
		off := 4
		if sp.bound == kWeekendS {
			off = 5
		}
		t := mon.AddDate(0, 0, off)
		if t.Before(today) && !sp.has(bWeek) {
			t = t.AddDate(0, 0, 7)
		}
		return t
	}
	return today
}

// easter returns Easter Sunday of year y (Gregorian; anonymous computus).
func easter(y int, loc *time.Location) time.Time {
	a := y % 19
	b, c := y/100, y%100
	d, e := b/4, b%4
	f := (b + 8) / 25
	g := (b - f + 1) / 3
	h := (19*a + b - d - g + 15) % 30
	i, k := c/4, c%4
	l := (32 + 2*e + 2*i - h - k) % 7
	m := (a + 11*h + 22*l) / 451
	month := (h + l - 7*m + 114) / 31
	day := (h+l-7*m+114)%31 + 1
	return date(y, time.Month(month), day, loc)
}
