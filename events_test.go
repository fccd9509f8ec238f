package workspace_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/workspace-go/workspace"
	"github.com/workspace-go/workspace/chat"
	bk "github.com/workspace-go/workspace/internal/backends"
	"github.com/workspace-go/workspace/store"
	"github.com/workspace-go/workspace/task"
)

// collect receives n events from s, failing after 10 s.
func collect(t *testing.T, s *workspace.EventStream, n int) []workspace.Event {
	t.Helper()
	var out []workspace.Event
	timeout := time.After(10 * time.Second)
	for len(out) < n {
		select {
		case ev, ok := <-s.C():
			if !ok {
				t.Fatalf("stream ended after %d of %d events: %v", len(out), n, s.Err())
			}
			out = append(out, ev)
		case <-timeout:
			t.Fatalf("got %d of %d events: %v", len(out), n, types(out))
		}
	}
	return out
}

func types(evs []workspace.Event) []string {
	var out []string
	for _, e := range evs {
		out = append(out, string(e.Type))
	}
	return out
}

func events(t *testing.T, ws *workspace.Workspace, ctx context.Context, user string, after workspace.Cursor) *workspace.EventStream {
	t.Helper()
	s, err := ws.Events(ctx, user, after)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestEventsReachExactlyThePeopleConcerned(t *testing.T) {
	bk.Run(t, func(t *testing.T, openStore func(testing.TB) store.Store) {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		ws := open(t, openStore(t), "acme")
		addPeople(t, ws, "u1", "u2", "u3")
		u1, u2, u3 := events(t, ws, ctx, "u1", ""), events(t, ws, ctx, "u2", ""), events(t, ws, ctx, "u3", "")

		conv, err := ws.Chat.CreateGroup(ctx, "u1", chat.GroupOptions{Name: "ops", Members: []string{"u2"}})
		if err != nil {
			t.Fatal(err)
		}
		m, err := ws.Chat.Post(ctx, "u1", conv.ID, chat.Draft{Text: "hello"})
		if err != nil {
			t.Fatal(err)
		}
		tk, err := ws.Tasks.Create(ctx, "u2", task.Spec{Title: "report", Assignees: []string{"u3"}})
		if err != nil {
			t.Fatal(err)
		}

		got1 := collect(t, u1, 2)
		if want := []string{"conversation_created", "message_posted"}; !slices.Equal(types(got1), want) {
			t.Fatalf("u1 got %v, want %v", types(got1), want)
		}
		if got1[1].Message == nil || got1[1].Message.ID != m.ID || got1[1].Actor != "u1" {
			t.Fatalf("message_posted carries %+v", got1[1])
		}
		got2 := collect(t, u2, 3)
		if want := []string{"conversation_created", "message_posted", "task_created"}; !slices.Equal(types(got2), want) {
			t.Fatalf("u2 got %v, want %v", types(got2), want)
		}
		got3 := collect(t, u3, 1)
		if got3[0].Type != workspace.TaskCreated || got3[0].TaskID != tk.ID || got3[0].Task == nil {
			t.Fatalf("u3 got %+v", got3[0])
		}
		// Nothing else is queued for u1 or u3: a marker they both get
		// comes next.
		if _, err := ws.Chat.CreateGroup(ctx, "u3", chat.GroupOptions{Name: "marker", Members: []string{"u1"}}); err != nil {
			t.Fatal(err)
		}
		for _, s := range []*workspace.EventStream{u1, u3} {
			if ev := collect(t, s, 1)[0]; ev.Type != workspace.ConversationCreated || ev.ConversationInfo.Name != "marker" {
				t.Fatalf("next event %v %+v, want the marker", ev.Type, ev.ConversationInfo)
			}
		}
	})
}

func TestEventsResumeAfterRestartWithNothingLostOrRepeated(t *testing.T) {
	bk.Run(t, func(t *testing.T, openStore func(testing.TB) store.Store) {
		ctx := context.Background()
		st := openStore(t)
		ws := open(t, st, "acme")
		addPeople(t, ws, "u1", "u2")
		conv, err := ws.Chat.CreateGroup(ctx, "u1", chat.GroupOptions{Name: "ops", Members: []string{"u2"}})
		if err != nil {
			t.Fatal(err)
		}
		sctx, cancel := context.WithCancel(ctx)
		s := events(t, ws, sctx, "u2", "")
		post := func(w *workspace.Workspace, text string) {
			if _, err := w.Chat.Post(ctx, "u1", conv.ID, chat.Draft{Text: text}); err != nil {
				t.Fatal(err)
			}
		}
		for i := range 3 {
			post(ws, fmt.Sprint("a", i))
		}
		first := collect(t, s, 3)
		cancel()
		<-s.Done()
		if !errors.Is(s.Err(), context.Canceled) {
			t.Fatalf("Err = %v, want context.Canceled", s.Err())
		}
		// Posted while disconnected, then the process restarts.
		for i := range 3 {
			post(ws, fmt.Sprint("b", i))
		}
		ws.Close()
		ws2 := open(t, st, "acme")
		post(ws2, "c0")
		rctx, rcancel := context.WithCancel(ctx)
		defer rcancel()
		r := events(t, ws2, rctx, "u2", first[len(first)-1].Cursor)
		post(ws2, "c1")
		rest := collect(t, r, 5)
		var texts []string
		for _, e := range append(first, rest...) {
			texts = append(texts, e.Message.Text)
		}
		if want := []string{"a0", "a1", "a2", "b0", "b1", "b2", "c0", "c1"}; !slices.Equal(texts, want) {
			t.Fatalf("messages %v, want %v", texts, want)
		}
	})
}

func TestEventsOnAnotherPostgreSQLNode(t *testing.T) {
	if len(bk.All()) < 3 {
		t.Skip("set " + bk.DSNEnv + " to run against PostgreSQL")
	}
	ctx := context.Background()
	schema := bk.FreshSchema(t)
	a := open(t, bk.PGSchema(t, schema), "acme")
	b := open(t, bk.PGSchema(t, schema), "acme")
	addPeople(t, a, "u1", "u2")
	conv, err := a.Chat.CreateGroup(ctx, "u1", chat.GroupOptions{Name: "ops", Members: []string{"u2"}})
	if err != nil {
		t.Fatal(err)
	}
	sctx, cancel := context.WithCancel(ctx)
	s := events(t, a, sctx, "u2", "")
	if _, err := a.Chat.Post(ctx, "u1", conv.ID, chat.Draft{Text: "one"}); err != nil {
		t.Fatal(err)
	}
	cur := collect(t, s, 1)[0].Cursor
	cancel()
	if _, err := a.Chat.Post(ctx, "u1", conv.ID, chat.Draft{Text: "two"}); err != nil {
		t.Fatal(err)
	}
	rctx, rcancel := context.WithCancel(ctx)
	defer rcancel()
	r := events(t, b, rctx, "u2", cur)
	if ev := collect(t, r, 1)[0]; ev.Message.Text != "two" {
		t.Fatalf("node b resumed with %q, want two", ev.Message.Text)
	}
}

func TestEventsTrimmedCursorAsksForResync(t *testing.T) {
	ctx := context.Background()
	st := bk.Mem(t)
	ws := open(t, st, "")
	addPeople(t, ws, "u1", "u2")
	conv, err := ws.Chat.CreateGroup(ctx, "u1", chat.GroupOptions{Name: "ops", Members: []string{"u2"}})
	if err != nil {
		t.Fatal(err)
	}
	sctx, cancel := context.WithCancel(ctx)
	defer cancel()
	s := events(t, ws, sctx, "u2", "")
	m, err := ws.Chat.Post(ctx, "u1", conv.ID, chat.Draft{Text: "one"})
	if err != nil {
		t.Fatal(err)
	}
	ev := collect(t, s, 1)[0]
	if _, err := ws.Chat.Post(ctx, "u1", conv.ID, chat.Draft{Text: "two"}); err != nil {
		t.Fatal(err)
	}
	// Still covered: resumes.
	if r, err := ws.Events(sctx, "u2", ev.Cursor); err != nil {
		t.Fatal(err)
	} else if got := collect(t, r, 1)[0]; got.Message.Text != "two" {
		t.Fatalf("resumed with %q", got.Message.Text)
	}
	last, _ := st.Last(ctx)
	if err := st.Trim(ctx, last); err != nil {
		t.Fatal(err)
	}
	_, err = ws.Events(sctx, "u2", ev.Cursor)
	if !errors.Is(err, workspace.ErrCursorExpired) || !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("Events after trim = %v, want ErrCursorExpired", err)
	}
	_ = m
	for _, bad := range []workspace.Cursor{"x", "!!", workspace.Cursor("MTox")} {
		if _, err := ws.Events(sctx, "u2", bad); !errors.Is(err, store.ErrInvalid) {
			t.Fatalf("Events(%q) = %v, want ErrInvalid", bad, err)
		}
	}
	if _, err := ws.Events(sctx, "", ""); !errors.Is(err, store.ErrInvalid) {
		t.Fatalf("Events with no user = %v", err)
	}
}

