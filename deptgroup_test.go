package workspace_test

import (
	"context"
	"slices"
	"testing"

	"github.com/workspace-go/workspace"
	"github.com/workspace-go/workspace/chat"
	"github.com/workspace-go/workspace/directory"
	"github.com/workspace-go/workspace/store"
	"github.com/workspace-go/workspace/store/memstore"
)

// members lists conv's members, sorted.
func members(t *testing.T, ws *workspace.Workspace, actor, conv string) []string {
	t.Helper()
	ctx := context.Background()
	if err := ws.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	page, err := ws.Chat.Members(ctx, actor, conv, chat.ListOptions{Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, m := range page.Items {
		out = append(out, m.User)
	}
	slices.Sort(out)
	return out
}

// memberAdds counts the member-added records of user in conv.
func memberAdds(t *testing.T, st store.Store, conv, user string) int {
	t.Helper()
	n := 0
	recs, _, err := st.Changes(context.Background(), 0, 10000)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range recs {
		ch, ok, err := chat.DecodeChange(r)
		if err == nil && ok && ch.Type == chat.MemberAdded && ch.Conversation == conv && ch.User == user {
			n++
		}
	}
	return n
}

func TestDepartmentGroupsFollowTheDepartment(t *testing.T) {
	ctx := context.Background()
	st := memstore.New()
	ws := open(t, st, "")
	for _, d := range []directory.Department{{ID: "eng", Name: "研发部"}, {ID: "web", Name: "前端组", Parent: "eng"}, {ID: "sales", Name: "销售部"}} {
		if _, err := ws.Directory.CreateDepartment(ctx, "admin", d); err != nil {
			t.Fatal(err)
		}
	}
	create := func(ws *workspace.Workspace, id, dept string) {
		if _, err := ws.Directory.CreateUser(ctx, "admin", directory.User{ID: id, Name: id, Departments: []string{dept}}); err != nil {
			t.Fatal(err)
		}
	}
	create(ws, "lead", "eng")
	create(ws, "amy", "web")
	create(ws, "guest", "sales")
	conv, err := ws.Chat.CreateGroup(ctx, "lead", chat.GroupOptions{Name: "研发部", Members: []string{"guest"}})
	if err != nil {
		t.Fatal(err)
	}
	if err := ws.BindDepartment(ctx, "lead", conv.ID, "eng"); err != nil {
		t.Fatal(err)
	}
	t.Run("binding adds the department's members, sub-departments included", func(t *testing.T) {
		if got, want := members(t, ws, "lead", conv.ID), []string{"amy", "guest", "lead"}; !slices.Equal(got, want) {
			t.Errorf("members %v, want %v", got, want)
		}
	})
	t.Run("a joiner of a sub-department is added", func(t *testing.T) {
		create(ws, "bob", "web")
		if got, want := members(t, ws, "lead", conv.ID), []string{"amy", "bob", "guest", "lead"}; !slices.Equal(got, want) {
			t.Errorf("members %v, want %v", got, want)
		}
	})
	t.Run("a mover and a leaver are removed; a member added by hand stays", func(t *testing.T) {
		if _, err := ws.Directory.UpdateUser(ctx, "admin", directory.User{ID: "bob", Name: "bob", Departments: []string{"sales"}}); err != nil {
			t.Fatal(err)
		}
		if _, err := ws.Directory.SetStatus(ctx, "admin", "amy", directory.Left); err != nil {
			t.Fatal(err)
		}
		if _, err := ws.Directory.UpdateUser(ctx, "admin", directory.User{ID: "guest", Name: "Guest", Departments: []string{"sales"}}); err != nil {
			t.Fatal(err)
		}
		if got, want := members(t, ws, "lead", conv.ID), []string{"guest", "lead"}; !slices.Equal(got, want) {
			t.Errorf("members %v, want %v", got, want)
		}
	})
	t.Run("the binding survives a restart and nothing is applied twice", func(t *testing.T) {
		ws.Close()
		ws2 := open(t, st, "")
		create(ws2, "dan", "eng")
		if got, want := members(t, ws2, "lead", conv.ID), []string{"dan", "guest", "lead"}; !slices.Equal(got, want) {
			t.Errorf("members %v, want %v", got, want)
		}
		for _, u := range []string{"bob", "dan"} {
			if n := memberAdds(t, st, conv.ID, u); n != 1 {
				t.Errorf("%s added %d times, want once", u, n)
			}
		}
	})
	t.Run("a department moved under the bound one brings its people", func(t *testing.T) {
		ws3 := open(t, st, "")
		if _, err := ws3.Directory.MoveDepartment(ctx, "admin", "sales", "eng"); err != nil {
			t.Fatal(err)
		}
		if got, want := members(t, ws3, "lead", conv.ID), []string{"bob", "dan", "guest", "lead"}; !slices.Equal(got, want) {
			t.Errorf("members %v, want %v", got, want)
		}
	})
}
