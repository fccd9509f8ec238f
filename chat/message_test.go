package chat_test

import (
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/workspace-go/workspace/chat"
	"github.com/workspace-go/workspace/store"
)

func TestPostRejectsBadInputAndWritesNothing(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		c := e.group(t, "ann", "bob")
		root := e.post(t, "ann", c.ID, "root")
		other := e.group(t, "ann")
		foreign := e.post(t, "ann", other.ID, "elsewhere")
		cases := []struct {
			name  string
			actor string
			conv  string
			d     chat.Draft
			want  error
		}{
			{"empty text", "ann", c.ID, chat.Draft{Text: ""}, chat.ErrBadText},
			{"whitespace-only text", "ann", c.ID, chat.Draft{Text: " \n\t\u3000"}, chat.ErrBadText},
			{"text over the limit", "ann", c.ID, chat.Draft{Text: strings.Repeat("字", chat.MaxTextLength+1)}, chat.ErrTooLarge},
			{"invalid UTF-8", "ann", c.ID, chat.Draft{Text: "hi \xc3\x28"}, chat.ErrBadText},
			{"an unknown priority", "ann", c.ID, chat.Draft{Text: "hi", Priority: "asap"}, store.ErrInvalid},
			{"an unknown conversation", "ann", "nope", chat.Draft{Text: "hi"}, chat.ErrNotFound},
			{"a reply to an unknown message", "ann", c.ID, chat.Draft{Text: "hi", ReplyTo: "nope"}, chat.ErrNotFound},
			{"a reply to another conversation's message", "ann", c.ID, chat.Draft{Text: "hi", ReplyTo: foreign.ID}, store.ErrNotFound},
			{"also-to-conversation without a thread", "ann", c.ID, chat.Draft{Text: "hi", AlsoToConversation: true}, store.ErrInvalid},
			{"a non-member", "zed", c.ID, chat.Draft{Text: "hi", ReplyTo: root.ID}, chat.ErrNotFound},
			{"an empty actor", "", c.ID, chat.Draft{Text: "hi"}, store.ErrInvalid},
			{"an oversized client id", "ann", c.ID, chat.Draft{Text: "hi", ClientID: strings.Repeat("x", 129)}, store.ErrInvalid},
		}
		for _, tc := range cases {
			t.Run("refuses "+tc.name, func(t *testing.T) {
				before := e.last(t)
				_, err := e.svc.Post(e.ctx, tc.actor, tc.conv, tc.d)
				wantErr(t, err, tc.want)
				if got := e.last(t); got != before {
					t.Errorf("got log position %d after a failed post, want %d", got, before)
				}
			})
		}
		t.Run("accepts exactly the limit", func(t *testing.T) {
			if _, err := e.svc.Post(e.ctx, "ann", c.ID, chat.Draft{Text: strings.Repeat("字", chat.MaxTextLength)}); err != nil {
				t.Error(err)
			}
		})
		p, err := e.svc.History(e.ctx, "ann", c.ID, chat.Query{})
		if err != nil {
			t.Fatal(err)
		}
		if len(p.Items) != 2 {
			t.Errorf("got %d messages, want the root and the long one", len(p.Items))
		}
	})
}

func TestRetriedSendReturnsTheOriginal(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		c := e.group(t, "ann", "bob")
		first, err := e.svc.Post(e.ctx, "ann", c.ID, chat.Draft{Text: "hello", ClientID: "c-1"})
		if err != nil {
			t.Fatal(err)
		}
		before := e.last(t)
		again, err := e.svc.Post(e.ctx, "ann", c.ID, chat.Draft{Text: "hello", ClientID: "c-1"})
		if err != nil {
			t.Fatal(err)
		}
		if again.ID != first.ID || again.Seq != first.Seq {
			t.Errorf("got %s/%d on retry, want the original %s/%d", again.ID, again.Seq, first.ID, first.Seq)
		}
		if got := e.last(t); got != before {
			t.Errorf("a retry wrote %d changes, want none", got-before)
		}
		// The same client id from another author is another message.
		other, err := e.svc.Post(e.ctx, "bob", c.ID, chat.Draft{Text: "hello", ClientID: "c-1"})
		if err != nil {
			t.Fatal(err)
		}
		if other.ID == first.ID {
			t.Error("got the same message for another author's client id")
		}
		p, _ := e.svc.History(e.ctx, "ann", c.ID, chat.Query{})
		if len(p.Items) != 2 {
			t.Errorf("got %d messages, want 2", len(p.Items))
		}
	})
}