func TestEventsOfOneTenantIgnoreAnotherAndResumeAcrossItsRecords(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	st := bk.Mem(t)
	acme, other := open(t, st, "acme"), open(t, st, "other")
	addPeople(t, acme, "u1", "u2")
	addPeople(t, other, "u1", "u2")
	conv, err := acme.Chat.CreateGroup(ctx, "u1", chat.GroupOptions{Name: "ops", Members: []string{"u2"}})
	if err != nil {
		t.Fatal(err)
	}
	oconv, err := other.Chat.CreateGroup(ctx, "u1", chat.GroupOptions{Name: "ops", Members: []string{"u2"}})
	if err != nil {
		t.Fatal(err)
	}
	sctx, scancel := context.WithCancel(ctx)
	s := events(t, acme, sctx, "u2", "")
	start := s.Cursor()
	for i := range 3 {
		if _, err := other.Chat.Post(ctx, "u1", oconv.ID, chat.Draft{Text: fmt.Sprint("other ", i)}); err != nil {
			t.Fatal(err)
		}
		if _, err := acme.Chat.Post(ctx, "u1", conv.ID, chat.Draft{Text: fmt.Sprint("acme ", i)}); err != nil {
			t.Fatal(err)
		}
	}
	got := collect(t, s, 3)
	scancel()
	// From the cursor taken before any of it, and from the last event.
	for _, from := range []workspace.Cursor{start, got[0].Cursor} {
		r := events(t, acme, ctx, "u2", from)
		want := 3
		if from != start {
			want = 2
		}
		for i, e := range collect(t, r, want) {
			if text := e.Message.Text; text != fmt.Sprint("acme ", i+3-want) {
				t.Fatalf("from %q event %d is %q", from, i, text)
			}
		}
	}
}
