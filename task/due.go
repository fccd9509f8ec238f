package task

import (
	"encoding/json"
	"fmt"
	"sync"
	"time"
)

// Precision says how exactly a due time is known.
type Precision uint8

const (
	// PrecisionDay is a date-only due ("by Friday", "月底前"): the task is
	// due by the end of that date in the due's time zone.
	PrecisionDay Precision = iota + 1
	// PrecisionMinute is a due at a time of day ("明天下午3点前"): the task
	// is due at that minute.
	PrecisionMinute
)

// String returns "day" or "minute" (or "Precision(n)" for others).
func (p Precision) String() string {
	switch p {
	case PrecisionDay:
		return "day"
	case PrecisionMinute:
		return "minute"
	}
	return fmt.Sprintf("Precision(%d)", uint8(p))
}

// MarshalText encodes p as "day" or "minute".
func (p Precision) MarshalText() ([]byte, error) {
	if p != PrecisionDay && p != PrecisionMinute {
		return nil, fmt.Errorf("task: precision %d: %w", uint8(p), ErrInvalid)
	}
	return []byte(p.String()), nil
}

// UnmarshalText decodes "day" or "minute".
func (p *Precision) UnmarshalText(b []byte) error {
	switch string(b) {
	case "day":
		*p = PrecisionDay
	case "minute":
		*p = PrecisionMinute
	default:
		return fmt.Errorf("task: precision %q: %w", b, ErrInvalid)
	}
	return nil
}

// Due is when a task is due: a date (PrecisionDay) or a minute
// (PrecisionMinute), in a named time zone. The zero Due means no due time.
//
// A date-only due keeps its date whatever zone a reader is in; the task
// becomes overdue at the end of that date in Location (see Deadline).
type Due struct {
	// Time is the due minute for PrecisionMinute. For PrecisionDay only its
	// date in Location counts; the Service stores midnight of that date.
	Time time.Time `json:"time"`
	// Precision is PrecisionDay or PrecisionMinute.
	Precision Precision `json:"precision"`
	// Location is the IANA time zone name ("Asia/Shanghai"), or a fixed
	// UTC offset ("+08:00") for a zone with no such name; empty means UTC.
	// "Local" is refused: it would mean whatever zone the reader is in.
	Location string `json:"location,omitempty"`
}

// DueOn returns a date-only due on the given date in loc (UTC when nil).
// A zone without an IANA name (time.FixedZone, time.Local) is recorded as
// its UTC offset on that date.
// The date is normalised as time.Date does (February 30 is March 2);
// callers that must refuse impossible dates check them first.
func DueOn(year int, month time.Month, day int, loc *time.Location) Due {
	if loc == nil {
		loc = time.UTC
	}
	t := time.Date(year, month, day, 0, 0, 0, 0, loc)
	return Due{Time: t, Precision: PrecisionDay, Location: zoneName(t)}
}

// DueAt returns a due at the minute of t, in t's time zone (recorded as
// for DueOn).
func DueAt(t time.Time) Due {
	return Due{Time: t.Truncate(time.Minute), Precision: PrecisionMinute, Location: zoneName(t)}
}

// zoneName names t's time zone for Due.Location: "" for UTC, the IANA
// name when the zone has one, else t's UTC offset ("+08:00"), so that a
// fixed zone or time.Local never depends on the machine reading it.
func zoneName(t time.Time) string {
	loc := t.Location()
	if loc == time.UTC {
		return ""
	}
	if name := loc.String(); name != "" && name != "Local" && zoneKnown(name) {
		return name
	}
	_, off := t.Zone()
	return offsetName(off)
}

// offsetName formats a UTC offset in seconds as "+08:00" ("" for zero).
func offsetName(off int) string {
	if off == 0 {
		return ""
	}
	sign := byte('+')
	if off < 0 {
		sign, off = '-', -off
	}
	m := off / 60
	return fmt.Sprintf("%c%02d:%02d", sign, m/60, m%60)
}

// parseOffset reads "+08:00" or "-05:30" as seconds east of UTC.
func parseOffset(s string) (int, bool) {
	if len(s) != 6 || s[0] != '+' && s[0] != '-' || s[3] != ':' {
		return 0, false
	}
	num := func(a, b byte) (int, bool) {
		if a < '0' || a > '9' || b < '0' || b > '9' {
			return 0, false
		}
		return int(a-'0')*10 + int(b-'0'), true
	}
	h, ok1 := num(s[1], s[2])
	m, ok2 := num(s[4], s[5])
	if !ok1 || !ok2 || h > 14 || m > 59 {
		return 0, false
	}
	off := h*3600 + m*60
	if s[0] == '-' {
		off = -off
	}
	return off, true
}

// IsZero reports whether d is the zero Due (no due time).
func (d Due) IsZero() bool { return d.Precision == 0 && d.Time.IsZero() && d.Location == "" }

// Deadline returns the instant at which a task due at d becomes overdue:
// the due minute itself, or for a date-only due the midnight that ends the
// date in d's time zone. It returns the zero time for the zero Due.
func (d Due) Deadline() time.Time {
	if d.IsZero() {
		return time.Time{}
	}
	loc := zoneOrUTC(d.Location)
	if d.Precision == PrecisionDay {
		y, m, day := d.Time.In(loc).Date()
		return time.Date(y, m, day+1, 0, 0, 0, 0, loc)
	}
	return d.Time.In(loc)
}

