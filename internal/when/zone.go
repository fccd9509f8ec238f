package when

// Zone names and their offsets east of UTC, in minutes. An abbreviation
// is its own fixed offset: PST is UTC-8 even in July (summer time is PDT),
// and PT, CT and ET are read as standard time.
var enZones = [...]struct {
	w   string
	off int
}{
	{"UTC", 0}, {"GMT", 0},
	{"PST", -480}, {"PDT", -420}, {"PT", -480},
	{"MST", -420}, {"MDT", -360},
	{"CDT", -300}, {"CT", -360},
	{"EST", -300}, {"EDT", -240}, {"ET", -300},
	{"BST", 60}, {"WET", 0}, {"CET", 60}, {"CEST", 120}, {"EET", 120}, {"EEST", 180},
	{"MSK", 180}, {"IST", 330}, {"SGT", 480}, {"HKT", 480}, {"JST", 540}, {"KST", 540},
	{"AEST", 600}, {"AEDT", 660}, {"NZST", 720}, {"NZDT", 780},
}

// enZone reads a zone after a clock time and a space: " PST", " UTC+8",
// " GMT-05:00", " UTC+5:30". Abbreviations must be upper case (CET, not "cet").
func enZone(s string, i int) (off int, j int, ok bool) {
	k := spaces(s, i)
	if k == i {
		return 0, i, false // "3pmPST" is not a zone: a space comes first
	}
	for _, z := range enZones {
		e, ok := lit(s, k, z.w)
		if !ok || e < len(s) && isLetter(s[e]) {
			continue
		}
		if z.w == "UTC" || z.w == "GMT" {
			if o, e2, ok := utcOffset(s, e); ok {
				return o, e2, true
			}
		}
		return z.off, e, true
	}
	return 0, i, false
}

// utcOffset reads "+8", "-5", "+05:30", "+0530".
func utcOffset(s string, i int) (int, int, bool) {
	if i >= len(s) || s[i] != '+' && s[i] != '-' {
		return 0, i, false
	}
	sign := 1
	if s[i] == '-' {
		sign = -1
	}
	h, e, ok := digits(s, i+1, 4)
	if !ok {
		return 0, i, false
	}
	m := 0
	switch n := e - i - 1; {
	case n == 4:
		h, m = h/100, h%100
	case n > 2:
		return 0, i, false
	default:
		if e+3 <= len(s) && s[e] == ':' && isDigit(s[e+1]) && isDigit(s[e+2]) {
			m = int(s[e+1]-'0')*10 + int(s[e+2]-'0')
			e += 3
		}
	}
	if h > 14 || m > 59 {
		return 0, i, false
	}
	return sign * (h*60 + m), e, true
}

// zhZones are the Chinese names of zones, written before the time:
// 北京时间下午3点.
var zhZones = [...]struct {
	w   string
	off int
}{
	{"北京时间", 480}, {"北京時間", 480}, {"东八区", 480}, {"東八區", 480}, {"香港时间", 480}, {"香港時間", 480},
	{"台北时间", 480}, {"台北時間", 480}, {"新加坡时间", 480}, {"东京时间", 540}, {"東京時間", 540}, {"日本时间", 540},
	{"首尔时间", 540}, {"伦敦时间", 0}, {"格林尼治时间", 0}, {"世界标准时间", 0},
}

func zhZone(s string, i int, out *spec) (int, bool) {
	for _, z := range zhZones {
		if e, ok := lit(s, i, z.w); ok {
			out.mask |= bZone
			out.zoneOff = z.off * 60
			return e, true
		}
	}
	return i, false
}
