package when

import "time"

// Freq is how often a [Repeat] recurs.
type Freq uint8

// Frequencies of a Repeat.
const (
	Daily Freq = iota + 1
	Weekly
	Monthly
	Yearly
)

// Repeat is a recurrence read from "每周一上午10点", "每两周的周五",
// "every other Friday", "every weekday at 9", "每月最后一个工作日". The
// Match holding it has the first instance, on or after the reference, as
// its Time.
type Repeat struct {
	// Freq is Daily, Weekly, Monthly or Yearly; zero means no recurrence.
	Freq Freq
	// Interval is 1 for "every", 2 for "every other" and "每两周".
	Interval int
	// Weekdays is a set of days, bit 0 Monday .. bit 6 Sunday: the days
	// of a weekly rule, or the one day of a monthly Nth.
	Weekdays uint8
	// Nth is, for a monthly rule, which of the month's Weekdays (or of its
	// working days, with Workdays) is meant: 1..5, or -1 the last.
	Nth int
	// Workdays says the rule names working days of the calendar ("每个工
	// 作日", "每月最后一个工作日"): Weekdays is then Monday to Friday, as
	// near as a weekday rule comes.
	Workdays bool
	// MonthDay is, for a monthly or yearly rule, the day of the month
	// (-1: the last).
	MonthDay int
	// Month is, for a yearly rule, the month.
	Month int
}

const weekdaysMoFr = 0x1f

// zhEvery reads 每[隔][N][个](天|日|周[一二…]|星期X|月[底|初]|年|工作日).
func zhEvery(s string, i int, out *spec) (int, bool) {
	j, ok := lit(s, i, "每")
	if !ok {
		return i, false
	}
	gap := false
	if e, ok := lit(s, j, "隔"); ok {
		j, gap = e, true
	}
	n := 1
	if v, e, ok := num(s, j, 2); ok && v >= 1 && v <= 99 {
		n, j = v, e
	}
	if gap {
		n++ // 每隔一周: every other week
	}
	for _, w := range [...]string{"个", "個"} {
		if e, ok := lit(s, j, w); ok {
			j = e
			break
		}
	}
	r := Repeat{Interval: n}
	switch {
	case hasLit(s, j, "工作日"):
		j += len("工作日")
		r.Freq, r.Weekdays, r.Workdays = Weekly, weekdaysMoFr, true
	case hasLit(s, j, "天") || hasLit(s, j, "日"):
		j += len("天")
		r.Freq = Daily
	case hasLit(s, j, "月"):
		j += len("月")
		r.Freq = Monthly
		if k, e, ok := zhBoundSuffix(s, j); ok {
			out.mask |= bBound
			out.bound = kMonthEnd
			if k == 2 {
				out.bound = kMonthStart
			}
			j = e
		}
	case hasLit(s, j, "年"):
		j += len("年")
		r.Freq = Yearly
	default:
		found := false
		for _, w := range zhWeekWords {
			if e, ok := lit(s, j, w); ok {
				j, found = e, true
				break
			}
		}
		if !found {
			return i, false
		}
		r.Freq = Weekly
		// 每周一, 每周一三五, 每周二、四.
		for {
			k := j
			if e, ok := lit(s, k, "、"); ok && r.Weekdays != 0 {
				k = e
			}
			if _, ok := lit(s, k, "日子"); ok {
				break
			}
			wd, e, ok := zhWeekday(s, k)
			if !ok || e-k > 3 || zhCountWord(s, e) {
				break // 每周三次: three times a week
			}
			r.Weekdays |= 1 << (wd - 1)
			j = e
		}
	}
	out.mask |= bEvery
	out.rep = r
	return j, true
}

// zhCountWord reports a measure word after a number: 次, 回, 遍, 趟.
func zhCountWord(s string, i int) bool {
	for _, w := range [...]string{"次", "回", "遍", "趟", "天", "小时", "個", "个"} {
		if hasLit(s, i, w) {
			return true
		}
	}
	return false
}

func hasLit(s string, i int, w string) bool {
	_, ok := lit(s, i, w)
	return ok
}

