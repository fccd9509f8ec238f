package chat_test

import (
	"encoding/json"
	"os"
	"testing"

	"github.com/workspace-go/workspace/chat"
	"github.com/workspace-go/workspace/internal/clock"
	"github.com/workspace-go/workspace/internal/ids"
	"github.com/workspace-go/workspace/store"
	"github.com/workspace-go/workspace/store/memstore"
)

// legacyStore loads testdata/legacy-v1.json, a store and change log written
// by the version that stored camelCase records: a group id000000001 (ann
// owner, bob admin, cat) whose root id000000005 has two 👍 (cat, bob), is
// pinned and has replies id000000006 (edited) and id000000007 (also in
// the timeline); a deleted id000000008; a public channel id000000002, a
// private one id000000003 and a direct conversation id000000004.
func legacyStore(t *testing.T) (store.Store, []store.Change) {
	t.Helper()
	b, err := os.ReadFile("testdata/legacy-v1.json")
	if err != nil {
		t.Fatal(err)
	}
	var dump struct {
		KV []struct {
			K []byte `json:"k"`
			V []byte `json:"v"`
		} `json:"kv"`
		Changes []struct {
			Kind string `json:"kind"`
			Data []byte `json:"data"`
		} `json:"changes"`
	}
	if err := json.Unmarshal(b, &dump); err != nil {
		t.Fatal(err)
	}
	st := memstore.New()
	t.Cleanup(func() { st.Close() })
	err = st.Update(t.Context(), func(tx store.Tx) error {
		for _, kv := range dump.KV {
			if err := tx.Put(kv.K, append([]byte{}, kv.V...)); err != nil {
				return err
			}
		}
		for _, c := range dump.Changes {
			if _, err := tx.Append(c.Kind, c.Data); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	recs, _, err := st.Changes(t.Context(), 0, 1000)
	if err != nil {
		t.Fatal(err)
	}
	return st, recs
}

func TestRecordsWrittenInCamelCaseStillRead(t *testing.T) {
	st, recs := legacyStore(t)
	clk := clock.NewFake(t0.Add(time24))
	svc, err := chat.New(t.Context(), st, chat.WithClock(clk.Now), chat.WithIDs(ids.Sequential("new")))
	if err != nil {
		t.Fatal(err)
	}
	ctx := t.Context()
	const group, root, reply, alsoReply = "id000000001", "id000000005", "id000000006", "id000000007"

	t.Run("change records decode with every field", func(t *testing.T) {
		seen := map[chat.ChangeType]bool{}
		for _, r := range recs {
			c, ok, err := chat.DecodeChange(r)
			if !ok || err != nil {
				t.Fatalf("record %d: ok=%v err=%v", r.Seq, ok, err)
			}
			seen[c.Type] = true
			if c.At.IsZero() || c.Conversation == "" {
				t.Errorf("record %d: got %+v, want a time and a conversation", r.Seq, c)
			}
			switch c.Type {
			case chat.MessageCreated, chat.MessageEdited, chat.ReactionAdded, chat.MessagePinned, chat.MessageDeleted:
				if c.MessageID == "" {
					t.Errorf("record %d (%s): no message id", r.Seq, c.Type)
				}
			case chat.ConversationCreated:
				if c.Info == nil || c.Info.CreatedAt.IsZero() || c.Info.CreatedBy != "ann" {
					t.Errorf("record %d: got info %+v, want created by ann at a time", r.Seq, c.Info)
				}
			case chat.ReadUpdated, chat.ThreadRead:
				if c.ReadSeq == 0 {
					t.Errorf("record %d (%s): no read seq", r.Seq, c.Type)
				}
			}
			if m := c.Message; m != nil {
				if m.CreatedAt.IsZero() {
					t.Errorf("record %d: message %+v has no creation time", r.Seq, m)
				}
				if m.ID == reply && c.Type == chat.MessageCreated && (m.ThreadSeq != 1 || m.Root != root) {
					t.Errorf("record %d: got reply %+v, want thread seq 1 under %s", r.Seq, m, root)
				}
			}
		}
		for _, typ := range []chat.ChangeType{chat.ConversationCreated, chat.MessageCreated, chat.MessageEdited,
			chat.ReactionAdded, chat.ReadUpdated, chat.ThreadRead, chat.RetentionSet, chat.LegalHoldSet} {
			if !seen[typ] {
				t.Errorf("the fixture has no %s record", typ)
			}
		}
	})

	t.Run("stored records read with every field", func(t *testing.T) {
		c, err := svc.Conversation(ctx, "ann", group)
		if err != nil || c.CreatedAt.IsZero() || c.CreatedBy != "ann" || c.Members != 3 {
			t.Errorf("got %+v, %v, want the group created by ann with 3 members", c, err)
		}
		ms, err := svc.Members(ctx, "ann", group, chat.ListOptions{})
		if err != nil || len(ms.Items) != 3 || ms.Items[1].User != "bob" || ms.Items[1].Role != chat.RoleAdmin || ms.Items[1].JoinedAt.IsZero() {
			t.Errorf("got members %+v, %v, want ann, bob (admin) and cat with join times", ms.Items, err)
		}
		m, err := svc.Message(ctx, "ann", root)
		if err != nil || m.CreatedAt.IsZero() || !m.MentionAll || m.ClientID != "c1" || m.ReplyCount != 2 ||
			m.LastReplySeq != 2 || m.LastReplyAt.IsZero() || m.PinnedBy != "bob" ||
			len(m.Reactions) != 1 || m.Reactions[0].Count != 2 {
			t.Errorf("got root %+v, %v, want every field of the camelCase record", m, err)
		}
		r, err := svc.Message(ctx, "ann", reply)
		if err != nil || r.ThreadSeq != 1 || r.EditedAt.IsZero() || r.Version != 2 {
			t.Errorf("got reply %+v, %v, want thread seq 1, edited, version 2", r, err)
		}
		h, err := svc.History(ctx, "ann", group, chat.Query{})
		if err != nil || len(h.Items) != 3 || h.Items[0].DeletedAt.IsZero() || !h.Items[1].AlsoInConversation {
			t.Errorf("got history %+v, %v, want the deleted message, the reply also sent, the root", h.Items, err)
		}
		vs, err := svc.Versions(ctx, "bob", reply, chat.ListOptions{})
		if err != nil || len(vs.Items) != 1 || vs.Items[0].Text != "on it @cat" {
			t.Errorf("got versions %+v, %v, want the first text", vs.Items, err)
		}
		list, err := svc.Conversations(ctx, "ann", chat.ListOptions{})
		if err != nil || len(list.Items) != 4 {
			t.Errorf("got %d conversations, %v, want 4", len(list.Items), err)
		}
		if u, err := svc.Unread(ctx, "cat", group); err != nil || u.Messages != 0 {
			t.Errorf("got cat's unread %+v, %v, want none", u, err)
		}
	})

	t.Run("old records take new changes", func(t *testing.T) {
		// cat and bob reacted before reactor keys were kept.
		wantErr(t, svc.React(ctx, "bob", root, "👍"), chat.ErrConflict)
		if err := svc.React(ctx, "ann", root, "👍"); err != nil {
			t.Fatal(err)
		}
		if err := svc.Unreact(ctx, "cat", root, "👍"); err != nil {
			t.Fatal(err)
		}
		m, _ := svc.Message(ctx, "ann", root)
		if len(m.Reactions) != 1 || m.Reactions[0].Count != 2 || !equal(m.Reactions[0].Users, []string{"bob", "ann"}) {
			t.Errorf("got reactions %+v, want bob and ann", m.Reactions)
		}
		rs, err := svc.Reactors(ctx, "ann", root, "👍", chat.ListOptions{})
		if err != nil || !equal(rs.Items, []string{"ann", "bob"}) {
			t.Errorf("got reactors %v, %v, want ann and bob", rs.Items, err)
		}
		n, err := svc.Post(ctx, "cat", group, chat.Draft{Text: "more", ReplyTo: alsoReply})
		if err != nil || n.Root != root || n.ThreadSeq != 3 {
			t.Errorf("got %+v, %v, want the third reply of the old thread", n, err)
		}
		if _, err := svc.Edit(ctx, "bob", reply, "done"); err != nil {
			t.Fatal(err)
		}
		vs, _ := svc.Versions(ctx, "bob", reply, chat.ListOptions{})
		if len(vs.Items) != 2 {
			t.Errorf("got %d versions, want 2", len(vs.Items))
		}
		if err := svc.AddMember(ctx, "ann", group, "eve"); err != nil {
			t.Fatal(err)
		}
		c, _ := svc.Conversation(ctx, "eve", group)
		if c.Members != 4 || c.CreatedBy != "ann" || c.CreatedAt.IsZero() {
			t.Errorf("got %+v after a member joined, want the old fields kept", c)
		}
	})
}

const time24 = 24 * 60 * 60 * 1e9
