package docacl

import (
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/workspace-go/workspace/store"
)

func TestAccessKeys(t *testing.T) {
	forEachBackend(t, func(t *testing.T, st store.Store) {
		e := newEnv(t, st)
		got, err := e.System().AccessKeys(e.ctx, "alice")
		e.must(t, err)
		want := []string{"dept:co", "dept:eng", "dept:web", "group:g1", "group:g2", "group:g3", "tenant", "user:alice"}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("got %v, want %v", got, want)
		}
		if _, err := e.System().AccessKeys(e.ctx, "ghost"); !errors.Is(err, ErrNotFound) {
			t.Errorf("unknown user: got %v, want ErrNotFound", err)
		}
	})
}

func TestAccessible(t *testing.T) {
	forEachBackend(t, func(t *testing.T, st store.Store) {
		e := newEnv(t, st)
		top := e.create(t, "carol", Folder, "")
		mid := e.create(t, "carol", Folder, top)
		d1 := e.create(t, "carol", Document, mid)
		lim := e.create(t, "carol", Folder, mid)
		d2 := e.create(t, "carol", Document, lim)
		other := e.create(t, "carol", Document, "")
		e.must(t, e.SetLimited(e.ctx, "carol", lim, true))
		e.must(t, e.Grant(e.ctx, "carol", top, GroupKey("g3"), Viewer, GrantOptions{}))
		e.must(t, e.Grant(e.ctx, "carol", mid, UserKey("alice"), Editor, GrantOptions{}))
		e.must(t, e.Grant(e.ctx, "carol", d2, UserKey("alice"), Commenter, GrantOptions{}))
		_ = other

		tests := []struct {
			name string
			user string
			opts ListOptions
			want []Entry
		}{
			{"everything a user can view, with roles", "alice", ListOptions{},
				[]Entry{{mid, Editor}, {d1, Editor}, {d2, Commenter}, {top, Viewer}}},
			{"with a minimum role", "alice", ListOptions{MinRole: Editor},
				[]Entry{{mid, Editor}, {d1, Editor}}},
			{"from a folder down", "alice", ListOptions{Under: lim},
				[]Entry{{d2, Commenter}}},
			{"through a group, stopping at limited access", "bob", ListOptions{},
				[]Entry{{mid, Viewer}, {d1, Viewer}, {top, Viewer}}},
			{"nothing for a stranger", "dave", ListOptions{}, nil},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				got, err := items(e.Accessible(e.ctx, tt.user, tt.opts))
				e.must(t, err)
				sortEntries(got)
				want := append([]Entry(nil), tt.want...)
				sortEntries(want)
				if !reflect.DeepEqual(got, want) {
					t.Errorf("got %v, want %v", got, want)
				}
			})
		}
		t.Run("listing under a folder the user cannot see is not found", func(t *testing.T) {
			if _, err := items(e.Accessible(e.ctx, "dave", ListOptions{Under: top})); !errors.Is(err, ErrNotFound) {
				t.Errorf("got %v, want ErrNotFound", err)
			}
		})
	})
}

func TestWho(t *testing.T) {
	forEachBackend(t, func(t *testing.T, st store.Store) {
		e := newEnv(t, st)
		top := e.create(t, "carol", Folder, "")
		doc := e.create(t, "eve", Document, "")
		e.must(t, e.Move(e.ctx, "eve", doc, "")) // no-op move
		e.must(t, e.Grant(e.ctx, "carol", top, UserKey("eve"), Editor, GrantOptions{}))
		e.must(t, e.Move(e.ctx, "eve", doc, top))
		e.must(t, e.Grant(e.ctx, "carol", top, GroupKey("g3"), Viewer, GrantOptions{}))
		e.must(t, e.Grant(e.ctx, "eve", doc, DeptKey("web"), Commenter, GrantOptions{}))
		got, err := items(e.Who(e.ctx, "bob", doc, PageOptions{}))
		e.must(t, err)
		roles := map[string]Role{}
		for _, u := range got {
			roles[u.User] = u.Role
		}
		want := map[string]Role{"eve": Owner, "carol": Manager, "alice": Commenter, "bob": Commenter, "lead": Commenter}
		if !reflect.DeepEqual(roles, want) {
			t.Errorf("got %v, want %v", roles, want)
		}
		if _, err := items(e.Who(e.ctx, "dave", doc, PageOptions{})); !errors.Is(err, ErrNotFound) {
			t.Errorf("who by a stranger: got %v, want ErrNotFound", err)
		}
	})
}