// enEvery reads "every [other|N] (day|weekday|working day|week|month|year|
// Monday|Mondays)", "each Monday", "daily", "weekdays".
func enEvery(s string, i int, out *spec) (int, bool) {
	j := i
	r := Repeat{Interval: 1}
	if _, e, ok := anyWord(s, j, "every", "each"); ok {
		j = spaces(s, e)
		if e, ok := word(s, j, "other"); ok {
			r.Interval, j = 2, spaces(s, e)
		} else if v, e, ok := digits(s, j, 2); ok && v >= 1 {
			r.Interval, j = v, spaces(s, e)
		} else if v, e, ok := enNum(s, j, false); ok && v >= 2 {
			r.Interval, j = v, spaces(s, e)
		}
	} else if e, ok := word(s, j, "daily"); ok {
		out.mask |= bEvery
		out.rep = Repeat{Freq: Daily, Interval: 1}
		return e, true
	} else {
		return i, false
	}
	plural := func(e int) int {
		if e < len(s) && s[e]|0x20 == 's' && (e+1 >= len(s) || !isLetter(s[e+1])) {
			return e + 1
		}
		return e
	}
	switch {
	case hasWord(s, j, "weekdays"), hasWord(s, j, "weekday"):
		r.Freq, r.Weekdays = Weekly, weekdaysMoFr
		_, j, _ = anyWord(s, j, "weekdays", "weekday")
	case hasPhrase(s, j, "working day"), hasPhrase(s, j, "business day"), hasPhrase(s, j, "workday"):
		r.Freq, r.Weekdays, r.Workdays = Weekly, weekdaysMoFr, true
		for _, w := range [...]string{"working days", "working day", "business days", "business day", "workdays", "workday"} {
			if e, ok := phrase(s, j, w); ok {
				j = e
				break
			}
		}
	case hasWord(s, j, "days"), hasWord(s, j, "day"), hasWord(s, j, "morning"), hasWord(s, j, "evening"), hasWord(s, j, "afternoon"), hasWord(s, j, "night"):
		r.Freq = Daily
		if _, e, ok := anyWord(s, j, "days", "day"); ok {
			j = e
		}
		// "every morning": the period is read next as its own component.
	case hasWord(s, j, "weeks"), hasWord(s, j, "week"):
		r.Freq = Weekly
		_, j, _ = anyWord(s, j, "weeks", "week")
	case hasWord(s, j, "months"), hasWord(s, j, "month"):
		r.Freq = Monthly
		_, j, _ = anyWord(s, j, "months", "month")
	case hasWord(s, j, "years"), hasWord(s, j, "year"):
		r.Freq = Yearly
		_, j, _ = anyWord(s, j, "years", "year")
	default:
		wd, e, ok := weekdayName(s, j)
		if !ok {
			if j < len(s) && weekdayFirst[s[j]] {
				// "Mondays"
				for k, names := range enWeekdays {
					if e2, ok := phrase(s, j, names[0]+"s"); ok {
						wd, e, ok = k+1, e2, true
						break
					}
				}
			}
			if wd == 0 {
				return i, false
			}
		}
		r.Freq, r.Weekdays = Weekly, 1<<(wd-1)
		j = plural(e)
		// "every Monday and Thursday", "every Monday, Wednesday".
		for {
			k := spaces(s, j)
			if k < len(s) && s[k] == ',' {
				k = spaces(s, k+1)
			}
			if e, ok := word(s, k, "and"); ok {
				k = spaces(s, e)
			}
			wd, e, ok := weekdayName(s, k)
			if !ok || k == j {
				break
			}
			r.Weekdays |= 1 << (wd - 1)
			j = plural(e)
		}
	}
	out.mask |= bEvery
	out.rep = r
	return j, true
}

func hasWord(s string, i int, w string) bool {
	_, ok := word(s, i, w)
	return ok
}

func hasPhrase(s string, i int, p string) bool {
	_, ok := phrase(s, i, p)
	return ok
}

