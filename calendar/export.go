package calendar

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/workspace-go/workspace/store"
)

// ExportCalendar writes calendar id as an iCalendar (RFC 5545) stream:
// a VTIMEZONE for each zone used, then every event actor may see, each series as one VEVENT with its RRULE,
// RDATEs and EXDATEs (cancelled instances become EXDATEs) plus one VEVENT
// with RECURRENCE-ID per changed instance. Events actor may see only as
// free/busy are written without summary, description, location,
// organizer or attendees.
func (s *Service) ExportCalendar(ctx context.Context, actor, id string, w io.Writer) error {
	if err := s.checkActor(ctx, actor); err != nil {
		return err
	}
	var buf bytes.Buffer
	err := s.st.View(ctx, func(tx store.Tx) error {
		buf.Reset()
		cal, role, err := s.access(tx, actor, id)
		if err != nil {
			return err
		}
		if role < FreeBusy {
			return fmt.Errorf("calendar %q: %w", id, ErrNotFound)
		}
		var body bytes.Buffer
		lw := &lineWriter{w: &body}
		zones := newZoneSet()
		var evIDs []string
		sl := sourceOf(cal)
		for k := range tx.Scan(store.Prefix(indexPrefix(sl))) {
			id, err := lastPart(k)
			if err != nil {
				return err
			}
			evIDs = append(evIDs, id)
		}
		for _, eid := range evIDs {
			ev, err := getEvent(tx, eid)
			if err != nil {
				return err
			}
			home := cal
			if home.ID != ev.CalendarID {
				if home, err = getCalendar(tx, ev.CalendarID); err != nil {
					return err
				}
			}
			d := max(detailFor(ev, roleOn(tx, home, actor), actor), minDetail(role))
			zones.add(ev)
			writeEvent(lw, ev, d)
		}
		hw := &lineWriter{w: &buf}
		writeHeader(hw, cal.Name, cal.TimeZone)
		zones.write(hw, s.now())
		if hw.err != nil || lw.err != nil {
			return errors.Join(hw.err, lw.err)
		}
		buf.Write(body.Bytes())
		hw.line("END:VCALENDAR")
		return hw.err
	})
	if err != nil {
		return fmt.Errorf("calendar: export %q: %w", id, err)
	}
	if _, err := w.Write(buf.Bytes()); err != nil {
		return fmt.Errorf("calendar: export %q: %w", id, err)
	}
	return nil
}

// ExportEvent writes one event (a series with its changed instances) as
// an iCalendar stream.
func (s *Service) ExportEvent(ctx context.Context, actor, id string, w io.Writer) error {
	if err := s.checkActor(ctx, actor); err != nil {
		return err
	}
	ev, err := s.Event(ctx, actor, id)
	if err != nil {
		return fmt.Errorf("calendar: export event %q: %w", id, err)
	}
	var buf bytes.Buffer
	lw := &lineWriter{w: &buf}
	writeHeader(lw, "", ev.TimeZone)
	zones := newZoneSet()
	zones.add(&ev)
	zones.write(lw, s.now())
	d := full
	if ev.BusyOnly {
		d = busy
	}
	writeEvent(lw, &ev, d)
	lw.line("END:VCALENDAR")
	if _, err := w.Write(buf.Bytes()); err != nil {
		return fmt.Errorf("calendar: export event %q: %w", id, err)
	}
	return nil
}

func writeHeader(lw *lineWriter, name, tz string) {
	lw.line("BEGIN:VCALENDAR")
	lw.line("VERSION:2.0")
	lw.line("PRODID:-//workspace-go//calendar//EN")
	lw.line("CALSCALE:GREGORIAN")
	if name != "" {
		lw.line("X-WR-CALNAME:", escape(name))
	}
	if tz != "" {
		lw.line("X-WR-TIMEZONE:", tz)
	}
}

// timeProp formats a DTSTART-like property for ev.
func timeProp(name string, ev *Event, t time.Time) string {
	switch {
	case ev.AllDay:
		return name + ";VALUE=DATE:" + t.Format("20060102")
	case ev.TimeZone == "" || ev.TimeZone == "UTC":
		return name + ":" + t.UTC().Format("20060102T150405Z")
	default:
		return name + ";TZID=" + ev.TimeZone + ":" + t.Format("20060102T150405")
	}
}

