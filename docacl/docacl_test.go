package docacl

import (
	"context"
	"errors"
	"sort"
	"testing"
	"time"

	"github.com/workspace-go/workspace/internal/backends"
	"github.com/workspace-go/workspace/internal/clock"
	"github.com/workspace-go/workspace/internal/ids"
	"github.com/workspace-go/workspace/store"
	"github.com/workspace-go/workspace/store/memstore"
)

var t0 = time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC)

// forEachBackend runs fn as a subtest on every backend.
func forEachBackend(t *testing.T, fn func(t *testing.T, st store.Store)) {
	for _, b := range backends.All() {
		t.Run(b.Name, func(t *testing.T) { fn(t, b.Open(t)) })
	}
}

type env struct {
	*Service
	st    store.Store
	clock *clock.Fake
	ctx   context.Context
}

func testOptions(c *clock.Fake) []Option {
	return []Option{
		WithClock(c.Now), WithIDs(ids.Sequential("r")), WithLinkTokens(ids.Sequential("L")),
		WithAdmins("admin"), WithPasswordHashing(1, 8, 1),
	}
}

// newEnv returns a service with a small directory:
//
//	dept co (manager ceo) > eng (manager boss) > web (manager lead)
//	users: ceo(co) eve(co) boss(eng) carol(eng) lead(web) alice(web) bob(web) dave(-)
//	groups: g1 {alice}, g2 {g1}, g3 {g2, bob}
func newEnv(t testing.TB, st store.Store) *env {
	t.Helper()
	c := clock.NewFake(t0)
	s, err := New(context.Background(), st, testOptions(c)...)
	if err != nil {
		t.Fatal(err)
	}
	e := &env{Service: s, st: st, clock: c, ctx: context.Background()}
	e.must(t, s.PutUser(e.ctx, "admin", User{ID: "ceo"}))
	e.must(t, s.PutDept(e.ctx, "admin", Dept{ID: "co", Manager: "ceo"}))
	e.must(t, s.PutUser(e.ctx, "admin", User{ID: "ceo", Dept: "co"}))
	e.must(t, s.PutUser(e.ctx, "admin", User{ID: "eve", Dept: "co"}))
	e.must(t, s.PutUser(e.ctx, "admin", User{ID: "boss", Dept: "co"}))
	e.must(t, s.PutDept(e.ctx, "admin", Dept{ID: "eng", Parent: "co", Manager: "boss"}))
	e.must(t, s.PutUser(e.ctx, "admin", User{ID: "boss", Dept: "eng"}))
	e.must(t, s.PutUser(e.ctx, "admin", User{ID: "carol", Dept: "eng"}))
	e.must(t, s.PutUser(e.ctx, "admin", User{ID: "lead", Dept: "eng"}))
	e.must(t, s.PutDept(e.ctx, "admin", Dept{ID: "web", Parent: "eng", Manager: "lead"}))
	for _, u := range []string{"lead", "alice", "bob"} {
		e.must(t, s.PutUser(e.ctx, "admin", User{ID: u, Dept: "web"}))
	}
	e.must(t, s.PutUser(e.ctx, "admin", User{ID: "dave"}))
	for _, g := range []string{"g1", "g2", "g3"} {
		e.must(t, s.PutGroup(e.ctx, "admin", g, "group "+g))
	}
	e.must(t, s.AddMember(e.ctx, "admin", "g1", UserKey("alice")))
	e.must(t, s.AddMember(e.ctx, "admin", "g2", GroupKey("g1")))
	e.must(t, s.AddMember(e.ctx, "admin", "g3", GroupKey("g2")))
	e.must(t, s.AddMember(e.ctx, "admin", "g3", UserKey("bob")))
	return e
}

func (e *env) must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func (e *env) create(t testing.TB, actor string, kind ResourceKind, parent string) string {
	t.Helper()
	r, err := e.Create(e.ctx, actor, Resource{Kind: kind, Name: "x", Parent: parent})
	if err != nil {
		t.Fatalf("create %s in %q by %q: %v", kind, parent, actor, err)
	}
	return r.ID
}

