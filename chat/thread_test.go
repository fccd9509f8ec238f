package chat_test

import (
	"fmt"
	"testing"

	"github.com/workspace-go/workspace/chat"
	"github.com/workspace-go/workspace/store"
)

func TestThreadSummaryIsKeptOnTheRoot(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		c := e.group(t, "ann", "bob", "cat")
		root := e.post(t, "ann", c.ID, "plan?")
		e.clk.Advance(1e9)
		r1 := e.reply(t, "bob", c.ID, root.ID, "yes")
		e.clk.Advance(1e9)
		// A reply to a reply joins the root's thread.
		r2 := e.reply(t, "cat", c.ID, r1.ID, "me too")
		e.reply(t, "bob", c.ID, root.ID, "again")
		if r2.Root != root.ID || r2.ThreadSeq != 2 {
			t.Errorf("got root %q seq %d for a reply to a reply, want %q seq 2", r2.Root, r2.ThreadSeq, root.ID)
		}
		got, err := e.svc.Message(e.ctx, "ann", root.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.ReplyCount != 3 || !got.LastReplyAt.Equal(t0.Add(2e9)) || !equal(got.Participants, []string{"bob", "cat"}) {
			t.Errorf("got count %d last %v participants %v, want 3, %v, [bob cat]", got.ReplyCount, got.LastReplyAt, got.Participants, t0.Add(2e9))
		}
		if err := e.svc.Delete(e.ctx, "cat", r2.ID); err != nil {
			t.Fatal(err)
		}
		got, _ = e.svc.Message(e.ctx, "ann", root.ID)
		if got.ReplyCount != 2 {
			t.Errorf("got reply count %d after a delete, want 2", got.ReplyCount)
		}
		// Thread-only replies stay out of the timeline.
		h, _ := e.svc.History(e.ctx, "ann", c.ID, chat.Query{})
		if !equal(texts(h.Items), []string{"plan?"}) {
			t.Errorf("got timeline %v, want just the root", texts(h.Items))
		}
	})
}

func TestRepliesArePaged(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		c := e.group(t, "ann", "bob")
		root := e.post(t, "ann", c.ID, "root")
		var ids []string
		for i := range 7 {
			ids = append(ids, e.reply(t, "bob", c.ID, root.ID, fmt.Sprint(i)).ID)
		}
		p, err := e.svc.Replies(e.ctx, "ann", root.ID, chat.Query{Limit: 3})
		if err != nil {
			t.Fatal(err)
		}
		if !equal(texts(p.Items), []string{"4", "5", "6"}) || p.Next != "" {
			t.Errorf("got %v next=%q, want the newest three, oldest first, nothing after", texts(p.Items), p.Next)
		}
		p, err = e.svc.Replies(e.ctx, "ann", root.ID, chat.Query{After: ids[1], Limit: 3})
		if err != nil {
			t.Fatal(err)
		}
		if !equal(texts(p.Items), []string{"2", "3", "4"}) || p.Next == "" {
			t.Errorf("got %v next=%q, want 2 3 4 with more after", texts(p.Items), p.Next)
		}
		p, err = e.svc.Replies(e.ctx, "ann", root.ID, chat.Query{Cursor: p.Next, Limit: 3})
		if err != nil {
			t.Fatal(err)
		}
		if !equal(texts(p.Items), []string{"5", "6"}) || p.Next != "" {
			t.Errorf("got %v next=%q after the cursor, want 5 6 and the end", texts(p.Items), p.Next)
		}
		p, _ = e.svc.Replies(e.ctx, "ann", ids[3], chat.Query{Before: ids[2], Order: chat.NewestFirst})
		if !equal(texts(p.Items), []string{"1", "0"}) || p.Next != "" {
			t.Errorf("got %v next=%q, want 1 0 and nothing older", texts(p.Items), p.Next)
		}
		_, err = e.svc.Replies(e.ctx, "ann", root.ID, chat.Query{After: root.ID})
		wantErr(t, err, store.ErrInvalid)
		_, err = e.svc.Replies(e.ctx, "zed", root.ID, chat.Query{})
		wantErr(t, err, chat.ErrNotFound) // a group zed is not in: not found
	})
}

func TestAlsoSendToConversation(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		c := e.group(t, "ann", "bob")
		root := e.post(t, "ann", c.ID, "root")
		r, err := e.svc.Post(e.ctx, "bob", c.ID, chat.Draft{Text: "decided", ReplyTo: root.ID, AlsoToConversation: true})
		if err != nil {
			t.Fatal(err)
		}
		if r.Seq != 2 || !r.AlsoInConversation {
			t.Errorf("got seq %d also=%v, want a timeline position", r.Seq, r.AlsoInConversation)
		}
		if _, err := e.svc.Edit(e.ctx, "bob", r.ID, "decided: go"); err != nil {
			t.Fatal(err)
		}
		h, _ := e.svc.History(e.ctx, "ann", c.ID, chat.Query{Order: chat.OldestFirst})
		p, _ := e.svc.Replies(e.ctx, "ann", root.ID, chat.Query{})
		if !equal(texts(h.Items), []string{"root", "decided: go"}) || !equal(texts(p.Items), []string{"decided: go"}) {
			t.Errorf("got timeline %v and thread %v, want the edited reply in both", texts(h.Items), texts(p.Items))
		}
		if u := e.unread(t, "ann", c.ID); u.Messages != 1 {
			t.Errorf("got %d unread, want the reply sent to the conversation", u.Messages)
		}
	})
}