// repeat completes the recurrence from the other components: the weekday
// of a weekly rule, the day or the n-th weekday of a monthly one, the date
// of a yearly one. ok is false for a rule that names no instance ("每月"
// alone, "every year" without a date).
func (sp *spec) repeat() (Repeat, bool) {
	r := sp.rep
	if r.Interval < 1 {
		r.Interval = 1
	}
	switch r.Freq {
	case Daily:
		if sp.mask&(bWd|bDay|bNth|bBound|bMonth|bRel|bDur) != 0 {
			return r, false
		}
	case Weekly:
		if sp.has(bWd) {
			r.Weekdays |= 1 << (sp.wd - 1)
		}
		if sp.mask&(bDay|bNth|bBound|bMonth|bRel|bDur) != 0 {
			return r, false
		}
	case Monthly:
		switch {
		case sp.mask&(bWd|bRel|bDur|bMonth) != 0:
			return r, false
		case sp.has(bNth):
			r.Nth = sp.nth
			if sp.nthWd == 0 {
				r.Workdays = true
				r.Weekdays = weekdaysMoFr
			} else {
				r.Weekdays = 1 << (sp.nthWd - 1)
			}
		case sp.has(bDay) && sp.holiday == 0:
			r.MonthDay = sp.day
		case sp.has(bBound) && sp.bound == kMonthEnd:
			r.MonthDay = -1
		case sp.has(bBound) && sp.bound == kMonthStart:
			r.MonthDay = 1
		case sp.has(bBound) && sp.bound == kMonthMid:
			r.MonthDay = 15
		default:
			return r, false
		}
	case Yearly:
		if !sp.has(bMonth) || !sp.has(bDay) || sp.holiday != 0 || sp.mask&(bWd|bRel|bDur|bYear) != 0 {
			return r, false
		}
		r.Month, r.MonthDay = sp.month, sp.day
	default:
		return r, false
	}
	return r, true
}

// resolveEvery returns the first instance of the recurrence on or after
// now: today's when its time has not passed.
func (sp *spec) resolveEvery(now time.Time, cal Calendar) (time.Time, Precision, bool) {
	r, ok := sp.repeat()
	if !ok {
		return time.Time{}, 0, false
	}
	loc := now.Location()
	y, mo, d := now.Date()
	today := date(y, mo, d, loc)
	hour, min, hasClock := sp.clock()
	at := func(day time.Time) (time.Time, Precision) {
		if !hasClock {
			return day, Day
		}
		dy, dm, dd := day.Date()
		return time.Date(dy, dm, dd, hour, min, 0, 0, loc), Minute
	}
	// ok reports whether the instance on day is still ahead.
	ahead := func(day time.Time) bool {
		t, _ := at(day)
		if !hasClock {
			return !t.Before(today)
		}
		return !t.Before(now.Truncate(time.Minute))
	}
	switch r.Freq {
	case Daily:
		for k := 0; k < 2; k++ {
			if day := today.AddDate(0, 0, k); ahead(day) {
				t, p := at(day)
				return t, p, true
			}
		}
	case Weekly:
		mask := r.Weekdays
		if mask == 0 {
			mask = 1 << (int(today.Weekday()+6) % 7)
		}
		for k := 0; k < 15; k++ {
			day := today.AddDate(0, 0, k)
			if !ahead(day) {
				continue
			}
			if r.Workdays {
				// The calendar's working days, swapped weekends included.
				if w, ok := addWorkdays(cal, day, 0); !ok || !w.Equal(day) {
					continue
				}
			} else if mask&(1<<(int(day.Weekday()+6)%7)) == 0 {
				continue
			}
			t, p := at(day)
			return t, p, true
		}
	case Monthly:
		for k := 0; k < 14; k++ {
			first := date(y, mo+time.Month(k), 1, loc)
			var day time.Time
			var ok bool
			switch {
			case r.Nth != 0:
				var tmp spec
				tmp.nth, tmp.nthWd = r.Nth, sp.nthWd
				tmp.mask = bNth | bMonth | bYear
				tmp.month, tmp.year = int(first.Month()), first.Year()
				day, ok = tmp.resolveNth(today, cal)
			case r.MonthDay == -1:
				day, ok = date(first.Year(), first.Month()+1, 0, loc), true
			default:
				if r.MonthDay <= daysIn(first.Year(), first.Month()) {
					day, ok = first.AddDate(0, 0, r.MonthDay-1), true
				}
			}
			if ok && ahead(day) {
				t, p := at(day)
				return t, p, true
			}
		}
	case Yearly:
		for k := 0; k < 9; k++ {
			if r.MonthDay > daysIn(y+k, time.Month(r.Month)) {
				continue
			}
			if day := date(y+k, time.Month(r.Month), r.MonthDay, loc); ahead(day) {
				t, p := at(day)
				return t, p, true
			}
		}
	}
	return time.Time{}, 0, false
}
