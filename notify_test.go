package workspace_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/workspace-go/workspace"
	"github.com/workspace-go/workspace/calendar"
	"github.com/workspace-go/workspace/chat"
	"github.com/workspace-go/workspace/docacl"
	bk "github.com/workspace-go/workspace/internal/backends"
	"github.com/workspace-go/workspace/store"
	"github.com/workspace-go/workspace/task"
)

// clock is a settable test clock.
type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *testClock) now() time.Time  { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *testClock) set(t time.Time) { c.mu.Lock(); c.t = t; c.mu.Unlock() }

func openFeed(t *testing.T, st store.Store, c *testClock) *workspace.Workspace {
	return open(t, st, "acme", func(o *workspace.Options) {
		o.Notifications = true
		o.Now = c.now
	})
}

func feed(t *testing.T, ws *workspace.Workspace, user string) []string {
	t.Helper()
	ctx := context.Background()
	if err := ws.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	var out []string
	q := workspace.NotificationQuery{Limit: 2}
	for {
		p, err := ws.Notifications(ctx, user, q)
		if err != nil {
			t.Fatal(err)
		}
		for _, n := range p.Items {
			out = append(out, string(n.Cause)+" "+n.Title)
		}
		if p.Next == "" {
			break
		}
		q.Cursor = p.Next
	}
	slices.Reverse(out) // oldest first
	return out
}

