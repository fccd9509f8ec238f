package calendar

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/workspace-go/workspace/store"
)

// MaxImportSize is the largest iCalendar stream Import reads.
const MaxImportSize = 64 << 20

// ImportBatch is how many events Import writes per store transaction, so
// that a large import never holds the store's commit path for long.
const ImportBatch = 150

// ImportReport says what Import did.
type ImportReport struct {
	Created int `json:"created"` // new events
	Updated int `json:"updated"` // events whose UID was already on the calendar, replaced
	// Skipped lists the components that could not be imported, each with
	// the line it starts on and why; the rest were imported.
	Skipped []ImportProblem `json:"skipped,omitempty"`
}

// ImportProblem is one component Import skipped.
type ImportProblem struct {
	Line int    `json:"line"`
	UID  string `json:"uid,omitempty"`
	// Err is why; on the wire it is Reason (its message) and Code (its
	// store.Code).
	Err    error  `json:"-"`
	Reason string `json:"reason,omitempty"`
	Code   string `json:"code,omitempty"`
}

// String describes the problem with its line and UID.
func (p ImportProblem) String() string {
	return fmt.Sprintf("line %d (UID %q): %v", p.Line, p.UID, p.Err)
}

// vevent is one parsed VEVENT before grouping by UID.
type vevent struct {
	line      int
	uid       string
	ev        Event
	recurID   time.Time // zero on a master
	cancelled bool
	alarms    []alarm // its VALARMs (reminderical.go)
	err       error
}

// Import reads an iCalendar stream (RFC 5545) into calendar id. It is
// tolerant: a component it cannot use is reported in ImportReport.Skipped
// and the others are imported. VEVENTs with RRULE, RDATE, EXDATE and
// RECURRENCE-ID overrides (a changed instance, or a cancelled one with
// STATUS:CANCELLED), all-day dates (VALUE=DATE), IANA TZIDs (also behind a
// "/vendor/.../" prefix, and common Windows zone names), folded lines,
// escaped text and a UTF-8 byte order mark are understood; VTIMEZONE
// definitions are not read (the TZID names the zone), VALARMs are ignored,
// floating times are taken in the calendar's zone. An event whose UID is
// already on the calendar is replaced, keeping its rooms if they are still
// free at the new times (else it is skipped and reported); new events
// book no rooms.
// Everything valid is written, in transactions of [ImportBatch] events
// (each event with its indexes and change record in one), so that a
// large file never holds the store's commit path for long. If a store
// error stops the import midway, the report counts what was written and
// the error is returned with it; importing the file again completes it
// (events are matched by UID). Actor needs Writer.
func (s *Service) Import(ctx context.Context, actor, id string, r io.Reader) (ImportReport, error) {
	if err := s.checkActor(ctx, actor); err != nil {
		return ImportReport{}, err
	}
	data, err := io.ReadAll(io.LimitReader(r, MaxImportSize+1))
	if err != nil {
		return ImportReport{}, fmt.Errorf("calendar: import into %q: %w", id, err)
	}
	if len(data) > MaxImportSize {
		return ImportReport{}, fmt.Errorf("calendar: import into %q: more than %d bytes: %w", id, MaxImportSize, ErrInvalid)
	}
	var calTZ string
	err = s.st.View(ctx, func(tx store.Tx) error {
		cal, role, err := s.access(tx, actor, id)
		if err != nil {
			return err
		}
		if role < Writer {
			return denied(id, actor, role, Writer)
		}
		if cal.Kind == Resource {
			return fmt.Errorf("calendar %q is a room: book it through an event's Rooms: %w", id, ErrInvalid)
		}
		calTZ = cal.TimeZone
		return nil
	})
	if err != nil {
		return ImportReport{}, fmt.Errorf("calendar: import into %q: %w", id, err)
	}
	defLoc, err := loadZone(calTZ)
	if err != nil {
		defLoc = time.UTC
	}
	events, problems := parseICS(data, defLoc)
	newIDs := make([]string, len(events))
	for i := range newIDs {
		newIDs[i] = s.newID()
	}
	now := s.now().UTC()
	// Normalise every event before the transaction (the work grows with
	// their RDATEs, EXDATEs and overrides); the transaction redoes it only
	// for an event whose bookings or calendar zone it must see.
	pre := make([]prepared, len(events))
	for i, in := range events {
		e := cloneEvent(in.ev)
		e.CalendarID, e.Organizer = id, firstNonEmpty(e.Organizer, actor)
		e.ID, e.Created, e.Revision, e.Updated = newIDs[i], now, 1, now
		c, err := normalize(&e, calTZ)
		pre[i] = prepared{c, err}
	}
	rep := ImportReport{Skipped: append([]ImportProblem(nil), problems...)}
	for lo := 0; lo < len(events) || lo == 0; lo += ImportBatch {
		hi := min(lo+ImportBatch, len(events))
		batch, err := s.importBatch(ctx, actor, id, calTZ, now, events[lo:hi], pre[lo:hi], newIDs[lo:hi])
		rep.Created += batch.Created
		rep.Updated += batch.Updated
		rep.Skipped = append(rep.Skipped, batch.Skipped...)
		if err != nil {
			return rep, fmt.Errorf("calendar: import into %q: %w", id, err)
		}
	}
	return rep, nil
}

