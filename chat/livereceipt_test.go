package chat

import (
	"fmt"
	"slices"
	"testing"

	"github.com/workspace-go/workspace/internal/keys"
)

// own is a change record of user posting message id at timeline position
// seq of conv (or, with root, at thread position seq).
func own(user, conv, root, id string, seq, logSeq uint64) Change {
	m := &Message{ID: id, Conversation: conv, Author: user, Root: root}
	if root == "" {
		m.Seq = seq
	} else {
		m.ThreadSeq = seq
	}
	return Change{Seq: logSeq, Type: MessageCreated, Conversation: conv, Actor: user, MessageID: id, Root: root, Message: m}
}

func TestReceiptWatchKeepsTheNewestMessagesPerLine(t *testing.T) {
	w := newReceiptWatch("ann")
	for i := range watchPerLine + 10 {
		w.changes(own("ann", "c", "", fmt.Sprint("m", i+1), uint64(i+1), uint64(i+1)), true)
	}
	got := w.changes(Change{Seq: 100, Type: ReadUpdated, Conversation: "c", User: "bob", ReadSeq: watchPerLine + 10}, true)
	if len(got) != 1 || len(got[0].MessageIDs) != watchPerLine || got[0].MessageIDs[0] != "m11" {
		t.Fatalf("got %+v, want one change naming the newest %d messages, from m11", got, watchPerLine)
	}
}

func TestReceiptWatchMakesRoomForNewLines(t *testing.T) {
	w := newReceiptWatch("ann")
	for i := range watchLines + 1 {
		w.changes(own("ann", fmt.Sprint("c", i), "", fmt.Sprint("m", i), 1, uint64(i+1)), true)
	}
	if len(w.lines) != watchLines {
		t.Errorf("got %d lines watched, want %d", len(w.lines), watchLines)
	}
	if w.lines[lineKey{"c0", ""}] != nil || w.lines[lineKey{fmt.Sprint("c", watchLines), ""}] == nil {
		t.Error("got the oldest line kept or the newest dropped, want the oldest dropped")
	}
}

func TestReceiptWatchSeesThreadAudienceChanges(t *testing.T) {
	w := newReceiptWatch("ann")
	w.changes(own("ann", "c", "r", "a1", 1, 1), true)
	w.changes(own("ann", "c", "r", "a2", 2, 2), true)
	cases := []struct {
		name string
		c    Change
		want []string
	}{
		{"another member follows", Change{Seq: 3, Type: ThreadFollowed, Conversation: "c", Root: "r", User: "bob"}, []string{"a1", "a2"}},
		{"the subscriber follows", Change{Seq: 4, Type: ThreadFollowed, Conversation: "c", Root: "r", User: "ann"}, nil},
		{"a reply mentioning someone", *func() *Change {
			c := own("cat", "c", "r", "c3", 3, 5)
			c.Message.Mentions = []string{"dan"}
			return &c
		}(), []string{"a1", "a2"}},
		{"a reply after one already seen", own("cat", "c", "r", "c4", 4, 6), nil},
		{"a thread read in another thread", Change{Seq: 7, Type: ThreadRead, Conversation: "c", Root: "x", User: "bob", ReadSeq: 9}, nil},
		{"a thread read moving back", Change{Seq: 8, Type: ThreadRead, Conversation: "c", Root: "r", User: "bob", PrevReadSeq: 4, ReadSeq: 1}, []string{"a2"}},
		{"the subscriber's message deleted", Change{Seq: 9, Type: MessageDeleted, Conversation: "c", Root: "r", Message: &Message{ID: "a2", Conversation: "c", Root: "r", ThreadSeq: 2}}, nil},
		{"another member leaves", Change{Seq: 10, Type: MemberLeft, Conversation: "c", User: "bob"}, []string{"a1"}},
	}
	for _, tc := range cases {
		var got []string
		for _, c := range w.changes(tc.c, true) {
			if c.Type != ReceiptsChanged || c.Seq != tc.c.Seq || c.Root != "r" {
				t.Errorf("%s: got %+v, want receipts.changed in thread r at seq %d", tc.name, c, tc.c.Seq)
			}
			got = append(got, c.MessageIDs...)
		}
		if !slices.Equal(got, tc.want) {
			t.Errorf("%s: got %v, want %v", tc.name, got, tc.want)
		}
	}
	w.changes(Change{Type: MemberLeft, Conversation: "c", User: "ann"}, false)
	if len(w.lines) != 0 {
		t.Errorf("got %d lines after leaving, want none", len(w.lines))
	}
}

func TestUserPart(t *testing.T) {
	for _, u := range []string{"ann", "小王", "a\x00b"} {
		got, err := userPart(keys.Append(nil, u))
		if err != nil || got != u {
			t.Errorf("userPart(%q) = %q, %v, want %q", u, got, err, u)
		}
	}
	for _, b := range [][]byte{nil, {'a'}, keys.New("a", "b"), {'a', 0, 2}} {
		if got, err := userPart(b); err == nil {
			t.Errorf("userPart(%x) = %q, want an error", b, got)
		}
	}
}
