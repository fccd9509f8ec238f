package task

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/workspace-go/workspace/internal/backends"
	"github.com/workspace-go/workspace/internal/clock"
	"github.com/workspace-go/workspace/internal/ids"
	"github.com/workspace-go/workspace/internal/keys"
	"github.com/workspace-go/workspace/store"
	"github.com/workspace-go/workspace/store/memstore"
)

var (
	shanghai = mustZone("Asia/Shanghai")
	// svcStart is a Wednesday, 10:00 in Shanghai.
	svcStart = time.Date(2025, 3, 12, 10, 0, 0, 0, shanghai)
)

func mustZone(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

// svcEnv is a Service over a fresh store with a fake clock.
type svcEnv struct {
	t   *testing.T
	ctx context.Context
	st  store.Store
	clk *clock.Fake
	svc *Service
}

func newSvcEnv(t *testing.T, open func(t *testing.T) store.Store, opts ...Option) *svcEnv {
	t.Helper()
	st := open(t)
	clk := clock.NewFake(svcStart)
	opts = append([]Option{WithClock(clk.Now), WithIDs(ids.Sequential("t_"))}, opts...)
	svc, err := New(context.Background(), st, opts...)
	if err != nil {
		t.Fatal(err)
	}
	return &svcEnv{t: t, ctx: t.Context(), st: st, clk: clk, svc: svc}
}

// eachBackend runs fn as a subtest on every backend.
func eachBackend(t *testing.T, fn func(t *testing.T, open func(t *testing.T) store.Store)) {
	for _, b := range backends.All() {
		t.Run(b.Name, func(t *testing.T) {
			fn(t, func(t *testing.T) store.Store { return b.Open(t) })
		})
	}
}

func (e *svcEnv) create(actor string, sp Spec) Task {
	e.t.Helper()
	tk, err := e.svc.Create(e.ctx, actor, sp)
	if err != nil {
		e.t.Fatalf("Create(%q, %+v): %v", actor, sp, err)
	}
	return tk
}

// changes returns every task change in the log.
func (e *svcEnv) changes() []Change {
	e.t.Helper()
	var out []Change
	after := uint64(0)
	for {
		recs, next, err := e.st.Changes(e.ctx, after, 0)
		if err != nil {
			e.t.Fatal(err)
		}
		for _, r := range recs {
			c, ok, err := DecodeChange(r)
			if err != nil || !ok {
				e.t.Fatalf("DecodeChange(%d) = %v, %v", r.Seq, ok, err)
			}
			out = append(out, c)
		}
		if len(recs) == 0 {
			return out
		}
		after = next
	}
}

// checkIndex verifies that the secondary keys in the store are exactly
// those the records imply: nothing stale, nothing missing.
func (e *svcEnv) checkIndex() {
	e.t.Helper()
	want := map[string]string{}
	got := map[string]string{}
	err := e.st.View(e.ctx, func(tx store.Tx) error {
		for k, v := range tx.Scan(store.Prefix(keys.New("task"))) {
			parts, err := keys.Split(k)
			if err != nil {
				return err
			}
			switch string(parts[1]) {
			case "t":
				r, err := load(tx, string(parts[2]))
				if err != nil {
					return err
				}
				for _, en := range e.svc.entries(r) {
					want[string(en.key)] = string(en.val)
				}
			case "a", "v": // activity, layout version
			default:
				got[string(k)] = string(v)
			}
		}
		return nil
	})
	if err != nil {
		e.t.Fatal(err)
	}
	for k, v := range want {
		if g, ok := got[k]; !ok || g != v {
			e.t.Errorf("index key %q: got %q (present %v), want %q", k, g, ok, v)
		}
	}
	for k := range got {
		if _, ok := want[k]; !ok {
			e.t.Errorf("stale index key %q", k)
		}
	}
}

func TestCreateAndGet(t *testing.T) {
	eachBackend(t, func(t *testing.T, open func(t *testing.T) store.Store) {
		e := newSvcEnv(t, open)
		due := DueAt(time.Date(2025, 3, 13, 15, 0, 0, 0, shanghai))
		got := e.create("boss", Spec{
			Title:     "  send the\nquote  ",
			Assignees: []string{"wang", "li", "wang"},
			Followers: []string{"chen"},
			Due:       due,
			Priority:  PriorityHigh,
			Source:    Source{Kind: "chat.message", ID: "m_1"},
		})
		if got.ID != "t_000000001" || got.Title != "send the quote" || got.Status != StatusTodo || got.Mode != ModeAll {
			t.Errorf("Create = %+v", got)
		}
		if names := got.Pending(); !slices.Equal(names, []string{"wang", "li"}) {
			t.Errorf("assignees = %v, want [wang li] (duplicates dropped)", names)
		}
		for _, who := range []string{"boss", "wang", "li", "chen"} {
			back, err := e.svc.Get(e.ctx, who, got.ID)
			if err != nil {
				t.Fatalf("Get as %s: %v", who, err)
			}
			if !back.Due.Equal(due) || back.Due.Local().Location().String() != "Asia/Shanghai" {
				t.Errorf("Get as %s: due = %v, want %v", who, back.Due, due)
			}
			if back.Source != got.Source || back.Priority != PriorityHigh || !back.Created.Equal(svcStart) {
				t.Errorf("Get as %s = %+v", who, back)
			}
		}
		if _, err := e.svc.Get(e.ctx, "stranger", got.ID); !errors.Is(err, ErrNotFound) || !errors.Is(err, store.ErrNotFound) || store.Code(err) != store.CodeNotFound {
			t.Errorf("Get by a stranger: err = %v, want ErrNotFound", err)
		}
		if _, err := e.svc.Get(e.ctx, "boss", "t_404"); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("Get of a missing task: err = %v, want ErrNotFound", err)
		}
		ch := e.changes()
		if len(ch) != 1 || ch[0].Type != TaskCreated || !slices.Equal(ch[0].Users, []string{"wang", "li"}) || ch[0].Task == nil || ch[0].Task.ID != got.ID {
			t.Errorf("changes = %+v", ch)
		}
		e.checkIndex()
	})
}