// prepared is an imported event normalised before the transaction.
type prepared struct {
	c   *compiled
	err error
}

// importBatch writes one batch of an import in one transaction.
func (s *Service) importBatch(ctx context.Context, actor, id, calTZ string, now time.Time,
	events []importable, pre []prepared, newIDs []string) (ImportReport, error) {
	var rep ImportReport
	err := s.st.Update(ctx, func(tx store.Tx) error {
		rep = ImportReport{}
		cal, role, err := s.access(tx, actor, id)
		if err != nil {
			return err
		}
		if role < Writer {
			return denied(id, actor, role, Writer)
		}
		if cal.Kind == Resource {
			return fmt.Errorf("calendar %q is a room: book it through an event's Rooms: %w", id, ErrInvalid)
		}
		for i, in := range events {
			e := cloneEvent(in.ev)
			e.CalendarID, e.Organizer = id, firstNonEmpty(e.Organizer, actor)
			var old *Event
			if v, err := tx.Get(uidKey(id, e.UID)); err == nil {
				if old, err = getEvent(tx, string(v)); err != nil && !errors.Is(err, store.ErrNotFound) {
					return err
				}
			}
			var c *compiled
			switch p := pre[i]; {
			case cal.TimeZone != calTZ || old != nil && len(old.Rooms) > 0:
				if old != nil {
					e.ID, e.Created, e.Revision = old.ID, old.Created, old.Revision+1
					e.Rooms = old.Rooms // keep the replaced event's bookings
				} else {
					e.ID, e.Created, e.Revision = newIDs[i], now, 1
				}
				e.Updated = now
				c, err = normalize(&e, cal.TimeZone)
			case p.err != nil:
				err = p.err
			default:
				// The prepared event is this one: only its identity may
				// differ (it replaces old), and normalize does not read it.
				c, err = p.c, nil
				if old != nil {
					c.ev.ID, c.ev.Created, c.ev.Revision = old.ID, old.Created, old.Revision+1
					c.ev.Rooms = old.Rooms
				}
			}
			if err == nil {
				err = s.book(tx, c, now)
			}
			if errors.Is(err, store.ErrInvalid) || errors.Is(err, ErrRoomBooked) || errors.Is(err, ErrRoomTooSmall) || errors.Is(err, ErrNotFound) {
				rep.Skipped = append(rep.Skipped, newProblem(in.line, in.uid, err))
				continue
			}
			if err != nil {
				return err
			}
			if err := s.writeEvent(tx, old, c, cal); err != nil {
				return err
			}
			typ := EventCreated
			if old != nil {
				typ = EventUpdated
				rep.Updated++
			} else {
				rep.Created++
			}
			if err := appendChange(tx, Change{Type: typ, CalendarID: id, EventID: c.ev.ID, Actor: actor, At: now}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return ImportReport{}, err
	}
	return rep, nil
}

func firstNonEmpty(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

type importable struct {
	line int
	uid  string
	ev   Event
}

// parseICS turns a stream into events grouped by UID (overrides folded
// into their master as exceptions) and the problems met on the way.
func parseICS(data []byte, defLoc *time.Location) ([]importable, []ImportProblem) {
	lines, nums := unfold(data)
	var (
		vevs     []*vevent
		problems []ImportProblem
		cur      *vevent
		props    []prop
		depth    int // nesting inside the current VEVENT (VALARM, ...)
		inAlarm  bool
	)
	finish := func() {
		cur.err = eventFromProps(cur, props, defLoc)
		if cur.err == nil {
			readAlarms(&cur.ev, cur.alarms, defLoc)
		}
		vevs = append(vevs, cur)
		cur, props = nil, nil
	}
	for i, l := range lines {
		if cur == nil && len(l) > 14 && strings.EqualFold(l[:14], "X-WR-TIMEZONE:") {
			// The calendar-wide zone of floating times (Google, Apple).
			if loc, err := resolveZone(l[14:]); err == nil {
				defLoc = loc
			}
			continue
		}
		p, err := parseLine(l, nums[i])
		if err != nil {
			if cur != nil && cur.err == nil {
				cur.err = err
			}
			continue
		}
		switch {
		case p.name == "BEGIN" && strings.EqualFold(p.value, "VEVENT") && cur == nil:
			cur, props, depth, inAlarm = &vevent{line: p.line}, nil, 0, false
		case p.name == "BEGIN" && cur != nil:
			depth++
			if depth == 1 && strings.EqualFold(p.value, "VALARM") && len(cur.alarms) < maxAlarms {
				cur.alarms = append(cur.alarms, alarm{})
				inAlarm = true
			}
		case p.name == "END" && cur != nil && depth > 0:
			depth--
			inAlarm = inAlarm && depth > 0
		case p.name == "END" && cur != nil && strings.EqualFold(p.value, "VEVENT"):
			if cur.err != nil {
				problems = append(problems, ImportProblem{Line: cur.line, UID: uidOf(props), Err: cur.err})
				cur, props = nil, nil
				continue
			}
			finish()
		case p.name == "END" && cur != nil:
			cur.err = fmt.Errorf("line %d: END:%s inside VEVENT: %w", p.line, p.value, ErrInvalid)
		case cur != nil && depth == 0:
			props = append(props, p)
		case inAlarm && depth == 1 && len(cur.alarms[len(cur.alarms)-1]) < 32:
			cur.alarms[len(cur.alarms)-1] = append(cur.alarms[len(cur.alarms)-1], p)
		}
	}
	if cur != nil {
		problems = append(problems, ImportProblem{Line: cur.line, UID: uidOf(props), Err: fmt.Errorf("VEVENT not closed: %w", ErrInvalid)})
	}
	// Group: masters first, then their overrides.
	var out []importable
	master := map[string]int{}
	for _, v := range vevs {
		if v.err != nil {
			problems = append(problems, ImportProblem{Line: v.line, UID: v.uid, Err: v.err})
			continue
		}
		if !v.recurID.IsZero() {
			continue
		}
		if _, dup := master[v.uid]; dup {
			problems = append(problems, ImportProblem{Line: v.line, UID: v.uid, Err: fmt.Errorf("second VEVENT with UID %q: %w", v.uid, ErrInvalid)})
			continue
		}
		if v.cancelled {
			continue // a cancelled event: nothing to show
		}
		master[v.uid] = len(out)
		out = append(out, importable{line: v.line, uid: v.uid, ev: v.ev})
	}
	for _, v := range vevs {
		if v.err != nil || v.recurID.IsZero() {
			continue
		}
		i, ok := master[v.uid]
		if !ok || out[i].ev.Recurrence == nil {
			// An override without its series: import it as an event of
			// its own (as Google Calendar does), unless cancelled.
			if v.cancelled {
				continue
			}
			v.ev.UID = v.uid + "_" + v.recurID.UTC().Format("20060102T150405Z")
			out = append(out, importable{line: v.line, uid: v.ev.UID, ev: v.ev})
			continue
		}
		m := &out[i].ev
		x := Exception{OriginalStart: v.recurID, Cancelled: v.cancelled}
		if !v.cancelled {
			st, en := v.ev.Start, v.ev.End
			x.Start, x.End = &st, &en
			if v.ev.Title != m.Title {
				x.Title = &v.ev.Title
			}
			if v.ev.Description != m.Description {
				x.Description = &v.ev.Description
			}
			if v.ev.Location != m.Location {
				x.Location = &v.ev.Location
			}
			for _, a := range v.ev.Attendees {
				for _, ma := range m.Attendees {
					if ma.User == a.User && ma.Status != a.Status {
						if x.Responses == nil {
							x.Responses = map[string]RSVP{}
						}
						x.Responses[a.User] = a.Status
					}
				}
			}
			if v.ev.Transparency != "" && v.ev.Transparency != m.Transparency {
				tr := v.ev.Transparency
				x.Transparency = &tr
			}
		}
		m.Exceptions = append(m.Exceptions, x)
	}
	return out, problems
}

func uidOf(props []prop) string {
	for _, p := range props {
		if p.name == "UID" {
			return p.value
		}
	}
	return ""
}

// eventFromProps fills v from a VEVENT's properties.
func eventFromProps(v *vevent, props []prop, defLoc *time.Location) error {
	e := &v.ev
	var (
		dtstart, dtend, duration *prop
		rrule                    string
		rdates, exdates          []time.Time
	)
	for i := range props {
		p := &props[i]
		switch p.name {
		case "UID":
			v.uid = unescape(strings.TrimSpace(p.value))
		case "X-WORKSPACE-TZID":
			if loc, err := resolveZone(p.value); err == nil {
				defLoc = loc
			}
		case "SUMMARY":
			e.Title = unescape(p.value)
		case "DESCRIPTION":
			e.Description = unescape(p.value)
		case "LOCATION":
			e.Location = unescape(p.value)
		case "DTSTART":
			dtstart = p
		case "DTEND":
			dtend = p
		case "DURATION":
			duration = p
		case "RRULE":
			if rrule == "" {
				rrule = strings.TrimSpace(p.value)
			}
		case "RDATE", "EXDATE":
			ts, err := parseTimes(p, defLoc)
			if err != nil {
				return err
			}
			if p.name == "RDATE" {
				rdates = append(rdates, ts...)
			} else {
				exdates = append(exdates, ts...)
			}
		case "RECURRENCE-ID":
			t, _, err := parseTime(p, p.value, defLoc)
			if err != nil {
				return err
			}
			v.recurID = t
		case "STATUS":
			v.cancelled = strings.EqualFold(strings.TrimSpace(p.value), "CANCELLED")
		case "CLASS":
			switch strings.ToUpper(strings.TrimSpace(p.value)) {
			case "PRIVATE", "CONFIDENTIAL":
				e.Visibility = Private
			case "PUBLIC":
				e.Visibility = Public
			}
		case "TRANSP":
			switch strings.ToUpper(strings.TrimSpace(p.value)) {
			case "TRANSPARENT":
				e.Transparency = Transparent
			case "OPAQUE":
				e.Transparency = Opaque
			}
		case "ORGANIZER":
			e.Organizer = address(p.value)
		case "ATTENDEE":
			cu := strings.ToUpper(p.param("CUTYPE"))
			if cu == "ROOM" || cu == "RESOURCE" {
				continue
			}
			a := Attendee{User: address(p.value), Optional: strings.EqualFold(p.param("ROLE"), "OPT-PARTICIPANT")}
			switch strings.ToUpper(p.param("PARTSTAT")) {
			case "ACCEPTED":
				a.Status = Accepted
			case "DECLINED":
				a.Status = Declined
			case "TENTATIVE":
				a.Status = Tentative
			default:
				a.Status = NeedsAction
			}
			if a.User != "" {
				e.Attendees = append(e.Attendees, a)
			}
		}
	}
	if v.uid == "" {
		return fmt.Errorf("VEVENT without UID: %w", ErrInvalid)
	}
	e.UID = v.uid
	if dtstart == nil {
		return fmt.Errorf("VEVENT %q without DTSTART: %w", v.uid, ErrInvalid)
	}
	start, allDay, err := parseTime(dtstart, dtstart.value, defLoc)
	if err != nil {
		return err
	}
	e.Start, e.AllDay = start, allDay
	e.TimeZone = zoneName(dtstart, start)
	if e.TimeZone == "" { // floating: the calendar's (or X-WR-TIMEZONE's) zone
		e.TimeZone = defLoc.String()
	}
	switch {
	case dtend != nil:
		end, _, err := parseTime(dtend, dtend.value, start.Location())
		if err != nil {
			return err
		}
		e.End = end
		if allDay {
			e.End = dateIn(end, start.Location())
		}
	case duration != nil:
		d, err := parseDuration(duration.value)
		if err != nil {
			return fmt.Errorf("line %d: %w", duration.line, err)
		}
		if allDay {
			e.End = start.AddDate(0, 0, int(d/(24*time.Hour)))
		} else {
			e.End = start.Add(d)
		}
	case allDay:
		e.End = start.AddDate(0, 0, 1)
	default:
		e.End = start
	}
	if rrule != "" || len(rdates) > 0 {
		e.Recurrence = &Recurrence{RRule: rrule, RDates: rdates, ExDates: exdates}
	}
	return nil
}

// address strips a mailto: scheme.
func address(v string) string {
	v = strings.TrimSpace(v)
	if len(v) >= 7 && strings.EqualFold(v[:7], "mailto:") {
		v = v[7:]
	}
	return v
}

// zoneName is the event zone for a DTSTART: its TZID, UTC for a UTC time,
// "" for a floating one.
func zoneName(p *prop, t time.Time) string {
	if p.param("TZID") != "" {
		return t.Location().String()
	}
	if strings.HasSuffix(strings.TrimSpace(p.value), "Z") {
		return "UTC"
	}
	return ""
}

func parseTimes(p *prop, defLoc *time.Location) ([]time.Time, error) {
	var out []time.Time
	for _, v := range strings.Split(p.value, ",") {
		if v = strings.TrimSpace(v); v == "" {
			continue
		}
		if i := strings.IndexByte(v, '/'); i >= 0 { // VALUE=PERIOD: its start
			v = v[:i]
		}
		t, _, err := parseTime(p, v, defLoc)
		if err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, nil
}

// parseTime reads a DATE or DATE-TIME value of p.
func parseTime(p *prop, v string, defLoc *time.Location) (time.Time, bool, error) {
	v = strings.TrimSpace(v)
	loc := defLoc
	if tz := p.param("TZID"); tz != "" {
		l, err := resolveZone(tz)
		if err != nil {
			return time.Time{}, false, fmt.Errorf("line %d: %w", p.line, err)
		}
		loc = l
	}
	if strings.EqualFold(p.param("VALUE"), "DATE") || len(v) == 8 {
		t, err := time.ParseInLocation("20060102", v, loc)
		if err != nil || len(v) != 8 {
			return time.Time{}, false, fmt.Errorf("line %d: %s %q is not a date: %w", p.line, p.name, v, ErrBadTime)
		}
		return t, true, nil
	}
	if strings.HasSuffix(v, "Z") || strings.HasSuffix(v, "z") {
		t, err := time.Parse("20060102T150405", v[:len(v)-1])
		if err != nil || len(v) != 16 {
			return time.Time{}, false, fmt.Errorf("line %d: %s %q is not a date-time: %w", p.line, p.name, v, ErrBadTime)
		}
		return t.UTC(), false, nil
	}
	t, err := time.ParseInLocation("20060102T150405", v, loc)
	if err != nil || len(v) != 15 {
		return time.Time{}, false, fmt.Errorf("line %d: %s %q is not a date-time: %w", p.line, p.name, v, ErrBadTime)
	}
	return t, false, nil
}

// windowsZones maps the Windows zone names Outlook writes to IANA names.
var windowsZones = map[string]string{
	"China Standard Time":          "Asia/Shanghai",
	"Taipei Standard Time":         "Asia/Taipei",
	"Tokyo Standard Time":          "Asia/Tokyo",
	"Korea Standard Time":          "Asia/Seoul",
	"Singapore Standard Time":      "Asia/Singapore",
	"India Standard Time":          "Asia/Kolkata",
	"GMT Standard Time":            "Europe/London",
	"W. Europe Standard Time":      "Europe/Berlin",
	"Romance Standard Time":        "Europe/Paris",
	"Central Europe Standard Time": "Europe/Budapest",
	"Russian Standard Time":        "Europe/Moscow",
	"Eastern Standard Time":        "America/New_York",
	"Central Standard Time":        "America/Chicago",
	"Mountain Standard Time":       "America/Denver",
	"Pacific Standard Time":        "America/Los_Angeles",
	"AUS Eastern Standard Time":    "Australia/Sydney",
	"UTC":                          "UTC",
}

// resolveZone maps a TZID to a location: an IANA name, one behind a
// "/vendor/version/" prefix, or a Windows name.
func resolveZone(tz string) (*time.Location, error) {
	tz = strings.Trim(strings.TrimSpace(tz), `"`)
	if l, err := loadZone(tz); err == nil {
		return l, nil
	}
	if n, ok := windowsZones[tz]; ok {
		return loadZone(n)
	}
	for i := 0; i < len(tz); i++ {
		if tz[i] == '/' && i+1 < len(tz) {
			if l, err := loadZone(tz[i+1:]); err == nil {
				return l, nil
			}
		}
	}
	return nil, fmt.Errorf("TZID %q: %w", tz, ErrBadTimeZone)
}

// parseDuration reads an RFC 5545 DURATION: [+-]P[nW][nD][T[nH][nM][nS]].
func parseDuration(v string) (time.Duration, error) {
	v = strings.ToUpper(strings.TrimSpace(v))
	bad := fmt.Errorf("DURATION %q: %w", v, ErrBadTime)
	neg := false
	if strings.HasPrefix(v, "-") || strings.HasPrefix(v, "+") {
		neg = v[0] == '-'
		v = v[1:]
	}
	if !strings.HasPrefix(v, "P") || len(v) < 3 {
		return 0, bad
	}
	v = v[1:]
	var d time.Duration
	inTime := false
	num := ""
	for _, c := range v {
		switch {
		case c >= '0' && c <= '9':
			num += string(c)
			if len(num) > 9 {
				return 0, bad
			}
		case c == 'T':
			if inTime || num != "" {
				return 0, bad
			}
			inTime = true
		default:
			n, err := strconv.Atoi(num)
			if err != nil {
				return 0, bad
			}
			num = ""
			unit := map[rune]time.Duration{'W': 7 * 24 * time.Hour, 'D': 24 * time.Hour}
			if inTime {
				unit = map[rune]time.Duration{'H': time.Hour, 'M': time.Minute, 'S': time.Second}
			}
			u, ok := unit[c]
			if !ok {
				return 0, bad
			}
			d += time.Duration(n) * u
		}
	}
	if num != "" || d > 100*365*24*time.Hour {
		return 0, bad
	}
	if neg {
		return 0, bad // an event cannot last a negative time
	}
	return d, nil
}

func newProblem(line int, uid string, err error) ImportProblem {
	return ImportProblem{Line: line, UID: uid, Err: err, Reason: err.Error(), Code: store.Code(err)}
}
