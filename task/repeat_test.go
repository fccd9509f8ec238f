package task

import (
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/workspace-go/workspace/internal/backends"
	"github.com/workspace-go/workspace/store"
)

func TestRecurringTaskMakesTheNextOccurrenceWhenDone(t *testing.T) {
	eachBackend(t, func(t *testing.T, open func(t *testing.T) store.Store) {
		e := newSvcEnv(t, open)
		monday := DueAt(time.Date(2025, 3, 17, 10, 0, 0, 0, shanghai))
		src := Source{Kind: "chat.message", ID: "m1"}
		first := e.create("boss", Spec{
			Title: "weekly report", Assignees: []string{"bob", "amy"}, Followers: []string{"fay"}, Due: monday,
			Source: src, Checklist: []string{"numbers"}, Repeat: "FREQ=WEEKLY;BYDAY=MO",
		})
		if first.Repeat == nil || first.Repeat.Series != first.ID || first.Repeat.Index != 1 || !first.Repeat.Start.Equal(monday) {
			t.Fatalf("first occurrence repeat = %+v", first.Repeat)
		}
		if _, err := e.svc.CheckItem(e.ctx, "bob", first.ID, "1", true); err != nil {
			t.Fatal(err)
		}
		if _, err := e.svc.Complete(e.ctx, "bob", first.ID); err != nil {
			t.Fatal(err)
		}
		if p, _ := e.svc.BySource(e.ctx, "boss", src, ""); len(p.Items) != 1 {
			t.Fatalf("a part done made %d occurrences, want none yet", len(p.Items)-1)
		}
		before := len(e.changes())
		done, err := e.svc.Complete(e.ctx, "amy", first.ID)
		if err != nil || done.Status != StatusDone || done.Repeat.Next == "" {
			t.Fatalf("Complete = %+v, %v", done, err)
		}
		next, err := e.svc.Get(e.ctx, "fay", done.Repeat.Next)
		if err != nil {
			t.Fatal(err)
		}
		want := DueAt(time.Date(2025, 3, 24, 10, 0, 0, 0, shanghai))
		if !next.Due.Equal(want) || next.Status != StatusTodo || next.Creator != "boss" || next.Source != src ||
			!slices.Equal(next.Pending(), []string{"bob", "amy"}) || !slices.Equal(next.Followers, []string{"fay"}) ||
			len(next.Checklist) != 1 || next.Checklist[0].Done || next.Repeat.Index != 2 || next.Repeat.Series != first.ID {
			t.Errorf("next occurrence = %+v (repeat %+v), want due %v", next, next.Repeat, want)
		}
		var types []ChangeType
		for _, c := range e.changes()[before:] {
			types = append(types, c.Type)
		}
		if !slices.Equal(types, []ChangeType{TaskCompleted, TaskCreated}) {
			t.Errorf("completion appended %v, want the completion and then the next occurrence", types)
		}

		t.Run("reopening and finishing again makes no second occurrence", func(t *testing.T) {
			if _, err := e.svc.Reopen(e.ctx, "boss", first.ID); err != nil {
				t.Fatal(err)
			}
			if _, err := e.svc.SetStatus(e.ctx, "boss", first.ID, StatusDone); err != nil {
				t.Fatal(err)
			}
			if p, _ := e.svc.BySource(e.ctx, "boss", src, ""); len(p.Items) != 2 {
				t.Errorf("%d occurrences, want 2", len(p.Items))
			}
		})
		t.Run("an occurrence done late skips the instances already past", func(t *testing.T) {
			e.clk.Set(time.Date(2025, 4, 9, 12, 0, 0, 0, shanghai)) // a Wednesday, weeks later
			got, err := e.svc.SetStatus(e.ctx, "boss", next.ID, StatusDone)
			if err != nil {
				t.Fatal(err)
			}
			third, _ := e.svc.Get(e.ctx, "boss", got.Repeat.Next)
			if want := DueAt(time.Date(2025, 4, 14, 10, 0, 0, 0, shanghai)); !third.Due.Equal(want) || third.Repeat.Index != 3 {
				t.Errorf("third occurrence due %v (index %d), want %v", third.Due, third.Repeat.Index, want)
			}
			next = third
		})
		t.Run("editing the rule changes the occurrences after this one", func(t *testing.T) {
			daily := "FREQ=DAILY"
			if _, err := e.svc.Update(e.ctx, "boss", next.ID, Edit{Repeat: &daily}); err != nil {
				t.Fatal(err)
			}
			got, err := e.svc.SetStatus(e.ctx, "boss", next.ID, StatusDone)
			if err != nil {
				t.Fatal(err)
			}
			fourth, _ := e.svc.Get(e.ctx, "boss", got.Repeat.Next)
			if want := DueAt(time.Date(2025, 4, 15, 10, 0, 0, 0, shanghai)); !fourth.Due.Equal(want) || fourth.Repeat.Rule != daily || fourth.Repeat.Series != first.ID {
				t.Errorf("fourth occurrence due %v repeat %+v, want %v daily", fourth.Due, fourth.Repeat, want)
			}
			next = fourth
		})
		t.Run("stopping the series makes no next occurrence", func(t *testing.T) {
			stop := ""
			if got, err := e.svc.Update(e.ctx, "boss", next.ID, Edit{Repeat: &stop}); err != nil || got.Repeat != nil {
				t.Fatalf("stop = %+v, %v", got.Repeat, err)
			}
			before := len(e.changes())
			if _, err := e.svc.SetStatus(e.ctx, "boss", next.ID, StatusDone); err != nil {
				t.Fatal(err)
			}
			if n := len(e.changes()) - before; n != 1 {
				t.Errorf("finishing a stopped series appended %d records, want 1", n)
			}
		})
		e.checkIndex()
	})
}

