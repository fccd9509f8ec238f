package calendar

import (
	"errors"
	"testing"
	"time"

	"github.com/workspace-go/workspace/store"
)

func starts(ins []Instance) []string {
	var out []string
	for _, in := range ins {
		out = append(out, in.Start.UTC().Format("01-02T15:04"))
	}
	return out
}

func TestInstanceExceptions(t *testing.T) {
	forEachBackend(t, func(t *testing.T, f *fixture) {
		cal := f.calendar(t, "ann", Calendar{})
		ser := f.event(t, "ann", Event{CalendarID: cal.ID, Title: "standup", Start: at(2, 9, 0), End: at(2, 9, 15),
			Recurrence: &Recurrence{RRule: "FREQ=DAILY;COUNT=5", ExDates: []time.Time{at(3, 9, 0)}, RDates: []time.Time{at(10, 12, 0)}}})
		if _, err := f.svc.UpdateInstance(f.ctx, "ann", ser.ID, at(4, 9, 0), InstanceChange{Title: ptr("standup (moved)"), Start: ptr(at(4, 11, 0))}); err != nil {
			t.Fatal(err)
		}
		if err := f.svc.CancelInstance(f.ctx, "ann", ser.ID, at(5, 9, 0)); err != nil {
			t.Fatal(err)
		}
		ins, err := items(f.svc.EventInstances(f.ctx, "ann", ser.ID, InstanceQuery{From: at(1, 0, 0), To: at(20, 0, 0)}))
		if err != nil {
			t.Fatal(err)
		}
		want := []string{"03-02T09:00", "03-04T11:00", "03-06T09:00", "03-10T12:00"}
		if got := starts(ins); !equal(got, want) {
			t.Errorf("instances = %v, want %v", got, want)
		}
		if !ins[1].Changed || ins[1].Title != "standup (moved)" || !ins[1].End.Equal(at(4, 11, 15)) || !ins[1].OriginalStart.Equal(at(4, 9, 0)) {
			t.Errorf("changed instance = %+v", ins[1])
		}
		// A moved instance shows up in a window around its new time only.
		ins, _ = items(f.svc.Instances(f.ctx, "ann", InstanceQuery{From: at(4, 10, 30), To: at(4, 12, 0)}))
		if got := starts(ins); !equal(got, []string{"03-04T11:00"}) {
			t.Errorf("window around the moved instance = %v", got)
		}
		// Errors: no such instance, a single event, an excluded start.
		if _, err := f.svc.UpdateInstance(f.ctx, "ann", ser.ID, at(4, 9, 5), InstanceChange{Title: ptr("x")}); !errors.Is(err, ErrNotFound) {
			t.Errorf("change at a non-instance: err = %v, want ErrNotFound", err)
		}
		if err := f.svc.CancelInstance(f.ctx, "ann", ser.ID, at(3, 9, 0)); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("cancel an excluded instance: err = %v, want ErrNotFound", err)
		}
		single := f.event(t, "ann", Event{CalendarID: cal.ID, Start: at(9, 9, 0), End: at(9, 10, 0)})
		if err := f.svc.CancelInstance(f.ctx, "ann", single.ID, at(9, 9, 0)); !errors.Is(err, store.ErrInvalid) {
			t.Errorf("cancel an instance of a single event: err = %v, want ErrInvalid", err)
		}
		all, err := items(f.svc.AllInstances(f.ctx, "ann", ser.ID, PageQuery{}))
		if err != nil || len(all) != 4 {
			t.Errorf("all instances = %d, %v; want 4", len(all), err)
		}
		open := f.event(t, "ann", Event{CalendarID: cal.ID, Start: at(2, 8, 0), End: at(2, 8, 30), Recurrence: &Recurrence{RRule: "FREQ=MINUTELY"}})
		if _, err := items(f.svc.AllInstances(f.ctx, "ann", open.ID, PageQuery{})); !errors.Is(err, ErrUnbounded) {
			t.Errorf("all instances of an unbounded rule: err = %v, want ErrUnbounded", err)
		}
	})
}

