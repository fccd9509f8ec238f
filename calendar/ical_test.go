package calendar

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/workspace-go/workspace/store"
)

// sample exercises the importer: BOM, CRLF and LF, folding, escaping,
// VALUE=DATE, TZID (IANA, vendor-prefixed, Windows), RRULE with a trailing
// ';', RDATE, EXDATE, overrides, a cancelled instance, and bad components.
const sample = "\ufeffBEGIN:VCALENDAR\r\n" +
	"VERSION:2.0\r\n" +
	"PRODID:-//test//EN\r\n" +
	"BEGIN:VTIMEZONE\r\nTZID:America/New_York\r\nBEGIN:STANDARD\r\nDTSTART:19701101T020000\r\nTZOFFSETFROM:-0400\r\nTZOFFSETTO:-0500\r\nEND:STANDARD\r\nEND:VTIMEZONE\r\n" +
	"BEGIN:VEVENT\r\n" +
	"UID:weekly@example.com\r\n" +
	"DTSTART;TZID=America/New_York:20260302T090000\r\n" +
	"DTEND;TZID=America/New_York:20260302T100000\r\n" +
	"SUMMARY:Weekly\\, with a comma\\; and a semicolon\r\n" +
	"DESCRIPTION:line one\\nline two with a very long text that goes past seventy-\r\n" +
	" five octets so it is folded 中文也可以\r\n" +
	"RRULE:FREQ=WEEKLY;COUNT=6;BYDAY=MO;\r\n" +
	"EXDATE;TZID=America/New_York:20260309T090000\r\n" +
	"RDATE;TZID=America/New_York:20260320T150000\r\n" +
	"ORGANIZER;CN=Ann:mailto:ann@example.com\r\n" +
	"ATTENDEE;PARTSTAT=ACCEPTED:mailto:bob@example.com\r\n" +
	"ATTENDEE;ROLE=OPT-PARTICIPANT;PARTSTAT=DECLINED:MAILTO:carol@example.com\r\n" +
	"ATTENDEE;CUTYPE=ROOM:mailto:everest@example.com\r\n" +
	"BEGIN:VALARM\r\nACTION:DISPLAY\r\nTRIGGER:-PT15M\r\nEND:VALARM\r\n" +
	"END:VEVENT\r\n" +
	"BEGIN:VEVENT\n" +
	"UID:weekly@example.com\n" +
	"RECURRENCE-ID;TZID=America/New_York:20260316T090000\n" +
	"DTSTART;TZID=America/New_York:20260316T110000\n" +
	"DTEND;TZID=America/New_York:20260316T120000\n" +
	"SUMMARY:Weekly (moved)\n" +
	"END:VEVENT\n" +
	"BEGIN:VEVENT\n" +
	"UID:weekly@example.com\n" +
	"RECURRENCE-ID;TZID=America/New_York:20260323T090000\n" +
	"DTSTART;TZID=America/New_York:20260323T090000\n" +
	"STATUS:CANCELLED\n" +
	"END:VEVENT\n" +
	"BEGIN:VEVENT\n" +
	"UID:holiday@example.com\n" +
	"DTSTART;VALUE=DATE:20260305\n" +
	"DTEND;VALUE=DATE:20260307\n" +
	"SUMMARY:Holiday\n" +
	"RRULE:\n" +
	"END:VEVENT\n" +
	"BEGIN:VEVENT\n" +
	"UID:outlook@example.com\n" +
	"DTSTART;TZID=China Standard Time:20260304T140000\n" +
	"DURATION:PT1H30M\n" +
	"SUMMARY:From Outlook\n" +
	"CLASS:PRIVATE\n" +
	"TRANSP:TRANSPARENT\n" +
	"END:VEVENT\n" +
	"BEGIN:VEVENT\n" +
	"UID:mozilla@example.com\n" +
	"DTSTART;TZID=/mozilla.org/20050126_1/Europe/Berlin:20260304T100000\n" +
	"DTEND;TZID=/mozilla.org/20050126_1/Europe/Berlin:20260304T110000\n" +
	"SUMMARY:From Thunderbird\n" +
	"END:VEVENT\n" +
	"BEGIN:VEVENT\n" +
	"UID:bad-date@example.com\n" +
	"DTSTART:2026-03-04 10:00\n" +
	"SUMMARY:bad date\n" +
	"END:VEVENT\n" +
	"BEGIN:VEVENT\n" +
	"UID:bad-zone@example.com\n" +
	"DTSTART;TZID=Mars/Olympus:20260304T100000\n" +
	"SUMMARY:bad zone\n" +
	"END:VEVENT\n" +
	"BEGIN:VEVENT\n" +
	"UID:bad-rule@example.com\n" +
	"DTSTART:20260304T100000Z\n" +
	"RRULE:FREQ=DAILY;COUNT=3;UNTIL=20260310T000000Z\n" +
	"SUMMARY:bad rule\n" +
	"END:VEVENT\n" +
	"BEGIN:VEVENT\n" +
	"UID:backwards@example.com\n" +
	"DTSTART:20260304T100000Z\n" +
	"DTEND:20260304T090000Z\n" +
	"END:VEVENT\n" +
	"BEGIN:VEVENT\n" +
	"UID:unclosed@example.com\n" +
	"DTSTART:20260304T100000Z\n" +
	"END:VCALENDAR\n"

