package workspace_test

import (
	"context"
	"errors"
	"runtime"
	"testing"
	"time"

	"github.com/workspace-go/workspace"
	"github.com/workspace-go/workspace/calendar"
	"github.com/workspace-go/workspace/chat"
	"github.com/workspace-go/workspace/docacl"
	stores "github.com/workspace-go/workspace/internal/backends"
	"github.com/workspace-go/workspace/internal/clock"
	"github.com/workspace-go/workspace/search"
	"github.com/workspace-go/workspace/store"
	"github.com/workspace-go/workspace/store/memstore"
	"github.com/workspace-go/workspace/task"
)

var day = time.Date(2025, 3, 12, 10, 0, 0, 0, time.UTC)

func now() time.Time { return day }

// backends opens a fresh store of each kind: memstore, boltstore and,
// with WORKSPACE_PG_DSN, PostgreSQL (the one table in internal/backends).
var backends = func() (out []struct {
	name string
	open func(t *testing.T) store.Store
}) {
	for _, b := range stores.All() {
		out = append(out, struct {
			name string
			open func(t *testing.T) store.Store
		}{b.Name, func(t *testing.T) store.Store { return b.Open(t) }})
	}
	return out
}()

func open(t *testing.T, st store.Store, tenant string, opts ...func(*workspace.Options)) *workspace.Workspace {
	t.Helper()
	o := workspace.Options{Store: st, Tenant: tenant, Admins: []string{"admin"}, Now: now}
	for _, f := range opts {
		f(&o)
	}
	ws, err := workspace.Open(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ws.Close() })
	return ws
}

func searchAs(t *testing.T, ws *workspace.Workspace, user, q string) *search.Results {
	t.Helper()
	ctx := context.Background()
	if err := ws.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	res, err := ws.SearchAs(ctx, user, search.Request{Query: q})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func TestTenantsCannotSeeEachOther(t *testing.T) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			ctx := context.Background()
			st := b.open(t)
			a, bb := open(t, st, "acme"), open(t, st, "globex")
			addPeople(t, a, "u1", "u2", "u3")
			addPeople(t, bb, "u1", "u2", "u3")
			sub, err := bb.Chat.Subscribe(ctx, "u1")
			if err != nil {
				t.Fatal(err)
			}
			events := sub.C()
			conv, err := a.Chat.CreateGroup(ctx, "u1", chat.GroupOptions{Name: "deals", Members: []string{"u2"}})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := a.Chat.Post(ctx, "u1", conv.ID, chat.Draft{Text: "acme 报价单 secret quote"}); err != nil {
				t.Fatal(err)
			}
			if got := searchAs(t, a, "u1", "报价单").Total; got != 1 {
				t.Errorf("tenant acme's own search found %d; want 1", got)
			}
			if got := searchAs(t, bb, "u1", "报价单").Total; got != 0 {
				t.Errorf("tenant globex's u1 found %d of acme's messages", got)
			}
			if _, err := bb.Chat.Conversation(ctx, "u1", conv.ID); !errors.Is(err, store.ErrNotFound) {
				t.Errorf("globex reads acme's conversation: %v", err)
			}
			convs, _ := bb.Chat.Conversations(ctx, "u1", chat.ListOptions{})
			if len(convs.Items) != 0 {
				t.Errorf("globex lists %d conversations for u1", len(convs.Items))
			}
			// A globex post reaches globex's subscriber; acme's never did.
			gconv, _ := bb.Chat.CreateGroup(ctx, "u1", chat.GroupOptions{Name: "g", Members: []string{"u3"}})
			bb.Chat.Post(ctx, "u3", gconv.ID, chat.Draft{Text: "hello"})
			for ev := range events {
				if ev.Conversation == conv.ID {
					t.Fatalf("globex's subscriber got acme's %s", ev.Type)
				}
				if ev.Type == chat.MessageCreated {
					break
				}
			}
			// Nothing of acme's is even addressable through globex's store.
			bb.Store().View(ctx, func(tx store.Tx) error {
				for k := range tx.Scan(store.Range{}) {
					if string(k) > "ns/" && string(k) < "ns0" {
						t.Errorf("globex's view reaches a raw namespace key %q", k)
					}
				}
				return nil
			})
		})
	}
}

