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
	"github.com/workspace-go/workspace/store"
)

func TestGroupLifecycle(t *testing.T) {
	ctx := context.Background()
	s := newService(t, backends.Mem(t))
	for i := range 5 {
		mustUser(t, s, directory.User{ID: fmt.Sprint("u", i), Name: "U"})
	}
	g, err := s.CreateGroup(ctx, admin, directory.Group{Name: "Team", ClientKey: "team"})
	if err != nil {
		t.Fatal(err)
	}
	again, err := s.CreateGroup(ctx, admin, directory.Group{Name: "Team", ClientKey: "team"})
	if err != nil || again.ID != g.ID {
		t.Errorf("retried create: %q, %v; want %q", again.ID, err, g.ID)
	}
	if _, err := s.CreateDepartment(ctx, admin, directory.Department{Name: "D", ClientKey: "team"}); !errors.Is(err, store.ErrConflict) {
		t.Errorf("a group's client key reused for a department: err = %v, want ErrConflict", err)
	}
	if _, err := s.CreateGroup(ctx, admin, directory.Group{Name: "  "}); !errors.Is(err, store.ErrInvalid) {
		t.Errorf("blank name: err = %v", err)
	}
	parent, _ := s.CreateGroup(ctx, admin, directory.Group{ID: "parent", Name: "Parent"})
	if err := s.AddMember(ctx, admin, parent.ID, directory.Member{Kind: directory.MemberGroup, ID: g.ID}); err != nil {
		t.Fatal(err)
	}
	for i := range 5 {
		if err := s.AddMember(ctx, admin, g.ID, directory.Member{Kind: directory.MemberUser, ID: fmt.Sprint("u", i)}); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.AddMember(ctx, admin, g.ID, directory.Member{Kind: "robot", ID: "x"}); !errors.Is(err, store.ErrInvalid) {
		t.Errorf("bad member kind: err = %v", err)
	}
	if err := s.AddMember(ctx, admin, g.ID, directory.Member{Kind: directory.MemberUser, ID: "ghost"}); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("unknown user: err = %v", err)
	}
	mustUser(t, s, directory.User{ID: "gone", Name: "Gone", Status: directory.Left})
	if err := s.AddMember(ctx, admin, g.ID, directory.Member{Kind: directory.MemberUser, ID: "gone"}); !errors.Is(err, directory.ErrDeparted) {
		t.Errorf("departed user: err = %v, want ErrDeparted", err)
	}
	var got []string
	o := directory.ListOptions{Limit: 2}
	for {
		p, err := s.GroupMembers(ctx, "u1", g.ID, o)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range p.Items {
			got = append(got, m.ID)
		}
		if p.Next == "" {
			break
		}
		o.Cursor = p.Next
	}
	if want := []string{"u0", "u1", "u2", "u3", "u4"}; !slices.Equal(got, want) {
		t.Errorf("members = %v, want %v", got, want)
	}
	renamed, err := s.RenameGroup(ctx, admin, g.ID, "Team A")
	if err != nil || renamed.Name != "Team A" || renamed.Members != 5 {
		t.Errorf("rename: %+v, %v", renamed, err)
	}
	if gs, _ := s.System().UserGroups(ctx, "u3"); !slices.Equal(gs, []string{"parent", g.ID}) {
		t.Errorf("groups of u3 = %v", gs)
	}
	if err := s.DeleteGroup(ctx, admin, g.ID); err != nil {
		t.Fatal(err)
	}
	if p, _ := s.Group(ctx, admin, "parent"); p.Members != 0 {
		t.Errorf("parent still counts %d members", p.Members)
	}
	if gs, _ := s.System().UserGroups(ctx, "u3"); len(gs) != 0 {
		t.Errorf("groups of u3 after delete = %v", gs)
	}
}

func TestDepartmentLimits(t *testing.T) {
	ctx := context.Background()
	s := newService(t, backends.Mem(t))
	parent := ""
	for i := range directory.MaxDepth {
		id := fmt.Sprint("d", i)
		mustDept(t, s, id, parent)
		parent = id
	}
	if _, err := s.CreateDepartment(ctx, admin, directory.Department{ID: "deep", Name: "Deep", Parent: parent}); !errors.Is(err, store.ErrTooLarge) {
		t.Errorf("department below MaxDepth: err = %v, want ErrTooLarge", err)
	}
	mustDept(t, s, "side", "")
	mustDept(t, s, "side2", "side")
	if _, err := s.MoveDepartment(ctx, admin, "side", "d30"); !errors.Is(err, store.ErrTooLarge) {
		t.Errorf("a move past MaxDepth: err = %v, want ErrTooLarge", err)
	}
	if _, err := s.CreateDepartment(ctx, admin, directory.Department{ID: directory.Root, Name: "x"}); !errors.Is(err, store.ErrConflict) {
		t.Errorf("a second root: err = %v", err)
	}
	root, err := s.UpdateDepartment(ctx, admin, directory.Department{ID: directory.Root, Name: "示例公司"})
	if err != nil || root.Name != "示例公司" {
		t.Errorf("naming the organisation: %+v, %v", root, err)
	}
	if err := s.DeleteDepartment(ctx, admin, directory.Root); !errors.Is(err, store.ErrInvalid) {
		t.Errorf("deleting root: err = %v", err)
	}
	mustUser(t, s, directory.User{ID: "m", Name: "M", Departments: []string{"side2", "d3"}, Primary: "d3"})
	p, err := s.DepartmentMembers(ctx, admin, "side2", directory.ListOptions{})
	if err != nil || len(p.Items) != 1 || p.Items[0].Primary != "d3" {
		t.Errorf("members of side2 = %+v, %v", p.Items, err)
	}
	ds, _ := s.System().UserDepartments(ctx, "m")
	if !slices.Contains(ds, "side") || !slices.Contains(ds, "d0") || !slices.Contains(ds, directory.Root) {
		t.Errorf("departments of m = %v", ds)
	}
	chain, err := s.System().ReportingChain(ctx, "m")
	if err != nil || len(chain) != 0 {
		t.Errorf("chain of m = %v, %v", chain, err)
	}
	if _, err := s.System().Search(ctx, directory.SearchQuery{Text: "m"}); err != nil {
		t.Errorf("trusted search: %v", err)
	}
}

func TestWorkingHours(t *testing.T) {
	w := directory.WorkingHours{Start: "09:00", End: "18:00"}
	if !w.Works(time.Monday) || w.Works(time.Saturday) {
		t.Error("default days should be Monday to Friday")
	}
	w.Days = []string{"sat", "sun"}
	if w.Works(time.Monday) || !w.Works(time.Sunday) {
		t.Error("weekend shift")
	}
}

func TestSystemActor(t *testing.T) {
	ctx := context.Background()
	s := newService(t, backends.Mem(t))
	mustUser(t, s, directory.User{ID: "a", Name: "A"})
	mustUser(t, s, directory.User{ID: "s", Name: "S", Status: directory.Suspended})
	mustUser(t, s, directory.User{ID: "l", Name: "L", Status: directory.Left})
	if u, err := s.System().Actor(ctx, "a"); err != nil || u.ID != "a" {
		t.Errorf("active: %v, %v", u.ID, err)
	}
	for _, id := range []string{"s", "l", "ghost"} {
		if _, err := s.System().Actor(ctx, id); !errors.Is(err, store.ErrPermission) {
			t.Errorf("%s: err = %v, want ErrPermission", id, err)
		}
	}
}
