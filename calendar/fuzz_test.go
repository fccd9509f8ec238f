package calendar

import (
	"bytes"
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/workspace-go/workspace/internal/ids"
	"github.com/workspace-go/workspace/store/memstore"
)

// FuzzImport feeds arbitrary bytes to the importer: it must never panic
// or hang (a watchdog fails an input that takes 10 s),
// and whatever it imports must export to a stream that imports again
// without a problem and with as many events.
func FuzzImport(f *testing.F) {
	f.Add([]byte(sample))
	f.Add([]byte("BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:a\r\nDTSTART;VALUE=DATE:20260101\r\nRRULE:FREQ=YEARLY\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"))
	f.Add([]byte("BEGIN:VEVENT\nUID:b\nDTSTART;TZID=\"Europe/Paris\":20260101T100000\nDURATION:P1DT2H\nRDATE;VALUE=PERIOD:20260105T100000Z/PT1H\nEND:VEVENT\n"))
	f.Add([]byte("BEGIN:VEVENT\nUID:c\nDTSTART:20260101T100000Z\nRRULE:FREQ=MINUTELY;UNTIL=99991231T000000Z\nEXDATE:20260101T100000Z,20260101T100100Z\nEND:VEVENT"))
	f.Add([]byte("BEGIN:VEVENT\nUID:d\nRECURRENCE-ID:20260101T100000Z\nDTSTART:20260101T110000Z\nEND:VEVENT\n"))
	f.Add([]byte("\ufeffBEGIN:VEVENT\r\n UID:e\r\nSUMMARY;LANGUAGE=\"zh\":\\\\\\;\\,\\n会议\r\n\tcontinued\r\nEND:VEVENT"))
	f.Fuzz(func(t *testing.T, data []byte) {
		tm := time.AfterFunc(10*time.Second, func() { panic(fmt.Sprintf("hang on %q", data)) })
		defer tm.Stop()
		ctx := context.Background()
		st := memstore.New()
		defer st.Close()
		now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
		svc, err := New(context.Background(), st, WithClock(func() time.Time { return now }), WithIDs(ids.Sequential("f")))
		if err != nil {
			t.Fatal(err)
		}
		cal, err := svc.CreateCalendar(ctx, "u", Calendar{Name: "c", TimeZone: "Asia/Shanghai"})
		if err != nil {
			t.Fatal(err)
		}
		rep, err := svc.Import(ctx, "u", cal.ID, bytes.NewReader(data))
		if err != nil {
			t.Fatalf("import failed as a whole: %v", err)
		}
		var out bytes.Buffer
		if err := svc.ExportCalendar(ctx, "u", cal.ID, &out); err != nil {
			t.Fatal(err)
		}
		cal2, err := svc.CreateCalendar(ctx, "u", Calendar{Name: "c2"})
		if err != nil {
			t.Fatal(err)
		}
		rep2, err := svc.Import(ctx, "u", cal2.ID, bytes.NewReader(out.Bytes()))
		if err != nil {
			t.Fatal(err)
		}
		if len(rep2.Skipped) != 0 || rep2.Created != rep.Created+rep.Updated-countUpdatesOfSame(rep) {
			t.Fatalf("re-import of the export: %+v after %+v\n%s", rep2, rep, out.String())
		}
	})
}

// countUpdatesOfSame is how many of an import's updates replaced an event
// created by the same import (a UID seen twice, e.g. a standalone override
// whose synthetic UID repeats).
func countUpdatesOfSame(rep ImportReport) int { return rep.Updated }

// FuzzTimes calls the public entry points that take times with extreme
// ones (years far outside 1-9999, the zero time, the ends of UnixNano's
// range): none may panic, and each answers or refuses with an error.
func FuzzTimes(f *testing.F) {
	f.Add(int64(0), int64(3600), int64(-62135596800), int64(253402300800), uint8(0))
	f.Add(int64(253402300799), int64(1), int64(-1<<62), int64(1<<62), uint8(1))
	f.Add(int64(-62135596801), int64(86400), int64(1772438400), int64(1772524800), uint8(2))
	f.Add(int64(9223372036), int64(60), int64(-9223372036), int64(9223372036), uint8(3))
	f.Fuzz(func(t *testing.T, start, dur, from, to int64, rule uint8) {
		ctx := context.Background()
		st := memstore.New()
		defer st.Close()
		now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
		svc, err := New(context.Background(), st, WithClock(func() time.Time { return now }), WithIDs(ids.Sequential("f")))
		if err != nil {
			t.Fatal(err)
		}
		cal, err := svc.CreateCalendar(ctx, "u", Calendar{Name: "c", TimeZone: "Asia/Shanghai"})
		if err != nil {
			t.Fatal(err)
		}
		room, err := svc.CreateCalendar(ctx, "r", Calendar{Kind: Resource, Room: &Room{Name: "A", Capacity: 4}})
		if err != nil {
			t.Fatal(err)
		}
		rules := []string{"", "FREQ=DAILY", "FREQ=MINUTELY;COUNT=100", "FREQ=YEARLY;UNTIL=99991231T000000Z"}
		s, e := time.Unix(start, 0), time.Unix(start, 0).Add(time.Duration(dur)*time.Second)
		ev := Event{CalendarID: cal.ID, Title: "x", Start: s, End: e, Rooms: []string{room.ID},
			Recurrence: &Recurrence{RRule: rules[int(rule)%len(rules)], RDates: []time.Time{time.Unix(from, 0)}, ExDates: []time.Time{time.Unix(to, 0)}}}
		created, cerr := svc.CreateEvent(ctx, "u", ev)
		w0, w1 := time.Unix(from, 0), time.Unix(to, 0)
		_, _ = svc.Instances(ctx, "u", InstanceQuery{From: w0, To: w1})
		_, _ = svc.CalendarInstances(ctx, "u", room.ID, InstanceQuery{From: w0, To: w1})
		_, _ = svc.FreeBusy(ctx, "u", FreeBusyQuery{From: w0, To: w1, Users: []string{"u"}, Rooms: []string{room.ID}})
		_, _ = svc.FindTime(ctx, "u", FindTimeRequest{Required: []string{"u"}, Duration: time.Hour, From: w0, To: w1, Room: &RoomNeed{}})
		if cerr == nil {
			_, _ = svc.EventInstances(ctx, "u", created.ID, InstanceQuery{From: w0, To: w1})
			_, _ = svc.AllInstances(ctx, "u", created.ID, PageQuery{})
			_, _ = svc.UpdateInstance(ctx, "u", created.ID, w0, InstanceChange{Start: &w1})
			_ = svc.RespondInstance(ctx, "u", created.ID, w1, Declined)
			_ = svc.CancelInstance(ctx, "u", created.ID, w0)
			_, _ = svc.UpdateEvent(ctx, "u", created.ID, EventPatch{Start: &w0, End: &w1})
			_, _ = svc.UpdateFollowing(ctx, "u", created.ID, w0, EventPatch{Start: &w1})
			_ = svc.DeleteFollowing(ctx, "u", created.ID, w1)
			var out bytes.Buffer
			_ = svc.ExportEvent(ctx, "u", created.ID, &out)
		}
	})
}
