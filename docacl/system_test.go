package docacl

import (
	"errors"
	"testing"

	"github.com/workspace-go/workspace/store"
)

func TestLookupIgnoresAccess(t *testing.T) {
	forEachBackend(t, func(t *testing.T, st store.Store) {
		e := newEnv(t, st)
		id := e.create(t, "alice", Document, "")
		if _, err := e.Resource(e.ctx, "carol", id); !errors.Is(err, ErrNotFound) {
			t.Fatalf("carol reads alice's document: %v", err)
		}
		if _, err := e.Offboard(e.ctx, "admin", "alice", OffboardOptions{}); err != nil {
			t.Fatal(err)
		}
		r, err := e.System().Lookup(e.ctx, id)
		if err != nil || r.ID != id || r.Owner != "lead" {
			t.Errorf("Lookup after alice left = %+v, %v; want the document, owned by her manager", r, err)
		}
		if _, err := e.System().Lookup(e.ctx, "nope"); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("Lookup of an unknown id: %v; want ErrNotFound", err)
		}
	})
}