func TestNotificationFeedCausesAndReadState(t *testing.T) {
	bk.Run(t, func(t *testing.T, openStore func(testing.TB) store.Store) {
		ctx := context.Background()
		ws := openFeed(t, openStore(t), &testClock{t: day})
		addPeople(t, ws, "ann", "bob", "carol")
		g, err := ws.Chat.CreateGroup(ctx, "ann", chat.GroupOptions{Name: "g", Members: []string{"bob", "carol"}})
		if err != nil {
			t.Fatal(err)
		}
		post := func(actor, conv string, d chat.Draft) chat.Message {
			m, err := ws.Chat.Post(ctx, actor, conv, d)
			if err != nil {
				t.Fatal(err)
			}
			return m
		}
		post("ann", g.ID, chat.Draft{Text: "plain, no one notified"})
		post("ann", g.ID, chat.Draft{Text: "@bob look"})
		post("ann", g.ID, chat.Draft{Text: "@大家 standup"})
		root := post("bob", g.ID, chat.Draft{Text: "thread root"})
		post("carol", g.ID, chat.Draft{Text: "a reply", ReplyTo: root.ID})
		dm, err := ws.Chat.OpenDirect(ctx, "carol", "bob")
		if err != nil {
			t.Fatal(err)
		}
		post("carol", dm.ID, chat.Draft{Text: "psst"})
		tk, err := ws.Tasks.Create(ctx, "ann", task.Spec{Title: "report", Assignees: []string{"bob"}})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := ws.Tasks.Nudge(ctx, "ann", tk.ID); err != nil {
			t.Fatal(err)
		}
		cal, err := ws.Calendar.CreateCalendar(ctx, "ann", calendar.Calendar{Name: "Ann", TimeZone: "UTC"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := ws.Calendar.CreateEvent(ctx, "ann", calendar.Event{CalendarID: cal.ID, Title: "Review",
			Start: day.Add(24 * time.Hour), End: day.Add(25 * time.Hour), Attendees: []calendar.Attendee{{User: "bob"}}}); err != nil {
			t.Fatal(err)
		}
		doc, err := ws.Docs.Create(ctx, "ann", docacl.Resource{Kind: docacl.Document, Name: "Plan"})
		if err != nil {
			t.Fatal(err)
		}
		if err := ws.Docs.Grant(ctx, "ann", doc.ID, docacl.UserKey("bob"), docacl.Viewer, docacl.GrantOptions{}); err != nil {
			t.Fatal(err)
		}

		want := []string{"mention @bob look", "mention @大家 standup", "thread_reply a reply", "direct_message psst",
			"task_assigned report", "task_nudged report", "meeting_invited Review", "doc_shared "}
		if got := feed(t, ws, "bob"); !slices.Equal(got, want) {
			t.Fatalf("bob's feed\n got %q\nwant %q", got, want)
		}
		if got := feed(t, ws, "ann"); len(got) != 0 {
			t.Fatalf("ann, who did everything, got %q", got)
		}
		n, err := ws.UnreadNotifications(ctx, "bob")
		if err != nil || n != len(want) {
			t.Fatalf("unread = %d, %v; want %d", n, err, len(want))
		}
		p, _ := ws.Notifications(ctx, "bob", workspace.NotificationQuery{Limit: 1})
		if err := ws.MarkNotificationRead(ctx, "bob", p.Items[0].ID); err != nil {
			t.Fatal(err)
		}
		if err := ws.MarkNotificationRead(ctx, "bob", p.Items[0].ID); err != nil {
			t.Fatal(err) // again: nothing changes
		}
		if n, _ := ws.UnreadNotifications(ctx, "bob"); n != len(want)-1 {
			t.Fatalf("unread after one read = %d", n)
		}
		if p, _ := ws.Notifications(ctx, "bob", workspace.NotificationQuery{Limit: 1}); !p.Items[0].Read {
			t.Fatal("the notification marked read is not read")
		}
		if err := ws.MarkNotificationRead(ctx, "bob", "999999"); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("mark unknown = %v", err)
		}
		if m, err := ws.MarkAllNotificationsRead(ctx, "bob"); err != nil || m != len(want)-1 {
			t.Fatalf("mark all = %d, %v", m, err)
		}
		if n, _ := ws.UnreadNotifications(ctx, "bob"); n != 0 {
			t.Fatalf("unread after all read = %d", n)
		}
		if _, err := ws.Notifications(ctx, "bob", workspace.NotificationQuery{Limit: workspace.MaxNotificationPage + 1}); !errors.Is(err, store.ErrInvalid) {
			t.Fatalf("oversized page = %v", err)
		}
	})
}

func TestNotificationRulesMuteMentionsOnlyDNDAndUrgent(t *testing.T) {
	bk.Run(t, func(t *testing.T, openStore func(testing.TB) store.Store) {
		ctx := context.Background()
		c := &testClock{t: day} // 10:00 UTC = 18:00 in Shanghai
		ws := openFeed(t, openStore(t), c)
		addPeople(t, ws, "ann", "bob")
		g1, _ := ws.Chat.CreateGroup(ctx, "ann", chat.GroupOptions{Name: "muted", Members: []string{"bob"}})
		g2, _ := ws.Chat.CreateGroup(ctx, "ann", chat.GroupOptions{Name: "quiet", Members: []string{"bob"}})
		dm, _ := ws.Chat.OpenDirect(ctx, "ann", "bob")
		err := ws.SetNotificationSettings(ctx, "bob", workspace.NotificationSettings{
			Muted: []string{g1.ID}, MentionsOnly: []string{g2.ID, dm.ID},
			DNDStart: "17:30", DNDEnd: "19:00", Zone: "Asia/Shanghai"})
		if err != nil {
			t.Fatal(err)
		}
		post := func(conv string, d chat.Draft) {
			if _, err := ws.Chat.Post(ctx, "ann", conv, d); err != nil {
				t.Fatal(err)
			}
		}
		post(g1.ID, chat.Draft{Text: "@bob muted wins"})
		post(dm.ID, chat.Draft{Text: "dm, mentions only"})
		post(g2.ID, chat.Draft{Text: "@bob held"})
		post(g2.ID, chat.Draft{Text: "@bob urgent", Priority: chat.PriorityUrgent})
		if got, want := feed(t, ws, "bob"), []string{"mention @bob urgent"}; !slices.Equal(got, want) {
			t.Fatalf("during DND bob has %q, want %q", got, want)
		}
		if n, _ := ws.ReleaseNotifications(ctx); n != 0 {
			t.Fatalf("released %d before the end of DND", n)
		}
		c.set(day.Add(time.Hour)) // 19:00 in Shanghai
		if s, err := ws.Sweep(ctx); s.Released != 1 || err != nil {
			t.Fatalf("Sweep released %d, %v; want 1", s.Released, err)
		}
		if n, _ := ws.ReleaseNotifications(ctx); n != 0 {
			t.Fatalf("released %d again", n)
		}
		// The feed is in the order of the causes; Delivered says when.
		if got, want := feed(t, ws, "bob"), []string{"mention @bob held", "mention @bob urgent"}; !slices.Equal(got, want) {
			t.Fatalf("after DND bob has %q, want %q", got, want)
		}
		p, _ := ws.Notifications(ctx, "bob", workspace.NotificationQuery{})
		if held := p.Items[1]; !held.Delivered.Equal(day.Add(time.Hour)) || !held.At.Equal(day) {
			t.Fatalf("held notification at %v delivered %v", held.At, held.Delivered)
		}
		if urgent := p.Items[0]; !urgent.Urgent || !urgent.Delivered.Equal(day) {
			t.Fatalf("urgent notification %+v", urgent)
		}
		for _, bad := range []workspace.NotificationSettings{{DNDStart: "25:00", DNDEnd: "08:00"}, {Zone: "Mars/Olympus"},
			{Muted: make([]string, workspace.MaxNotificationRules+1)}} {
			if err := ws.SetNotificationSettings(ctx, "bob", bad); !errors.Is(err, store.ErrInvalid) {
				t.Fatalf("settings %+v = %v, want ErrInvalid", bad, err)
			}
		}
	})
}

func TestNotificationsOnceWithTwoNodes(t *testing.T) {
	type node struct{ a, b store.Store }
	nodes := map[string]func(t *testing.T) node{
		"memstore": func(t *testing.T) node { st := bk.Mem(t); return node{st, st} },
	}
	if len(bk.All()) > 2 {
		nodes["pgstore"] = func(t *testing.T) node {
			s := bk.FreshSchema(t)
			return node{bk.PGSchema(t, s), bk.PGSchema(t, s)}
		}
	}
	for name, mk := range nodes {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			n := mk(t)
			c := &testClock{t: day}
			a := openFeed(t, n.a, c)
			addPeople(t, a, "ann", "bob")
			b := openFeed(t, n.b, c)
			g, err := a.Chat.CreateGroup(ctx, "ann", chat.GroupOptions{Name: "g", Members: []string{"bob"}})
			if err != nil {
				t.Fatal(err)
			}
			var want []string
			for i := range 40 {
				w := []*workspace.Workspace{a, b}[i%2]
				if _, err := w.Chat.Post(ctx, "ann", g.ID, chat.Draft{Text: fmt.Sprint("@bob ", i)}); err != nil {
					t.Fatal(err)
				}
				want = append(want, fmt.Sprint("mention @bob ", i))
			}
			if err := b.Sync(ctx); err != nil {
				t.Fatal(err)
			}
			if got := feed(t, a, "bob"); !slices.Equal(got, want) {
				t.Fatalf("feed\n got %q\nwant %q", got, want)
			}
			if n, _ := a.UnreadNotifications(ctx, "bob"); n != len(want) {
				t.Fatalf("unread %d, want %d", n, len(want))
			}
		})
	}
}