func (e *env) role(t testing.TB, user, res string) Role {
	t.Helper()
	a, err := e.Role(e.ctx, user, res)
	if errors.Is(err, ErrNotFound) {
		return None
	}
	if err != nil {
		t.Fatalf("role of %q on %q: %v", user, res, err)
	}
	return a.Role
}

func TestRoleInheritance(t *testing.T) {
	forEachBackend(t, func(t *testing.T, st store.Store) {
		e := newEnv(t, st)
		top := e.create(t, "carol", Folder, "")
		mid := e.create(t, "carol", Folder, top)
		doc := e.create(t, "carol", Document, mid)
		e.must(t, e.Grant(e.ctx, "carol", top, GroupKey("g3"), Viewer, GrantOptions{}))
		e.must(t, e.Grant(e.ctx, "carol", mid, UserKey("alice"), Editor, GrantOptions{}))
		e.must(t, e.Grant(e.ctx, "carol", top, DeptKey("eng"), Commenter, GrantOptions{}))

		tests := []struct {
			name, user, res string
			want            Role
		}{
			{"the owner is owner", "carol", doc, Owner},
			{"a user grant on a folder is inherited two levels down", "alice", doc, Editor},
			{"a grant to a nested group reaches a member three groups deep", "alice", top, Commenter},
			{"a direct member of the outer group inherits the group's role", "bob", doc, Commenter},
			{"a department grant covers departments below it", "lead", doc, Commenter},
			{"a department grant does not cover departments above it", "eve", doc, None},
			{"a user with no grant has no access", "dave", doc, None},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				if got := e.role(t, tt.user, tt.res); got != tt.want {
					t.Errorf("role(%s, %s) = %v, want %v", tt.user, tt.res, got, tt.want)
				}
			})
		}

		t.Run("role says which grant and which folder", func(t *testing.T) {
			a, err := e.Role(e.ctx, "alice", doc)
			if err != nil {
				t.Fatal(err)
			}
			want := Access{Resource: doc, Role: Editor, Principal: UserKey("alice"), From: mid, Inherited: true}
			if a != want {
				t.Errorf("got %+v, want %+v", a, want)
			}
		})

		t.Run("limited access stops inheritance but keeps the owner and own grants", func(t *testing.T) {
			e.must(t, e.SetLimited(e.ctx, "carol", mid, true))
			if got := e.role(t, "bob", doc); got != None {
				t.Errorf("bob after limit = %v, want none", got)
			}
			if got := e.role(t, "alice", doc); got != Editor {
				t.Errorf("alice after limit = %v, want editor (grant on the limited folder)", got)
			}
			if got := e.role(t, "carol", doc); got != Owner {
				t.Errorf("owner after limit = %v, want owner", got)
			}
			e.must(t, e.SetLimited(e.ctx, "carol", mid, false))
			if got := e.role(t, "bob", doc); got != Commenter {
				t.Errorf("bob after unlimit = %v, want commenter", got)
			}
		})

		t.Run("the owner of a folder manages what is inside", func(t *testing.T) {
			d := e.create(t, "alice", Document, mid) // alice is editor of mid
			if got := e.role(t, "carol", d); got != Manager {
				t.Errorf("folder owner on alice's doc = %v, want manager", got)
			}
		})

		t.Run("moving re-evaluates inheritance", func(t *testing.T) {
			other := e.create(t, "carol", Folder, "")
			e.must(t, e.Move(e.ctx, "carol", doc, other))
			if got := e.role(t, "alice", doc); got != None {
				t.Errorf("alice after move = %v, want none", got)
			}
			e.must(t, e.Move(e.ctx, "carol", doc, mid))
			if got := e.role(t, "alice", doc); got != Editor {
				t.Errorf("alice after move back = %v, want editor", got)
			}
		})

		t.Run("moving a folder below itself is refused", func(t *testing.T) {
			err := e.Move(e.ctx, "carol", top, mid)
			if !errors.Is(err, ErrCycle) || !errors.Is(err, store.ErrInvalid) {
				t.Errorf("got %v, want ErrCycle", err)
			}
		})

		t.Run("the highest role wins", func(t *testing.T) {
			e.must(t, e.Grant(e.ctx, "carol", doc, TenantKey, Viewer, GrantOptions{}))
			if got := e.role(t, "alice", doc); got != Editor {
				t.Errorf("alice = %v, want editor", got)
			}
			if got := e.role(t, "dave", doc); got != Viewer {
				t.Errorf("dave via tenant = %v, want viewer", got)
			}
		})
	})
}

