package calendar_test

import (
	"context"
	"fmt"
	"time"

	"github.com/workspace-go/workspace/calendar"
	"github.com/workspace-go/workspace/store/memstore"
)

// A calendar's default reminder fires 15 minutes before each instance;
// Sweep emits it once per person, however often it runs.
func ExampleService_Sweep() {
	ctx := context.Background()
	st := memstore.New()
	defer st.Close()
	now := time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC)
	svc, _ := calendar.New(ctx, st, calendar.WithClock(func() time.Time { return now }))
	team, _ := svc.CreateCalendar(ctx, "ann", calendar.Calendar{Name: "Team",
		DefaultReminders: []calendar.Reminder{calendar.DefaultReminder}})
	start := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	svc.CreateEvent(ctx, "ann", calendar.Event{CalendarID: team.ID, Title: "Review", Start: start,
		End: start.Add(time.Hour), Attendees: []calendar.Attendee{{User: "bob"}}})

	next, _, _ := svc.NextSweep(ctx)
	fmt.Println("next sweep:", next.Format("15:04"))
	n, _ := svc.Sweep(ctx, next)
	again, _ := svc.Sweep(ctx, next.Add(time.Minute))
	fmt.Println("reminders:", n, "then", again)
	// Output:
	// next sweep: 09:45
	// reminders: 2 then 0
}
