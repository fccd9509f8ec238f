package calendar

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/workspace-go/workspace/store"
	"github.com/workspace-go/workspace/store/memstore"
)

func TestCreateEventRejectsBadInput(t *testing.T) {
	forEachBackend(t, func(t *testing.T, f *fixture) {
		cal := f.calendar(t, "ann", Calendar{})
		room := f.room(t, "Everest", 8)
		other := f.calendar(t, "bob", Calendar{})
		cases := []struct {
			name  string
			actor string
			ev    Event
			want  error
		}{
			{"end before start", "ann", Event{CalendarID: cal.ID, Start: at(3, 10, 0), End: at(3, 9, 0)}, ErrBadTime},
			{"no end", "ann", Event{CalendarID: cal.ID, Start: at(3, 10, 0)}, ErrBadTime},
			{"no start", "ann", Event{CalendarID: cal.ID}, ErrBadTime},
			{"a start after 2200", "ann", Event{CalendarID: cal.ID, Start: at(3, 10, 0).AddDate(300, 0, 0), End: at(3, 11, 0).AddDate(300, 0, 0)}, ErrBadTime},
			{"all-day end on its start date", "ann", Event{CalendarID: cal.ID, AllDay: true, Start: at(3, 0, 0), End: at(3, 0, 0)}, ErrBadTime},
			{"an unknown time zone", "ann", Event{CalendarID: cal.ID, TimeZone: "Europe/Atlantis", Start: at(3, 10, 0), End: at(3, 11, 0)}, ErrBadTimeZone},
			{"an RRULE without instances", "ann", Event{CalendarID: cal.ID, Start: at(3, 10, 0), End: at(3, 11, 0), Recurrence: &Recurrence{RRule: "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30"}}, ErrBadRecurrence},
			{"COUNT with UNTIL", "ann", Event{CalendarID: cal.ID, Start: at(3, 10, 0), End: at(3, 11, 0), Recurrence: &Recurrence{RRule: "FREQ=DAILY;COUNT=3;UNTIL=20260310T000000Z"}}, ErrBadRecurrence},
			{"a year-10000 UNTIL", "ann", Event{CalendarID: cal.ID, Start: at(3, 10, 0), End: at(3, 11, 0), Recurrence: &Recurrence{RRule: "FREQ=DAILY;UNTIL=100000101T000000Z"}}, ErrBadRecurrence},
			{"a malformed RRULE", "ann", Event{CalendarID: cal.ID, Start: at(3, 10, 0), End: at(3, 11, 0), Recurrence: &Recurrence{RRule: "FREQ=SOMETIMES"}}, ErrBadRecurrence},
			{"a room that does not exist", "ann", Event{CalendarID: cal.ID, Start: at(3, 10, 0), End: at(3, 11, 0), Rooms: []string{"no-such-room"}}, ErrNotFound},
			{"a calendar that is not a room as a room", "ann", Event{CalendarID: cal.ID, Start: at(3, 10, 0), End: at(3, 11, 0), Rooms: []string{other.ID}}, ErrNotFound},
			{"an event put straight on a room calendar", "facilities", Event{CalendarID: room.ID, Start: at(3, 10, 0), End: at(3, 11, 0)}, store.ErrInvalid},
			{"a missing calendar", "ann", Event{CalendarID: "nope", Start: at(3, 10, 0), End: at(3, 11, 0)}, ErrNotFound},
			{"a calendar the actor cannot write", "bob", Event{CalendarID: cal.ID, Start: at(3, 10, 0), End: at(3, 11, 0)}, store.ErrPermission},
			{"a bad RSVP", "ann", Event{CalendarID: cal.ID, Start: at(3, 10, 0), End: at(3, 11, 0), Attendees: []Attendee{{User: "x", Status: "maybe"}}}, store.ErrInvalid},
			{"a bad visibility", "ann", Event{CalendarID: cal.ID, Start: at(3, 10, 0), End: at(3, 11, 0), Visibility: "secret"}, store.ErrInvalid},
		}
		for _, c := range cases {
			t.Run(c.name+" is refused and writes nothing", func(t *testing.T) {
				before := changeCount(t, f)
				_, err := f.svc.CreateEvent(f.ctx, c.actor, c.ev)
				if !errors.Is(err, c.want) {
					t.Errorf("err = %v, want %v", err, c.want)
				}
				if got := changeCount(t, f); got != before {
					t.Errorf("changes = %d, want %d", got, before)
				}
			})
		}
		ins, err := items(f.svc.Instances(f.ctx, "ann", InstanceQuery{From: at(1, 0, 0), To: at(20, 0, 0)}))
		if err != nil || len(ins) != 0 {
			t.Errorf("instances after refused creates = %v, %v; want none", ins, err)
		}
	})
}

