package when

type enDay struct {
	w      string
	days   int
	period uint8
}

var enDays = [...]enDay{
	{"the day after tomorrow", 2, pNone}, {"day after tomorrow", 2, pNone},
	{"the day before yesterday", -2, pNone},
	{"tomorrow", 1, pNone}, {"tmrw", 1, pNone}, {"tmr", 1, pNone}, {"tomorow", 1, pNone}, {"tommorow", 1, pNone},
	{"today", 0, pNone}, {"tonight", 0, pEvening}, {"tonite", 0, pEvening},
	{"this morning", 0, pMorning}, {"this afternoon", 0, pAfternoon}, {"this evening", 0, pEvening},
	{"yesterday", -1, pNone}, {"last night", -1, pNight},
	{"the day after", 1, pNone}, {"the day", 0, pNone}, {"otd", 0, pNone},
}

// phrase matches a multi-word lower-case phrase, allowing runs of spaces.
func phrase(s string, i int, p string) (int, bool) {
	j := i
	for k := 0; k < len(p); {
		if p[k] == ' ' {
			if j >= len(s) || s[j] != ' ' {
				return i, false
			}
			j = spaces(s, j)
			k++
			continue
		}
		if j >= len(s) || (s[j]|0x20 != p[k] && s[j] != p[k]) {
			return i, false
		}
		j++
		k++
	}
	if j < len(s) && isLetter(s[j]) {
		return i, false
	}
	return j, true
}

func enDayWord(s string, i int, out *spec) (int, bool) {
	if i >= len(s) || !dayWordFirst[s[i]] {
		return i, false
	}
	for _, d := range enDays {
		if e, ok := phrase(s, i, d.w); ok {
			out.mask |= bRel
			out.rel = d.days
			if d.period != pNone {
				out.mask |= bPeriod
				out.period = d.period
			}
			return e, true
		}
	}
	return i, false
}

var enWeekdays = [...][]string{
	{"monday", "mon"},
	{"tuesday", "tues", "tue"},
	{"wednesday", "wed"},
	{"thursday", "thurs", "thur", "thu"},
	{"friday", "fri"},
	{"saturday", "sat"},
	{"sunday", "sun"},
}

// weekdayName reads a weekday name or abbreviation (with an optional dot).
func weekdayName(s string, i int) (int, int, bool) {
	if i >= len(s) || !weekdayFirst[s[i]] {
		return 0, i, false
	}
	for k, names := range enWeekdays {
		for _, n := range names {
			if e, ok := word(s, i, n); ok {
				// "sun", "sat", "wed" are also words: abbreviations must be
				// capitalised.
				if len(n) == 3 && (s[i] < 'A' || s[i] > 'Z') && (n == "sun" || n == "sat" || n == "wed") {
					continue
				}
				if len(n) <= 5 && n != "tues" && e < len(s) && s[e] == '.' {
					e++
				}
				return k + 1, e, true
			}
		}
	}
	return 0, i, false
}

// enWeekday reads [this|next|coming|upcoming|following|last] weekday.
func enWeekday(s string, i int, out *spec) (int, bool) {
	j := i
	mode := -1 // -1 bare; 0 strict; else week offset+10
	for _, p := range [...]struct {
		w    string
		mode int
	}{
		{"this coming", 0}, {"this upcoming", 0}, {"the coming", 0}, {"the upcoming", 0},
		{"coming", 0}, {"upcoming", 0},
		{"this", 10}, {"next", 11}, {"the following", 11}, {"following", 11}, {"last", 9}, {"previous", 9},
	} {
		if e, ok := phrase(s, j, p.w); ok {
			e = spaces(s, e)
			if _, _, ok := weekdayName(s, e); ok {
				j, mode = e, p.mode
				break
			}
		}
	}
	wd, e, ok := weekdayName(s, j)
	if !ok {
		return i, false
	}
	out.mask |= bWd
	out.wd = wd
	switch {
	case mode == 0:
		out.wdMode = wdStrict
	case mode >= 9:
		out.mask |= bWeek
		out.weekOff = mode - 10
	}
	return e, true
}

// enWeekMonthYear reads this/next/last week|month|year and weekend.
func enWeekMonthYear(s string, i int, out *spec) (int, bool) {
	for _, p := range [...]struct {
		w   string
		off int
	}{
		{"the following", 1}, {"following", 1}, {"this", 0}, {"next", 1}, {"last", -1}, {"previous", -1},
		{"the next", 1}, {"the", 0},
	} {
		e, ok := phrase(s, i, p.w)
		if !ok {
			continue
		}
		e = spaces(s, e)
		if e2, ok := word(s, e, "week"); ok {
			if p.w == "the" {
				return i, false
			}
			out.mask |= bWeek
			out.weekOff = p.off
			return e2, true
		}
		if e2, ok := word(s, e, "weekend"); ok {
			out.mask |= bBound
			out.bound = kWeekendS
			if p.w != "the" {
				out.mask |= bWeek
				out.weekOff = p.off
			}
			return e2, true
		}
		if p.w == "the" || p.w == "the following" || p.w == "following" {
			continue
		}
		if e2, ok := word(s, e, "month"); ok {
			out.mask |= bMonOff
			out.monOff = p.off
			return e2, true
		}
		if e2, ok := word(s, e, "year"); ok {
			out.mask |= bYearOff
			out.yearOff = p.off
			return e2, true
		}
	}
	return i, false
}