func timesProp(name string, ev *Event, ts []time.Time) string {
	var vals []string
	for _, t := range ts {
		v := timeProp("", ev, t)
		vals = append(vals, v[strings.IndexByte(v, ':')+1:])
	}
	p := timeProp(name, ev, ts[0])
	return p[:strings.IndexByte(p, ':')+1] + strings.Join(vals, ",")
}

func writeEvent(lw *lineWriter, ev *Event, d detail) {
	stamp := ev.Updated.UTC().Format("20060102T150405Z")
	if ev.Updated.IsZero() {
		stamp = "19700101T000000Z"
	}
	uid := ev.UID
	if d < full {
		uid = ev.ID // a UID may carry meaning ("salary-review@hr")
	}
	lw.line("BEGIN:VEVENT")
	lw.line("UID:", escape(uid))
	lw.line("DTSTAMP:", stamp)
	lw.line(timeProp("DTSTART", ev, ev.Start))
	lw.line(timeProp("DTEND", ev, ev.End))
	if ev.AllDay && ev.TimeZone != "" {
		// Dates float; say which zone's midnight they mean so a round
		// trip keeps the instants.
		lw.line("X-WORKSPACE-TZID:", ev.TimeZone)
	}
	if d == full {
		writeDetails(lw, ev)
	}
	lw.line("TRANSP:", strings.ToUpper(string(ev.Transparency)))
	if ev.Recurrence != nil {
		if ev.Recurrence.RRule != "" {
			lw.line("RRULE:", strings.TrimSuffix(strings.TrimPrefix(ev.Recurrence.RRule, "RRULE:"), ";"))
		}
		if len(ev.Recurrence.RDates) > 0 {
			lw.line(timesProp("RDATE", ev, ev.Recurrence.RDates))
		}
		ex := append([]time.Time(nil), ev.Recurrence.ExDates...)
		for _, x := range ev.Exceptions {
			if x.Cancelled {
				ex = append(ex, x.OriginalStart)
			}
		}
		if len(ex) > 0 {
			lw.line(timesProp("EXDATE", ev, ex))
		}
	}
	if d == full {
		writeAlarms(lw, ev)
	}
	lw.line("END:VEVENT")
	c, err := compile(ev)
	if err != nil {
		return
	}
	for i := range ev.Exceptions {
		x := &ev.Exceptions[i]
		if x.Cancelled {
			continue
		}
		st, en := c.times(x.OriginalStart, x)
		lw.line("BEGIN:VEVENT")
		lw.line("UID:", escape(uid))
		lw.line("DTSTAMP:", stamp)
		lw.line(timeProp("RECURRENCE-ID", ev, x.OriginalStart))
		lw.line(timeProp("DTSTART", ev, st))
		lw.line(timeProp("DTEND", ev, en))
		if d == full {
			o := *ev
			o.Attendees = slices.Clone(ev.Attendees)
			for i, a := range o.Attendees {
				if r, ok := x.Responses[a.User]; ok {
					o.Attendees[i].Status = r
				}
			}
			if x.Title != nil {
				o.Title = *x.Title
			}
			if x.Description != nil {
				o.Description = *x.Description
			}
			if x.Location != nil {
				o.Location = *x.Location
			}
			writeDetails(lw, &o)
		}
		tr := ev.Transparency
		if x.Transparency != nil {
			tr = *x.Transparency
		}
		lw.line("TRANSP:", strings.ToUpper(string(tr)))
		lw.line("END:VEVENT")
	}
}

func writeDetails(lw *lineWriter, ev *Event) {
	lw.line("SUMMARY:", escape(ev.Title))
	if ev.Description != "" {
		lw.line("DESCRIPTION:", escape(ev.Description))
	}
	if ev.Location != "" {
		lw.line("LOCATION:", escape(ev.Location))
	}
	switch ev.Visibility {
	case Private:
		lw.line("CLASS:PRIVATE")
	case Public:
		lw.line("CLASS:PUBLIC")
	}
	if ev.Organizer != "" {
		lw.line("ORGANIZER:mailto:", ev.Organizer)
	}
	for _, a := range ev.Attendees {
		role := "REQ-PARTICIPANT"
		if a.Optional {
			role = "OPT-PARTICIPANT"
		}
		lw.line("ATTENDEE;ROLE=", role, ";PARTSTAT=", strings.ToUpper(string(a.Status)), ":mailto:", a.User)
	}
}
