package directory_test

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/workspace-go/workspace/directory"
	"github.com/workspace-go/workspace/internal/backends"
	"github.com/workspace-go/workspace/store"
)

// orgChart returns a chart of nd departments (a tree three levels deep)
// and nu users spread over them, each reporting to the head of their
// department's parent chain.
func orgChart(nd, nu int) directory.OrgChart {
	var c directory.OrgChart
	surnames := []rune("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾单解")
	given := []rune("伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰")
	for i := range nd {
		parent := ""
		if i >= 10 {
			parent = fmt.Sprintf("d%04d", i/10-1)
		}
		c.Departments = append(c.Departments, directory.Department{ID: fmt.Sprintf("d%04d", i), Name: fmt.Sprintf("部门%d", i), Parent: parent})
	}
	for i := range nu {
		d := i % nd
		u := directory.User{
			ID:          fmt.Sprintf("u%06d", i),
			Name:        string([]rune{surnames[i%len(surnames)], given[(i/len(surnames))%len(given)], given[(i/7)%len(given)]}),
			Email:       fmt.Sprintf("user%d@example.com", i),
			Phone:       fmt.Sprintf("+86 139%08d", i),
			Title:       "工程师",
			Departments: []string{fmt.Sprintf("d%04d", d)},
			TimeZone:    "Asia/Shanghai",
		}
		if i >= nd {
			u.Manager = fmt.Sprintf("u%06d", d) // user d heads department d
		}
		c.Users = append(c.Users, u)
	}
	for i := range nd {
		if i < nu {
			c.Departments[i].Manager = fmt.Sprintf("u%06d", i)
		}
	}
	return c
}

func TestImport(t *testing.T) {
	backends.Run(t, func(t *testing.T, open func(testing.TB) store.Store) {
		ctx := context.Background()
		st := open(t)
		s := newService(t, st)
		chart := orgChart(30, 1200)
		var calls []directory.ImportProgress
		rep, err := s.Import(ctx, admin, chart, func(p directory.ImportProgress) { calls = append(calls, p) })
		if err != nil {
			t.Fatal(err)
		}
		if rep.Created != 1230 || rep.Updated != 0 || rep.Unchanged != 0 {
			t.Errorf("first run: %+v, want 1230 created", rep)
		}
		// 1 department batch, the user batches, 1 head batch, done.
		if want := 3 + (1200+directory.ImportBatch-1)/directory.ImportBatch; len(calls) != want || calls[len(calls)-1].Stage != "done" {
			t.Errorf("progress calls %+v", calls)
		}
		d, err := s.Department(ctx, admin, "d0005")
		if err != nil || d.Manager != "u000005" {
			t.Errorf("department head: %+v, %v", d, err)
		}
		p, _ := s.Users(ctx, admin, directory.UserQuery{Department: "d0000", ListOptions: directory.ListOptions{Limit: directory.MaxPageSize}})
		// d0000 and its children d0010 to d0019 hold 11 of 30 departments'
		// 40 users each.
		if len(p.Items) != 440 {
			t.Errorf("users under d0000 = %d, want 440", len(p.Items))
		}
		last, _ := st.Last(ctx)
		rep, err = s.Import(ctx, admin, chart, nil)
		if err != nil {
			t.Fatal(err)
		}
		if rep.Created != 0 || rep.Updated != 0 || rep.Unchanged != 1230 {
			t.Errorf("second run: %+v, want all unchanged", rep)
		}
		if again, _ := st.Last(ctx); again != last {
			t.Errorf("a re-run wrote change records: %d to %d", last, again)
		}
		t.Run("a change in the chart updates only what changed", func(t *testing.T) {
			chart.Users[42].Title = "经理"
			chart.Users[43].Departments = []string{"d0001"}
			rep, err := s.Import(ctx, admin, chart, nil)
			if err != nil || rep.Updated != 2 {
				t.Errorf("rep %+v, %v", rep, err)
			}
		})
	})
}