func TestImport(t *testing.T) {
	forEachBackend(t, func(t *testing.T, f *fixture) {
		cal := f.calendar(t, "ann", Calendar{TimeZone: "Asia/Shanghai"})
		rep, err := f.svc.Import(f.ctx, "ann", cal.ID, strings.NewReader(sample))
		if err != nil {
			t.Fatal(err)
		}
		if rep.Created != 4 || rep.Updated != 0 {
			t.Errorf("created %d, updated %d; want 4 and 0", rep.Created, rep.Updated)
		}
		skipped := map[string]error{}
		for _, p := range rep.Skipped {
			skipped[p.UID] = p.Err
			if p.Line == 0 {
				t.Errorf("problem without a line: %v", p)
			}
		}
		for uid, want := range map[string]error{
			"bad-date@example.com":  ErrBadTime,
			"bad-zone@example.com":  ErrBadTimeZone,
			"bad-rule@example.com":  ErrBadRecurrence,
			"backwards@example.com": ErrBadTime,
			"unclosed@example.com":  store.ErrInvalid,
		} {
			if err, ok := skipped[uid]; !ok || !errors.Is(err, want) {
				t.Errorf("skipped %s: %v, want %v", uid, err, want)
			}
		}
		if len(rep.Skipped) != 5 {
			t.Errorf("skipped = %v, want 5 problems", rep.Skipped)
		}

		ins, err := items(f.svc.Instances(f.ctx, "ann", InstanceQuery{From: at(1, 0, 0), To: at(31, 0, 0)}))
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, in := range ins {
			got = append(got, in.Start.UTC().Format("01-02T15:04")+" "+in.Title)
		}
		want := []string{
			"03-02T14:00 Weekly, with a comma; and a semicolon",
			"03-04T06:00 From Outlook",
			"03-04T09:00 From Thunderbird",
			"03-04T16:00 Holiday", // midnight 5 March in Shanghai
			"03-16T15:00 Weekly (moved)",
			"03-20T19:00 Weekly, with a comma; and a semicolon",
			"03-30T13:00 Weekly, with a comma; and a semicolon",
		}
		if !equal(got, want) {
			t.Errorf("instances =\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
		for _, in := range ins {
			switch in.Title {
			case "Holiday":
				if !in.AllDay || in.End.Sub(in.Start) != 48*time.Hour {
					t.Errorf("holiday = %v–%v all-day %v, want two days", in.Start, in.End, in.AllDay)
				}
			case "From Outlook":
				if in.Visibility != Private || in.Transparency != Transparent || in.End.Sub(in.Start) != 90*time.Minute {
					t.Errorf("outlook event = %+v", in)
				}
			}
		}
		first := ins[0]
		if !strings.Contains(first.Description, "line two") || !strings.Contains(first.Description, "\n") || !strings.HasSuffix(first.Description, "中文也可以") {
			t.Errorf("description = %q", first.Description)
		}
		if first.Organizer != "ann@example.com" || len(first.Attendees) != 2 || first.Attendees[1].Status != Declined || !first.Attendees[1].Optional {
			t.Errorf("people = %q %+v", first.Organizer, first.Attendees)
		}

		// Importing again updates by UID instead of duplicating.
		rep, err = f.svc.Import(f.ctx, "ann", cal.ID, strings.NewReader(sample))
		if err != nil {
			t.Fatal(err)
		}
		if rep.Created != 0 || rep.Updated != 4 {
			t.Errorf("second import: created %d, updated %d; want 0 and 4", rep.Created, rep.Updated)
		}
		again, _ := items(f.svc.Instances(f.ctx, "ann", InstanceQuery{From: at(1, 0, 0), To: at(31, 0, 0)}))
		if len(again) != len(ins) {
			t.Errorf("after re-import: %d instances, want %d", len(again), len(ins))
		}
		if _, err := f.svc.Import(f.ctx, "bob", cal.ID, strings.NewReader(sample)); !errors.Is(err, store.ErrPermission) {
			t.Errorf("import by a non-writer: err = %v, want ErrPermission", err)
		}
	})
}

// instanceSet renders instances for comparison.
func instanceSet(ins []Instance) []string {
	var out []string
	for _, in := range ins {
		out = append(out, fmt.Sprintf("%s|%s|%s|%s|%s|%v", in.OriginalStart.UTC().Format(time.RFC3339), in.Start.UTC().Format(time.RFC3339),
			in.End.UTC().Format(time.RFC3339), in.Title, in.Location, in.Transparency))
	}
	return out
}

func TestICalendarRoundTripKeepsEveryInstance(t *testing.T) {
	forEachBackend(t, func(t *testing.T, f *fixture) {
		src := f.calendar(t, "ann", Calendar{Name: "source, with comma", TimeZone: "Europe/Berlin"})
		room := f.room(t, "Everest", 8)
		if _, err := f.svc.Import(f.ctx, "ann", src.ID, strings.NewReader(sample)); err != nil {
			t.Fatal(err)
		}
		ser := f.event(t, "ann", Event{CalendarID: src.ID, Title: "daily", Start: at(2, 8, 0), End: at(2, 8, 30), TimeZone: "UTC",
			Recurrence: &Recurrence{RRule: "FREQ=DAILY;UNTIL=20260320T080000Z"}, Rooms: []string{room.ID}})
		if _, err := f.svc.UpdateInstance(f.ctx, "ann", ser.ID, at(5, 8, 0), InstanceChange{Location: ptr("Café; \"quoted\""), Transparency: ptr(Transparent)}); err != nil {
			t.Fatal(err)
		}
		if err := f.svc.CancelInstance(f.ctx, "ann", ser.ID, at(6, 8, 0)); err != nil {
			t.Fatal(err)
		}
		f.event(t, "ann", Event{CalendarID: src.ID, Title: "all day", AllDay: true, Start: at(10, 0, 0), End: at(12, 0, 0),
			Recurrence: &Recurrence{RRule: "FREQ=WEEKLY;COUNT=3"}})

		var ics bytes.Buffer
		if err := f.svc.ExportCalendar(f.ctx, "ann", src.ID, &ics); err != nil {
			t.Fatal(err)
		}
		for _, l := range strings.Split(ics.String(), "\r\n") {
			if len(l) > 75 {
				t.Errorf("line longer than 75 octets: %q", l)
			}
		}
		dst := f.calendar(t, "ann", Calendar{Name: "copy", TimeZone: "Asia/Tokyo"})
		rep, err := f.svc.Import(f.ctx, "ann", dst.ID, bytes.NewReader(ics.Bytes()))
		if err != nil {
			t.Fatal(err)
		}
		if len(rep.Skipped) != 0 {
			t.Errorf("re-import skipped %v", rep.Skipped)
		}
		from, to := at(1, 0, 0), at(1, 0, 0).AddDate(0, 2, 0)
		a, _ := items(f.svc.CalendarInstances(f.ctx, "ann", src.ID, InstanceQuery{From: from, To: to}))
		b, _ := items(f.svc.CalendarInstances(f.ctx, "ann", dst.ID, InstanceQuery{From: from, To: to}))
		if got, want := instanceSet(b), instanceSet(a); !equal(got, want) {
			t.Errorf("after the round trip:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
		// And once more: export of the copy, import, same instances.
		ics.Reset()
		if err := f.svc.ExportCalendar(f.ctx, "ann", dst.ID, &ics); err != nil {
			t.Fatal(err)
		}
		dst2 := f.calendar(t, "ann", Calendar{Name: "copy 2"})
		if _, err := f.svc.Import(f.ctx, "ann", dst2.ID, &ics); err != nil {
			t.Fatal(err)
		}
		c, _ := items(f.svc.CalendarInstances(f.ctx, "ann", dst2.ID, InstanceQuery{From: from, To: to}))
		if got, want := instanceSet(c), instanceSet(a); !equal(got, want) {
			t.Errorf("after two round trips: %d instances, want %d", len(got), len(want))
		}
	})
}

func TestExportHidesDetailsFromFreeBusyViewers(t *testing.T) {
	forEachBackend(t, func(t *testing.T, f *fixture) {
		cal := f.calendar(t, "ann", Calendar{})
		ev := f.event(t, "ann", Event{CalendarID: cal.ID, Title: "Secret title", Description: "secret text", Location: "secret place",
			Start: at(3, 9, 0), End: at(3, 10, 0), Attendees: []Attendee{{User: "secret-person"}}})
		var cb, eb bytes.Buffer
		if err := f.svc.ExportCalendar(f.ctx, "bob", cal.ID, &cb); err != nil {
			t.Fatal(err)
		}
		if err := f.svc.ExportEvent(f.ctx, "bob", ev.ID, &eb); err != nil {
			t.Fatal(err)
		}
		for name, out := range map[string]string{"calendar": cb.String(), "event": eb.String()} {
			if strings.Contains(out, "secret") || strings.Contains(out, "SUMMARY") {
				t.Errorf("%s export to a free/busy viewer leaks details:\n%s", name, out)
			}
			if !strings.Contains(out, "DTSTART:20260303T090000Z") {
				t.Errorf("%s export lacks the busy block:\n%s", name, out)
			}
		}
	})
}

// importOne imports a one-event calendar and returns the event's id.
func importOne(t *testing.T, f *fixture, cal string, lines ...string) (string, ImportReport) {
	t.Helper()
	ics := "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:x\r\n" + strings.Join(lines, "\r\n") + "\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
	rep, err := f.svc.Import(f.ctx, "ann", cal, strings.NewReader(ics))
	if err != nil {
		t.Fatal(err)
	}
	var id string
	_ = f.st.View(f.ctx, func(tx store.Tx) error {
		v, err := tx.Get(uidKey(cal, "x"))
		if err == nil {
			id = string(v)
		}
		return nil
	})
	return id, rep
}

// pagedInstances reads up to n instances of event id from start on,
// in windows no longer than MaxWindow.
func pagedInstances(t *testing.T, f *fixture, id string, start time.Time, n int) []Instance {
	t.Helper()
	var out []Instance
	for from := start; len(out) < n && from.Before(start.AddDate(40, 0, 0)); from = from.Add(300 * 24 * time.Hour) {
		ins, err := items(f.svc.EventInstances(f.ctx, "ann", id, InstanceQuery{From: from, To: from.Add(300 * 24 * time.Hour)}))
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, ins...)
	}
	if len(out) > n {
		out = out[:n]
	}
	return out
}

func TestRFC5545Examples(t *testing.T) {
	raw, err := os.ReadFile("testdata/rfc5545_examples.json")
	if err != nil {
		t.Fatal(err)
	}
	var examples []struct {
		Description string   `json:"description"`
		DTStart     string   `json:"dtstart"`
		Rules       []string `json:"rrule_alternatives"`
		ExDate      []string `json:"exdate"`
		Expected    []string `json:"expected_instances_local"`
		Strict      []string `json:"expected_strict"`
		Complete    bool     `json:"expected_is_complete"`
		TZ          string   `json:"tz"`
	}
	if err := json.Unmarshal(raw, &examples); err != nil {
		t.Fatal(err)
	}
	f := newFixture(t, backends[0].open)
	cal := f.calendar(t, "ann", Calendar{})
	n := 0
	for _, ex := range examples {
		want := ex.Expected
		if ex.Strict != nil {
			want = ex.Strict
		}
		loc, err := time.LoadLocation(ex.TZ)
		if err != nil {
			t.Fatal(err)
		}
		for _, rule := range ex.Rules {
			n++
			t.Run(ex.Description+" ("+rule+")", func(t *testing.T) {
				lines := append([]string{ex.DTStart, "RRULE:" + rule}, ex.ExDate...)
				id, rep := importOne(t, f, cal.ID, lines...)
				if len(rep.Skipped) != 0 || id == "" {
					t.Fatalf("import: %v", rep.Skipped)
				}
				var ins []Instance
				if ex.Complete {
					ins, err = items(f.svc.AllInstances(f.ctx, "ann", id, PageQuery{}))
					if err != nil {
						t.Fatal(err)
					}
				} else {
					first, _ := time.ParseInLocation("20060102T150405", strings.SplitN(ex.DTStart, ":", 2)[1], loc)
					ins = pagedInstances(t, f, id, first, len(want))
				}
				var got []string
				for _, in := range ins {
					got = append(got, in.Start.In(loc).Format("20060102T150405"))
				}
				if !equal(got, want) {
					t.Errorf("instances =\n%v\nwant\n%v", got, want)
				}
			})
		}
	}
	if n < 42 {
		t.Errorf("ran %d rule variants, want at least 42", n)
	}
}

func TestDSTAndEdgeVectors(t *testing.T) {
	raw, err := os.ReadFile("testdata/dst_and_edge_vectors.json")
	if err != nil {
		t.Fatal(err)
	}
	var vectors []struct {
		Name     string          `json:"name"`
		DTStart  string          `json:"dtstart"`
		RRule    string          `json:"rrule"`
		ExDate   []string        `json:"exdate"`
		RDate    []string        `json:"rdate"`
		Expected json.RawMessage `json:"expected_rfc"`
	}
	if err := json.Unmarshal(raw, &vectors); err != nil {
		t.Fatal(err)
	}
	f := newFixture(t, backends[0].open)
	cal := f.calendar(t, "ann", Calendar{})
	for _, v := range vectors {
		t.Run(v.Name, func(t *testing.T) {
			if v.DTStart == "" { // the empty RRULE from a real feed
				id, rep := importOne(t, f, cal.ID, "DTSTART:20200101T090000Z", "RRULE:"+v.RRule)
				if id == "" || len(rep.Skipped) != 0 {
					t.Errorf("empty RRULE: id %q, skipped %v; want a single event", id, rep.Skipped)
				}
				return
			}
			var want []string
			if err := json.Unmarshal(v.Expected, &want); err != nil {
				// Prose: DTSTART is the first instance and counts.
				want = []string{"2020-01-01T09:00:00Z", "2020-01-07T09:00:00Z", "2020-01-14T09:00:00Z"}
			}
			lines := append([]string{v.DTStart, "RRULE:" + v.RRule}, v.ExDate...)
			lines = append(lines, v.RDate...)
			id, rep := importOne(t, f, cal.ID, lines...)
			if len(rep.Skipped) != 0 {
				t.Fatalf("import: %v", rep.Skipped)
			}
			ins, err := items(f.svc.AllInstances(f.ctx, "ann", id, PageQuery{}))
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, in := range ins {
				switch {
				case in.AllDay:
					got = append(got, in.Start.Format("2006-01-02"))
				case !strings.Contains(v.DTStart, "TZID") && !strings.HasSuffix(v.DTStart, "Z"):
					got = append(got, in.Start.Format("2006-01-02T15:04:05")) // floating
				default:
					got = append(got, in.Start.Format(time.RFC3339))
				}
			}
			if !equal(got, want) {
				t.Errorf("instances = %v, want %v", got, want)
			}
		})
	}
}

func TestReimportKeepsRoomsOrReportsTheClash(t *testing.T) {
	forEachBackend(t, func(t *testing.T, f *fixture) {
		cal := f.calendar(t, "ann", Calendar{})
		room := f.room(t, "Everest", 8)
		ev := f.event(t, "ann", Event{CalendarID: cal.ID, UID: "meet@x", Title: "meet", Start: at(3, 9, 0), End: at(3, 10, 0), Rooms: []string{room.ID}})
		f.event(t, "ann", Event{CalendarID: cal.ID, Title: "other", Start: at(3, 11, 0), End: at(3, 12, 0), Rooms: []string{room.ID}})
		ics := func(hh int) string {
			return fmt.Sprintf("BEGIN:VEVENT\r\nUID:meet@x\r\nSUMMARY:meet v2\r\nDTSTART:20260303T%02d0000Z\r\nDTEND:20260303T%02d3000Z\r\nEND:VEVENT\r\n", hh, hh)
		}
		rep, err := f.svc.Import(f.ctx, "ann", cal.ID, strings.NewReader(ics(8)))
		if err != nil || rep.Updated != 1 {
			t.Fatalf("re-import: %+v, %v", rep, err)
		}
		got, _ := f.svc.Event(f.ctx, "ann", ev.ID)
		if len(got.Rooms) != 1 || got.Title != "meet v2" {
			t.Errorf("after re-import: rooms %v title %q, want the room kept", got.Rooms, got.Title)
		}
		rep, err = f.svc.Import(f.ctx, "ann", cal.ID, strings.NewReader(ics(11)))
		if err != nil || rep.Updated != 0 || len(rep.Skipped) != 1 || !errors.Is(rep.Skipped[0].Err, ErrRoomBooked) {
			t.Errorf("re-import onto a booked slot: %+v, %v; want it skipped with ErrRoomBooked", rep, err)
		}
	})
}

func TestExportCannotBeInjected(t *testing.T) {
	forEachBackend(t, func(t *testing.T, f *fixture) {
		cal := f.calendar(t, "ann", Calendar{})
		ev := f.event(t, "ann", Event{CalendarID: cal.ID, Title: "a\r\nEND:VEVENT", Description: "x\nBEGIN:VEVENT", Start: at(3, 9, 0), End: at(3, 10, 0),
			Attendees: []Attendee{{User: "evil\r\nATTENDEE:mailto:boss"}}})
		var buf bytes.Buffer
		if err := f.svc.ExportEvent(f.ctx, "ann", ev.ID, &buf); err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(buf.String(), "\r\n")
		var events, attendees int
		for _, l := range lines {
			if l == "BEGIN:VEVENT" {
				events++
			}
			if strings.HasPrefix(l, "ATTENDEE") {
				attendees++
			}
		}
		if events != 1 || attendees != 1 {
			t.Errorf("export has %d events and %d attendee lines, want 1 and 1:\n%s", events, attendees, buf.String())
		}
	})
}

func TestExportWritesVTimezones(t *testing.T) {
	forEachBackend(t, func(t *testing.T, f *fixture) {
		cal := f.calendar(t, "ann", Calendar{TimeZone: "America/New_York"})
		ny, _ := time.LoadLocation("America/New_York")
		f.event(t, "ann", Event{CalendarID: cal.ID, Title: "sync", Start: time.Date(2026, 3, 2, 9, 0, 0, 0, ny), End: time.Date(2026, 3, 2, 10, 0, 0, 0, ny),
			Recurrence: &Recurrence{RRule: "FREQ=WEEKLY"}})
		f.event(t, "ann", Event{CalendarID: cal.ID, Title: "beijing", TimeZone: "Asia/Shanghai", Start: at(3, 1, 0), End: at(3, 2, 0)})
		var buf bytes.Buffer
		if err := f.svc.ExportCalendar(f.ctx, "ann", cal.ID, &buf); err != nil {
			t.Fatal(err)
		}
		out := buf.String()
		for _, want := range []string{
			"BEGIN:VTIMEZONE\r\nTZID:America/New_York\r\n",
			"BEGIN:DAYLIGHT\r\nDTSTART:20260308T020000\r\nTZOFFSETFROM:-0500\r\nTZOFFSETTO:-0400\r\nTZNAME:EDT\r\nEND:DAYLIGHT\r\n",
			"BEGIN:STANDARD\r\nDTSTART:20261101T020000\r\nTZOFFSETFROM:-0400\r\nTZOFFSETTO:-0500\r\nTZNAME:EST\r\nEND:STANDARD\r\n",
			"BEGIN:VTIMEZONE\r\nTZID:Asia/Shanghai\r\nBEGIN:STANDARD\r\nDTSTART:20250101T000000\r\nTZOFFSETFROM:+0800\r\nTZOFFSETTO:+0800\r\nTZNAME:CST\r\n",
		} {
			if !strings.Contains(out, want) {
				t.Errorf("export lacks %q", want)
			}
		}
		if i, j := strings.Index(out, "END:VTIMEZONE"), strings.Index(out, "BEGIN:VEVENT"); i < 0 || j < i {
			t.Errorf("VTIMEZONEs must come before the events")
		}
	})
}
