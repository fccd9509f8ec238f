package task_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"time"

	"github.com/workspace-go/workspace/internal/clock"
	"github.com/workspace-go/workspace/internal/ids"
	"github.com/workspace-go/workspace/store"
	"github.com/workspace-go/workspace/store/memstore"
	"github.com/workspace-go/workspace/task"
)

// A manager turns a chat message into a task for three people, sees 2/3
// done, nudges the one left, and reads the week's summary.
func Example() {
	ctx := context.Background()
	st := memstore.New()
	defer st.Close()
	shanghai, _ := time.LoadLocation("Asia/Shanghai")
	clk := clock.NewFake(time.Date(2025, 3, 12, 10, 0, 0, 0, shanghai))
	svc, err := task.New(context.Background(), st, task.WithClock(clk.Now), task.WithIDs(ids.Sequential("task_")))
	if err != nil {
		log.Fatal(err)
	}

	t, err := svc.Create(ctx, "manager", task.Spec{
		Title:     "整理Q3的投放数据",
		Assignees: []string{"lilei", "hanmeimei", "xiaowang"},
		Due:       task.DueOn(2025, 3, 21, shanghai),
		Priority:  task.PriorityHigh,
		Source:    task.Source{Kind: "chat.message", ID: "msg_42"},
	})
	if err != nil {
		log.Fatal(err)
	}
	for _, who := range []string{"lilei", "hanmeimei"} {
		clk.Advance(time.Hour)
		if t, err = svc.Complete(ctx, who, t.ID); err != nil {
			log.Fatal(err)
		}
	}
	done, total := t.Progress()
	fmt.Printf("%s: %d/%d done, %s, due %v\n", t.Title, done, total, t.Status, t.Due)

	n, err := svc.Nudge(ctx, "manager", t.ID)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("nudged:", n.Users)
	_, err = svc.Nudge(ctx, "manager", t.ID)
	fmt.Println("again at once:", errors.Is(err, task.ErrTooSoon), errors.Is(err, store.ErrConflict))

	week := task.Period{From: time.Date(2025, 3, 10, 0, 0, 0, 0, shanghai), To: time.Date(2025, 3, 17, 0, 0, 0, 0, shanghai)}
	sum, err := svc.Summary(ctx, "manager", task.RoleCreator, week)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("this week: %d tasks, %d in progress, %d done, %d overdue\n", sum.Total, sum.InProgress, sum.Done, sum.Overdue)

	page, err := svc.List(ctx, "xiaowang", task.Query{Role: task.RoleAssignee, Status: task.StatusInProgress})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("xiaowang's work in progress:", len(page.Items))
	// Output:
	// 整理Q3的投放数据: 2/3 done, in_progress, due 2025-03-21 Asia/Shanghai
	// nudged: [xiaowang]
	// again at once: true true
	// this week: 1 tasks, 1 in progress, 0 done, 0 overdue
	// xiaowang's work in progress: 1
}

// The change log tells an application what to deliver: here, reminders
// from a scheduler's Sweep.
func ExampleService_Sweep() {
	ctx := context.Background()
	st := memstore.New()
	defer st.Close()
	start := time.Date(2025, 3, 12, 9, 0, 0, 0, time.UTC)
	svc, err := task.New(context.Background(), st, task.WithClock(func() time.Time { return start }), task.WithIDs(ids.Sequential("task_")))
	if err != nil {
		log.Fatal(err)
	}
	if _, err := svc.Create(ctx, "boss", task.Spec{
		Title:     "send the deck",
		Assignees: []string{"bob"},
		Due:       task.DueAt(time.Date(2025, 3, 12, 17, 0, 0, 0, time.UTC)),
	}); err != nil {
		log.Fatal(err)
	}
	from, err := st.Last(ctx)
	if err != nil {
		log.Fatal(err)
	}
	// The scheduler runs at 16:00 and 17:00, twice each.
	for _, h := range []int{16, 16, 17, 17} {
		if _, err := svc.Sweep(ctx, time.Date(2025, 3, 12, h, 0, 0, 0, time.UTC)); err != nil {
			log.Fatal(err)
		}
	}
	recs, _, err := st.Changes(ctx, from, 0)
	if err != nil {
		log.Fatal(err)
	}
	for _, rec := range recs {
		c, ok, err := task.DecodeChange(rec)
		if err != nil || !ok {
			continue
		}
		fmt.Println(c.Type, c.Task.Title, "->", c.Users)
	}
	// Output:
	// task.due_soon send the deck -> [bob]
	// task.overdue send the deck -> [bob]
}

