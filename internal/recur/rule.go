package recur

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/teambition/rrule-go"
)

// Limits that bound the work a rule can cause.
const (
	// MaxInstances caps All and a Between call without a limit.
	MaxInstances = 100_000
	// MaxCount is the largest COUNT accepted: a COUNT series always fits in All.
	MaxCount = MaxInstances
	// maxInterval bounds INTERVAL so that period arithmetic cannot overflow.
	maxInterval = 1_000_000
)

// untilKind says how an UNTIL value is compared with instances.
type untilKind int

const (
	untilNone     untilKind = iota
	untilUTC                // UNTIL=...Z: compared as an instant
	untilFloating           // UNTIL=YYYYMMDDTHHMMSS: compared as local wall time
	untilDate               // UNTIL=YYYYMMDD: the whole date is included
)

// rule is a parsed RRULE value.
type rule struct {
	opt       rrule.ROption // FREQ, INTERVAL, WKST and BY* parts (no DTSTART, COUNT, UNTIL)
	count     int
	until     time.Time // untilUTC: the instant; otherwise wall time as UTC
	untilKind untilKind
	parts     []string // the normalised parts except COUNT and UNTIL, in order
	shared    bool     // held by parsedRules (so derivations may key on it)
}

var freqs = map[string]rrule.Frequency{
	"YEARLY": rrule.YEARLY, "MONTHLY": rrule.MONTHLY, "WEEKLY": rrule.WEEKLY, "DAILY": rrule.DAILY,
	"HOURLY": rrule.HOURLY, "MINUTELY": rrule.MINUTELY, "SECONDLY": rrule.SECONDLY,
}

var weekdays = map[string]rrule.Weekday{
	"MO": rrule.MO, "TU": rrule.TU, "WE": rrule.WE, "TH": rrule.TH,
	"FR": rrule.FR, "SA": rrule.SA, "SU": rrule.SU,
}

// normalizeRule trims an "RRULE:" prefix, blanks and trailing ';' and
// upper-cases the rest; "" means no rule.
func normalizeRule(s string) string {
	s = strings.TrimSpace(s)
	if len(s) >= 6 && strings.EqualFold(s[:6], "RRULE:") {
		s = s[6:]
	}
	s = strings.TrimSpace(strings.TrimRight(strings.TrimSpace(s), ";"))
	return strings.ToUpper(s)
}

// parsedRules caches parseRule's answers by normalised text: calendars hold
// the same few rules many times over, and a parse costs a dozen
// allocations. A cached rule is shared: nothing may change its slices.
var parsedRules struct {
	sync.Mutex
	m map[string]*rule
}

// maxParsedRules bounds parsedRules; it starts over when full. Rules
// longer than maxCachedRule (none a calendar app writes) are not cached,
// so the cache holds at most a megabyte of text.
const (
	maxParsedRules = 4096
	maxCachedRule  = 256
)

// parseRuleCached is parseRule through parsedRules.
func parseRuleCached(s string) (*rule, error) {
	parsedRules.Lock()
	r, ok := parsedRules.m[s]
	parsedRules.Unlock()
	if ok {
		return r, nil
	}
	parsed, err := parseRule(s)
	if err != nil {
		return nil, err
	}
	r = &parsed
	if len(s) > maxCachedRule {
		return r, nil
	}
	r.shared = true
	parsedRules.Lock()
	if parsedRules.m == nil || len(parsedRules.m) >= maxParsedRules {
		parsedRules.m = make(map[string]*rule)
	}
	parsedRules.m[s] = r
	parsedRules.Unlock()
	return r, nil
}

// partNames are the RRULE parts parseRule knows.
var partNames = []string{"FREQ", "INTERVAL", "COUNT", "UNTIL", "WKST", "BYSECOND", "BYMINUTE", "BYHOUR",
	"BYMONTHDAY", "BYYEARDAY", "BYWEEKNO", "BYMONTH", "BYSETPOS", "BYDAY"}