// enEnd reads EOD, EOW, end of (the) day/week/month/year, and "end of"
// before a day ("end of tomorrow", "end of this Sunday").
func enEnd(s string, i int, ctx *spec, out *spec) (int, bool) {
	if _, e, ok := anyWord(s, i, "eod", "cob", "eob"); ok {
		out.mask |= bEOD
		return e, true
	}
	if e, ok := phrase(s, i, "close of business"); ok {
		out.mask |= bEOD
		return e, true
	}
	if e, ok := phrase(s, i, "end of business"); ok {
		out.mask |= bEOD
		return e, true
	}
	if b, e, ok := enPeriodEnd(s, i, 0); ok {
		out.mask |= bBound
		out.bound = b
		return e, true
	}
	j := i
	if e, ok := word(s, j, "the"); ok {
		j = spaces(s, e)
	}
	e, ok := phrase(s, j, "end of")
	if !ok {
		return i, false
	}
	j = spaces(s, e)
	k := j
	if e, ok := word(s, k, "the"); ok {
		k = spaces(s, e)
	} else if e, ok := word(s, k, "this"); ok {
		// "end of this week/month/year" ("end of this sunday" is a weekday).
		k2 := spaces(s, e)
		if _, _, ok := anyWord(s, k2, "week", "month", "year"); ok {
			k = k2
		}
	}
	if e, ok := word(s, k, "day"); ok {
		out.mask |= bEOD
		return e, true
	}
	if b, e, ok := enPeriodEnd(s, k, 1); ok {
		out.mask |= bBound
		out.bound = b
		return e, true
	}
	// next/this month|week|year
	var tmp spec
	if e, ok := enWeekMonthYear(s, j, &tmp); ok {
		switch {
		case tmp.has(bMonOff):
			*out = tmp
			out.mask |= bBound
			out.bound = kMonthEnd
			return e, true
		case tmp.has(bYearOff):
			*out = tmp
			out.mask |= bBound
			out.bound = kYearEnd
			return e, true
		case tmp.has(bWeek) && !tmp.has(bBound):
			*out = tmp
			out.mask |= bBound
			out.bound = kWeekEnd
			return e, true
		}
	}
	// A day: "end of tomorrow", "end of the sunday".
	tmp = spec{}
	if e, ok := enDayWord(s, j, &tmp); ok {
		*out = tmp
		out.mask |= bEOD
		return e, true
	}
	tmp = spec{}
	if e, ok := enWeekday(s, k, &tmp); ok {
		*out = tmp
		out.mask |= bEOD
		return e, true
	}
	_ = ctx
	return i, false
}

var enMonths = [...][]string{
	{"january", "jan"}, {"february", "feb"}, {"march", "mar"}, {"april", "apr"}, {"may"},
	{"june", "jun"}, {"july", "jul"}, {"august", "aug"}, {"september", "sept", "sep"},
	{"october", "oct"}, {"november", "nov"}, {"december", "dec"},
}

func monthName(s string, i int) (int, int, bool) {
	if i >= len(s) || !monthFirst[s[i]] {
		return 0, i, false
	}
	for k, names := range enMonths {
		for _, n := range names {
			if e, ok := word(s, i, n); ok {
				if len(n) <= 4 && e < len(s) && s[e] == '.' {
					e++
				}
				return k + 1, e, true
			}
		}
	}
	return 0, i, false
}

// dayNum reads a day of the month: "20", "20th", "twentieth", "twenty nine".
func dayNum(s string, i int) (int, int, bool) {
	if d, e, ok := ordinal(s, i); ok && d >= 1 && d <= 31 {
		return d, e, true
	}
	if d, e, ok := digits(s, i, 2); ok && d >= 1 && d <= 31 {
		return d, e, true
	}
	if d, e, ok := enNum(s, i, false); ok && d >= 1 && d <= 31 {
		return d, e, true
	}
	return 0, i, false
}

// yearAfter reads an optional ", 2019" or " in 2019" after a date.
func yearAfter(s string, i int) (int, int, bool) {
	j := spaces(s, i)
	if j < len(s) && s[j] == ',' {
		j = spaces(s, j+1)
	}
	if e, ok := word(s, j, "in"); ok {
		j = spaces(s, e)
	}
	if y, e, ok := digits(s, j, 4); ok && e-j == 4 && y >= 1900 && y <= 2200 {
		if e < len(s) && (s[e] == ':' || isLetter(s[e])) {
			return 0, i, false
		}
		return y, e, true
	}
	return 0, i, false
}

