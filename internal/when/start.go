package when

import "unicode/utf8"

// The component readers, numbered, and for each first letter or rune the
// set of readers that may match there, so the scanner calls only those
// (and skips a position no reader can start at). The readers are called
// through a switch, not a table of funcs, so that the specs they fill stay
// on the stack.

// Numbers of the Chinese readers (see zhRead).
const (
	rzDayWord = iota
	rzHoliday
	rzLunarHoliday
	rzLunarDate
	rzNth
	rzZone
	rzEvery
	rzWorkday
	rzWeek
	rzDate
	rzPeriod
	rzClock
	rzRel
)

// Numbers of the English readers (see enRead).
const (
	reDayWord = iota
	reHoliday
	reNth
	reEvery
	reWorkday
	reWeekday
	reWeekMonthYear
	reEnd
	reMonthDate
	reDayOfMonth
	rePeriod
	reClock
	reRel
)

// zhRead calls zh reader k.
func zhRead(k int, s string, i int, ctx, out *spec) (int, bool) {
	switch k {
	case rzDayWord:
		return zhDayWord(s, i, out)
	case rzHoliday:
		return zhHoliday(s, i, out)
	case rzLunarHoliday:
		return zhLunarHoliday(s, i, out)
	case rzLunarDate:
		return zhLunarDate(s, i, out)
	case rzNth:
		return zhNth(s, i, out)
	case rzZone:
		return zhZone(s, i, out)
	case rzEvery:
		return zhEvery(s, i, out)
	case rzWorkday:
		return zhWorkday(s, i, out)
	case rzWeek:
		return zhWeek(s, i, out)
	case rzDate:
		return zhDate(s, i, ctx, out)
	case rzPeriod:
		return zhPeriod(s, i, out)
	case rzClock:
		return zhClock(s, i, ctx, out)
	case rzRel:
		return zhRel(s, i, out)
	}
	return i, false
}

// enRead calls English reader k.
func enRead(k int, s string, i int, ctx, out *spec) (int, bool) {
	switch k {
	case reDayWord:
		return enDayWord(s, i, out)
	case reHoliday:
		return enHoliday(s, i, out)
	case reNth:
		return enNth(s, i, out)
	case reEvery:
		return enEvery(s, i, out)
	case reWorkday:
		return enWorkday(s, i, out)
	case reWeekday:
		return enWeekday(s, i, out)
	case reWeekMonthYear:
		return enWeekMonthYear(s, i, out)
	case reEnd:
		return enEnd(s, i, ctx, out)
	case reMonthDate:
		return enMonthDate(s, i, out)
	case reDayOfMonth:
		return enDayOfMonth(s, i, ctx, out)
	case rePeriod:
		return enPeriod(s, i, out)
	case reClock:
		return enClock(s, i, ctx, out)
	case reRel:
		return enRel(s, i, out)
	}
	return i, false
}

var (
	enFirst [256]uint16             // letter -> English readers that may start with it (bit k: reader k)
	zhFirst [0xA000 - 0x3000]uint16 // CJK punctuation .. unified ideographs -> Chinese readers
)

