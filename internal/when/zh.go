package when

import "unicode/utf8"

type zhDay struct {
	w      string
	days   int
	period uint8
}

// Longest first where one is a prefix of another.
var zhDays = [...]zhDay{
	{"大后天", 3, pNone}, {"大後天", 3, pNone},
	{"后天", 2, pNone}, {"後天", 2, pNone},
	{"明天", 1, pNone}, {"明日", 1, pNone}, {"明儿", 1, pNone}, {"明兒", 1, pNone},
	{"明早", 1, pMorning}, {"明晨", 1, pMorning}, {"明晚", 1, pEvening},
	{"今天", 0, pNone}, {"今日", 0, pNone}, {"今儿", 0, pNone}, {"今兒", 0, pNone},
	{"今早", 0, pMorning}, {"今晨", 0, pMorning}, {"今晚", 0, pEvening}, {"今夜", 0, pNight},
	{"昨天", -1, pNone}, {"昨日", -1, pNone}, {"昨晚", -1, pEvening},
	{"当天", 0, pNone}, {"當天", 0, pNone}, {"本日", 0, pNone},
	// Cantonese.
	{"聽日", 1, pNone}, {"听日", 1, pNone}, {"聽朝", 1, pMorning}, {"听朝", 1, pMorning}, {"聽晚", 1, pEvening}, {"听晚", 1, pEvening},
	{"大後日", 3, pNone}, {"後日", 2, pNone}, {"今朝", 0, pMorning}, {"尋日", -1, pNone}, {"琴日", -1, pNone},
}