// enMonthDate reads "March 20", "Mar 20th, 2025", "20 March", "the 6th of
// April", "Oct/2", "Sep-23-2020".
func enMonthDate(s string, i int, out *spec) (int, bool) {
	// Month first.
	if m, e, ok := monthName(s, i); ok {
		j := e
		if j < len(s) && (s[j] == '/' || s[j] == '-') {
			j++
		} else {
			j = spaces(s, j)
			if j < len(s) && s[j] == ',' {
				j = spaces(s, j+1)
			}
			if e2, ok := word(s, j, "the"); ok {
				j = spaces(s, e2)
			}
		}
		if d, e2, ok := dayNum(s, j); ok {
			out.mask |= bMonth | bDay
			out.month, out.day = m, d
			if e2 < len(s) && s[e2] == '-' {
				if y, e3, ok := digits(s, e2+1, 4); ok && e3-e2 == 5 {
					out.mask |= bYear
					out.year = y
					return e3, true
				}
			}
			if y, e3, ok := yearAfter(s, e2); ok {
				out.mask |= bYear
				out.year = y
				return e3, true
			}
			return e2, true
		}
		return i, false
	}
	// Day first.
	j := i
	if e, ok := word(s, j, "the"); ok {
		j = spaces(s, e)
	}
	d, e, ok := dayNum(s, j)
	if !ok {
		return i, false
	}
	k := spaces(s, e)
	if e2, ok := word(s, k, "day"); ok {
		k = spaces(s, e2)
	}
	if e2, ok := word(s, k, "of"); ok {
		k = spaces(s, e2)
	} else if k < len(s) && (s[k] == '-' || s[k] == '/') && k == e {
		k++
	}
	m, e2, ok := monthName(s, k)
	if !ok {
		return i, false
	}
	// "12 December 27": the number after the month is its day.
	if _, e3, ok := digits(s, spaces(s, e2), 2); ok && e3 > spaces(s, e2) {
		return i, false
	}
	out.mask |= bMonth | bDay
	out.month, out.day = m, d
	if e2 < len(s) && (s[e2] == '-' || s[e2] == '/') {
		if y, e3, ok := digits(s, e2+1, 4); ok && e3-e2 == 5 {
			out.mask |= bYear
			out.year = y
			return e3, true
		}
	}
	if y, e3, ok := yearAfter(s, e2); ok {
		out.mask |= bYear
		out.year = y
		return e3, true
	}
	return e2, true
}

// enDayOfMonth reads "the 18th", "21st", "the eleventh", "the 15th day of
// next month", and after a weekday a bare "21" ("Monday 21").
func enDayOfMonth(s string, i int, ctx *spec, out *spec) (int, bool) {
	j := i
	the := false
	if e, ok := word(s, j, "the"); ok {
		j, the = spaces(s, e), true
	}
	d, e, ok := ordinal(s, j)
	if !ok || d < 1 || d > 31 {
		if ctx.has(bWd) && !ctx.has(bDay) && !the {
			if d, e, ok := digits(s, j, 2); ok && d >= 1 && d <= 31 {
				// Not a clock: "friday 23 at 4" is a day, "friday 4pm" is not.
				k := spaces(s, e)
				if _, _, ok := anyWord(s, k, "am", "pm", "a", "p", "oclock", "o'clock"); !ok && (k >= len(s) || s[k] != ':' && s[k] != '.') || k < len(s) && s[k] == '.' && (k+1 >= len(s) || !isDigit(s[k+1])) {
					out.mask |= bDay
					out.day = d
					return e, true
				}
			}
		}
		return i, false
	}
	if !the && !isDigit(s[j]) {
		return i, false // "first", "second" alone are ordinary words
	}
	out.mask |= bDay
	out.day = d
	k := spaces(s, e)
	if e2, ok := word(s, k, "day"); ok {
		k = spaces(s, e2)
		e = e2
	}
	if e2, ok := word(s, k, "of"); ok {
		k = spaces(s, e2)
	}
	var tmp spec
	if e2, ok := enWeekMonthYear(s, k, &tmp); ok && tmp.has(bMonOff) {
		out.mask |= bMonOff
		out.monOff = tmp.monOff
		return e2, true
	}
	return e, true
}

