package task

import (
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/workspace-go/workspace/store"
)

func TestNudge(t *testing.T) {
	eachBackend(t, func(t *testing.T, open func(t *testing.T) store.Store) {
		e := newSvcEnv(t, open, WithNudgeInterval(5*time.Minute))
		tk := e.create("boss", Spec{Title: "report", Assignees: []string{"a", "b", "c"}, Followers: []string{"f"}})
		if _, err := e.svc.Complete(e.ctx, "b", tk.ID); err != nil {
			t.Fatal(err)
		}
		got, err := e.svc.Nudge(e.ctx, "boss", tk.ID)
		if err != nil || got.Type != ActNudged || !slices.Equal(got.Users, []string{"a", "c"}) || got.Seq == 0 || !got.At.Equal(svcStart) {
			t.Errorf("Nudge = %+v, %v; want a nudge of a and c", got, err)
		}
		ch := e.changes()
		last := ch[len(ch)-1]
		if last.Type != TaskNudged || !slices.Equal(last.Users, []string{"a", "c"}) || last.Actor != "boss" {
			t.Errorf("last change = %+v, want task.nudged for a and c", last)
		}

		e.clk.Advance(5*time.Minute - time.Second)
		_, err = e.svc.Nudge(e.ctx, "f", tk.ID)
		if !errors.Is(err, ErrTooSoon) || !errors.Is(err, store.ErrConflict) {
			t.Errorf("second nudge within the interval, by someone else: err = %v, want ErrTooSoon", err)
		}
		e.clk.Advance(time.Second)
		if _, err := e.svc.Nudge(e.ctx, "f", tk.ID); err != nil {
			t.Errorf("nudge by a follower after the interval: %v", err)
		}
		e.clk.Advance(time.Hour)
		if _, err := e.svc.Nudge(e.ctx, "a", tk.ID); !errors.Is(err, ErrPermission) {
			t.Errorf("nudge by an assignee: err = %v, want ErrPermission", err)
		}
		if _, err := e.svc.Nudge(e.ctx, "stranger", tk.ID); !errors.Is(err, ErrNotFound) {
			t.Errorf("nudge by a stranger: err = %v, want ErrNotFound", err)
		}
		for _, who := range []string{"a", "c"} {
			if _, err := e.svc.Complete(e.ctx, who, tk.ID); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := e.svc.Nudge(e.ctx, "boss", tk.ID); !errors.Is(err, ErrDone) {
			t.Errorf("nudge on a done task: err = %v, want ErrDone", err)
		}
		solo := e.create("boss", Spec{Title: "nobody"})
		if _, err := e.svc.Nudge(e.ctx, "boss", solo.ID); !errors.Is(err, ErrNoOneToNudge) {
			t.Errorf("nudge with no assignee: err = %v, want ErrNoOneToNudge", err)
		}
		back, err := e.svc.Get(e.ctx, "boss", tk.ID)
		if err != nil || !back.Nudged.Equal(svcStart.Add(5*time.Minute)) {
			t.Errorf("Nudged = %v, %v; want the time of the last nudge", back.Nudged, err)
		}
	})
}

func TestSweep(t *testing.T) {
	eachBackend(t, func(t *testing.T, open func(t *testing.T) store.Store) {
		e := newSvcEnv(t, open, WithReminderLead(time.Hour))
		// Due at 15:00 today: due-soon at 14:00, overdue at 15:00.
		timed := e.create("boss", Spec{Title: "timed", Assignees: []string{"a"}, Due: DueAt(svcStart.Add(5 * time.Hour))})
		// Due tomorrow: due-soon at 09:00 tomorrow, overdue at midnight after.
		dated := e.create("boss", Spec{Title: "dated", Assignees: []string{"a", "b"}, Due: DueOn(2025, 3, 13, shanghai)})
		done := e.create("boss", Spec{Title: "done", Assignees: []string{"a"}, Due: DueAt(svcStart.Add(time.Hour))})
		if _, err := e.svc.Complete(e.ctx, "a", done.ID); err != nil {
			t.Fatal(err)
		}
		next, ok, err := e.svc.NextSweep(e.ctx)
		if err != nil || !ok || !next.Equal(svcStart.Add(4*time.Hour)) {
			t.Errorf("NextSweep = %v, %v, %v; want 14:00", next, ok, err)
		}
		sweep := func(at time.Time, want ...string) {
			t.Helper()
			before := len(e.changes())
			n, err := e.svc.Sweep(e.ctx, at)
			if err != nil {
				t.Fatalf("Sweep(%v): %v", at, err)
			}
			var got []string
			for _, c := range e.changes()[before:] {
				got = append(got, string(c.Type)+" "+c.Task.Title)
			}
			if n != len(want) || !slices.Equal(got, want) {
				t.Errorf("Sweep(%v) = %d, %v; want %v", at, n, got, want)
			}
		}
		sweep(svcStart.Add(3 * time.Hour))
		sweep(svcStart.Add(4*time.Hour), "task.due_soon timed")
		sweep(svcStart.Add(4*time.Hour + time.Minute))
		sweep(svcStart.Add(5*time.Hour), "task.overdue timed")
		sweep(svcStart.Add(5 * time.Hour))
		sweep(time.Date(2025, 3, 13, 9, 0, 0, 0, shanghai), "task.due_soon dated")
		// The due moves to the 20th: reminders re-arm.
		later := DueOn(2025, 3, 20, shanghai)
		if _, err := e.svc.Update(e.ctx, "boss", dated.ID, Edit{Due: &later}); err != nil {
			t.Fatal(err)
		}
		sweep(time.Date(2025, 3, 14, 0, 0, 0, 0, shanghai))
		// A run missed for days catches up with only the overdue reminder.
		sweep(time.Date(2025, 3, 22, 0, 0, 0, 0, shanghai), "task.overdue dated")
		if _, ok, err := e.svc.NextSweep(e.ctx); ok || err != nil {
			t.Errorf("NextSweep with nothing pending = %v, %v", ok, err)
		}
		ch := e.changes()
		last := ch[len(ch)-1]
		if !slices.Equal(last.Users, []string{"a", "b"}) || last.Actor != "" {
			t.Errorf("overdue change = %+v, want users a and b and no actor", last)
		}
		// Reopening re-arms the overdue reminder.
		if _, err := e.svc.SetStatus(e.ctx, "boss", timed.ID, StatusDone); err != nil {
			t.Fatal(err)
		}
		if _, err := e.svc.Reopen(e.ctx, "boss", timed.ID); err != nil {
			t.Fatal(err)
		}
		sweep(time.Date(2025, 3, 22, 0, 0, 0, 0, shanghai), "task.overdue timed")
		e.checkIndex()
	})
}

func TestSweepBatches(t *testing.T) {
	eachBackend(t, func(t *testing.T, open func(t *testing.T) store.Store) {
		e := newSvcEnv(t, open)
		const n = sweepBatch*2 + 3
		for range n {
			e.create("boss", Spec{Title: "x", Assignees: []string{"a"}, Due: DueAt(svcStart.Add(time.Hour))})
		}
		got, err := e.svc.Sweep(e.ctx, svcStart.Add(2*time.Hour))
		if err != nil || got != n {
			t.Errorf("Sweep = %d, %v; want %d overdue reminders", got, err, n)
		}
		got, err = e.svc.Sweep(e.ctx, svcStart.Add(3*time.Hour))
		if err != nil || got != 0 {
			t.Errorf("second Sweep = %d, %v; want 0", got, err)
		}
	})
}
