package workspace_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"github.com/workspace-go/workspace"
	"github.com/workspace-go/workspace/calendar"
	"github.com/workspace-go/workspace/chat"
	"github.com/workspace-go/workspace/docacl"
	bk "github.com/workspace-go/workspace/internal/backends"
	"github.com/workspace-go/workspace/store"
	"github.com/workspace-go/workspace/task"
)

func TestEventsCoverCalendarDocumentsAndTasks(t *testing.T) {
	bk.Run(t, func(t *testing.T, openStore func(testing.TB) store.Store) {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		ws := open(t, openStore(t), "acme")
		// The directory is kept outside docacl now: the people are users
		// of ws.Directory (docacl's PutUser refuses them).
		addPeople(t, ws, "ann", "bob", "carol")
		ann, bob, carol := events(t, ws, ctx, "ann", ""), events(t, ws, ctx, "bob", ""), events(t, ws, ctx, "carol", "")

		cal, err := ws.Calendar.CreateCalendar(ctx, "ann", calendar.Calendar{Name: "Ann", TimeZone: "UTC"})
		if err != nil {
			t.Fatal(err)
		}
		start := day.Add(48 * time.Hour)
		ev, err := ws.Calendar.CreateEvent(ctx, "ann", calendar.Event{CalendarID: cal.ID, Title: "Review",
			Start: start, End: start.Add(time.Hour), Attendees: []calendar.Attendee{{User: "bob"}}})
		if err != nil {
			t.Fatal(err)
		}
		if err := ws.Calendar.Respond(ctx, "bob", ev.ID, calendar.Accepted); err != nil {
			t.Fatal(err)
		}
		// The calendar's records do not carry the attendees: the router
		// reads the event, so it is deleted only once seen.
		seen := collect(t, bob, 2)
		if err := ws.Calendar.DeleteEvent(ctx, "ann", ev.ID); err != nil {
			t.Fatal(err)
		}
		doc, err := ws.Docs.Create(ctx, "ann", docacl.Resource{Kind: docacl.Document, Name: "Plan"})
		if err != nil {
			t.Fatal(err)
		}
		if err := ws.Docs.Grant(ctx, "ann", doc.ID, docacl.UserKey("carol"), docacl.Viewer, docacl.GrantOptions{}); err != nil {
			t.Fatal(err)
		}
		if err := ws.Docs.Revoke(ctx, "ann", doc.ID, docacl.UserKey("carol")); err != nil {
			t.Fatal(err)
		}
		if err := ws.Docs.Transfer(ctx, "ann", doc.ID, "bob", docacl.TransferOptions{}); err != nil {
			t.Fatal(err)
		}
		tk, err := ws.Tasks.Create(ctx, "ann", task.Spec{Title: "ship", Assignees: []string{"carol"}})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := ws.Tasks.Nudge(ctx, "ann", tk.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := ws.Tasks.Complete(ctx, "carol", tk.ID); err != nil {
			t.Fatal(err)
		}

		want := map[*workspace.EventStream][]string{
			ann:   {"event_invited", "event_rsvp", "event_cancelled", "doc_ownership_transferred", "task_created", "task_nudged", "task_done"},
			bob:   {"event_invited", "event_rsvp", "event_cancelled", "doc_ownership_transferred"},
			carol: {"doc_shared", "doc_access_removed", "task_created", "task_nudged", "task_done"},
		}
		for s, w := range want {
			var got []workspace.Event
			if s == bob {
				got = seen
				w = w[2:]
			}
			got = append(got, collect(t, s, len(w))...)
			w = want[s]
			if !slices.Equal(types(got), w) {
				t.Fatalf("got %v, want %v", types(got), w)
			}
			if s == bob {
				if got[0].CalendarEvent == nil || got[0].CalendarEvent.Title != "Review" || got[1].Subject != "bob" || got[1].Role != string(calendar.Accepted) {
					t.Fatalf("bob's calendar events %+v %+v", got[0], got[1])
				}
				if got[3].Resource != doc.ID || got[3].Subject != "bob" {
					t.Fatalf("transfer event %+v", got[3])
				}
			}
		}
		// Nothing more for bob (no task events, no document shares to
		// carol): the next is a marker.
		if _, err := ws.Chat.CreateGroup(ctx, "bob", chat.GroupOptions{Name: "marker"}); err != nil {
			t.Fatal(err)
		}
		if e := collect(t, bob, 1)[0]; e.Type != workspace.ConversationCreated {
			t.Fatalf("bob got %s, want the marker", e.Type)
		}
	})
}

// faultyStore fails Changes as the test says.
type faultyStore struct {
	store.Store
	fail atomic.Pointer[error]
}

func (f *faultyStore) Changes(ctx context.Context, after uint64, limit int) ([]store.Change, uint64, error) {
	if p := f.fail.Load(); p != nil {
		return nil, after, *p
	}
	return f.Store.Changes(ctx, after, limit)
}

func TestEventsRetryTransientErrorsAndEndOnPermanentOnes(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	fs := &faultyStore{Store: bk.Mem(t)}
	var retries atomic.Int32
	ws := open(t, fs, "", func(o *workspace.Options) {
		o.Backoff = &store.Backoff{Sleep: func(ctx context.Context, d time.Duration) error {
			retries.Add(1)
			return ctx.Err()
		}}
	})
	addPeople(t, ws, "u1", "u2")
	conv, err := ws.Chat.CreateGroup(ctx, "u1", chat.GroupOptions{Name: "ops", Members: []string{"u2"}})
	if err != nil {
		t.Fatal(err)
	}
	s := events(t, ws, ctx, "u2", "")
	transient := fmt.Errorf("connection reset: %w", store.ErrUnavailable)
	fs.fail.Store(&transient)
	if _, err := ws.Chat.Post(ctx, "u1", conv.ID, chat.Draft{Text: "during the outage"}); err != nil {
		t.Fatal(err)
	}
	for retries.Load() < 3 {
		time.Sleep(time.Millisecond) // waiting for the follower to retry, not for work
	}
	fs.fail.Store(nil)
	if ev := collect(t, s, 1)[0]; ev.Message.Text != "during the outage" {
		t.Fatalf("after the outage got %+v", ev)
	}
	permanent := fmt.Errorf("disk on fire: %w", store.ErrInvalid)
	fs.fail.Store(&permanent)
	if _, err := ws.Chat.Post(ctx, "u1", conv.ID, chat.Draft{Text: "lost?"}); err != nil {
		t.Fatal(err)
	}
	select {
	case _, ok := <-s.C():
		if ok {
			t.Fatal("an event after a permanent error")
		}
	case <-time.After(10 * time.Second):
		t.Fatal("stream did not end on a permanent error")
	}
	if err := s.Err(); !errors.Is(err, store.ErrInvalid) {
		t.Fatalf("Err = %v, want the permanent error", err)
	}
	// A new stream starts a new follower and resumes from the cursor once
	// the store is well again.
	fs.fail.Store(nil)
	r, err := ws.Events(ctx, "u2", s.Cursor())
	if err != nil {
		t.Fatal(err)
	}
	if ev := collect(t, r, 1)[0]; ev.Message.Text != "lost?" {
		t.Fatalf("resumed with %+v", ev)
	}
}

func TestEventsSlowReaderCatchesUpFromTheLog(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	ws := open(t, bk.Mem(t), "")
	addPeople(t, ws, "u1", "u2")
	conv, err := ws.Chat.CreateGroup(ctx, "u1", chat.GroupOptions{Name: "ops", Members: []string{"u2"}})
	if err != nil {
		t.Fatal(err)
	}
	s := events(t, ws, ctx, "u2", "")
	n := workspace.MaxEventBacklog + 200
	for i := range n {
		if _, err := ws.Chat.Post(ctx, "u1", conv.ID, chat.Draft{Text: fmt.Sprint(i)}); err != nil {
			t.Fatal(err)
		}
	}
	got := collect(t, s, n)
	for i, e := range got {
		if e.Message.Text != fmt.Sprint(i) {
			t.Fatalf("event %d is %q: lost or repeated", i, e.Message.Text)
		}
	}
}