func TestRecurringSeriesEndsWithItsRule(t *testing.T) {
	e := newSvcEnv(t, func(t *testing.T) store.Store { return backends.Mem(t) })
	// The last working day of each month, date-only.
	tk := e.create("boss", Spec{Title: "expenses", Assignees: []string{"bob"}, Due: DueOn(2025, 3, 31, shanghai),
		Repeat: "FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1;COUNT=2"})
	done, err := e.svc.Complete(e.ctx, "bob", tk.ID)
	if err != nil {
		t.Fatal(err)
	}
	second, err := e.svc.Get(e.ctx, "bob", done.Repeat.Next)
	if err != nil || !second.Due.Equal(DueOn(2025, 4, 30, shanghai)) {
		t.Fatalf("second occurrence due %v, %v; want 2025-04-30", second.Due, err)
	}
	done, err = e.svc.Complete(e.ctx, "bob", second.ID)
	if err != nil || done.Repeat.Next != "" {
		t.Errorf("after COUNT=2 the series goes on: %+v, %v", done.Repeat, err)
	}
}

func TestRecurrenceRulesWithoutAFutureOccurrenceAreRefused(t *testing.T) {
	e := newSvcEnv(t, func(t *testing.T) store.Store { return backends.Mem(t) })
	past := DueAt(time.Date(2025, 3, 3, 9, 0, 0, 0, shanghai))
	tests := []struct {
		name string
		sp   Spec
		want error
	}{
		{"a series of one instance, past", Spec{Due: past, Repeat: "FREQ=DAILY;COUNT=1"}, ErrNoOccurrence},
		{"a series that ended", Spec{Due: past, Repeat: "FREQ=DAILY;UNTIL=20250305T000000Z"}, ErrNoOccurrence},
		{"a rule that is not a rule", Spec{Due: past, Repeat: "FREQ=SOMETIMES"}, ErrInvalid},
		{"a rule with no due", Spec{Repeat: "FREQ=WEEKLY"}, ErrInvalid},
		{"a rule over MaxRule", Spec{Due: past, Repeat: "FREQ=DAILY;" + string(make([]byte, MaxRule))}, ErrTooLarge},
	}
	for _, tt := range tests {
		t.Run(tt.name+" is refused", func(t *testing.T) {
			tt.sp.Title = "t"
			if _, err := e.svc.Create(e.ctx, "boss", tt.sp); !errors.Is(err, tt.want) || !errors.Is(err, store.ErrInvalid) {
				t.Errorf("err = %v, want %v", err, tt.want)
			}
		})
	}
	if n := len(e.changes()); n != 0 {
		t.Errorf("refusals wrote %d records", n)
	}
	t.Run("a past start with a future instance is accepted", func(t *testing.T) {
		if _, err := e.svc.Create(e.ctx, "boss", Spec{Title: "t", Due: past, Repeat: "FREQ=DAILY;COUNT=30"}); err != nil {
			t.Error(err)
		}
	})
}
