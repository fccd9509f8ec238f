package chat_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/workspace-go/workspace/chat"
	"github.com/workspace-go/workspace/store"
)

// receipt returns actor's receipt of message id, failing the test on error.
func (e *env) receipt(t *testing.T, actor, id string) chat.Receipt {
	t.Helper()
	r, err := e.svc.Receipts(e.ctx, actor, id)
	if err != nil {
		t.Fatalf("receipts of %q as %q: %v", id, actor, err)
	}
	return r
}

// checkReceipt compares a receipt's lists and counts with the wanted ones.
func checkReceipt(t *testing.T, name string, got chat.Receipt, read, unread []string) {
	t.Helper()
	if !equal(got.Read, read) || !equal(got.Unread, unread) || got.ReadCount != len(read) || got.UnreadCount != len(unread) {
		t.Errorf("%s: got read %v (%d), unread %v (%d); want read %v, unread %v",
			name, got.Read, got.ReadCount, got.Unread, got.UnreadCount, read, unread)
	}
}

func TestReceiptsCountMembersAtSendTime(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		c := e.group(t, "ann", "dan", "bob", "cat")
		m1 := e.post(t, "ann", c.ID, "one")
		m2 := e.post(t, "ann", c.ID, "two")
		m3 := e.post(t, "ann", c.ID, "three")
		var m4 chat.Message
		steps := []struct {
			name         string
			do           func() error
			msg          *chat.Message
			read, unread []string
		}{
			{"nobody has read a new message", nil, &m1, nil, []string{"bob", "cat", "dan"}},
			{"reading up to a message reads it", func() error { return e.svc.MarkRead(e.ctx, "bob", c.ID, m2.ID) }, &m2, []string{"bob"}, []string{"cat", "dan"}},
			{"a cursor before the message leaves it unread", nil, &m3, nil, []string{"bob", "cat", "dan"}},
			{"reading everything", func() error { return e.svc.MarkRead(e.ctx, "cat", c.ID, "") }, &m3, []string{"cat"}, []string{"bob", "dan"}},
			{"a member who joined later is in neither list", func() error {
				if err := e.svc.AddMember(e.ctx, "ann", c.ID, "eve"); err != nil {
					return err
				}
				return e.svc.MarkRead(e.ctx, "eve", c.ID, m1.ID) // moved back: still not counted
			}, &m1, []string{"bob", "cat"}, []string{"dan"}},
			{"a message after the join counts the new member", func() error {
				var err error
				m4, err = e.svc.Post(e.ctx, "ann", c.ID, chat.Draft{Text: "four"})
				return err
			}, &m4, nil, []string{"bob", "cat", "dan", "eve"}},
			{"posting reads everything before", func() error { _, err := e.svc.Post(e.ctx, "dan", c.ID, chat.Draft{Text: "ok"}); return err }, &m4, []string{"dan"}, []string{"bob", "cat", "eve"}},
			{"marking unread again", func() error { return e.svc.MarkRead(e.ctx, "cat", c.ID, m1.ID) }, &m3, []string{"dan"}, []string{"bob", "cat"}},
			{"a member who left is in neither list", func() error { return e.svc.Leave(e.ctx, "bob", c.ID) }, &m4, []string{"dan"}, []string{"cat", "eve"}},
			{"leaving and coming back counts as joining later", func() error { return e.svc.AddMember(e.ctx, "ann", c.ID, "bob") }, &m4, []string{"dan"}, []string{"cat", "eve"}},
		}
		for _, s := range steps {
			if s.do != nil {
				if err := s.do(); err != nil {
					t.Fatalf("%s: %v", s.name, err)
				}
			}
			got := e.receipt(t, "ann", s.msg.ID)
			if got.MessageID != s.msg.ID || got.Conversation != c.ID || got.Thread {
				t.Errorf("%s: got receipt of %q in %q (thread %v), want %q in %q", s.name, got.MessageID, got.Conversation, got.Thread, s.msg.ID, c.ID)
			}
			checkReceipt(t, s.name, got, s.read, s.unread)
		}
	})
}

func TestReceiptsInDirectConversation(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		d, err := e.svc.OpenDirect(e.ctx, "ann", "bob")
		if err != nil {
			t.Fatal(err)
		}
		m := e.post(t, "ann", d.ID, "hi")
		checkReceipt(t, "before bob reads", e.receipt(t, "ann", m.ID), nil, []string{"bob"})
		if err := e.svc.MarkRead(e.ctx, "bob", d.ID, ""); err != nil {
			t.Fatal(err)
		}
		checkReceipt(t, "after bob reads", e.receipt(t, "ann", m.ID), []string{"bob"}, nil)
	})
}