func TestBadInputWritesNothing(t *testing.T) {
	many := make([]string, MaxPeople+1)
	for i := range many {
		many[i] = "u" + string(rune('a'+i%26)) + string(rune('a'+i/26))
	}
	tests := []struct {
		name  string
		actor string
		spec  Spec
	}{
		{"an empty title is refused", "boss", Spec{Title: " \n "}},
		{"an empty actor is refused", "", Spec{Title: "x"}},
		{"an actor with a control character is refused", "bo\x00ss", Spec{Title: "x"}},
		{"invalid UTF-8 in the title is refused", "boss", Spec{Title: "bad \xff"}},
		{"a title over the limit is refused", "boss", Spec{Title: string(make([]byte, MaxTitle+1))}},
		{"an empty assignee is refused", "boss", Spec{Title: "x", Assignees: []string{""}}},
		{"too many assignees are refused", "boss", Spec{Title: "x", Assignees: many}},
		{"an unknown priority is refused", "boss", Spec{Title: "x", Priority: 9}},
		{"an unknown mode is refused", "boss", Spec{Title: "x", Mode: "some"}},
		{"a source with no id is refused", "boss", Spec{Title: "x", Source: Source{Kind: "chat.message"}}},
		{"a due with no precision is refused", "boss", Spec{Title: "x", Due: Due{Time: svcStart}}},
		{"a due in an unknown zone is refused", "boss", Spec{Title: "x", Due: Due{Time: svcStart, Precision: PrecisionDay, Location: "Mars/Olympus"}}},
		{"a due with no time is refused", "boss", Spec{Title: "x", Due: Due{Precision: PrecisionDay}}},
		{"a due in year 3000 is refused", "boss", Spec{Title: "x", Due: DueOn(3000, 1, 1, nil)}},
	}
	eachBackend(t, func(t *testing.T, open func(t *testing.T) store.Store) {
		e := newSvcEnv(t, open)
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				_, err := e.svc.Create(e.ctx, tt.actor, tt.spec)
				if !errors.Is(err, ErrInvalid) || !errors.Is(err, store.ErrInvalid) {
					t.Errorf("err = %v, want ErrInvalid", err)
				}
			})
		}
		tk := e.create("boss", Spec{Title: "ok", Assignees: []string{"wang"}})
		last, _ := e.st.Last(e.ctx)
		calls := []struct {
			name string
			call func() error
		}{
			{"an empty edit title", func() error { s := ""; _, err := e.svc.Update(e.ctx, "boss", tk.ID, Edit{Title: &s}); return err }},
			{"an unknown status", func() error { _, err := e.svc.SetStatus(e.ctx, "boss", tk.ID, "later"); return err }},
			{"an empty comment", func() error { _, err := e.svc.Comment(e.ctx, "boss", tk.ID, "  "); return err }},
			{"an oversized comment", func() error {
				_, err := e.svc.Comment(e.ctx, "boss", tk.ID, string(make([]byte, MaxComment+1)))
				return err
			}},
			{"an empty task id", func() error { _, err := e.svc.Complete(e.ctx, "wang", ""); return err }},
			{"a query with no role", func() error { _, err := e.svc.List(e.ctx, "boss", Query{}); return err }},
			{"a query mixing overdue and a due period", func() error {
				_, err := e.svc.List(e.ctx, "boss", Query{Role: RoleCreator, Overdue: true, Due: Period{From: svcStart}})
				return err
			}},
			{"a query with a garbage cursor", func() error {
				_, err := e.svc.List(e.ctx, "boss", Query{Role: RoleCreator, Cursor: "!!"})
				return err
			}},
			{"a period ending before it starts", func() error {
				_, err := e.svc.Summary(e.ctx, "boss", RoleCreator, Period{From: svcStart, To: svcStart.Add(-1)})
				return err
			}},
		}
		for _, c := range calls {
			t.Run(c.name+" is refused", func(t *testing.T) {
				if err := c.call(); !errors.Is(err, store.ErrInvalid) {
					t.Errorf("err = %v, want ErrInvalid", err)
				}
			})
		}
		if got, _ := e.st.Last(e.ctx); got != last {
			t.Errorf("change log moved from %d to %d on bad input", last, got)
		}
	})
}