func TestExpiringGrant(t *testing.T) {
	forEachBackend(t, func(t *testing.T, st store.Store) {
		e := newEnv(t, st)
		doc := e.create(t, "carol", Document, "")
		e.must(t, e.Grant(e.ctx, "carol", doc, UserKey("dave"), Editor, GrantOptions{Expires: t0.Add(time.Hour)}))
		if got := e.role(t, "dave", doc); got != Editor {
			t.Errorf("before expiry = %v, want editor", got)
		}
		e.clock.Advance(time.Hour)
		if got := e.role(t, "dave", doc); got != None {
			t.Errorf("at expiry = %v, want none", got)
		}
		err := e.Grant(e.ctx, "carol", doc, UserKey("dave"), Editor, GrantOptions{Expires: t0})
		if !errors.Is(err, store.ErrInvalid) {
			t.Errorf("grant expiring in the past: got %v, want ErrInvalid", err)
		}
	})
}

func TestBadInput(t *testing.T) {
	forEachBackend(t, func(t *testing.T, st store.Store) {
		e := newEnv(t, st)
		doc := e.create(t, "carol", Document, "")
		e.must(t, e.Grant(e.ctx, "carol", doc, UserKey("alice"), Viewer, GrantOptions{}))
		e.must(t, e.Grant(e.ctx, "carol", doc, UserKey("bob"), Editor, GrantOptions{}))
		e2, err := New(context.Background(), st, append(testOptions(e.clock), WithEditorsCanShare(true))...)
		if err != nil {
			t.Fatal(err)
		}
		tests := []struct {
			name string
			do   func() error
			want error
		}{
			{"checking an unknown user", func() error { return e.Check(e.ctx, "nobody", doc, View) }, ErrNotFound},
			{"checking an unknown resource", func() error { return e.Check(e.ctx, "carol", "nope", View) }, ErrNotFound},
			{"checking an unknown action", func() error { return e.Check(e.ctx, "carol", doc, "fly") }, ErrInvalidRole},
			{"checking a resource the user cannot see", func() error { return e.Check(e.ctx, "dave", doc, View) }, store.ErrNotFound},
			{"checking an action above the user's role", func() error { return e.Check(e.ctx, "alice", doc, Edit) }, store.ErrPermission},
			{"granting an unknown role", func() error { return e.Grant(e.ctx, "carol", doc, UserKey("dave"), Role(9), GrantOptions{}) }, ErrInvalidRole},
			{"granting owner", func() error { return e.Grant(e.ctx, "carol", doc, UserKey("dave"), Owner, GrantOptions{}) }, store.ErrInvalid},
			{"granting to an unknown user", func() error { return e.Grant(e.ctx, "carol", doc, UserKey("ghost"), Viewer, GrantOptions{}) }, ErrNotFound},
			{"granting to an unknown group", func() error { return e.Grant(e.ctx, "carol", doc, GroupKey("ghost"), Viewer, GrantOptions{}) }, ErrNotFound},
			{"granting to a malformed principal", func() error { return e.Grant(e.ctx, "carol", doc, "boss", Viewer, GrantOptions{}) }, ErrInvalid},
			{"granting on a resource you can only view", func() error { return e.Grant(e.ctx, "alice", doc, UserKey("dave"), Viewer, GrantOptions{}) }, store.ErrPermission},
			{"granting on a resource you cannot see", func() error { return e.Grant(e.ctx, "dave", doc, UserKey("dave"), Viewer, GrantOptions{}) }, store.ErrNotFound},
			{"granting more than you hold", func() error { return e2.Grant(e.ctx, "bob", doc, UserKey("dave"), Manager, GrantOptions{}) }, store.ErrPermission},
			{"an editor changing someone else's grant", func() error { return e2.Grant(e.ctx, "bob", doc, UserKey("alice"), Editor, GrantOptions{}) }, store.ErrPermission},
			{"revoking the owner", func() error { return e.Revoke(e.ctx, "carol", doc, UserKey("carol")) }, ErrOwner},
			{"revoking a grant that does not exist", func() error { return e.Revoke(e.ctx, "carol", doc, UserKey("dave")) }, ErrNotFound},
			{"granting to the owner", func() error { return e.Grant(e.ctx, "carol", doc, UserKey("carol"), Viewer, GrantOptions{}) }, ErrOwner},
			{"transferring to an unknown user", func() error { return e.Transfer(e.ctx, "carol", doc, "outsider", TransferOptions{}) }, ErrNotFound},
			{"transferring by a non-owner", func() error { return e.Transfer(e.ctx, "bob", doc, "bob", TransferOptions{}) }, store.ErrPermission},
			{"transferring keeping owner", func() error { return e.Transfer(e.ctx, "carol", doc, "bob", TransferOptions{OldOwnerRole: Owner}) }, ErrInvalidRole},
			{"creating a group cycle", func() error { return e.AddMember(e.ctx, "admin", "g1", GroupKey("g3")) }, ErrCycle},
			{"adding a group to itself", func() error { return e.AddMember(e.ctx, "admin", "g1", GroupKey("g1")) }, ErrCycle},
			{"a department below itself", func() error { return e.PutDept(e.ctx, "admin", Dept{ID: "co", Parent: "web"}) }, ErrCycle},
			{"a non-admin editing the directory", func() error { return e.PutUser(e.ctx, "carol", User{ID: "zed"}) }, ErrNotAdmin},
			{"creating in a folder you cannot see", func() error {
				_, err := e.Create(e.ctx, "dave", Resource{Kind: Document, Parent: doc})
				return err
			}, store.ErrNotFound},
			{"creating an unknown kind", func() error {
				_, err := e.Create(e.ctx, "carol", Resource{Kind: "sheet"})
				return err
			}, store.ErrInvalid},
			{"creating inside a document", func() error {
				_, err := e.Create(e.ctx, "carol", Resource{Kind: Document, Parent: doc})
				return err
			}, store.ErrInvalid},
			{"deleting by an editor", func() error { return e.Delete(e.ctx, "bob", doc) }, store.ErrPermission},
			{"an anyone link without external access", func() error {
				_, err := e.CreateLink(e.ctx, "carol", doc, LinkOptions{Scope: LinkAnyoneView})
				return err
			}, store.ErrPermission},
			{"a link with an unknown scope", func() error {
				_, err := e.CreateLink(e.ctx, "carol", doc, LinkOptions{Scope: "public"})
				return err
			}, store.ErrInvalid},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				before, err := st.Last(e.ctx)
				if err != nil {
					t.Fatal(err)
				}
				err = tt.do()
				if !errors.Is(err, tt.want) {
					t.Errorf("got %v, want %v", err, tt.want)
				}
				after, _ := st.Last(e.ctx)
				if after != before {
					t.Errorf("log moved from %d to %d: something was written", before, after)
				}
			})
		}
		t.Run("errors about unseen resources do not differ from unknown ones", func(t *testing.T) {
			err1 := e.Grant(e.ctx, "dave", doc, UserKey("dave"), Viewer, GrantOptions{})
			err2 := e.Grant(e.ctx, "dave", "r_nothing", UserKey("dave"), Viewer, GrantOptions{})
			if !errors.Is(err1, ErrNotFound) || !errors.Is(err2, ErrNotFound) {
				t.Errorf("got %v and %v, want both ErrNotFound", err1, err2)
			}
		})
	})
}

