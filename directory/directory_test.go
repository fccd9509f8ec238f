package directory_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/workspace-go/workspace/directory"
	"github.com/workspace-go/workspace/internal/backends"
	"github.com/workspace-go/workspace/internal/clock"
	"github.com/workspace-go/workspace/internal/ids"
	"github.com/workspace-go/workspace/store"
)

const admin = "admin"

var t0 = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

func newService(t testing.TB, st store.Store) *directory.Service {
	t.Helper()
	s, err := directory.New(context.Background(), st,
		directory.WithAdmins(admin),
		directory.WithClock(clock.NewFake(t0).Now),
		directory.WithIDs(ids.Sequential("x_")))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func mustDept(t testing.TB, s *directory.Service, id, parent string) directory.Department {
	t.Helper()
	d, err := s.CreateDepartment(context.Background(), admin, directory.Department{ID: id, Name: "dept " + id, Parent: parent})
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func mustUser(t testing.TB, s *directory.Service, u directory.User) directory.User {
	t.Helper()
	if len(u.Departments) == 0 {
		u.Departments = []string{directory.Root}
	}
	got, err := s.CreateUser(context.Background(), admin, u)
	if err != nil {
		t.Fatal(err)
	}
	return got
}

func ids_(us []directory.User) []string {
	var out []string
	for _, u := range us {
		out = append(out, u.ID)
	}
	return out
}

func TestUsers(t *testing.T) {
	backends.Run(t, func(t *testing.T, open func(testing.TB) store.Store) {
		ctx := context.Background()
		s := newService(t, open(t))
		mustDept(t, s, "eng", "")
		boss := mustUser(t, s, directory.User{ID: "boss", Name: "王芳", Email: "Wang.Fang@example.com", Departments: []string{"eng"}})
		zw := mustUser(t, s, directory.User{ID: "zw", Name: "张伟", Email: "zw@example.com", Phone: "+86 138 0013 8000",
			Manager: "boss", TimeZone: "Asia/Shanghai", Locale: "zh-cn", Departments: []string{directory.Root, "eng"}, Primary: "eng",
			WorkingHours: &directory.WorkingHours{Start: "09:00", End: "18:00"}, Attributes: map[string]string{"employee_no": "A17"}})
		if boss.Pinyin != "wang fang" || boss.Initials != "wf" {
			t.Errorf("pinyin of 王芳 = %q %q, want wang fang, wf", boss.Pinyin, boss.Initials)
		}
		if zw.Status != directory.Active || zw.Kind != directory.Person || zw.Locale != "zh-CN" || zw.Primary != "eng" {
			t.Errorf("defaults: got %+v", zw)
		}
		if loc := zw.Location(); loc == nil || loc.String() != "Asia/Shanghai" {
			t.Errorf("Location() = %v", loc)
		}
		got, err := s.User(ctx, "zw", "zw")
		if err != nil || got.Name != "张伟" || got.Attributes["employee_no"] != "A17" {
			t.Errorf("User = %+v, %v", got, err)
		}

		bad := []struct {
			name string
			u    directory.User
			want error
		}{
			{"a duplicate email, in another case, is taken", directory.User{Name: "x", Email: "ZW@example.com"}, directory.ErrTaken},
			{"a duplicate phone, written otherwise, is taken", directory.User{Name: "x", Phone: "+86-138-0013-8000"}, directory.ErrTaken},
			{"an unknown time zone is invalid", directory.User{Name: "x", TimeZone: "Mars/Olympus"}, directory.ErrInvalid},
			{"the Local zone is invalid", directory.User{Name: "x", TimeZone: "Local"}, directory.ErrInvalid},
			{"an unknown manager is not found", directory.User{Name: "x", Manager: "ghost"}, directory.ErrNotFound},
			{"an unknown department is not found", directory.User{Name: "x", Departments: []string{"nope"}}, directory.ErrNotFound},
			{"an empty name is invalid", directory.User{Name: "  "}, directory.ErrInvalid},
			{"a primary outside the departments is invalid", directory.User{Name: "x", Primary: "eng"}, directory.ErrInvalid},
			{"a bad locale is invalid", directory.User{Name: "x", Locale: "not a locale!"}, directory.ErrInvalid},
			{"bad working hours are invalid", directory.User{Name: "x", WorkingHours: &directory.WorkingHours{Start: "9am", End: "18:00"}}, directory.ErrInvalid},
			{"too many attributes are too large", directory.User{Name: "x", Attributes: manyAttrs(directory.MaxAttributes + 1)}, directory.ErrTooLarge},
			{"an unknown status is invalid", directory.User{Name: "x", Status: "retired"}, directory.ErrInvalid},
		}
		for _, c := range bad {
			t.Run(c.name, func(t *testing.T) {
				u := c.u
				if u.Departments == nil {
					u.Departments = []string{directory.Root}
				}
				_, err := s.CreateUser(ctx, admin, u)
				if !errors.Is(err, c.want) {
					t.Errorf("err = %v, want %v", err, c.want)
				}
			})
		}
		t.Run("a user in no department is invalid", func(t *testing.T) {
			_, err := s.CreateUser(ctx, admin, directory.User{Name: "x"})
			if !errors.Is(err, directory.ErrInvalid) || !errors.Is(err, store.ErrInvalid) {
				t.Errorf("err = %v, want ErrInvalid", err)
			}
		})
		t.Run("a non-admin may not create users", func(t *testing.T) {
			_, err := s.CreateUser(ctx, "zw", directory.User{Name: "x", Departments: []string{directory.Root}})
			if !errors.Is(err, store.ErrPermission) {
				t.Errorf("err = %v, want ErrPermission", err)
			}
		})
		t.Run("a retried create with the same client key returns the first user", func(t *testing.T) {
			a := mustUser(t, s, directory.User{Name: "李雷", ClientKey: "k1"})
			b := mustUser(t, s, directory.User{Name: "李雷", ClientKey: "k1"})
			if a.ID != b.ID {
				t.Errorf("ids %q and %q, want one user", a.ID, b.ID)
			}
		})
		t.Run("a manager cycle is refused", func(t *testing.T) {
			b := boss
			b.Manager = "zw"
			_, err := s.UpdateUser(ctx, admin, b)
			if !errors.Is(err, directory.ErrCycle) {
				t.Errorf("err = %v, want ErrCycle", err)
			}
		})
		t.Run("a manager who still manages people cannot leave", func(t *testing.T) {
			_, err := s.SetStatus(ctx, admin, "boss", directory.Left)
			if !errors.Is(err, directory.ErrStillManages) {
				t.Errorf("err = %v, want ErrStillManages", err)
			}
		})
		t.Run("a departed manager is refused", func(t *testing.T) {
			if _, err := s.SetStatus(ctx, admin, "zw", directory.Left); err != nil {
				t.Fatal(err)
			}
			_, err := s.CreateUser(ctx, admin, directory.User{Name: "x", Manager: "zw", Departments: []string{directory.Root}})
			if !errors.Is(err, directory.ErrDeparted) {
				t.Errorf("err = %v, want ErrDeparted", err)
			}
			if _, err := s.User(ctx, "zw", "boss"); !errors.Is(err, store.ErrPermission) {
				t.Errorf("read by a departed user: err = %v, want ErrPermission", err)
			}
		})
		t.Run("an update that changes nothing writes nothing", func(t *testing.T) {
			v0, _ := s.System().Version(ctx)
			if _, err := s.UpdateUser(ctx, admin, boss); err != nil {
				t.Fatal(err)
			}
			if v1, _ := s.System().Version(ctx); v1 != v0 {
				t.Errorf("version moved from %d to %d", v0, v1)
			}
		})
	})
}

func manyAttrs(n int) map[string]string {
	m := map[string]string{}
	for i := range n {
		m[fmt.Sprint("k", i)] = "v"
	}
	return m
}

func TestDepartments(t *testing.T) {
	backends.Run(t, func(t *testing.T, open func(testing.TB) store.Store) {
		ctx := context.Background()
		s := newService(t, open(t))
		// root
		//   eng -> backend -> db
		//   sales
		mustDept(t, s, "eng", "")
		mustDept(t, s, "backend", "eng")
		mustDept(t, s, "db", "backend")
		mustDept(t, s, "sales", "")
		mustUser(t, s, directory.User{ID: "u1", Name: "A", Departments: []string{"db"}})
		mustUser(t, s, directory.User{ID: "u2", Name: "B", Departments: []string{"backend", "db"}})
		mustUser(t, s, directory.User{ID: "u3", Name: "C", Departments: []string{"sales"}})
		list := func(dept string, direct bool) []string {
			p, err := s.Users(ctx, admin, directory.UserQuery{Department: dept, Direct: direct})
			if err != nil {
				t.Fatal(err)
			}
			return ids_(p.Items)
		}
		if got := list("eng", false); !slices.Equal(got, []string{"u1", "u2"}) {
			t.Errorf("eng with sub-departments = %v", got)
		}
		if got := list("backend", true); !slices.Equal(got, []string{"u2"}) {
			t.Errorf("backend direct = %v", got)
		}
		t.Run("moving a department moves its subtree", func(t *testing.T) {
			d, err := s.MoveDepartment(ctx, admin, "backend", "sales")
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(d.Path, []string{directory.Root, "sales"}) {
				t.Errorf("path = %v", d.Path)
			}
			db, _ := s.Department(ctx, admin, "db")
			if !slices.Equal(db.Path, []string{directory.Root, "sales", "backend"}) {
				t.Errorf("db path = %v", db.Path)
			}
			if got := list("eng", false); len(got) != 0 {
				t.Errorf("eng after the move = %v, want none", got)
			}
			if got := list("sales", false); !slices.Equal(got, []string{"u1", "u2", "u3"}) {
				t.Errorf("sales after the move = %v", got)
			}
			ds, _ := s.UserDepartments(ctx, admin, "u1")
			if !slices.Equal(ds, []string{"backend", "db", directory.Root, "sales"}) {
				t.Errorf("departments of u1 = %v", ds)
			}
		})
		t.Run("moving a department under itself is refused", func(t *testing.T) {
			for _, p := range []string{"backend", "db"} {
				if _, err := s.MoveDepartment(ctx, admin, "backend", p); !errors.Is(err, directory.ErrCycle) {
					t.Errorf("under %q: err = %v, want ErrCycle", p, err)
				}
			}
			if _, err := s.MoveDepartment(ctx, admin, directory.Root, "eng"); !errors.Is(err, directory.ErrInvalid) {
				t.Errorf("moving root: err = %v, want ErrInvalid", err)
			}
		})
		t.Run("a department with members or children is not deleted", func(t *testing.T) {
			if err := s.DeleteDepartment(ctx, admin, "backend"); !errors.Is(err, directory.ErrConflict) {
				t.Errorf("err = %v, want ErrConflict", err)
			}
			if err := s.DeleteDepartment(ctx, admin, "eng"); err != nil {
				t.Errorf("deleting empty eng: %v", err)
			}
			if _, err := s.Department(ctx, admin, "eng"); !errors.Is(err, store.ErrNotFound) {
				t.Errorf("eng after delete: %v", err)
			}
		})
		t.Run("a department manager must exist and not have left", func(t *testing.T) {
			if _, err := s.UpdateDepartment(ctx, admin, directory.Department{ID: "sales", Name: "Sales", Manager: "ghost"}); !errors.Is(err, store.ErrNotFound) {
				t.Errorf("err = %v, want ErrNotFound", err)
			}
			if _, err := s.UpdateDepartment(ctx, admin, directory.Department{ID: "sales", Name: "Sales", Manager: "u3"}); err != nil {
				t.Fatal(err)
			}
			if _, err := s.SetStatus(ctx, admin, "u3", directory.Left); !errors.Is(err, directory.ErrStillManages) {
				t.Errorf("leaving while heading sales: err = %v, want ErrStillManages", err)
			}
		})
		t.Run("children are listed a page at a time", func(t *testing.T) {
			for i := range 5 {
				mustDept(t, s, fmt.Sprint("c", i), "sales")
			}
			var got []string
			o := directory.ListOptions{Limit: 2}
			for {
				p, err := s.Departments(ctx, admin, "sales", o)
				if err != nil {
					t.Fatal(err)
				}
				for _, d := range p.Items {
					got = append(got, d.ID)
				}
				if p.Next == "" {
					break
				}
				o.Cursor = p.Next
			}
			if want := []string{"backend", "c0", "c1", "c2", "c3", "c4"}; !slices.Equal(got, want) {
				t.Errorf("children = %v, want %v", got, want)
			}
		})
	})
}

func TestQueries(t *testing.T) {
	backends.Run(t, func(t *testing.T, open func(testing.TB) store.Store) {
		ctx := context.Background()
		s := newService(t, open(t))
		mustUser(t, s, directory.User{ID: "ceo", Name: "CEO"})
		mustUser(t, s, directory.User{ID: "vp", Name: "VP", Manager: "ceo"})
		for i := range 7 {
			mustUser(t, s, directory.User{ID: fmt.Sprint("e", i), Name: fmt.Sprint("E", i), Manager: "vp"})
		}
		if _, err := s.SetStatus(ctx, admin, "e3", directory.Suspended); err != nil {
			t.Fatal(err)
		}
		chain, err := s.ReportingChain(ctx, admin, "e1")
		if err != nil || !slices.Equal(ids_(chain), []string{"vp", "ceo"}) {
			t.Errorf("chain = %v, %v", ids_(chain), err)
		}
		var got []string
		q := directory.UserQuery{Manager: "vp", ListOptions: directory.ListOptions{Limit: 3}}
		for {
			p, err := s.Users(ctx, "e1", q)
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, ids_(p.Items)...)
			if p.Next == "" {
				break
			}
			q.Cursor = p.Next
		}
		if want := []string{"e0", "e1", "e2", "e3", "e4", "e5", "e6"}; !slices.Equal(got, want) {
			t.Errorf("reports of vp = %v, want %v", got, want)
		}
		p, _ := s.Users(ctx, admin, directory.UserQuery{Status: directory.Suspended})
		if !slices.Equal(ids_(p.Items), []string{"e3"}) {
			t.Errorf("suspended = %v", ids_(p.Items))
		}
		if _, err := s.Users(ctx, admin, directory.UserQuery{ListOptions: directory.ListOptions{Cursor: "forged!"}}); !errors.Is(err, store.ErrInvalid) {
			t.Errorf("forged cursor: err = %v", err)
		}
		if _, err := s.Users(ctx, admin, directory.UserQuery{ListOptions: directory.ListOptions{Limit: directory.MaxPageSize + 1}}); !errors.Is(err, store.ErrTooLarge) {
			t.Errorf("huge page: err = %v", err)
		}
		if _, err := s.Users(ctx, "stranger", directory.UserQuery{}); !errors.Is(err, store.ErrPermission) {
			t.Errorf("read by a stranger: err = %v", err)
		}
		if _, err := s.System().Users(ctx, directory.UserQuery{}); err != nil {
			t.Errorf("trusted read: %v", err)
		}
	})
}

func TestGroups(t *testing.T) {
	backends.Run(t, func(t *testing.T, open func(testing.TB) store.Store) {
		ctx := context.Background()
		s := newService(t, open(t))
		mustUser(t, s, directory.User{ID: "u1", Name: "A"})
		for _, g := range []string{"all", "eng", "db"} {
			if _, err := s.CreateGroup(ctx, admin, directory.Group{ID: g, Name: g}); err != nil {
				t.Fatal(err)
			}
		}
		add := func(g string, m directory.Member) error { return s.AddMember(ctx, admin, g, m) }
		if err := add("all", directory.Member{Kind: directory.MemberGroup, ID: "eng"}); err != nil {
			t.Fatal(err)
		}
		if err := add("eng", directory.Member{Kind: directory.MemberGroup, ID: "db"}); err != nil {
			t.Fatal(err)
		}
		if err := add("db", directory.Member{Kind: directory.MemberUser, ID: "u1"}); err != nil {
			t.Fatal(err)
		}
		gs, err := s.UserGroups(ctx, admin, "u1")
		if err != nil || !slices.Equal(gs, []string{"all", "db", "eng"}) {
			t.Errorf("groups of u1 = %v, %v", gs, err)
		}
		m, err := s.System().Memberships(ctx, "u1")
		v, _ := s.System().Version(ctx)
		if err != nil || !slices.Equal(m.Groups, []string{"all", "db", "eng"}) || !slices.Equal(m.Departments, []string{directory.Root}) || m.Version != v {
			t.Errorf("memberships of u1 = %+v, %v (version %d)", m, err, v)
		}
		t.Run("a cycle of groups is refused", func(t *testing.T) {
			for _, g := range []string{"db", "eng"} {
				if err := add(g, directory.Member{Kind: directory.MemberGroup, ID: "all"}); !errors.Is(err, directory.ErrCycle) {
					t.Errorf("all into %s: err = %v, want ErrCycle", g, err)
				}
			}
			if err := add("all", directory.Member{Kind: directory.MemberGroup, ID: "all"}); !errors.Is(err, directory.ErrCycle) {
				t.Errorf("all into all: err = %v, want ErrCycle", err)
			}
		})
		t.Run("members are listed and removed", func(t *testing.T) {
			p, err := s.GroupMembers(ctx, admin, "eng", directory.ListOptions{})
			if err != nil || len(p.Items) != 1 || p.Items[0].ID != "db" {
				t.Errorf("members of eng = %v, %v", p.Items, err)
			}
			if err := s.RemoveMember(ctx, admin, "eng", directory.Member{Kind: directory.MemberGroup, ID: "db"}); err != nil {
				t.Fatal(err)
			}
			gs, _ := s.UserGroups(ctx, admin, "u1")
			if !slices.Equal(gs, []string{"db"}) {
				t.Errorf("groups of u1 after removal = %v", gs)
			}
			g, _ := s.Group(ctx, admin, "eng")
			if g.Members != 0 {
				t.Errorf("eng members = %d", g.Members)
			}
		})
		t.Run("deleting a group removes its memberships", func(t *testing.T) {
			if err := s.DeleteGroup(ctx, admin, "db"); err != nil {
				t.Fatal(err)
			}
			gs, _ := s.UserGroups(ctx, admin, "u1")
			if len(gs) != 0 {
				t.Errorf("groups of u1 = %v", gs)
			}
		})
	})
}

func TestChanges(t *testing.T) {
	backends.Run(t, func(t *testing.T, open func(testing.TB) store.Store) {
		ctx := context.Background()
		st := open(t)
		s := newService(t, st)
		from, _ := st.Last(ctx)
		mustDept(t, s, "eng", "")
		mustUser(t, s, directory.User{ID: "u1", Name: "A", Departments: []string{"eng"}})
		u, _ := s.User(ctx, admin, "u1")
		u.Departments, u.Primary = []string{directory.Root}, ""
		if _, err := s.UpdateUser(ctx, admin, u); err != nil {
			t.Fatal(err)
		}
		if _, err := s.SetStatus(ctx, admin, "u1", directory.Left); err != nil {
			t.Fatal(err)
		}
		recs, _, err := st.Changes(ctx, from, 100)
		if err != nil {
			t.Fatal(err)
		}
		var types []directory.ChangeType
		var last uint64
		for _, r := range recs {
			c, ok, err := directory.DecodeChange(r)
			if err != nil || !ok {
				t.Fatalf("decode %d: ok %v, %v", r.Seq, ok, err)
			}
			if c.Version <= last || c.Actor != admin || !c.At.Equal(t0) {
				t.Errorf("change %+v: version not increasing or actor/time wrong", c)
			}
			last = c.Version
			types = append(types, c.Type)
		}
		want := []directory.ChangeType{directory.DepartmentCreated, directory.UserCreated, directory.UserUpdated, directory.UserStatusChanged}
		if !slices.Equal(types, want) {
			t.Errorf("types = %v, want %v", types, want)
		}
		c, _, _ := directory.DecodeChange(recs[2])
		if c.Before == nil || !slices.Equal(c.Before.Departments, []string{"eng"}) || !slices.Equal(c.User.Departments, []string{directory.Root}) {
			t.Errorf("update change: before %+v after %+v", c.Before, c.User)
		}
		if v, _ := s.System().Version(ctx); v != last {
			t.Errorf("Version = %d, want %d", v, last)
		}
		if _, ok, err := directory.DecodeChange(store.Change{Kind: "chat", Data: []byte("{}")}); ok || err != nil {
			t.Errorf("another kind: ok %v err %v", ok, err)
		}
		if _, _, err := directory.DecodeChange(store.Change{Kind: directory.Kind, Data: []byte("{")}); !errors.Is(err, store.ErrInvalid) {
			t.Errorf("malformed: err = %v", err)
		}
	})
}

func TestNewOptions(t *testing.T) {
	st := backends.Mem(t)
	for _, o := range []directory.Option{directory.WithClock(nil), directory.WithIDs(nil), directory.WithAdmins("")} {
		if _, err := directory.New(context.Background(), st, o); !errors.Is(err, store.ErrInvalid) {
			t.Errorf("err = %v, want ErrInvalid", err)
		}
	}
	if _, err := directory.New(context.Background(), st, nil); err != nil {
		t.Errorf("nil option: %v", err)
	}
}

func TestReassign(t *testing.T) {
	backends.Run(t, func(t *testing.T, open func(testing.TB) store.Store) {
		ctx := context.Background()
		s := newService(t, open(t))
		mustUser(t, s, directory.User{ID: "top", Name: "Top"})
		mustUser(t, s, directory.User{ID: "lead", Name: "Lead", Manager: "top"})
		mustUser(t, s, directory.User{ID: "deputy", Name: "Deputy", Manager: "lead"})
		mustUser(t, s, directory.User{ID: "dev", Name: "Dev", Manager: "lead"})
		if _, err := s.CreateDepartment(ctx, admin, directory.Department{ID: "eng", Name: "Eng", Manager: "lead"}); err != nil {
			t.Fatal(err)
		}
		moved, more, err := s.Reassign(ctx, admin, "lead", "deputy")
		if err != nil || moved != 3 || more {
			t.Fatalf("Reassign = %d, %v, %v", moved, more, err)
		}
		dev, _ := s.User(ctx, admin, "dev")
		deputy, _ := s.User(ctx, admin, "deputy")
		eng, _ := s.Department(ctx, admin, "eng")
		if dev.Manager != "deputy" || deputy.Manager != "top" || eng.Manager != "deputy" {
			t.Errorf("after: dev→%q deputy→%q eng→%q", dev.Manager, deputy.Manager, eng.Manager)
		}
		if _, err := s.SetStatus(ctx, admin, "lead", directory.Left); err != nil {
			t.Errorf("lead leaves after the handover: %v", err)
		}
		if _, _, err := s.Reassign(ctx, admin, "deputy", "lead"); !errors.Is(err, directory.ErrDeparted) {
			t.Errorf("to a departed user: err = %v, want ErrDeparted", err)
		}
	})
}

func TestUsersCombinesFilters(t *testing.T) {
	ctx := context.Background()
	s := newService(t, backends.Mem(t))
	mustDept(t, s, "eng", "")
	mustDept(t, s, "db", "eng")
	mustDept(t, s, "sales", "")
	mustUser(t, s, directory.User{ID: "boss", Name: "Boss"})
	mustUser(t, s, directory.User{ID: "a", Name: "A", Manager: "boss", Departments: []string{"db"}})
	mustUser(t, s, directory.User{ID: "b", Name: "B", Manager: "boss", Departments: []string{"sales"}})
	p, err := s.Users(ctx, admin, directory.UserQuery{Manager: "boss", Department: "eng"})
	if err != nil || !slices.Equal(ids_(p.Items), []string{"a"}) {
		t.Errorf("reports of boss under eng = %v, %v; want [a]", ids_(p.Items), err)
	}
}

func TestConcurrentCreatesClaimAnEmailOnce(t *testing.T) {
	backends.Run(t, func(t *testing.T, open func(testing.TB) store.Store) {
		ctx := context.Background()
		st := open(t)
		a, b := newService(t, st), newService(t, st)
		errs := make(chan error, 8)
		for i := range 8 {
			s := a
			if i%2 == 1 {
				s = b
			}
			go func() {
				_, err := s.CreateUser(ctx, admin, directory.User{ID: fmt.Sprint("c", i), Name: "同名", Email: "same@example.com", Departments: []string{directory.Root}})
				errs <- err
			}()
		}
		ok := 0
		for range 8 {
			switch err := <-errs; {
			case err == nil:
				ok++
			case !errors.Is(err, directory.ErrTaken):
				t.Errorf("err = %v, want ErrTaken", err)
			}
		}
		if ok != 1 {
			t.Errorf("%d creates succeeded, want 1", ok)
		}
		p, _ := a.Search(ctx, admin, directory.SearchQuery{Text: "same@"})
		if len(p.Items) != 1 {
			t.Errorf("search by the email finds %d users, want 1", len(p.Items))
		}
	})
}

func TestMoveDepartmentIsBounded(t *testing.T) {
	ctx := context.Background()
	s := newService(t, backends.Mem(t))
	chart := directory.OrgChart{Departments: []directory.Department{{ID: "big", Name: "Big"}, {ID: "other", Name: "Other"}}}
	for i := range directory.MaxMoveUsers + 1 {
		chart.Users = append(chart.Users, directory.User{ID: fmt.Sprintf("u%05d", i), Name: "U", Departments: []string{"big"}})
	}
	if _, err := s.Import(ctx, admin, chart, nil); err != nil {
		t.Fatal(err)
	}
	last, _ := s.System().Version(ctx)
	if _, err := s.MoveDepartment(ctx, admin, "big", "other"); !errors.Is(err, store.ErrTooLarge) {
		t.Errorf("err = %v, want ErrTooLarge", err)
	}
	if v, _ := s.System().Version(ctx); v != last {
		t.Errorf("a refused move wrote: version %d to %d", last, v)
	}
}