func TestReceiptsAreTheAuthors(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		c := e.group(t, "ann", "bob", "cat")
		m := e.post(t, "bob", c.ID, "mine")
		gone := e.post(t, "bob", c.ID, "recalled")
		if err := e.svc.MarkRead(e.ctx, "cat", c.ID, ""); err != nil {
			t.Fatal(err)
		}
		if err := e.svc.Delete(e.ctx, "bob", gone.ID); err != nil {
			t.Fatal(err)
		}
		cases := []struct {
			name    string
			actor   string
			id      string
			want    []error // errors.Is for each; none means success
			wantErr string  // in the message
		}{
			{"the author sees them", "bob", m.ID, nil, ""},
			{"a compliance officer who is no member sees them", "legal", m.ID, nil, ""},
			{"another member, even the owner, may not", "ann", m.ID, []error{chat.ErrPermission, store.ErrPermission}, "only the author"},
			{"a stranger does not see it", "zed", m.ID, []error{chat.ErrNotFound, store.ErrNotFound}, "not found"},
			{"an unknown message is not found", "bob", "nope", []error{chat.ErrNotFound, store.ErrNotFound}, `"nope"`},
			{"an empty message id is invalid", "bob", "", []error{chat.ErrInvalid, store.ErrInvalid}, "empty message id"},
			{"an empty actor is invalid", "", m.ID, []error{chat.ErrInvalid, store.ErrInvalid}, "acting user"},
			{"an actor with a space is invalid", "b ob", m.ID, []error{chat.ErrInvalid, store.ErrInvalid}, "acting user"},
			{"a recalled message hides them from its author", "bob", gone.ID, []error{chat.ErrDeleted, store.ErrConflict}, "deleted"},
			{"a compliance officer still sees a recalled message's", "legal", gone.ID, nil, ""},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				r, err := e.svc.Receipts(e.ctx, tc.actor, tc.id)
				if len(tc.want) == 0 {
					if err != nil {
						t.Fatalf("got error %v, want a receipt", err)
					}
					checkReceipt(t, tc.name, r, []string{"cat"}, []string{"ann"})
					return
				}
				for _, w := range tc.want {
					wantErr(t, err, w)
				}
				if err != nil && (!strings.HasPrefix(err.Error(), "chat: read receipts of message") || !strings.Contains(err.Error(), tc.wantErr)) {
					t.Errorf("got error %q, want it to say %q", err, tc.wantErr)
				}
			})
		}
		if err := e.svc.Leave(e.ctx, "bob", c.ID); err != nil {
			t.Fatal(err)
		}
		_, err := e.svc.Receipts(e.ctx, "bob", m.ID)
		wantErr(t, err, chat.ErrNotFound)
	})
}

func TestReceiptsInThreads(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		c := e.group(t, "ann", "bob", "cat", "dan")
		root := e.post(t, "ann", c.ID, "plan?")
		r1 := e.reply(t, "bob", c.ID, root.ID, "draft attached")
		r2 := e.reply(t, "bob", c.ID, root.ID, "@cat can you check")

		// A reply that stays in its thread: the followers are counted
		// (ann started it, cat was mentioned by name), dan is not.
		got := e.receipt(t, "bob", r2.ID)
		if !got.Thread {
			t.Errorf("got Thread false for a thread reply, want true")
		}
		checkReceipt(t, "the followers of a new reply", got, nil, []string{"ann", "cat"})
		checkReceipt(t, "following later marks earlier replies read", e.receipt(t, "bob", r1.ID), []string{"cat"}, []string{"ann"})
		if err := e.svc.MarkThreadRead(e.ctx, "ann", root.ID, ""); err != nil {
			t.Fatal(err)
		}
		checkReceipt(t, "a follower reads the thread", e.receipt(t, "bob", r2.ID), []string{"ann"}, []string{"cat"})
		if err := e.svc.Unfollow(e.ctx, "cat", root.ID); err != nil {
			t.Fatal(err)
		}
		checkReceipt(t, "an unfollower is in neither list", e.receipt(t, "bob", r2.ID), []string{"ann"}, nil)
		if err := e.svc.Follow(e.ctx, "dan", root.ID); err != nil {
			t.Fatal(err)
		}
		if err := e.svc.Leave(e.ctx, "ann", c.ID); err != nil {
			t.Fatal(err)
		}
		checkReceipt(t, "a follower who left is in neither list", e.receipt(t, "bob", r2.ID), []string{"dan"}, nil)

		// A reply also sent to the conversation: every member at send
		// time, read in the timeline or in the thread.
		also, err := e.svc.Post(e.ctx, "bob", c.ID, chat.Draft{Text: "final version", ReplyTo: root.ID, AlsoToConversation: true})
		if err != nil {
			t.Fatal(err)
		}
		got = e.receipt(t, "bob", also.ID)
		if got.Thread {
			t.Errorf("got Thread true for a reply also in the conversation, want false")
		}
		checkReceipt(t, "a reply also in the conversation", got, nil, []string{"cat", "dan"})
		if err := e.svc.MarkThreadRead(e.ctx, "dan", root.ID, ""); err != nil {
			t.Fatal(err)
		}
		checkReceipt(t, "read in the thread", e.receipt(t, "bob", also.ID), []string{"dan"}, []string{"cat"})
		if err := e.svc.MarkRead(e.ctx, "cat", c.ID, ""); err != nil {
			t.Fatal(err)
		}
		checkReceipt(t, "read in the timeline", e.receipt(t, "bob", also.ID), []string{"cat", "dan"}, nil)
	})
}

