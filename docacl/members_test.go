package docacl

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"testing"

	"github.com/workspace-go/workspace/internal/clock"
	"github.com/workspace-go/workspace/store"
)

// storeDir is a Directory kept in the store, as the workspace's directory
// service is: every change is one transaction that bumps the version and
// appends a change record, so every Service over the store can see it.
type storeDir struct {
	st    store.Store
	reads int // Memberships calls, for the cache test; guarded by the test
}

type dirState struct {
	Version uint64                 `json:"version"`
	Users   map[string]*Membership `json:"users"`
	Groups  map[string][]string    `json:"groups"` // group -> direct user members
	Depts   map[string]string      `json:"depts"`  // dept -> parent
}

var dirKey = []byte("test-dir/state")

func (d *storeDir) load(tx store.Tx) (dirState, error) {
	st := dirState{Users: map[string]*Membership{}, Groups: map[string][]string{}, Depts: map[string]string{}}
	b, err := tx.Get(dirKey)
	if errors.Is(err, store.ErrNotFound) {
		return st, nil
	}
	if err != nil {
		return st, err
	}
	return st, json.Unmarshal(b, &st)
}

// change applies fn to the directory in one transaction.
func (d *storeDir) change(t testing.TB, fn func(s *dirState)) {
	t.Helper()
	err := d.st.Update(context.Background(), func(tx store.Tx) error {
		s, err := d.load(tx)
		if err != nil {
			return err
		}
		fn(&s)
		s.Version++
		b, _ := json.Marshal(s)
		if err := tx.Put(dirKey, b); err != nil {
			return err
		}
		_, err = tx.Append("test-dir", []byte(fmt.Sprint(s.Version)))
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

func (d *storeDir) put(t testing.TB, user, manager string, active bool, depts ...string) {
	d.change(t, func(s *dirState) {
		s.Users[user] = &Membership{Active: active, Manager: manager, Departments: depts}
		for _, dp := range depts {
			s.Depts[dp] = ""
		}
	})
}

func (d *storeDir) Memberships(ctx context.Context, user string) (Membership, error) {
	d.reads++
	var m Membership
	err := d.st.View(ctx, func(tx store.Tx) error {
		s, err := d.load(tx)
		if err != nil {
			return err
		}
		u := s.Users[user]
		if u == nil {
			return fmt.Errorf("user %q: %w", user, store.ErrNotFound)
		}
		m = *u
		m.Version = s.Version
		for g, mem := range s.Groups {
			if slices.Contains(mem, user) {
				m.Groups = append(m.Groups, g)
			}
		}
		return nil
	})
	return m, err
}

func (d *storeDir) Exists(ctx context.Context, p Principal) error {
	return d.st.View(ctx, func(tx store.Tx) error {
		s, err := d.load(tx)
		if err != nil {
			return err
		}
		_, g := s.Groups[p.ID]
		_, dp := s.Depts[p.ID]
		if (p.Kind == KindGroup && !g) || (p.Kind == KindDept && !dp) {
			return fmt.Errorf("%s: %w", p.Key(), store.ErrNotFound)
		}
		return nil
	})
}

func (d *storeDir) Members(ctx context.Context, p Principal) ([]string, error) {
	var out []string
	err := d.st.View(ctx, func(tx store.Tx) error {
		s, err := d.load(tx)
		if err != nil {
			return err
		}
		for id, u := range s.Users {
			switch {
			case !u.Active:
			case p.Kind == KindTenant,
				p.Kind == KindGroup && slices.Contains(s.Groups[p.ID], id),
				p.Kind == KindDept && slices.Contains(u.Departments, p.ID):
				out = append(out, id)
			}
		}
		return nil
	})
	return out, err
}

func (d *storeDir) Version(ctx context.Context) (uint64, error) {
	var v uint64
	err := d.st.View(ctx, func(tx store.Tx) error {
		s, err := d.load(tx)
		v = s.Version
		return err
	})
	return v, err
}

func newDirService(t testing.TB, st store.Store, dir Directory) *Service {
	t.Helper()
	s, err := New(context.Background(), st, append(testOptions(clock.NewFake(t0)), WithDirectory(dir))...)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestExternalDirectory(t *testing.T) {
	forEachBackend(t, func(t *testing.T, st store.Store) {
		ctx := context.Background()
		dir := &storeDir{st: st}
		dir.put(t, "ann", "", true, "eng", "co")
		dir.put(t, "ben", "ann", true, "sales", "co")
		dir.change(t, func(s *dirState) { s.Groups["leads"] = []string{"ann"} })
		a, b := newDirService(t, st, dir), newDirService(t, st, dir)
		doc, err := a.Create(ctx, "ann", Resource{Kind: Document, Name: "plan"})
		if err != nil {
			t.Fatal(err)
		}
		if err := a.Grant(ctx, "ann", doc.ID, DeptKey("eng"), Editor, GrantOptions{}); err != nil {
			t.Fatal(err)
		}
		if err := a.Grant(ctx, "ann", doc.ID, GroupKey("leads"), Viewer, GrantOptions{}); err != nil {
			t.Fatal(err)
		}
		check := func(t *testing.T, s *Service, user string, act Action, want error) {
			t.Helper()
			err := s.Check(ctx, user, doc.ID, act)
			if (want == nil) != (err == nil) || (want != nil && !errors.Is(err, want)) {
				t.Fatalf("Check(%s, %s) = %v, want %v", user, act, err, want)
			}
		}
		t.Run("a user is what the directory says", func(t *testing.T) {
			check(t, b, "ben", View, ErrNotFound)
			check(t, b, "nobody", View, ErrNotFound)
		})
		t.Run("a move to another department is honoured by the next Check on every Service", func(t *testing.T) {
			check(t, a, "ben", View, ErrNotFound)
			dir.put(t, "ben", "ann", true, "eng", "co")
			check(t, a, "ben", Edit, nil)
			check(t, b, "ben", Edit, nil)
			dir.put(t, "ben", "ann", true, "sales", "co")
			check(t, b, "ben", View, ErrNotFound)
			check(t, a, "ben", View, ErrNotFound)
		})
		t.Run("a user added to a group is honoured by the next Check on every Service", func(t *testing.T) {
			check(t, b, "ben", View, ErrNotFound)
			dir.change(t, func(s *dirState) { s.Groups["leads"] = append(s.Groups["leads"], "ben") })
			check(t, a, "ben", View, nil)
			check(t, b, "ben", Edit, ErrPermission)
			dir.change(t, func(s *dirState) { s.Groups["leads"] = []string{"ann"} })
			check(t, b, "ben", View, ErrNotFound)
		})
		t.Run("a suspended user has no access, not even to what they own", func(t *testing.T) {
			dir.put(t, "ann", "", false, "eng", "co")
			check(t, b, "ann", View, ErrNotFound)
			if _, err := b.Create(ctx, "ann", Resource{Kind: Document, Name: "x"}); !errors.Is(err, ErrPermission) {
				t.Errorf("create by a suspended user: %v", err)
			}
			if _, err := b.Resource(ctx, "ann", doc.ID); !errors.Is(err, ErrPermission) {
				t.Errorf("read by a suspended user: %v", err)
			}
			dir.put(t, "ann", "", true, "eng", "co")
			check(t, a, "ann", Delete, nil)
		})
		t.Run("keys stay cached while the directory does not move", func(t *testing.T) {
			check(t, a, "ann", View, nil)
			before := dir.reads
			for range 10 {
				check(t, a, "ann", View, nil)
			}
			if dir.reads != before {
				t.Errorf("%d directory reads for cached keys", dir.reads-before)
			}
		})
		t.Run("grants name principals the directory has", func(t *testing.T) {
			for _, p := range []string{GroupKey("nope"), DeptKey("nope"), UserKey("nope")} {
				if err := a.Grant(ctx, "ann", doc.ID, p, Viewer, GrantOptions{}); !errors.Is(err, ErrNotFound) {
					t.Errorf("grant to %s: %v, want ErrNotFound", p, err)
				}
			}
		})
		t.Run("who expands through the directory", func(t *testing.T) {
			page, err := a.Who(ctx, "ann", doc.ID, PageOptions{})
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, u := range page.Items {
				got = append(got, u.User+":"+u.Role.String())
			}
			if want := []string{"ann:owner"}; !slices.Equal(got, want) {
				t.Errorf("who = %v, want %v", got, want)
			}
		})
		t.Run("docacl's own directory methods refuse", func(t *testing.T) {
			errs := []error{
				a.PutUser(ctx, "admin", User{ID: "x"}),
				a.PutGroup(ctx, "admin", "g", "g"),
				a.PutDept(ctx, "admin", Dept{ID: "d"}),
				a.AddMember(ctx, "admin", "g", UserKey("x")),
			}
			for i, err := range errs {
				if !errors.Is(err, ErrExternalDirectory) || !errors.Is(err, store.ErrInvalid) {
					t.Errorf("call %d: %v, want ErrExternalDirectory", i, err)
				}
			}
		})
		t.Run("offboarding hands documents to the directory's manager", func(t *testing.T) {
			if _, err := a.Create(ctx, "ben", Resource{Kind: Document, Name: "ben's"}); err != nil {
				t.Fatal(err)
			}
			rep, err := b.Offboard(ctx, "admin", "ben", OffboardOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if rep.Recipient != "ann" || rep.Resources != 1 {
				t.Errorf("report %+v, want 1 resource to ann", rep)
			}
			again, err := a.Offboard(ctx, "admin", "ben", OffboardOptions{})
			if err != nil || again.Resources != 0 {
				t.Errorf("second offboard: %+v, %v", again, err)
			}
		})
	})
}

func TestWithDirectoryNil(t *testing.T) {
	if _, err := New(context.Background(), nil, WithDirectory(nil)); !errors.Is(err, ErrInvalid) {
		t.Errorf("got %v", err)
	}
}
