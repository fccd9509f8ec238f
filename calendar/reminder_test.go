package calendar

import (
	"context"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/workspace-go/workspace/store"
)

// dueReminders returns the ReminderDue changes in the log as
// "user@instance-start/minutes" strings, in log order.
func dueReminders(t *testing.T, st store.Store) []string {
	t.Helper()
	var out []string
	var after uint64
	for {
		recs, next, err := st.Changes(context.Background(), after, 1000)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range recs {
			ch, ok, err := DecodeChange(c)
			if err != nil {
				t.Fatal(err)
			}
			if ok && ch.Type == ReminderDue {
				out = append(out, ch.User+"@"+ch.InstanceStart.UTC().Format(time.RFC3339)+"/"+ch.Title)
			}
		}
		if len(recs) == 0 || next == after {
			return out
		}
		after = next
	}
}

// sweepNew sweeps at at and returns the reminders it emitted, sorted.
func sweepNew(t *testing.T, f *fixture, at time.Time) []string {
	t.Helper()
	before := len(dueReminders(t, f.st))
	if _, err := f.svc.Sweep(f.ctx, at); err != nil {
		t.Fatal(err)
	}
	got := dueReminders(t, f.st)[before:]
	slices.Sort(got)
	return got
}

func TestRemindersAreEmittedOncePerInstancePerAttendeeWithTwoSweepers(t *testing.T) {
	forEachBackend(t, func(t *testing.T, f *fixture) {
		cal := f.calendar(t, "ann", Calendar{TimeZone: "UTC", DefaultReminders: []Reminder{DefaultReminder}})
		start := t0.Add(time.Hour) // 09:00
		f.event(t, "ann", Event{CalendarID: cal.ID, Title: "standup", Start: start, End: start.Add(15 * time.Minute),
			Attendees:  []Attendee{{User: "bob"}, {User: "cat", Status: Declined}},
			Recurrence: &Recurrence{RRule: "FREQ=DAILY;COUNT=3"}})
		other, err := New(f.ctx, f.st, WithClock(f.clk.Now))
		if err != nil {
			t.Fatal(err)
		}
		next, ok, err := f.svc.NextSweep(f.ctx)
		if err != nil || !ok || !next.Equal(start.Add(-15*time.Minute)) {
			t.Fatalf("NextSweep = %v %v %v, want %v", next, ok, err, start.Add(-15*time.Minute))
		}
		if n, err := f.svc.Sweep(f.ctx, next.Add(-time.Minute)); err != nil || n != 0 {
			t.Fatalf("early sweep = %d, %v", n, err)
		}
		var want []string
		for day := range 3 {
			at := start.AddDate(0, 0, day).Add(-10 * time.Minute)
			var wg sync.WaitGroup
			var total int
			var mu sync.Mutex
			for _, s := range []*Service{f.svc, other, f.svc, other} {
				wg.Add(1)
				go func() {
					defer wg.Done()
					n, err := s.Sweep(f.ctx, at)
					if err != nil {
						t.Error(err)
					}
					mu.Lock()
					total += n
					mu.Unlock()
				}()
			}
			wg.Wait()
			if total != 2 {
				t.Fatalf("day %d: emitted %d reminders, want 2", day, total)
			}
			inst := start.AddDate(0, 0, day).Format(time.RFC3339)
			want = append(want, "ann@"+inst+"/standup", "bob@"+inst+"/standup")
		}
		got := dueReminders(t, f.st)
		slices.Sort(got)
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Fatalf("reminders\n got %q\nwant %q", got, want)
		}
		if _, ok, err := f.svc.NextSweep(f.ctx); err != nil || ok {
			t.Fatalf("NextSweep after the series = %v, %v; want none", ok, err)
		}
	})
}

