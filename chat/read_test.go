package chat_test

import (
	"fmt"
	"testing"

	"github.com/workspace-go/workspace/chat"
	"github.com/workspace-go/workspace/store"
)

func TestUnreadCounts(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		c := e.group(t, "ann", "bob")
		var ms []chat.Message
		for i := range 5 {
			ms = append(ms, e.post(t, "ann", c.ID, fmt.Sprint("m", i)))
		}
		e.post(t, "ann", c.ID, "@bob look")
		steps := []struct {
			name        string
			do          func() error
			user        string
			msgs, ments int
		}{
			{"the author has nothing unread", nil, "ann", 0, 0},
			{"a member has everything unread", nil, "bob", 6, 1},
			{"reading up to a message", func() error { return e.svc.MarkRead(e.ctx, "bob", c.ID, ms[2].ID) }, "bob", 3, 1},
			{"a delete after the cursor", func() error { return e.svc.Delete(e.ctx, "ann", ms[4].ID) }, "bob", 2, 1},
			{"a delete before the cursor", func() error { return e.svc.Delete(e.ctx, "ann", ms[0].ID) }, "bob", 2, 1},
			{"reading everything", func() error { return e.svc.MarkRead(e.ctx, "bob", c.ID, "") }, "bob", 0, 0},
			{"marking unread again", func() error { return e.svc.MarkRead(e.ctx, "bob", c.ID, ms[1].ID) }, "bob", 3, 1},
			{"posting reads everything before", func() error { _, err := e.svc.Post(e.ctx, "bob", c.ID, chat.Draft{Text: "ok"}); return err }, "bob", 0, 0},
			{"a new member starts with nothing unread", func() error { return e.svc.AddMember(e.ctx, "ann", c.ID, "cat") }, "cat", 0, 0},
		}
		for _, s := range steps {
			if s.do != nil {
				if err := s.do(); err != nil {
					t.Fatalf("%s: %v", s.name, err)
				}
			}
			if got := e.unread(t, s.user, c.ID); got.Messages != s.msgs || got.Mentions != s.ments {
				t.Errorf("%s: got %+v, want %d unread, %d mentions", s.name, got, s.msgs, s.ments)
			}
		}
		_, err := e.svc.Unread(e.ctx, "zed", c.ID)
		wantErr(t, err, chat.ErrNotFound)
		wantErr(t, e.svc.MarkRead(e.ctx, "bob", c.ID, "nope"), store.ErrNotFound)
	})
}

func TestHistoryPaging(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		c := e.group(t, "ann", "bob")
		var ids []string
		for i := range 10 {
			ids = append(ids, e.post(t, "ann", c.ID, fmt.Sprint(i)).ID)
		}
		if err := e.svc.MarkRead(e.ctx, "bob", c.ID, ids[5]); err != nil {
			t.Fatal(err)
		}
		cases := []struct {
			name        string
			user        string
			q           chat.Query
			want        []string
			more, after bool
		}{
			{"the newest page", "ann", chat.Query{Limit: 3}, []string{"9", "8", "7"}, true, false},
			{"oldest first", "ann", chat.Query{Limit: 3, Order: chat.OldestFirst}, []string{"7", "8", "9"}, true, false},
			{"before a message", "ann", chat.Query{Before: ids[3]}, []string{"2", "1", "0"}, false, true},
			{"after a message", "ann", chat.Query{After: ids[3], Limit: 2, Order: chat.OldestFirst}, []string{"4", "5"}, true, true},
			{"between two messages", "ann", chat.Query{After: ids[3], Before: ids[6], Order: chat.OldestFirst}, []string{"4", "5"}, true, true},
			{"around a message", "ann", chat.Query{Around: ids[4], Limit: 4, Order: chat.OldestFirst}, []string{"2", "3", "4", "5"}, true, true},
			{"around the first unread", "bob", chat.Query{AroundFirstUnread: true, Limit: 4, Order: chat.OldestFirst}, []string{"4", "5", "6", "7"}, true, true},
			{"around the first unread with nothing unread", "ann", chat.Query{AroundFirstUnread: true, Limit: 2, Order: chat.OldestFirst}, []string{"8", "9"}, true, false},
			{"after the newest", "ann", chat.Query{After: ids[9]}, []string{}, true, false},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				p, err := e.svc.History(e.ctx, tc.user, c.ID, tc.q)
				if err != nil {
					t.Fatal(err)
				}
				// Next continues in the page's order: older messages
				// newest first, newer ones oldest first.
				wantNext := tc.more
				if tc.q.Order == chat.OldestFirst {
					wantNext = tc.after
				}
				if got := texts(p.Items); !equal(got, tc.want) || (p.Next != "") != wantNext {
					t.Errorf("got %v next=%q, want %v next=%v", got, p.Next, tc.want, wantNext)
				}
			})
		}
		_, err := e.svc.History(e.ctx, "ann", c.ID, chat.Query{Before: "nope"})
		wantErr(t, err, chat.ErrNotFound)
	})
}

func TestUnreadCountsCoverEveryConversation(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		a := e.group(t, "ann", "bob")
		d, err := e.svc.OpenDirect(e.ctx, "bob", "ann")
		if err != nil {
			t.Fatal(err)
		}
		e.post(t, "ann", a.ID, "one")
		e.post(t, "ann", a.ID, "two @bob")
		e.post(t, "bob", d.ID, "hi")
		got, err := e.svc.UnreadCounts(e.ctx, "ann", chat.ListOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if len(got.Items) != 2 || got.Items[0].Conversation.ID != a.ID || got.Items[0].Unread.Messages != 0 || got.Items[1].Unread.Messages != 1 {
			t.Errorf("got %+v, want nothing unread in the group and one in the direct", got)
		}
		got, _ = e.svc.UnreadCounts(e.ctx, "bob", chat.ListOptions{})
		if len(got.Items) != 2 || got.Items[0].Unread.Messages != 2 || got.Items[0].Unread.Mentions != 1 {
			t.Errorf("got %+v, want two unread with one mention in the group", got)
		}
	})
}