func TestCrossServiceRevocation(t *testing.T) {
	forEachBackend(t, func(t *testing.T, st store.Store) {
		a := newEnv(t, st)
		b, err := New(context.Background(), st, testOptions(a.clock)...)
		if err != nil {
			t.Fatal(err)
		}
		doc := a.create(t, "carol", Document, "")
		a.must(t, a.Grant(a.ctx, "carol", doc, UserKey("dave"), Editor, GrantOptions{}))
		if err := b.Check(a.ctx, "dave", doc, Edit); err != nil {
			t.Fatalf("b before revoke: %v", err)
		}
		a.must(t, a.Revoke(a.ctx, "carol", doc, UserKey("dave")))
		if err := b.Check(a.ctx, "dave", doc, View); !errors.Is(err, ErrNotFound) {
			t.Errorf("b after a's revoke: got %v, want ErrNotFound", err)
		}
		a.must(t, b.AddMember(a.ctx, "admin", "g1", UserKey("dave")))
		a.must(t, a.Grant(a.ctx, "carol", doc, GroupKey("g1"), Viewer, GrantOptions{}))
		if err := b.Check(a.ctx, "dave", doc, View); err != nil {
			t.Errorf("b after a's group grant: %v", err)
		}
		a.must(t, a.RemoveMember(a.ctx, "admin", "g1", UserKey("dave")))
		if err := b.Check(a.ctx, "dave", doc, View); !errors.Is(err, ErrNotFound) {
			t.Errorf("b after a removed dave from the group: got %v, want ErrNotFound", err)
		}
	})
}