func TestMentionsArePartOfTheMessage(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		c := e.group(t, "ann", "bob", "cat")
		m := e.post(t, "ann", c.ID, "@bob and @cat, please; mail ann@example.com @all")
		if !equal(m.Mentions, []string{"bob", "cat"}) || !m.MentionAll {
			t.Errorf("got mentions %v all=%v, want [bob cat] and all", m.Mentions, m.MentionAll)
		}
		if m.Priority != chat.PriorityNormal {
			t.Errorf("got priority %q, want normal", m.Priority)
		}
		um, err := e.svc.Post(e.ctx, "bob", c.ID, chat.Draft{Text: "fire", Priority: chat.PriorityUrgent})
		if err != nil {
			t.Fatal(err)
		}
		got, err := e.svc.Message(e.ctx, "cat", um.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Priority != chat.PriorityUrgent {
			t.Errorf("got priority %q, want urgent", got.Priority)
		}
	})
}

func TestEditKeepsHistory(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		c := e.group(t, "ann", "bob")
		m := e.post(t, "ann", c.ID, "helo @bob")
		e.clk.Advance(1e9)
		if _, err := e.svc.Edit(e.ctx, "bob", m.ID, "hacked"); !errorsIs(err, chat.ErrPermission) {
			t.Errorf("got %v editing someone else's message, want ErrPermission", err)
		}
		_, err := e.svc.Edit(e.ctx, "ann", m.ID, " ")
		wantErr(t, err, chat.ErrBadText)
		ed, err := e.svc.Edit(e.ctx, "ann", m.ID, "hello @cat")
		if err != nil {
			t.Fatal(err)
		}
		if ed.Text != "hello @cat" || ed.Version != 2 || !ed.EditedAt.Equal(t0.Add(1e9)) || !equal(ed.Mentions, []string{"cat"}) {
			t.Errorf("got %+v, want version 2 with new text and mentions", ed)
		}
		if _, err := e.svc.Edit(e.ctx, "ann", m.ID, "hello @bob"); err != nil {
			t.Fatal(err)
		}
		vs, err := e.svc.Versions(e.ctx, "bob", m.ID, chat.ListOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if len(vs.Items) != 2 || vs.Items[0].Text != "helo @bob" || vs.Items[1].Text != "hello @cat" || vs.Items[0].Version != 1 {
			t.Errorf("got versions %+v, want the two earlier texts", vs)
		}
		_, err = e.svc.Edit(e.ctx, "ann", "nope", "x")
		wantErr(t, err, chat.ErrNotFound)
	})
}

func TestDeleteLeavesATombstone(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		c := e.group(t, "ann", "bob", "cat")
		m := e.post(t, "bob", c.ID, "oops @cat")
		e.post(t, "bob", c.ID, "fine")
		wantErr(t, e.svc.Delete(e.ctx, "cat", m.ID), chat.ErrPermission)
		if got := e.unread(t, "cat", c.ID); got.Messages != 2 || got.Mentions != 1 {
			t.Errorf("got unread %+v before delete, want 2 messages, 1 mention", got)
		}
		if err := e.svc.Delete(e.ctx, "bob", m.ID); err != nil {
			t.Fatal(err)
		}
		wantErr(t, e.svc.Delete(e.ctx, "bob", m.ID), chat.ErrDeleted)
		got, err := e.svc.Message(e.ctx, "cat", m.ID)
		if err != nil {
			t.Fatal(err)
		}
		if !got.Deleted || got.Text != "" || got.DeletedBy != "bob" {
			t.Errorf("got %+v, want a tombstone without text", got)
		}
		if got := e.unread(t, "cat", c.ID); got.Messages != 1 || got.Mentions != 0 {
			t.Errorf("got unread %+v after delete, want 1 message, no mention", got)
		}
		_, err = e.svc.Edit(e.ctx, "bob", m.ID, "again")
		wantErr(t, err, chat.ErrDeleted)
		wantErr(t, e.svc.React(e.ctx, "ann", m.ID, "👍"), chat.ErrDeleted)
		// An owner moderates anyone's message.
		other := e.post(t, "cat", c.ID, "spam")
		if err := e.svc.Delete(e.ctx, "ann", other.ID); err != nil {
			t.Errorf("got %v, want the owner to delete a member's message", err)
		}
	})
}

