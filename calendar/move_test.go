package calendar

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/workspace-go/workspace/internal/ids"
	"github.com/workspace-go/workspace/internal/keys"
	"github.com/workspace-go/workspace/store"
)

// moveWorld is ann's personal calendar and a team calendar owned by lead
// on which ann is a writer, in different zones, and a room.
type moveWorld struct {
	ann, team, room Calendar
}

func newMoveWorld(t *testing.T, f *fixture) moveWorld {
	t.Helper()
	w := moveWorld{
		ann:  f.calendar(t, "ann", Calendar{Name: "Ann", TimeZone: "Asia/Shanghai"}),
		team: f.calendar(t, "lead", Calendar{Kind: Shared, Name: "Team", TimeZone: "America/New_York"}),
		room: f.room(t, "Everest", 8),
	}
	if err := f.svc.Share(f.ctx, "lead", w.team.ID, "ann", Writer); err != nil {
		t.Fatal(err)
	}
	return w
}

// eventKeys returns, sorted, every store key that names event id (in a key
// part or as the value, as the UID index does), its parts joined by "/"
// and times written as "<t>".
func eventKeys(t *testing.T, f *fixture, id string) []string {
	t.Helper()
	var out []string
	err := f.st.View(f.ctx, func(tx store.Tx) error {
		for k, v := range tx.Scan(store.Prefix(keys.New("calendar"))) {
			parts, err := keys.Split(k)
			if err != nil {
				return err
			}
			named := string(v) == id
			var s []string
			for _, p := range parts {
				named = named || string(p) == id
				if bytes.ContainsFunc(p, func(r rune) bool { return r < ' ' }) {
					s = append(s, "<t>")
				} else {
					s = append(s, string(p))
				}
			}
			if named {
				out = append(out, strings.Join(s, "/"))
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(out)
	return out
}

// naming returns the keys that have part as one of their parts.
func naming(ks []string, part string) []string {
	var out []string
	for _, k := range ks {
		if slices.Contains(strings.Split(k, "/"), part) {
			out = append(out, k)
		}
	}
	return out
}

func lastChange(t *testing.T, f *fixture) Change {
	t.Helper()
	recs, _, err := f.st.Changes(f.ctx, 0, 100000)
	if err != nil || len(recs) == 0 {
		t.Fatalf("changes: %d, %v", len(recs), err)
	}
	c, ok, err := DecodeChange(recs[len(recs)-1])
	if !ok || err != nil {
		t.Fatalf("decode last change: ok %v, err %v", ok, err)
	}
	return c
}

func eventIDs(ins []Instance) []string {
	var out []string
	for _, in := range ins {
		out = append(out, in.EventID+"@"+in.CalendarID)
	}
	return out
}

func exportOf(t *testing.T, f *fixture, actor, cal string) string {
	t.Helper()
	var b strings.Builder
	if err := f.svc.ExportCalendar(f.ctx, actor, cal, &b); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func TestMoveEventToASharedCalendar(t *testing.T) {
	forEachBackend(t, func(t *testing.T, f *fixture) {
		w := newMoveWorld(t, f)
		ev := f.event(t, "ann", Event{CalendarID: w.ann.ID, Title: "Offsite planning", Description: "agenda",
			Start: at(3, 2, 0), End: at(3, 3, 0), Attendees: []Attendee{{User: "carol"}}})
		if err := f.svc.Respond(f.ctx, "carol", ev.ID, Accepted); err != nil {
			t.Fatal(err)
		}
		ev, err := f.svc.System().Event(f.ctx, ev.ID)
		if err != nil {
			t.Fatal(err)
		}
		fbq := FreeBusyQuery{From: at(3, 0, 0), To: at(4, 0, 0), Users: []string{"ann", "carol"}}
		busy := []Interval{{at(3, 2, 0), at(3, 3, 0)}}
		from, to := at(1, 0, 0), at(10, 0, 0)
		list := func(cal string) []string {
			t.Helper()
			ins, err := items(f.svc.CalendarInstances(f.ctx, "lead", cal, InstanceQuery{From: from, To: to}))
			if cal == w.ann.ID {
				ins, err = items(f.svc.CalendarInstances(f.ctx, "ann", cal, InstanceQuery{From: from, To: to}))
			}
			if err != nil {
				t.Fatal(err)
			}
			return eventIDs(ins)
		}

		fb, err := f.svc.FreeBusy(f.ctx, "x", fbq)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(fb.Users["ann"], busy) || !reflect.DeepEqual(fb.Users["carol"], busy) {
			t.Errorf("free/busy before = %v, want ann and carol busy %v", fb.Users, busy)
		}
		if got, want := list(w.ann.ID), []string{ev.ID + "@" + w.ann.ID}; !equal(got, want) {
			t.Errorf("ann's calendar before = %v, want %v", got, want)
		}
		if got := list(w.team.ID); len(got) != 0 {
			t.Errorf("team calendar before = %v, want nothing", got)
		}
		if ks := eventKeys(t, f, ev.ID); len(naming(ks, w.ann.ID)) == 0 {
			t.Fatalf("keys before = %v, want some under ann's calendar", ks)
		}
		before := changeCount(t, f)

		moved, err := f.svc.MoveEvent(f.ctx, "ann", ev.ID, w.team.ID, ev.Revision)
		if err != nil {
			t.Fatalf("move: %v", err)
		}

		t.Run("the record moves and keeps everything else", func(t *testing.T) {
			want := cloneEvent(ev)
			want.CalendarID, want.Revision, want.Updated = w.team.ID, ev.Revision+1, t0
			if !reflect.DeepEqual(moved, want) {
				t.Errorf("moved = %+v\nwant    %+v", moved, want)
			}
			stored, err := f.svc.System().Event(f.ctx, ev.ID)
			if err != nil || !reflect.DeepEqual(stored, want) {
				t.Errorf("stored = %+v, %v\nwant     %+v", stored, err, want)
			}
		})
		t.Run("every key follows the event", func(t *testing.T) {
			ks := eventKeys(t, f, ev.ID)
			if old := naming(ks, w.ann.ID); len(old) != 0 {
				t.Errorf("keys still under ann's calendar: %v", old)
			}
			want := []string{
				"calendar/ev/" + ev.ID,
				"calendar/ix/c/" + w.team.ID + "/s/<t>/" + ev.ID,
				"calendar/ix/u/carol/s/<t>/" + ev.ID,
				"calendar/uid/" + w.team.ID + "/" + ev.UID,
			}
			if !equal(ks, want) {
				t.Errorf("keys = %q, want %q", ks, want)
			}
		})
		t.Run("listings and free/busy follow", func(t *testing.T) {
			if got := list(w.ann.ID); len(got) != 0 {
				t.Errorf("ann's calendar after = %v, want nothing", got)
			}
			if got, want := list(w.team.ID), []string{ev.ID + "@" + w.team.ID}; !equal(got, want) {
				t.Errorf("team calendar after = %v, want %v", got, want)
			}
			fb, err := f.svc.FreeBusy(f.ctx, "x", fbq)
			if err != nil {
				t.Fatal(err)
			}
			// Ann is not an attendee: off her personal calendar the event
			// no longer makes her busy. Carol is invited and still is.
			if len(fb.Users["ann"]) != 0 || !reflect.DeepEqual(fb.Users["carol"], busy) {
				t.Errorf("free/busy after = %v, want ann free, carol busy %v", fb.Users, busy)
			}
			ins, err := items(f.svc.Instances(f.ctx, "carol", InstanceQuery{From: from, To: to}))
			if err != nil || len(ins) != 1 || ins[0].BusyOnly || ins[0].Title != "Offsite planning" || ins[0].CalendarID != w.team.ID {
				t.Errorf("carol's instances after = %+v, %v; want the event in full on the team calendar", ins, err)
			}
		})
		t.Run("one change names both calendars", func(t *testing.T) {
			if got := changeCount(t, f); got != before+1 {
				t.Errorf("changes = %d, want %d", got, before+1)
			}
			got := lastChange(t, f)
			want := Change{Type: "event.moved", CalendarID: w.team.ID, FromCalendarID: w.ann.ID, EventID: ev.ID, Actor: "ann", At: t0}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("change = %+v, want %+v", got, want)
			}
		})
		t.Run("export follows", func(t *testing.T) {
			uid := "UID:" + ev.UID
			if strings.Contains(exportOf(t, f, "ann", w.ann.ID), uid) {
				t.Errorf("ann's calendar still exports the event")
			}
			if !strings.Contains(exportOf(t, f, "lead", w.team.ID), uid) {
				t.Errorf("the team calendar does not export the event")
			}
		})
		t.Run("deleting the old calendar leaves the moved event", func(t *testing.T) {
			if err := f.svc.DeleteCalendar(f.ctx, "ann", w.ann.ID); err != nil {
				t.Fatal(err)
			}
			if _, err := f.svc.System().Event(f.ctx, ev.ID); err != nil {
				t.Errorf("lookup after deleting ann's calendar: %v", err)
			}
		})
	})
}

// instanceLines renders instances without their calendar.
func instanceLines(ins []Instance) []string {
	var out []string
	for _, in := range ins {
		var att []string
		for _, a := range in.Attendees {
			att = append(att, a.User+"="+string(a.Status))
		}
		out = append(out, fmt.Sprintf("%s orig=%s %s-%s %q changed=%v rooms=%v att=%v",
			in.EventID, in.OriginalStart.UTC().Format(time.RFC3339), in.Start.UTC().Format(time.RFC3339),
			in.End.UTC().Format(time.RFC3339), in.Title, in.Changed, in.Rooms, att))
	}
	return out
}

func TestMoveSeriesKeepsInstancesAnswersAndRooms(t *testing.T) {
	forEachBackend(t, func(t *testing.T, f *fixture) {
		w := newMoveWorld(t, f)
		ser := f.event(t, "ann", Event{CalendarID: w.ann.ID, Title: "Standup", Start: at(2, 9, 0), End: at(2, 9, 30),
			Recurrence: &Recurrence{RRule: "FREQ=DAILY;COUNT=5"}, Attendees: []Attendee{{User: "bob"}}, Rooms: []string{w.room.ID}})
		if _, err := f.svc.UpdateInstance(f.ctx, "ann", ser.ID, at(3, 9, 0), InstanceChange{Title: ptr("Standup (late)"), Start: ptr(at(3, 14, 0))}); err != nil {
			t.Fatal(err)
		}
		if err := f.svc.CancelInstance(f.ctx, "ann", ser.ID, at(4, 9, 0)); err != nil {
			t.Fatal(err)
		}
		if err := f.svc.RespondInstance(f.ctx, "bob", ser.ID, at(5, 9, 0), Declined); err != nil {
			t.Fatal(err)
		}
		if err := f.svc.Respond(f.ctx, "bob", ser.ID, Accepted); err != nil {
			t.Fatal(err)
		}
		from, to := at(1, 0, 0), at(10, 0, 0)
		fbq := FreeBusyQuery{From: from, To: to, Users: []string{"bob"}, Rooms: []string{w.room.ID}}
		instances := func() []string {
			t.Helper()
			ins, err := items(f.svc.EventInstances(f.ctx, "ann", ser.ID, InstanceQuery{From: from, To: to}))
			if err != nil {
				t.Fatal(err)
			}
			return instanceLines(ins)
		}
		wantIns := instances()
		if len(wantIns) != 4 {
			t.Fatalf("instances before = %v, want 4", wantIns)
		}
		wantFB, err := f.svc.FreeBusy(f.ctx, "x", fbq)
		if err != nil {
			t.Fatal(err)
		}
		if len(wantFB.Users["bob"]) != 3 || len(wantFB.Rooms[w.room.ID]) != 4 {
			t.Fatalf("free/busy before = %v, want bob busy 3 times (one declined), the room 4", wantFB)
		}

		moved, err := f.svc.MoveEvent(f.ctx, "ann", ser.ID, w.team.ID, 0)
		if err != nil {
			t.Fatalf("move: %v", err)
		}
		if moved.CalendarID != w.team.ID || len(moved.Exceptions) != 3 || !reflect.DeepEqual(moved.Rooms, []string{w.room.ID}) {
			t.Errorf("moved = %+v, want on the team calendar with its 3 exceptions and its room", moved)
		}
		if got := instances(); !equal(got, wantIns) {
			t.Errorf("instances after = %q\nwant %q", got, wantIns)
		}
		fb, err := f.svc.FreeBusy(f.ctx, "x", fbq)
		if err != nil || !reflect.DeepEqual(fb, wantFB) {
			t.Errorf("free/busy after = %v, %v; want %v", fb, err, wantFB)
		}
		// Nothing cached: series read from their timing records.
		fresh, err := New(context.Background(), f.st)
		if err != nil {
			t.Fatal(err)
		}
		if fb, err := fresh.FreeBusy(f.ctx, "x", fbq); err != nil || !reflect.DeepEqual(fb, wantFB) {
			t.Errorf("free/busy from a fresh service = %v, %v; want %v", fb, err, wantFB)
		}
		ins, err := items(f.svc.CalendarInstances(f.ctx, "x", w.room.ID, InstanceQuery{From: from, To: to}))
		if err != nil {
			t.Fatal(err)
		}
		for _, in := range ins {
			if in.CalendarID != w.team.ID {
				t.Errorf("room booking %s at %v is on %q, want the team calendar", in.EventID, in.Start, in.CalendarID)
			}
		}
		if ks := naming(eventKeys(t, f, ser.ID), w.ann.ID); len(ks) != 0 {
			t.Errorf("keys still under ann's calendar: %v", ks)
		}
		// The room is still held where the series is, and free where an
		// instance was cancelled.
		carol := f.calendar(t, "carol", Calendar{})
		_, err = f.svc.CreateEvent(f.ctx, "carol", Event{CalendarID: carol.ID, Start: at(6, 9, 15), End: at(6, 10, 0), Rooms: []string{w.room.ID}})
		if !errors.Is(err, ErrRoomBooked) {
			t.Errorf("booking over a moved instance: err = %v, want ErrRoomBooked", err)
		}
		if _, err := f.svc.CreateEvent(f.ctx, "carol", Event{CalendarID: carol.ID, Start: at(4, 9, 0), End: at(4, 9, 30), Rooms: []string{w.room.ID}}); err != nil {
			t.Errorf("booking the cancelled instance's slot: %v", err)
		}
	})
}

func TestMoveEventRefusals(t *testing.T) {
	forEachBackend(t, func(t *testing.T, f *fixture) {
		w := newMoveWorld(t, f)
		dave := f.calendar(t, "dave", Calendar{})
		if err := f.svc.Share(f.ctx, "lead", w.team.ID, "dave", Reader); err != nil {
			t.Fatal(err)
		}
		// facilities may write ann's calendar and owns the room.
		if err := f.svc.Share(f.ctx, "ann", w.ann.ID, "facilities", Writer); err != nil {
			t.Fatal(err)
		}
		f.event(t, "lead", Event{CalendarID: w.team.ID, UID: "offsite@hr", Start: at(9, 9, 0), End: at(9, 10, 0)})
		ev := f.event(t, "ann", Event{CalendarID: w.ann.ID, Title: "1:1", Start: at(3, 9, 0), End: at(3, 10, 0),
			Attendees: []Attendee{{User: "bob"}}, Rooms: []string{w.room.ID}})
		daves := f.event(t, "dave", Event{CalendarID: dave.ID, Start: at(3, 11, 0), End: at(3, 12, 0)})
		dup := f.event(t, "ann", Event{CalendarID: w.ann.ID, UID: "offsite@hr", Start: at(9, 9, 0), End: at(9, 10, 0)})

		cases := []struct {
			name          string
			actor, id, to string
			rev           uint64
			want          []error
		}{
			{"a reader on the target", "dave", daves.ID, w.team.ID, 0, []error{ErrPermission, store.ErrPermission}},
			{"a free/busy viewer of the source", "lead", ev.ID, w.team.ID, 0, []error{ErrPermission, store.ErrPermission}},
			{"a stranger to both", "eve", ev.ID, w.team.ID, 0, []error{ErrPermission, store.ErrPermission}},
			{"a move into a room calendar", "ann", ev.ID, w.room.ID, 0, []error{ErrInvalid, store.ErrInvalid}},
			{"a move into a room by its owner", "facilities", ev.ID, w.room.ID, 0, []error{ErrInvalid, store.ErrInvalid}},
			{"an unknown event", "ann", "no-such-event", w.team.ID, 0, []error{ErrNotFound, store.ErrNotFound}},
			{"an unknown calendar", "ann", ev.ID, "no-such-calendar", 0, []error{ErrNotFound, store.ErrNotFound}},
			{"an empty calendar id", "ann", ev.ID, "", 0, []error{ErrInvalid}},
			{"a stale revision", "ann", ev.ID, w.team.ID, ev.Revision + 1, []error{ErrStaleRevision, store.ErrConflict}},
			{"a UID the target already holds", "ann", dup.ID, w.team.ID, 0, []error{ErrDuplicateUID, store.ErrConflict}},
		}
		for _, c := range cases {
			t.Run(c.name+" is refused and writes nothing", func(t *testing.T) {
				before := changeCount(t, f)
				rec, _ := f.svc.System().Event(f.ctx, c.id)
				ks := eventKeys(t, f, c.id)
				_, err := f.svc.MoveEvent(f.ctx, c.actor, c.id, c.to, c.rev)
				for _, want := range c.want {
					if !errors.Is(err, want) {
						t.Errorf("err = %v, want %v", err, want)
					}
				}
				if got := changeCount(t, f); got != before {
					t.Errorf("changes = %d, want %d", got, before)
				}
				if got, _ := f.svc.System().Event(f.ctx, c.id); !reflect.DeepEqual(got, rec) {
					t.Errorf("record = %+v, want %+v", got, rec)
				}
				if got := eventKeys(t, f, c.id); !equal(got, ks) {
					t.Errorf("keys = %q, want %q", got, ks)
				}
			})
		}

		t.Run("a move to the event's own calendar changes nothing", func(t *testing.T) {
			before := changeCount(t, f)
			got, err := f.svc.MoveEvent(f.ctx, "ann", ev.ID, w.ann.ID, ev.Revision)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, ev) {
				t.Errorf("event = %+v, want %+v", got, ev)
			}
			if n := changeCount(t, f); n != before {
				t.Errorf("changes = %d, want %d", n, before)
			}
			if _, err := f.svc.MoveEvent(f.ctx, "lead", ev.ID, w.ann.ID, 0); !errors.Is(err, ErrPermission) {
				t.Errorf("a non-writer's move in place: err = %v, want ErrPermission", err)
			}
		})
	})
}

func TestMoveEventChangesWhoSeesIt(t *testing.T) {
	forEachBackend(t, func(t *testing.T, f *fixture) {
		w := newMoveWorld(t, f)
		if err := f.svc.Share(f.ctx, "lead", w.team.ID, "erin", Reader); err != nil {
			t.Fatal(err)
		}
		// dave sees ann's free/busy; erin reads the team calendar.
		for _, s := range []struct{ user, cal string }{{"dave", w.ann.ID}, {"erin", w.team.ID}} {
			if err := f.svc.Subscribe(f.ctx, s.user, s.cal); err != nil {
				t.Fatal(err)
			}
		}
		open := f.event(t, "ann", Event{CalendarID: w.ann.ID, Title: "Retro", Start: at(3, 9, 0), End: at(3, 10, 0)})
		private := f.event(t, "ann", Event{CalendarID: w.ann.ID, Title: "Reviews", Visibility: Private,
			Start: at(4, 9, 0), End: at(4, 10, 0), Attendees: []Attendee{{User: "carol"}}})
		from, to := at(1, 0, 0), at(10, 0, 0)
		view := func(user string) []string {
			t.Helper()
			ins, err := items(f.svc.Instances(f.ctx, user, InstanceQuery{From: from, To: to}))
			if err != nil {
				t.Fatal(err)
			}
			var out []string
			for _, in := range ins {
				out = append(out, fmt.Sprintf("%s %q busy=%v", in.EventID, in.Title, in.BusyOnly))
			}
			return out
		}
		checks := []struct {
			user          string
			before, after []string
		}{
			{"dave", []string{open.ID + ` "" busy=true`, private.ID + ` "" busy=true`}, nil},
			{"erin", nil, []string{open.ID + ` "Retro" busy=false`, private.ID + ` "" busy=true`}},
			{"carol", []string{private.ID + ` "Reviews" busy=false`}, []string{private.ID + ` "Reviews" busy=false`}},
		}
		for _, c := range checks {
			if got := view(c.user); !equal(got, c.before) {
				t.Errorf("%s before = %q, want %q", c.user, got, c.before)
			}
		}
		for _, id := range []string{open.ID, private.ID} {
			if _, err := f.svc.MoveEvent(f.ctx, "ann", id, w.team.ID, 0); err != nil {
				t.Fatalf("move %s: %v", id, err)
			}
		}
		for _, c := range checks {
			if got := view(c.user); !equal(got, c.after) {
				t.Errorf("%s after = %q, want %q", c.user, got, c.after)
			}
		}
		if _, err := f.svc.Event(f.ctx, "dave", open.ID); !errors.Is(err, ErrNotFound) {
			t.Errorf("dave reads the moved event: err = %v, want ErrNotFound", err)
		}
		if ev, err := f.svc.Event(f.ctx, "erin", private.ID); err != nil || !ev.BusyOnly || ev.Title != "" {
			t.Errorf("erin reads the moved private event: %+v, %v; want busy only", ev, err)
		}
		if ev, err := f.svc.Event(f.ctx, "lead", private.ID); err != nil || ev.BusyOnly || ev.Title != "Reviews" {
			t.Errorf("the team calendar's owner reads the moved private event: %+v, %v; want it in full", ev, err)
		}
		if ics := exportOf(t, f, "erin", w.team.ID); !strings.Contains(ics, "SUMMARY:Retro") || strings.Contains(ics, "Reviews") {
			t.Errorf("erin's export of the team calendar shows the open event's title and hides the private one's:\n%s", ics)
		}
	})
}

func TestMoveEventKeepsItsZoneAndTimes(t *testing.T) {
	forEachBackend(t, func(t *testing.T, f *fixture) {
		w := newMoveWorld(t, f) // ann in Asia/Shanghai, team in America/New_York
		sh, _ := time.LoadLocation("Asia/Shanghai")
		timed := f.event(t, "ann", Event{CalendarID: w.ann.ID, Title: "Call", Start: at(3, 1, 0), End: at(3, 2, 0),
			Attendees: []Attendee{{User: "carol"}}})
		day := f.event(t, "ann", Event{CalendarID: w.ann.ID, Title: "Offsite", AllDay: true, Transparency: Opaque,
			Start: time.Date(2026, 3, 5, 0, 0, 0, 0, sh), Attendees: []Attendee{{User: "carol"}}})
		fbq := FreeBusyQuery{From: at(1, 0, 0), To: at(10, 0, 0), Users: []string{"carol"}}
		want := []Interval{{at(3, 1, 0), at(3, 2, 0)}, {at(4, 16, 0), at(5, 16, 0)}}
		for _, ev := range []Event{timed, day} {
			moved, err := f.svc.MoveEvent(f.ctx, "ann", ev.ID, w.team.ID, 0)
			if err != nil {
				t.Fatal(err)
			}
			if moved.TimeZone != "Asia/Shanghai" || !moved.Start.Equal(ev.Start) || !moved.End.Equal(ev.End) || moved.Start.Location().String() != "Asia/Shanghai" {
				t.Errorf("%s moved: %v to %v in %s, want %v to %v in Asia/Shanghai", ev.Title, moved.Start, moved.End, moved.TimeZone, ev.Start, ev.End)
			}
		}
		fb, err := f.svc.FreeBusy(f.ctx, "x", fbq)
		if err != nil || !reflect.DeepEqual(fb.Users["carol"], want) {
			t.Errorf("carol's free/busy = %v, %v; want %v", fb.Users["carol"], err, want)
		}
		ics := exportOf(t, f, "lead", w.team.ID)
		for _, line := range []string{"DTSTART;TZID=Asia/Shanghai:20260303T090000", "DTSTART;VALUE=DATE:20260305", "DTEND;VALUE=DATE:20260306"} {
			if !strings.Contains(ics, line) {
				t.Errorf("export of the team calendar lacks %q:\n%s", line, ics)
			}
		}
	})
}

// A move re-checks the rooms like every other change: instances that have
// come within the booking horizon since the series was booked are checked,
// and a clash refuses the move and writes nothing.
func TestMoveEventRechecksRooms(t *testing.T) {
	forEachBackend(t, func(t *testing.T, f *fixture) {
		svc, err := New(context.Background(), f.st, WithClock(f.clk.Now), WithIDs(ids.Sequential("h_")), WithBookingHorizon(30*24*time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		f.svc = svc
		w := newMoveWorld(t, f)
		later := t0.AddDate(0, 0, 42) // a Monday, like t0
		f.event(t, "lead", Event{CalendarID: w.team.ID, Start: later, End: later.Add(time.Hour),
			Recurrence: &Recurrence{RRule: "FREQ=WEEKLY"}, Rooms: []string{w.room.ID}})
		// Weekly from now: its instances up to the horizon (30 days) are
		// free, so it is booked.
		ser := f.event(t, "ann", Event{CalendarID: w.ann.ID, Start: t0, End: t0.Add(time.Hour),
			Recurrence: &Recurrence{RRule: "FREQ=WEEKLY"}, Rooms: []string{w.room.ID}})
		f.clk.Advance(35 * 24 * time.Hour)
		before := changeCount(t, f)
		ks := eventKeys(t, f, ser.ID)
		rec, err := f.svc.System().Event(f.ctx, ser.ID)
		if err != nil {
			t.Fatal(err)
		}
		_, err = f.svc.MoveEvent(f.ctx, "ann", ser.ID, w.team.ID, 0)
		if !errors.Is(err, ErrRoomBooked) {
			t.Errorf("move: err = %v, want ErrRoomBooked", err)
		}
		if got := changeCount(t, f); got != before {
			t.Errorf("changes = %d, want %d", got, before)
		}
		if got := eventKeys(t, f, ser.ID); !equal(got, ks) {
			t.Errorf("keys = %q, want %q", got, ks)
		}
		if got, err := f.svc.System().Event(f.ctx, ser.ID); err != nil || !reflect.DeepEqual(got, rec) {
			t.Errorf("record = %+v, %v; want %+v", got, err, rec)
		}
		// An edit that leaves the times alone is refused the same way.
		if _, err := f.svc.UpdateEvent(f.ctx, "ann", ser.ID, EventPatch{Title: ptr("x")}); !errors.Is(err, ErrRoomBooked) {
			t.Errorf("update: err = %v, want ErrRoomBooked", err)
		}
	})
}
