package workspace_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/workspace-go/workspace"
	"github.com/workspace-go/workspace/calendar"
	bk "github.com/workspace-go/workspace/internal/backends"
	"github.com/workspace-go/workspace/store"
)

func TestAMeetingReminderReachesTheAttendeeOnceAsEventAndNotification(t *testing.T) {
	bk.Run(t, func(t *testing.T, openStore func(testing.TB) store.Store) {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		c := &testClock{t: day}
		ws := openFeed(t, openStore(t), c)
		addPeople(t, ws, "ann", "bob")
		cal, err := ws.Calendar.CreateCalendar(ctx, "ann", calendar.Calendar{Name: "ann", TimeZone: "UTC"})
		if err != nil {
			t.Fatal(err)
		}
		start := day.Add(2 * time.Hour)
		none := []calendar.Reminder{}
		ev, err := ws.Calendar.CreateEvent(ctx, "ann", calendar.Event{CalendarID: cal.ID, Title: "review", Start: start,
			End: start.Add(time.Hour), Reminders: &none, Attendees: []calendar.Attendee{{User: "bob", Reminders: &[]calendar.Reminder{{Minutes: 10}}}}})
		if err != nil {
			t.Fatal(err)
		}
		bob := events(t, ws, ctx, "bob", "")
		c.set(start.Add(-10 * time.Minute))
		for range 2 {
			if s, err := ws.Sweep(ctx); err != nil || s.MeetingReminders > 1 {
				t.Fatalf("Sweep = %+v, %v", s, err)
			}
		}
		got := collect(t, bob, 1)
		if got[0].Type != workspace.EventReminder || got[0].EventID != ev.ID || !got[0].InstanceStart.Equal(start) {
			t.Fatalf("bob's events %q, reminder %+v", types(got), got[0])
		}
		want := []string{"meeting_invited review", "meeting_reminder review"}
		if f := feed(t, ws, "bob"); !slices.Equal(f, want) {
			t.Fatalf("bob's feed %q, want %q", f, want)
		}
		if f := feed(t, ws, "ann"); slices.Contains(f, "meeting_reminder review") {
			t.Fatalf("ann, with no reminders, was reminded: %q", f)
		}
	})
}
