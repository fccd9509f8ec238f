package docacl

import (
	"errors"
	"reflect"
	"testing"

	"github.com/workspace-go/workspace/store"
)

func TestDirectory(t *testing.T) {
	forEachBackend(t, func(t *testing.T, st store.Store) {
		e := newEnv(t, st)
		t.Run("a directory admin may manage the directory", func(t *testing.T) {
			if err := e.PutUser(e.ctx, "eve", User{ID: "zed"}); !errors.Is(err, ErrNotAdmin) {
				t.Fatalf("before: got %v, want ErrNotAdmin", err)
			}
			e.must(t, e.PutUser(e.ctx, "admin", User{ID: "eve", Dept: "co", Admin: true}))
			e.must(t, e.PutUser(e.ctx, "eve", User{ID: "zed", Dept: "web", Manager: "lead"}))
			u, err := e.User(e.ctx, "bob", "zed")
			e.must(t, err)
			if want := (User{ID: "zed", Dept: "web", Manager: "lead"}); u != want {
				t.Errorf("got %+v, want %+v", u, want)
			}
		})
		t.Run("users need an existing department and manager", func(t *testing.T) {
			if err := e.PutUser(e.ctx, "admin", User{ID: "x", Dept: "nope"}); !errors.Is(err, ErrNotFound) {
				t.Errorf("unknown department: got %v", err)
			}
			if err := e.PutUser(e.ctx, "admin", User{ID: "x", Manager: "nope"}); !errors.Is(err, ErrNotFound) {
				t.Errorf("unknown manager: got %v", err)
			}
			if err := e.PutUser(e.ctx, "admin", User{ID: " x"}); !errors.Is(err, store.ErrInvalid) {
				t.Errorf("bad id: got %v", err)
			}
		})
		t.Run("groups list their direct members", func(t *testing.T) {
			g, err := e.Group(e.ctx, "alice", "g3")
			e.must(t, err)
			if want := []string{"group:g2", "user:bob"}; !reflect.DeepEqual(g.Members, want) {
				t.Errorf("got %v, want %v", g.Members, want)
			}
		})
		t.Run("deleting a group removes its grants and memberships", func(t *testing.T) {
			doc := e.create(t, "carol", Document, "")
			e.must(t, e.Grant(e.ctx, "carol", doc, GroupKey("g2"), Viewer, GrantOptions{}))
			e.must(t, e.DeleteGroup(e.ctx, "admin", "g2"))
			if got := e.role(t, "alice", doc); got != None {
				t.Errorf("alice after group deletion = %v, want none", got)
			}
			g, _ := e.Group(e.ctx, "admin", "g3")
			if want := []string{"user:bob"}; !reflect.DeepEqual(g.Members, want) {
				t.Errorf("g3 members %v, want %v", g.Members, want)
			}
			gs, _ := items(e.Grants(e.ctx, "carol", doc, PageOptions{}))
			if len(gs) != 0 {
				t.Errorf("grants left: %+v", gs)
			}
		})
		t.Run("a department with users cannot be deleted; an empty one can", func(t *testing.T) {
			if err := e.DeleteDept(e.ctx, "admin", "web"); !errors.Is(err, ErrNotEmpty) {
				t.Errorf("got %v, want ErrNotEmpty", err)
			}
			e.must(t, e.PutDept(e.ctx, "admin", Dept{ID: "tmp", Parent: "co"}))
			e.must(t, e.DeleteDept(e.ctx, "admin", "tmp"))
			if _, err := e.Dept(e.ctx, "admin", "tmp"); !errors.Is(err, ErrNotFound) {
				t.Errorf("after delete: got %v", err)
			}
		})
		t.Run("settings", func(t *testing.T) {
			e.must(t, e.SetSettings(e.ctx, "admin", Settings{ExternalAccess: true}))
			got, err := e.Settings(e.ctx, "bob")
			e.must(t, err)
			if !got.ExternalAccess {
				t.Error("external access not set")
			}
			if err := e.SetSettings(e.ctx, "bob", Settings{}); !errors.Is(err, ErrNotAdmin) {
				t.Errorf("non-admin: got %v", err)
			}
		})
	})
}
