package chat_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/workspace-go/workspace/chat"
	"github.com/workspace-go/workspace/internal/backends"
	"github.com/workspace-go/workspace/store"
)

func TestDistinctReactionsAreBounded(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		c := e.group(t, "ann", "bob")
		m := e.post(t, "ann", c.ID, "vote")
		for i := range chat.MaxReactions {
			if err := e.svc.React(e.ctx, "ann", m.ID, fmt.Sprintf(":e%d:", i)); err != nil {
				t.Fatal(err)
			}
		}
		before := e.last(t)
		err := e.svc.React(e.ctx, "bob", m.ID, ":one-too-many:")
		wantErr(t, err, chat.ErrTooLarge)
		wantErr(t, err, store.ErrInvalid)
		if e.last(t) != before {
			t.Error("a refused reaction wrote to the log")
		}
		if err := e.svc.React(e.ctx, "bob", m.ID, ":e0:"); err != nil {
			t.Errorf("got %v adding to an emoji already there, want it taken", err)
		}
		if err := e.svc.Unreact(e.ctx, "ann", m.ID, ":e1:"); err != nil {
			t.Fatal(err)
		}
		if err := e.svc.React(e.ctx, "bob", m.ID, ":new:"); err != nil {
			t.Errorf("got %v once an emoji left, want room for one", err)
		}
	})
}

func TestAMessageKeepsABoundedListOfReactors(t *testing.T) {
	e := newEnv(t, backends.Mem)
	users := make([]string, 300)
	for i := range users {
		users[i] = fmt.Sprintf("u%03d", i)
	}
	c, err := e.svc.CreateGroup(e.ctx, "ann", chat.GroupOptions{Name: "all", Members: users})
	if err != nil {
		t.Fatal(err)
	}
	m := e.post(t, "ann", c.ID, "lunch?")
	for _, u := range users {
		if err := e.svc.React(e.ctx, u, m.ID, "👍"); err != nil {
			t.Fatal(err)
		}
	}
	got, _ := e.svc.Message(e.ctx, "ann", m.ID)
	if r := got.Reactions; len(r) != 1 || r[0].Count != 300 || !equal(r[0].Users, users[:chat.MaxReactionUsers]) {
		t.Errorf("got reactions %+v, want 300 counted and the first %d listed", r, chat.MaxReactionUsers)
	}
	// One of the listed reactors leaves the list: the next one moves up.
	if err := e.svc.Unreact(e.ctx, users[0], m.ID, "👍"); err != nil {
		t.Fatal(err)
	}
	got, _ = e.svc.Message(e.ctx, "ann", m.ID)
	if r := got.Reactions[0]; r.Count != 299 || len(r.Users) != chat.MaxReactionUsers || r.Users[0] != users[1] {
		t.Errorf("got %+v after an unreact, want 299 with the list topped up", r)
	}
	var all []string
	for o := (chat.ListOptions{}); ; {
		p, err := e.svc.Reactors(e.ctx, "ann", m.ID, "👍", o)
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, p.Items...)
		if p.Next == "" {
			break
		}
		o.Cursor = p.Next
	}
	if !equal(all, users[1:]) {
		t.Errorf("got %d reactors over the pages, want the 299 left", len(all))
	}
	wantErr(t, e.svc.React(e.ctx, users[5], m.ID, "👍"), chat.ErrConflict)
}

// mentionText mentions users by name.
func mentionText(users []string) string {
	var b strings.Builder
	for _, u := range users {
		b.WriteString("@" + u + " ")
	}
	return b.String() + "please look"
}

