// Command quickstart shows the library in memory: a post, a thread, a task
// made from the post, and search as two people.
//
//	go run ./examples/quickstart
package main

import (
	"context"
	"fmt"
	"log"
	"strings"
	"time"

	"github.com/workspace-go/workspace"
	"github.com/workspace-go/workspace/chat"
	"github.com/workspace-go/workspace/directory"
	"github.com/workspace-go/workspace/search"
	"github.com/workspace-go/workspace/task"
)

func main() {
	ctx := context.Background()
	// Dates are read and shown in the team's zone.
	newYork, err := time.LoadLocation("America/New_York")
	if err != nil {
		log.Fatal(err)
	}
	ws, err := workspace.Open(ctx, workspace.Options{InMemory: true, Location: newYork, Admins: []string{"admin"}})
	if err != nil {
		log.Fatal(err)
	}
	defer ws.Close()

	// People are in the directory before they act.
	for _, name := range []string{"Ana", "Bob", "Eve"} {
		u := directory.User{ID: strings.ToLower(name), Name: name, Departments: []string{directory.Root}}
		if _, err := ws.Directory.CreateUser(ctx, "admin", u); err != nil {
			log.Fatal(err)
		}
	}

	// A group chat, a request, and a reply in its thread.
	team, err := ws.Chat.CreateGroup(ctx, "ana", chat.GroupOptions{Name: "launch", Members: []string{"bob"}})
	if err != nil {
		log.Fatal(err)
	}
	req, err := ws.Chat.Post(ctx, "ana", team.ID, chat.Draft{Text: "@bob please send the launch deck by Friday EOD"})
	if err != nil {
		log.Fatal(err)
	}
	if _, err := ws.Chat.Post(ctx, "bob", team.ID, chat.Draft{Text: "on it", ReplyTo: req.ID}); err != nil {
		log.Fatal(err)
	}
	thread, err := ws.Chat.Thread(ctx, "ana", req.ID)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("thread: %d reply, from %s\n", thread.Root.ReplyCount, strings.Join(thread.Root.Participants, ", "))

	// The request becomes a task for bob, due Friday, linked to the message.
	t, err := ws.TaskFromMessage(ctx, "ana", req.ID, task.Spec{})
	if err != nil {
		log.Fatal(err)
	}
	due := t.Due.Local().Format("Monday 2 January, 3:04 PM MST")
	if t.Due.Precision == task.PrecisionDay {
		due = t.Due.Local().Format("Monday 2 January") + " (end of day, " + t.Due.Location + ")"
	}
	fmt.Printf("task: %q for %s, due %s\n", t.Title, t.Assignees[0].User, due)

	// Search sees only what each person may see.
	if err := ws.Sync(ctx); err != nil {
		log.Fatal(err)
	}
	for _, user := range []string{"bob", "eve"} {
		res, err := ws.SearchAs(ctx, user, search.Request{Query: "deck"})
		if err != nil {
			log.Fatal(err)
		}
		var kinds []string
		for _, k := range []string{search.KindMessage, search.KindTask} {
			if n := res.Kinds[k]; n > 0 {
				kinds = append(kinds, fmt.Sprintf("%d %s", n, k))
			}
		}
		if len(kinds) == 0 {
			kinds = []string{"nothing"}
		}
		fmt.Printf("%s searches \"deck\": %s\n", user, strings.Join(kinds, ", "))
	}
}
