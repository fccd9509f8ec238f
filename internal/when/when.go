// Package when recognises date and time phrases in Chinese and English text
// ("明天下午3点", "下周五", "月底", "by Friday EOD", "in 2 days") and resolves
// them against a reference time in a location.
//
// The rules are written by hand; no date library is used. The recogniser is
// a small scanner: at each rune boundary it tries to read a sequence of
// components (a day word, a weekday, a calendar date, a clock time, a period
// of the day, a relative offset, an "end of" boundary) separated by spaces,
// commas and linking words, and merges them into one expression as long as no
// two components fill the same slot.
//
// # Resolution
//
//   - Weeks start on Monday. 本周五/this Friday is Friday of the current
//     week; 下周五/next Friday is Friday of the next calendar week; 下下周 is
//     the week after. A bare weekday (周四, Thursday) is its next occurrence,
//     today included; "coming/upcoming Friday" excludes today.
//   - 月底/end of month is the last day of the month; 年底 is 31 December;
//     月初 is the 1st, of next month when today is past the 1st. EOD, 下班,
//     tonight and a period of the day without a clock ("下周一上午") are day
//     precision. EOW/end of week is Friday of the week; 周末/weekend is its
//     Saturday. 下周/next week alone is its Monday; this week alone is
//     its Friday. Next month/next year alone are their first day.
//   - A clock time without a day ("下午3点", "5pm") is today, or tomorrow when
//     that moment has passed: the phrase implies the future. A day of the
//     month without a month ("20号", "the 4th") rolls to the next month that
//     has that day; a month and day without a year ("3月20日", "Feb 29")
//     roll to the next year that has it. Explicit days ("今天上午9点",
//     "2025-01-01") never roll: they may resolve to the past.
//   - A bare hour with no am/pm or period of the day between 1 and 7 is read
//     as afternoon (13:00-19:00), the business-hours reading.
//   - Impossible dates (2月30日, 2019-02-29) resolve to nothing.
//
// # Concurrency
//
// Every function is pure and safe for concurrent use.
//
// # Also recognised
//
// Fixed-date holidays (元旦, 五一, 国庆, 圣诞, Christmas, New Year's Day,
// Independence Day, ...) and Easter resolve to their next occurrence. English
// offsets may count from another day ("3 days from Tuesday", "two weeks
// after January 15"); "Monday two weeks from now" and "in 3 days on
// Friday" name the weekday of the week the offset lands in. A weekday with
// a day of the month ("Monday 21") is the next 21st that is a Monday; a
// weekday with a month and day ("Thu, Sep 4", "周五 9月4日") is, of the
// date's next two occurrences, the one on that weekday (else the date
// wins). Numeric dates: 2025-04-01, 2025/4/1, 20250401, 4/24 (month first
// unless the first number is above 12), 23.04.2022 (day first), and 7.6 or
// 7-6 only right after a weekday.
//
// # Festivals, lunar dates and holidays
//
// The lunar festivals (春节, 元宵, 端午, 七夕, 中秋, 重阳, 腊八, 小年 =
// 腊月二十三, 除夕 = the last day of 腊月) and lunar dates (正月十五,
// 腊月二十三, 农历八月十五) resolve to their next date, from a table of
// lunar years 1950-2100 generated from github.com/6tail/lunar-go (a test
// regenerates and compares it); 清明 is the solar term. Outside the table
// they resolve to nothing. "节后"/"中秋节后"/"国庆后" is the first working
// day after the holiday, so the whole break is skipped. The United States
// observances on a weekday of a month (Thanksgiving, Memorial Day, Labor
// Day, Mother's Day, ...) resolve to their next date; "labour day" is May 1.
//
// # Working days
//
// "3个工作日内", "5个工作日后", "下个工作日", "within 2 business days", "next
// business day" count working days on a [Calendar] ([NextWith]), the
// official calendar of mainland China by default: weekends, public
// holidays and swapped working days (internal/workdays). A count the
// calendar cannot make (a year outside its data) resolves to nothing, as
// does a count above 366 working days.
//
// # Clocks, zones and parts of the day
//
// "8 tonight", "9 tomorrow morning", "3 in the afternoon", 15h30, "3 15
// pm", "at 1030" (four digits only after "at" or a day), "ten to five",
// 差五分四点; Cantonese minutes after 點: 踏正 (:00), 個字 (5 minutes a
// 字), 踏三 and a bare 三 (the minute hand on the three: :15). A zone after
// the clock ("3pm PST", "9:00 UTC+8", "10am CET") or a Chinese zone name
// before it (北京时间, 东京时间) puts the words on that zone's clock (its
// "tomorrow" included); the Time is that instant in the reference location.
// Abbreviations are their fixed offsets (PST is UTC-8 even in summer).
//
// # Recurrences
//
// "每周一上午10点", "每两周的周五", "每隔一周", "每月15号", "每月最后一个工作
// 日", "每月最后一个周五", "每个工作日", "每天", "每年3月20日", "every other
// Friday", "every weekday at 9", "every 2 weeks on Thursday", "the last
// Friday of every month" give a Match with a [Repeat] and the first
// instance on or after the reference as its Time.
//
// # Caveats
//
// Holidays of other calendars (Eid, Diwali) are not recognised, nor lunar
// dates in leap months. Numbers written as English words are read up to
// fifty-nine; year words ("two thousand and thirty") are not. "一点" alone
// is read as "a little", not one o'clock. The short weekday names "sun",
// "sat" and "wed" must be capitalised, since they are also words. A bare
// numeral after 點 up to 十一 is read the Cantonese way ("三點三" is 3:15);
// write 分 for minutes ("三點三分").
package when

