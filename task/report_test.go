package task

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/workspace-go/workspace/internal/backends"
	"github.com/workspace-go/workspace/store"
)

// orgChart is an Org from a table.
type orgChart map[string][]string

func (o orgChart) Reports(_ context.Context, manager string) ([]string, error) {
	if manager == "broken" {
		return nil, errors.New("directory down")
	}
	return o[manager], nil
}

// reportFixture makes, from Wednesday 2025-03-12 10:00 Shanghai:
//
//	late    boss → bob, due Thu; bob completes it Fri        done late
//	early   boss → amy, bob; due next week; both complete now  done on time
//	stuck   boss → carl, due Thu, open, nudged twice          overdue
//	todo    boss → amy, no due                                open
//	dropped boss → bob, cancelled                             cancelled
//	other   mgr  → bob, open                                  (not boss's)
//	old     boss → bob, made a month before                   (outside the week)
func reportFixture(t *testing.T, open func(t *testing.T) store.Store) (*svcEnv, map[string]string) {
	e := newSvcEnv(t, open, WithOrg(orgChart{"lead": {"bob", "amy"}}), WithAdmins("root"), WithNudgeInterval(0))
	ids := map[string]string{}
	e.clk.Set(svcStart.AddDate(0, -1, 0))
	ids["old"] = e.create("boss", Spec{Title: "old", Assignees: []string{"bob"}}).ID
	e.clk.Set(svcStart)
	thu := DueOn(2025, 3, 13, shanghai)
	ids["late"] = e.create("boss", Spec{Title: "late", Assignees: []string{"bob"}, Due: thu}).ID
	ids["early"] = e.create("boss", Spec{Title: "early", Assignees: []string{"amy", "bob"}, Due: DueOn(2025, 3, 20, shanghai)}).ID
	ids["stuck"] = e.create("boss", Spec{Title: "stuck", Assignees: []string{"carl"}, Due: thu}).ID
	ids["todo"] = e.create("boss", Spec{Title: "todo", Assignees: []string{"amy"}}).ID
	ids["dropped"] = e.create("boss", Spec{Title: "dropped", Assignees: []string{"bob"}}).ID
	ids["other"] = e.create("mgr", Spec{Title: "other", Assignees: []string{"bob"}}).ID
	do := func(_ Task, err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	do(e.svc.Complete(e.ctx, "amy", ids["early"]))
	do(e.svc.Complete(e.ctx, "bob", ids["early"]))
	do(e.svc.SetStatus(e.ctx, "boss", ids["dropped"], StatusCancelled))
	for range 2 {
		if _, err := e.svc.Nudge(e.ctx, "boss", ids["stuck"]); err != nil {
			t.Fatal(err)
		}
	}
	e.clk.Set(time.Date(2025, 3, 14, 11, 0, 0, 0, shanghai)) // Friday
	do(e.svc.Complete(e.ctx, "bob", ids["late"]))
	return e, ids
}

var reportWeek = Period{From: time.Date(2025, 3, 10, 0, 0, 0, 0, shanghai), To: time.Date(2025, 3, 17, 0, 0, 0, 0, shanghai)}

func TestReportCountsWhatWasHandedOut(t *testing.T) {
	eachBackend(t, func(t *testing.T, open func(t *testing.T) store.Store) {
		e, ids := reportFixture(t, open)
		rep, err := e.svc.Report(e.ctx, "boss", ReportQuery{Scope: ScopeCreated, Period: reportWeek, List: BucketOverdue})
		if err != nil {
			t.Fatal(err)
		}
		want := Counts{HandedOut: 5, DoneOnTime: 1, DoneLate: 1, Open: 2, Overdue: 1, Cancelled: 1, Nudges: 2}
		if rep.Counts != want {
			t.Errorf("counts = %+v\nwant     %+v", rep.Counts, want)
		}
		rows := map[string]Counts{}
		for _, r := range rep.ByAssignee {
			rows[r.User] = r.Counts
		}
		wantRows := map[string]Counts{
			"amy":  {HandedOut: 2, DoneOnTime: 1, Open: 1},
			"bob":  {HandedOut: 3, DoneOnTime: 1, DoneLate: 1, Cancelled: 1},
			"carl": {HandedOut: 1, Open: 1, Overdue: 1, Nudges: 2},
		}
		if len(rows) != len(wantRows) {
			t.Errorf("rows = %+v", rep.ByAssignee)
		}
		for u, w := range wantRows {
			if rows[u] != w {
				t.Errorf("%s: %+v, want %+v", u, rows[u], w)
			}
		}
		if got := taskIDs(rep.Tasks.Items); !slices.Equal(got, []string{ids["stuck"]}) {
			t.Errorf("overdue list = %v", got)
		}

		t.Run("the list pages newest first", func(t *testing.T) {
			var got []string
			q := ReportQuery{Scope: ScopeCreated, Period: reportWeek, List: BucketAll, Limit: 2}
			for pages := 0; pages < 5; pages++ {
				rep, err := e.svc.Report(e.ctx, "boss", q)
				if err != nil {
					t.Fatal(err)
				}
				got = append(got, taskIDs(rep.Tasks.Items)...)
				if q.Cursor = rep.Tasks.Next; q.Cursor == "" {
					break
				}
			}
			want := []string{ids["dropped"], ids["todo"], ids["stuck"], ids["early"], ids["late"]}
			if !slices.Equal(got, want) {
				t.Errorf("pages = %v, want %v", got, want)
			}
		})
		t.Run("one assignee, judged by their own part", func(t *testing.T) {
			rep, err := e.svc.Report(e.ctx, "boss", ReportQuery{Scope: ScopeCreated, Period: reportWeek, Assignee: "bob", List: BucketDoneLate})
			if err != nil {
				t.Fatal(err)
			}
			if want := (Counts{HandedOut: 3, DoneOnTime: 1, DoneLate: 1, Cancelled: 1}); rep.Counts != want || len(rep.ByAssignee) != 1 {
				t.Errorf("bob's counts = %+v (rows %v), want %+v", rep.Counts, rep.ByAssignee, want)
			}
			if got := taskIDs(rep.Tasks.Items); !slices.Equal(got, []string{ids["late"]}) {
				t.Errorf("bob's late list = %v", got)
			}
		})
		t.Run("a manager sees the team's tasks, whoever handed them out", func(t *testing.T) {
			rep, err := e.svc.Report(e.ctx, "lead", ReportQuery{Scope: ScopeTeam, Period: reportWeek, List: BucketOpen})
			if err != nil {
				t.Fatal(err)
			}
			// late, early, todo, dropped (boss's) and other (mgr's); not
			// stuck (carl is not in the team).
			if rep.Counts.HandedOut != 5 || rep.Counts.Open != 2 {
				t.Errorf("team counts = %+v", rep.Counts)
			}
			var users []string
			for _, r := range rep.ByAssignee {
				users = append(users, r.User)
			}
			if !slices.Equal(users, []string{"amy", "bob"}) {
				t.Errorf("team rows = %v, want amy and bob only", users)
			}
			if got := taskIDs(rep.Tasks.Items); !slices.Equal(got, []string{ids["other"], ids["todo"]}) {
				t.Errorf("team open list = %v", got)
			}
		})
		t.Run("an admin sees every task", func(t *testing.T) {
			rep, err := e.svc.Report(e.ctx, "root", ReportQuery{Scope: ScopeAll})
			if err != nil || rep.Counts.HandedOut != 7 {
				t.Errorf("all-time admin report = %+v, %v", rep.Counts, err)
			}
		})
	})
}

func TestReportRefusals(t *testing.T) {
	e, _ := reportFixture(t, func(t *testing.T) store.Store { return backends.Mem(t) })
	bare := newSvcEnv(t, func(t *testing.T) store.Store { return backends.Mem(t) })
	tests := []struct {
		name string
		svc  *Service
		who  string
		q    ReportQuery
		want error
	}{
		{"a non-admin asking for everything", e.svc, "boss", ReportQuery{Scope: ScopeAll}, ErrPermission},
		{"a team report with no Org", bare.svc, "lead", ReportQuery{Scope: ScopeTeam}, ErrInvalid},
		{"an unknown scope", e.svc, "boss", ReportQuery{Scope: "mine"}, ErrInvalid},
		{"an unknown bucket", e.svc, "boss", ReportQuery{Scope: ScopeCreated, List: "late"}, ErrInvalid},
		{"a period in year 10000", e.svc, "boss", ReportQuery{Scope: ScopeCreated, Period: Period{To: time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)}}, ErrInvalid},
		{"a period that ends before it starts", e.svc, "boss", ReportQuery{Scope: ScopeCreated, Period: Period{From: reportWeek.To, To: reportWeek.From}}, ErrInvalid},
		{"a forged cursor", e.svc, "boss", ReportQuery{Scope: ScopeCreated, Cursor: "%%"}, ErrInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name+" is refused", func(t *testing.T) {
			if _, err := tt.svc.Report(e.ctx, tt.who, tt.q); !errors.Is(err, tt.want) {
				t.Errorf("err = %v, want %v", err, tt.want)
			}
		})
	}
	if _, err := e.svc.Report(e.ctx, "broken", ReportQuery{Scope: ScopeTeam}); err == nil {
		t.Error("an Org error was not reported")
	}
}