// parseRule parses a normalised, non-empty RRULE value.
func parseRule(s string) (rule, error) {
	var r rule
	var seen uint32 // bit i: partNames[i] seen
	var seenX map[string]bool
	freqSet := false
	r.parts = make([]string, 0, strings.Count(s, ";")+1)
	for part := range strings.SplitSeq(s, ";") {
		name, value, ok := strings.Cut(part, "=")
		name, value = strings.TrimSpace(name), strings.TrimSpace(value)
		if !ok || name == "" || value == "" {
			return r, fmt.Errorf("part %q: want NAME=VALUE", part)
		}
		if i := slices.Index(partNames, name); i >= 0 {
			if seen&(1<<i) != 0 {
				return r, fmt.Errorf("part %s given twice", name)
			}
			seen |= 1 << i
		} else {
			if seenX[name] {
				return r, fmt.Errorf("part %s given twice", name)
			}
			if seenX == nil {
				seenX = make(map[string]bool)
			}
			seenX[name] = true
		}
		var err error
		switch name {
		case "FREQ":
			f, ok := freqs[value]
			if !ok {
				return r, fmt.Errorf("FREQ=%s: unknown frequency", value)
			}
			r.opt.Freq, freqSet = f, true
		case "INTERVAL":
			r.opt.Interval, err = parseInt(value, 1, maxInterval)
		case "COUNT":
			r.count, err = parseInt(value, 1, MaxCount)
		case "UNTIL":
			r.until, r.untilKind, err = parseUntil(value)
		case "WKST":
			w, ok := weekdays[value]
			if !ok {
				err = fmt.Errorf("unknown weekday")
			}
			r.opt.Wkst = w
		case "BYSECOND":
			r.opt.Bysecond, err = parseInts(value, 0, 59, false)
		case "BYMINUTE":
			r.opt.Byminute, err = parseInts(value, 0, 59, false)
		case "BYHOUR":
			r.opt.Byhour, err = parseInts(value, 0, 23, false)
		case "BYMONTHDAY":
			r.opt.Bymonthday, err = parseInts(value, 1, 31, true)
		case "BYYEARDAY":
			r.opt.Byyearday, err = parseInts(value, 1, 366, true)
		case "BYWEEKNO":
			r.opt.Byweekno, err = parseInts(value, 1, 53, true)
		case "BYMONTH":
			r.opt.Bymonth, err = parseInts(value, 1, 12, false)
		case "BYSETPOS":
			r.opt.Bysetpos, err = parseInts(value, 1, 366, true)
		case "BYDAY":
			r.opt.Byweekday, err = parseWeekdays(value)
		default:
			if strings.HasPrefix(name, "X-") {
				continue // experimental parts are allowed and ignored (RFC 5545 3.3.10)
			}
			return r, fmt.Errorf("unknown part %s", name)
		}
		if err != nil {
			return r, fmt.Errorf("%s=%s: %v", name, value, err)
		}
		if name != "COUNT" && name != "UNTIL" {
			if len(part) != len(name)+1+len(value) {
				part = name + "=" + value // blanks around the parts
			}
			r.parts = append(r.parts, part)
		}
	}
	if !freqSet {
		return r, fmt.Errorf("FREQ is required")
	}
	if r.count > 0 && r.untilKind != untilNone {
		return r, fmt.Errorf("COUNT and UNTIL together")
	}
	if r.opt.Interval == 0 {
		r.opt.Interval = 1
	}
	return r, r.checkRFC()
}