func TestWholeSeriesEditKeepsChangedInstancesThatStillApply(t *testing.T) {
	forEachBackend(t, func(t *testing.T, f *fixture) {
		cal := f.calendar(t, "ann", Calendar{})
		ser := f.event(t, "ann", Event{CalendarID: cal.ID, Title: "1:1", Start: at(2, 9, 0), End: at(2, 9, 30),
			Recurrence: &Recurrence{RRule: "FREQ=DAILY;COUNT=10"}})
		if _, err := f.svc.UpdateInstance(f.ctx, "ann", ser.ID, at(3, 9, 0), InstanceChange{Location: ptr("cafe")}); err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.UpdateInstance(f.ctx, "ann", ser.ID, at(9, 9, 0), InstanceChange{Title: ptr("1:1 with boss")}); err != nil {
			t.Fatal(err)
		}
		if err := f.svc.CancelInstance(f.ctx, "ann", ser.ID, at(4, 9, 0)); err != nil {
			t.Fatal(err)
		}
		// Retitle and shorten to 7 instances: the 9 March change no
		// longer applies, the others keep their own changes.
		ev, err := f.svc.UpdateEvent(f.ctx, "ann", ser.ID, EventPatch{Title: ptr("weekly 1:1"), Recurrence: &Recurrence{RRule: "FREQ=DAILY;COUNT=7"}})
		if err != nil {
			t.Fatal(err)
		}
		if len(ev.Exceptions) != 2 {
			t.Errorf("exceptions = %+v, want the 3 March change and the 4 March cancellation", ev.Exceptions)
		}
		ins, err := items(f.svc.EventInstances(f.ctx, "ann", ser.ID, InstanceQuery{From: at(1, 0, 0), To: at(20, 0, 0)}))
		if err != nil {
			t.Fatal(err)
		}
		if got, want := starts(ins), []string{"03-02T09:00", "03-03T09:00", "03-05T09:00", "03-06T09:00", "03-07T09:00", "03-08T09:00"}; !equal(got, want) {
			t.Errorf("instances = %v, want %v", got, want)
		}
		if ins[1].Title != "weekly 1:1" || ins[1].Location != "cafe" {
			t.Errorf("changed instance = %q at %q, want the new title at the cafe", ins[1].Title, ins[1].Location)
		}
		check := ins
		// Moving the whole series by an hour moves the cancellation and
		// the change with it.
		if _, err := f.svc.UpdateEvent(f.ctx, "ann", ser.ID, EventPatch{Start: ptr(at(2, 10, 0))}); err != nil {
			t.Fatal(err)
		}
		ins, _ = items(f.svc.EventInstances(f.ctx, "ann", ser.ID, InstanceQuery{From: at(1, 0, 0), To: at(20, 0, 0)}))
		if got, want := starts(ins), []string{"03-02T10:00", "03-03T10:00", "03-05T10:00", "03-06T10:00", "03-07T10:00", "03-08T10:00"}; !equal(got, want) {
			t.Errorf("after moving: instances = %v, want %v", got, want)
		}
		if len(ins) == len(check) && ins[1].Location != "cafe" {
			t.Errorf("after moving: changed instance at %q, want the cafe", ins[1].Location)
		}
	})
}

