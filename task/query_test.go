package task

import (
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/workspace-go/workspace/store"
)

func titles(p store.Page[Task]) []string {
	var out []string
	for _, t := range p.Items {
		out = append(out, t.Title)
	}
	return out
}

// listAll pages through q with the given page size and returns the titles.
func (e *svcEnv) listAll(actor string, q Query, size int) []string {
	e.t.Helper()
	q.Limit = size
	var out []string
	for range 100 {
		p, err := e.svc.List(e.ctx, actor, q)
		if err != nil {
			e.t.Fatalf("List(%s, %+v): %v", actor, q, err)
		}
		if len(p.Items) > size {
			e.t.Fatalf("page of %d tasks, limit %d", len(p.Items), size)
		}
		out = append(out, titles(p)...)
		if p.Next == "" {
			return out
		}
		q.Cursor = p.Next
	}
	e.t.Fatal("paging does not end")
	return nil
}

func TestQueries(t *testing.T) {
	eachBackend(t, func(t *testing.T, open func(t *testing.T) store.Store) {
		e := newSvcEnv(t, open)
		day := func(d int) Due { return DueOn(2025, 3, d, shanghai) }
		// One task a day from March 12 on; "now" stays at the last one.
		mk := func(title, creator string, sp Spec) {
			sp.Title = title
			e.create(creator, sp)
			e.clk.Advance(24 * time.Hour)
		}
		mk("t1", "boss", Spec{Assignees: []string{"wang"}, Due: day(13)})
		mk("t2", "boss", Spec{Assignees: []string{"wang", "li"}, Due: day(20), Followers: []string{"chen"}})
		mk("t3", "boss", Spec{Assignees: []string{"li"}})
		mk("t4", "li", Spec{Assignees: []string{"wang"}, Due: DueAt(time.Date(2025, 3, 16, 18, 0, 0, 0, shanghai))})
		mk("t5", "boss", Spec{Assignees: []string{"wang"}, Due: day(14)})
		// Now: 2025-03-17 10:00. t1 (due 13th), t4 (16th 18:00) and t5 (14th) are overdue.
		if _, err := e.svc.Complete(e.ctx, "wang", e.idOf("t5")); err != nil {
			t.Fatal(err)
		}
		if _, err := e.svc.SetStatus(e.ctx, "li", e.idOf("t3"), StatusInProgress); err != nil {
			t.Fatal(err)
		}
		now := e.clk.Now()
		tests := []struct {
			name  string
			actor string
			q     Query
			want  []string
		}{
			{"assigned to me lists newest first", "wang", Query{Role: RoleAssignee}, []string{"t5", "t4", "t2", "t1"}},
			{"created by me lists what I handed out", "boss", Query{Role: RoleCreator}, []string{"t5", "t3", "t2", "t1"}},
			{"followed by me lists what I follow", "chen", Query{Role: RoleFollower}, []string{"t2"}},
			{"a status filter uses the status as I see it", "wang", Query{Role: RoleAssignee, Status: StatusDone}, []string{"t5"}},
			{"todo assigned to me leaves out my done part", "wang", Query{Role: RoleAssignee, Status: StatusTodo}, []string{"t4", "t2", "t1"}},
			{"created by me and in progress", "boss", Query{Role: RoleCreator, Status: StatusInProgress}, []string{"t3"}},
			{"created within a period is half open", "boss", Query{Role: RoleCreator, Created: Period{From: svcStart.Add(24 * time.Hour), To: svcStart.Add(4 * 24 * time.Hour)}}, []string{"t3", "t2"}},
			{"overdue for me lists most overdue first without my done part", "wang", Query{Role: RoleAssignee, Overdue: true}, []string{"t1", "t4"}},
			{"overdue for the creator counts open tasks", "boss", Query{Role: RoleCreator, Overdue: true}, []string{"t1"}},
			{"due within a window", "wang", Query{Role: RoleAssignee, Due: Period{From: now, To: now.Add(7 * 24 * time.Hour)}}, []string{"t2"}},
			{"due before a time includes overdue ones", "wang", Query{Role: RoleAssignee, Due: Period{To: now.Add(7 * 24 * time.Hour)}}, []string{"t1", "t4", "t2"}},
			{"overdue and todo filters on the deadline index", "wang", Query{Role: RoleAssignee, Overdue: true, Status: StatusInProgress}, nil},
			{"a stranger sees nothing", "stranger", Query{Role: RoleAssignee}, nil},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				for _, size := range []int{1, 2, 50} {
					if got := e.listAll(tt.actor, tt.q, size); !slices.Equal(got, tt.want) {
						t.Errorf("page size %d: got %v, want %v", size, got, tt.want)
					}
				}
			})
		}
		t.Run("a cursor from another user's query is refused", func(t *testing.T) {
			p, err := e.svc.List(e.ctx, "wang", Query{Role: RoleAssignee, Limit: 1})
			if err != nil || p.Next == "" {
				t.Fatalf("List = %v, %v", p, err)
			}
			_, err = e.svc.List(e.ctx, "boss", Query{Role: RoleAssignee, Cursor: p.Next})
			if !errors.Is(err, ErrInvalid) {
				t.Errorf("err = %v, want ErrInvalid", err)
			}
		})
		t.Run("DueSoon and Overdue are shorthands", func(t *testing.T) {
			p, err := e.svc.DueSoon(e.ctx, "wang", RoleAssignee, 7*24*time.Hour, "")
			if got := titles(p); err != nil || !slices.Equal(got, []string{"t2"}) {
				t.Errorf("DueSoon = %v, %v", got, err)
			}
			p, err = e.svc.Overdue(e.ctx, "wang", RoleAssignee, "")
			if got := titles(p); err != nil || !slices.Equal(got, []string{"t1", "t4"}) {
				t.Errorf("Overdue = %v, %v", got, err)
			}
		})
		t.Run("a summary counts the creator's tasks over a period", func(t *testing.T) {
			got, err := e.svc.Summary(e.ctx, "boss", RoleCreator, Period{From: svcStart, To: now})
			want := Summary{Total: 4, Todo: 2, InProgress: 1, Done: 1, Overdue: 1}
			if err != nil || got != want {
				t.Errorf("Summary = %+v, %v; want %+v", got, err, want)
			}
			got, err = e.svc.Summary(e.ctx, "wang", RoleAssignee, Period{})
			want = Summary{Total: 4, Todo: 3, Done: 1, Overdue: 2}
			if err != nil || got != want {
				t.Errorf("assignee Summary = %+v, %v; want %+v", got, err, want)
			}
			got, err = e.svc.Summary(e.ctx, "boss", RoleCreator, Period{From: svcStart, To: svcStart.Add(time.Hour)})
			want = Summary{Total: 1, Todo: 1, Overdue: 1}
			if err != nil || got != want {
				t.Errorf("Summary of the first hour = %+v, %v; want %+v", got, err, want)
			}
		})
		e.checkIndex()
	})
}

// idOf returns the id of the task titled title, looked up as its creator
// would, by scanning the records (tests only).
func (e *svcEnv) idOf(title string) string {
	e.t.Helper()
	id := ""
	err := e.st.View(e.ctx, func(tx store.Tx) error {
		for _, v := range tx.Scan(store.Prefix(recordKey("")[:len(recordKey(""))-2])) {
			var r record
			if err := decodeRecord(v, &r); err != nil {
				return err
			}
			if r.Title == title {
				id = r.ID
			}
		}
		return nil
	})
	if err != nil || id == "" {
		e.t.Fatalf("no task %q: %v", title, err)
	}
	return id
}
