package calendar

import (
	"strconv"
	"strings"
	"time"
)

// VALARM import and export. An event's own reminders (Event.Reminders)
// are written as VALARMs with ACTION:DISPLAY and a TRIGGER relative to
// the start (-PT15M) or absolute (VALUE=DATE-TIME); the calendar's
// defaults and attendees' own reminders are not exported. Import reads
// DISPLAY and AUDIO alarms: a TRIGGER relative to the start or (RELATED=END)
// the end, or absolute. A trigger after the start, an alarm of another
// action, or one beyond MaxReminders is dropped; seconds are cut to
// whole minutes.

// maxAlarms is the most VALARMs of one VEVENT read on import (of which
// the first MaxReminders usable ones are kept); maxAlarmProps the most
// properties of one: 32.
const maxAlarms = 4 * MaxReminders

// alarm is one VALARM's properties, collected while parsing.
type alarm []prop

func writeAlarms(lw *lineWriter, ev *Event) {
	if ev.Reminders == nil {
		return
	}
	for _, r := range *ev.Reminders {
		lw.line("BEGIN:VALARM")
		lw.line("ACTION:DISPLAY")
		lw.line("DESCRIPTION:", escape(ev.Title))
		if !r.At.IsZero() {
			lw.line("TRIGGER;VALUE=DATE-TIME:", r.At.UTC().Format("20060102T150405Z"))
		} else {
			lw.line("TRIGGER:", formatLead(r.Minutes))
		}
		lw.line("END:VALARM")
	}
}

// formatLead writes minutes before the start as an RFC 5545 duration.
func formatLead(m int) string {
	if m == 0 {
		return "PT0M"
	}
	var b strings.Builder
	b.WriteString("-P")
	if d := m / (24 * 60); d > 0 {
		b.WriteString(strconv.Itoa(d) + "D")
		m %= 24 * 60
	}
	if m > 0 {
		b.WriteString("T")
		if h := m / 60; h > 0 {
			b.WriteString(strconv.Itoa(h) + "H")
		}
		if m%60 > 0 {
			b.WriteString(strconv.Itoa(m%60) + "M")
		}
	}
	return b.String()
}

// readAlarms turns the VALARMs of e (whose start and end are set) into
// its reminders; none leaves e's reminders to the calendar's defaults.
func readAlarms(e *Event, alarms []alarm, defLoc *time.Location) {
	var rs []Reminder
	for _, a := range alarms {
		if len(rs) == MaxReminders {
			break
		}
		var trig *prop
		action := ""
		for i := range a {
			switch a[i].name {
			case "TRIGGER":
				trig = &a[i]
			case "ACTION":
				action = strings.ToUpper(strings.TrimSpace(a[i].value))
			}
		}
		if trig == nil || action != "DISPLAY" && action != "AUDIO" {
			continue
		}
		if strings.EqualFold(trig.param("VALUE"), "DATE-TIME") {
			t, _, err := parseTime(trig, trig.value, defLoc)
			if err != nil || checkTime("trigger", t) != nil {
				continue
			}
			rs = append(rs, Reminder{At: t.UTC()})
			continue
		}
		d, err := parseTrigger(trig.value)
		if err != nil {
			continue
		}
		if strings.EqualFold(trig.param("RELATED"), "END") {
			d += e.End.Sub(e.Start)
		}
		m := int(-d / time.Minute)
		if d > 0 || m > MaxReminderMinutes {
			continue
		}
		rs = append(rs, Reminder{Minutes: m})
	}
	if len(rs) > 0 {
		e.Reminders = &rs
	}
}

// parseTrigger reads a TRIGGER duration, which unlike DURATION may be
// negative (before the start).
func parseTrigger(v string) (time.Duration, error) {
	v = strings.TrimSpace(v)
	neg := strings.HasPrefix(v, "-")
	v = strings.TrimPrefix(strings.TrimPrefix(v, "-"), "+")
	d, err := parseDuration(v)
	if neg {
		d = -d
	}
	return d, err
}
