package calendar

import (
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
