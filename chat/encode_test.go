package chat

import (
	"bytes"
	"encoding/json"
	"strconv"
	"testing"
	"time"
)

// checkNewMessageJSON fails unless the hand encoders write exactly what
// json.Marshal writes for m at position seq and for its change record.
func checkNewMessageJSON(t *testing.T, m Message, seq uint64) {
	t.Helper()
	head, tail, err := appendNewMessage(nil, &m)
	m.Seq = seq
	want, werr := json.Marshal(&m)
	if (err != nil) != (werr != nil) {
		t.Fatalf("newMessageJSON error %v; json.Marshal error %v", err, werr)
	}
	if err != nil {
		return
	}
	got := append(append(append(append([]byte(nil), head...), `"seq":`...), strconv.FormatUint(seq, 10)+","...), tail...)
	if !bytes.Equal(got, want) {
		t.Fatalf("message JSON\n got %s\nwant %s", got, want)
	}
	chg := append(append(appendNewMessageChange([]byte("prefix"), &m)[len("prefix"):], got...), '}')
	mm := m.visible()
	want, err = json.Marshal(Change{Type: MessageCreated, Conversation: m.Conversation, Actor: m.Author, At: m.CreatedAt, MessageID: m.ID, Message: &mm})
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(chg, want) {
		t.Fatalf("change JSON\n got %s\nwant %s", chg, want)
	}
}

func TestNewMessageJSON(t *testing.T) {
	at := time.Date(2026, 11, 21, 9, 30, 0, 123456000, time.UTC)
	for _, m := range []Message{
		{ID: "m1", Conversation: "c1", Author: "alice", Text: "hello", CreatedAt: at, Version: 1},
		{ID: "m2", Conversation: "c1", Author: "bob", ClientID: "cl-9", Text: "hi @carol & @all <b>\"x\"</b>\\ \n\t\r\b\f\x00\x1f",
			Mentions: []string{"carol", "dave"}, MentionAll: true, Priority: PriorityUrgent, CreatedAt: at, Version: 1},
		{ID: "m3", Conversation: "频道", Author: "小王", Text: "明天下午三点开会\u2028第二行\u2029 😀", Priority: PriorityNormal,
			CreatedAt: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC), Version: 1},
		{ID: "m4", Conversation: "c", Author: "a", Text: "bad \xff utf-8", CreatedAt: at.In(time.FixedZone("", 8*3600)), Version: 1},
		{ID: "m5", Conversation: "c", Author: "a", Text: "far future", CreatedAt: time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC), Version: 1},
	} {
		checkNewMessageJSON(t, m, 42)
	}
}

func FuzzNewMessageJSON(f *testing.F) {
	f.Add("alice", "c1", "hello @bob", "cl-1", "bob", "urgent", true, uint64(7), int64(1763717400123456789))
	f.Add("小王", "群", "<&>\u2028\x00\xff", "", "", "", false, uint64(1), int64(0))
	f.Fuzz(func(t *testing.T, author, conv, text, client, mention, prio string, all bool, seq uint64, nanos int64) {
		m := Message{ID: "m-" + author, Conversation: conv, Author: author, ClientID: client, Text: text,
			MentionAll: all, Priority: Priority(prio), CreatedAt: time.Unix(0, nanos).UTC(), Version: 1}
		if mention != "" {
			m.Mentions = []string{mention, author}
		}
		checkNewMessageJSON(t, m, max(seq, 1)) // positions start at 1
	})
}
