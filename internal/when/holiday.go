package when

import "time"

// Holidays whose date moves (spec.holiday, with the details in spec.hol).
const (
	hEaster   uint8 = iota + 1
	hLunar          // a lunar month and day: 春节, 中秋, 腊月二十三
	hQingming       // the solar term 清明
	hNthWd          // the n-th (or last) weekday of a month: Thanksgiving
	hFixed          // a fixed month and day, with after set: 国庆后
)

// holidayRef says which holiday a spec names.
type holidayRef struct {
	m, d int8 // lunar month and day (d 0: the month's last day); hNthWd: month and n (-1 last); hFixed: month and day
	wd   int8 // hNthWd: 1 Monday .. 7 Sunday
	// after: "中秋节后", "节后": the first working day after the
	// holiday, so the whole break is skipped.
	after bool
}

// zhLunarHolidays are the festivals of the lunar calendar, longest first
// where one is a prefix of another.
var zhLunarHolidays = [...]struct {
	w    string
	m, d int8
}{
	{"春节", 1, 1}, {"春節", 1, 1}, {"大年初一", 1, 1},
	{"元宵节", 1, 15}, {"元宵節", 1, 15}, {"元宵", 1, 15},
	{"端午节", 5, 5}, {"端午節", 5, 5}, {"端午", 5, 5},
	{"七夕节", 7, 7}, {"七夕", 7, 7},
	{"中元节", 7, 15},
	{"中秋节", 8, 15}, {"中秋節", 8, 15}, {"中秋", 8, 15},
	{"重阳节", 9, 9}, {"重陽節", 9, 9}, {"重阳", 9, 9}, {"重陽", 9, 9},
	{"腊八节", 12, 8}, {"腊八", 12, 8}, {"臘八", 12, 8},
	{"小年", 12, 23},
	{"除夕", 12, 0}, {"大年三十", 12, 0}, {"年三十", 12, 0},
}

// zhAfterHoliday are the words that turn a holiday into "after it".
var zhAfterHoliday = [...]string{"节后", "節後", "过后", "過後", "以后", "以後", "之后", "之後", "后", "後"}

// zhHolidayAfter reads an "after" word at s[i:], but not the start of a
// longer word ("后天").
func zhHolidayAfter(s string, i int) (int, bool) {
	for _, w := range zhAfterHoliday {
		if e, ok := lit(s, i, w); ok {
			if _, ok := lit(s, e, "天"); ok {
				return i, false
			}
			return e, true
		}
	}
	return i, false
}

// zhLunarHoliday reads a lunar festival, 清明, and an optional "after".
func zhLunarHoliday(s string, i int, out *spec) (int, bool) {
	e := i
	found := false
	for _, h := range zhLunarHolidays {
		if e2, ok := lit(s, i, h.w); ok {
			if h.w == "小年" && (hasLit(s, e2, "轻") || hasLit(s, e2, "輕")) {
				return i, false // 小年轻: young people
			}
			out.holiday, out.hol = hLunar, holidayRef{m: h.m, d: h.d}
			e, found = e2, true
			break
		}
	}
	if !found {
		for _, w := range [...]string{"清明节", "清明節", "清明"} {
			if e2, ok := lit(s, i, w); ok {
				out.holiday = hQingming
				e, found = e2, true
				break
			}
		}
	}
	if !found {
		return i, false
	}
	out.mask |= bDay
	out.day = 1
	if e2, ok := zhHolidayAfter(s, e); ok {
		out.hol.after = true
		e = e2
	}
	return e, true
}

var zhLunarMonths = [...]struct {
	w string
	m int
}{
	{"正月", 1}, {"冬月", 11}, {"腊月", 12}, {"臘月", 12},
}

// zhLunarDate reads a lunar date: 正月十五, 腊月二十三, 农历八月十五,
// 农历五月初五 (an ordinary month name needs 农历 before it).
func zhLunarDate(s string, i int, out *spec) (int, bool) {
	j := i
	prefixed := false
	for _, w := range [...]string{"农历", "農曆", "阴历", "陰曆"} {
		if e, ok := lit(s, j, w); ok {
			j, prefixed = e, true
			break
		}
	}
	m := 0
	for _, lm := range zhLunarMonths {
		if e, ok := lit(s, j, lm.w); ok {
			m, j = lm.m, e
			break
		}
	}
	if m == 0 && prefixed {
		if v, e, ok := zhNum(s, j); ok && v >= 1 && v <= 12 {
			if e2, ok := lit(s, e, "月"); ok {
				m, j = v, e2
			}
		}
	}
	if m == 0 {
		return i, false
	}
	d, e, ok := zhLunarDay(s, j)
	if !ok {
		return i, false
	}
	out.mask |= bDay
	out.day = 1
	out.holiday, out.hol = hLunar, holidayRef{m: int8(m), d: int8(d)}
	if e2, ok := zhHolidayAfter(s, e); ok {
		out.hol.after = true
		e = e2
	}
	return e, true
}