// enPeriod reads morning, afternoon, evening, night, noon, midnight.
func enPeriod(s string, i int, out *spec) (int, bool) {
	j := i
	if e, ok := phrase(s, j, "in the"); ok {
		j = spaces(s, e)
	} else if e, ok := word(s, j, "the"); ok {
		if _, _, ok := anyWord(s, spaces(s, e), "morning", "afternoon", "evening"); ok {
			j = spaces(s, e)
		}
	} else if e, ok := word(s, j, "early"); ok {
		j = spaces(s, e)
	} else if e, ok := word(s, j, "late"); ok {
		j = spaces(s, e)
	}
	for _, p := range [...]struct {
		w string
		p uint8
	}{
		{"morning", pMorning}, {"afternoon", pAfternoon}, {"evening", pEvening}, {"night", pNight},
		{"noonish", pNoon}, {"noon", pNoon}, {"midday", pNoon}, {"midnight", pMidnight},
	} {
		if e, ok := word(s, j, p.w); ok {
			out.mask |= bPeriod
			out.period = p.p
			return e, true
		}
	}
	return i, false
}

// ampm reads am/pm in its spellings right after a clock time.
func ampm(s string, i int, tight bool) (uint8, int, bool) {
	j := spaces(s, i)
	for _, a := range [...]struct {
		w string
		v uint8
	}{
		{"a.m.", 1}, {"p.m.", 2}, {"a.m", 1}, {"p.m", 2}, {"am", 1}, {"pm", 2}, {"a m", 1}, {"p m", 2},
	} {
		if e, ok := phrase(s, j, a.w); ok {
			return a.v, e, true
		}
	}
	// "9a", "8:45p": a single letter only right after the digits.
	if tight && j == i {
		if e, ok := word(s, j, "a"); ok {
			return 1, e, true
		}
		if e, ok := word(s, j, "p"); ok {
			return 2, e, true
		}
	}
	return 0, i, false
}

// enClock reads 3pm, 3:30 pm, 15:00, 8.30pm, "at 5", "five-thirty",
// "seven twenty-seven", "nine a m", "4 o'clock", 15h30, "3 15 pm", "at
// 1030", "8 tonight", each with an optional zone after it ("3pm PST",
// "9:00 UTC+8").
func enClock(s string, i int, ctx *spec, out *spec) (int, bool) {
	e, ok := enClock0(s, i, ctx, out)
	if !ok {
		return i, false
	}
	if off, e2, ok := enZone(s, e); ok {
		out.mask |= bZone
		out.zoneOff = off * 60
		return e2, true
	}
	return e, true
}

// periodFollows reports whether a part of the day follows a bare hour:
// "8 tonight", "9 tomorrow morning", "3 in the afternoon".
func periodFollows(s string, i int) bool {
	j := spaces(s, i)
	if j == i {
		return false
	}
	var tmp spec
	if e, ok := enDayWord(s, j, &tmp); ok {
		if tmp.has(bPeriod) {
			return true
		}
		tmp = spec{}
		_, ok := enPeriod(s, spaces(s, e), &tmp)
		return ok && spaces(s, e) > e
	}
	tmp = spec{}
	if e, ok := phrase(s, j, "in the"); ok {
		_, ok := enPeriod(s, spaces(s, e), &tmp)
		return ok
	}
	return false
}

