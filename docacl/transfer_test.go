package docacl

import (
	"errors"
	"fmt"
	"testing"

	"github.com/workspace-go/workspace/store"
)

func TestTransfer(t *testing.T) {
	tests := []struct {
		name    string
		opts    TransferOptions
		wantOld Role
	}{
		{"by default the old owner stays editor", TransferOptions{}, Editor},
		{"the old owner can keep a chosen role", TransferOptions{OldOwnerRole: Viewer}, Viewer},
		{"the old owner can be removed", TransferOptions{RemoveOldOwner: true}, None},
	}
	forEachBackend(t, func(t *testing.T, st store.Store) {
		e := newEnv(t, st)
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				doc := e.create(t, "carol", Document, "")
				e.must(t, e.Grant(e.ctx, "carol", doc, UserKey("dave"), Viewer, GrantOptions{}))
				e.must(t, e.Transfer(e.ctx, "carol", doc, "dave", tt.opts))
				if got := e.role(t, "dave", doc); got != Owner {
					t.Errorf("new owner = %v, want owner", got)
				}
				if got := e.role(t, "carol", doc); got != tt.wantOld {
					t.Errorf("old owner = %v, want %v", got, tt.wantOld)
				}
				gs, err := items(e.Grants(e.ctx, "dave", doc, PageOptions{}))
				e.must(t, err)
				for _, g := range gs {
					if g.Principal == UserKey("dave") {
						t.Errorf("the new owner kept a redundant grant %+v", g)
					}
				}
			})
		}
		t.Run("a recursive transfer moves the old owner's resources below the folder", func(t *testing.T) {
			f := e.create(t, "carol", Folder, "")
			d1 := e.create(t, "carol", Document, f)
			e.must(t, e.Grant(e.ctx, "carol", f, UserKey("alice"), Editor, GrantOptions{}))
			d2 := e.create(t, "alice", Document, f)
			e.must(t, e.Transfer(e.ctx, "carol", f, "eve", TransferOptions{Recursive: true}))
			for _, c := range []struct {
				res, user string
				want      Role
			}{{f, "eve", Owner}, {d1, "eve", Owner}, {d2, "alice", Owner}, {d2, "eve", Manager}} {
				if got := e.role(t, c.user, c.res); got != c.want {
					t.Errorf("%s on %s = %v, want %v", c.user, c.res, got, c.want)
				}
			}
		})
		t.Run("an admin may transfer any resource", func(t *testing.T) {
			doc := e.create(t, "carol", Document, "")
			e.must(t, e.Transfer(e.ctx, "admin", doc, "bob", TransferOptions{}))
			if got := e.role(t, "bob", doc); got != Owner {
				t.Errorf("bob = %v, want owner", got)
			}
		})
	})
}

