package calendar_test

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/workspace-go/workspace/calendar"
	"github.com/workspace-go/workspace/store/memstore"
)

// Booking a room is part of creating the event: the second, overlapping
// booking fails and names the clash.
func Example() {
	ctx := context.Background()
	st := memstore.New()
	defer st.Close()
	now := func() time.Time { return time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC) }
	n := 0
	nextID := func() string { n++; return fmt.Sprintf("id%03d", n) }
	svc, _ := calendar.New(context.Background(), st, calendar.WithClock(now), calendar.WithIDs(nextID))

	everest, _ := svc.CreateCalendar(ctx, "facilities", calendar.Calendar{
		Kind: calendar.Resource,
		Room: &calendar.Room{Name: "Everest", Building: "HQ", Floor: "3", Capacity: 8, Equipment: []string{"video"}},
	})
	ann, _ := svc.CreateCalendar(ctx, "ann", calendar.Calendar{Name: "Ann", TimeZone: "Asia/Shanghai"})
	bob, _ := svc.CreateCalendar(ctx, "bob", calendar.Calendar{Name: "Bob", TimeZone: "Asia/Shanghai"})

	sh, _ := time.LoadLocation("Asia/Shanghai")
	start := time.Date(2026, 3, 3, 10, 0, 0, 0, sh)
	standup, err := svc.CreateEvent(ctx, "ann", calendar.Event{
		CalendarID: ann.ID, Title: "Standup", Start: start, End: start.Add(15 * time.Minute),
		Recurrence: &calendar.Recurrence{RRule: "FREQ=WEEKLY;BYDAY=TU,TH"},
		Attendees:  []calendar.Attendee{{User: "bob"}},
		Rooms:      []string{everest.ID},
	})
	fmt.Println("standup booked:", err == nil)

	_, err = svc.CreateEvent(ctx, "bob", calendar.Event{
		CalendarID: bob.ID, Title: "Interview", Start: start.AddDate(0, 0, 2).Add(10 * time.Minute), End: start.AddDate(0, 0, 2).Add(time.Hour),
		Rooms: []string{everest.ID},
	})
	fmt.Println("interview refused:", errors.Is(err, calendar.ErrRoomBooked))

	// Carol may see only free/busy on Ann's calendar: no title.
	_ = svc.Subscribe(ctx, "carol", ann.ID)
	ins, _ := svc.Instances(ctx, "carol", calendar.InstanceQuery{From: start, To: start.AddDate(0, 0, 7)})
	for _, in := range ins.Items {
		fmt.Printf("%s %q busy-only=%v\n", in.Start.In(sh).Format("Mon 15:04"), in.Title, in.BusyOnly)
	}
	fb, _ := svc.FreeBusy(ctx, "carol", calendar.FreeBusyQuery{From: start, To: start.Add(24 * time.Hour), Users: []string{"bob"}})
	fmt.Println("bob busy:", fb.Users["bob"])
	_ = standup
	// Output:
	// standup booked: true
	// interview refused: true
	// Tue 10:00 "" busy-only=true
	// Thu 10:00 "" busy-only=true
	// bob busy: [{2026-03-03 02:00:00 +0000 UTC 2026-03-03 02:15:00 +0000 UTC}]
}

// Moving an event from a personal calendar to a team's shared calendar:
// it keeps its times, attendees and room, and readers of the team
// calendar now see it.
func ExampleService_MoveEvent() {
	ctx := context.Background()
	st := memstore.New()
	defer st.Close()
	now := func() time.Time { return time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC) }
	n := 0
	nextID := func() string { n++; return fmt.Sprintf("id%03d", n) }
	svc, _ := calendar.New(context.Background(), st, calendar.WithClock(now), calendar.WithIDs(nextID))

	ann, _ := svc.CreateCalendar(ctx, "ann", calendar.Calendar{Name: "Ann"})
	team, _ := svc.CreateCalendar(ctx, "lead", calendar.Calendar{Kind: calendar.Shared, Name: "Sales team", Public: true})
	_ = svc.Share(ctx, "lead", team.ID, "ann", calendar.Writer)
	start := time.Date(2026, 3, 4, 9, 0, 0, 0, time.UTC)
	ev, _ := svc.CreateEvent(ctx, "ann", calendar.Event{
		CalendarID: ann.ID, Title: "Pipeline review", Start: start, End: start.Add(time.Hour),
		Attendees: []calendar.Attendee{{User: "bob"}},
	})

	// Carol may not write Ann's calendar: refused, nothing moves.
	_, err := svc.MoveEvent(ctx, "carol", ev.ID, team.ID, 0)
	fmt.Println("carol refused:", errors.Is(err, calendar.ErrPermission))

	moved, err := svc.MoveEvent(ctx, "ann", ev.ID, team.ID, ev.Revision)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("now on:", moved.CalendarID == team.ID, "organizer:", moved.Organizer, "start:", moved.Start.Format(time.RFC3339))

	ins, _ := svc.CalendarInstances(ctx, "dave", team.ID, calendar.InstanceQuery{From: start, To: start.Add(24 * time.Hour)})
	for _, in := range ins.Items {
		fmt.Printf("dave reads the team calendar: %q\n", in.Title)
	}
	// Output:
	// carol refused: true
	// now on: true organizer: ann start: 2026-03-04T09:00:00Z
	// dave reads the team calendar: "Pipeline review"
}
