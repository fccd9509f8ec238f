package calendar

import (
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/workspace-go/workspace/store"
)

// TestRandomOperationsKeepInvariants applies a seeded random mix of
// creates, instance changes, cancellations, splits, answers and deletes,
// then checks that rooms are never double-booked and that free/busy agrees
// with the instances people see.
func TestRandomOperationsKeepInvariants(t *testing.T) {
	forEachBackend(t, func(t *testing.T, f *fixture) {
		h := fnv.New64a()
		h.Write([]byte(t.Name()))
		r := rand.New(rand.NewPCG(h.Sum64(), 7))
		users := []string{"ann", "bob", "cat"}
		cals := map[string]string{}
		for _, u := range users {
			cals[u] = f.calendar(t, u, Calendar{TimeZone: []string{"UTC", "Asia/Shanghai", "America/New_York"}[len(cals)]}).ID
		}
		var rooms []string
		for i := range 3 {
			rooms = append(rooms, f.room(t, string(rune('A'+i)), 6).ID)
		}
		var events []string
		done := map[string]int{}
		rules := []string{"FREQ=DAILY;COUNT=8", "FREQ=WEEKLY;BYDAY=MO,WE", "FREQ=DAILY;INTERVAL=3", "FREQ=WEEKLY;COUNT=4"}
		someStart := func() time.Time {
			return at(2+r.IntN(20), 8+r.IntN(10), 15*r.IntN(4))
		}
		for range 150 {
			u := users[r.IntN(len(users))]
			switch op := r.IntN(10); {
			case op < 4 || len(events) == 0:
				st := someStart()
				ev := Event{CalendarID: cals[u], Title: "t", Start: st, End: st.Add(time.Duration(1+r.IntN(4)) * 30 * time.Minute)}
				if r.IntN(2) == 0 {
					ev.Recurrence = &Recurrence{RRule: rules[r.IntN(len(rules))]}
				}
				if r.IntN(2) == 0 {
					ev.Rooms = []string{rooms[r.IntN(len(rooms))]}
				}
				if r.IntN(3) == 0 {
					ev.Transparency = Transparent
				}
				for _, a := range users {
					if a != u && r.IntN(2) == 0 {
						ev.Attendees = append(ev.Attendees, Attendee{User: a})
					}
				}
				got, err := f.svc.CreateEvent(f.ctx, u, ev)
				if err == nil {
					done["create"]++
					events = append(events, got.ID)
				} else if !errors.Is(err, ErrRoomBooked) {
					t.Fatalf("create: %v", err)
				}
			default:
				id := events[r.IntN(len(events))]
				ev, err := f.svc.Event(f.ctx, "ann", id)
				if errors.Is(err, store.ErrNotFound) {
					continue
				}
				if err != nil {
					t.Fatal(err)
				}
				owner := ""
				for u, c := range cals {
					if c == ev.CalendarID {
						owner = u
					}
				}
				ins, err := items(f.svc.EventInstances(f.ctx, owner, id, InstanceQuery{From: at(1, 0, 0), To: at(1, 0, 0).AddDate(0, 2, 0)}))
				if err != nil {
					t.Fatal(err)
				}
				if len(ins) == 0 {
					continue
				}
				pick := ins[r.IntN(len(ins))].OriginalStart
				switch {
				case op == 4:
					err = f.svc.DeleteEvent(f.ctx, owner, id)
				case op == 5 && ev.Recurrence != nil:
					err = f.svc.CancelInstance(f.ctx, owner, id, pick)
				case op == 6 && ev.Recurrence != nil:
					_, err = f.svc.UpdateInstance(f.ctx, owner, id, pick, InstanceChange{Start: ptr(pick.Add(time.Duration(r.IntN(5)-2) * time.Hour))})
				case op == 7 && ev.Recurrence != nil:
					var nev Event
					nev, err = f.svc.UpdateFollowing(f.ctx, owner, id, pick, EventPatch{Start: ptr(pick.Add(time.Duration(r.IntN(3)) * time.Hour))})
					if err == nil && nev.ID != id {
						events = append(events, nev.ID)
					}
				case op == 8 && len(ev.Attendees) > 0:
					a := ev.Attendees[r.IntN(len(ev.Attendees))].User
					if ev.Recurrence != nil && r.IntN(2) == 0 {
						err = f.svc.RespondInstance(f.ctx, a, id, pick, []RSVP{Accepted, Declined}[r.IntN(2)])
					} else {
						err = f.svc.Respond(f.ctx, a, id, []RSVP{Accepted, Declined, Tentative}[r.IntN(3)])
					}
				default:
					_, err = f.svc.UpdateEvent(f.ctx, owner, id, EventPatch{Start: ptr(ev.Start.Add(time.Duration(r.IntN(3)-1) * time.Hour))})
				}
				if err != nil && !errors.Is(err, ErrRoomBooked) {
					t.Fatalf("op %d on %s: %v", op, id, err)
				}
				if err == nil {
					done[fmt.Sprint("op", op)]++
				}
			}
		}

		t.Logf("operations done: %v", done)
		if done["create"] < 20 || len(done) < 6 {
			t.Errorf("too few operations took effect: %v", done)
		}
		from, to := at(1, 0, 0), at(1, 0, 0).AddDate(0, 2, 0)
		for _, room := range rooms {
			ins, err := items(f.svc.CalendarInstances(f.ctx, "x", room, InstanceQuery{From: from, To: to}))
			if err != nil {
				t.Fatal(err)
			}
			for i := 1; i < len(ins); i++ {
				for j := 0; j < i; j++ {
					if ins[j].End.After(ins[i].Start) && ins[i].End.After(ins[j].Start) {
						t.Errorf("room %s double-booked: %s at %v and %s at %v", room, ins[j].EventID, ins[j].Start, ins[i].EventID, ins[i].Start)
					}
				}
			}
		}
		fb, err := f.svc.FreeBusy(f.ctx, "x", FreeBusyQuery{From: from, To: to, Users: users})
		if err != nil {
			t.Fatal(err)
		}
		// A fresh service (nothing cached: series read from their timing
		// records) must agree.
		fresh, err := New(context.Background(), f.st)
		if err != nil {
			t.Fatal(err)
		}
		fb2, err := fresh.FreeBusy(f.ctx, "x", FreeBusyQuery{From: from, To: to, Users: users, Rooms: rooms})
		if err != nil {
			t.Fatal(err)
		}
		fb1, err := f.svc.FreeBusy(f.ctx, "x", FreeBusyQuery{From: from, To: to, Users: users, Rooms: rooms})
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(fb1, fb2) {
			t.Errorf("free/busy from a fresh service differs:\n%v\n%v", fb2, fb1)
		}
		for _, u := range users {
			ins, err := items(f.svc.Instances(f.ctx, u, InstanceQuery{From: from, To: to}))
			if err != nil {
				t.Fatal(err)
			}
			var spans [][2]int64
			for _, in := range ins {
				if in.Transparency == Transparent {
					continue
				}
				i := slices.IndexFunc(in.Attendees, func(a Attendee) bool { return a.User == u })
				if i >= 0 && in.Attendees[i].Status == Declined {
					continue
				}
				if i < 0 && in.CalendarID != cals[u] {
					continue
				}
				a, b := max(in.Start.UnixNano(), from.UnixNano()), min(in.End.UnixNano(), to.UnixNano())
				if b > a {
					spans = append(spans, [2]int64{a, b})
				}
			}
			if got, want := fb.Users[u], merge(spans); !reflect.DeepEqual(got, want) {
				t.Errorf("%s: free/busy has %d blocks, instances give %d", u, len(got), len(want))
			}
		}
	})
}
