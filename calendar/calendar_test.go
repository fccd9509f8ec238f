package calendar

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/workspace-go/workspace/internal/ids"
	"github.com/workspace-go/workspace/store"
)

func TestCreateCalendarRejectsBadInput(t *testing.T) {
	cases := []struct {
		name  string
		actor string
		cal   Calendar
		want  error
	}{
		{"an empty actor is refused", "", Calendar{Name: "x"}, store.ErrInvalid},
		{"an empty name is refused", "ann", Calendar{Name: "  "}, store.ErrInvalid},
		{"an unknown kind is refused", "ann", Calendar{Name: "x", Kind: "weird"}, store.ErrInvalid},
		{"an unknown time zone is refused", "ann", Calendar{Name: "x", TimeZone: "Mars/Olympus"}, ErrBadTimeZone},
		{"a room without a room is refused", "ann", Calendar{Name: "x", Kind: Resource}, store.ErrInvalid},
		{"a negative capacity is refused", "ann", Calendar{Kind: Resource, Room: &Room{Name: "A", Capacity: -1}}, store.ErrInvalid},
		{"owner as default role is refused", "ann", Calendar{Name: "x", DefaultRole: Owner}, store.ErrInvalid},
	}
	forEachBackend(t, func(t *testing.T, f *fixture) {
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				before := changeCount(t, f)
				_, err := f.svc.CreateCalendar(f.ctx, c.actor, c.cal)
				if !errors.Is(err, c.want) {
					t.Errorf("err = %v, want %v", err, c.want)
				}
				if got := changeCount(t, f); got != before {
					t.Errorf("changes = %d, want %d (nothing written)", got, before)
				}
			})
		}
	})
}

func TestRolesAndDiscovery(t *testing.T) {
	forEachBackend(t, func(t *testing.T, f *fixture) {
		ann := f.calendar(t, "ann", Calendar{Name: "Ann", TimeZone: "Asia/Shanghai"})
		trips := f.calendar(t, "lead", Calendar{Kind: Shared, Name: "Sales trips", Public: true})
		team := f.calendar(t, "lead", Calendar{Kind: Shared, Name: "Secret plans"})
		room := f.room(t, "Everest", 8, "projector")

		roles := []struct {
			name, actor, cal string
			want             Role
		}{
			{"the owner owns", "ann", ann.ID, Owner},
			{"a colleague sees a personal calendar's free/busy", "bob", ann.ID, FreeBusy},
			{"a colleague reads a public shared calendar", "bob", trips.ID, Reader},

			{"a colleague sees a room's free/busy", "bob", room.ID, FreeBusy},
		}
		if _, err := f.svc.Role(f.ctx, "bob", team.ID); !errors.Is(err, ErrNotFound) {
			t.Errorf("a colleague's role on a private shared calendar: %v, want ErrNotFound", err)
		}
		for _, c := range roles {
			got, err := f.svc.Role(f.ctx, c.actor, c.cal)
			if err != nil || got != c.want {
				t.Errorf("%s: role = %v, %v; want %v", c.name, got, err, c.want)
			}
		}

		if err := f.svc.Share(f.ctx, "bob", ann.ID, "carol", Reader); !errors.Is(err, ErrPermission) {
			t.Errorf("share by a non-owner: err = %v, want ErrPermission", err)
		}
		if err := f.svc.Share(f.ctx, "ann", ann.ID, "bob", Writer); err != nil {
			t.Fatal(err)
		}
		if got, _ := f.svc.Role(f.ctx, "bob", ann.ID); got != Writer {
			t.Errorf("after share: role = %v, want writer", got)
		}
		if err := f.svc.Share(f.ctx, "ann", ann.ID, "bob", NoRole); err != nil {
			t.Fatal(err)
		}
		if got, _ := f.svc.Role(f.ctx, "bob", ann.ID); got != FreeBusy {
			t.Errorf("after revoke: role = %v, want freebusy", got)
		}

		found, err := items(f.svc.Discover(f.ctx, "bob", PageQuery{}))
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, c := range found {
			names = append(names, c.Name)
		}
		if len(names) != 2 || names[0] != "Sales trips" || names[1] != "Everest" {
			t.Errorf("discover = %v, want [Sales trips Everest]", names)
		}

		if err := f.svc.Subscribe(f.ctx, "bob", team.ID); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("subscribe to a private calendar: err = %v, want ErrNotFound (existence does not leak)", err)
		}
		if err := f.svc.Subscribe(f.ctx, "bob", "nope"); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("subscribe to a missing calendar: err = %v, want ErrNotFound", err)
		}
		for _, id := range []string{trips.ID, ann.ID} {
			if err := f.svc.Subscribe(f.ctx, "bob", id); err != nil {
				t.Fatal(err)
			}
		}
		list, err := items(f.svc.CalendarList(f.ctx, "bob", PageQuery{}))
		if err != nil {
			t.Fatal(err)
		}
		if len(list) != 2 || !list[0].Subscribed {
			t.Errorf("bob's list = %+v, want two subscriptions", list)
		}
		if err := f.svc.Unsubscribe(f.ctx, "bob", trips.ID); err != nil {
			t.Fatal(err)
		}
		if list, _ := items(f.svc.CalendarList(f.ctx, "bob", PageQuery{})); len(list) != 1 {
			t.Errorf("after unsubscribe: %d calendars, want 1", len(list))
		}

		rooms, err := items(f.svc.Rooms(f.ctx, "bob", RoomQuery{MinCapacity: 6, Equipment: []string{"Projector"}}))
		if err != nil || len(rooms) != 1 {
			t.Errorf("rooms for 6 with a projector = %v, %v; want Everest", rooms, err)
		}
		if rooms, _ := items(f.svc.Rooms(f.ctx, "bob", RoomQuery{MinCapacity: 10, Equipment: nil})); len(rooms) != 0 {
			t.Errorf("rooms for 10 = %v, want none", rooms)
		}
	})
}