func TestAuditAndChanges(t *testing.T) {
	forEachBackend(t, func(t *testing.T, st store.Store) {
		e := newEnv(t, st)
		start, _ := st.Last(e.ctx)
		doc := e.create(t, "carol", Document, "")
		e.must(t, e.Grant(e.ctx, "carol", doc, UserKey("dave"), Viewer, GrantOptions{}))
		e.must(t, e.Grant(e.ctx, "carol", doc, UserKey("dave"), Editor, GrantOptions{}))
		e.must(t, e.Revoke(e.ctx, "carol", doc, UserKey("dave")))
		e.must(t, e.Transfer(e.ctx, "carol", doc, "eve", TransferOptions{}))

		t.Run("per resource, newest first, with before and after", func(t *testing.T) {
			got, err := items(e.ResourceAudit(e.ctx, "eve", doc, PageOptions{}))
			e.must(t, err)
			type row struct {
				typ                             ChangeType
				actor, principal, before, after string
			}
			var rows []row
			for _, a := range got {
				rows = append(rows, row{a.Type, a.Actor, a.Principal, a.Before, a.After})
				if !a.At.Equal(t0) {
					t.Errorf("entry time %v, want %v", a.At, t0)
				}
			}
			want := []row{
				{OwnerTransferred, "carol", "", "carol", "eve"},
				{GrantRevoked, "carol", "user:dave", "editor", ""},
				{GrantSet, "carol", "user:dave", "viewer", "editor"},
				{GrantSet, "carol", "user:dave", "", "viewer"},
				{ResourceCreated, "carol", "", "", ""},
			}
			if !reflect.DeepEqual(rows, want) {
				t.Errorf("got %v\nwant %v", rows, want)
			}
			first, err := e.ResourceAudit(e.ctx, "eve", doc, PageOptions{Limit: 2})
			e.must(t, err)
			if len(first.Items) != 2 || first.Items[1].ID != got[1].ID || first.Next == "" {
				t.Fatalf("first page of 2: %+v", first)
			}
			page, err := e.ResourceAudit(e.ctx, "eve", doc, PageOptions{Limit: 2, Cursor: first.Next})
			e.must(t, err)
			if len(page.Items) != 2 || page.Items[0].ID != got[2].ID || page.Next == "" {
				t.Errorf("page after %s: %+v", got[1].ID, page)
			}
			last, err := e.ResourceAudit(e.ctx, "eve", doc, PageOptions{Limit: 2, Cursor: page.Next})
			e.must(t, err)
			if len(last.Items) != 1 || last.Items[0].ID != got[4].ID || last.Next != "" {
				t.Errorf("last page: %+v", last)
			}
		})
		t.Run("per user", func(t *testing.T) {
			got, err := items(e.UserAudit(e.ctx, "dave", "dave", PageOptions{}))
			e.must(t, err)
			if len(got) != 4 { // added to the directory, two grants, a revoke
				t.Errorf("dave's entries: %d, want 4", len(got))
			}
			if _, err := items(e.UserAudit(e.ctx, "dave", "carol", PageOptions{})); !errors.Is(err, store.ErrPermission) {
				t.Errorf("reading another's trail: got %v, want ErrPermission", err)
			}
		})
		t.Run("a viewer cannot read the resource's trail", func(t *testing.T) {
			if _, err := items(e.ResourceAudit(e.ctx, "dave", doc, PageOptions{})); !errors.Is(err, store.ErrNotFound) {
				t.Errorf("got %v, want ErrNotFound", err)
			}
		})
		t.Run("every change is on the log", func(t *testing.T) {
			recs, _, err := st.Changes(e.ctx, start, 100)
			e.must(t, err)
			var types []ChangeType
			for _, r := range recs {
				c, ok, err := DecodeChange(r)
				e.must(t, err)
				if ok {
					types = append(types, c.Type)
					if len(c.Resources) != 1 || c.Resources[0] != doc {
						t.Errorf("%s names resources %v, want [%s]", c.Type, c.Resources, doc)
					}
				}
			}
			want := []ChangeType{ResourceCreated, GrantSet, GrantSet, GrantRevoked, OwnerTransferred}
			if !reflect.DeepEqual(types, want) {
				t.Errorf("got %v, want %v", types, want)
			}
			if _, ok, _ := DecodeChange(store.Change{Kind: "chat"}); ok {
				t.Error("DecodeChange accepted another package's record")
			}
			if _, _, err := DecodeChange(store.Change{Kind: Kind, Data: []byte("{")}); !errors.Is(err, store.ErrInvalid) {
				t.Errorf("bad record: got %v, want ErrInvalid", err)
			}
		})
	})
}

func TestViewerKeys(t *testing.T) {
	forEachBackend(t, func(t *testing.T, st store.Store) {
		e := newEnv(t, st)
		top := e.create(t, "carol", Folder, "")
		mid := e.create(t, "alice", Folder, "")
		e.must(t, e.Grant(e.ctx, "alice", mid, UserKey("carol"), Manager, GrantOptions{}))
		e.must(t, e.Grant(e.ctx, "carol", top, UserKey("alice"), Editor, GrantOptions{}))
		e.must(t, e.Move(e.ctx, "alice", mid, top))
		doc := e.create(t, "bob", Document, "")
		e.must(t, e.Grant(e.ctx, "bob", doc, UserKey("carol"), Manager, GrantOptions{}))
		e.must(t, e.Grant(e.ctx, "alice", mid, UserKey("bob"), Editor, GrantOptions{}))
		e.must(t, e.Move(e.ctx, "bob", doc, mid))
		e.must(t, e.Grant(e.ctx, "carol", top, GroupKey("g2"), Viewer, GrantOptions{}))
		e.must(t, e.Grant(e.ctx, "carol", doc, DeptKey("web"), Viewer, GrantOptions{Expires: t0.Add(time.Hour)}))
		got, err := e.System().ViewerKeys(e.ctx, doc)
		e.must(t, err)
		want := []string{"dept:web", "group:g2", "user:alice", "user:bob", "user:carol"}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("got %v, want %v", got, want)
		}
		e.clock.Advance(time.Hour)
		e.must(t, e.SetLimited(e.ctx, "carol", mid, true))
		got, err = e.System().ViewerKeys(e.ctx, doc)
		e.must(t, err)
		want = []string{"user:alice", "user:bob", "user:carol"}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("after expiry and limiting: got %v, want %v", got, want)
		}
		// The keys agree with Check for every user.
		for _, u := range []string{"alice", "bob", "carol", "dave", "eve", "lead", "boss", "ceo"} {
			ks, err := e.System().AccessKeys(e.ctx, u)
			e.must(t, err)
			shared := false
			for _, k := range ks {
				for _, v := range got {
					shared = shared || k == v
				}
			}
			if canView := e.Check(e.ctx, u, doc, View) == nil; canView != shared {
				t.Errorf("%s: can view %v, shares a key %v", u, canView, shared)
			}
		}
	})
}
