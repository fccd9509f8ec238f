// Command quickstart shows the library in memory: a post, a thread, a task
// made from the post, and search as two people.
//
//	go run ./examples/quickstart
package main

import (
	"context"
	"fmt"
	"log"

	"github.com/workspace-go/workspace"
	"github.com/workspace-go/workspace/chat"
	"github.com/workspace-go/workspace/search"
	"github.com/workspace-go/workspace/task"
)

func main() {
	ctx := context.Background()
	ws, err := workspace.Open(ctx, workspace.Options{InMemory: true})
	if err != nil {
		log.Fatal(err)
	}
	defer ws.Close()

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
	fmt.Printf("thread: %d reply from %v\n", thread.Root.ReplyCount, thread.Root.Participants)

	// The request becomes a task for bob, due Friday, linked to the message.
	t, err := ws.TaskFromMessage(ctx, "ana", req.ID, task.Spec{})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("task: %q for %s, due %s\n", t.Title, t.Assignees[0].User, t.Due)

	// Search sees only what each person may see.
	if err := ws.Sync(ctx); err != nil {
		log.Fatal(err)
	}
	for _, user := range []string{"bob", "eve"} {
		res, err := ws.SearchAs(ctx, user, search.Request{Query: "deck"})
		if err != nil {
			log.Fatal(err)
		}
		fmt.Printf("%s searches \"deck\": %d result(s) %v\n", user, res.Total, res.Kinds)
	}
}