func TestPerAssigneeCompletion(t *testing.T) {
	eachBackend(t, func(t *testing.T, open func(t *testing.T) store.Store) {
		e := newSvcEnv(t, open)
		tk := e.create("boss", Spec{Title: "Q3 data", Assignees: []string{"a", "b", "c"}})
		step := func(who string, f func(context.Context, string, string) (Task, error), wantDone int, wantStatus Status) {
			t.Helper()
			e.clk.Advance(time.Minute)
			got, err := f(e.ctx, who, tk.ID)
			if err != nil {
				t.Fatalf("%s: %v", who, err)
			}
			done, total := got.Progress()
			if done != wantDone || total != 3 || got.Status != wantStatus {
				t.Errorf("after %s: progress %d/%d status %s, want %d/3 %s", who, done, total, got.Status, wantDone, wantStatus)
			}
		}
		step("a", e.svc.Complete, 1, StatusInProgress)
		step("a", e.svc.Complete, 1, StatusInProgress) // again: nothing changes
		step("b", e.svc.Complete, 2, StatusInProgress)
		step("c", e.svc.Complete, 3, StatusDone)
		step("b", e.svc.Uncomplete, 2, StatusInProgress)
		if _, err := e.svc.Complete(e.ctx, "boss", tk.ID); !errors.Is(err, ErrPermission) {
			t.Errorf("Complete by the creator who is no assignee: err = %v, want ErrPermission", err)
		}
		page, err := e.svc.List(e.ctx, "a", Query{Role: RoleAssignee, Status: StatusDone})
		if err != nil || len(page.Items) != 1 {
			t.Errorf("a's done tasks = %v, %v; want the task, since a's part is done", page.Items, err)
		}
		page, err = e.svc.List(e.ctx, "b", Query{Role: RoleAssignee, Status: StatusInProgress})
		if err != nil || len(page.Items) != 1 {
			t.Errorf("b's in-progress tasks = %v, %v; want the task", page.Items, err)
		}

		anyTask := e.create("boss", Spec{Title: "anyone", Assignees: []string{"a", "b"}, Mode: ModeAny})
		got, err := e.svc.Complete(e.ctx, "b", anyTask.ID)
		if err != nil || got.Status != StatusDone {
			t.Errorf("ModeAny after one completion: status %s, %v; want done", got.Status, err)
		}
		if _, err := e.svc.Complete(e.ctx, "a", anyTask.ID); !errors.Is(err, ErrDone) {
			t.Errorf("Complete on a done task: err = %v, want ErrDone", err)
		}
		e.checkIndex()
	})
}

