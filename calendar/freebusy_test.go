package calendar

import (
	"bytes"
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/workspace-go/workspace/store"
)

func TestFreeBusyMergesAndSkipsFreeTime(t *testing.T) {
	forEachBackend(t, func(t *testing.T, f *fixture) {
		ann := f.calendar(t, "ann", Calendar{})
		team := f.calendar(t, "lead", Calendar{Kind: Shared, Name: "team"})
		room := f.room(t, "Everest", 8)
		f.event(t, "ann", Event{CalendarID: ann.ID, Title: "a", Start: at(3, 9, 0), End: at(3, 10, 0)})
		f.event(t, "ann", Event{CalendarID: ann.ID, Title: "overlaps a", Start: at(3, 9, 30), End: at(3, 10, 30)})
		f.event(t, "ann", Event{CalendarID: ann.ID, Title: "touches", Start: at(3, 10, 30), End: at(3, 11, 0)})
		f.event(t, "ann", Event{CalendarID: ann.ID, Title: "free", Start: at(3, 13, 0), End: at(3, 14, 0), Transparency: Transparent})
		f.event(t, "ann", Event{CalendarID: ann.ID, Title: "all-day is free", AllDay: true, Start: at(3, 0, 0)})
		f.event(t, "ann", Event{CalendarID: ann.ID, Title: "before window, running", Start: at(2, 23, 0), End: at(3, 1, 0)})
		inv := f.event(t, "lead", Event{CalendarID: team.ID, Title: "invite", Start: at(3, 15, 0), End: at(3, 16, 0),
			Attendees: []Attendee{{User: "ann"}, {User: "bob"}}, Rooms: []string{room.ID}})
		f.event(t, "lead", Event{CalendarID: team.ID, Title: "daily", Start: at(2, 17, 0), End: at(2, 17, 30),
			Attendees: []Attendee{{User: "ann"}}, Recurrence: &Recurrence{RRule: "FREQ=DAILY;COUNT=10"}})
		if err := f.svc.Respond(f.ctx, "bob", inv.ID, Declined); err != nil {
			t.Fatal(err)
		}
		got, err := f.svc.FreeBusy(f.ctx, "carol", FreeBusyQuery{From: at(3, 0, 0), To: at(4, 0, 0), Users: []string{"ann", "bob", "nobody"}, Rooms: []string{room.ID}})
		if err != nil {
			t.Fatal(err)
		}
		want := Availability{
			Users: map[string][]Interval{
				"ann":    {{at(3, 0, 0), at(3, 1, 0)}, {at(3, 9, 0), at(3, 11, 0)}, {at(3, 15, 0), at(3, 16, 0)}, {at(3, 17, 0), at(3, 17, 30)}},
				"bob":    {},
				"nobody": {},
			},
			Rooms: map[string][]Interval{room.ID: {{at(3, 15, 0), at(3, 16, 0)}}},
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("free/busy =\n%v\nwant\n%v", got, want)
		}
		if _, err := f.svc.FreeBusy(f.ctx, "carol", FreeBusyQuery{From: at(3, 0, 0), To: at(4, 0, 0), Rooms: []string{"ghost"}}); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("unknown room: err = %v, want ErrNotFound", err)
		}
		if _, err := f.svc.FreeBusy(f.ctx, "carol", FreeBusyQuery{From: at(3, 0, 0), To: at(3, 0, 0).Add(400 * 24 * time.Hour)}); !errors.Is(err, store.ErrInvalid) {
			t.Errorf("window over a year: err = %v, want ErrInvalid", err)
		}
	})
}

func TestDecliningOneInstance(t *testing.T) {
	forEachBackend(t, func(t *testing.T, f *fixture) {
		cal := f.calendar(t, "lead", Calendar{})
		ser := f.event(t, "lead", Event{CalendarID: cal.ID, Title: "weekly", Start: at(2, 9, 0), End: at(2, 10, 0),
			Recurrence: &Recurrence{RRule: "FREQ=WEEKLY;COUNT=4"}, Attendees: []Attendee{{User: "ann"}, {User: "bob"}}})
		if err := f.svc.RespondInstance(f.ctx, "ann", ser.ID, at(9, 9, 0), Declined); err != nil {
			t.Fatal(err)
		}
		if err := f.svc.Respond(f.ctx, "bob", ser.ID, Declined); err != nil {
			t.Fatal(err)
		}
		if err := f.svc.RespondInstance(f.ctx, "bob", ser.ID, at(16, 9, 0), Accepted); err != nil {
			t.Fatal(err)
		}
		if err := f.svc.RespondInstance(f.ctx, "carol", ser.ID, at(16, 9, 0), Accepted); !errors.Is(err, ErrNotAttendee) {
			t.Errorf("answer from a stranger: err = %v, want ErrNotAttendee", err)
		}
		if err := f.svc.RespondInstance(f.ctx, "ann", ser.ID, at(10, 9, 0), Accepted); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("answer for a non-instance: err = %v, want ErrNotFound", err)
		}
		fb, err := f.svc.FreeBusy(f.ctx, "x", FreeBusyQuery{From: at(1, 0, 0), To: at(31, 0, 0), Users: []string{"ann", "bob"}})
		if err != nil {
			t.Fatal(err)
		}
		want := map[string][]Interval{
			"ann": {{at(2, 9, 0), at(2, 10, 0)}, {at(16, 9, 0), at(16, 10, 0)}, {at(23, 9, 0), at(23, 10, 0)}},
			"bob": {{at(16, 9, 0), at(16, 10, 0)}},
		}
		if !reflect.DeepEqual(fb.Users, want) {
			t.Errorf("free/busy = %v, want %v", fb.Users, want)
		}
		ins, _ := items(f.svc.EventInstances(f.ctx, "lead", ser.ID, InstanceQuery{From: at(9, 0, 0), To: at(10, 0, 0)}))
		if len(ins) != 1 || ins[0].Attendees[0].Status != Declined || ins[0].Changed {
			t.Errorf("instance of 9 March = %+v, want ann declined, not a changed instance", ins)
		}
		// The answers survive an export and import.
		var buf bytes.Buffer
		if err := f.svc.ExportEvent(f.ctx, "lead", ser.ID, &buf); err != nil {
			t.Fatal(err)
		}
		other := f.calendar(t, "lead", Calendar{Name: "copy"})
		if rep, err := f.svc.Import(f.ctx, "lead", other.ID, &buf); err != nil || rep.Created != 1 {
			t.Fatalf("import: %+v, %v", rep, err)
		}
		ins, _ = items(f.svc.CalendarInstances(f.ctx, "lead", other.ID, InstanceQuery{From: at(9, 0, 0), To: at(10, 0, 0)}))
		if len(ins) != 1 || ins[0].Attendees[0].Status != Declined {
			t.Errorf("after round trip: %+v, want ann declined on 9 March", ins)
		}
	})
}
