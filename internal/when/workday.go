package when

import (
	"time"

	"github.com/workspace-go/workspace/internal/workdays"
)

// Calendar says which days are working days, for "3个工作日内", "下个工作
// 日", "within 2 business days" and "节后". *workdays.Calendar is one.
type Calendar interface {
	// AddWorkdays returns the n-th working day after day (n < 0: before),
	// at midnight; an error when the calendar does not know.
	AddWorkdays(day time.Time, n int) (time.Time, error)
}

// maxWorkdays bounds a count of working days in a phrase ("999个工作日内"
// is refused): about a year and a half, so hostile text stays cheap.
const maxWorkdays = 366

// addWorkdays counts working days on cal, the official calendar when cal
// is nil. A day the calendar does not know (a year outside its data)
// gives ok false: no date rather than a wrong one.
func addWorkdays(cal Calendar, day time.Time, n int) (time.Time, bool) {
	if cal == nil {
		cal = workdays.Official()
	}
	t, err := cal.AddWorkdays(day, n)
	if err != nil {
		return time.Time{}, false
	}
	y, m, d := t.Date()
	return date(y, m, d, day.Location()), true
}