func enClock0(s string, i int, ctx *spec, out *spec) (int, bool) {
	j := i
	at := false
	if _, e, ok := anyWord(s, j, "at", "around", "about"); ok {
		j, at = spaces(s, e), true
	}
	if e, ok := pastTo(s, j, out); ok {
		return e, true
	}
	if j < len(s) && isDigit(s[j]) {
		// "1030", "0900": a 24-hour time without a colon, only after "at"
		// or a day, or before am/pm.
		if v, e, ok := digits(s, j, 4); ok && e-j == 4 && v/100 <= 23 && v%100 <= 59 {
			if a, e2, ok := ampm(s, e, true); ok && v/100 >= 1 && v/100 <= 12 {
				out.mask |= bTime
				out.hour, out.min, out.ampm = v/100, v%100, a
				return e2, true
			}
			if at || ctx.mask&(bRel|bWd|bDay) != 0 {
				out.mask |= bTime
				out.hour, out.min = v/100, v%100
				return e, true
			}
			return i, false
		}
		h, e, ok := digits(s, j, 2)
		if !ok || h > 24 {
			return i, false
		}
		m := 0
		k := e
		hasMin := false
		if mm, e2, ok := colonMinutes(s, e); ok {
			m, k, hasMin = mm, e2, true
		} else if e+3 <= len(s) && s[e] == '.' && isDigit(s[e+1]) && isDigit(s[e+2]) && (e+3 == len(s) || !isDigit(s[e+3])) {
			m, k, hasMin = int(s[e+1]-'0')*10+int(s[e+2]-'0'), e+3, true
			if m > 59 {
				return i, false
			}
		} else if e+3 <= len(s) && s[e]|0x20 == 'h' && isDigit(s[e+1]) && isDigit(s[e+2]) && (e+3 == len(s) || !isDigit(s[e+3]) && !isLetter(s[e+3])) {
			// 15h30, 8h00: the European 24-hour form.
			m = int(s[e+1]-'0')*10 + int(s[e+2]-'0')
			if m > 59 {
				return i, false
			}
			out.mask |= bTime
			out.hour, out.min = h, m
			return e + 3, true
		} else if e+3 <= len(s) && s[e] == ' ' && isDigit(s[e+1]) && isDigit(s[e+2]) && (e+3 == len(s) || !isDigit(s[e+3])) {
			// "3 15 pm": minutes after a space, only with am/pm.
			mm := int(s[e+1]-'0')*10 + int(s[e+2]-'0')
			if a, e2, ok := ampm(s, e+3, false); ok && mm <= 59 && h >= 1 && h <= 12 {
				out.mask |= bTime
				out.hour, out.min, out.ampm = h, mm, a
				return e2, true
			}
		}
		if a, e2, ok := ampm(s, k, true); ok {
			if h > 12 || h == 0 {
				return i, false
			}
			out.mask |= bTime
			out.hour, out.min, out.ampm = h, m, a
			return e2, true
		}
		if e2, ok := oclock(s, k); ok {
			out.mask |= bTime
			out.hour, out.min = h, m
			return e2, true
		}
		if e2, ok := word(s, k, "ish"); ok && !hasMin {
			out.mask |= bTime
			out.hour = h
			return e2, true
		}
		if hasMin && (s[e] == ':' || at || ctx.mask != 0) {
			out.mask |= bTime
			out.hour, out.min = h, m
			return k, true
		}
		if (at || periodFollows(s, k)) && !hasMin {
			out.mask |= bTime
			out.hour = h
			return e, true
		}
		return i, false
	}
	// Words: "five-thirty", "one thirty p m", "nine a m", "six pm".
	h, e, ok := enNum(s, j, false)
	if !ok || h < 1 || h > 12 {
		return i, false
	}
	m := 0
	k := e
	hasMin := false
	if k < len(s) && (s[k] == '-' || s[k] == ' ') {
		if mm, e2, ok := enNum(s, k+1, false); ok && mm >= 10 && mm < 60 {
			m, k, hasMin = mm, e2, true
			if e3, ok := phrase(s, spaces(s, k), "minutes"); ok {
				k = e3
			}
		}
	}
	if a, e2, ok := ampm(s, k, false); ok {
		out.mask |= bTime
		out.hour, out.min, out.ampm = h, m, a
		return e2, true
	}
	if e2, ok := oclock(s, k); ok {
		out.mask |= bTime
		out.hour, out.min = h, m
		return e2, true
	}
	if hasMin && (at || ctx.mask&(bRel|bWd|bDay) != 0 || followedByDay(s, k)) {
		out.mask |= bTime
		out.hour, out.min = h, m
		return k, true
	}
	if at && ctx.mask&(bRel|bWd|bDay) != 0 {
		out.mask |= bTime
		out.hour = h
		return e, true
	}
	return i, false
}

func oclock(s string, i int) (int, bool) {
	j := spaces(s, i)
	for _, w := range [...]string{"o'clock", "oclock", "o’clock"} {
		if e, ok := phrase(s, j, w); ok {
			return e, true
		}
	}
	return i, false
}

// followedByDay reports whether a day word follows ("five-thirty tomorrow").
func followedByDay(s string, i int) bool {
	var tmp spec
	j := skipSep(s, i)
	if _, ok := enDayWord(s, j, &tmp); ok {
		return true
	}
	_, ok := enWeekday(s, j, &tmp)
	return ok
}

type enUnit struct {
	w    string
	unit uint8
	mult int
}

var enUnitsTab = [...]enUnit{
	{"minutes", uMinute, 1}, {"minute", uMinute, 1}, {"mins", uMinute, 1}, {"min", uMinute, 1},
	{"hours", uHour, 60}, {"hour", uHour, 60}, {"hrs", uHour, 60}, {"hr", uHour, 60},
	{"business days", uWorkday, 1}, {"business day", uWorkday, 1}, {"working days", uWorkday, 1}, {"working day", uWorkday, 1},
	{"workdays", uWorkday, 1}, {"workday", uWorkday, 1}, {"days", uDay, 1}, {"day", uDay, 1},
	{"weeks", uWeek, 1}, {"week", uWeek, 1}, {"fortnights", uWeek, 2}, {"fortnight", uWeek, 2},
	{"months", uMonth, 1}, {"month", uMonth, 1}, {"years", uYear, 1}, {"year", uYear, 1},
}