func zhDayWord(s string, i int, out *spec) (int, bool) {
	for _, d := range zhDays {
		if e, ok := lit(s, i, d.w); ok {
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

// zhWeekday reads the weekday character after 周/星期/礼拜.
func zhWeekday(s string, i int) (int, int, bool) {
	r, size := utf8.DecodeRuneInString(s[i:])
	switch r {
	case '一':
		return 1, i + size, true
	case '二':
		return 2, i + size, true
	case '三':
		return 3, i + size, true
	case '四':
		return 4, i + size, true
	case '五':
		return 5, i + size, true
	case '六':
		return 6, i + size, true
	case '日', '天', '七':
		return 7, i + size, true
	}
	if i < len(s) && s[i] >= '1' && s[i] <= '7' && (i+1 >= len(s) || !isDigit(s[i+1])) {
		return int(s[i] - '0'), i + 1, true
	}
	return 0, i, false
}

var zhWeekPrefixes = [...]struct {
	w   string
	off int
}{
	{"下下个", 2}, {"下下個", 2}, {"下下", 2},
	{"下个", 1}, {"下個", 1}, {"下", 1},
	{"上上个", -2}, {"上上個", -2}, {"上上", -2},
	{"上个", -1}, {"上個", -1}, {"上", -1},
	{"这个", 0}, {"這個", 0}, {"这", 0}, {"這", 0}, {"本", 0}, {"今", 0},
}

var zhWeekWords = [...]string{"周", "週", "星期", "礼拜", "禮拜", "禮拜", "个星期", "個星期", "个礼拜"}

// zhWeek reads [下|本|这|下下...](周|星期|礼拜)[一..日] and 周末.
func zhWeek(s string, i int, out *spec) (int, bool) {
	j := i
	off, hasOff := 0, false
	for _, p := range zhWeekPrefixes {
		if e, ok := lit(s, j, p.w); ok {
			// The prefix must be followed by a week word.
			for _, w := range zhWeekWords {
				if _, ok := lit(s, e, w); ok {
					j, off, hasOff = e, p.off, true
					break
				}
			}
			if hasOff {
				break
			}
		}
	}
	k := j
	found := false
	for _, w := range zhWeekWords {
		if e, ok := lit(s, j, w); ok {
			k, found = e, true
			break
		}
	}
	if !found {
		return i, false
	}
	if e, ok := lit(s, k, "末"); ok {
		out.mask |= bBound
		out.bound = kWeekendS
		if hasOff {
			out.mask |= bWeek
			out.weekOff = off
		}
		return e, true
	}
	if wd, e, ok := zhWeekday(s, k); ok {
		out.mask |= bWd
		out.wd = wd
		if hasOff {
			out.mask |= bWeek
			out.weekOff = off
		}
		return e, true
	}
	if !hasOff {
		return i, false
	}
	out.mask |= bWeek
	out.weekOff = off
	// 本周内 / 下周之内: by the end of that week.
	for _, w := range [...]string{"内", "內", "之内", "之內", "以内"} {
		if e, ok := lit(s, k, w); ok {
			out.mask |= bBound
			out.bound = kWeekEnd
			return e, true
		}
	}
	return k, true
}

var zhMonthPrefixes = [...]struct {
	w   string
	off int
}{
	{"下下个月", 2}, {"下下個月", 2}, {"下个月", 1}, {"下個月", 1}, {"下月", 1},
	{"上个月", -1}, {"上個月", -1}, {"上月", -1},
	{"这个月", 0}, {"這個月", 0}, {"这月", 0}, {"本月", 0}, {"当月", 0}, {"當月", 0},
}

var zhYearPrefixes = [...]struct {
	w   string
	off int
}{
	{"今年", 0}, {"明年", 1}, {"后年", 2}, {"後年", 2}, {"去年", -1},
}

// zhBoundSuffix reads 底/末/初 after a month or year.
func zhBoundSuffix(s string, i int) (kind uint8, j int, ok bool) {
	for _, w := range [...]string{"底", "末", "尾"} {
		if e, ok := lit(s, i, w); ok {
			return 1, e, true
		}
	}
	if e, ok := lit(s, i, "初"); ok {
		return 2, e, true
	}
	return 0, i, false
}

// zhDate reads Chinese calendar dates: [YYYY年|明年][M月|下个月][D日|D号],
// 月底, 年底, 下月初, and numeric dates written with 年月日 separators.
func zhDate(s string, i int, ctx *spec, out *spec) (int, bool) {
	j := i
	var sp spec
	// Year.
	if y, e, ok := num(s, j, 4); ok && y >= 1900 && y <= 2200 {
		if e2, ok := lit(s, e, "年"); ok {
			sp.mask |= bYear
			sp.year = y
			j = e2
		}
	}
	if !sp.has(bYear) {
		for _, p := range zhYearPrefixes {
			if e, ok := lit(s, j, p.w); ok {
				sp.mask |= bYearOff
				sp.yearOff = p.off
				j = e
				break
			}
		}
	}
	hasYear := sp.mask&(bYear|bYearOff) != 0
	if hasYear {
		if k, e, ok := zhBoundSuffix(s, j); ok {
			sp.mask |= bBound
			sp.bound = kYearEnd
			if k == 2 {
				sp.bound = kYearStart
			}
			*out = sp
			return e, true
		}
	}
	// Month.
	hasMonth := false
	if m, e, ok := num(s, j, 2); ok && m >= 1 && m <= 12 {
		if e2, ok := lit(s, e, "月"); ok {
			if e3, ok := lit(s, e2, "份"); ok {
				e2 = e3
			}
			sp.mask |= bMonth
			sp.month = m
			j, hasMonth = e2, true
		}
	}
	if !hasMonth {
		for _, p := range zhMonthPrefixes {
			if e, ok := lit(s, j, p.w); ok {
				sp.mask |= bMonOff
				sp.monOff = p.off
				j, hasMonth = e, true
				break
			}
		}
	}
	if !hasMonth && !hasYear {
		// 月底 / 月初 / 年底 alone.
		if e, ok := lit(s, j, "月"); ok {
			if k, e2, ok := zhBoundSuffix(s, e); ok {
				sp.mask |= bBound
				sp.bound = kMonthEnd
				if k == 2 {
					sp.bound = kMonthStart
				}
				*out = sp
				return e2, true
			}
		}
		for _, w := range [...]string{"月中", "中旬"} {
			if e, ok := lit(s, j, w); ok {
				sp.mask |= bBound
				sp.bound = kMonthMid
				*out = sp
				return e, true
			}
		}
		if e, ok := lit(s, j, "年"); ok {
			if k, e2, ok := zhBoundSuffix(s, e); ok {
				sp.mask |= bBound
				sp.bound = kYearEnd
				if k == 2 {
					sp.bound = kYearStart
				}
				*out = sp
				return e2, true
			}
		}
	}
	if hasMonth {
		for _, w := range [...]string{"中旬", "中"} {
			if e, ok := lit(s, j, w); ok {
				sp.mask |= bBound
				sp.bound = kMonthMid
				*out = sp
				return e, true
			}
		}
		if k, e, ok := zhBoundSuffix(s, j); ok {
			sp.mask |= bBound
			sp.bound = kMonthEnd
			if k == 2 {
				sp.bound = kMonthStart
			}
			*out = sp
			return e, true
		}
	}
	// Day.
	if d, e, ok := num(s, j, 2); ok && d >= 1 {
		for _, w := range [...]string{"日", "号", "號"} {
			if e2, ok := lit(s, e, w); ok {
				sp.mask |= bDay
				sp.day = d
				*out = sp
				return e2, true
			}
		}
		// "3月20" with the day mark left out.
		if hasMonth && sp.has(bMonth) && d <= 31 {
			sp.mask |= bDay
			sp.day = d
			*out = sp
			return e, true
		}
	}
	if hasMonth && !sp.has(bMonth) {
		// 下个月 alone.
		*out = sp
		return j, true
	}
	if hasMonth {
		// "3月的第二个周三": the month of an n-th weekday.
		k := j
		if e, ok := lit(s, k, "的"); ok {
			k = e
		}
		var tmp spec
		if _, ok := zhNth(s, k, &tmp); ok {
			*out = sp
			return j, true
		}
	}
	_ = ctx
	return i, false
}

type zhPer struct {
	w string
	p uint8
}

var zhPeriods = [...]zhPer{
	{"上午", pMorning}, {"早上", pMorning}, {"早晨", pMorning}, {"清晨", pMorning}, {"早间", pMorning},
	{"中午", pNoon}, {"晌午", pNoon},
	{"下午", pAfternoon}, {"午后", pAfternoon}, {"傍晚", pEvening},
	{"晚上", pEvening}, {"晚间", pEvening}, {"夜里", pNight}, {"夜间", pNight}, {"深夜", pNight}, {"半夜", pNight},
	{"凌晨", pEarly}, {"一早", pMorning}, {"一大早", pMorning}, {"上班", pMorning},
	{"下晝", pAfternoon}, {"下昼", pAfternoon}, {"朝早", pMorning}, {"夜晚", pEvening},
}

func zhPeriod(s string, i int, out *spec) (int, bool) {
	for _, p := range zhPeriods {
		if e, ok := lit(s, i, p.w); ok {
			out.mask |= bPeriod
			out.period = p.p
			return e, true
		}
	}
	// 下班 / 收工: the end of the working day.
	for _, w := range [...]string{"下班", "收工", "放工"} {
		if e, ok := lit(s, i, w); ok {
			out.mask |= bEOD
			return e, true
		}
	}
	return i, false
}

// zhClock reads [早|晚]H(点|时)[半|一刻|三刻|M分|M], H:MM and 差M分H点.
func zhClock(s string, i int, ctx *spec, out *spec) (int, bool) {
	if e, ok := zhClockTo(s, i, out); ok {
		return e, true
	}
	j := i
	per := pNone
	if e, ok := lit(s, j, "早"); ok {
		j, per = e, pMorning
	} else if e, ok := lit(s, j, "晚"); ok {
		j, per = e, pEvening
	}
	h, e, ok := num(s, j, 2)
	if !ok || h > 24 {
		return i, false
	}
	zhNumeral := !isDigit(s[j]) && s[j] != 0xEF
	// H:MM written with digits.
	if !zhNumeral {
		if m, e2, ok := colonMinutes(s, e); ok {
			out.mask |= bTime
			out.hour, out.min = h, m
			if per != pNone {
				out.mask |= bPeriod
				out.period = per
			}
			return e2, true
		}
	}
	k := e
	found := false
	for _, w := range [...]string{"点钟", "點鐘", "点", "點", "时", "時"} {
		if e2, ok := lit(s, k, w); ok {
			k, found = e2, true
			break
		}
	}
	if !found {
		return i, false
	}
	m := 0
	minuteSet := false
	trad := s[k-len("點"):k] == "點"
	if mm, e2, ok := cantoneseMinutes(s, k, trad); ok {
		m, k, minuteSet = mm, e2, true
	} else if e2, ok := lit(s, k, "半"); ok {
		m, k, minuteSet = 30, e2, true
	} else if e2, ok := lit(s, k, "一刻"); ok {
		m, k, minuteSet = 15, e2, true
	} else if e2, ok := lit(s, k, "三刻"); ok {
		m, k, minuteSet = 45, e2, true
	} else if mm, e2, ok := num(s, k, 2); ok && mm < 60 {
		// "九点二十", "8点十五分", "3点05"; not "3点一下".
		e3 := e2
		if e4, ok := lit(s, e2, "分"); ok {
			e3 = e4
		} else if e4, ok := lit(s, e2, "分钟"); ok {
			e3 = e4
		}
		if e3 != e2 || mm >= 10 || !isZhDigitAt(s, e2) {
			m, k, minuteSet = mm, e3, true
			// Cantonese: "三點三" is 3:15, the hand on the three.
			if trad && e3 == e2 && mm >= 1 && mm <= 11 && !isDigit(s[k-1]) {
				m = mm * 5
			}
		}
	} else if e2, ok := lit(s, k, "整"); ok {
		k = e2
	}
	// "三点建议", "两点意见": 点 counts points of an argument, not hours.
	if !minuteSet && per == pNone && ctx.mask&(bRel|bWd|bDay|bPeriod) == 0 {
		for _, w := range zhPointNouns {
			if _, ok := lit(s, k, w); ok {
				return i, false
			}
		}
	}
	// "快一点", "早一点": 一点 is "a bit", not one o'clock, unless the
	// expression already has a day or period, or minutes follow.
	if zhNumeral && h == 1 && per == pNone && !minuteSet && ctx.mask&(bRel|bWd|bDay|bPeriod) == 0 {
		return i, false
	}
	out.mask |= bTime
	out.hour, out.min = h, m
	if per != pNone {
		out.mask |= bPeriod
		out.period = per
	}
	return k, true
}

func isZhDigitAt(s string, i int) bool {
	if i >= len(s) {
		return false
	}
	r, _ := utf8.DecodeRuneInString(s[i:])
	return zhDigit(r) >= 0
}

// colonMinutes reads ":MM" or "：MM" and an optional ":SS".
func colonMinutes(s string, i int) (int, int, bool) {
	j := i
	if e, ok := lit(s, j, ":"); ok {
		j = e
	} else if e, ok := lit(s, j, "："); ok {
		j = e
	} else {
		return 0, i, false
	}
	if j+2 > len(s) || !isDigit(s[j]) || !isDigit(s[j+1]) {
		return 0, i, false
	}
	m := int(s[j]-'0')*10 + int(s[j+1]-'0')
	if m > 59 {
		return 0, i, false
	}
	j += 2
	if j+3 <= len(s) && s[j] == ':' && isDigit(s[j+1]) && isDigit(s[j+2]) {
		j += 3
	}
	if j < len(s) && isDigit(s[j]) {
		return 0, i, false
	}
	return m, j, true
}

type zhUnit struct {
	w    string
	unit uint8
	mult int
}

var zhUnits = [...]zhUnit{
	{"个小时", uHour, 60}, {"個小時", uHour, 60}, {"小时", uHour, 60}, {"小時", uHour, 60},
	{"个钟头", uHour, 60}, {"個鐘頭", uHour, 60}, {"钟头", uHour, 60},
	{"分钟", uMinute, 1}, {"分鐘", uMinute, 1},
	{"个工作日", uWorkday, 1}, {"個工作日", uWorkday, 1}, {"工作日", uWorkday, 1}, {"个工作天", uWorkday, 1}, {"工作天", uWorkday, 1},
	{"天", uDay, 1}, {"日", uDay, 1},
	{"个星期", uWeek, 1}, {"個星期", uWeek, 1}, {"个礼拜", uWeek, 1}, {"個禮拜", uWeek, 1},
	{"星期", uWeek, 1}, {"礼拜", uWeek, 1}, {"周", uWeek, 1}, {"週", uWeek, 1},
	{"个月", uMonth, 1}, {"個月", uMonth, 1},
	{"年", uYear, 1},
}

// cantoneseMinutes reads the Cantonese minute words after 點: 踏正 (on
// the hour), 個字 and N個字 (five minutes a 字), 踏N and 搭N (the hand on
// N: N×5 minutes).
func cantoneseMinutes(s string, i int, trad bool) (int, int, bool) {
	for _, w := range [...]string{"踏正", "正"} {
		if e, ok := lit(s, i, w); ok && (w != "正" || trad) {
			return 0, e, true
		}
	}
	for _, w := range [...]string{"個字", "个字"} {
		if e, ok := lit(s, i, w); ok {
			return 5, e, true
		}
	}
	for _, w := range [...]string{"踏", "搭"} {
		if e, ok := lit(s, i, w); ok {
			if v, e2, ok := num(s, e, 2); ok && v >= 1 && v <= 11 {
				return v * 5, e2, true
			}
			return 0, i, false
		}
	}
	if v, e, ok := num(s, i, 2); ok && v >= 1 && v <= 11 {
		for _, w := range [...]string{"個字", "个字"} {
			if e2, ok := lit(s, e, w); ok {
				return v * 5, e2, true
			}
		}
	}
	return 0, i, false
}

// zhClockTo reads 差M分H点 ("差五分四点": 3:55).
func zhClockTo(s string, i int, out *spec) (int, bool) {
	j, ok := lit(s, i, "差")
	if !ok {
		return i, false
	}
	m, e, ok := num(s, j, 2)
	if !ok || m < 1 || m > 59 {
		return i, false
	}
	if e2, ok := lit(s, e, "分钟"); ok {
		e = e2
	} else if e2, ok := lit(s, e, "分鐘"); ok {
		e = e2
	} else if e2, ok := lit(s, e, "分"); ok {
		e = e2
	} else if e2, ok := lit(s, e, "刻"); ok && m <= 3 {
		e, m = e2, m*15
	} else {
		return i, false
	}
	h, e, ok := num(s, e, 2)
	if !ok || h < 1 || h > 24 {
		return i, false
	}
	found := false
	for _, w := range [...]string{"点钟", "點鐘", "点", "點"} {
		if e2, ok := lit(s, e, w); ok {
			e, found = e2, true
			break
		}
	}
	if !found {
		return i, false
	}
	out.mask |= bTime
	out.hour, out.min = h-1, 60-m
	if h == 1 {
		out.hour = 12
	}
	return e, true
}

// zhWorkday reads 下个工作日, 下一个工作日 (the next working day).
func zhWorkday(s string, i int, out *spec) (int, bool) {
	for _, w := range [...]string{"下个工作日", "下個工作日", "下一个工作日", "下一個工作日", "下一工作日"} {
		if e, ok := lit(s, i, w); ok {
			out.mask |= bDur
			out.durN, out.durUnit = 1, uWorkday
			return e, true
		}
	}
	return i, false
}

var zhAfter = [...]string{"以后", "以後", "之后", "之後", "后", "後", "之内", "之內", "以内", "以內", "内", "內"}

// zhRel reads N(天|小时|周|个月|年)(后|内), 半小时后 and 未来N天.
func zhRel(s string, i int, out *spec) (int, bool) {
	for _, w := range [...]string{"未来", "未來", "接下来", "接下來", "今后", "今後"} {
		e, ok := lit(s, i, w)
		if !ok {
			continue
		}
		n, j, ok := num(s, e, 3)
		if !ok || n < 1 {
			return i, false
		}
		for _, u := range zhUnits {
			if e2, ok := lit(s, j, u.w); ok && u.unit >= uDay {
				out.mask |= bDur
				out.durN, out.durUnit = n*u.mult, u.unit
				if e3, ok := lit(s, e2, "内"); ok {
					e2 = e3
				} else if e3, ok := lit(s, e2, "內"); ok {
					e2 = e3
				}
				return e2, true
			}
		}
		return i, false
	}
	n, j, ok := num(s, i, 3)
	half := false
	if !ok {
		e, ok := lit(s, i, "半")
		if !ok {
			return i, false
		}
		n, j, half = 0, e, true
	}
	for _, u := range zhUnits {
		e, ok := lit(s, j, u.w)
		if !ok {
			continue
		}
		if half && u.unit != uHour && u.unit != uDay {
			return i, false
		}
		for _, a := range zhAfter {
			if e2, ok := lit(s, e, a); ok {
				out.mask |= bDur
				out.durUnit = u.unit
				switch {
				case half && u.unit == uHour:
					out.durN = 30
					out.durUnit = uMinute
				case half:
					out.durN = 12 * 60
					out.durUnit = uHour
				default:
					out.durN = n * u.mult
				}
				return e2, true
			}
		}
		return i, false
	}
	// 半个小时后
	if half {
		if e, ok := lit(s, j, "个"); ok {
			for _, w := range [...]string{"小时", "钟头"} {
				if e2, ok := lit(s, e, w); ok {
					for _, a := range zhAfter {
						if e3, ok := lit(s, e2, a); ok {
							out.mask |= bDur
							out.durN, out.durUnit = 30, uMinute
							return e3, true
						}
					}
				}
			}
		}
	}
	return i, false
}

var zhHolidays = [...]holidayName{
	{"元旦", 1, 1, 0}, {"情人节", 2, 14, 0}, {"劳动节", 5, 1, 0}, {"五一", 5, 1, 0},
	{"国庆节", 10, 1, 0}, {"国庆", 10, 1, 0}, {"國慶", 10, 1, 0}, {"圣诞节", 12, 25, 0}, {"圣诞", 12, 25, 0}, {"聖誕", 12, 25, 0},
	{"平安夜", 12, 24, 0}, {"儿童节", 6, 1, 0}, {"六一", 6, 1, 0},
}

// zhHoliday reads fixed-date holidays: 元旦, 五一, 国庆, 圣诞.
func zhHoliday(s string, i int, out *spec) (int, bool) {
	for _, h := range zhHolidays {
		if e, ok := lit(s, i, h.w); ok {
			if e2, ok := zhHolidayAfter(s, e); ok {
				// 国庆后: the first working day after it.
				out.mask |= bDay
				out.day = h.day
				out.holiday, out.hol = hFixed, holidayRef{m: int8(h.month), d: int8(h.day), after: true}
				return e2, true
			}
			out.mask |= bMonth | bDay
			out.month, out.day = h.month, h.day
			return e, true
		}
	}
	return i, false
}

// zhPointNouns follow 点 when it counts points, not hours.
var zhPointNouns = [...]string{"建议", "意见", "要求", "想法", "原因", "问题", "内容", "理由", "看法", "注意", "说明",
	"事项", "经验", "心得", "体会", "好处", "优势", "不足", "改进", "共识", "结论", "需求", "区别", "变化", "原则"}
