package chat_test

import (
	"context"
	"runtime"
	"testing"
	"testing/synctest"
	"time"

	"github.com/workspace-go/workspace/chat"
	"github.com/workspace-go/workspace/internal/backends"
	"github.com/workspace-go/workspace/store"
	"github.com/workspace-go/workspace/store/memstore"
)

// next receives one change, failing rather than hanging if none comes.
func next(t *testing.T, ch <-chan chat.Change) chat.Change {
	t.Helper()
	select {
	case c, ok := <-ch:
		if !ok {
			t.Fatal("subscription ended early")
		}
		return c
	case <-time.After(10 * time.Second):
		t.Fatal("no change delivered")
	}
	return chat.Change{}
}

func TestSubscribeSeesAnotherServicesWrites(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		// A second Service over the same store stands for another app node.
		other, err := chat.New(context.Background(), e.st)
		if err != nil {
			t.Fatal(err)
		}
		c := e.group(t, "ann", "bob")
		elsewhere := e.group(t, "ann", "cat")
		ctx, cancel := context.WithCancel(e.ctx)
		defer cancel()
		ch, err := chanOf(other.Subscribe(ctx, "bob"))
		if err != nil {
			t.Fatal(err)
		}
		m := e.post(t, "ann", c.ID, "hi @bob")
		e.post(t, "ann", elsewhere.ID, "not for bob")
		if err := e.svc.MarkRead(e.ctx, "ann", c.ID, ""); err != nil { // ann's, not bob's
			t.Fatal(err)
		}
		if _, err := e.svc.Edit(e.ctx, "ann", m.ID, "hello @bob"); err != nil {
			t.Fatal(err)
		}
		if err := e.svc.React(e.ctx, "ann", m.ID, "👋"); err != nil {
			t.Fatal(err)
		}
		if err := e.svc.MarkRead(e.ctx, "bob", c.ID, ""); err != nil {
			t.Fatal(err)
		}
		if err := e.svc.Delete(e.ctx, "ann", m.ID); err != nil {
			t.Fatal(err)
		}
		want := []chat.ChangeType{chat.MessageCreated, chat.MessageEdited, chat.ReactionAdded, chat.ReadUpdated, chat.MessageDeleted}
		for i, typ := range want {
			got := next(t, ch)
			if got.Type != typ || got.Conversation != c.ID || got.Seq == 0 {
				t.Errorf("change %d: got %s in %s (seq %d), want %s in %s", i, got.Type, got.Conversation, got.Seq, typ, c.ID)
			}
			if i == 0 && (got.Message == nil || got.Message.Text != "hi @bob" || got.Message.Seq != m.Seq || got.MessageID != m.ID) {
				t.Errorf("got message %+v in the created change, want the text", got.Message)
			}
		}
		cancel()
		for range ch { // the channel closes once the subscription ends
		}
	})
}

func TestDecodeChangeSkipsOtherKinds(t *testing.T) {
	_, ok, err := chat.DecodeChange(store.Change{Seq: 1, Kind: "task", Data: []byte("{}")})
	if ok || err != nil {
		t.Errorf("got ok=%v err=%v for a task record, want skipped", ok, err)
	}
	_, ok, err = chat.DecodeChange(store.Change{Seq: 2, Kind: chat.Kind, Data: []byte("{")})
	if !ok || !errorsIs(err, store.ErrInvalid) {
		t.Errorf("got ok=%v err=%v for a broken chat record, want ok and an invalid error", ok, err)
	}
	_, ok, err = chat.DecodeChange(store.Change{Seq: 3, Kind: chat.Kind, Data: []byte(`{"conversation":"c"}`)})
	if !ok || !errorsIs(err, chat.ErrInvalid) {
		t.Errorf("got ok=%v err=%v for a chat record without a type, want ok and an invalid error", ok, err)
	}
}

// TestSubscribeLeaksNoGoroutine runs the subscription in a synctest
// bubble: synctest.Test fails if any goroutine started inside it is still
// there, blocked, when the test function returns.
func TestSubscribeLeaksNoGoroutine(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		st := memstore.New()
		defer st.Close()
		svc, err := chat.New(context.Background(), st)
		if err != nil {
			t.Fatal(err)
		}
		c, err := svc.CreateGroup(t.Context(), "ann", chat.GroupOptions{Name: "g", Members: []string{"bob"}})
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithCancel(t.Context())
		ch, err := chanOf(svc.Subscribe(ctx, "bob"))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := svc.Post(t.Context(), "ann", c.ID, chat.Draft{Text: "hi"}); err != nil {
			t.Fatal(err)
		}
		if got := <-ch; got.Type != chat.MessageCreated {
			t.Errorf("got %s, want %s", got.Type, chat.MessageCreated)
		}
		synctest.Wait() // the subscriber is now blocked waiting for the log
		cancel()
		if _, ok := <-ch; ok {
			t.Error("got a change after cancel, want the channel closed")
		}
	})
}

// TestSubscribeEndsOnBoltstore checks the same on the bbolt backend, by
// counting goroutines.
func TestSubscribeEndsOnBoltstore(t *testing.T) {
	e := newEnv(t, backends.Bolt)
	before := runtime.NumGoroutine()
	for range 10 {
		ctx, cancel := context.WithCancel(e.ctx)
		ch, err := chanOf(e.svc.Subscribe(ctx, "bob"))
		if err != nil {
			t.Fatal(err)
		}
		cancel()
		for range ch {
		}
	}
	deadline := time.Now().Add(5 * time.Second)
	for runtime.NumGoroutine() > before && time.Now().Before(deadline) {
		runtime.Gosched()
	}
	if got := runtime.NumGoroutine(); got > before {
		t.Errorf("got %d goroutines after ten cancelled subscriptions, want at most %d", got, before)
	}
}

func TestSubscribeEndsWhenTheStoreCloses(t *testing.T) {
	e := newEnv(t, backends.Mem)
	ch, err := chanOf(e.svc.Subscribe(e.ctx, "bob"))
	if err != nil {
		t.Fatal(err)
	}
	e.st.Close()
	for range ch {
	}
}

func TestSubscribeFollowsMembership(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		c := e.group(t, "ann", "cat")
		ctx, cancel := context.WithCancel(e.ctx)
		defer cancel()
		ch, err := chanOf(e.svc.Subscribe(ctx, "bob"))
		if err != nil {
			t.Fatal(err)
		}
		e.post(t, "ann", c.ID, "before bob")
		if err := e.svc.AddMember(e.ctx, "ann", c.ID, "bob"); err != nil {
			t.Fatal(err)
		}
		e.post(t, "ann", c.ID, "with bob")
		if err := e.svc.RemoveMember(e.ctx, "ann", c.ID, "bob"); err != nil {
			t.Fatal(err)
		}
		e.post(t, "ann", c.ID, "after bob")
		g, err := e.svc.CreateGroup(e.ctx, "cat", chat.GroupOptions{Name: "new", Members: []string{"bob"}})
		if err != nil {
			t.Fatal(err)
		}
		e.post(t, "cat", g.ID, "in the new group")
		want := []string{
			string(chat.MemberAdded), string(chat.MessageCreated + " with bob"), string(chat.MemberRemoved),
			string(chat.ConversationCreated), string(chat.MessageCreated + " in the new group"),
		}
		for i, w := range want {
			got := next(t, ch)
			desc := string(got.Type)
			if got.Message != nil {
				desc += " " + got.Message.Text
			}
			if desc != w {
				t.Errorf("change %d: got %q, want %q", i, desc, w)
			}
		}
	})
}
