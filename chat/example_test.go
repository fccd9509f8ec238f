package chat_test

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/workspace-go/workspace/chat"
	"github.com/workspace-go/workspace/store/memstore"
)

// newExample returns a Service with a settable clock and readable ids, so
// the examples print the same every time. Real apps use chat.New(context.Background(), st).
func newExample() (*chat.Service, *time.Time) {
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	n := 0
	svc, err := chat.New(context.Background(), memstore.New(),
		chat.WithClock(func() time.Time { return now }),
		chat.WithIDs(func() string { n++; return fmt.Sprintf("id%03d", n) }),
		chat.WithCompliance(func(actor string) bool { return actor == "legal" }))
	if err != nil {
		panic(err)
	}
	return svc, &now
}

// Post messages, retry a send safely and count what a member has not read.
func Example() {
	ctx := context.Background()
	svc, _ := newExample()
	c, _ := svc.CreateChannel(ctx, "ann", chat.ChannelOptions{Name: "launch", Topic: "Friday release"})
	_ = svc.Join(ctx, "bob", c.ID)

	m, _ := svc.Post(ctx, "ann", c.ID, chat.Draft{Text: "@bob can you check the build?", ClientID: "phone-1"})
	retry, _ := svc.Post(ctx, "ann", c.ID, chat.Draft{Text: "@bob can you check the build?", ClientID: "phone-1"})
	fmt.Println("same message on retry:", retry.ID == m.ID, "mentions:", m.Mentions)

	_, _ = svc.Post(ctx, "ann", c.ID, chat.Draft{Text: "release at 5pm", Priority: chat.PriorityImportant})
	u, _ := svc.Unread(ctx, "bob", c.ID)
	fmt.Println("bob unread:", u.Messages, "mentions:", u.Mentions)

	_ = svc.MarkRead(ctx, "bob", c.ID, "")
	u, _ = svc.Unread(ctx, "bob", c.ID)
	fmt.Println("after reading:", u.Messages)
	// Output:
	// same message on retry: true mentions: [bob]
	// bob unread: 2 mentions: 1
	// after reading: 0
}

// Threads: replies update the root, repliers follow, the inbox shows
// unread replies.
func ExampleService_Post_thread() {
	ctx := context.Background()
	svc, clk := newExample()
	c, _ := svc.CreateGroup(ctx, "ann", chat.GroupOptions{Name: "design", Members: []string{"bob", "cat"}})
	root, _ := svc.Post(ctx, "ann", c.ID, chat.Draft{Text: "Which logo?"})
	*clk = clk.Add(time.Minute)
	r, _ := svc.Post(ctx, "bob", c.ID, chat.Draft{Text: "The blue one", ReplyTo: root.ID})
	*clk = clk.Add(time.Minute)
	// Replying to a reply joins the root's thread.
	_, _ = svc.Post(ctx, "cat", c.ID, chat.Draft{Text: "+1 @ann", ReplyTo: r.ID})

	root, _ = svc.Message(ctx, "ann", root.ID)
	fmt.Println("replies:", root.ReplyCount, "participants:", root.Participants, "last:", root.LastReplyAt.Format("15:04"))

	page, _ := svc.Inbox(ctx, "ann", chat.ListOptions{Cursor: "", Limit: 10})
	for _, ts := range page.Items {
		fmt.Printf("%q: %d unread, %d mention\n", ts.Root.Text, ts.UnreadReplies, ts.UnreadMentions)
	}
	replies, _ := svc.Replies(ctx, "ann", root.ID, chat.Query{})
	for _, m := range replies.Items {
		fmt.Println(m.Author+":", m.Text)
	}
	// Output:
	// replies: 2 participants: [bob cat] last: 09:02
	// "Which logo?": 2 unread, 1 mention
	// bob: The blue one
	// cat: +1 @ann
}

