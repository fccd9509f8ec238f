package workspace_test

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/workspace-go/workspace"
	"github.com/workspace-go/workspace/calendar"
	"github.com/workspace-go/workspace/chat"
	"github.com/workspace-go/workspace/directory"
	"github.com/workspace-go/workspace/docacl"
	"github.com/workspace-go/workspace/search"
	"github.com/workspace-go/workspace/store"
	"github.com/workspace-go/workspace/task"
)

// Example_readme is the README's "Use" section, checked: people in the
// directory, a message that becomes a task, a nudge, a room that cannot be
// double-booked, a departing employee's documents moving to the manager,
// and search as two people.
func Example_readme() {
	ctx := context.Background()
	beijing, _ := time.LoadLocation("Asia/Shanghai")
	now := time.Date(2025, 3, 10, 9, 0, 0, 0, beijing) // a Monday

	ws, err := workspace.Open(ctx, workspace.Options{
		InMemory: true,                 // or Dir: "data" (a bbolt file), or Store: a pgstore
		Tenant:   "acme",               // optional: one namespace per tenant in a shared store
		Admins:   []string{"it-admin"}, // who manages the directory
		Location: beijing,              // how "明天下午3点" and search dates are read
		Now:      func() time.Time { return now },
	})
	if err != nil {
		panic(err)
	}
	defer ws.Close()

	// Everyone who acts is a person of the directory.
	for _, u := range []directory.User{
		{ID: "wang", Name: "王总"},
		{ID: "lilei", Name: "李雷", Manager: "wang"},
		{ID: "bob", Name: "Bob", Manager: "lilei"},
		{ID: "zhangwei", Name: "张伟", Manager: "wang"},
	} {
		u.Departments = []string{directory.Root}
		if _, err := ws.Directory.CreateUser(ctx, "it-admin", u); err != nil {
			panic(err)
		}
	}

	// A message becomes a task (以事为中心), and the sender nudges (催办).
	ch, _ := ws.Chat.CreateChannel(ctx, "lilei", chat.ChannelOptions{Name: "q3", Private: true, Members: []string{"bob"}})
	msg, _ := ws.Chat.Post(ctx, "lilei", ch.ID, chat.Draft{Text: "@bob 明天下午3点前把报价单发给客户，紧急"})
	t, _ := ws.TaskFromMessage(ctx, "lilei", msg.ID, task.Spec{})
	fmt.Println("task:", t.Title, "for", t.Assignees[0].User, "due", t.Due, t.Priority)
	ws.Tasks.Nudge(ctx, "lilei", t.ID)
	_, err = ws.Tasks.Nudge(ctx, "lilei", t.ID)
	fmt.Println("nudge again at once:", store.Code(err), errors.Is(err, task.ErrTooSoon))

	// A weekly meeting in a room; a clashing booking is refused.
	room, _ := ws.Calendar.CreateCalendar(ctx, "it-admin", calendar.Calendar{Kind: calendar.Resource, Name: "3F A",
		Room: &calendar.Room{Name: "3F A", Capacity: 8}})
	mine, _ := ws.Calendar.CreateCalendar(ctx, "lilei", calendar.Calendar{Kind: calendar.Personal, Name: "李雷"})
	mon10 := time.Date(2025, 3, 17, 10, 0, 0, 0, beijing)
	_, err = ws.Calendar.CreateEvent(ctx, "lilei", calendar.Event{CalendarID: mine.ID, Title: "周会",
		Start: mon10, End: mon10.Add(time.Hour), TimeZone: "Asia/Shanghai", Rooms: []string{room.ID},
		Recurrence: &calendar.Recurrence{RRule: "FREQ=WEEKLY;BYDAY=MO"}})
	fmt.Println("weekly sync booked:", err == nil)
	bobs, _ := ws.Calendar.CreateCalendar(ctx, "bob", calendar.Calendar{Kind: calendar.Personal, Name: "Bob"})
	_, err = ws.Calendar.CreateEvent(ctx, "bob", calendar.Event{CalendarID: bobs.ID, Title: "client call",
		Start: mon10.AddDate(0, 0, 14), End: mon10.AddDate(0, 0, 14).Add(30 * time.Minute), Rooms: []string{room.ID}})
	fmt.Println("clash:", store.Code(err), errors.Is(err, calendar.ErrRoomBooked))

	// Everything 张伟 owns goes to his manager, in one step.
	doc, _ := ws.Docs.Create(ctx, "zhangwei", docacl.Resource{Kind: docacl.Document, Name: "报价单模板"})
	rep, _ := ws.Docs.Offboard(ctx, "it-admin", "zhangwei", docacl.OffboardOptions{})
	r, _ := ws.Docs.Resource(ctx, "wang", doc.ID)
	fmt.Println("offboarded:", rep.Resources, "document(s) now owned by", r.Owner)

	// Search shows each person only what they may see.
	ws.Sweep(ctx) // on a timer: reminders, expiries
	ws.Sync(ctx)  // the index follows the change log
	for _, user := range []string{"bob", "zhangwei"} {
		res, _ := ws.SearchAs(ctx, user, search.Request{Query: "报价单 from:lilei"})
		fmt.Println(user, "finds", res.Total)
	}
	// Output:
	// task: 把报价单发给客户 for bob due 2025-03-11 15:00 Asia/Shanghai high
	// nudge again at once: conflict true
	// weekly sync booked: true
	// clash: conflict true
	// offboarded: 1 document(s) now owned by wang
	// bob finds 2
	// zhangwei finds 0
}