// checkRFC refuses the combinations RFC 5545 3.3.10 says MUST NOT occur.
func (r *rule) checkRFC() error {
	f := r.opt.Freq
	switch {
	case len(r.opt.Byweekno) > 0 && f != rrule.YEARLY:
		return fmt.Errorf("BYWEEKNO needs FREQ=YEARLY")
	case len(r.opt.Byyearday) > 0 && (f == rrule.DAILY || f == rrule.WEEKLY || f == rrule.MONTHLY):
		return fmt.Errorf("BYYEARDAY with FREQ=%v", f)
	case len(r.opt.Bymonthday) > 0 && f == rrule.WEEKLY:
		return fmt.Errorf("BYMONTHDAY with FREQ=WEEKLY")
	}
	for _, w := range r.opt.Byweekday {
		if w.N() == 0 {
			continue
		}
		if f != rrule.MONTHLY && f != rrule.YEARLY {
			return fmt.Errorf("BYDAY=%v: a numbered weekday needs FREQ=MONTHLY or YEARLY", w)
		}
		if f == rrule.YEARLY && len(r.opt.Byweekno) > 0 {
			return fmt.Errorf("BYDAY=%v: a numbered weekday with BYWEEKNO", w)
		}
		if (f == rrule.MONTHLY || f == rrule.YEARLY && len(r.opt.Bymonth) > 0) && (w.N() > 5 || w.N() < -5) {
			// With BYMONTH a YEARLY rule numbers the weekdays of each month
			// (and rrule-go indexes out of its year with a larger number).
			return fmt.Errorf("BYDAY=%v: a month has at most 5 of a weekday", w)
		}
	}
	return nil
}

func parseInt(s string, lo, hi int) (int, error) {
	n, err := strconv.Atoi(s)
	if err != nil || n < lo || n > hi {
		return 0, fmt.Errorf("want an integer from %d to %d", lo, hi)
	}
	return n, nil
}

// parseInts parses a comma list of integers in [lo, hi] (or [-hi, -lo] when
// signed), sorted and without repeats.
func parseInts(s string, lo, hi int, signed bool) ([]int, error) {
	out := make([]int, 0, strings.Count(s, ",")+1)
	for v := range strings.SplitSeq(s, ",") {
		n, err := strconv.Atoi(strings.TrimPrefix(v, "+"))
		if err != nil || !(n >= lo && n <= hi || signed && n <= -lo && n >= -hi) {
			return nil, fmt.Errorf("%q: want an integer from %d to %d", v, lo, hi)
		}
		out = append(out, n)
	}
	slices.Sort(out)
	return slices.Compact(out), nil
}

func parseWeekdays(s string) ([]rrule.Weekday, error) {
	out := make([]rrule.Weekday, 0, strings.Count(s, ",")+1)
	for v := range strings.SplitSeq(s, ",") {
		if len(v) < 2 {
			return nil, fmt.Errorf("%q: unknown weekday", v)
		}
		w, ok := weekdays[v[len(v)-2:]]
		if !ok {
			return nil, fmt.Errorf("%q: unknown weekday", v)
		}
		if num := v[:len(v)-2]; num != "" {
			n, err := strconv.Atoi(strings.TrimPrefix(num, "+"))
			if err != nil || n == 0 || n > 53 || n < -53 || strings.HasPrefix(num, "+-") {
				return nil, fmt.Errorf("%q: week number must be 1 to 53 or -53 to -1", v)
			}
			w = w.Nth(n)
		}
		if !slices.Contains(out, w) {
			out = append(out, w)
		}
	}
	return out, nil
}

// parseUntil parses an UNTIL value: a date, a local date-time or a UTC
// date-time, with a four-digit year.
func parseUntil(s string) (time.Time, untilKind, error) {
	date, _, _ := strings.Cut(s, "T")
	if len(date) > 8 && strings.Trim(date, "0123456789") == "" {
		return time.Time{}, 0, fmt.Errorf("year past 9999")
	}
	layouts := []struct {
		layout string
		kind   untilKind
	}{{"20060102", untilDate}, {"20060102T150405", untilFloating}, {"20060102T150405Z", untilUTC}}
	for _, l := range layouts {
		if len(s) != len(l.layout) {
			continue
		}
		t, err := time.Parse(l.layout, s)
		if err != nil {
			break
		}
		if t.Year() < 1 {
			return time.Time{}, 0, fmt.Errorf("year before 0001")
		}
		return t, l.kind, nil
	}
	return time.Time{}, 0, fmt.Errorf("want YYYYMMDD, YYYYMMDDTHHMMSS or YYYYMMDDTHHMMSSZ")
}