func TestSearchFollowsMembershipAtOnce(t *testing.T) {
	ctx := context.Background()
	ws := open(t, memstore.New(), "")
	addPeople(t, ws, "u1", "u2", "u3")
	conv, _ := ws.Chat.CreateGroup(ctx, "u1", chat.GroupOptions{Name: "deals", Members: []string{"u2"}})
	ws.Chat.Post(ctx, "u1", conv.ID, chat.Draft{Text: "please send the deck 投放数据"})
	if got := searchAs(t, ws, "u2", "deck").Total; got != 1 {
		t.Fatalf("member found %d; want 1", got)
	}
	if got := searchAs(t, ws, "u3", "deck").Total; got != 0 {
		t.Errorf("non-member found %d", got)
	}
	if err := ws.Chat.RemoveMember(ctx, "u1", conv.ID, "u2"); err != nil {
		t.Fatal(err)
	}
	// No Sync needed: keys are computed at each search.
	res, err := ws.SearchAs(ctx, "u2", search.Request{Query: "投放"})
	if err != nil {
		t.Fatal(err)
	}
	if res.Total != 0 {
		t.Errorf("removed member still finds %d", res.Total)
	}
}

func TestPublicChannelsAreSearchableByEveryone(t *testing.T) {
	ctx := context.Background()
	ws := open(t, memstore.New(), "")
	addPeople(t, ws, "u1", "u9")
	ch, err := ws.Chat.CreateChannel(ctx, "u1", chat.ChannelOptions{Name: "general"})
	if err != nil {
		t.Fatal(err)
	}
	ws.Chat.Post(ctx, "u1", ch.ID, chat.Draft{Text: "all hands on Friday"})
	if got := searchAs(t, ws, "u9", "hands").Total; got != 1 {
		t.Errorf("a non-member found %d public messages; want 1 (anyone may read a public channel)", got)
	}
}

func TestDocumentSearchFollowsGrants(t *testing.T) {
	ctx := context.Background()
	ws := open(t, memstore.New(), "")
	addPeople(t, ws, "owner", "reader")
	doc, err := ws.Docs.Create(ctx, "owner", docacl.Resource{Kind: docacl.Document, Name: "年度预算 budget 2025"})
	if err != nil {
		t.Fatal(err)
	}
	if got := searchAs(t, ws, "reader", "预算").Total; got != 0 {
		t.Errorf("found %d documents before any grant", got)
	}
	if err := ws.Docs.Grant(ctx, "owner", doc.ID, docacl.UserKey("reader"), docacl.Viewer, docacl.GrantOptions{}); err != nil {
		t.Fatal(err)
	}
	if got := searchAs(t, ws, "reader", "budget").Total; got != 1 {
		t.Errorf("found %d after the grant; want 1", got)
	}
	if err := ws.Docs.Revoke(ctx, "owner", doc.ID, docacl.UserKey("reader")); err != nil {
		t.Fatal(err)
	}
	if got := searchAs(t, ws, "reader", "budget").Total; got != 0 {
		t.Errorf("found %d after the revoke", got)
	}
}

