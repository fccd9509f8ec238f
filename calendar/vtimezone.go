package calendar

import (
	"fmt"
	"slices"
	"time"
)

// zoneSet collects the zones an export refers to by TZID and the years
// its events span, to write a VTIMEZONE for each (RFC 5545 3.6.5): the
// zone's transitions over those years as dated observances, computed from
// the system's time zone database.
type zoneSet struct {
	zones      map[string]*time.Location
	first      time.Time
	last       time.Time
	hasAnyTime bool
}

func newZoneSet() *zoneSet { return &zoneSet{zones: map[string]*time.Location{}} }

func (z *zoneSet) add(ev *Event) {
	if ev.AllDay || ev.TimeZone == "" || ev.TimeZone == "UTC" {
		return
	}
	loc, err := loadZone(ev.TimeZone)
	if err != nil {
		return
	}
	z.zones[ev.TimeZone] = loc
	if !z.hasAnyTime || ev.Start.Before(z.first) {
		z.first = ev.Start
	}
	end := ev.End
	if ev.Recurrence != nil {
		if c, err := compile(ev); err == nil {
			if !c.last.Equal(maxTime) && c.last.After(end) {
				end = c.last
			}
		}
	}
	if !z.hasAnyTime || end.After(z.last) {
		z.last = end
	}
	z.hasAnyTime = true
}

// maxTransitions bounds one VTIMEZONE (about 60 years of twice-yearly
// changes).
const maxTransitions = 120

func (z *zoneSet) write(lw *lineWriter, now time.Time) {
	if len(z.zones) == 0 {
		return
	}
	from := time.Date(z.first.Year()-1, 1, 1, 0, 0, 0, 0, time.UTC)
	// Through the last instance, and at least five years from now for
	// unbounded series and clients showing the coming years.
	to := z.last
	if horizon := now.AddDate(5, 0, 0); to.Before(horizon) {
		to = horizon
	}
	if to.Sub(from) > 60*366*24*time.Hour {
		to = from.AddDate(60, 0, 0)
	}
	names := make([]string, 0, len(z.zones))
	for n := range z.zones {
		names = append(names, n)
	}
	slices.Sort(names)
	for _, n := range names {
		writeVTimezone(lw, n, z.zones[n], from, to)
	}
}

func offset(sec int) string {
	sign := '+'
	if sec < 0 {
		sign, sec = '-', -sec
	}
	return fmt.Sprintf("%c%02d%02d", sign, sec/3600, sec/60%60)
}

func writeVTimezone(lw *lineWriter, name string, loc *time.Location, from, to time.Time) {
	lw.line("BEGIN:VTIMEZONE")
	lw.line("TZID:", name)
	t := from.In(loc)
	abbr, off := t.Zone()
	n := 0
	for n < maxTransitions {
		_, end := t.ZoneBounds()
		if end.IsZero() || end.After(to) {
			break
		}
		t = end.In(loc)
		nabbr, noff := t.Zone()
		kind := "STANDARD"
		if t.IsDST() {
			kind = "DAYLIGHT"
		}
		lw.line("BEGIN:", kind)
		// The onset in local time as it was just before the change.
		lw.line("DTSTART:", end.Add(time.Duration(off)*time.Second).UTC().Format("20060102T150405"))
		lw.line("TZOFFSETFROM:", offset(off))
		lw.line("TZOFFSETTO:", offset(noff))
		lw.line("TZNAME:", escape(nabbr))
		lw.line("END:", kind)
		abbr, off = nabbr, noff
		n++
	}
	if n == 0 {
		kind := "STANDARD"
		if t.IsDST() {
			kind = "DAYLIGHT"
		}
		lw.line("BEGIN:", kind)
		lw.line("DTSTART:", from.Format("20060102T150405"))
		lw.line("TZOFFSETFROM:", offset(off))
		lw.line("TZOFFSETTO:", offset(off))
		lw.line("TZNAME:", escape(abbr))
		lw.line("END:", kind)
	}
	lw.line("END:VTIMEZONE")
}