func TestTrimmedLogReloads(t *testing.T) {
	forEachBackend(t, func(t *testing.T, st store.Store) {
		a := newEnv(t, st)
		b, err := New(context.Background(), st, testOptions(a.clock)...)
		if err != nil {
			t.Fatal(err)
		}
		doc := a.create(t, "carol", Document, "")
		a.must(t, a.Grant(a.ctx, "carol", doc, UserKey("dave"), Editor, GrantOptions{}))
		if err := b.Check(a.ctx, "dave", doc, Edit); err != nil {
			t.Fatal(err)
		}
		a.must(t, a.Revoke(a.ctx, "carol", doc, UserKey("dave")))
		a.must(t, a.Grant(a.ctx, "carol", doc, UserKey("eve"), Viewer, GrantOptions{}))
		last, _ := st.Last(a.ctx)
		if err := st.Trim(a.ctx, last); err != nil {
			t.Fatal(err)
		}
		if err := b.Check(a.ctx, "dave", doc, View); !errors.Is(err, ErrNotFound) {
			t.Errorf("after a trimmed revoke: got %v, want ErrNotFound", err)
		}
		if err := b.Check(a.ctx, "eve", doc, View); err != nil {
			t.Errorf("eve: %v", err)
		}
	})
}

func contextWithCancel(e *env) (context.Context, context.CancelFunc) {
	return context.WithCancel(e.ctx)
}

func sortEntries(es []Entry) {
	sort.Slice(es, func(i, j int) bool { return es[i].Resource < es[j].Resource })
}

func clockAt(t time.Time) *clock.Fake { return clock.NewFake(t) }