func TestReactionsAndPins(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		c := e.group(t, "ann", "bob")
		m := e.post(t, "ann", c.ID, "ship it")
		n := e.post(t, "ann", c.ID, "notes")
		for _, u := range []string{"ann", "bob"} {
			if err := e.svc.React(e.ctx, u, m.ID, "👍"); err != nil {
				t.Fatal(err)
			}
		}
		if err := e.svc.React(e.ctx, "bob", m.ID, ":tada:"); err != nil {
			t.Fatal(err)
		}
		before := e.last(t)
		wantErr(t, e.svc.React(e.ctx, "bob", m.ID, "👍"), store.ErrConflict)
		wantErr(t, e.svc.React(e.ctx, "bob", m.ID, "a b"), store.ErrInvalid)
		wantErr(t, e.svc.React(e.ctx, "zed", m.ID, "👍"), chat.ErrNotFound)
		wantErr(t, e.svc.Unreact(e.ctx, "ann", m.ID, ":tada:"), chat.ErrNotFound)
		if e.last(t) != before {
			t.Error("failed reactions wrote changes")
		}
		if err := e.svc.Unreact(e.ctx, "ann", m.ID, "👍"); err != nil {
			t.Fatal(err)
		}
		got, _ := e.svc.Message(e.ctx, "ann", m.ID)
		want := []chat.Reaction{{Emoji: "👍", Users: []string{"bob"}}, {Emoji: ":tada:", Users: []string{"bob"}}}
		if len(got.Reactions) != 2 || got.Reactions[0].Emoji != want[0].Emoji || !equal(got.Reactions[0].Users, want[0].Users) ||
			got.Reactions[1].Emoji != want[1].Emoji {
			t.Errorf("got reactions %+v, want %+v", got.Reactions, want)
		}

		for _, id := range []string{n.ID, m.ID} {
			if err := e.svc.Pin(e.ctx, "bob", id); err != nil {
				t.Fatal(err)
			}
		}
		wantErr(t, e.svc.Pin(e.ctx, "bob", m.ID), store.ErrConflict)
		pins, err := e.svc.Pinned(e.ctx, "ann", c.ID, chat.ListOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if !equal(texts(pins.Items), []string{"ship it", "notes"}) || pins.Items[0].PinnedBy != "bob" {
			t.Errorf("got pins %v, want both messages in posting order", texts(pins.Items))
		}
		if err := e.svc.Unpin(e.ctx, "ann", m.ID); err != nil {
			t.Fatal(err)
		}
		wantErr(t, e.svc.Unpin(e.ctx, "ann", m.ID), store.ErrConflict)
		pins, _ = e.svc.Pinned(e.ctx, "ann", c.ID, chat.ListOptions{})
		if !equal(texts(pins.Items), []string{"notes"}) {
			t.Errorf("got pins %v after unpin, want [notes]", texts(pins.Items))
		}
	})
}

func TestConcurrentPostsGetDistinctGapFreePositions(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		us := []string{"u0", "u1", "u2", "u3", "u4", "u5", "u6", "u7"}
		c := e.group(t, us[0], us[1:]...)
		var wg sync.WaitGroup
		for _, u := range us {
			wg.Go(func() {
				for i := range 25 {
					if _, err := e.svc.Post(e.ctx, u, c.ID, chat.Draft{Text: fmt.Sprint(u, " ", i)}); err != nil {
						t.Error(err)
						return
					}
				}
			})
		}
		wg.Wait()
		p, err := e.svc.History(e.ctx, us[0], c.ID, chat.Query{Limit: 200, Order: chat.OldestFirst})
		if err != nil {
			t.Fatal(err)
		}
		for i, m := range p.Items {
			if m.Seq != uint64(i+1) {
				t.Fatalf("got position %d at index %d, want %d", m.Seq, i, i+1)
			}
		}
		if len(p.Items) != 200 {
			t.Errorf("got %d messages, want 200", len(p.Items))
		}
	})
}
