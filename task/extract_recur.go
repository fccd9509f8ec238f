package task

import (
	"strconv"
	"strings"

	"github.com/workspace-go/workspace/internal/when"
)

// extractRRule writes the RFC 5545 RRULE of a recurrence read from a
// message, without DTSTART: the draft's Due is the first instance and
// carries the time of day. It returns "" for no recurrence.
func extractRRule(r when.Repeat) string {
	var b strings.Builder
	switch r.Freq {
	case when.Daily:
		b.WriteString("FREQ=DAILY")
	case when.Weekly:
		b.WriteString("FREQ=WEEKLY")
	case when.Monthly:
		b.WriteString("FREQ=MONTHLY")
	case when.Yearly:
		b.WriteString("FREQ=YEARLY")
	default:
		return ""
	}
	if r.Interval > 1 {
		b.WriteString(";INTERVAL=")
		b.WriteString(strconv.Itoa(r.Interval))
	}
	days := func(prefix string) {
		b.WriteString(";BYDAY=")
		first := true
		for k, code := range [...]string{"MO", "TU", "WE", "TH", "FR", "SA", "SU"} {
			if r.Weekdays&(1<<k) == 0 {
				continue
			}
			if !first {
				b.WriteByte(',')
			}
			first = false
			b.WriteString(prefix)
			b.WriteString(code)
		}
	}
	switch {
	case r.Freq == when.Monthly && r.Nth != 0 && r.Workdays:
		// The n-th (or last) weekday of the month: the tenant calendar's
		// working days are nearest to Monday-Friday with BYSETPOS.
		days("")
		b.WriteString(";BYSETPOS=")
		b.WriteString(strconv.Itoa(r.Nth))
	case r.Freq == when.Monthly && r.Nth != 0:
		days(strconv.Itoa(r.Nth))
	case r.Weekdays != 0:
		days("")
	}
	if r.Month != 0 {
		b.WriteString(";BYMONTH=")
		b.WriteString(strconv.Itoa(r.Month))
	}
	if r.MonthDay != 0 {
		b.WriteString(";BYMONTHDAY=")
		b.WriteString(strconv.Itoa(r.MonthDay))
	}
	return b.String()
}