func TestDeleteAndGet(t *testing.T) {
	forEachBackend(t, func(t *testing.T, st store.Store) {
		e := newEnv(t, st)
		f := e.create(t, "carol", Folder, "")
		doc := e.create(t, "carol", Document, f)
		e.must(t, e.Grant(e.ctx, "carol", doc, UserKey("dave"), Viewer, GrantOptions{}))
		_, err := e.CreateLink(e.ctx, "carol", doc, LinkOptions{Scope: LinkTenantView})
		e.must(t, err)

		t.Run("a viewer reads the resource", func(t *testing.T) {
			r, err := e.Resource(e.ctx, "dave", doc)
			e.must(t, err)
			if r.ID != doc || r.Parent != f || r.Owner != "carol" || r.Kind != Document || !r.Created.Equal(t0) {
				t.Errorf("got %+v", r)
			}
			if _, err := e.Resource(e.ctx, "eve", doc); !errors.Is(err, ErrNotFound) {
				t.Errorf("a stranger: got %v, want ErrNotFound", err)
			}
		})
		t.Run("a folder that is not empty cannot be deleted", func(t *testing.T) {
			if err := e.Delete(e.ctx, "carol", f); !errors.Is(err, ErrNotEmpty) {
				t.Errorf("got %v, want ErrNotEmpty", err)
			}
		})
		t.Run("the owner deletes; grants and links go, the trail stays", func(t *testing.T) {
			e.must(t, e.Delete(e.ctx, "carol", doc))
			e.must(t, e.Delete(e.ctx, "carol", f))
			if err := e.Check(e.ctx, "carol", doc, View); !errors.Is(err, ErrNotFound) {
				t.Errorf("after delete: got %v", err)
			}
			got, err := items(e.Accessible(e.ctx, "dave", ListOptions{}))
			e.must(t, err)
			if len(got) != 0 {
				t.Errorf("dave still lists %v", got)
			}
			trail, err := items(e.ResourceAudit(e.ctx, "admin", doc, PageOptions{Limit: 1}))
			e.must(t, err)
			if len(trail) != 1 || trail[0].Type != ResourceDeleted {
				t.Errorf("trail after delete: %+v", trail)
			}
			err = st.View(e.ctx, func(tx store.Tx) error {
				for k := range tx.Scan(store.Prefix(grantPrefix(doc))) {
					t.Errorf("grant key left: %q", k)
				}
				for k := range tx.Scan(store.Prefix(linkPrefix(doc))) {
					t.Errorf("link key left: %q", k)
				}
				return nil
			})
			e.must(t, err)
		})
	})
}

func TestErrorMessagesNameTheThing(t *testing.T) {
	e := newEnv(t, memstore.New())
	doc := e.create(t, "carol", Document, "")
	e.must(t, e.Grant(e.ctx, "carol", doc, UserKey("dave"), Viewer, GrantOptions{}))
	tests := []struct {
		name string
		err  error
		want string
	}{
		{"a denied action", e.Check(e.ctx, "dave", doc, Edit), `docacl: edit "` + doc + `": user "dave" is viewer, needs editor: permission denied`},
		{"an unseen resource", e.Check(e.ctx, "eve", doc, View), `docacl: resource "` + doc + `": not found`},
		{"an unknown user", e.Check(e.ctx, "ghost", doc, View), `docacl: user "ghost": not found`},
		{"a bad role", e.Grant(e.ctx, "carol", doc, UserKey("dave"), Role(7), GrantOptions{}), `docacl: grant role(7) on "` + doc + `" to "user:dave": invalid role: invalid argument`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.err == nil || tt.err.Error() != tt.want {
				t.Errorf("got %v\nwant %s", tt.err, tt.want)
			}
		})
	}
}

// items returns a page's items (nil for none), so that a test reads a
// listing as a slice.
func items[T any](p store.Page[T], err error) ([]T, error) {
	if len(p.Items) == 0 {
		return nil, err
	}
	return p.Items, err
}

// allAccessible reads every page of Accessible.
func allAccessible(ctx context.Context, s *Service, user string, opts ListOptions) ([]Entry, error) {
	var out []Entry
	for {
		pg, err := s.Accessible(ctx, user, opts)
		if err != nil {
			return nil, err
		}
		out = append(out, pg.Items...)
		if pg.Next == "" {
			return out, nil
		}
		opts.Cursor = pg.Next
	}
}