// quantity reads "3 days", "two weeks", "a week", "half an hour".
func quantity(s string, i int) (n int, unit uint8, j int, ok bool) {
	if e, ok := phrase(s, i, "half an hour"); ok {
		return 30, uMinute, e, true
	}
	if e, ok := phrase(s, i, "half a day"); ok {
		return 12 * 60, uHour, e, true
	}
	v, e, ok := digits(s, i, 3)
	if !ok {
		v, e, ok = enNum(s, i, false)
	}
	if !ok {
		if k, e2, ok2 := anyWord(s, i, "a", "an"); ok2 {
			_ = k
			v, e, ok = 1, e2, true
		}
	}
	if !ok {
		return 0, 0, i, false
	}
	k := spaces(s, e)
	for _, u := range enUnitsTab {
		if e2, ok := phrase(s, k, u.w); ok {
			if e3, ok := lit(s, e2, "’s"); ok {
				e2 = e3
			} else if e3, ok := lit(s, e2, "'s"); ok {
				e2 = e3
			}
			return v * u.mult, u.unit, e2, true
		}
	}
	return 0, 0, i, false
}

// enRel reads "in 3 days", "in half an hour", "2 hours later", "3 days from
// now/today/tomorrow/Tuesday", "two months after next Friday", "a
// fortnight later".
func enRel(s string, i int, out *spec) (int, bool) {
	j := i
	in, upcoming := false, false
	if e, ok := word(s, j, "in"); ok {
		j, in = spaces(s, e), true
	} else if e, ok := word(s, j, "within"); ok {
		j, in = spaces(s, e), true
	} else {
		// "the upcoming 3 days", "next 2 weeks": within them.
		k := j
		if e, ok := word(s, k, "the"); ok {
			k = spaces(s, e)
		}
		if _, e, ok := anyWord(s, k, "upcoming", "next", "coming", "following"); ok {
			if _, _, _, ok := quantity(s, spaces(s, e)); ok {
				j, upcoming = spaces(s, e), true
			}
		}
	}
	if e, ok := enWeekdayCount(s, j, out); ok && !in && !upcoming {
		return e, true
	}
	n, unit, e, ok := quantity(s, j)
	if !ok {
		return i, false
	}
	set := func(sign int) {
		out.mask |= bDur
		out.durN, out.durUnit = sign*n, unit
		if unit == uHour {
			out.durUnit = uMinute
		}
	}
	if upcoming && unit >= uDay {
		set(1)
		return e, true
	}
	if in {
		set(1)
		if e2, ok := word(s, spaces(s, e), "time"); ok {
			e = e2
		}
		return e, true
	}
	k := spaces(s, e)
	if _, e2, ok := anyWord(s, k, "later", "hence"); ok {
		set(1)
		return e2, true
	}
	if e2, ok := phrase(s, k, "from now"); ok {
		set(1)
		return e2, true
	}
	if _, e2, ok := anyWord(s, k, "from", "after"); ok {
		// The anchor is the next component.
		set(1)
		out.durAnchor = true
		return e2, true
	}
	if e2, ok := word(s, k, "before"); ok {
		set(-1)
		out.durAnchor = true
		return e2, true
	}
	return i, false
}

// enWeekdayCount reads "2 Fridays from now", "three Mondays from today":
// the n-th such weekday after today.
func enWeekdayCount(s string, i int, out *spec) (int, bool) {
	n, e, ok := digits(s, i, 2)
	if !ok {
		n, e, ok = enNum(s, i, false)
	}
	if !ok || n < 1 || n > 52 {
		return i, false
	}
	j := spaces(s, e)
	if j >= len(s) || !weekdayFirst[s[j]] {
		return i, false
	}
	wd := 0
	for k, names := range enWeekdays {
		if e2, ok := phrase(s, j, names[0]+"s"); ok {
			wd, j = k+1, e2
			break
		}
		if e2, ok := phrase(s, j, names[0]); ok && n == 1 {
			wd, j = k+1, e2
			break
		}
	}
	if wd == 0 {
		return i, false
	}
	k := spaces(s, j)
	for _, w := range [...]string{"from now", "from today", "later", "out", "ahead"} {
		if e2, ok := phrase(s, k, w); ok {
			out.mask |= bWd
			out.wd, out.wdMode, out.wdN = wd, wdStrict, n
			return e2, true
		}
	}
	return i, false
}

// enWorkday reads "next business day", "the next working day", "end of
// (the) next business day".
func enWorkday(s string, i int, out *spec) (int, bool) {
	j := i
	if e, ok := phrase(s, j, "end of"); ok {
		j = spaces(s, e)
	} else if e, ok := phrase(s, j, "the end of"); ok {
		j = spaces(s, e)
	}
	if e, ok := word(s, j, "the"); ok {
		j = spaces(s, e)
	}
	e, ok := anyWord2(s, j, "next", "following")
	if !ok {
		return i, false
	}
	j = spaces(s, e)
	for _, w := range [...]string{"business day", "working day", "workday", "work day"} {
		if e, ok := phrase(s, j, w); ok {
			out.mask |= bDur
			out.durN, out.durUnit = 1, uWorkday
			return e, true
		}
	}
	return i, false
}