import (
	"math/bits"
	"time"
	"unicode/utf8"
)

// Precision says how much of a resolved time is meaningful.
type Precision uint8

const (
	// Day means only the calendar date is meant; the time is midnight.
	Day Precision = iota + 1
	// Minute means the date and the clock time to the minute are meant.
	Minute
)

// String returns "day" or "minute".
func (p Precision) String() string {
	switch p {
	case Day:
		return "day"
	case Minute:
		return "minute"
	}
	return "none"
}

// Match is one recognised date/time expression.
type Match struct {
	// Start and End are byte offsets of the expression in the text,
	// [Start, End), on rune boundaries.
	Start, End int
	// Time is the resolved moment in the reference location. With Day
	// precision it is midnight at the start of that day.
	Time time.Time
	// Precision is Day or Minute.
	Precision Precision
	// Repeat is the recurrence the expression names ("每周一上午10点",
	// "every other Friday"); its Freq is zero when there is none. Time is
	// then the first instance on or after the reference.
	Repeat Repeat
}

// Find returns every expression in text, in order, resolved against now in
// loc (nil loc: now's own location).
func Find(text string, now time.Time, loc *time.Location) []Match {
	var out []Match
	for i := 0; ; {
		m, ok := Next(text, i, now, loc)
		if !ok {
			return out
		}
		out = append(out, m)
		i = m.End
	}
}

// Parse resolves text as one expression that may be surrounded by spaces;
// ok is false when text holds anything else.
func Parse(text string, now time.Time, loc *time.Location) (Match, bool) {
	i := 0
	for i < len(text) && text[i] == ' ' {
		i++
	}
	m, ok := Next(text, i, now, loc)
	if !ok || m.Start != i {
		return Match{}, false
	}
	for j := m.End; j < len(text); j++ {
		if text[j] != ' ' {
			return Match{}, false
		}
	}
	return m, true
}

// Next returns the first expression that starts at or after byte offset
// from (which is moved forward to a rune boundary if needed), counting
// working days on the official calendar (workdays.Official). It does not
// allocate.
func Next(text string, from int, now time.Time, loc *time.Location) (Match, bool) {
	return NextWith(text, from, now, loc, nil)
}

// NextWith is [Next] counting working days ("3个工作日内", "next business
// day", "节后") on cal; nil means the official calendar. A phrase whose
// working days cal does not know (a year outside its data) is skipped,
// never resolved to a guess.
func NextWith(text string, from int, now time.Time, loc *time.Location, cal Calendar) (Match, bool) {
	if loc == nil {
		loc = now.Location()
	}
	now = now.In(loc)
	if from < 0 {
		from = 0
	}
	for from < len(text) && !utf8.RuneStart(text[from]) {
		from++
	}
	for i := from; i < len(text); {
		c := text[i]
		if canStart(text, i) {
			if sp, end, ok := parseAt(text, i); ok {
				if t, p, ok := sp.resolve(now, cal); ok {
					m := Match{Start: i, End: end, Time: t, Precision: p}
					if sp.has(bEvery) {
						m.Repeat, _ = sp.repeat()
					}
					return m, true
				}
				// An impossible date: skip the whole phrase so its parts
				// ("30日") are not read on their own.
				i = end
				continue
			}
		}
		if c < utf8.RuneSelf {
			i++
		} else {
			_, size := utf8.DecodeRuneInString(text[i:])
			i += size
		}
	}
	return Match{}, false
}

func isLetter(c byte) bool { return c|0x20 >= 'a' && c|0x20 <= 'z' }
func isDigit(c byte) bool  { return c >= '0' && c <= '9' }

