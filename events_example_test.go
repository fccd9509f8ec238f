package workspace_test

import (
	"context"
	"fmt"
	"time"

	"github.com/workspace-go/workspace"
	"github.com/workspace-go/workspace/chat"
	"github.com/workspace-go/workspace/directory"
)

// A client keeps the Cursor of the last event it handled and resumes from
// it after a disconnect: nothing is lost or repeated.
func ExampleWorkspace_Events() {
	ctx := context.Background()
	ws, _ := workspace.Open(ctx, workspace.Options{InMemory: true, Admins: []string{"admin"}, Now: func() time.Time { return day }})
	defer ws.Close()
	for _, id := range []string{"ann", "bob"} {
		ws.Directory.CreateUser(ctx, "admin", directory.User{ID: id, Name: id, Departments: []string{directory.Root}})
	}
	ops, _ := ws.Chat.CreateGroup(ctx, "ann", chat.GroupOptions{Name: "ops", Members: []string{"bob"}})

	sctx, disconnect := context.WithCancel(ctx)
	s, _ := ws.Events(sctx, "bob", "")
	ws.Chat.Post(ctx, "ann", ops.ID, chat.Draft{Text: "deploy at 10"})
	ev := <-s.C()
	fmt.Println(ev.Type, ev.Message.Text)
	disconnect()

	ws.Chat.Post(ctx, "ann", ops.ID, chat.Draft{Text: "done"}) // while bob is away
	r, _ := ws.Events(ctx, "bob", ev.Cursor)
	ev = <-r.C()
	fmt.Println(ev.Type, ev.Message.Text)
	// Output:
	// message_posted deploy at 10
	// message_posted done
}

// Mentions land in the feed of the person mentioned, with an unread count.
func ExampleWorkspace_Notifications() {
	ctx := context.Background()
	ws, _ := workspace.Open(ctx, workspace.Options{InMemory: true, Notifications: true, Admins: []string{"admin"}, Now: func() time.Time { return day }})
	defer ws.Close()
	for _, id := range []string{"ann", "bob"} {
		ws.Directory.CreateUser(ctx, "admin", directory.User{ID: id, Name: id, Departments: []string{directory.Root}})
	}
	ops, _ := ws.Chat.CreateGroup(ctx, "ann", chat.GroupOptions{Name: "ops", Members: []string{"bob"}})
	ws.Chat.Post(ctx, "ann", ops.ID, chat.Draft{Text: "@bob can you review?"})
	ws.Sync(ctx)

	p, _ := ws.Notifications(ctx, "bob", workspace.NotificationQuery{})
	unread, _ := ws.UnreadNotifications(ctx, "bob")
	fmt.Println(p.Items[0].Cause, p.Items[0].Title, unread)
	// Output:
	// mention @bob can you review? 1
}