// receiptsChange describes a receipts.changed change for comparison.
func receiptsChange(c chat.Change) string {
	if c.Type != chat.ReceiptsChanged {
		desc := string(c.Type)
		if c.Message != nil {
			desc += " " + c.Message.Text
		}
		return desc
	}
	return fmt.Sprintf("%s by %s root=%q %v", c.Type, c.User, c.Root, c.MessageIDs)
}

func TestSubscribeTellsTheAuthorReceiptsChanged(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		c := e.group(t, "ann", "bob", "cat")
		other := e.group(t, "bob", "ann")
		ch, err := chanOf(e.svc.Subscribe(e.ctx, "ann"))
		if err != nil {
			t.Fatal(err)
		}
		m1 := e.post(t, "ann", c.ID, "one")
		m2 := e.post(t, "ann", c.ID, "two")
		root := e.post(t, "bob", other.ID, "thread")
		r := e.reply(t, "ann", other.ID, root.ID, "my reply")
		do := func(err error) {
			t.Helper()
			if err != nil {
				t.Fatal(err)
			}
		}
		do(e.svc.MarkRead(e.ctx, "bob", c.ID, m1.ID))
		do(e.svc.MarkRead(e.ctx, "bob", c.ID, m1.ID)) // no move: no change
		e.post(t, "cat", c.ID, "hi")                  // reads m1 and m2
		e.post(t, "cat", c.ID, "again")               // passes nothing of ann's
		do(e.svc.MarkRead(e.ctx, "bob", c.ID, ""))
		do(e.svc.MarkThreadRead(e.ctx, "bob", root.ID, ""))
		do(e.svc.MarkRead(e.ctx, "bob", other.ID, "")) // passes only bob's own root
		do(e.svc.Leave(e.ctx, "cat", c.ID))
		e.post(t, "ann", c.ID, "end")
		want := []string{
			string(chat.MessageCreated + " one"),
			string(chat.MessageCreated + " two"),
			string(chat.MessageCreated + " thread"),
			string(chat.MessageCreated + " my reply"),
			fmt.Sprintf("%s by bob root=%q %v", chat.ReceiptsChanged, "", []string{m1.ID}),
			string(chat.MessageCreated + " hi"),
			fmt.Sprintf("%s by cat root=%q %v", chat.ReceiptsChanged, "", []string{m1.ID, m2.ID}),
			string(chat.MessageCreated + " again"),
			fmt.Sprintf("%s by bob root=%q %v", chat.ReceiptsChanged, "", []string{m2.ID}),
			fmt.Sprintf("%s by bob root=%q %v", chat.ReceiptsChanged, root.ID, []string{r.ID}),
			string(chat.MemberLeft),
			fmt.Sprintf("%s by cat root=%q %v", chat.ReceiptsChanged, "", []string{m1.ID, m2.ID}),
			string(chat.MessageCreated + " end"),
		}
		for i, w := range want {
			got := next(t, ch)
			if d := receiptsChange(got); d != w {
				t.Errorf("change %d: got %q, want %q", i, d, w)
			}
			if got.Type == chat.ReceiptsChanged && (got.Seq == 0 || got.Conversation == "") {
				t.Errorf("change %d: got seq %d in %q, want the read record's position and conversation", i, got.Seq, got.Conversation)
			}
		}
	})
}

func TestReadChangesCarryThePreviousCursor(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		c := e.group(t, "ann", "bob")
		m1 := e.post(t, "ann", c.ID, "one")
		e.post(t, "ann", c.ID, "two")
		ch, err := chanOf(e.svc.Subscribe(e.ctx, "bob"))
		if err != nil {
			t.Fatal(err)
		}
		if err := e.svc.MarkRead(e.ctx, "bob", c.ID, ""); err != nil {
			t.Fatal(err)
		}
		if err := e.svc.MarkRead(e.ctx, "bob", c.ID, m1.ID); err != nil {
			t.Fatal(err)
		}
		for i, w := range [][2]uint64{{0, 2}, {2, 1}} {
			got := next(t, ch)
			if got.Type != chat.ReadUpdated || got.PrevReadSeq != w[0] || got.ReadSeq != w[1] {
				t.Errorf("change %d: got %s from %d to %d, want %s from %d to %d", i, got.Type, got.PrevReadSeq, got.ReadSeq, chat.ReadUpdated, w[0], w[1])
			}
		}
	})
}
