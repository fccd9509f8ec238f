package workspace

import (
	"context"
	"testing"

	"github.com/workspace-go/workspace/chat"
	"github.com/workspace-go/workspace/directory"
	"github.com/workspace-go/workspace/search"
)

// The mapper reads chat records through the trusted System handle, not as
// the change's author: a reaction (or a reply that makes its root a
// thread) is indexed even when its author has left the conversation by
// the time the indexer gets to it.
func TestChatRecordsMapAfterTheirAuthorLeft(t *testing.T) {
	ctx := context.Background()
	w, err := Open(ctx, Options{InMemory: true, Admins: []string{"admin"}})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	for _, u := range []string{"u1", "u2"} {
		if _, err := w.Directory.CreateUser(ctx, "admin", directory.User{ID: u, Name: u, Departments: []string{directory.Root}}); err != nil {
			t.Fatal(err)
		}
	}
	c, err := w.Chat.CreateGroup(ctx, "u1", chat.GroupOptions{Name: "deals", Members: []string{"u2"}})
	if err != nil {
		t.Fatal(err)
	}
	root, err := w.Chat.Post(ctx, "u1", c.ID, chat.Draft{Text: "budget"})
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Chat.React(ctx, "u2", root.ID, "👍"); err != nil {
		t.Fatal(err)
	}
	if _, err := w.Chat.Post(ctx, "u2", c.ID, chat.Draft{Text: "ok", ReplyTo: root.ID}); err != nil {
		t.Fatal(err)
	}
	if err := w.Chat.Leave(ctx, "u2", c.ID); err != nil {
		t.Fatal(err)
	}
	recs, _, err := w.Store().Changes(ctx, 0, 1000)
	if err != nil {
		t.Fatal(err)
	}
	found := map[chat.ChangeType]bool{}
	for _, rec := range recs {
		ch, ok, err := chat.DecodeChange(rec)
		if !ok || err != nil || ch.Actor != "u2" || (ch.Type != chat.ReactionAdded && ch.Type != chat.MessageCreated) {
			continue
		}
		var ops []search.Op
		err = w.mapChange(ctx, rec, func(op search.Op) error { ops = append(ops, op); return nil })
		if err != nil {
			t.Fatal(err)
		}
		var rootDoc *search.Document
		for _, op := range ops {
			if d := op.Document(); !op.IsDelete() && d.ID == root.ID {
				rootDoc = &d
			}
		}
		switch {
		case rootDoc == nil:
			t.Errorf("%s by u2: the root is not re-indexed (ops %v)", ch.Type, ops)
		case ch.Type == chat.ReactionAdded && len(rootDoc.Has) == 0:
			t.Errorf("the root is re-indexed without its reaction: %+v", rootDoc)
		case ch.Type == chat.MessageCreated && rootDoc.Thread != root.ID:
			t.Errorf("the root is re-indexed without its thread: %+v", rootDoc)
		}
		found[ch.Type] = true
	}
	if !found[chat.ReactionAdded] || !found[chat.MessageCreated] {
		t.Errorf("found %v, want u2's reaction and reply", found)
	}
}