// Local returns d.Time in d's time zone.
func (d Due) Local() time.Time { return d.Time.In(zoneOrUTC(d.Location)) }

// Equal reports whether d and e are the same due: same precision, zone and
// instant.
func (d Due) Equal(e Due) bool {
	return d.Precision == e.Precision && d.Location == e.Location && d.Time.Equal(e.Time)
}

// String formats d as "2025-03-21 Asia/Shanghai" (date-only) or
// "2025-03-13 15:00 Asia/Shanghai", with "UTC" for an empty Location, or
// "none" for the zero Due.
func (d Due) String() string {
	if d.IsZero() {
		return "none"
	}
	zone := d.Location
	if zone == "" {
		zone = "UTC"
	}
	if d.Precision == PrecisionDay {
		return d.Local().Format("2006-01-02") + " " + zone
	}
	return d.Local().Format("2006-01-02 15:04") + " " + zone
}

// dueJSON is the wire form of a Due: a date-only due as its date
// ("2025-03-21"), a timed one as its instant in RFC 3339 with the zone's
// offset.
type dueJSON struct {
	Date      string     `json:"date,omitempty"`
	Time      *time.Time `json:"time,omitempty"`
	Precision Precision  `json:"precision"`
	Location  string     `json:"location,omitempty"`
}

// MarshalJSON writes the zero Due as null, a date-only due as
// {"date": "2025-03-21", "precision": "day", "location": "Asia/Shanghai"}
// and a timed one as {"time": "2025-03-21T15:00:00+08:00", "precision":
// "minute", "location": "Asia/Shanghai"}.
func (d Due) MarshalJSON() ([]byte, error) {
	if d.IsZero() {
		return []byte("null"), nil
	}
	w := dueJSON{Precision: d.Precision, Location: d.Location}
	if d.Precision == PrecisionDay {
		w.Date = d.Local().Format(time.DateOnly)
	} else {
		t := d.Local()
		w.Time = &t
	}
	return json.Marshal(w)
}

// UnmarshalJSON reads what MarshalJSON writes (and, for records written
// before dates were dates, a date-only due given by its time) and puts
// Time in its time zone.
func (d *Due) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		*d = Due{}
		return nil
	}
	var w dueJSON
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	loc, err := loadZone(w.Location)
	if err != nil {
		return fmt.Errorf("task: due time zone %q: %w", clip(w.Location), ErrInvalid)
	}
	out := Due{Precision: w.Precision, Location: w.Location}
	switch {
	case w.Date != "":
		t, err := time.ParseInLocation(time.DateOnly, w.Date, loc)
		if err != nil {
			return fmt.Errorf("task: due date %q: %w", clip(w.Date), ErrInvalid)
		}
		out.Time = t
	case w.Time != nil:
		out.Time = w.Time.In(loc)
	}
	*d = out
	return nil
}

// normal checks d and returns it in canonical form: Time in its zone,
// truncated to the minute, or midnight of its date for PrecisionDay.
func (d Due) normal() (Due, error) {
	if d.IsZero() {
		return d, nil
	}
	loc, err := loadZone(d.Location)
	if err != nil {
		return Due{}, fmt.Errorf("task: due time zone %q: %w", d.Location, ErrInvalid)
	}
	if d.Time.IsZero() {
		return Due{}, fmt.Errorf("task: due with no time: %w", ErrInvalid)
	}
	t := d.Time.In(loc)
	if y := t.Year(); y < MinDueYear || y > MaxDueYear {
		return Due{}, fmt.Errorf("task: due year %d outside %d..%d: %w", y, MinDueYear, MaxDueYear, ErrInvalid)
	}
	switch d.Precision {
	case PrecisionDay:
		y, m, day := t.Date()
		t = time.Date(y, m, day, 0, 0, 0, 0, loc)
	case PrecisionMinute:
		t = t.Truncate(time.Minute)
	default:
		return Due{}, fmt.Errorf("task: due precision %d: %w", uint8(d.Precision), ErrInvalid)
	}
	return Due{Time: t, Precision: d.Precision, Location: d.Location}, nil
}

var (
	zones sync.Map // name -> *time.Location
	// named caches zoneKnown's answers, failures included, so that a
	// program's own zones with no IANA name ("CST") are not looked up on
	// disk again on every DueOn. Its names come from *time.Location
	// values of the program, not from stored data.
	named sync.Map // name -> bool
)

// zoneKnown reports whether name loads as a time zone.
func zoneKnown(name string) bool {
	if v, ok := named.Load(name); ok {
		return v.(bool)
	}
	_, err := loadZone(name)
	named.Store(name, err == nil)
	return err == nil
}

func loadZone(name string) (*time.Location, error) {
	if name == "" || name == "UTC" {
		return time.UTC, nil
	}
	if v, ok := zones.Load(name); ok {
		return v.(*time.Location), nil
	}
	if len(name) > 64 || name == "Local" {
		// "Local" would mean whatever zone the reading machine is in.
		return nil, ErrInvalid
	}
	var loc *time.Location
	if off, ok := parseOffset(name); ok {
		loc = time.FixedZone(name, off)
	} else {
		var err error
		if loc, err = time.LoadLocation(name); err != nil {
			return nil, err
		}
	}
	zones.Store(name, loc)
	return loc, nil
}

func zoneOrUTC(name string) *time.Location {
	loc, err := loadZone(name)
	if err != nil {
		return time.UTC
	}
	return loc
}