func TestTaskRemindersBecomeEventsAndNotificationsOnce(t *testing.T) {
	bk.Run(t, func(t *testing.T, openStore func(testing.TB) store.Store) {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		c := &testClock{t: day}
		ws := openFeed(t, openStore(t), c)
		addPeople(t, ws, "boss", "bob")
		bob := events(t, ws, ctx, "bob", "")
		if _, err := ws.Tasks.Create(ctx, "boss", task.Spec{Title: "send the quote", Assignees: []string{"bob"},
			Due: task.DueAt(day.Add(3 * time.Hour))}); err != nil {
			t.Fatal(err)
		}
		c.set(day.Add(150 * time.Minute))
		for range 2 { // a second sweep reminds nobody again
			if _, err := ws.Sweep(ctx); err != nil {
				t.Fatal(err)
			}
		}
		c.set(day.Add(4 * time.Hour))
		if _, err := ws.Sweep(ctx); err != nil {
			t.Fatal(err)
		}
		if got, want := types(collect(t, bob, 3)), []string{"task_created", "task_due_soon", "task_overdue"}; !slices.Equal(got, want) {
			t.Fatalf("bob's events %v, want %v", got, want)
		}
		want := []string{"task_assigned send the quote", "task_due_soon send the quote", "task_overdue send the quote"}
		if got := feed(t, ws, "bob"); !slices.Equal(got, want) {
			t.Fatalf("bob's feed %q, want %q", got, want)
		}
	})
}