func TestEventTimeZonesAndAllDay(t *testing.T) {
	forEachBackend(t, func(t *testing.T, f *fixture) {
		cal := f.calendar(t, "ann", Calendar{TimeZone: "Asia/Shanghai"})
		sh, _ := time.LoadLocation("Asia/Shanghai")
		ny, _ := time.LoadLocation("America/New_York")
		// Timed event in the calendar's zone by default.
		ev := f.event(t, "ann", Event{CalendarID: cal.ID, Title: "standup", Start: at(3, 1, 0), End: at(3, 1, 30)})
		if ev.TimeZone != "Asia/Shanghai" || ev.Start.Location().String() != "Asia/Shanghai" || ev.Start.Hour() != 9 {
			t.Errorf("event = %v in %s, want 09:00 in Asia/Shanghai", ev.Start, ev.TimeZone)
		}
		// An all-day event covers its dates in its zone, end exclusive.
		day := f.event(t, "ann", Event{CalendarID: cal.ID, Title: "offsite", AllDay: true,
			Start: time.Date(2026, 3, 5, 0, 0, 0, 0, time.UTC), End: time.Date(2026, 3, 7, 0, 0, 0, 0, time.UTC)})
		if got, want := day.Start, time.Date(2026, 3, 5, 0, 0, 0, 0, sh); !got.Equal(want) {
			t.Errorf("all-day start = %v, want %v", got, want)
		}
		if day.Transparency != Transparent {
			t.Errorf("all-day transparency = %q, want transparent by default", day.Transparency)
		}
		oneDay := f.event(t, "ann", Event{CalendarID: cal.ID, Title: "holiday", AllDay: true, Start: time.Date(2026, 3, 9, 0, 0, 0, 0, sh)})
		if got, want := oneDay.End, time.Date(2026, 3, 10, 0, 0, 0, 0, sh); !got.Equal(want) {
			t.Errorf("one-day end = %v, want %v", got, want)
		}
		// A weekly series in New York keeps 09:00 across the DST change.
		ser := f.event(t, "ann", Event{CalendarID: cal.ID, Title: "sync", TimeZone: "America/New_York",
			Start: time.Date(2026, 3, 2, 9, 0, 0, 0, ny), End: time.Date(2026, 3, 2, 10, 0, 0, 0, ny),
			Recurrence: &Recurrence{RRule: "FREQ=WEEKLY;COUNT=3"}})
		ins, err := items(f.svc.EventInstances(f.ctx, "ann", ser.ID, InstanceQuery{From: at(1, 0, 0), To: at(31, 0, 0)}))
		if err != nil {
			t.Fatal(err)
		}
		if len(ins) != 3 {
			t.Fatalf("instances = %d, want 3", len(ins))
		}
		for _, in := range ins {
			if l := in.Start.In(ny); l.Hour() != 9 {
				t.Errorf("instance at %v, want 09:00 New York", l)
			}
		}
		if got := ins[1].Start.Sub(ins[0].Start); got != 7*24*time.Hour-time.Hour {
			t.Errorf("gap across DST = %v, want 167h", got)
		}
	})
}

func TestInstancesUseOverlapSemantics(t *testing.T) {
	forEachBackend(t, func(t *testing.T, f *fixture) {
		cal := f.calendar(t, "ann", Calendar{})
		f.event(t, "ann", Event{CalendarID: cal.ID, Title: "conference", Start: at(1, 9, 0), End: at(4, 17, 0)})
		f.event(t, "ann", Event{CalendarID: cal.ID, Title: "ends at window start", Start: at(4, 8, 0), End: at(5, 0, 0)})
		f.event(t, "ann", Event{CalendarID: cal.ID, Title: "starts at window end", Start: at(6, 0, 0), End: at(6, 1, 0)})
		f.event(t, "ann", Event{CalendarID: cal.ID, Title: "night shift", Start: at(4, 22, 0), End: at(5, 6, 0),
			Recurrence: &Recurrence{RRule: "FREQ=DAILY;COUNT=3"}})
		ins, err := items(f.svc.Instances(f.ctx, "ann", InstanceQuery{From: at(5, 0, 0), To: at(6, 0, 0)}))
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, in := range ins {
			got = append(got, in.Title+"@"+in.Start.Format("02T15"))
		}
		want := []string{"night shift@04T22", "night shift@05T22"}
		if len(got) != len(want) || got[0] != want[0] || got[1] != want[1] {
			t.Errorf("instances = %v, want %v", got, want)
		}
		ins, err = items(f.svc.Instances(f.ctx, "ann", InstanceQuery{From: at(3, 0, 0), To: at(3, 1, 0)}))
		if err != nil {
			t.Fatal(err)
		}
		if len(ins) != 1 || ins[0].Title != "conference" {
			t.Errorf("instances on day 3 = %+v, want the running conference", ins)
		}
		if _, err := items(f.svc.Instances(f.ctx, "ann", InstanceQuery{From: at(3, 0, 0), To: at(2, 0, 0)})); !errors.Is(err, store.ErrInvalid) {
			t.Errorf("reversed window: err = %v, want ErrInvalid", err)
		}
	})
}