func TestThisAndFollowingLosesAndDuplicatesNothing(t *testing.T) {
	rules := []struct {
		name string
		rule string
	}{
		{"a COUNT rule", "FREQ=DAILY;COUNT=10"},
		{"an UNTIL rule", "FREQ=DAILY;UNTIL=20260311T090000Z"},
		{"a rule with BYDAY", "FREQ=WEEKLY;BYDAY=MO,WE,FR;COUNT=6"},
		{"an unbounded rule", "FREQ=DAILY"},
	}
	for _, r := range rules {
		t.Run(r.name, func(t *testing.T) {
			forEachBackend(t, func(t *testing.T, f *fixture) {
				cal := f.calendar(t, "ann", Calendar{})
				ser := f.event(t, "ann", Event{CalendarID: cal.ID, Title: "sync", Start: at(2, 9, 0), End: at(2, 10, 0),
					Recurrence: &Recurrence{RRule: r.rule, ExDates: []time.Time{at(3, 9, 0), at(9, 9, 0)}}})
				from, to := at(1, 0, 0), at(31, 0, 0)
				before, err := items(f.svc.Instances(f.ctx, "ann", InstanceQuery{From: from, To: to}))
				if err != nil {
					t.Fatal(err)
				}
				special := before[3].OriginalStart
				if _, err := f.svc.UpdateInstance(f.ctx, "ann", ser.ID, special, InstanceChange{Title: ptr("special")}); err != nil {
					t.Fatal(err)
				}
				split := before[2].OriginalStart
				tail, err := f.svc.UpdateFollowing(f.ctx, "ann", ser.ID, split, EventPatch{Title: ptr("sync v2")})
				if err != nil {
					t.Fatal(err)
				}
				if tail.ID == ser.ID {
					t.Fatalf("this and following from the third instance kept the id")
				}
				after, err := items(f.svc.Instances(f.ctx, "ann", InstanceQuery{From: from, To: to}))
				if err != nil {
					t.Fatal(err)
				}
				if got, want := starts(after), starts(before); !equal(got, want) {
					t.Fatalf("instances after the split =\n%v\nwant\n%v", got, want)
				}
				for i, in := range after {
					wantTitle := "sync"
					if i >= 2 {
						wantTitle = "sync v2"
					}
					if in.OriginalStart.Equal(special) {
						wantTitle = "special"
					}
					if in.Title != wantTitle {
						t.Errorf("instance %s titled %q, want %q", in.Start, in.Title, wantTitle)
					}
				}
				// Moving the following instances by an hour moves each once.
				if _, err := f.svc.UpdateFollowing(f.ctx, "ann", tail.ID, tail.Start, EventPatch{Start: ptr(tail.Start.Add(time.Hour))}); err != nil {
					t.Fatal(err)
				}
				moved, _ := items(f.svc.Instances(f.ctx, "ann", InstanceQuery{From: from, To: to}))
				if len(moved) != len(before) {
					t.Errorf("after moving: %d instances, want %d", len(moved), len(before))
				}
			})
		})
	}
}

func equal(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestDeleteFollowingFreesTheRoom(t *testing.T) {
	forEachBackend(t, func(t *testing.T, f *fixture) {
		cal := f.calendar(t, "ann", Calendar{})
		room := f.room(t, "K2", 4)
		ser := f.event(t, "ann", Event{CalendarID: cal.ID, Title: "daily", Start: at(2, 9, 0), End: at(2, 10, 0),
			Recurrence: &Recurrence{RRule: "FREQ=DAILY;COUNT=10"}, Rooms: []string{room.ID}})
		if _, err := f.svc.CreateEvent(f.ctx, "ann", Event{CalendarID: cal.ID, Start: at(8, 9, 0), End: at(8, 10, 0), Rooms: []string{room.ID}}); !errors.Is(err, ErrRoomBooked) {
			t.Fatalf("before: err = %v, want ErrRoomBooked", err)
		}
		if err := f.svc.DeleteFollowing(f.ctx, "ann", ser.ID, at(6, 9, 0)); err != nil {
			t.Fatal(err)
		}
		ins, err := items(f.svc.EventInstances(f.ctx, "ann", ser.ID, InstanceQuery{From: at(1, 0, 0), To: at(20, 0, 0)}))
		if err != nil {
			t.Fatal(err)
		}
		if got, want := starts(ins), []string{"03-02T09:00", "03-03T09:00", "03-04T09:00", "03-05T09:00"}; !equal(got, want) {
			t.Errorf("instances = %v, want %v", got, want)
		}
		if _, err := f.svc.CreateEvent(f.ctx, "ann", Event{CalendarID: cal.ID, Start: at(8, 9, 0), End: at(8, 10, 0), Rooms: []string{room.ID}}); err != nil {
			t.Errorf("after deleting the following instances: %v", err)
		}
		if err := f.svc.DeleteFollowing(f.ctx, "ann", ser.ID, at(2, 9, 0)); err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.Event(f.ctx, "ann", ser.ID); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("delete following from the first instance: err = %v, want ErrNotFound", err)
		}
	})
}

