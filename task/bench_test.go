package task

import (
	"context"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/workspace-go/workspace/internal/clock"
	"github.com/workspace-go/workspace/internal/ids"
	"github.com/workspace-go/workspace/store"
	"github.com/workspace-go/workspace/store/boltstore"
	"github.com/workspace-go/workspace/store/memstore"
)

// benchStores lists the backends a benchmark runs on. open opens an empty
// store, closed when the (sub-)benchmark ends; the boltstore syncs every
// commit group unless noSync.
var benchStores = []struct {
	name string
	open func(b *testing.B, noSync bool) store.Store
}{
	{"memstore", func(b *testing.B, _ bool) store.Store {
		st := memstore.New()
		b.Cleanup(func() { st.Close() })
		return st
	}},
	{"boltstore", func(b *testing.B, noSync bool) store.Store {
		st, err := boltstore.Open(filepath.Join(b.TempDir(), "db"), &boltstore.Options{NoSync: noSync})
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { st.Close() })
		return st
	}},
}

func benchSpec(rng *rand.Rand, now time.Time) (creator string, sp Spec) {
	creator = fmt.Sprintf("mgr%03d", rng.IntN(100))
	n := 1 + rng.IntN(3)
	for range n {
		sp.Assignees = append(sp.Assignees, fmt.Sprintf("user%04d", rng.IntN(1000)))
	}
	if rng.IntN(4) == 0 {
		sp.Followers = []string{fmt.Sprintf("user%04d", rng.IntN(1000))}
	}
	sp.Title = "整理一下Q3的投放数据 and send the deck to the client"
	switch rng.IntN(10) {
	case 0, 1, 2:
	case 3, 4, 5, 6:
		sp.Due = DueOn(now.Year(), now.Month(), now.Day()+rng.IntN(30)-10, now.Location())
	default:
		sp.Due = DueAt(now.Add(time.Duration(rng.IntN(30*24)-10*24) * time.Hour))
	}
	sp.Source = Source{Kind: "chat.message", ID: "m_" + fmt.Sprint(rng.Int())}
	return creator, sp
}

// BenchmarkServiceCreate measures Create from many goroutines at once, the
// way an application server calls it.
func BenchmarkServiceCreate(b *testing.B) {
	for _, bs := range benchStores {
		b.Run(bs.name, func(b *testing.B) {
			svc, err := New(context.Background(), bs.open(b, false))
			if err != nil {
				b.Fatal(err)
			}
			now := time.Now()
			var seed atomic.Uint64
			b.ReportAllocs()
			b.SetParallelism(8) // boltstore commits in groups: give it company
			defer svcReportCPU(b)()
			b.RunParallel(func(pb *testing.PB) {
				rng := rand.New(rand.NewPCG(seed.Add(1), 7))
				ctx := context.Background()
				for pb.Next() {
					creator, sp := benchSpec(rng, now)
					if _, err := svc.Create(ctx, creator, sp); err != nil {
						b.Error(err)
						return
					}
				}
			})
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "tasks/s")
		})
	}
}

// benchData is a store with n tasks made over about ten weeks, a third of
// them completed by some or all assignees.
type benchData struct {
	st  store.Store
	svc *Service
	now time.Time
}

func loadBenchData(b *testing.B, st store.Store, n int) *benchData {
	b.Helper()
	start := time.Date(2025, 1, 6, 9, 0, 0, 0, time.UTC)
	clk := clock.NewFake(start)
	team := orgChart{}
	for i := range 50 {
		team["mgr007"] = append(team["mgr007"], fmt.Sprintf("user%04d", i*20))
	}
	svc, err := New(context.Background(), st, WithClock(clk.Now), WithIDs(ids.New(clk.Now)), WithOrg(team), WithAdmins("admin"))
	if err != nil {
		b.Fatal(err)
	}
	step := 70 * 24 * time.Hour / time.Duration(n)
	end := start.Add(step * time.Duration(n))
	rng := rand.New(rand.NewPCG(1, 2))
	type job struct {
		creator string
		sp      Spec
		finish  int // how many assignees complete
	}
	jobs := make(chan job, 256)
	var wg sync.WaitGroup
	var failed atomic.Value
	for range 32 {
		wg.Go(func() {
			ctx := context.Background()
			for j := range jobs {
				t, err := svc.Create(ctx, j.creator, j.sp)
				if err == nil {
					for _, a := range t.Assignees[:min(j.finish, len(t.Assignees))] {
						if _, err = svc.Complete(ctx, a.User, t.ID); err != nil {
							break
						}
					}
				}
				if err != nil {
					failed.Store(err)
				}
			}
		})
	}
	for range n {
		creator, sp := benchSpec(rng, end)
		finish := 0
		if rng.IntN(3) == 0 {
			finish = 1 + rng.IntN(len(sp.Assignees))
		}
		jobs <- job{creator, sp, finish}
		clk.Advance(step)
	}
	close(jobs)
	wg.Wait()
	if err, _ := failed.Load().(error); err != nil {
		b.Fatal(err)
	}
	return &benchData{st: st, svc: svc, now: clk.Now()}
}