func TestMentionsMakeABoundedNumberFollow(t *testing.T) {
	e := newEnv(t, backends.Mem)
	users := make([]string, 120)
	for i := range users {
		users[i] = fmt.Sprintf("u%03d", i)
	}
	c, err := e.svc.CreateGroup(e.ctx, "ann", chat.GroupOptions{Name: "all", Members: users})
	if err != nil {
		t.Fatal(err)
	}
	root := e.post(t, "ann", c.ID, "plan")
	r, err := e.svc.Post(e.ctx, "ann", c.ID, chat.Draft{Text: mentionText(users), ReplyTo: root.ID})
	if err != nil {
		t.Fatal(err)
	}
	if !equal(r.Mentions, users[:chat.MaxMentions]) {
		t.Errorf("got %d mentions, want the first %d", len(r.Mentions), chat.MaxMentions)
	}
	for _, tc := range []struct {
		user   string
		follow bool
	}{{users[0], true}, {users[chat.MaxMentions-1], true}, {users[chat.MaxMentions], false}, {users[119], false}} {
		p, err := e.svc.Inbox(e.ctx, tc.user, chat.ListOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if got := len(p.Items) == 1; got != tc.follow {
			t.Errorf("%s follows: got %v, want %v", tc.user, got, tc.follow)
		}
		u, _ := e.svc.Unread(e.ctx, tc.user, c.ID)
		_ = u
	}
	// @all adds no follower.
	r2, err := e.svc.Post(e.ctx, "ann", c.ID, chat.Draft{Text: "@all and @here", ReplyTo: root.ID})
	if err != nil {
		t.Fatal(err)
	}
	rc, _ := e.svc.Receipts(e.ctx, "ann", r2.ID)
	if rc.ReadCount+rc.UnreadCount != chat.MaxMentions {
		t.Errorf("got %d followers counted after @all, want %d", rc.ReadCount+rc.UnreadCount, chat.MaxMentions)
	}
}

func TestMentionsStopAddingFollowersAtTheThreadLimit(t *testing.T) {
	e := newEnv(t, backends.Mem)
	n := chat.MaxMentionFollowers + 100
	c, users := bigGroup(t, e.svc, n)
	root := e.post(t, "ann", c.ID, "plan")
	var last chat.Message
	var err error
	for i := 0; i < n; i += chat.MaxMentions {
		last, err = e.svc.Post(e.ctx, "ann", c.ID, chat.Draft{Text: mentionText(users[i:min(i+chat.MaxMentions, n)]), ReplyTo: root.ID})
		if err != nil {
			t.Fatal(err)
		}
	}
	rc, err := e.svc.Receipts(e.ctx, "ann", last.ID)
	if err != nil {
		t.Fatal(err)
	}
	// ann follows too, and is not counted in her own receipt.
	if got := rc.ReadCount + rc.UnreadCount + 1; got != chat.MaxMentionFollowers {
		t.Errorf("got %d followers after mentioning %d members, want %d", got, n, chat.MaxMentionFollowers)
	}
	// Replying still follows.
	late := users[n-1]
	if _, err := e.svc.Post(e.ctx, late, c.ID, chat.Draft{Text: "me too", ReplyTo: root.ID}); err != nil {
		t.Fatal(err)
	}
	if p, _ := e.svc.Inbox(e.ctx, late, chat.ListOptions{}); len(p.Items) != 1 {
		t.Errorf("a replier past the limit follows %d threads, want 1", len(p.Items))
	}
}

func TestAReplyToADeletedRootIsRefused(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		c := e.group(t, "ann", "bob")
		root := e.post(t, "ann", c.ID, "plan")
		r := e.reply(t, "bob", c.ID, root.ID, "ok")
		if err := e.svc.Delete(e.ctx, "ann", root.ID); err != nil {
			t.Fatal(err)
		}
		before := e.last(t)
		for _, to := range []string{root.ID, r.ID} {
			_, err := e.svc.Post(e.ctx, "bob", c.ID, chat.Draft{Text: "still?", ReplyTo: to})
			wantErr(t, err, chat.ErrDeleted)
		}
		if e.last(t) != before {
			t.Error("a refused reply wrote to the log")
		}
	})
}

func TestTimesOutsideYears1To9999AreRefused(t *testing.T) {
	for _, at := range []time.Time{
		time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC),
		time.Date(0, 12, 31, 23, 59, 59, 0, time.UTC),
		time.Date(-40000, 1, 1, 0, 0, 0, 0, time.UTC),
		time.Date(9999, 12, 31, 23, 0, 0, 0, time.FixedZone("", -2*3600)), // year 10000 in UTC
	} {
		t.Run(at.Format(time.RFC3339), func(t *testing.T) {
			e := newEnv(t, backends.Mem)
			c := e.group(t, "ann", "bob")
			m := e.post(t, "ann", c.ID, "hi")
			if err := e.svc.SetRetention(e.ctx, "legal", c.ID, 1); err != nil {
				t.Fatal(err)
			}
			e.clk.Set(at)
			before := e.last(t)
			calls := map[string]func() error{
				"post": func() error { _, err := e.svc.Post(e.ctx, "ann", c.ID, chat.Draft{Text: "x"}); return err },
				"reply": func() error {
					_, err := e.svc.Post(e.ctx, "ann", c.ID, chat.Draft{Text: "x", ReplyTo: m.ID})
					return err
				},
				"create": func() error {
					_, err := e.svc.CreateGroup(e.ctx, "ann", chat.GroupOptions{Name: "g"})
					return err
				},
				"direct": func() error { _, err := e.svc.OpenDirect(e.ctx, "ann", "zed"); return err },
				"react":  func() error { return e.svc.React(e.ctx, "bob", m.ID, "👍") },
				"edit":   func() error { _, err := e.svc.Edit(e.ctx, "ann", m.ID, "y"); return err },
				"read":   func() error { return e.svc.MarkRead(e.ctx, "bob", c.ID, "") },
				"purge":  func() error { _, err := e.svc.Purge(e.ctx, "legal", chat.PurgeOptions{}); return err },
			}
			for name, call := range calls {
				err := call()
				wantErr(t, err, chat.ErrInvalid)
				if err != nil && !strings.Contains(err.Error(), "year") {
					t.Errorf("%s: got %q, want it to name the year", name, err)
				}
			}
			if e.last(t) != before {
				t.Error("a call at an impossible time wrote to the log")
			}
		})
	}
}