func TestEventUpdateDeleteAndRSVP(t *testing.T) {
	forEachBackend(t, func(t *testing.T, f *fixture) {
		cal := f.calendar(t, "ann", Calendar{})
		ev := f.event(t, "ann", Event{CalendarID: cal.ID, Title: "review", Start: at(3, 10, 0), End: at(3, 11, 0),
			Attendees: []Attendee{{User: "bob"}, {User: "carol", Optional: true}}})
		if ev.Attendees[0].Status != NeedsAction {
			t.Errorf("new attendee status = %q, want needs-action", ev.Attendees[0].Status)
		}
		if _, err := f.svc.UpdateEvent(f.ctx, "ann", ev.ID, EventPatch{Title: ptr("x"), Revision: 7}); !errors.Is(err, ErrStaleRevision) {
			t.Errorf("update at a stale revision: err = %v, want ErrStaleRevision", err)
		}
		got, err := f.svc.UpdateEvent(f.ctx, "ann", ev.ID, EventPatch{Title: ptr("design review"), Start: ptr(at(3, 14, 0)), Revision: ev.Revision})
		if err != nil {
			t.Fatal(err)
		}
		if got.Title != "design review" || !got.End.Equal(at(3, 15, 0)) || got.Revision != 2 {
			t.Errorf("updated = %q %v–%v rev %d, want design review 14:00–15:00 rev 2", got.Title, got.Start, got.End, got.Revision)
		}
		if _, err := f.svc.UpdateEvent(f.ctx, "bob", ev.ID, EventPatch{Title: ptr("mine")}); !errors.Is(err, store.ErrPermission) {
			t.Errorf("update by an attendee: err = %v, want ErrPermission", err)
		}
		if err := f.svc.Respond(f.ctx, "dave", ev.ID, Accepted); !errors.Is(err, ErrNotAttendee) {
			t.Errorf("RSVP by a stranger: err = %v, want ErrNotAttendee", err)
		}
		if err := f.svc.Respond(f.ctx, "bob", ev.ID, Declined); err != nil {
			t.Fatal(err)
		}
		got, err = f.svc.Event(f.ctx, "bob", ev.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Attendees[0].Status != Declined {
			t.Errorf("bob's status = %q, want declined", got.Attendees[0].Status)
		}
		if err := f.svc.DeleteEvent(f.ctx, "ann", ev.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.Event(f.ctx, "ann", ev.ID); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("deleted event: err = %v, want ErrNotFound", err)
		}
		ins, _ := items(f.svc.Instances(f.ctx, "bob", InstanceQuery{From: at(1, 0, 0), To: at(9, 0, 0)}))
		if len(ins) != 0 {
			t.Errorf("instances after delete = %v, want none", ins)
		}
	})
}

func TestSystemEventIgnoresAccess(t *testing.T) {
	ctx := context.Background()
	svc, err := New(context.Background(), memstore.New())
	if err != nil {
		t.Fatal(err)
	}
	cal, err := svc.CreateCalendar(ctx, "owner", Calendar{Kind: Personal, Name: "mine", TimeZone: "UTC"})
	if err != nil {
		t.Fatal(err)
	}
	start := time.Date(2025, 3, 12, 10, 0, 0, 0, time.UTC)
	ev, err := svc.CreateEvent(ctx, "owner", Event{CalendarID: cal.ID, Title: "private plan", Start: start, End: start.Add(time.Hour), Visibility: Private})
	if err != nil {
		t.Fatal(err)
	}
	if got, err := svc.Event(ctx, "stranger", ev.ID); err == nil && got.Title != "" {
		t.Fatalf("a stranger read a private event's title %q", got.Title)
	}
	got, err := svc.System().Event(ctx, ev.ID)
	if err != nil || got.Title != "private plan" || got.BusyOnly {
		t.Errorf("System().Event = %+v, %v; want the full event", got, err)
	}
	if _, err := svc.System().Event(ctx, "nope"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("System().Event of an unknown id: %v; want ErrNotFound", err)
	}
}