// BenchmarkServiceQueries measures the main queries on stores of 10,000
// and 100,000 tasks (the latter skipped with -short). Every query is a
// range scan over its own keys, so the cost follows the page size or the
// range counted, not the number of tasks stored.
func BenchmarkServiceQueries(b *testing.B) {
	for _, n := range []int{10_000, 100_000} {
		if n > 10_000 && testing.Short() {
			continue
		}
		for _, bs := range benchStores {
			b.Run(fmt.Sprintf("%s/tasks=%d", bs.name, n), func(b *testing.B) {
				d := loadBenchData(b, bs.open(b, true), n)
				ctx := context.Background()
				week := Period{From: d.now.Add(-7 * 24 * time.Hour), To: d.now}
				month := Period{From: d.now.Add(-30 * 24 * time.Hour), To: d.now}
				var someID string
				if p, err := d.svc.List(ctx, "mgr001", Query{Role: RoleCreator, Limit: 1}); err == nil && len(p.Items) == 1 {
					someID = p.Items[0].ID
				} else {
					b.Fatal("no task for mgr001", err)
				}
				queries := []struct {
					name string
					run  func() (int, error)
				}{
					{"get", func() (int, error) { _, err := d.svc.Get(ctx, "mgr001", someID); return 1, err }},
					{"assigned-to-me", func() (int, error) {
						p, err := d.svc.List(ctx, "user0042", Query{Role: RoleAssignee})
						return len(p.Items), err
					}},
					{"created-by-me-in-progress", func() (int, error) {
						p, err := d.svc.List(ctx, "mgr007", Query{Role: RoleCreator, Status: StatusInProgress})
						return len(p.Items), err
					}},
					{"created-this-week", func() (int, error) {
						p, err := d.svc.List(ctx, "mgr007", Query{Role: RoleCreator, Created: week})
						return len(p.Items), err
					}},
					{"overdue-for-creator", func() (int, error) {
						p, err := d.svc.Overdue(ctx, "mgr007", RoleCreator, "")
						return len(p.Items), err
					}},
					{"due-within-7-days", func() (int, error) {
						p, err := d.svc.DueSoon(ctx, "user0042", RoleAssignee, 7*24*time.Hour, "")
						return len(p.Items), err
					}},
					{"summary-creator-month", func() (int, error) {
						s, err := d.svc.Summary(ctx, "mgr007", RoleCreator, month)
						return s.Total, err
					}},
					// The team's report over a month: counts, a row per
					// assignee and the first page of the overdue tasks.
					{"report-created-month", func() (int, error) {
						r, err := d.svc.Report(ctx, "mgr007", ReportQuery{Scope: ScopeCreated, Period: month, List: BucketOverdue})
						return r.Counts.HandedOut, err
					}},
					{"report-team-month", func() (int, error) {
						r, err := d.svc.Report(ctx, "mgr007", ReportQuery{Scope: ScopeTeam, Period: month, List: BucketOverdue})
						return r.Counts.HandedOut, err
					}},
					{"report-all-month", func() (int, error) {
						r, err := d.svc.Report(ctx, "admin", ReportQuery{Scope: ScopeAll, Period: month, List: BucketOverdue})
						return r.Counts.HandedOut, err
					}},
					{"report-all-time", func() (int, error) {
						r, err := d.svc.Report(ctx, "admin", ReportQuery{Scope: ScopeAll, List: BucketOverdue})
						return r.Counts.HandedOut, err
					}},
				}
				for _, q := range queries {
					b.Run(q.name, func(b *testing.B) {
						b.ReportAllocs()
						rows := 0
						defer svcReportCPU(b)()
						for b.Loop() {
							n, err := q.run()
							if err != nil {
								b.Fatal(err)
							}
							rows = n
						}
						b.ReportMetric(float64(rows), "rows")
						b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "queries/s")
					})
				}
			})
		}
	}
}

// svcReportCPU starts counting process CPU time; the function it returns
// reports CPU time per operation as "cpu-ns/op". Call it as
// defer svcReportCPU(b)().
func svcReportCPU(b *testing.B) func() {
	start, ok := svcCPUTime()
	return func() {
		end, ok2 := svcCPUTime()
		if ok && ok2 && b.N > 0 {
			b.ReportMetric(float64(end-start)/float64(b.N), "cpu-ns/op")
		}
	}
}