// List pages through a query with the cursor each page returns.
func ExampleService_List() {
	ctx := context.Background()
	st := memstore.New()
	defer st.Close()
	clk := clock.NewFake(time.Date(2025, 3, 3, 9, 0, 0, 0, time.UTC))
	svc, err := task.New(context.Background(), st, task.WithClock(clk.Now), task.WithIDs(ids.Sequential("task_")))
	if err != nil {
		log.Fatal(err)
	}
	for day := 1; day <= 5; day++ {
		_, err := svc.Create(ctx, "boss", task.Spec{
			Title:     fmt.Sprintf("report %d", day),
			Assignees: []string{"bob"},
			Due:       task.DueOn(2025, 3, 3+day, nil),
		})
		if err != nil {
			log.Fatal(err)
		}
		clk.Advance(time.Hour)
	}
	clk.Set(time.Date(2025, 3, 6, 12, 0, 0, 0, time.UTC)) // reports 1 and 2 are late

	q := task.Query{Role: task.RoleAssignee, Limit: 2}
	for {
		page, err := svc.List(ctx, "bob", q)
		if err != nil {
			log.Fatal(err)
		}
		for _, t := range page.Items {
			fmt.Print(t.Title, "; ")
		}
		fmt.Println("(page)")
		if page.Next == "" {
			break
		}
		q.Cursor = page.Next
	}
	late, err := svc.Overdue(ctx, "bob", task.RoleAssignee, "")
	if err != nil {
		log.Fatal(err)
	}
	for _, t := range late.Items {
		fmt.Println("overdue:", t.Title, "due", t.Due)
	}
	// Output:
	// report 5; report 4; (page)
	// report 3; report 2; (page)
	// report 1; (page)
	// overdue: report 1 due 2025-03-04 UTC
	// overdue: report 2 due 2025-03-05 UTC
}

// A weekly report repeats every Monday at 10:00: when it is done, the
// next occurrence is there, for the same people.
func ExampleSpec_repeat() {
	ctx := context.Background()
	st := memstore.New()
	defer st.Close()
	shanghai, _ := time.LoadLocation("Asia/Shanghai")
	clk := clock.NewFake(time.Date(2025, 3, 12, 10, 0, 0, 0, shanghai))
	svc, err := task.New(ctx, st, task.WithClock(clk.Now), task.WithIDs(ids.Sequential("task_")))
	if err != nil {
		log.Fatal(err)
	}
	t, err := svc.Create(ctx, "manager", task.Spec{
		Title:     "周报",
		Assignees: []string{"lilei"},
		Due:       task.DueAt(time.Date(2025, 3, 17, 10, 0, 0, 0, shanghai)),
		Repeat:    "FREQ=WEEKLY;BYDAY=MO",
	})
	if err != nil {
		log.Fatal(err)
	}
	t, err = svc.Complete(ctx, "lilei", t.ID)
	if err != nil {
		log.Fatal(err)
	}
	next, err := svc.Get(ctx, "lilei", t.Repeat.Next)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(t.Status, "→ next:", next.Title, next.Due, "occurrence", next.Repeat.Index)
	// Output:
	// done → next: 周报 2025-03-24 10:00 Asia/Shanghai occurrence 2
}

// A manager reads the week's report of the work handed out: done on time,
// late, open and overdue, by assignee.
func ExampleService_Report() {
	ctx := context.Background()
	st := memstore.New()
	defer st.Close()
	shanghai, _ := time.LoadLocation("Asia/Shanghai")
	clk := clock.NewFake(time.Date(2025, 3, 10, 9, 0, 0, 0, shanghai))
	svc, err := task.New(ctx, st, task.WithClock(clk.Now), task.WithIDs(ids.Sequential("task_")))
	if err != nil {
		log.Fatal(err)
	}
	mk := func(title, who string, due task.Due) task.Task {
		t, err := svc.Create(ctx, "manager", task.Spec{Title: title, Assignees: []string{who}, Due: due})
		if err != nil {
			log.Fatal(err)
		}
		return t
	}
	quote := mk("报价单", "lilei", task.DueOn(2025, 3, 11, shanghai))
	deck := mk("deck", "hanmeimei", task.DueOn(2025, 3, 12, shanghai))
	mk("Q3数据", "lilei", task.DueOn(2025, 3, 13, shanghai))
	clk.Set(time.Date(2025, 3, 11, 17, 0, 0, 0, shanghai))
	svc.Complete(ctx, "lilei", quote.ID)
	clk.Set(time.Date(2025, 3, 13, 9, 0, 0, 0, shanghai))
	svc.Complete(ctx, "hanmeimei", deck.ID)
	clk.Set(time.Date(2025, 3, 14, 9, 0, 0, 0, shanghai))

	week := task.Period{From: time.Date(2025, 3, 10, 0, 0, 0, 0, shanghai), To: time.Date(2025, 3, 17, 0, 0, 0, 0, shanghai)}
	rep, err := svc.Report(ctx, "manager", task.ReportQuery{Scope: task.ScopeCreated, Period: week, List: task.BucketOverdue})
	if err != nil {
		log.Fatal(err)
	}
	c := rep.Counts
	fmt.Printf("handed out %d: %d on time, %d late, %d open (%d overdue)\n", c.HandedOut, c.DoneOnTime, c.DoneLate, c.Open, c.Overdue)
	for _, row := range rep.ByAssignee {
		fmt.Printf("  %s: %d on time, %d late, %d overdue\n", row.User, row.Counts.DoneOnTime, row.Counts.DoneLate, row.Counts.Overdue)
	}
	for _, t := range rep.Tasks.Items {
		fmt.Println("  overdue:", t.Title, t.Due)
	}
	// Output:
	// handed out 3: 1 on time, 1 late, 1 open (1 overdue)
	//   hanmeimei: 0 on time, 1 late, 0 overdue
	//   lilei: 1 on time, 0 late, 1 overdue
	//   overdue: Q3数据 2025-03-13 Asia/Shanghai
}