func TestImportRefusesBadCharts(t *testing.T) {
	ctx := context.Background()
	cases := []struct {
		name string
		edit func(c *directory.OrgChart)
		want error
	}{
		{"a department under itself", func(c *directory.OrgChart) { c.Departments[3].Parent = c.Departments[3].ID }, directory.ErrCycle},
		{"departments in a loop", func(c *directory.OrgChart) { c.Departments[0].Parent = "d0019" }, directory.ErrCycle},
		{"an unknown parent", func(c *directory.OrgChart) { c.Departments[2].Parent = "nope" }, directory.ErrNotFound},
		{"a user in no department", func(c *directory.OrgChart) { c.Users[50].Departments = nil }, directory.ErrInvalid},
		{"a user in an unknown department", func(c *directory.OrgChart) { c.Users[50].Departments = []string{"nope"} }, directory.ErrNotFound},
		{"duplicate emails", func(c *directory.OrgChart) { c.Users[51].Email = c.Users[52].Email }, directory.ErrTaken},
		{"an invalid time zone", func(c *directory.OrgChart) { c.Users[53].TimeZone = "Asia/Atlantis" }, directory.ErrInvalid},
		{"an unknown manager", func(c *directory.OrgChart) { c.Users[54].Manager = "ghost" }, directory.ErrNotFound},
		{"a departed manager", func(c *directory.OrgChart) { c.Users[1].Status = directory.Left }, directory.ErrDeparted},
		{"a manager loop", func(c *directory.OrgChart) { c.Users[0].Manager = "u000020" }, directory.ErrCycle},
		{"a user listed twice", func(c *directory.OrgChart) { c.Users[60].ID = c.Users[61].ID }, directory.ErrInvalid},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			st := backends.Mem(t)
			s := newService(t, st)
			before, _ := st.Last(ctx)
			chart := orgChart(20, 100)
			c.edit(&chart)
			_, err := s.Import(ctx, admin, chart, nil)
			if !errors.Is(err, c.want) {
				t.Errorf("err = %v, want %v", err, c.want)
			}
			if after, _ := st.Last(ctx); after != before {
				t.Errorf("a refused chart wrote %d change records", after-before)
			}
		})
	}
	t.Run("a non-admin may not import", func(t *testing.T) {
		s := newService(t, backends.Mem(t))
		if _, err := s.Import(ctx, "someone", orgChart(2, 2), nil); !errors.Is(err, store.ErrPermission) {
			t.Errorf("err = %v", err)
		}
	})
}

func TestImportResumesAndMoves(t *testing.T) {
	backends.Run(t, func(t *testing.T, open func(testing.TB) store.Store) {
		st := open(t)
		s := newService(t, st)
		chart := orgChart(30, 1000)
		ctx, cancel := context.WithCancel(context.Background())
		_, err := s.Import(ctx, admin, chart, func(p directory.ImportProgress) {
			if p.Stage == "users" {
				cancel() // the process dies after its first user batch
			}
		})
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("err = %v, want context.Canceled", err)
		}
		rep, err := s.Import(context.Background(), admin, chart, nil)
		if err != nil {
			t.Fatal(err)
		}
		// The heads, left for last, are set now that their users exist.
		if rep.Created != 1000-directory.ImportBatch || rep.Updated != 30 || rep.Unchanged != directory.ImportBatch {
			t.Errorf("resumed run: %+v, want %d created, 30 updated, %d unchanged", rep, 1000-directory.ImportBatch, directory.ImportBatch)
		}
		chart.Departments[15].Parent = "d0002" // d0015 leaves d0000 for d0002
		if _, err := s.Import(context.Background(), admin, chart, nil); err != nil {
			t.Fatal(err)
		}
		d, _ := s.Department(context.Background(), admin, "d0015")
		if d.Parent != "d0002" {
			t.Errorf("d0015 parent = %q", d.Parent)
		}
		p, _ := s.Users(context.Background(), admin, directory.UserQuery{Department: "d0002", ListOptions: directory.ListOptions{Limit: 100}})
		// Users i with i%30 == 2 (34 of them) and i%30 == 15 (33).
		if len(p.Items) != 67 {
			t.Errorf("users under d0002 after the move = %d, want 67", len(p.Items))
		}
	})
}