func anyWord2(s string, i int, ws ...string) (int, bool) {
	_, e, ok := anyWord(s, i, ws...)
	return e, ok
}

// numDate reads numeric dates: 2025-04-01, 2025/4/1, 20250401, 4/24,
// 4/24/2025, 23.04.2022, and after a weekday 7.6 or 7-6.
func numDate(s string, i int, ctx *spec, out *spec) (int, bool) {
	a, e, ok := digits(s, i, 8)
	if !ok {
		return i, false
	}
	la := e - i
	if la == 8 {
		y, m, d := a/10000, a/100%100, a%100
		if y < 1900 || y > 2200 || m < 1 || m > 12 || d < 1 || d > 31 {
			return i, false
		}
		out.mask |= bYear | bMonth | bDay
		out.year, out.month, out.day = y, m, d
		return e, true
	}
	if la > 4 || e >= len(s) {
		return i, false
	}
	sep := s[e]
	if sep != '-' && sep != '/' && sep != '.' {
		return i, false
	}
	b, e2, ok := digits(s, e+1, 2)
	if !ok {
		// 2020/Sep/23
		if la == 4 {
			if m, e3, ok := monthName(s, e+1); ok && e3 < len(s) && s[e3] == sep {
				if d, e4, ok := digits(s, e3+1, 2); ok {
					out.mask |= bYear | bMonth | bDay
					out.year, out.month, out.day = a, m, d
					return e4, true
				}
			}
		}
		return i, false
	}
	var c, lc int
	e3 := e2
	if e2+1 < len(s) && s[e2] == sep && isDigit(s[e2+1]) {
		var ok bool
		c, e3, ok = digits(s, e2+1, 4)
		if !ok {
			return i, false
		}
		lc = e3 - e2 - 1
		if lc != 2 && lc != 4 && la != 4 {
			return i, false
		}
	}
	// Not part of a longer dotted or slashed run (a version, an IP).
	if e3 < len(s) && (s[e3] == sep && e3+1 < len(s) && isDigit(s[e3+1])) {
		return i, false
	}
	switch {
	case la == 4:
		if lc == 0 || lc > 2 {
			return i, false
		}
		out.mask |= bYear | bMonth | bDay
		out.year, out.month, out.day = a, b, c
	case la <= 2 && lc > 0:
		y := c
		if lc == 2 {
			y += 2000
		}
		m, d := a, b
		if sep == '.' || a > 12 {
			m, d = b, a // day first: 23.04.2022, 22/04/2025
		}
		out.mask |= bYear | bMonth | bDay
		out.year, out.month, out.day = y, m, d
	case la <= 2:
		// Two parts: M/D; with - or . only after a weekday ("friday 7.6").
		if sep != '/' && !ctx.has(bWd) {
			return i, false
		}
		m, d := a, b
		if a > 12 {
			m, d = b, a
		}
		out.mask |= bMonth | bDay
		out.month, out.day = m, d
	default:
		return i, false
	}
	if out.month < 1 || out.month > 12 || out.day < 1 || out.day > 31 {
		*out = spec{}
		return i, false
	}
	return e3, true
}

type holidayName struct {
	w        string
	month    int
	day      int
	variable uint8
}

var enHolidays = [...]holidayName{
	{"christmas day", 12, 25, 0}, {"christmas eve", 12, 24, 0}, {"christmas", 12, 25, 0}, {"xmas", 12, 25, 0},
	{"new year's eve", 12, 31, 0}, {"new years eve", 12, 31, 0},
	{"new year's day", 1, 1, 0}, {"new years day", 1, 1, 0}, {"new year day", 1, 1, 0}, {"new year", 1, 1, 0},
	{"saint patrick's day", 3, 17, 0}, {"saint patrick", 3, 17, 0}, {"st. patrick's day", 3, 17, 0}, {"st patrick's day", 3, 17, 0},
	{"valentine's day", 2, 14, 0}, {"valentines day", 2, 14, 0},
	{"international workers' day", 5, 1, 0}, {"international workers day", 5, 1, 0}, {"labour day", 5, 1, 0}, {"may day", 5, 1, 0},
	{"independence day", 7, 4, 0}, {"halloween", 10, 31, 0},
	{"easter sunday", 0, 0, hEaster}, {"easter", 0, 0, hEaster},
}

