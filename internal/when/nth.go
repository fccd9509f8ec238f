package when

import "time"

// zhNth reads 第N个周X, 最后一个周X, 第N个工作日 and 最后一个工作日 (the
// month comes from another component: 下个月第二个周三, 本月最后一个周五).
func zhNth(s string, i int, out *spec) (int, bool) {
	j := i
	n := 0
	if e, ok := lit(s, j, "第"); ok {
		v, e2, ok := num(s, e, 1)
		if !ok || v < 1 || v > 5 {
			return i, false
		}
		n, j = v, e2
	} else {
		for _, w := range [...]string{"最后", "最後", "倒数第一"} {
			if e, ok := lit(s, j, w); ok {
				n, j = -1, e
				break
			}
		}
		if n == 0 {
			return i, false
		}
	}
	for _, w := range [...]string{"个", "個"} {
		if e, ok := lit(s, j, w); ok {
			j = e
			break
		}
	}
	if e, ok := lit(s, j, "一个"); ok && n == -1 {
		j = e
	} else if e, ok := lit(s, j, "一個"); ok && n == -1 {
		j = e
	}
	for _, w := range [...]string{"工作日", "工作天"} {
		if e, ok := lit(s, j, w); ok {
			out.mask |= bNth
			out.nth, out.nthWd = n, 0
			return e, true
		}
	}
	for _, w := range zhWeekWords {
		if e, ok := lit(s, j, w); ok {
			if wd, e2, ok := zhWeekday(s, e); ok {
				out.mask |= bNth
				out.nth, out.nthWd = n, wd
				return e2, true
			}
		}
	}
	return i, false
}

// enNth reads "the second Tuesday of May", "the last Friday of March",
// "first Monday of next month", "the last working day of the month";
// "last" needs the month after it ("last Friday" is last week's).
func enNth(s string, i int, out *spec) (int, bool) {
	j := i
	if e, ok := word(s, j, "the"); ok {
		j = spaces(s, e)
	}
	n := 0
	if e, ok := word(s, j, "last"); ok {
		n, j = -1, spaces(s, e)
	} else if v, e, ok := ordinal(s, j); ok && v >= 1 && v <= 5 {
		n, j = v, spaces(s, e)
	} else {
		return i, false
	}
	wd := 0
	e := j
	if _, e2, ok := anyWord(s, j, "working", "business", "work"); ok {
		if e3, ok := word(s, spaces(s, e2), "day"); ok {
			e = e3
		} else {
			return i, false
		}
	} else if v, e2, ok := weekdayName(s, j); ok {
		wd, e = v, e2
	} else {
		return i, false
	}
	// The month: "of May", "in March", "of next month", "of the month".
	k := spaces(s, e)
	_, k2, ofIn := anyWord(s, k, "of", "in")
	if ofIn {
		k2 = spaces(s, k2)
		if m, e3, ok := monthName(s, k2); ok {
			out.mask |= bNth | bMonth
			out.nth, out.nthWd, out.month = n, wd, m
			if y, e4, ok := yearAfter(s, e3); ok {
				out.mask |= bYear
				out.year = y
				return e4, true
			}
			return e3, true
		}
		var tmp spec
		if e3, ok := enWeekMonthYear(s, k2, &tmp); ok && tmp.has(bMonOff) {
			out.mask |= bNth | bMonOff
			out.nth, out.nthWd, out.monOff = n, wd, tmp.monOff
			return e3, true
		}
		if e3, ok := phrase(s, k2, "the month"); ok {
			out.mask |= bNth
			out.nth, out.nthWd = n, wd
			return e3, true
		}
		if hasWord(s, k2, "every") {
			// "the last Friday of every month": the recurrence reader
			// takes "every month" next.
			out.mask |= bNth
			out.nth, out.nthWd = n, wd
			return k, true
		}
	}
	if n == -1 {
		return i, false
	}
	out.mask |= bNth
	out.nth, out.nthWd = n, wd
	return e, true
}

// resolveNth resolves the n-th weekday or working day of a month: of the
// month named (the next such month when it has passed and no year is
// given), of the month offset, or of this month (the next month's when
// this month's has passed).
func (sp *spec) resolveNth(today time.Time, cal Calendar) (time.Time, bool) {
	loc := today.Location()
	ty, tm, _ := today.Date()
	of := func(y int, m time.Month) (time.Time, bool) {
		first := date(y, m, 1, loc)
		y, m = first.Year(), first.Month()
		if sp.nthWd == 0 {
			if sp.nth == -1 {
				return addWorkdays(cal, date(y, m+1, 1, loc), -1)
			}
			t, ok := addWorkdays(cal, first.AddDate(0, 0, -1), sp.nth)
			if !ok || t.Month() != m {
				return time.Time{}, false
			}
			return t, true
		}
		return nthWeekday(y, m, sp.nth, sp.nthWd, loc)
	}
	switch {
	case sp.has(bMonth):
		m := time.Month(sp.month)
		if sp.has(bYear) {
			return of(sp.year, m)
		}
		if sp.has(bYearOff) {
			return of(ty+sp.yearOff, m)
		}
		if t, ok := of(ty, m); ok && !t.Before(today) {
			return t, true
		}
		return of(ty+1, m)
	case sp.has(bMonOff):
		return of(ty, tm+time.Month(sp.monOff))
	}
	for k := 0; k < 3; k++ {
		if t, ok := of(ty, tm+time.Month(k)); ok && !t.Before(today) {
			return t, true
		}
	}
	return time.Time{}, false
}