func TestTaskFromMessageLinksBothWays(t *testing.T) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			ctx := context.Background()
			ws := open(t, b.open(t), "t1")
			addPeople(t, ws, "boss", "bob", "amy", "stranger")
			conv, _ := ws.Chat.CreateGroup(ctx, "boss", chat.GroupOptions{Name: "team", Members: []string{"bob", "amy"}})
			m, err := ws.Chat.Post(ctx, "boss", conv.ID, chat.Draft{Text: "@bob please send the deck by Friday EOD"})
			if err != nil {
				t.Fatal(err)
			}
			tk, err := ws.TaskFromMessage(ctx, "boss", m.ID, task.Spec{})
			if err != nil {
				t.Fatal(err)
			}
			if tk.Source.Kind != workspace.SourceMessage || tk.Source.ID != m.ID {
				t.Errorf("task source = %+v; want the message", tk.Source)
			}
			if len(tk.Assignees) != 1 || tk.Assignees[0].User != "bob" || tk.Due.IsZero() {
				t.Errorf("task from the suggestion: assignees %v, due %v", tk.Assignees, tk.Due)
			}
			again, err := ws.TaskFromMessage(ctx, "boss", m.ID, task.Spec{Title: "another title"})
			if err != nil || again.ID != tk.ID || again.Title != tk.Title {
				t.Errorf("TaskFromMessage again = %+v, %v; want the first task, unchanged", again, err)
			}
			got, err := ws.MessageTasks(ctx, "bob", m.ID, "")
			if err != nil || len(got.Items) != 1 || got.Items[0].ID != tk.ID {
				t.Errorf("MessageTasks = %v, %v; want the task", got, err)
			}
			// amy is in the conversation but not on the task: she sees the
			// message and not the task.
			if got, err := ws.MessageTasks(ctx, "amy", m.ID, ""); err != nil || len(got.Items) != 0 {
				t.Errorf("MessageTasks for amy = %v, %v; want none", got, err)
			}
			if _, err := ws.MessageTasks(ctx, "stranger", m.ID, ""); err == nil {
				t.Error("a stranger listed the tasks of a message they cannot see")
			}
			if err := ws.Tasks.Delete(ctx, "boss", tk.ID); err != nil {
				t.Fatal(err)
			}
			if got, _ := ws.MessageTasks(ctx, "boss", m.ID, ""); len(got.Items) != 0 {
				t.Errorf("a deleted task is still linked: %v", got)
			}
			// The key is freed with the task: the message makes a new one.
			if again, err := ws.TaskFromMessage(ctx, "boss", m.ID, task.Spec{}); err != nil || again.ID == tk.ID {
				t.Errorf("TaskFromMessage after the delete = %+v, %v; want a new task", again, err)
			}
		})
	}
}

func TestLinksSurviveReopen(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	opts := workspace.Options{Dir: dir, Now: now, Admins: []string{"admin"}}
	ws, err := workspace.Open(ctx, opts)
	if err != nil {
		t.Fatal(err)
	}
	addPeople(t, ws, "boss", "bob")
	conv, _ := ws.Chat.CreateGroup(ctx, "boss", chat.GroupOptions{Name: "team", Members: []string{"bob"}})
	m, _ := ws.Chat.Post(ctx, "boss", conv.ID, chat.Draft{Text: "@bob 明天下午3点前把报价单发给客户"})
	tk, err := ws.TaskFromMessage(ctx, "boss", m.ID, task.Spec{})
	if err != nil {
		t.Fatal(err)
	}
	if err := ws.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	if err := ws.Close(); err != nil {
		t.Fatal(err)
	}
	ws, err = workspace.Open(ctx, opts)
	if err != nil {
		t.Fatal(err)
	}
	defer ws.Close()
	got, err := ws.MessageTasks(ctx, "bob", m.ID, "")
	if err != nil || len(got.Items) != 1 || got.Items[0].ID != tk.ID {
		t.Errorf("after reopening, MessageTasks = %v, %v", got, err)
	}
	res, err := ws.SearchAs(ctx, "bob", search.Request{Query: "报价单"})
	if err != nil || res.Total != 2 {
		t.Errorf("after reopening, bob finds %v, %v; want the message and the task", res, err)
	}
}

func TestAutoTaskDraftsAreSuggested(t *testing.T) {
	ctx := context.Background()
	st := memstore.New()
	ws := open(t, st, "", func(o *workspace.Options) { o.AutoTaskDrafts = true })
	addPeople(t, ws, "boss", "bob")
	conv, _ := ws.Chat.CreateGroup(ctx, "boss", chat.GroupOptions{Name: "team", Members: []string{"bob"}})
	ws.Chat.Post(ctx, "boss", conv.ID, chat.Draft{Text: "谢谢大家，辛苦了"})
	m, _ := ws.Chat.Post(ctx, "boss", conv.ID, chat.Draft{Text: "@bob 下周五之前整理一下Q3的投放数据，紧急"})
	if err := ws.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	var got []workspace.Change
	recs, _, err := st.Changes(ctx, 0, 1000)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range recs {
		if ch, ok, err := workspace.DecodeChange(c); ok && err == nil {
			got = append(got, ch)
		}
	}
	if len(got) != 1 || got[0].Message != m.ID || got[0].Type != workspace.ChangeSuggested {
		t.Fatalf("suggestions = %+v; want one, for the request", got)
	}
	d := got[0].Drafts[0]
	if len(d.Assignees) != 1 || d.Assignees[0] != "bob" || d.Priority != task.PriorityHigh {
		t.Errorf("draft = %+v", d)
	}
}

