package docacl

import (
	"compress/gzip"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/workspace-go/workspace/store"
	"github.com/workspace-go/workspace/store/boltstore"
)

// openLegacy opens a copy of the store docacl wrote before WithDirectory
// (see testdata/README.md).
func openLegacy(t *testing.T) store.Store {
	t.Helper()
	f, err := os.Open("testdata/legacy-directory.bolt.gz")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "legacy.db")
	out, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(out, zr); err != nil {
		t.Fatal(err)
	}
	if err := out.Close(); err != nil {
		t.Fatal(err)
	}
	db, err := boltstore.Open(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

const (
	legacySpec  = "doc000000014" // alice's, Editor to dept:eng
	legacyPlan  = "doc000000016" // boss's, Viewer to group:all
	legacyNotes = "doc000000018" // gone's, handed to boss
)

// legacyChecks are what the legacy store grants, before and after its
// directory moves.
var legacyChecks = []struct {
	user, res string
	act       Action
	want      error
}{
	{"boss", legacySpec, Edit, nil},             // dept:eng
	{"alice", legacySpec, Delete, nil},          // owner
	{"bob", legacySpec, View, ErrNotFound},      // in co, not eng
	{"bob", legacyPlan, View, nil},              // group:all > group:team > bob
	{"alice", legacyPlan, View, ErrNotFound},    // not in the group
	{"boss", legacyNotes, Delete, nil},          // handed over
	{"gone", legacyNotes, View, ErrNotFound},    // left
	{"ceo", legacyPlan, Edit, ErrNotFound},      // nothing granted
	{"stranger", legacySpec, View, ErrNotFound}, // not a user
}

func runLegacyChecks(t *testing.T, s *Service) {
	t.Helper()
	for _, c := range legacyChecks {
		err := s.Check(context.Background(), c.user, c.res, c.act)
		if (c.want == nil) != (err == nil) || (c.want != nil && !errors.Is(err, c.want)) {
			t.Errorf("Check(%s, %s, %s) = %v, want %v", c.user, c.res, c.act, err, c.want)
		}
	}
}

func TestLegacyStoreOpensWithItsOwnDirectory(t *testing.T) {
	st := openLegacy(t)
	s, err := New(context.Background(), st, WithAdmins("admin"))
	if err != nil {
		t.Fatal(err)
	}
	runLegacyChecks(t, s)
}

func TestLegacyDirectoryMigrates(t *testing.T) {
	ctx := context.Background()
	st := openLegacy(t)
	dir := &storeDir{st: st}
	s := newDirService(t, st, dir)
	own, err := s.System().OwnDirectory(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var users, depts []string
	for _, u := range own.Users {
		users = append(users, u.ID)
	}
	for _, d := range own.Depts {
		depts = append(depts, d.ID)
	}
	if want := []string{"alice", "bob", "boss", "ceo", "gone"}; !reflect.DeepEqual(users, want) {
		t.Errorf("users %v, want %v", users, want)
	}
	if want := []string{"co", "eng"}; !reflect.DeepEqual(depts, want) {
		t.Errorf("departments %v, want parents first %v", depts, want)
	}
	if want := []Group{{ID: "all", Name: "全员", Members: []string{"group:team"}}, {ID: "team", Name: "项目组", Members: []string{"user:bob"}}}; !reflect.DeepEqual(own.Groups, want) {
		t.Errorf("groups %+v, want %+v", own.Groups, want)
	}

	// Move it into the directory, as the root package does.
	dir.change(t, func(d *dirState) {
		for _, dp := range own.Depts {
			d.Depts[dp.ID] = dp.Parent
		}
		for _, u := range own.Users {
			var chain []string
			for cur := u.Dept; cur != ""; cur = d.Depts[cur] {
				chain = append(chain, cur)
			}
			d.Users[u.ID] = &Membership{Active: !u.Left, Manager: u.Manager, Departments: chain}
		}
		d.Groups["team"] = []string{"bob"}
		d.Groups["all"] = []string{"bob"} // nesting flattened by the fake
	})
	n, err := s.System().DropOwnDirectory(ctx, "admin")
	if err != nil {
		t.Fatal(err)
	}
	if want := 5 + 2 + 2 + 2; n != want {
		t.Errorf("dropped %d records, want %d", n, want)
	}
	if n, err := s.System().DropOwnDirectory(ctx, "admin"); n != 0 || err != nil {
		t.Errorf("second drop: %d, %v", n, err)
	}
	if own, err := s.System().OwnDirectory(ctx); err != nil || !own.Empty() {
		t.Errorf("own directory after the drop: %+v, %v", own, err)
	}
	runLegacyChecks(t, s)
	// A Service opened afterwards sees the same through the directory.
	runLegacyChecks(t, newDirService(t, st, dir))
	if _, err := s.System().DropOwnDirectory(ctx, "bob"); !errors.Is(err, ErrNotAdmin) {
		t.Errorf("drop by a non-admin: %v", err)
	}
}

func TestDropOwnDirectoryNeedsADirectory(t *testing.T) {
	s, err := New(context.Background(), openLegacy(t), WithAdmins("admin"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.System().DropOwnDirectory(context.Background(), "admin"); !errors.Is(err, ErrInvalid) {
		t.Errorf("got %v, want ErrInvalid", err)
	}
}