func init() {
	letters := func(r int, ws ...string) {
		for _, w := range ws {
			if w != "" {
				enFirst[w[0]|0x20] |= 1 << r
				enFirst[w[0]&^0x20] |= 1 << r
			}
		}
	}
	runes := func(r int, ws ...string) {
		for _, w := range ws {
			c, _ := utf8.DecodeRuneInString(w)
			if c >= 0x3000 && c < 0xA000 {
				zhFirst[c-0x3000] |= 1 << r
			}
		}
	}
	numberWords := append(append(append(append([]string{}, enUnits[:]...), enTens[:]...), enOrdUnits[:]...), enOrdTens[:]...)
	for _, d := range enDays {
		letters(reDayWord, d.w)
	}
	for _, h := range enHolidays {
		letters(reHoliday, h.w)
	}
	for _, h := range enNthHolidays {
		letters(reHoliday, h.w)
	}
	letters(reHoliday, "next", "following", "this", "the")
	letters(reNth, "the", "last")
	letters(reNth, numberWords...)
	letters(reEvery, "every", "each", "daily")
	letters(reWorkday, "end", "the", "next", "following")
	for _, ns := range enWeekdays {
		letters(reWeekday, ns...)
	}
	letters(reWeekday, "this", "the", "coming", "upcoming", "next", "following", "last", "previous")
	letters(reWeekMonthYear, "the", "following", "this", "next", "last", "previous")
	letters(reEnd, "eod", "cob", "eob", "close", "end", "eow", "eom", "eoy", "the")
	for _, ns := range enMonths {
		letters(reMonthDate, ns...)
	}
	letters(reMonthDate, "the")
	letters(reMonthDate, numberWords...)
	letters(reDayOfMonth, "the")
	letters(reDayOfMonth, numberWords...)
	letters(rePeriod, "in", "the", "early", "late", "morning", "afternoon", "evening", "night", "noon", "noonish", "midday", "midnight")
	letters(reClock, "at", "around", "about", "half", "a", "quarter")
	letters(reClock, numberWords...)
	letters(reRel, "in", "within", "the", "upcoming", "next", "coming", "following", "a", "an", "half")
	letters(reRel, numberWords...)

	numerals := []string{"零", "〇", "一", "二", "两", "兩", "三", "四", "五", "六", "七", "八", "九", "十"}
	for _, d := range zhDays {
		runes(rzDayWord, d.w)
	}
	for _, h := range zhHolidays {
		runes(rzHoliday, h.w)
	}
	for _, h := range zhLunarHolidays {
		runes(rzLunarHoliday, h.w)
	}
	runes(rzLunarHoliday, "清明")
	runes(rzLunarDate, "农历", "農曆", "阴历", "陰曆")
	for _, m := range zhLunarMonths {
		runes(rzLunarDate, m.w)
	}
	runes(rzNth, "第", "最后", "最後", "倒数")
	for _, z := range zhZones {
		runes(rzZone, z.w)
	}
	runes(rzEvery, "每")
	runes(rzWorkday, "下")
	for _, p := range zhWeekPrefixes {
		runes(rzWeek, p.w)
	}
	runes(rzWeek, zhWeekWords[:]...)
	runes(rzDate, numerals...)
	for _, p := range zhYearPrefixes {
		runes(rzDate, p.w)
	}
	for _, p := range zhMonthPrefixes {
		runes(rzDate, p.w)
	}
	runes(rzDate, "月", "年", "中旬")
	for _, p := range zhPeriods {
		runes(rzPeriod, p.w)
	}
	runes(rzPeriod, "下班", "收工", "放工")
	runes(rzClock, "早", "晚", "差")
	runes(rzClock, numerals...)
	runes(rzRel, "半", "未来", "未來", "接下来", "接下來", "今后", "今後")
	runes(rzRel, numerals...)
}

// firstSet is the set of first bytes (both cases) of a word list.
type firstSet [256]bool

func firsts(ws ...string) (f firstSet) {
	for _, w := range ws {
		if w != "" {
			f[w[0]] = true
			f[w[0]&^0x20] = true
		}
	}
	return f
}

var (
	numFirst     = firsts(append(append(append(enUnits[:], enTens[2:]...), enOrdUnits[1:]...), enOrdTens[2:]...)...)
	monthFirst   = firsts("january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december")
	weekdayFirst = firsts("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
	dayWordFirst firstSet
	holidayFirst firstSet
)

func init() {
	for _, d := range enDays {
		dayWordFirst[d.w[0]] = true
		dayWordFirst[d.w[0]&^0x20] = true
	}
	for _, h := range enHolidays {
		holidayFirst[h.w[0]] = true
		holidayFirst[h.w[0]&^0x20] = true
	}
	for _, h := range enNthHolidays {
		holidayFirst[h.w[0]] = true
		holidayFirst[h.w[0]&^0x20] = true
	}
	for _, w := range []string{"next", "following", "this", "the"} {
		holidayFirst[w[0]] = true
		holidayFirst[w[0]&^0x20] = true
	}
}

// mayStart reports whether a component may begin at s[i] (a rune start).
func mayStart(s string, i int) bool {
	c := s[i]
	if c < utf8.RuneSelf {
		return isDigit(c) || enFirst[c] != 0
	}
	if c == 0xEF {
		return true // full-width digits
	}
	r, _ := utf8.DecodeRuneInString(s[i:])
	return r >= 0x3000 && r < 0xA000 && zhFirst[r-0x3000] != 0
}