func TestAMalformedRecordIsReportedBySyncAndClose(t *testing.T) {
	ctx := context.Background()
	st := memstore.New()
	defer st.Close()
	ws, err := workspace.Open(ctx, workspace.Options{Store: st, Now: now, AutoTaskDrafts: true})
	if err != nil {
		t.Fatal(err)
	}
	err = st.Update(ctx, func(tx store.Tx) error {
		_, err := tx.Append(chat.Kind, []byte("{not json"))
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := ws.Sync(ctx); !errors.Is(err, store.ErrInvalid) {
		t.Errorf("Sync after a malformed chat record = %v; want ErrInvalid (the indexer and the suggester stop on it)", err)
	}
	if err := ws.Close(); !errors.Is(err, store.ErrInvalid) {
		t.Errorf("Close = %v; want the error that stopped the followers", err)
	}
}

func TestOpenRefusesMissingStorage(t *testing.T) {
	_, err := workspace.Open(context.Background(), workspace.Options{})
	if !errors.Is(err, workspace.ErrOptions) || !errors.Is(err, store.ErrInvalid) {
		t.Errorf("Open with no storage: %v; want ErrOptions wrapping ErrInvalid", err)
	}
	_, err = workspace.Open(context.Background(), workspace.Options{InMemory: true, Tenant: "bad/name"})
	if !errors.Is(err, store.ErrInvalid) {
		t.Errorf("Open with a bad tenant: %v; want ErrInvalid", err)
	}
}

func TestCloseLeavesNoGoroutine(t *testing.T) {
	ctx := context.Background()
	before := runtime.NumGoroutine()
	for _, dir := range []string{"", t.TempDir()} {
		ws, err := workspace.Open(ctx, workspace.Options{InMemory: dir == "", Dir: dir, AutoTaskDrafts: true})
		if err != nil {
			t.Fatal(err)
		}
		conv, _ := ws.Chat.CreateGroup(ctx, "u1", chat.GroupOptions{Name: "g", Members: []string{"u2"}})
		ws.Chat.Post(ctx, "u1", conv.ID, chat.Draft{Text: "@u2 please review PR 42 tomorrow"})
		if err := ws.Sync(ctx); err != nil {
			t.Fatal(err)
		}
		if err := ws.Close(); err != nil {
			t.Fatal(err)
		}
		if err := ws.Close(); err != nil {
			t.Errorf("second Close: %v", err)
		}
	}
	// Goroutines that Close stopped may take a moment to be reaped by the
	// runtime; give them a bounded number of scheduling rounds.
	for i := 0; i < 200 && runtime.NumGoroutine() > before; i++ {
		runtime.Gosched()
		time.Sleep(5 * time.Millisecond)
	}
	if after := runtime.NumGoroutine(); after > before {
		buf := make([]byte, 1<<16)
		t.Errorf("%d goroutines before Open, %d after Close:\n%s", before, after, buf[:runtime.Stack(buf, true)])
	}
}

func TestPurgedMessagesLeaveTheIndex(t *testing.T) {
	ctx := context.Background()
	clk := clock.NewFake(day)
	ws := open(t, memstore.New(), "", func(o *workspace.Options) {
		o.ComplianceOfficers = []string{"legal"}
		o.Now = clk.Now
	})
	addPeople(t, ws, "u1", "u2", "legal")
	conv, _ := ws.Chat.CreateGroup(ctx, "u1", chat.GroupOptions{Name: "deals", Members: []string{"u2"}})
	ws.Chat.Post(ctx, "u1", conv.ID, chat.Draft{Text: "old pricing 旧报价"})
	if got := searchAs(t, ws, "u2", "pricing").Total; got != 1 {
		t.Fatalf("before the purge: %d results; want 1", got)
	}
	if err := ws.Chat.SetRetention(ctx, "legal", conv.ID, 30); err != nil {
		t.Fatal(err)
	}
	clk.Advance(31 * 24 * time.Hour)
	if n, err := ws.Chat.Purge(ctx, "legal", chat.PurgeOptions{}); err != nil || n != 1 {
		t.Fatalf("Purge = %d, %v; want 1", n, err)
	}
	if got := searchAs(t, ws, "u2", "pricing").Total; got != 0 {
		t.Errorf("after the retention purge the message is still found (%d)", got)
	}
}

// The indexer may process a change after its author lost access to what
// changed: what it indexes must not depend on that.
func TestIndexingDoesNotDependOnTheAuthorsAccess(t *testing.T) {
	ctx := context.Background()
	ws := open(t, memstore.New(), "")
	addPeople(t, ws, "owner", "reader", "writer")
	shared, err := ws.Calendar.CreateCalendar(ctx, "owner", calendar.Calendar{Kind: calendar.Shared, Name: "team", TimeZone: "UTC"})
	if err != nil {
		t.Fatal(err)
	}
	if err := ws.Calendar.Share(ctx, "owner", shared.ID, "writer", calendar.Writer); err != nil {
		t.Fatal(err)
	}
	if err := ws.Calendar.Share(ctx, "owner", shared.ID, "reader", calendar.Reader); err != nil {
		t.Fatal(err)
	}
	if err := ws.Calendar.Subscribe(ctx, "reader", shared.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := ws.Calendar.CreateEvent(ctx, "writer", calendar.Event{CalendarID: shared.ID, Title: "offsite 团建",
		Start: day, End: day.Add(time.Hour), TimeZone: "UTC"}); err != nil {
		t.Fatal(err)
	}
	// The writer loses access before the index has caught up (Sync comes
	// only after).
	if err := ws.Calendar.Share(ctx, "owner", shared.ID, "writer", calendar.NoRole); err != nil {
		t.Fatal(err)
	}
	if got := searchAs(t, ws, "reader", "团建").Total; got != 1 {
		t.Errorf("the reader finds %d events; want 1 (indexed although its author lost access)", got)
	}
}

func TestDocumentsOfALeaverAreIndexed(t *testing.T) {
	ctx := context.Background()
	ws := open(t, memstore.New(), "")
	addPeople(t, ws, "boss", "leaver>boss")
	if _, err := ws.Docs.Create(ctx, "leaver", docacl.Resource{Kind: docacl.Document, Name: "客户名单 client list"}); err != nil {
		t.Fatal(err)
	}
	// Offboarded before the index caught up with the document's creation.
	if _, err := ws.Docs.Offboard(ctx, "admin", "leaver", docacl.OffboardOptions{}); err != nil {
		t.Fatal(err)
	}
	res := searchAs(t, ws, "boss", "客户名单")
	if res.Total != 1 || res.Items[0].Author != "boss" {
		t.Errorf("the new owner finds %+v; want the document, owned by them", res.Items)
	}
}

func TestMovedEventsFollowTheirCalendarInSearch(t *testing.T) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			ctx := context.Background()
			ws := open(t, b.open(t), "")
			addPeople(t, ws, "owner", "designer", "salesrep")
			team := func(name, reader string) calendar.Calendar {
				c, err := ws.Calendar.CreateCalendar(ctx, "owner", calendar.Calendar{Kind: calendar.Shared, Name: name, TimeZone: "UTC"})
				if err != nil {
					t.Fatal(err)
				}
				if err := ws.Calendar.Share(ctx, "owner", c.ID, reader, calendar.Reader); err != nil {
					t.Fatal(err)
				}
				if err := ws.Calendar.Subscribe(ctx, reader, c.ID); err != nil {
					t.Fatal(err)
				}
				return c
			}
			sales, design := team("sales", "salesrep"), team("design", "designer")
			ev, err := ws.Calendar.CreateEvent(ctx, "owner", calendar.Event{CalendarID: sales.ID, Title: "launch review 发布评审",
				Start: day, End: day.Add(time.Hour), TimeZone: "UTC"})
			if err != nil {
				t.Fatal(err)
			}
			if s, d := searchAs(t, ws, "salesrep", "发布评审").Total, searchAs(t, ws, "designer", "发布评审").Total; s != 1 || d != 0 {
				t.Fatalf("before the move, sales finds %d and design %d; want 1 and 0", s, d)
			}
			if _, err := ws.Calendar.MoveEvent(ctx, "owner", ev.ID, design.ID, 0); err != nil {
				t.Fatal(err)
			}
			if s, d := searchAs(t, ws, "salesrep", "launch review").Total, searchAs(t, ws, "designer", "launch review").Total; s != 0 || d != 1 {
				t.Errorf("after the move to design, sales finds %d and design %d; want 0 and 1", s, d)
			}
		})
	}
}