func TestThisAndFollowingForAllDayAndZonedSeries(t *testing.T) {
	ny, _ := time.LoadLocation("America/New_York")
	cases := []struct {
		name string
		ev   Event
	}{
		{"an all-day weekly series", Event{Title: "gym", AllDay: true, Start: at(2, 0, 0), TimeZone: "Asia/Shanghai",
			Recurrence: &Recurrence{RRule: "FREQ=WEEKLY;COUNT=6"}}},
		{"an all-day series with a date UNTIL", Event{Title: "trip", AllDay: true, Start: at(2, 0, 0), End: at(4, 0, 0),
			Recurrence: &Recurrence{RRule: "FREQ=WEEKLY;UNTIL=20260406"}}},
		{"a New York series across the DST change", Event{Title: "sync", TimeZone: "America/New_York",
			Start: time.Date(2026, 3, 2, 9, 0, 0, 0, ny), End: time.Date(2026, 3, 2, 9, 30, 0, 0, ny),
			Recurrence: &Recurrence{RRule: "FREQ=DAILY;UNTIL=20260320T130000Z"}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			forEachBackend(t, func(t *testing.T, f *fixture) {
				cal := f.calendar(t, "ann", Calendar{})
				c.ev.CalendarID = cal.ID
				ser := f.event(t, "ann", c.ev)
				from, to := at(1, 0, 0), at(1, 0, 0).AddDate(0, 3, 0)
				before, err := items(f.svc.EventInstances(f.ctx, "ann", ser.ID, InstanceQuery{From: from, To: to}))
				if err != nil {
					t.Fatal(err)
				}
				if len(before) < 4 {
					t.Fatalf("only %d instances", len(before))
				}
				if _, err := f.svc.UpdateFollowing(f.ctx, "ann", ser.ID, before[2].OriginalStart, EventPatch{Title: ptr("v2")}); err != nil {
					t.Fatal(err)
				}
				after, err := items(f.svc.Instances(f.ctx, "ann", InstanceQuery{From: from, To: to}))
				if err != nil {
					t.Fatal(err)
				}
				if got, want := starts(after), starts(before); !equal(got, want) {
					t.Errorf("after the split:\n%v\nwant\n%v", got, want)
				}
			})
		})
	}
}

func TestSeriesEndingAfter2262(t *testing.T) {
	forEachBackend(t, func(t *testing.T, f *fixture) {
		cal := f.calendar(t, "ann", Calendar{})
		ser := f.event(t, "ann", Event{CalendarID: cal.ID, Title: "anniversary", Start: at(2, 9, 0), End: at(2, 10, 0),
			Recurrence: &Recurrence{RRule: "FREQ=YEARLY;COUNT=300"}})
		all, err := items(f.svc.AllInstances(f.ctx, "ann", ser.ID, PageQuery{}))
		if err != nil || len(all) != 300 || all[299].Start.Year() != 2325 {
			t.Fatalf("all instances: %d, %v; want 300 ending in 2325", len(all), err)
		}
		from := time.Date(2100, 1, 1, 0, 0, 0, 0, time.UTC)
		fb, err := f.svc.FreeBusy(f.ctx, "x", FreeBusyQuery{From: from, To: from.AddDate(1, 0, 0), Users: []string{"ann"}})
		if err != nil || len(fb.Users["ann"]) != 1 {
			t.Errorf("free/busy in 2100 = %v, %v; want one block", fb.Users["ann"], err)
		}
	})
}