func TestFollowingAndThreadUnread(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		c := e.group(t, "ann", "bob", "cat", "dan")
		root := e.post(t, "ann", c.ID, "root")
		e.reply(t, "bob", c.ID, root.ID, "first")
		e.reply(t, "bob", c.ID, root.ID, "ping @cat")
		e.reply(t, "bob", c.ID, root.ID, "to @all")
		summary := func(u string) chat.ThreadSummary {
			t.Helper()
			ts, err := e.svc.Thread(e.ctx, u, root.ID)
			if err != nil {
				t.Fatal(err)
			}
			return ts
		}
		cases := []struct {
			name                      string
			user                      string
			following                 bool
			unreadReplies, unreadMent int
		}{
			{"the root's author follows and has everything unread", "ann", true, 3, 1},
			{"the replier follows and has read his replies", "bob", true, 0, 0},
			{"a member mentioned by name follows from the mention", "cat", true, 2, 2},
			{"a bystander does not follow", "dan", false, 3, 1},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				ts := summary(tc.user)
				if ts.Following != tc.following || ts.UnreadReplies != tc.unreadReplies || ts.UnreadMentions != tc.unreadMent {
					t.Errorf("got following=%v unread=%d mentions=%d, want %v %d %d",
						ts.Following, ts.UnreadReplies, ts.UnreadMentions, tc.following, tc.unreadReplies, tc.unreadMent)
				}
			})
		}
		t.Run("marking read clears the thread's unread", func(t *testing.T) {
			if err := e.svc.MarkThreadRead(e.ctx, "cat", root.ID, ""); err != nil {
				t.Fatal(err)
			}
			if ts := summary("cat"); ts.UnreadReplies != 0 || ts.UnreadMentions != 0 {
				t.Errorf("got %+v, want nothing unread", ts)
			}
		})
		t.Run("follow and unfollow are explicit", func(t *testing.T) {
			if err := e.svc.Follow(e.ctx, "dan", root.ID); err != nil {
				t.Fatal(err)
			}
			wantErr(t, e.svc.Follow(e.ctx, "dan", root.ID), store.ErrConflict)
			if ts := summary("dan"); !ts.Following || ts.UnreadReplies != 0 {
				t.Errorf("got %+v, want following with the past read", ts)
			}
			if err := e.svc.Unfollow(e.ctx, "ann", root.ID); err != nil {
				t.Fatal(err)
			}
			e.reply(t, "bob", c.ID, root.ID, "still there?")
			if ts := summary("ann"); ts.Following {
				t.Error("the root's author was made to follow again after unfollowing")
			}
			if ts := summary("dan"); ts.UnreadReplies != 1 {
				t.Errorf("got %d unread for a new follower, want 1", ts.UnreadReplies)
			}
		})
	})
}

func TestThreadInbox(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		c := e.group(t, "ann", "bob")
		var roots []chat.Message
		for i := range 5 {
			roots = append(roots, e.post(t, "ann", c.ID, fmt.Sprint("topic ", i)))
		}
		for i, r := range roots {
			e.clk.Advance(1e9)
			e.reply(t, "bob", c.ID, r.ID, fmt.Sprint("re ", i))
		}
		e.clk.Advance(1e9)
		e.reply(t, "bob", c.ID, roots[1].ID, "bump @ann") // topic 1 is now the newest
		var got []string
		var unread []int
		cursor := ""
		for page := 0; ; page++ {
			p, err := e.svc.Inbox(e.ctx, "ann", chat.ListOptions{Cursor: cursor, Limit: 2})
			if err != nil {
				t.Fatal(err)
			}
			if len(p.Items) > 2 || page > 5 {
				t.Fatalf("got %d threads on page %d", len(p.Items), page)
			}
			for _, ts := range p.Items {
				got = append(got, ts.Root.Text)
				unread = append(unread, ts.UnreadReplies*10+ts.UnreadMentions)
			}
			if p.Next == "" {
				break
			}
			cursor = p.Next
		}
		want := []string{"topic 1", "topic 4", "topic 3", "topic 2", "topic 0"}
		if !equal(got, want) || !equal(unread, []int{21, 10, 10, 10, 10}) {
			t.Errorf("got inbox %v unread %v, want %v [21 10 10 10 10]", got, unread, want)
		}
		if err := e.svc.Unfollow(e.ctx, "ann", roots[4].ID); err != nil {
			t.Fatal(err)
		}
		p, _ := e.svc.Inbox(e.ctx, "ann", chat.ListOptions{Cursor: "", Limit: 0})
		if len(p.Items) != 4 {
			t.Errorf("got %d threads after unfollowing one, want 4", len(p.Items))
		}
		_, err := e.svc.Inbox(e.ctx, "ann", chat.ListOptions{Cursor: "%%%", Limit: 0})
		wantErr(t, err, store.ErrInvalid)
	})
}

func TestLeavingHidesThreadsFromTheInbox(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		a := e.group(t, "ann", "bob")
		b := e.group(t, "ann", "bob")
		ra := e.post(t, "bob", a.ID, "in a")
		rb := e.post(t, "bob", b.ID, "in b")
		e.reply(t, "ann", a.ID, ra.ID, "re a")
		e.reply(t, "ann", b.ID, rb.ID, "re b")
		if err := e.svc.Leave(e.ctx, "bob", a.ID); err != nil {
			t.Fatal(err)
		}
		p, err := e.svc.Inbox(e.ctx, "bob", chat.ListOptions{Cursor: "", Limit: 0})
		if err != nil {
			t.Fatal(err)
		}
		if len(p.Items) != 1 || p.Items[0].Root.ID != rb.ID {
			t.Errorf("got %d threads, want only the one in the conversation bob stayed in", len(p.Items))
		}
	})
}