// enHoliday reads the name of a fixed-date holiday or Easter, with an
// optional this/next/following before it and year after it.
func enHoliday(s string, i int, out *spec) (int, bool) {
	if i >= len(s) || !holidayFirst[s[i]] {
		return i, false
	}
	j := i
	if _, e, ok := anyWord(s, j, "next", "following", "this", "the"); ok {
		j = spaces(s, e)
		if _, e, ok := anyWord(s, j, "next", "following"); ok {
			j = spaces(s, e)
		}
	}
	if j >= len(s) || !holidayFirst[s[j]] {
		return i, false
	}
	c := s[j] | 0x20
	for _, h := range enNthHolidays {
		if h.w[0] != c {
			continue
		}
		e, ok := phrase(s, j, h.w)
		if !ok {
			continue
		}
		out.mask |= bDay
		out.day = 1
		out.holiday, out.hol = hNthWd, holidayRef{m: h.m, d: h.n, wd: h.wd}
		if y, e2, ok := yearAfter(s, e); ok {
			out.mask |= bYear
			out.year = y
			return e2, true
		}
		return e, true
	}
	for _, h := range enHolidays {
		if h.w[0] != c {
			continue
		}
		e, ok := phrase(s, j, h.w)
		if !ok {
			continue
		}
		out.mask |= bDay
		if h.variable != 0 {
			out.holiday = h.variable
			out.day = 1
		} else {
			out.mask |= bMonth
			out.month, out.day = h.month, h.day
		}
		if y, e2, ok := yearAfter(s, e); ok {
			out.mask |= bYear
			out.year = y
			return e2, true
		}
		return e, true
	}
	return i, false
}

// pastTo reads "half past three", "quarter to five", "20 past 4", "ten
// minutes to six" with an optional am/pm.
func pastTo(s string, i int, out *spec) (int, bool) {
	j := i
	m := 0
	if e, ok := word(s, j, "half"); ok {
		m, j = 30, spaces(s, e)
	} else if e, ok := phrase(s, j, "a quarter"); ok {
		m, j = 15, spaces(s, e)
	} else if e, ok := word(s, j, "quarter"); ok {
		m, j = 15, spaces(s, e)
	} else if v, e, ok := digits(s, j, 2); ok && v > 0 && v < 60 {
		m, j = v, spaces(s, e)
	} else if v, e, ok := enNum(s, j, false); ok && v > 0 && v < 60 {
		m, j = v, spaces(s, e)
	} else {
		return i, false
	}
	numeric := j > i && isDigit(s[i])
	minutes := false
	if _, e, ok := anyWord(s, j, "minutes", "minute", "mins", "min"); ok {
		j, minutes = spaces(s, e), true
	}
	k, e, ok := anyWord(s, j, "past", "after", "to", "before")
	if !ok {
		return i, false
	}
	// "5 to 10 people" is not a time: a bare number needs "past" or "minutes".
	if numeric && !minutes && k != 0 {
		return i, false
	}
	j = spaces(s, e)
	h, e, ok := digits(s, j, 2)
	if !ok {
		h, e, ok = enNum(s, j, false)
	}
	if !ok || h < 1 || h > 12 {
		return i, false
	}
	if k >= 2 && !isDigit(s[i]) && !toClockWords(s, i, e, m) {
		return i, false
	}
	if k >= 2 { // to, before: minutes before the hour
		h, m = h-1, 60-m
		if h == 0 {
			h = 12
		}
	}
	out.mask |= bTime
	out.hour, out.min = h, m
	if a, e2, ok := ampm(s, e, false); ok {
		out.ampm = a
		e = e2
	}
	return e, true
}

// toClockWords reports whether "ten to five" at s[i:e] reads as a clock,
// not a range ("two to three days", "five to ten people"): the minutes are
// a quarter or a multiple of five, and no other word follows the hour
// than am/pm, o'clock or a day or part of the day.
func toClockWords(s string, i, e, m int) bool {
	if m%5 != 0 && s[i]|0x20 != 'q' && s[i]|0x20 != 'a' {
		return false
	}
	k := spaces(s, e)
	if k >= len(s) || !isLetter(s[k]) {
		return true
	}
	if _, _, ok := ampm(s, e, false); ok {
		return true
	}
	if _, ok := oclock(s, e); ok {
		return true
	}
	_, _, ok := anyWord(s, k, "tomorrow", "today", "tonight", "this", "next", "on", "at", "in", "the", "morning", "afternoon", "evening", "and", "or", "then", "please", "sharp")
	return ok
}

// enPeriods names the ends of periods: abbreviated (form 0: "eow") and as
// words after "end of" (form 1: "week").
var enPeriods = [...]struct {
	forms [2]string
	bound uint8
}{
	{[2]string{"eow", "week"}, kWeekEnd},
	{[2]string{"eom", "month"}, kMonthEnd},
	{[2]string{"eoy", "year"}, kYearEnd},
}

// enPeriodEnd reads the end of a period written in the given form at i.
func enPeriodEnd(s string, i, form int) (bound uint8, end int, ok bool) {
	for _, p := range enPeriods {
		if e, ok := word(s, i, p.forms[form]); ok {
			return p.bound, e, true
		}
	}
	return 0, i, false
}