func TestStatusAndReopen(t *testing.T) {
	eachBackend(t, func(t *testing.T, open func(t *testing.T) store.Store) {
		e := newSvcEnv(t, open)
		tk := e.create("boss", Spec{Title: "deck", Assignees: []string{"a", "b"}})
		if got, err := e.svc.SetStatus(e.ctx, "a", tk.ID, StatusInProgress); err != nil || got.Status != StatusInProgress {
			t.Errorf("assignee starts: %s, %v", got.Status, err)
		}
		if _, err := e.svc.SetStatus(e.ctx, "a", tk.ID, StatusDone); !errors.Is(err, ErrPermission) {
			t.Errorf("assignee closes the whole task: err = %v, want ErrPermission", err)
		}
		if _, err := e.svc.Complete(e.ctx, "a", tk.ID); err != nil {
			t.Fatal(err)
		}
		got, err := e.svc.SetStatus(e.ctx, "boss", tk.ID, StatusDone)
		if done, _ := got.Progress(); err != nil || got.Status != StatusDone || done != 1 || !got.Closed.Equal(svcStart) {
			t.Errorf("creator closes: %+v, %v; want done with parts kept (1/2)", got, err)
		}
		got, err = e.svc.Reopen(e.ctx, "boss", tk.ID)
		if done, _ := got.Progress(); err != nil || got.Status != StatusTodo || done != 0 || !got.Closed.IsZero() {
			t.Errorf("Reopen: %+v, %v; want todo with parts cleared", got, err)
		}
		if _, err := e.svc.Reopen(e.ctx, "a", tk.ID); err != nil {
			t.Errorf("Reopen of an open task: %v, want no-op", err)
		}
		if got, err = e.svc.SetStatus(e.ctx, "boss", tk.ID, StatusCancelled); err != nil || got.Status != StatusCancelled {
			t.Errorf("cancel: %s, %v", got.Status, err)
		}
		if _, err := e.svc.Reopen(e.ctx, "a", tk.ID); !errors.Is(err, ErrPermission) {
			t.Errorf("assignee reopens a cancelled task: err = %v, want ErrPermission", err)
		}
		if _, err := e.svc.Uncomplete(e.ctx, "a", tk.ID); err != nil {
			t.Errorf("Uncomplete of a part not done: %v, want no-op", err)
		}
		e.checkIndex()
	})
}

func TestTenantsAreIsolatedByNamespace(t *testing.T) {
	eachBackend(t, func(t *testing.T, open func(t *testing.T) store.Store) {
		root := open(t)
		var svcs []*Service
		for _, name := range []string{"acme", "globex"} {
			ns, err := store.Namespace(root, name)
			if err != nil {
				t.Fatal(err)
			}
			svc, err := New(context.Background(), ns, WithIDs(ids.Sequential("t_")))
			if err != nil {
				t.Fatal(err)
			}
			svcs = append(svcs, svc)
		}
		acme, globex := svcs[0], svcs[1]
		tk, err := acme.Create(t.Context(), "boss", Spec{Title: "acme work", Assignees: []string{"a"}})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := globex.Get(t.Context(), "boss", tk.ID); !errors.Is(err, ErrNotFound) {
			t.Errorf("Get from another tenant: err = %v, want ErrNotFound", err)
		}
		p, err := globex.List(t.Context(), "a", Query{Role: RoleAssignee})
		if err != nil || len(p.Items) != 0 {
			t.Errorf("List in another tenant = %v, %v; want nothing", p.Items, err)
		}
		p, err = acme.List(t.Context(), "a", Query{Role: RoleAssignee})
		if err != nil || len(p.Items) != 1 {
			t.Errorf("List in the tenant = %v, %v; want the task", p.Items, err)
		}
	})
}

func TestNewRefusesBadOptions(t *testing.T) {
	st := memstore.New()
	defer st.Close()
	tests := []struct {
		name string
		st   store.Store
		opt  Option
	}{
		{"a nil store", nil, nil},
		{"a nil clock", st, WithClock(nil)},
		{"a nil id generator", st, WithIDs(nil)},
		{"a negative nudge interval", st, WithNudgeInterval(-time.Second)},
		{"a negative reminder lead", st, WithReminderLead(-time.Second)},
		{"a day reminder past midnight", st, WithDayReminder(25 * time.Hour)},
	}
	for _, tt := range tests {
		t.Run(tt.name+" is refused", func(t *testing.T) {
			if _, err := New(context.Background(), tt.st, tt.opt); !errors.Is(err, store.ErrInvalid) {
				t.Errorf("err = %v, want ErrInvalid", err)
			}
		})
	}
	if _, err := New(context.Background(), st); err != nil {
		t.Errorf("New with defaults: %v", err)
	}
}