func TestEventAndAttendeeOverridesReplaceTheCalendarDefaults(t *testing.T) {
	forEachBackend(t, func(t *testing.T, f *fixture) {
		cal := f.calendar(t, "ann", Calendar{TimeZone: "UTC"})
		if err := f.svc.SetDefaultReminders(f.ctx, "ann", cal.ID, []Reminder{{Minutes: 30}}, nil); err != nil {
			t.Fatal(err)
		}
		start := t0.Add(2 * time.Hour) // 10:00
		defaults := f.event(t, "ann", Event{CalendarID: cal.ID, Title: "defaults", Start: start, End: start.Add(time.Hour)})
		_ = defaults
		own := f.event(t, "ann", Event{CalendarID: cal.ID, Title: "own", Start: start, End: start.Add(time.Hour),
			Reminders: &[]Reminder{{Minutes: 5}}, Attendees: []Attendee{{User: "bob"}}})
		none := []Reminder{}
		if err := f.svc.SetMyReminders(f.ctx, "bob", own.ID, &[]Reminder{{Minutes: 60}}); err != nil {
			t.Fatal(err)
		}
		f.event(t, "ann", Event{CalendarID: cal.ID, Title: "silent", Start: start, End: start.Add(time.Hour), Reminders: &none})
		check := func(at time.Time, want ...string) {
			t.Helper()
			if got := sweepNew(t, f, at); !slices.Equal(got, want) {
				t.Fatalf("sweep at %v: got %q, want %q", at, got, want)
			}
		}
		inst := start.Format(time.RFC3339)
		check(start.Add(-61 * time.Minute))
		check(start.Add(-60*time.Minute), "bob@"+inst+"/own")
		check(start.Add(-30*time.Minute), "ann@"+inst+"/defaults")
		check(start.Add(-5*time.Minute), "ann@"+inst+"/own")
		check(start.Add(time.Minute))
		if err := f.svc.SetMyReminders(f.ctx, "bob", defaults.ID, nil); err == nil {
			t.Fatal("SetMyReminders on an event bob is not invited to succeeded")
		}
		if _, err := f.svc.CreateEvent(f.ctx, "ann", Event{CalendarID: cal.ID, Title: "x", Start: start,
			Reminders: &[]Reminder{{Minutes: MaxReminderMinutes + 1}}}); err == nil {
			t.Fatal("a reminder beyond MaxReminderMinutes was accepted")
		}
		six := make([]Reminder, MaxReminders+1)
		for i := range six {
			six[i].Minutes = i
		}
		if err := f.svc.SetDefaultReminders(f.ctx, "ann", cal.ID, six, nil); err == nil {
			t.Fatal("more than MaxReminders defaults were accepted")
		}
	})
}

func TestAllDayRemindersFireAtNineTheDayBeforeInTheAttendeesZone(t *testing.T) {
	forEachBackend(t, func(t *testing.T, f *fixture) {
		cal := f.calendar(t, "ann", Calendar{TimeZone: "UTC", DefaultAllDayReminders: []Reminder{DefaultAllDayReminder}})
		if err := f.svc.SetWorkingHours(f.ctx, "ann", DefaultWorkingHours("Asia/Tokyo")); err != nil {
			t.Fatal(err)
		}
		if err := f.svc.SetWorkingHours(f.ctx, "bob", DefaultWorkingHours("America/New_York")); err != nil {
			t.Fatal(err)
		}
		day := time.Date(2026, 3, 10, 0, 0, 0, 0, time.UTC)
		f.event(t, "ann", Event{CalendarID: cal.ID, Title: "offsite", Start: day, AllDay: true, Attendees: []Attendee{{User: "bob"}}})
		tokyo := time.Date(2026, 3, 9, 9, 0, 0, 0, time.FixedZone("JST", 9*3600))
		ny := time.Date(2026, 3, 9, 9, 0, 0, 0, time.FixedZone("EDT", -4*3600)) // DST began 8 March
		inst := day.Format(time.RFC3339)
		for _, c := range []struct {
			at   time.Time
			want []string
		}{
			{tokyo.Add(-time.Minute), nil},
			{tokyo, []string{"ann@" + inst + "/offsite"}},
			{ny.Add(-time.Minute), nil},
			{ny, []string{"bob@" + inst + "/offsite"}},
		} {
			before := len(dueReminders(t, f.st))
			for range 2 {
				if _, err := f.svc.Sweep(f.ctx, c.at); err != nil {
					t.Fatal(err)
				}
			}
			got := dueReminders(t, f.st)[before:]
			if !slices.Equal(got, c.want) {
				t.Fatalf("sweep at %v: got %q, want %q", c.at, got, c.want)
			}
		}
	})
}