// canStart reports whether an expression may begin at s[i]: English words
// and numbers only at a word boundary, Chinese at any rune.
func canStart(s string, i int) bool {
	c := s[i]
	if c < utf8.RuneSelf {
		if !isDigit(c) && enFirst[c] == 0 {
			return false
		}
		if i > 0 {
			p := s[i-1]
			if isLetter(p) || isDigit(p) || p == '_' {
				return false
			}
			if isDigit(c) && p == '$' {
				return false
			}
			if isDigit(c) && i > 1 && isDigit(s[i-2]) && (p == '.' || p == ':' || p == '/' || p == '-' || p == ',') {
				return false
			}
		}
		return true
	}
	return c >= 0xE0 && mayStart(s, i) // CJK and full-width digits
}

// parseAt reads the longest sequence of compatible components at s[i:].
func parseAt(s string, i int) (spec, int, bool) {
	var sp spec
	j := i
	n := 0
	for {
		k := j
		if n > 0 {
			k = skipSep(s, j)
		}
		var pc spec
		e, ok := component(s, k, &sp, &pc)
		if !ok || pc.mask&sp.mask != 0 {
			break
		}
		sp.merge(&pc)
		n++
		j = e
	}
	if n == 0 || !sp.meaningful() {
		return sp, i, false
	}
	return sp, j, true
}

// component tries every component reader at s[i:] and keeps the longest.
func component(s string, i int, ctx *spec, out *spec) (int, bool) {
	if i >= len(s) {
		return i, false
	}
	best := i
	var tmp spec
	try := func(e int, ok bool) {
		if ok && e > best {
			best = e
			*out = tmp
		}
		tmp = spec{}
	}
	c := s[i]
	if c >= utf8.RuneSelf {
		if c == 0xEF { // full-width digits
			try(zhDate(s, i, ctx, &tmp))
			try(zhClock(s, i, ctx, &tmp))
			try(zhRel(s, i, &tmp))
			return best, best > i
		}
		r, _ := utf8.DecodeRuneInString(s[i:])
		if r < 0x3000 || r >= 0xA000 {
			return i, false
		}
		for m := zhFirst[r-0x3000]; m != 0; m &= m - 1 {
			try(zhRead(bits.TrailingZeros16(m), s, i, ctx, &tmp))
		}
		return best, best > i
	}
	if isDigit(c) {
		try(zhDate(s, i, ctx, &tmp))
		try(zhClock(s, i, ctx, &tmp))
		try(zhRel(s, i, &tmp))
		try(numDate(s, i, ctx, &tmp))
		try(enClock(s, i, ctx, &tmp))
		try(enMonthDate(s, i, &tmp))
		try(enDayOfMonth(s, i, ctx, &tmp))
		try(enRel(s, i, &tmp))
		try(enNth(s, i, &tmp))
		return best, best > i
	}
	for m := enFirst[c]; m != 0; m &= m - 1 {
		try(enRead(bits.TrailingZeros16(m), s, i, ctx, &tmp))
	}
	return best, best > i
}

// skipSep skips what may stand between two components of one expression.
func skipSep(s string, i int) int {
	for i < len(s) {
		c := s[i]
		switch c {
		case ' ', '\t', ',', '(', ')', '@', '-':
			i++
			continue
		}
		if j, ok := lit(s, i, "，"); ok {
			i = j
			continue
		}
		if j, ok := lit(s, i, "的"); ok {
			i = j
			continue
		}
		moved := false
		for _, w := range [...]string{"on", "of", "in"} {
			if j, ok := word(s, i, w); ok {
				i = j
				moved = true
				break
			}
		}
		if !moved {
			return i
		}
	}
	return i
}

// lit reports whether s[i:] starts with the literal w.
func lit(s string, i int, w string) (int, bool) {
	if len(s)-i >= len(w) && s[i:i+len(w)] == w {
		return i + len(w), true
	}
	return i, false
}

// word reports whether s[i:] starts with the ASCII word w, case-insensitive,
// followed by a non-letter.
func word(s string, i int, w string) (int, bool) {
	if len(s)-i < len(w) {
		return i, false
	}
	for k := 0; k < len(w); k++ {
		if s[i+k]|0x20 != w[k] && s[i+k] != w[k] {
			return i, false
		}
	}
	e := i + len(w)
	if e < len(s) && isLetter(s[e]) {
		return i, false
	}
	return e, true
}

// anyWord returns the index of the first of ws that s[i:] starts with.
func anyWord(s string, i int, ws ...string) (int, int, bool) {
	for k, w := range ws {
		if e, ok := word(s, i, w); ok {
			return k, e, true
		}
	}
	return -1, i, false
}

func spaces(s string, i int) int {
	for i < len(s) && (s[i] == ' ' || s[i] == '\t') {
		i++
	}
	return i
}
