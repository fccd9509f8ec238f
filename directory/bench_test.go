package directory_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/workspace-go/workspace/directory"
	"github.com/workspace-go/workspace/internal/backends"
)

// BenchmarkSearch measures people search at 100,000 users over a mix of
// what pickers send: surnames and names, pinyin prefixes, initials, email
// and phone prefixes. "query" reports the median and 99th percentile of
// single searches, with the load of the index (the first search) and its
// heap per user; "after-write" a search that follows a write by another
// Service, so it catches up first.
func BenchmarkSearch(b *testing.B) {
	for _, be := range []backends.Backend{{Name: "memstore", Open: backends.Mem}, {Name: "boltstore", Open: backends.Bolt}} {
		b.Run(be.Name, func(b *testing.B) {
			ctx := context.Background()
			st := be.Open(b)
			s := newService(b, st)
			chart := orgChart(500, 100000)
			if _, err := s.Import(ctx, admin, chart, nil); err != nil {
				b.Fatal(err)
			}
			users := allUsers(b, s)
			qs := searchMix(users, 10000)
			var m0, m1 runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&m0)
			t := time.Now()
			c0, _ := cpuTime()
			if _, err := s.Search(ctx, admin, directory.SearchQuery{Text: "warm"}); err != nil {
				b.Fatal(err)
			}
			load := time.Since(t)
			c1, _ := cpuTime()
			runtime.GC()
			runtime.ReadMemStats(&m1)
			b.Run("query", func(b *testing.B) {
				lat := make([]time.Duration, 0, 1<<16)
				i := 0
				b.ReportAllocs()
				for b.Loop() {
					q := qs[i%len(qs)]
					i++
					t := time.Now()
					if _, err := s.Search(ctx, admin, directory.SearchQuery{Text: q}); err != nil {
						b.Fatal(err)
					}
					lat = append(lat, time.Since(t))
				}
				slices.Sort(lat)
				b.ReportMetric(float64(lat[len(lat)/2].Microseconds()), "p50-µs")
				b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds()), "p99-µs")
				b.ReportMetric(float64(load.Milliseconds()), "load-ms")
				b.ReportMetric(float64((c1 - c0).Milliseconds()), "load-cpu-ms")
				b.ReportMetric(float64(m1.HeapAlloc-m0.HeapAlloc)/float64(len(users)), "index-B/user")
			})
			b.Run("after-write", func(b *testing.B) {
				other := newService(b, st)
				lat := make([]time.Duration, 0, 1<<12)
				i := 0
				for b.Loop() {
					u := users[i%len(users)]
					i++
					u.Title = fmt.Sprint("title ", i)
					if _, err := other.UpdateUser(ctx, admin, u); err != nil {
						b.Fatal(err)
					}
					t := time.Now()
					if _, err := s.Search(ctx, admin, directory.SearchQuery{Text: qs[i%len(qs)]}); err != nil {
						b.Fatal(err)
					}
					lat = append(lat, time.Since(t))
				}
				slices.Sort(lat)
				b.ReportMetric(float64(lat[len(lat)/2].Microseconds()), "p50-µs")
			})
		})
	}
}

// searchMix returns n queries drawn from users, seeded.
func searchMix(users []directory.User, n int) []string {
	r := rand.New(rand.NewPCG(1, 2))
	var qs []string
	for range n {
		u := users[r.IntN(len(users))]
		rs := []rune(u.Name)
		switch r.IntN(6) {
		case 0:
			qs = append(qs, string(rs[:1])) // a surname
		case 1:
			qs = append(qs, u.Name)
		case 2: // a pinyin prefix of the surname and a bit
			p := strings.ReplaceAll(u.Pinyin, " ", "")
			qs = append(qs, p[:min(len(p), 3+r.IntN(5))])
		case 3:
			qs = append(qs, u.Initials)
		case 4:
			qs = append(qs, u.Email[:6])
		case 5:
			qs = append(qs, u.Phone[4:11])
		}
	}
	return qs
}

// allUsers lists every user of s.
func allUsers(tb testing.TB, s *directory.Service) []directory.User {
	var out []directory.User
	q := directory.UserQuery{ListOptions: directory.ListOptions{Limit: directory.MaxPageSize}}
	for {
		p, err := s.System().Users(context.Background(), q)
		if err != nil {
			tb.Fatal(err)
		}
		out = append(out, p.Items...)
		if p.Next == "" {
			return out
		}
		q.Cursor = p.Next
	}
}

// BenchmarkImport imports an org chart of 10,000 users in 500
// departments into a fresh boltstore. It reports the CPU time, which a
// loaded machine inflates less than wall time, and the longest time
// between two progress calls after the first: one batch transaction, the
// longest the import holds the commit path.
func BenchmarkImport(b *testing.B) {
	ctx := context.Background()
	chart := orgChart(500, 10000)
	var longest, longestCPU, cpu time.Duration
	b.ReportAllocs()
	for b.Loop() {
		b.StopTimer()
		st := backends.Bolt(b)
		s := newService(b, st)
		b.StartTimer()
		last := time.Now()
		c0, _ := cpuTime()
		lastCPU := c0
		calls := 0
		_, err := s.Import(ctx, admin, chart, func(directory.ImportProgress) {
			now := time.Now()
			c, _ := cpuTime()
			if calls++; calls > 1 { // the first interval also holds the planning, outside any transaction
				longest = max(longest, now.Sub(last))
				longestCPU = max(longestCPU, c-lastCPU)
			}
			last, lastCPU = now, c
		})
		if err != nil {
			b.Fatal(err)
		}
		c1, _ := cpuTime()
		cpu += c1 - c0
	}
	b.ReportMetric(float64(len(chart.Users))*float64(b.N)/b.Elapsed().Seconds(), "users/s")
	b.ReportMetric(cpu.Seconds()/float64(b.N), "cpu-s/op")
	b.ReportMetric(float64(longest.Milliseconds()), "max-batch-ms")
	b.ReportMetric(float64(longestCPU.Milliseconds()), "max-batch-cpu-ms")
}

// BenchmarkImportRerun imports the same chart again: the idempotent
// re-run an operator does after a failure.
func BenchmarkImportRerun(b *testing.B) {
	ctx := context.Background()
	chart := orgChart(500, 10000)
	s := newService(b, backends.Bolt(b))
	if _, err := s.Import(ctx, admin, chart, nil); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		rep, err := s.Import(ctx, admin, chart, nil)
		if err != nil || rep.Unchanged != 10500 {
			b.Fatal(rep, err)
		}
	}
}

// BenchmarkMoveDepartment moves a department holding about 3,700 users
// (in 11 departments) back and forth on boltstore: one transaction that
// rewrites every member's transitive departments.
func BenchmarkMoveDepartment(b *testing.B) {
	ctx := context.Background()
	s := newService(b, backends.Bolt(b))
	if _, err := s.Import(ctx, admin, orgChart(30, 10000), nil); err != nil {
		b.Fatal(err)
	}
	parents := []string{"d0001", directory.Root}
	i := 0
	var cpu time.Duration
	b.ReportAllocs()
	for b.Loop() {
		c0, _ := cpuTime()
		if _, err := s.MoveDepartment(ctx, admin, "d0000", parents[i%2]); err != nil {
			b.Fatal(err)
		}
		c1, _ := cpuTime()
		cpu += c1 - c0
		i++
	}
	b.ReportMetric(float64(cpu.Milliseconds())/float64(b.N), "cpu-ms/op")
}
