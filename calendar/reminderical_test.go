package calendar

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/workspace-go/workspace/store"
)

// byUID returns the id of the event with uid on calendar cal.
func (f *fixture) byUID(t *testing.T, cal, uid string) string {
	t.Helper()
	var id string
	err := f.st.View(f.ctx, func(tx store.Tx) error {
		v, err := tx.Get(uidKey(cal, uid))
		id = string(v)
		return err
	})
	if err != nil {
		t.Fatalf("event %q on %q: %v", uid, cal, err)
	}
	return id
}

func TestVALARMRemindersSurviveExportAndImport(t *testing.T) {
	forEachBackend(t, func(t *testing.T, f *fixture) {
		src := f.calendar(t, "ann", Calendar{TimeZone: "Europe/Berlin"})
		dst := f.calendar(t, "ann", Calendar{Name: "copy", TimeZone: "Europe/Berlin"})
		at := time.Date(2026, 3, 4, 7, 30, 0, 0, time.UTC)
		start := t0.AddDate(0, 0, 3)
		f.event(t, "ann", Event{CalendarID: src.ID, UID: "a@x", Title: "plan", Start: start, End: start.Add(time.Hour),
			Reminders: &[]Reminder{{Minutes: 15}, {Minutes: 90}, {Minutes: 2 * 24 * 60}, {At: at}}})
		f.event(t, "ann", Event{CalendarID: src.ID, UID: "b@x", Title: "defaults", Start: start, End: start.Add(time.Hour)})
		var ics bytes.Buffer
		if err := f.svc.ExportCalendar(f.ctx, "ann", src.ID, &ics); err != nil {
			t.Fatal(err)
		}
		for _, want := range []string{"TRIGGER:-PT15M", "TRIGGER:-PT1H30M", "TRIGGER:-P2D", "TRIGGER;VALUE=DATE-TIME:20260304T073000Z", "ACTION:DISPLAY"} {
			if !strings.Contains(ics.String(), want) {
				t.Fatalf("export lacks %s:\n%s", want, ics.String())
			}
		}
		if n := strings.Count(ics.String(), "BEGIN:VALARM"); n != 4 {
			t.Fatalf("export has %d VALARMs, want 4", n)
		}
		rep, err := f.svc.Import(f.ctx, "ann", dst.ID, &ics)
		if err != nil || rep.Created != 2 || len(rep.Skipped) > 0 {
			t.Fatalf("import = %+v, %v", rep, err)
		}
		got := map[string]*[]Reminder{}
		for _, uid := range []string{"a@x", "b@x"} {
			id := f.byUID(t, dst.ID, uid)
			ev, err := f.svc.Event(f.ctx, "ann", id)
			if err != nil {
				t.Fatal(err)
			}
			got[uid] = ev.Reminders
		}
		a := got["a@x"]
		want := []Reminder{{Minutes: 15}, {Minutes: 90}, {Minutes: 2 * 24 * 60}, {At: at}}
		if a == nil || len(*a) != len(want) {
			t.Fatalf("imported reminders %+v, want %+v", a, want)
		}
		for i := range want {
			if (*a)[i].Minutes != want[i].Minutes || !(*a)[i].At.Equal(want[i].At) {
				t.Fatalf("imported reminders %+v, want %+v", *a, want)
			}
		}
		if got["b@x"] != nil {
			t.Fatalf("an event on the defaults imported with reminders %+v", *got["b@x"])
		}
	})
}

func TestVALARMImportReadsRelatedEndAndDropsWhatItCannotUse(t *testing.T) {
	forEachBackend(t, func(t *testing.T, f *fixture) {
		cal := f.calendar(t, "ann", Calendar{TimeZone: "UTC"})
		ics := "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:c@x\r\nDTSTART:20260310T100000Z\r\nDTEND:20260310T110000Z\r\nSUMMARY:c\r\n" +
			"BEGIN:VALARM\r\nACTION:DISPLAY\r\nTRIGGER;RELATED=END:-PT90M\r\nEND:VALARM\r\n" +
			"BEGIN:VALARM\r\nACTION:EMAIL\r\nTRIGGER:-PT5M\r\nEND:VALARM\r\n" +
			"BEGIN:VALARM\r\nACTION:AUDIO\r\nTRIGGER:PT5M\r\nEND:VALARM\r\n" +
			"BEGIN:VALARM\r\nACTION:AUDIO\r\nTRIGGER:-PT10M30S\r\nEND:VALARM\r\n" +
			"END:VEVENT\r\nEND:VCALENDAR\r\n"
		if rep, err := f.svc.Import(f.ctx, "ann", cal.ID, strings.NewReader(ics)); err != nil || rep.Created != 1 {
			t.Fatalf("import = %+v, %v", rep, err)
		}
		ev, err := f.svc.Event(f.ctx, "ann", f.byUID(t, cal.ID, "c@x"))
		if err != nil {
			t.Fatal(err)
		}
		if ev.Reminders == nil || len(*ev.Reminders) != 2 || (*ev.Reminders)[0].Minutes != 10 || (*ev.Reminders)[1].Minutes != 30 {
			t.Fatalf("reminders %+v, want 10 and 30 minutes", ev.Reminders)
		}
	})
}
