package workspace_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"sort"
	"testing"
	"time"

	"github.com/workspace-go/workspace"
	"github.com/workspace-go/workspace/chat"
	bk "github.com/workspace-go/workspace/internal/backends"
	"github.com/workspace-go/workspace/store"
	"github.com/workspace-go/workspace/task"
)

// eventModel is an independent model of who an operation concerns: it
// keeps memberships and task people itself and says, per operation that
// succeeded, which users must see which event.
type eventModel struct {
	members map[string]map[string]bool // conversation → users
	tasks   map[string]map[string]bool // task → creator, assignees, followers
	follows map[string]map[string]bool // task → followers
	want    map[string][]string        // user → "type id" in order
}

func (m *eventModel) tell(users map[string]bool, ev string) {
	var us []string
	for u, ok := range users {
		if ok {
			us = append(us, u)
		}
	}
	sort.Strings(us)
	for _, u := range us {
		m.want[u] = append(m.want[u], ev)
	}
}

func set(us ...string) map[string]bool {
	s := map[string]bool{}
	for _, u := range us {
		s[u] = true
	}
	return s
}

func union(a map[string]bool, us ...string) map[string]bool {
	s := maps(a)
	for _, u := range us {
		s[u] = true
	}
	return s
}

func maps(a map[string]bool) map[string]bool {
	s := map[string]bool{}
	for u, ok := range a {
		s[u] = ok
	}
	return s
}

// TestEventsMatchAnIndependentModel runs random memberships, posts, task
// assignments and follows, and checks that every user's live stream, and
// a stream caught up from the log afterwards, hold exactly the events the
// model says concern them, in order.
func TestEventsMatchAnIndependentModel(t *testing.T) {
	bk.Run(t, func(t *testing.T, openStore func(testing.TB) store.Store) {
		for seed := range uint64(3) {
			t.Run(fmt.Sprint("seed ", seed), func(t *testing.T) {
				testEventsModel(t, openStore(t), seed)
			})
		}
	})
}

func testEventsModel(t *testing.T, st store.Store, seed uint64) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	ws := open(t, st, "acme")
	rng := rand.New(rand.NewPCG(seed, 16))
	users := []string{"u0", "u1", "u2", "u3", "u4", "u5"}
	addPeople(t, ws, users...)
	pick := func() string { return users[rng.IntN(len(users))] }
	live := map[string]*workspace.EventStream{}
	var start workspace.Cursor
	for _, u := range users {
		live[u] = events(t, ws, ctx, u, "")
		start = live[u].Cursor()
	}
	m := &eventModel{members: map[string]map[string]bool{}, tasks: map[string]map[string]bool{}, follows: map[string]map[string]bool{}, want: map[string][]string{}}
	var convs, tasks []string
	for range 120 {
		switch op := rng.IntN(7); {
		case op == 0 || len(convs) == 0:
			owner := pick()
			others := []string{pick(), pick()}
			c, err := ws.Chat.CreateGroup(ctx, owner, chat.GroupOptions{Name: "g", Members: others})
			if err != nil {
				continue
			}
			m.members[c.ID] = union(set(owner), others...)
			convs = append(convs, c.ID)
			m.tell(m.members[c.ID], "conversation_created "+c.ID)
		case op == 1:
			c, u := convs[rng.IntN(len(convs))], pick()
			var actor string
			for a := range m.members[c] {
				if actor == "" || a < actor {
					actor = a
				}
			}
			if actor == "" || m.members[c][u] {
				continue
			}
			if err := ws.Chat.AddMember(ctx, actor, c, u); err != nil {
				continue
			}
			m.members[c][u] = true
			m.tell(m.members[c], "member_joined "+c)
		case op == 2:
			c, u := convs[rng.IntN(len(convs))], pick()
			if !m.members[c][u] {
				continue
			}
			if err := ws.Chat.Leave(ctx, u, c); err != nil {
				continue
			}
			m.tell(m.members[c], "member_left "+c)
			delete(m.members[c], u)
		case op == 3 || op == 4:
			c, u := convs[rng.IntN(len(convs))], pick()
			msg, err := ws.Chat.Post(ctx, u, c, chat.Draft{Text: "hi"})
			if err != nil {
				continue
			}
			m.tell(m.members[c], "message_posted "+msg.ID)
		case op == 5 || len(tasks) == 0:
			creator, a, f := pick(), pick(), pick()
			tk, err := ws.Tasks.Create(ctx, creator, task.Spec{Title: "t", Assignees: []string{a}, Followers: []string{f}})
			if err != nil {
				t.Fatal(err)
			}
			m.tasks[tk.ID] = set(creator, a, f)
			m.follows[tk.ID] = set(tk.Followers...)
			tasks = append(tasks, tk.ID)
			m.tell(m.tasks[tk.ID], "task_created "+tk.ID)
		default:
			id, actor, u := tasks[rng.IntN(len(tasks))], pick(), pick()
			if _, err := ws.Tasks.Follow(ctx, actor, id, u); err != nil || m.follows[id][u] {
				continue // refused, or already following: no change
			}
			m.follows[id][u] = true
			m.tasks[id] = union(m.tasks[id], u)
			m.tell(union(m.tasks[id], actor), "task_followed "+id)
		}
	}
	label := func(e workspace.Event) string {
		id := e.Conversation
		switch {
		case e.Type == workspace.MessagePosted:
			id = e.MessageID
		case e.TaskID != "":
			id = e.TaskID
		}
		return string(e.Type) + " " + id
	}
	check := func(how, u string, s *workspace.EventStream) {
		var got []string
		for _, e := range collectFor(s, len(m.want[u]), 2*time.Second) {
			got = append(got, label(e))
		}
		if !slices.Equal(got, m.want[u]) {
			t.Fatalf("%s stream of %s:\n got %v\nwant %v", how, u, got, m.want[u])
		}
	}
	for _, u := range users {
		check("live", u, live[u])
	}
	// Caught up from the log: the same, and then nothing more until a
	// marker.
	for _, u := range users {
		s := events(t, ws, ctx, u, start)
		check("caught-up", u, s)
		if _, err := ws.Tasks.Create(ctx, u, task.Spec{Title: "marker"}); err != nil {
			t.Fatal(err)
		}
		if e := collect(t, s, 1)[0]; e.Type != workspace.TaskCreated || e.Task.Title != "marker" {
			t.Fatalf("after catch-up %s got %s, want the marker", u, label(e))
		}
	}
}

// collectFor receives up to n events from s, for at most d.
func collectFor(s *workspace.EventStream, n int, d time.Duration) []workspace.Event {
	var out []workspace.Event
	timeout := time.After(d)
	for len(out) < n {
		select {
		case ev, ok := <-s.C():
			if !ok {
				return out
			}
			out = append(out, ev)
		case <-timeout:
			return out
		}
	}
	return out
}