// Page through history around the first unread message.
func ExampleService_History() {
	ctx := context.Background()
	svc, _ := newExample()
	c, _ := svc.CreateGroup(ctx, "ann", chat.GroupOptions{Name: "ops", Members: []string{"bob"}})
	var ids []string
	for i := 1; i <= 6; i++ {
		m, _ := svc.Post(ctx, "ann", c.ID, chat.Draft{Text: fmt.Sprint("update ", i)})
		ids = append(ids, m.ID)
	}
	_ = svc.MarkRead(ctx, "bob", c.ID, ids[2])
	p, _ := svc.History(ctx, "bob", c.ID, chat.Query{AroundFirstUnread: true, Limit: 4, Order: chat.OldestFirst})
	for _, m := range p.Items {
		fmt.Println(m.Text)
	}
	// Next continues oldest first: the newer messages.
	next, _ := svc.History(ctx, "bob", c.ID, chat.Query{Cursor: p.Next, Order: chat.OldestFirst})
	fmt.Println("then:", next.Items[0].Text, "last page:", next.Next == "")
	// Output:
	// update 2
	// update 3
	// update 4
	// update 5
	// then: update 6 last page: true
}

// Edit, react, delete, then export the record as the enterprise sees it.
func ExampleService_Export() {
	ctx := context.Background()
	svc, _ := newExample()
	c, _ := svc.CreateGroup(ctx, "ann", chat.GroupOptions{Name: "deal", Members: []string{"bob"}})
	m, _ := svc.Post(ctx, "ann", c.ID, chat.Draft{Text: "price is 100"})
	_, _ = svc.Edit(ctx, "ann", m.ID, "price is 90")
	_ = svc.React(ctx, "bob", m.ID, "👍")
	_ = svc.SetLegalHold(ctx, "legal", c.ID, true)
	err := svc.Delete(ctx, "ann", m.ID)
	fmt.Println("delete under hold:", err)
	_ = svc.Export(ctx, "legal", c.ID, os.Stdout)
	// Output:
	// delete under hold: chat: delete message "id002": conversation under legal hold: permission denied
	// {"id":"id002","conversation":"id001","author":"ann","seq":1,"text":"price is 90","priority":"normal","created_at":"2026-03-02T09:00:00Z","edited_at":"2026-03-02T09:00:00Z","version":2,"reactions":[{"emoji":"👍","count":1,"users":["bob"]}],"versions":[{"version":1,"text":"price is 100","at":"2026-03-02T09:00:00Z"}]}
}

// Live events follow the store's change log.
func ExampleService_Subscribe() {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	svc, _ := newExample()
	c, _ := svc.CreateGroup(ctx, "ann", chat.GroupOptions{Name: "news", Members: []string{"bob"}})
	sub, _ := svc.Subscribe(ctx, "bob")
	events := sub.C()
	m, _ := svc.Post(ctx, "ann", c.ID, chat.Draft{Text: "hello"})
	_ = svc.React(ctx, "ann", m.ID, "🎉")
	for range 2 {
		e := <-events
		fmt.Println(e.Type, e.Actor)
	}
	// Output:
	// message.created ann
	// reaction.added ann
}

// Read receipts: the sender of a group message sees who has read it and
// who has not (已读 · 未读), and learns live when that changes.
func ExampleService_Receipts() {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	svc, _ := newExample()
	c, _ := svc.CreateGroup(ctx, "ann", chat.GroupOptions{Name: "sales", Members: []string{"bob", "cat", "dan"}})
	sub, _ := svc.Subscribe(ctx, "ann")
	events := sub.C()
	m, _ := svc.Post(ctx, "ann", c.ID, chat.Draft{Text: "Quote sent to the customer"})
	_ = svc.MarkRead(ctx, "bob", c.ID, "")

	r, _ := svc.Receipts(ctx, "ann", m.ID)
	fmt.Printf("已读 %d · 未读 %d, read: %v, unread: %v\n", r.ReadCount, r.UnreadCount, r.Read, r.Unread)
	for range 2 {
		e := <-events
		fmt.Println(e.Type, e.User, e.MessageIDs)
	}
	_, err := svc.Receipts(ctx, "bob", m.ID)
	fmt.Println(err)
	// Output:
	// 已读 1 · 未读 2, read: [bob], unread: [cat dan]
	// message.created  []
	// receipts.changed bob [id002]
	// chat: read receipts of message "id002": only the author or a compliance officer sees who read a message: permission denied
}
