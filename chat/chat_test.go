package chat_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/workspace-go/workspace/chat"
	"github.com/workspace-go/workspace/internal/backends"
	"github.com/workspace-go/workspace/internal/clock"
	"github.com/workspace-go/workspace/internal/ids"
	"github.com/workspace-go/workspace/store"
)

var t0 = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

// env is one service over a fresh store, with a fake clock and
// sequential ids.
type env struct {
	st  store.Store
	svc *chat.Service
	clk *clock.Fake
	ctx context.Context
}

func newEnv(t *testing.T, open func(testing.TB) store.Store) *env {
	t.Helper()
	e := &env{st: open(t), clk: clock.NewFake(t0), ctx: t.Context()}
	svc, err := chat.New(context.Background(), e.st, chat.WithClock(e.clk.Now), chat.WithIDs(ids.Sequential("id")),
		chat.WithCompliance(func(a string) bool { return a == "legal" }))
	if err != nil {
		t.Fatal(err)
	}
	e.svc = svc
	return e
}

// each runs fn as a subtest on every backend.
func each(t *testing.T, fn func(t *testing.T, e *env)) {
	t.Helper()
	backends.Run(t, func(t *testing.T, open func(testing.TB) store.Store) { fn(t, newEnv(t, open)) })
}

func (e *env) group(t *testing.T, owner string, members ...string) chat.Conversation {
	t.Helper()
	c, err := e.svc.CreateGroup(e.ctx, owner, chat.GroupOptions{Name: "team", Members: members})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func (e *env) post(t *testing.T, actor, conv, text string) chat.Message {
	t.Helper()
	m, err := e.svc.Post(e.ctx, actor, conv, chat.Draft{Text: text})
	if err != nil {
		t.Fatalf("post %q: %v", text, err)
	}
	return m
}

func (e *env) reply(t *testing.T, actor, conv, root, text string) chat.Message {
	t.Helper()
	m, err := e.svc.Post(e.ctx, actor, conv, chat.Draft{Text: text, ReplyTo: root})
	if err != nil {
		t.Fatalf("reply %q: %v", text, err)
	}
	return m
}

func (e *env) unread(t *testing.T, actor, conv string) chat.Unread {
	t.Helper()
	u, err := e.svc.Unread(e.ctx, actor, conv)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

func (e *env) last(t *testing.T) uint64 {
	t.Helper()
	n, err := e.st.Last(e.ctx)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func texts(ms []chat.Message) []string {
	out := make([]string, len(ms))
	for i, m := range ms {
		out[i] = m.Text
	}
	return out
}

func equal[T comparable](a, b []T) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func wantErr(t *testing.T, err, want error) {
	t.Helper()
	if !errors.Is(err, want) {
		t.Errorf("got error %v, want %v", err, want)
	}
}

func errorsIs(err, target error) bool { return errors.Is(err, target) }

// chanOf returns the channel of a subscription.
func chanOf(sub *chat.Subscription, err error) (<-chan chat.Change, error) {
	if err != nil {
		return nil, err
	}
	return sub.C(), nil
}
