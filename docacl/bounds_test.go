package docacl

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/workspace-go/workspace/store"
)

// extremeTimes are times no API may accept: outside years 1–9999, or
// with a zone offset that RFC 3339 cannot write.
var extremeTimes = []struct {
	name string
	t    time.Time
}{
	{"year 10000", time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)},
	{"year 0", time.Date(0, 6, 1, 0, 0, 0, 0, time.UTC)},
	{"year -1", time.Date(-1, 6, 1, 0, 0, 0, 0, time.UTC)},
	{"year 292277026596", time.Unix(1<<62, 0)},
	{"an offset of 30 hours", time.Date(2030, 1, 1, 0, 0, 0, 0, time.FixedZone("far", 30*3600))},
	{"year 9999 in its zone but 10000 in UTC", time.Date(9999, 12, 31, 23, 0, 0, 0, time.FixedZone("west", -5*3600))},
}

// usable fails the test unless the Service still answers reads and takes
// writes, within a deadline, so that a lock leaked by an earlier call shows
// as a failure rather than a hung test.
func usable(t *testing.T, e *env, doc string) {
	t.Helper()
	done := make(chan error, 1)
	go func() {
		ctx, cancel := context.WithTimeout(e.ctx, 10*time.Second)
		defer cancel()
		if err := e.Grant(ctx, "carol", doc, UserKey("bob"), Commenter, GrantOptions{}); err != nil {
			done <- err
			return
		}
		if err := e.Check(ctx, "bob", doc, Comment); err != nil {
			done <- err
			return
		}
		if err := e.Revoke(ctx, "carol", doc, UserKey("bob")); err != nil {
			done <- err
			return
		}
		done <- e.Check(ctx, "bob", doc, View)
	}()
	select {
	case err := <-done:
		if !errors.Is(err, ErrNotFound) {
			t.Fatalf("after revoking, bob's check = %v; want ErrNotFound", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("the Service no longer answers: a lock was left held")
	}
}

func TestTimesOutsideYears1To9999AreInvalid(t *testing.T) {
	forEachBackend(t, func(t *testing.T, st store.Store) {
		e := newEnv(t, st)
		doc := e.create(t, "carol", Document, "")
		for _, x := range extremeTimes {
			t.Run("a grant expiring in "+x.name+" is refused", func(t *testing.T) {
				err := e.Grant(e.ctx, "carol", doc, UserKey("alice"), Viewer, GrantOptions{Expires: x.t})
				if !errors.Is(err, ErrInvalid) || !errors.Is(err, store.ErrInvalid) {
					t.Errorf("got %v; want ErrInvalid", err)
				}
				usable(t, e, doc)
			})
			t.Run("a link expiring in "+x.name+" is refused", func(t *testing.T) {
				_, err := e.CreateLink(e.ctx, "carol", doc, LinkOptions{Scope: LinkTenantView, Expires: x.t})
				if !errors.Is(err, ErrInvalid) {
					t.Errorf("got %v; want ErrInvalid", err)
				}
				usable(t, e, doc)
			})
			t.Run("a sweep at "+x.name+" is refused", func(t *testing.T) {
				if _, err := e.Sweep(e.ctx, x.t); !errors.Is(err, ErrInvalid) {
					t.Errorf("got %v; want ErrInvalid", err)
				}
				usable(t, e, doc)
			})
		}
		t.Run("the bounds themselves are accepted", func(t *testing.T) {
			last := time.Date(9999, 12, 31, 23, 59, 59, 0, time.UTC)
			e.must(t, e.Grant(e.ctx, "carol", doc, UserKey("alice"), Viewer, GrantOptions{Expires: last}))
			if _, err := e.CreateLink(e.ctx, "carol", doc, LinkOptions{Scope: LinkTenantView, Expires: last}); err != nil {
				t.Fatal(err)
			}
			if _, err := e.Sweep(e.ctx, time.Date(1, 1, 2, 0, 0, 0, 0, time.UTC)); err != nil {
				t.Fatal(err)
			}
			if got := e.role(t, "alice", doc); got != Viewer {
				t.Errorf("alice = %v; want viewer until 9999", got)
			}
		})
		t.Run("a clock outside the bounds fails writes with ErrInvalid", func(t *testing.T) {
			e.clock.Set(time.Date(10000, 1, 2, 0, 0, 0, 0, time.UTC))
			err := e.Grant(e.ctx, "carol", doc, UserKey("dave"), Viewer, GrantOptions{})
			e.clock.Set(t0)
			if !errors.Is(err, ErrInvalid) {
				t.Errorf("got %v; want ErrInvalid", err)
			}
			usable(t, e, doc)
		})
	})
}

func TestPanicInsideAWriteLeavesTheServiceUsable(t *testing.T) {
	forEachBackend(t, func(t *testing.T, st store.Store) {
		e := newEnv(t, st)
		doc := e.create(t, "carol", Document, "")
		panics := func(name string, f func()) {
			t.Helper()
			defer func() {
				if recover() == nil {
					t.Errorf("%s: no panic", name)
				}
			}()
			f()
		}
		// The panic is raised where validation and encoding run: inside
		// the build function, under the model's read lock, holding the
		// writer slot.
		panics("write", func() {
			_, _ = e.write(e.ctx, func(m *model, now time.Time) (*plan, error) { panic("injected") })
		})
		usable(t, e, doc)
		panics("read", func() {
			_ = e.read(e.ctx, func(m *model) error { panic("injected") })
		})
		usable(t, e, doc)
	})
}

// A manager of someone else's document used to move it under a folder
// they own, and so keep Manager (as the folder's owner) after the owner
// revoked their grant.
func TestAManagerCannotKeepAccessByMovingADocument(t *testing.T) {
	forEachBackend(t, func(t *testing.T, st store.Store) {
		e := newEnv(t, st)
		doc := e.create(t, "carol", Document, "")
		mine := e.create(t, "alice", Folder, "")
		e.must(t, e.Grant(e.ctx, "carol", doc, UserKey("alice"), Manager, GrantOptions{}))

		err := e.Move(e.ctx, "alice", doc, mine)
		if !errors.Is(err, ErrPermission) {
			t.Errorf("alice moves carol's document into her folder: %v; want ErrPermission", err)
		}
		e.must(t, e.Revoke(e.ctx, "carol", doc, UserKey("alice")))
		if got := e.role(t, "alice", doc); got != None {
			t.Errorf("alice after carol revoked her = %v; want none", got)
		}

		t.Run("the owner still moves it, and chooses who inherits", func(t *testing.T) {
			e.must(t, e.Grant(e.ctx, "alice", mine, UserKey("carol"), Editor, GrantOptions{}))
			e.must(t, e.Move(e.ctx, "carol", doc, mine))
			if got := e.role(t, "alice", doc); got != Manager {
				t.Errorf("alice, owner of the folder carol chose = %v; want manager", got)
			}
		})
	})
}