func TestOffboard(t *testing.T) {
	forEachBackend(t, func(t *testing.T, st store.Store) {
		e := newEnv(t, st)
		f := e.create(t, "alice", Folder, "")
		var docs []string
		for range 5 {
			docs = append(docs, e.create(t, "alice", Document, f))
		}
		other := e.create(t, "carol", Document, "")
		e.must(t, e.Grant(e.ctx, "carol", other, UserKey("alice"), Editor, GrantOptions{}))
		e.must(t, e.Grant(e.ctx, "alice", docs[0], UserKey("bob"), Viewer, GrantOptions{}))
		_, err := e.CreateLink(e.ctx, "alice", docs[1], LinkOptions{Scope: LinkTenantView})
		e.must(t, err)

		t.Run("only admins offboard", func(t *testing.T) {
			if _, err := e.Offboard(e.ctx, "lead", "alice", OffboardOptions{}); !errors.Is(err, ErrNotAdmin) {
				t.Errorf("got %v, want ErrNotAdmin", err)
			}
		})
		t.Run("a user with no manager and no recipient is refused and nothing moves", func(t *testing.T) {
			d := e.create(t, "dave", Document, "")
			if _, err := e.Offboard(e.ctx, "admin", "dave", OffboardOptions{}); !errors.Is(err, ErrNoRecipient) {
				t.Errorf("got %v, want ErrNoRecipient", err)
			}
			if got := e.role(t, "dave", d); got != Owner {
				t.Errorf("dave after refused offboarding = %v, want owner", got)
			}
		})
		t.Run("everything moves to the department manager in one step", func(t *testing.T) {
			var calls []string
			rep, err := e.Offboard(e.ctx, "admin", "alice", OffboardOptions{Progress: func(done, total int) {
				calls = append(calls, fmt.Sprint(done, "/", total))
			}})
			e.must(t, err)
			want := OffboardReport{Recipient: "lead", Resources: 6, Grants: 1, Links: 1, Groups: 1}
			if rep != want {
				t.Errorf("report %+v, want %+v", rep, want)
			}
			if len(calls) == 0 || calls[len(calls)-1] != "6/6" {
				t.Errorf("progress calls %v, want them to end with 6/6", calls)
			}
			for _, d := range append(docs, f) {
				if got := e.role(t, "lead", d); got != Owner {
					t.Errorf("lead on %s = %v, want owner", d, got)
				}
			}
			if err := e.Check(e.ctx, "alice", docs[0], View); !errors.Is(err, ErrNotFound) {
				t.Errorf("alice after leaving: got %v, want ErrNotFound", err)
			}
			if got := e.role(t, "bob", docs[0]); got != Viewer {
				t.Errorf("bob's grant from alice = %v, want viewer (kept)", got)
			}
			gs, _ := items(e.Grants(e.ctx, "carol", other, PageOptions{}))
			if len(gs) != 0 {
				t.Errorf("grants to alice left on carol's doc: %+v", gs)
			}
			trail, err := items(e.ResourceAudit(e.ctx, "lead", docs[2], PageOptions{Limit: 1}))
			e.must(t, err)
			if len(trail) != 1 || trail[0].Type != OwnerTransferred || trail[0].Before != "alice" || trail[0].After != "lead" || trail[0].Actor != "admin" {
				t.Errorf("latest entry on a moved document: %+v", trail)
			}
			mine, err := items(e.UserAudit(e.ctx, "admin", "alice", PageOptions{Limit: 1}))
			e.must(t, err)
			if len(mine) != 1 || mine[0].Type != UserOffboarded || mine[0].After != "lead" {
				t.Errorf("latest entry for alice: %+v", mine)
			}
			g, _ := e.Group(e.ctx, "admin", "g1")
			if len(g.Members) != 0 {
				t.Errorf("g1 members after offboarding: %v", g.Members)
			}
		})
		t.Run("offboarding twice changes nothing", func(t *testing.T) {
			before, _ := st.Last(e.ctx)
			rep, err := e.Offboard(e.ctx, "admin", "alice", OffboardOptions{})
			e.must(t, err)
			if rep != (OffboardReport{}) {
				t.Errorf("second report %+v, want zeros", rep)
			}
			if after, _ := st.Last(e.ctx); after != before {
				t.Errorf("second run wrote: log %d -> %d", before, after)
			}
		})
		t.Run("an explicit recipient overrides the manager", func(t *testing.T) {
			d := e.create(t, "bob", Document, "")
			rep, err := e.Offboard(e.ctx, "admin", "bob", OffboardOptions{Recipient: "eve"})
			e.must(t, err)
			if rep.Recipient != "eve" {
				t.Errorf("recipient %q, want eve", rep.Recipient)
			}
			if got := e.role(t, "eve", d); got != Owner {
				t.Errorf("eve = %v, want owner", got)
			}
		})
		t.Run("a user's own manager comes before the department's", func(t *testing.T) {
			e.must(t, e.PutUser(e.ctx, "admin", User{ID: "carol", Dept: "eng", Manager: "ceo"}))
			rep, err := e.Offboard(e.ctx, "admin", "carol", OffboardOptions{})
			e.must(t, err)
			if rep.Recipient != "ceo" {
				t.Errorf("recipient %q, want ceo", rep.Recipient)
			}
		})
		t.Run("a manager who left is skipped", func(t *testing.T) {
			e.must(t, e.PutUser(e.ctx, "admin", User{ID: "mgr"}))
			e.must(t, e.PutUser(e.ctx, "admin", User{ID: "eve", Dept: "web", Manager: "mgr"}))
			_, err := e.Offboard(e.ctx, "admin", "mgr", OffboardOptions{})
			e.must(t, err)
			d := e.create(t, "eve", Document, "")
			rep, err := e.Offboard(e.ctx, "admin", "eve", OffboardOptions{})
			e.must(t, err)
			if rep.Recipient != "lead" {
				t.Errorf("recipient %q, want lead (eve's own manager left)", rep.Recipient)
			}
			if got := e.role(t, "lead", d); got != Owner {
				t.Errorf("lead = %v, want owner", got)
			}
		})
		t.Run("a department manager leaving goes to the manager above", func(t *testing.T) {
			d := e.create(t, "lead", Document, "")
			rep, err := e.Offboard(e.ctx, "admin", "lead", OffboardOptions{})
			e.must(t, err)
			if rep.Recipient != "boss" {
				t.Errorf("recipient %q, want boss", rep.Recipient)
			}
			if got := e.role(t, "boss", d); got != Owner {
				t.Errorf("boss = %v, want owner", got)
			}
		})
	})
}

func TestOffboardIsAtomic(t *testing.T) {
	forEachBackend(t, func(t *testing.T, st store.Store) {
		e := newEnv(t, st)
		var docs []string
		for range 20 {
			docs = append(docs, e.create(t, "bob", Document, ""))
		}
		// A cancelled context makes the commit fail: nothing may move.
		ctx, cancel := contextWithCancel(e)
		calls := 0
		_, err := e.Offboard(ctx, "admin", "bob", OffboardOptions{Progress: func(done, total int) {
			calls++
			if calls == 3 {
				cancel()
			}
		}})
		if err == nil {
			t.Fatal("offboarding with a cancelled context succeeded")
		}
		for _, d := range docs {
			if got := e.role(t, "bob", d); got != Owner {
				t.Fatalf("bob on %s after failed offboarding = %v, want owner", d, got)
			}
		}
		if got := e.role(t, "lead", docs[0]); got != None {
			t.Errorf("lead after failed offboarding = %v, want none", got)
		}
	})
}