func TestFreeBusySubscriberNeverSeesDetails(t *testing.T) {
	forEachBackend(t, func(t *testing.T, f *fixture) {
		ann := f.calendar(t, "ann", Calendar{Name: "Ann"})
		single := f.event(t, "ann", Event{CalendarID: ann.ID, Title: "Salary talk", Description: "secret", Location: "HR",
			Start: at(3, 10, 0), End: at(3, 11, 0), Attendees: []Attendee{{User: "hr"}}})
		series := f.event(t, "ann", Event{CalendarID: ann.ID, Title: "Therapy", Description: "private",
			Start: at(2, 17, 0), End: at(2, 18, 0), Recurrence: &Recurrence{RRule: "FREQ=DAILY;COUNT=5"}})
		if err := f.svc.Subscribe(f.ctx, "bob", ann.ID); err != nil {
			t.Fatal(err)
		}
		from, to := at(2, 0, 0), at(9, 0, 0)
		check := func(where string, ins []Instance) {
			t.Helper()
			if len(ins) != 6 {
				t.Errorf("%s: %d instances, want 6", where, len(ins))
			}
			for _, in := range ins {
				if !in.BusyOnly || in.Title != "" || in.Description != "" || in.Location != "" || in.Attendees != nil || in.Organizer != "" || in.Rooms != nil || in.Visibility != "" {
					t.Errorf("%s: free/busy subscriber sees %+v", where, in)
				}
			}
		}
		ins, err := items(f.svc.Instances(f.ctx, "bob", InstanceQuery{From: from, To: to}))
		if err != nil {
			t.Fatal(err)
		}
		check("Instances", ins)
		ins, err = items(f.svc.CalendarInstances(f.ctx, "bob", ann.ID, InstanceQuery{From: from, To: to}))
		if err != nil {
			t.Fatal(err)
		}
		check("CalendarInstances", ins)
		for _, id := range []string{single.ID, series.ID} {
			ev, err := f.svc.Event(f.ctx, "bob", id)
			if err != nil {
				t.Fatal(err)
			}
			if !ev.BusyOnly || ev.Title != "" || ev.Description != "" || ev.Attendees != nil || ev.Location != "" || ev.Organizer != "" {
				t.Errorf("Event: free/busy subscriber sees %+v", ev)
			}
			ins, err := items(f.svc.EventInstances(f.ctx, "bob", id, InstanceQuery{From: from, To: to}))
			if err != nil {
				t.Fatal(err)
			}
			for _, in := range ins {
				if in.Title != "" || in.Attendees != nil {
					t.Errorf("EventInstances: free/busy subscriber sees %+v", in)
				}
			}
		}

		// The invited HR person sees details although they have only
		// free/busy on ann's calendar.
		ins, err = items(f.svc.Instances(f.ctx, "hr", InstanceQuery{From: from, To: to}))
		if err != nil {
			t.Fatal(err)
		}
		if len(ins) != 1 || ins[0].Title != "Salary talk" {
			t.Errorf("attendee sees %+v, want the salary talk with details", ins)
		}

		// A reader sees details except of private events.
		if err := f.svc.Share(f.ctx, "ann", ann.ID, "bob", Reader); err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.UpdateEvent(f.ctx, "ann", series.ID, EventPatch{Visibility: ptr(Private)}); err != nil {
			t.Fatal(err)
		}
		ins, err = items(f.svc.Instances(f.ctx, "bob", InstanceQuery{From: from, To: to}))
		if err != nil {
			t.Fatal(err)
		}
		var titled, busyOnly int
		for _, in := range ins {
			if in.BusyOnly {
				busyOnly++
			} else if in.Title != "" {
				titled++
			}
		}
		if titled != 1 || busyOnly != 5 {
			t.Errorf("reader sees %d titled and %d busy-only instances, want 1 and 5", titled, busyOnly)
		}

		// Someone with no role on a private shared calendar sees nothing.
		secret := f.calendar(t, "lead", Calendar{Kind: Shared, Name: "Secret"})
		ev := f.event(t, "lead", Event{CalendarID: secret.ID, Title: "Layoffs", Start: at(4, 9, 0), End: at(4, 10, 0)})
		if _, err := f.svc.Event(f.ctx, "bob", ev.ID); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("event on a private calendar: err = %v, want ErrNotFound", err)
		}
		if _, err := items(f.svc.CalendarInstances(f.ctx, "bob", secret.ID, InstanceQuery{From: from, To: to})); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("instances of a private calendar: err = %v, want ErrNotFound", err)
		}
		_ = time.Hour
	})
}