// zhLunarDay reads 初一..初十, 十一..三十, 廿一..廿九.
func zhLunarDay(s string, i int) (int, int, bool) {
	if e, ok := lit(s, i, "初"); ok {
		if v, e2, ok := zhNum(s, e); ok && v >= 1 && v <= 10 {
			return v, e2, true
		}
		return 0, i, false
	}
	if e, ok := lit(s, i, "廿"); ok {
		if v, e2, ok := zhNum(s, e); ok && v >= 1 && v <= 9 {
			return 20 + v, e2, true
		}
		return 20, e, true
	}
	if v, e, ok := zhNum(s, i); ok && v >= 11 && v <= 30 {
		return v, e, true
	}
	return 0, i, false
}

// enNthHolidays are the holidays on the n-th or last weekday of a month
// (United States observances).
var enNthHolidays = [...]struct {
	w        string
	m, n, wd int8
}{
	{"thanksgiving day", 11, 4, 4}, {"thanksgiving", 11, 4, 4},
	{"memorial day", 5, -1, 1}, {"labor day", 9, 1, 1},
	{"martin luther king day", 1, 3, 1}, {"mlk day", 1, 3, 1},
	{"presidents' day", 2, 3, 1}, {"presidents day", 2, 3, 1}, {"president's day", 2, 3, 1},
	{"mother's day", 5, 2, 7}, {"mothers day", 5, 2, 7}, {"father's day", 6, 3, 7}, {"fathers day", 6, 3, 7},
}

// resolveHoliday resolves a moving holiday: its next occurrence, today
// included, or that of the year given.
func (sp *spec) resolveHoliday(today time.Time, cal Calendar) (time.Time, bool) {
	loc := today.Location()
	of := func(y int) (time.Time, bool) {
		switch sp.holiday {
		case hEaster:
			return easter(y, loc), true
		case hLunar:
			ly := y
			if sp.hol.m == 12 && sp.has(bYear) {
				ly-- // 2026年除夕 is the eve of the 2026 new year
			}
			return lunarToSolar(ly, int(sp.hol.m), int(sp.hol.d), loc)
		case hQingming:
			return qingmingOf(y, loc)
		case hNthWd:
			return nthWeekday(y, time.Month(sp.hol.m), int(sp.hol.d), int(sp.hol.wd), loc)
		case hFixed:
			if int(sp.hol.d) > daysIn(y, time.Month(sp.hol.m)) {
				return time.Time{}, false
			}
			return date(y, time.Month(sp.hol.m), int(sp.hol.d), loc), true
		}
		return time.Time{}, false
	}
	var t time.Time
	var ok bool
	switch {
	case sp.has(bYear):
		t, ok = of(sp.year)
	case sp.holiday == hLunar:
		t, ok = nextLunar(int(sp.hol.m), int(sp.hol.d), today)
	default:
		if t, ok = of(today.Year()); ok && t.Before(today) {
			t, ok = of(today.Year() + 1)
		}
	}
	if !ok {
		return time.Time{}, false
	}
	if sp.hol.after {
		return addWorkdays(cal, t, 1)
	}
	return t, true
}

// nthWeekday returns the n-th (1..5; -1 the last) weekday wd (1 Monday ..
// 7 Sunday) of month m of year y.
func nthWeekday(y int, m time.Month, n, wd int, loc *time.Location) (time.Time, bool) {
	if n == -1 {
		last := date(y, m+1, 0, loc)
		cur := int(last.Weekday()+6)%7 + 1
		return last.AddDate(0, 0, -((cur - wd + 7) % 7)), true
	}
	if n < 1 || n > 5 || wd < 1 || wd > 7 {
		return time.Time{}, false
	}
	first := date(y, m, 1, loc)
	cur := int(first.Weekday()+6)%7 + 1
	t := first.AddDate(0, 0, (wd-cur+7)%7+7*(n-1))
	if t.Month() != m {
		return time.Time{}, false // no fifth Monday this month
	}
	return t, true
}
