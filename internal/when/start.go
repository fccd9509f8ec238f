package when

import "unicode/utf8"

// The first letters and runes any component can begin with, so the
// scanner tries the component readers only where one might match.
var (
	enStart [256]bool
	zhStart [0xA000 - 0x3000]bool // CJK punctuation .. unified ideographs
)

func init() {
	letters := func(ws ...string) {
		for _, w := range ws {
			if w != "" {
				enStart[w[0]] = true
				enStart[w[0]&^0x20] = true
			}
		}
	}
	runes := func(ws ...string) {
		for _, w := range ws {
			r, _ := utf8.DecodeRuneInString(w)
			if r >= 0x3000 && r < 0xA000 {
				zhStart[r-0x3000] = true
			}
		}
	}
	for _, d := range enDays {
		letters(d.w)
	}
	for _, ns := range enWeekdays {
		letters(ns...)
	}
	for _, ns := range enMonths {
		letters(ns...)
	}
	for _, h := range enHolidays {
		letters(h.w)
	}
	letters(enUnits[:]...)
	letters(enTens[:]...)
	letters(enOrdUnits[:]...)
	letters(enOrdTens[:]...)
	// Words that open a component: see enWeekday, enWeekMonthYear, enEnd,
	// enDayOfMonth, enPeriod, enClock, enRel, enHoliday.
	letters("this", "coming", "upcoming", "the", "following", "next", "last", "previous",
		"eod", "cob", "eob", "close", "end", "eow", "eom", "eoy",
		"in", "early", "late", "morning", "afternoon", "evening", "night", "noon", "midday", "midnight",
		"at", "around", "about", "within", "half", "a", "an", "quarter",
		"every", "each", "daily", "weekdays", "weekday", "business", "working")
	for _, h := range enNthHolidays {
		letters(h.w)
	}

	for _, d := range zhDays {
		runes(d.w)
	}
	for _, h := range zhHolidays {
		runes(h.w)
	}
	for _, p := range zhWeekPrefixes {
		runes(p.w)
	}
	runes(zhWeekWords[:]...)
	for _, p := range zhMonthPrefixes {
		runes(p.w)
	}
	for _, p := range zhYearPrefixes {
		runes(p.w)
	}
	for _, p := range zhPeriods {
		runes(p.w)
	}
	for _, h := range zhLunarHolidays {
		runes(h.w)
	}
	for _, m := range zhLunarMonths {
		runes(m.w)
	}
	for _, z := range zhZones {
		runes(z.w)
	}
	runes("清明", "农历", "農曆", "阴历", "陰曆", "第", "最后", "最後", "倒数", "每", "差", "未来", "接下来", "接下來", "下一个", "下一個", "聽日", "工作日")
	runes("月", "年", "中旬", "下班", "收工", "放工", "早", "晚", "半",
		"零", "〇", "一", "二", "两", "兩", "三", "四", "五", "六", "七", "八", "九", "十")
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
		return isDigit(c) || enStart[c]
	}
	if c == 0xEF {
		return true // full-width digits
	}
	r, _ := utf8.DecodeRuneInString(s[i:])
	return r >= 0x3000 && r < 0xA000 && zhStart[r-0x3000]
}
