package docacl

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/workspace-go/workspace/store"
)

func TestDeepStructuresHaveNoCap(t *testing.T) {
	forEachBackend(t, func(t *testing.T, st store.Store) {
		e := newEnv(t, st)
		const depth = 300
		parent := ""
		var top string
		for i := range depth {
			parent = e.create(t, "carol", Folder, parent)
			if i == 0 {
				top = parent
			}
		}
		doc := e.create(t, "carol", Document, parent)
		// A chain of nested groups as deep as the folders.
		prev := UserKey("dave")
		for i := range depth {
			g := fmt.Sprintf("deep%03d", i)
			e.must(t, e.PutGroup(e.ctx, "admin", g, ""))
			e.must(t, e.AddMember(e.ctx, "admin", g, prev))
			prev = GroupKey(g)
		}
		e.must(t, e.Grant(e.ctx, "carol", top, prev, Commenter, GrantOptions{}))
		a, err := e.Role(e.ctx, "dave", doc)
		e.must(t, err)
		if a.Role != Commenter || a.From != top || a.Principal != prev {
			t.Errorf("got %+v, want commenter from %s through %s", a, top, prev)
		}
		err = e.AddMember(e.ctx, "admin", "deep000", prev)
		if !errors.Is(err, ErrCycle) {
			t.Errorf("closing a %d-group ring: got %v, want ErrCycle", depth, err)
		}
		got, err := allAccessible(e.ctx, e.Service, "dave", ListOptions{})
		e.must(t, err)
		if len(got) != depth+1 {
			t.Errorf("dave can list %d resources, want %d", len(got), depth+1)
		}
	})
}

func TestConcurrentWritersAndReaders(t *testing.T) {
	forEachBackend(t, func(t *testing.T, st store.Store) {
		e := newEnv(t, st)
		other, err := New(context.Background(), st, testOptions(e.clock)...)
		e.must(t, err)
		docs := make([]string, 4)
		for i := range docs {
			docs[i] = e.create(t, "carol", Document, "")
		}
		users := []string{"alice", "bob", "dave", "eve"}
		var wg sync.WaitGroup
		for w, s := range []*Service{e.Service, other, e.Service, other} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := range 20 {
					d := docs[(w+i)%len(docs)]
					u := users[w]
					if err := s.Grant(e.ctx, "carol", d, UserKey(u), Editor, GrantOptions{}); err != nil {
						t.Errorf("grant: %v", err)
						return
					}
					if err := s.Check(e.ctx, u, d, Edit); err != nil {
						t.Errorf("check right after own grant: %v", err)
					}
					if err := s.Revoke(e.ctx, "carol", d, UserKey(u)); err != nil {
						t.Errorf("revoke: %v", err)
						return
					}
					if err := s.Check(e.ctx, u, d, View); !errors.Is(err, ErrNotFound) {
						t.Errorf("check right after own revoke: got %v, want ErrNotFound", err)
					}
				}
			}()
		}
		wg.Wait()
		for _, d := range docs {
			gs, err := items(other.Grants(e.ctx, "carol", d, PageOptions{}))
			e.must(t, err)
			if len(gs) != 0 {
				t.Errorf("grants left on %s: %+v", d, gs)
			}
		}
	})
}

func TestNamespacesAreSeparateTenants(t *testing.T) {
	forEachBackend(t, func(t *testing.T, st store.Store) {
		a, err := store.Namespace(st, "acme")
		if err != nil {
			t.Fatal(err)
		}
		b, err := store.Namespace(st, "globex")
		if err != nil {
			t.Fatal(err)
		}
		ea, eb := newEnv(t, a), newEnv(t, b)
		doc := ea.create(t, "carol", Document, "")
		ea.must(t, ea.Grant(ea.ctx, "carol", doc, TenantKey, Viewer, GrantOptions{}))
		if err := eb.Check(eb.ctx, "dave", doc, View); !errors.Is(err, ErrNotFound) {
			t.Errorf("other tenant sees the document: %v", err)
		}
		if err := ea.Check(ea.ctx, "dave", doc, View); err != nil {
			t.Errorf("own tenant: %v", err)
		}
		// Busy neighbours move the shared log; the tenant stays correct.
		for range 5 {
			eb.create(t, "carol", Document, "")
		}
		ea.must(t, ea.Revoke(ea.ctx, "carol", doc, TenantKey))
		if err := ea.Check(ea.ctx, "dave", doc, View); !errors.Is(err, ErrNotFound) {
			t.Errorf("after revoke: %v", err)
		}
	})
}

func TestForeignWritesDoNotHideChanges(t *testing.T) {
	forEachBackend(t, func(t *testing.T, st store.Store) {
		a := newEnv(t, st)
		b, err := New(context.Background(), st, testOptions(a.clock)...)
		a.must(t, err)
		doc := a.create(t, "carol", Document, "")
		foreign := func() {
			t.Helper()
			a.must(t, st.Update(a.ctx, func(tx store.Tx) error {
				if err := tx.Put([]byte("chat/x"), []byte("y")); err != nil {
					return err
				}
				_, err := tx.Append("chat", []byte("{}"))
				return err
			}))
		}
		for i, u := range []string{"alice", "bob", "dave", "eve"} {
			foreign()
			if err := a.Check(a.ctx, u, doc, View); !errors.Is(err, ErrNotFound) {
				t.Fatalf("%s before the grant: got %v", u, err)
			}
			foreign()
			a.must(t, b.Grant(a.ctx, "carol", doc, UserKey(u), Viewer, GrantOptions{}))
			if i%2 == 0 {
				foreign()
			}
			if err := a.Check(a.ctx, u, doc, View); err != nil {
				t.Errorf("%s after b's grant behind foreign writes: %v", u, err)
			}
			a.must(t, b.Revoke(a.ctx, "carol", doc, UserKey(u)))
			foreign()
			if err := a.Check(a.ctx, u, doc, View); !errors.Is(err, ErrNotFound) {
				t.Errorf("%s after b's revoke: got %v", u, err)
			}
		}
	})
}

func TestCancelledReadLeavesTheModelSound(t *testing.T) {
	forEachBackend(t, func(t *testing.T, st store.Store) {
		a := newEnv(t, st)
		b, err := New(context.Background(), st, testOptions(a.clock)...)
		a.must(t, err)
		doc := a.create(t, "carol", Document, "")
		a.must(t, a.Check(a.ctx, "carol", doc, View))
		a.must(t, b.Grant(a.ctx, "carol", doc, UserKey("dave"), Viewer, GrantOptions{}))
		cancelled, cancel := context.WithCancel(a.ctx)
		cancel()
		if err := a.Check(cancelled, "dave", doc, View); !errors.Is(err, context.Canceled) {
			t.Errorf("cancelled check: got %v, want context.Canceled", err)
		}
		if err := a.Check(a.ctx, "dave", doc, View); err != nil {
			t.Errorf("check after a cancelled one: %v", err)
		}
		a.must(t, b.Revoke(a.ctx, "carol", doc, UserKey("dave")))
		if err := a.Check(a.ctx, "dave", doc, View); !errors.Is(err, ErrNotFound) {
			t.Errorf("after revoke: got %v", err)
		}
	})
}