func TestSweepSkipsDeclinedAndCancelledInstancesAndDoesNotRepeatAfterAnEdit(t *testing.T) {
	forEachBackend(t, func(t *testing.T, f *fixture) {
		cal := f.calendar(t, "ann", Calendar{TimeZone: "UTC", DefaultReminders: []Reminder{{Minutes: 10}}})
		start := t0.Add(time.Hour)
		ev := f.event(t, "ann", Event{CalendarID: cal.ID, Title: "sync", Start: start, End: start.Add(time.Hour),
			Attendees: []Attendee{{User: "bob"}}, Recurrence: &Recurrence{RRule: "FREQ=DAILY;COUNT=3"}})
		if err := f.svc.RespondInstance(f.ctx, "bob", ev.ID, start, Declined); err != nil {
			t.Fatal(err)
		}
		if err := f.svc.CancelInstance(f.ctx, "ann", ev.ID, start.AddDate(0, 0, 1)); err != nil {
			t.Fatal(err)
		}
		sweep := func(at time.Time) []string { t.Helper(); return sweepNew(t, f, at) }
		inst := func(d int) string { return start.AddDate(0, 0, d).Format(time.RFC3339) }
		if got, want := sweep(start.Add(-5*time.Minute)), []string{"ann@" + inst(0) + "/sync"}; !slices.Equal(got, want) {
			t.Fatalf("day 0: %q, want %q (bob declined it)", got, want)
		}
		title := "sync (moved room)"
		f.clk.Set(start.Add(-4 * time.Minute))
		if _, err := f.svc.UpdateEvent(f.ctx, "ann", ev.ID, EventPatch{Location: &title}); err != nil {
			t.Fatal(err)
		}
		if got := sweep(start.Add(-3 * time.Minute)); len(got) != 0 {
			t.Fatalf("an edit re-sent %q", got)
		}
		if got := sweep(start.AddDate(0, 0, 1).Add(-5 * time.Minute)); len(got) != 0 {
			t.Fatalf("the cancelled instance sent %q", got)
		}
		want := []string{"ann@" + inst(2) + "/sync", "bob@" + inst(2) + "/sync"}
		if got := sweep(start.AddDate(0, 0, 2).Add(-5 * time.Minute)); !slices.Equal(got, want) {
			t.Fatalf("day 2: %q, want %q", got, want)
		}
		gone := f.event(t, "ann", Event{CalendarID: cal.ID, Title: "gone", Start: start.AddDate(0, 0, 5), End: start.AddDate(0, 0, 5).Add(time.Hour)})
		if err := f.svc.DeleteEvent(f.ctx, "ann", gone.ID); err != nil {
			t.Fatal(err)
		}
		if got := sweep(start.AddDate(0, 0, 5)); len(got) != 0 {
			t.Fatalf("a deleted event sent %q", got)
		}
		if _, ok, err := f.svc.NextSweep(f.ctx); err != nil || ok {
			t.Fatalf("NextSweep = %v, %v; want nothing pending", ok, err)
		}
	})
}

func TestSweepEmitsAReminderForEachOfManyAttendeesAcrossTransactions(t *testing.T) {
	forEachBackend(t, func(t *testing.T, f *fixture) {
		cal := f.calendar(t, "ann", Calendar{TimeZone: "UTC"})
		var as []Attendee
		for i := range 2*sweepEmits + 7 {
			as = append(as, Attendee{User: "u" + strconv.Itoa(i)})
		}
		start := t0.Add(time.Hour)
		f.event(t, "ann", Event{CalendarID: cal.ID, Title: "all hands", Start: start, End: start.Add(time.Hour), Attendees: as,
			Reminders: &[]Reminder{{Minutes: 30}, {At: start.Add(-45 * time.Minute)}}})
		n, err := f.svc.Sweep(f.ctx, start.Add(-20*time.Minute))
		if want := 2 * (len(as) + 1); err != nil || n != want {
			t.Fatalf("Sweep = %d, %v; want %d", n, err, want)
		}
		if n, err := f.svc.Sweep(f.ctx, start.Add(-10*time.Minute)); err != nil || n != 0 {
			t.Fatalf("second Sweep = %d, %v", n, err)
		}
	})
}