func TestDeleteCalendar(t *testing.T) {
	forEachBackend(t, func(t *testing.T, f *fixture) {
		cal := f.calendar(t, "ann", Calendar{Kind: Shared, Name: "team", Public: true})
		room := f.room(t, "Everest", 8)
		f.event(t, "ann", Event{CalendarID: cal.ID, Title: "booked", Start: at(3, 9, 0), End: at(3, 10, 0), Rooms: []string{room.ID}, Attendees: []Attendee{{User: "bob"}}})
		if err := f.svc.Subscribe(f.ctx, "bob", cal.ID); err != nil {
			t.Fatal(err)
		}
		if err := f.svc.DeleteCalendar(f.ctx, "facilities", room.ID); !errors.Is(err, store.ErrInvalid) {
			t.Errorf("delete a booked room: err = %v, want ErrInvalid", err)
		}
		if err := f.svc.DeleteCalendar(f.ctx, "bob", cal.ID); !errors.Is(err, store.ErrPermission) {
			t.Errorf("delete by a subscriber: err = %v, want ErrPermission", err)
		}
		if err := f.svc.DeleteCalendar(f.ctx, "ann", cal.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.Calendar(f.ctx, "ann", cal.ID); !errors.Is(err, ErrNotFound) {
			t.Errorf("deleted calendar: err = %v, want ErrNotFound", err)
		}
		if list, _ := items(f.svc.CalendarList(f.ctx, "bob", PageQuery{})); len(list) != 0 {
			t.Errorf("bob's list = %v, want empty", list)
		}
		fb, err := f.svc.FreeBusy(f.ctx, "x", FreeBusyQuery{From: at(3, 0, 0), To: at(4, 0, 0), Users: []string{"bob"}, Rooms: []string{room.ID}})
		if err != nil || len(fb.Users["bob"]) != 0 || len(fb.Rooms[room.ID]) != 0 {
			t.Errorf("after delete: %+v, %v; want bob and the room free", fb, err)
		}
		if err := f.svc.DeleteCalendar(f.ctx, "facilities", room.ID); err != nil {
			t.Errorf("delete a free room: %v", err)
		}
		if found, _ := items(f.svc.Discover(f.ctx, "bob", PageQuery{})); len(found) != 0 {
			t.Errorf("discover after deletes = %v, want none", found)
		}
	})
}

func TestTenantsAreIsolatedAndContextIsHonoured(t *testing.T) {
	forEachBackend(t, func(t *testing.T, f *fixture) {
		var svcs []*Service
		for _, tenant := range []string{"acme", "globex"} {
			ns, err := store.Namespace(f.st, tenant)
			if err != nil {
				t.Fatal(err)
			}
			svc, err := New(context.Background(), ns, WithClock(f.clk.Now), WithIDs(ids.Sequential(tenant+"_")))
			if err != nil {
				t.Fatal(err)
			}
			svcs = append(svcs, svc)
		}
		var rooms []Calendar
		for _, svc := range svcs {
			room, err := svc.CreateCalendar(f.ctx, "facilities", Calendar{Kind: Resource, Room: &Room{Name: "Everest"}})
			if err != nil {
				t.Fatal(err)
			}
			cal, err := svc.CreateCalendar(f.ctx, "ann", Calendar{Name: "ann"})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := svc.CreateEvent(f.ctx, "ann", Event{CalendarID: cal.ID, Start: at(3, 9, 0), End: at(3, 10, 0), Rooms: []string{room.ID}}); err != nil {
				t.Errorf("booking in each tenant: %v", err)
			}
			rooms = append(rooms, room)
		}
		if _, err := svcs[0].Calendar(f.ctx, "facilities", rooms[1].ID); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("another tenant's room: err = %v, want ErrNotFound", err)
		}
		ctx, cancel := context.WithCancel(f.ctx)
		cancel()
		if _, err := svcs[0].CreateCalendar(ctx, "ann", Calendar{Name: "x"}); !errors.Is(err, context.Canceled) {
			t.Errorf("create with a cancelled context: err = %v, want context.Canceled", err)
		}
		if _, err := items(svcs[0].Instances(ctx, "ann", InstanceQuery{From: at(1, 0, 0), To: at(9, 0, 0)})); !errors.Is(err, context.Canceled) {
			t.Errorf("read with a cancelled context: err = %v, want context.Canceled", err)
		}
	})
}
