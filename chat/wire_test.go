package chat_test

import (
	"encoding/json"
	"github.com/workspace-go/workspace/internal/wiretest"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/workspace-go/workspace/chat"
	"github.com/workspace-go/workspace/store"
)

var snake = regexp.MustCompile(`^[a-z][a-z0-9_]*$`)

// keysOf returns every object key in the JSON document b, at any depth.
func keysOf(t *testing.T, b []byte) []string {
	t.Helper()
	var v any
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatal(err)
	}
	var out []string
	var walk func(any)
	walk = func(v any) {
		switch v := v.(type) {
		case map[string]any:
			for k, x := range v {
				out = append(out, k)
				walk(x)
			}
		case []any:
			for _, x := range v {
				walk(x)
			}
		}
	}
	walk(v)
	return out
}

func TestWireTypesRoundTripThroughJSON(t *testing.T) {
	at := time.Date(2026, 3, 2, 9, 30, 0, 0, time.FixedZone("", 8*3600))
	msg := chat.Message{
		ID: "m1", Conversation: "c1", Author: "ann", Seq: 3, ClientID: "k", Text: "hi @bob", Mentions: []string{"bob"},
		MentionAll: true, Priority: chat.PriorityUrgent, CreatedAt: at, EditedAt: at.Add(time.Minute), Version: 2,
		Deleted: true, DeletedAt: at.Add(2 * time.Minute), DeletedBy: "ann",
		Reactions: []chat.Reaction{{Emoji: "👍", Count: 3, Users: []string{"bob"}}}, Pinned: true, PinnedBy: "bob",
		Root: "m0", ThreadSeq: 4, AlsoInConversation: true, ReplyCount: 1, LastReplyAt: at, Participants: []string{"cat"},
		LastReplySeq: 5,
	}
	conv := chat.Conversation{ID: "c1", Kind: chat.Channel, Name: "n", Topic: "t", Announcement: "a", Private: true,
		CreatedBy: "ann", CreatedAt: at, Members: 3, RetentionDays: 30, LegalHold: true}
	unread := chat.Unread{Messages: 2, Mentions: 1, ReadSeq: 7}
	values := []any{
		msg, conv, unread,
		chat.Member{User: "bob", Role: chat.RoleAdmin, JoinedAt: at, ReadSeq: 4},
		chat.Version{Version: 1, Text: "x", Mentions: []string{"a"}, At: at},
		chat.ThreadSummary{Conversation: "c1", Root: msg, Following: true, UnreadReplies: 2, UnreadMentions: 1, Activity: at},
		chat.ConversationUnread{Conversation: conv, Unread: unread},
		chat.Receipt{MessageID: "m1", Conversation: "c1", Thread: true, Read: []string{"a"}, Unread: []string{"b"}, ReadCount: 1, UnreadCount: 1},
		chat.ExportRecord{Message: msg, Versions: []chat.Version{{Version: 1, Text: "x", At: at}}},
		chat.Change{Seq: 9, Type: chat.MessagesPurged, Conversation: "c1", Actor: "legal", At: at, MessageID: "m1", Root: "m0",
			Message: &msg, Info: &conv, User: "bob", Users: []string{"ann"}, Role: chat.RoleOwner, Emoji: "👍",
			ReadSeq: 3, PrevReadSeq: 2, Count: 4, MessageIDs: []string{"m1"}, On: true, Redacted: true},
		store.Page[chat.Message]{Items: []chat.Message{msg}, Next: "abc"},
		chat.Draft{Text: "t", ClientID: "c", Priority: chat.PriorityImportant, ReplyTo: "m", AlsoToConversation: true},
		chat.Query{Before: "a", After: "b", Around: "c", AroundFirstUnread: true, Cursor: "d", Limit: 3, Order: chat.OldestFirst},
		chat.GroupOptions{Name: "g", Members: []string{"a"}, ClientKey: "k"},
		chat.ChannelOptions{Name: "g", Topic: "t", Announcement: "a", Private: true, Members: []string{"a"}, ClientKey: "k"},
		chat.ListOptions{Cursor: "c", Limit: 3},
		chat.PurgeOptions{KeepPinned: true},
	}
	for _, v := range values {
		typ := reflect.TypeOf(v)
		t.Run(typ.String(), func(t *testing.T) {
			b, err := json.Marshal(v)
			if err != nil {
				t.Fatal(err)
			}
			for _, k := range keysOf(t, b) {
				if !snake.MatchString(k) {
					t.Errorf("key %q of %s is not snake_case", k, b)
				}
			}
			got := reflect.New(typ)
			if err := json.Unmarshal(b, got.Interface()); err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got.Elem().Interface(), v) {
				t.Errorf("round trip of %s:\n got %#v\nwant %#v", b, got.Elem().Interface(), v)
			}
		})
	}
	t.Run("enums encode as strings", func(t *testing.T) {
		b, _ := json.Marshal(struct {
			R chat.Role
			K chat.ConversationKind
			P chat.Priority
			O chat.Order
			T chat.ChangeType
		}{chat.RoleAdmin, chat.Direct, chat.PriorityUrgent, chat.NewestFirst, chat.MessageCreated})
		if want := `{"R":"admin","K":"direct","P":"urgent","O":"newest_first","T":"message.created"}`; string(b) != want {
			t.Errorf("got %s, want %s", b, want)
		}
	})
	t.Run("times keep their offset", func(t *testing.T) {
		b, _ := json.Marshal(chat.Version{At: at})
		if !strings.Contains(string(b), `"2026-03-02T09:30:00+08:00"`) {
			t.Errorf("got %s, want RFC 3339 with +08:00", b)
		}
	})
}

// TestEveryReturnedTypeHasJSONTags walks the results of every exported
// method of Service and System and fails on a field, at any depth, of a
// type of this package without a json tag.
func TestEveryReturnedTypeHasJSONTags(t *testing.T) {
	seen := wiretest.Tags(t, &chat.Service{}, &chat.System{})
	if !seen[reflect.TypeOf(chat.Message{})] || !seen[reflect.TypeOf(chat.ThreadSummary{})] {
		t.Errorf("walked %d types, want at least Message and ThreadSummary", len(seen))
	}
}
