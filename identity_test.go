package workspace_test

import (
	"compress/gzip"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/workspace-go/workspace"
	"github.com/workspace-go/workspace/calendar"
	"github.com/workspace-go/workspace/chat"
	"github.com/workspace-go/workspace/directory"
	"github.com/workspace-go/workspace/docacl"
	"github.com/workspace-go/workspace/store"
	"github.com/workspace-go/workspace/store/boltstore"
	"github.com/workspace-go/workspace/store/memstore"
	"github.com/workspace-go/workspace/task"
)

// addPeople adds users to the workspace's directory, in the root
// department, as the admin "admin"; "id>manager" names a manager added
// before.
func addPeople(t testing.TB, ws *workspace.Workspace, people ...string) {
	t.Helper()
	for _, p := range people {
		u := directory.User{ID: p, Name: p, Departments: []string{directory.Root}}
		for i := range len(p) {
			if p[i] == '>' {
				u.ID, u.Name, u.Manager = p[:i], p[:i], p[i+1:]
				break
			}
		}
		if _, err := ws.Directory.CreateUser(context.Background(), "admin", u); err != nil {
			t.Fatal(err)
		}
	}
}

// openLegacyStore opens a copy of the bolt store an older docacl wrote,
// with docacl's own directory in it (docacl/testdata/README.md).
func openLegacyStore(t *testing.T) store.Store {
	t.Helper()
	f, err := os.Open("docacl/testdata/legacy-directory.bolt.gz")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "legacy.db")
	b, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
	db, err := boltstore.Open(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func TestOpenMovesDocaclsDirectoryToTheDirectory(t *testing.T) {
	ctx := context.Background()
	db := openLegacyStore(t)
	if _, err := workspace.Open(ctx, workspace.Options{Store: db}); !errors.Is(err, workspace.ErrOptions) {
		t.Fatalf("open without admins: %v, want ErrOptions", err)
	}
	for run := range 2 { // the second Open finds nothing to move
		ws, err := workspace.Open(ctx, workspace.Options{Store: db, Admins: []string{"admin"}})
		if err != nil {
			t.Fatalf("run %d: %v", run, err)
		}
		alice, err := ws.Directory.User(ctx, "admin", "alice")
		if err != nil || alice.Name != "张伟" || !slices.Equal(alice.Departments, []string{"eng"}) || alice.Pinyin != "zhang wei" {
			t.Errorf("alice: %+v, %v", alice, err)
		}
		if gone, err := ws.Directory.User(ctx, "admin", "gone"); err != nil || gone.Status != directory.Left {
			t.Errorf("gone: %+v, %v", gone, err)
		}
		if eng, err := ws.Directory.Department(ctx, "admin", "eng"); err != nil || eng.Manager != "boss" || eng.Parent != "co" {
			t.Errorf("eng: %+v, %v", eng, err)
		}
		if gs, err := ws.Directory.UserGroups(ctx, "admin", "bob"); err != nil || !slices.Equal(gs, []string{"all", "team"}) {
			t.Errorf("bob's groups: %v, %v", gs, err)
		}
		if own, err := ws.Docs.System().OwnDirectory(ctx); err != nil || !own.Empty() {
			t.Errorf("docacl still holds a directory: %+v, %v", own, err)
		}
		for _, c := range []struct {
			user, doc string
			ok        bool
		}{
			{"boss", "doc000000014", true},   // Editor to dept:eng
			{"bob", "doc000000014", false},   // bob is in co
			{"bob", "doc000000016", true},    // group:all > group:team > bob
			{"alice", "doc000000016", false}, // not in the group
			{"boss", "doc000000018", true},   // handed over when gone left
			{"gone", "doc000000018", false},  // left
		} {
			if err := ws.Docs.Check(ctx, c.user, c.doc, docacl.View); (err == nil) != c.ok {
				t.Errorf("run %d: %s views %s: %v, want allowed=%v", run, c.user, c.doc, err, c.ok)
			}
		}
		ws.Close()
	}
}

func TestDocsFollowTheDirectory(t *testing.T) {
	ctx := context.Background()
	st := memstore.New()
	a, b := open(t, st, ""), open(t, st, "")
	addPeople(t, a, "owner", "reader")
	if _, err := a.Directory.CreateDepartment(ctx, "admin", directory.Department{ID: "eng", Name: "研发部"}); err != nil {
		t.Fatal(err)
	}
	doc, err := a.Docs.Create(ctx, "owner", docacl.Resource{Kind: docacl.Document, Name: "spec"})
	if err != nil {
		t.Fatal(err)
	}
	if err := a.Docs.Grant(ctx, "owner", doc.ID, docacl.DeptKey("eng"), docacl.Viewer, docacl.GrantOptions{}); err != nil {
		t.Fatal(err)
	}
	if err := b.Docs.Check(ctx, "reader", doc.ID, docacl.View); !errors.Is(err, docacl.ErrNotFound) {
		t.Fatalf("before the move: %v", err)
	}
	if _, err := b.Directory.UpdateUser(ctx, "admin", directory.User{ID: "reader", Name: "reader", Departments: []string{"eng"}}); err != nil {
		t.Fatal(err)
	}
	if err := a.Docs.Check(ctx, "reader", doc.ID, docacl.View); err != nil {
		t.Errorf("after the move into eng: %v", err)
	}
	if _, err := a.Directory.SetStatus(ctx, "admin", "reader", directory.Suspended); err != nil {
		t.Fatal(err)
	}
	if err := b.Docs.Check(ctx, "reader", doc.ID, docacl.View); !errors.Is(err, docacl.ErrNotFound) {
		t.Errorf("suspended: %v", err)
	}
	if err := a.Docs.PutUser(ctx, "admin", docacl.User{ID: "x"}); !errors.Is(err, docacl.ErrExternalDirectory) {
		t.Errorf("docacl's own PutUser: %v", err)
	}
}

func TestOnlyActiveDirectoryUsersAct(t *testing.T) {
	ctx := context.Background()
	ws := open(t, memstore.New(), "")
	addPeople(t, ws, "ann", "ben", "cat")
	cal, err := ws.Calendar.CreateCalendar(ctx, "ann", calendar.Calendar{Kind: calendar.Shared, Name: "team", TimeZone: "UTC"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ws.Directory.SetStatus(ctx, "admin", "ben", directory.Suspended); err != nil {
		t.Fatal(err)
	}
	if _, err := ws.Directory.SetStatus(ctx, "admin", "cat", directory.Left); err != nil {
		t.Fatal(err)
	}
	for _, actor := range []string{"ben", "cat", "nobody"} {
		calls := map[string]error{}
		_, calls["chat"] = ws.Chat.CreateChannel(ctx, actor, chat.ChannelOptions{Name: "x"})
		_, calls["tasks"] = ws.Tasks.Create(ctx, actor, task.Spec{Title: "x"})
		_, calls["calendar"] = ws.Calendar.Calendar(ctx, actor, cal.ID)
		_, calls["docs"] = ws.Docs.Create(ctx, actor, docacl.Resource{Kind: docacl.Document, Name: "x"})
		for svc, err := range calls {
			if !errors.Is(err, store.ErrPermission) {
				t.Errorf("%s by %s: %v, want ErrPermission", svc, actor, err)
			}
		}
	}
	// Admins act whether or not they are users.
	if _, err := ws.Calendar.CreateCalendar(ctx, "admin", calendar.Calendar{Kind: calendar.Shared, Name: "rooms", TimeZone: "UTC"}); err != nil {
		t.Errorf("an admin: %v", err)
	}
}

func TestMentionsAndDueDatesReadThroughTheDirectory(t *testing.T) {
	ctx := context.Background()
	sent := time.Date(2025, 3, 12, 2, 0, 0, 0, time.UTC) // Wednesday 10:00 in Chengdu, 02:00 in London
	ws := open(t, memstore.New(), "", func(o *workspace.Options) { o.Now = func() time.Time { return sent } })
	for _, u := range []directory.User{
		{ID: "u-zw", Name: "张伟", TimeZone: "Asia/Shanghai"},
		{ID: "u-ll", Name: "李雷", TimeZone: "Asia/Shanghai"},
		{ID: "u-bob", Name: "Bob Smith", TimeZone: "Europe/London"},
		{ID: "u-w1", Name: "王芳"},
		{ID: "u-w2", Name: "王芳"},
	} {
		u.Departments = []string{directory.Root}
		if _, err := ws.Directory.CreateUser(ctx, "admin", u); err != nil {
			t.Fatal(err)
		}
	}
	conv, err := ws.Chat.CreateGroup(ctx, "u-ll", chat.GroupOptions{Name: "team", Members: []string{"u-zw", "u-bob", "u-w1", "u-w2"}})
	if err != nil {
		t.Fatal(err)
	}
	draft := func(t *testing.T, author, text string) task.Draft {
		t.Helper()
		m, err := ws.Chat.Post(ctx, author, conv.ID, chat.Draft{Text: text})
		if err != nil {
			t.Fatal(err)
		}
		ds, err := ws.Suggestions(ctx, author, m.ID)
		if err != nil || len(ds) != 1 {
			t.Fatalf("%q: drafts %+v, %v", text, ds, err)
		}
		return ds[0]
	}
	for _, tc := range []struct{ text, want string }{
		{"@张伟 明天下午3点前把报价单发给客户", "u-zw"},
		{"@zhangwei 明天下午3点前把报价单发给客户", "u-zw"},
		{"@u-zw 明天下午3点前把报价单发给客户", "u-zw"},
	} {
		t.Run("a mention written "+tc.text[:strings.IndexByte(tc.text, ' ')]+" resolves to its user", func(t *testing.T) {
			if d := draft(t, "u-ll", tc.text); !slices.Equal(d.Assignees, []string{tc.want}) {
				t.Errorf("assignees %v (unresolved %v), want %s", d.Assignees, d.Unresolved, tc.want)
			}
		})
	}
	t.Run("a name two people share stays unresolved", func(t *testing.T) {
		if d := draft(t, "u-ll", "@王芳 明天把报价单发给客户"); len(d.Assignees) != 0 || !slices.Equal(d.Unresolved, []string{"王芳"}) {
			t.Errorf("assignees %v, unresolved %v", d.Assignees, d.Unresolved)
		}
	})
	t.Run("明天下午3点 is read in the author's own zone", func(t *testing.T) {
		chengdu := draft(t, "u-ll", "@u-bob 明天下午3点前把报价单发给客户").Due
		london := draft(t, "u-bob", "@u-zw 明天下午3点前把报价单发给客户").Due
		if want := time.Date(2025, 3, 13, 7, 0, 0, 0, time.UTC); !chengdu.Time.Equal(want) || chengdu.Location != "Asia/Shanghai" {
			t.Errorf("from Chengdu: %v (%s), want %v", chengdu.Time, chengdu.Location, want)
		}
		if want := time.Date(2025, 3, 13, 15, 0, 0, 0, time.UTC); !london.Time.Equal(want) || london.Location != "Europe/London" {
			t.Errorf("from London: %v (%s), want %v", london.Time, london.Location, want)
		}
	})
}
