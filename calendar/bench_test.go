package calendar

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/workspace-go/workspace/internal/ids"
	"github.com/workspace-go/workspace/store"
	"github.com/workspace-go/workspace/store/boltstore"
	"github.com/workspace-go/workspace/store/memstore"
)

var benchBackends = []struct {
	name string
	open func(b *testing.B) store.Store
}{
	{"memstore", func(b *testing.B) store.Store {
		st := memstore.New()
		b.Cleanup(func() { st.Close() })
		return st
	}},
	{"boltstore", func(b *testing.B) store.Store {
		st, err := boltstore.Open(filepath.Join(b.TempDir(), "db"), nil)
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { st.Close() })
		return st
	}},
}

// benchWeek is the week free/busy is asked about: Monday 1 June 2026.
var benchWeek = time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)

// personICS returns a calendar with n series and m single events for one
// person, around benchWeek: series started months before (daily, weekly,
// biweekly, monthly), singles spread over ten weeks.
func personICS(r *rand.Rand, who string, series, singles int) string {
	return personICSRules(r, who, series, singles, defaultRules)
}

var (
	defaultRules = []string{"FREQ=DAILY;BYDAY=MO,TU,WE,TH,FR", "FREQ=WEEKLY", "FREQ=WEEKLY;INTERVAL=2", "FREQ=MONTHLY;BYDAY=1MO", "FREQ=WEEKLY;BYDAY=TU,TH;COUNT=80"}
	// lighterRules leave room for a common free hour among ten people.
	lighterRules = []string{"FREQ=WEEKLY;INTERVAL=2", "FREQ=WEEKLY", "FREQ=MONTHLY;BYDAY=1MO", "FREQ=MONTHLY;BYMONTHDAY=3", "FREQ=WEEKLY;INTERVAL=3;COUNT=30"}
)

func personICSRules(r *rand.Rand, who string, series, singles int, rules []string) string {
	var b strings.Builder
	b.WriteString("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n")
	zones := []string{"Asia/Shanghai", "Europe/Berlin", "America/New_York", "UTC"}
	for i := range series {
		start := benchWeek.AddDate(0, -r.IntN(6)-1, -r.IntN(28)).Add(time.Duration(8+r.IntN(9)) * time.Hour)
		fmt.Fprintf(&b, "BEGIN:VEVENT\r\nUID:%s-s%d\r\nSUMMARY:series %d\r\nDTSTART;TZID=%s:%s\r\nDURATION:PT%dM\r\nRRULE:%s\r\n",
			who, i, i, zones[i%len(zones)], start.Format("20060102T150405"), 30*(1+r.IntN(3)), rules[i%len(rules)])
		if i%3 == 0 {
			fmt.Fprintf(&b, "EXDATE;TZID=%s:%s\r\n", zones[i%len(zones)], start.AddDate(0, 0, 7).Format("20060102T150405"))
		}
		b.WriteString("END:VEVENT\r\n")
	}
	for i := range singles {
		start := benchWeek.AddDate(0, 0, r.IntN(70)-35).Add(time.Duration(7+r.IntN(12))*time.Hour + time.Duration(r.IntN(4))*15*time.Minute)
		tr := ""
		if i%10 == 0 {
			tr = "TRANSP:TRANSPARENT\r\n"
		}
		fmt.Fprintf(&b, "BEGIN:VEVENT\r\nUID:%s-e%d\r\nSUMMARY:single %d\r\nDTSTART:%s\r\nDURATION:PT%dM\r\n%sEND:VEVENT\r\n",
			who, i, i, start.UTC().Format("20060102T150405Z"), 30*(1+r.IntN(4)), tr)
	}
	b.WriteString("END:VCALENDAR\r\n")
	return b.String()
}

// populate gives each person a personal calendar with their events, and
// each room some bookings.
func populate(b *testing.B, st store.Store, people []string, rooms int, rules []string) (*Service, []string) {
	ctx := context.Background()
	svc, err := New(context.Background(), st, WithClock(func() time.Time { return benchWeek.AddDate(0, -1, 0) }), WithIDs(ids.New(nil)))
	if err != nil {
		b.Fatal(err)
	}
	r := rand.New(rand.NewPCG(1, 2))
	for _, p := range people {
		cal, err := svc.CreateCalendar(ctx, p, Calendar{Name: p, TimeZone: "Asia/Shanghai"})
		if err != nil {
			b.Fatal(err)
		}
		rep, err := svc.Import(ctx, p, cal.ID, strings.NewReader(personICSRules(r, p, 20, 50, rules)))
		if err != nil || len(rep.Skipped) > 0 || rep.Created != 70 {
			b.Fatalf("import for %s: %+v, %v", p, rep, err)
		}
	}
	var roomIDs []string
	booker, err := svc.CreateCalendar(ctx, "booker", Calendar{Name: "bookings"})
	if err != nil {
		b.Fatal(err)
	}
	for i := range rooms {
		c, err := svc.CreateCalendar(ctx, "facilities", Calendar{Kind: Resource, Room: &Room{Name: fmt.Sprint("room ", i), Capacity: 4 + i, Equipment: []string{"video"}}})
		if err != nil {
			b.Fatal(err)
		}
		roomIDs = append(roomIDs, c.ID)
		// A weekly series and some singles per room; clashes are skipped.
		s := benchWeek.AddDate(0, -1, i%5).Add(time.Duration(9+i%8) * time.Hour)
		if _, err := svc.CreateEvent(ctx, "booker", Event{CalendarID: booker.ID, Title: "weekly", Start: s, End: s.Add(time.Hour),
			Recurrence: &Recurrence{RRule: "FREQ=WEEKLY"}, Rooms: []string{c.ID}}); err != nil {
			b.Fatal(err)
		}
		for j := range 20 {
			s := benchWeek.AddDate(0, 0, r.IntN(21)-3).Add(time.Duration(8+r.IntN(10)) * time.Hour)
			_, _ = svc.CreateEvent(ctx, "booker", Event{CalendarID: booker.ID, Title: fmt.Sprint("b", j), Start: s, End: s.Add(time.Hour), Rooms: []string{c.ID}})
		}
	}
	return svc, roomIDs
}

func names(prefix string, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("%s%02d", prefix, i)
	}
	return out
}

// BenchmarkFreeBusy: 50 people, each with 20 recurring series and 50
// single events, over one week. Target: under 5 ms. "warm" reuses the
// service (compiled series cached), "cold" builds a new Service per query.
func BenchmarkFreeBusy(b *testing.B) {
	for _, be := range benchBackends {
		b.Run(be.name, func(b *testing.B) {
			st := be.open(b)
			people := names("p", 50)
			svc, _ := populate(b, st, people, 0, defaultRules)
			q := FreeBusyQuery{From: benchWeek, To: benchWeek.AddDate(0, 0, 7), Users: people}
			ctx := context.Background()
			fb, err := svc.FreeBusy(ctx, "x", q)
			if err != nil {
				b.Fatal(err)
			}
			blocks := 0
			for _, v := range fb.Users {
				blocks += len(v)
			}
			b.Run("warm", func(b *testing.B) {
				b.ReportAllocs()
				defer reportCPU(b, cpuTime())
				for b.Loop() {
					if _, err := svc.FreeBusy(ctx, "x", q); err != nil {
						b.Fatal(err)
					}
				}
				b.ReportMetric(float64(blocks), "busy-blocks")
			})
			b.Run("cold", func(b *testing.B) {
				b.ReportAllocs()
				defer reportCPU(b, cpuTime())
				for b.Loop() {
					fresh, _ := New(context.Background(), st)
					if _, err := fresh.FreeBusy(ctx, "x", q); err != nil {
						b.Fatal(err)
					}
				}
			})
		})
	}
}

// BenchmarkFindTime: 10 required attendees (20 series, weekly or sparser
// so that the ten share some free time, and 50 singles each) and 20 rooms
// (a weekly booking and up to 20 singles each), over two weeks, 30-minute
// meeting, 15-minute step. Target: under 20 ms.
func BenchmarkFindTime(b *testing.B) {
	for _, be := range benchBackends {
		b.Run(be.name, func(b *testing.B) {
			st := be.open(b)
			people := names("p", 10)
			svc, _ := populate(b, st, people, 20, lighterRules)
			ctx := context.Background()
			q := FindTimeRequest{Required: people, Duration: 30 * time.Minute, From: benchWeek, To: benchWeek.AddDate(0, 0, 14),
				Step: 15 * time.Minute, Room: &RoomNeed{MinCapacity: 4}}
			got, err := svc.FindTime(ctx, "p00", q)
			if err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			defer reportCPU(b, cpuTime())
			for b.Loop() {
				if _, err := svc.FindTime(ctx, "p00", q); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(len(got)), "candidates")
		})
	}
}

// BenchmarkImport5000 imports a 5,000-event file (4,000 single events,
// 1,000 series) into a fresh calendar. Target: under 1 s.
func BenchmarkImport5000(b *testing.B) {
	r := rand.New(rand.NewPCG(3, 4))
	var ics strings.Builder
	for i := range 50 {
		s := personICS(r, fmt.Sprint("u", i), 20, 80)
		s = strings.TrimPrefix(s, "BEGIN:VCALENDAR\r\nVERSION:2.0\r\n")
		s = strings.TrimSuffix(s, "END:VCALENDAR\r\n")
		ics.WriteString(s)
	}
	data := []byte("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n" + ics.String() + "END:VCALENDAR\r\n")
	for _, be := range benchBackends {
		b.Run(be.name, func(b *testing.B) {
			st := be.open(b)
			svc, err := New(context.Background(), st)
			if err != nil {
				b.Fatal(err)
			}
			ctx := context.Background()
			b.ReportAllocs()
			b.SetBytes(int64(len(data)))
			defer reportCPU(b, cpuTime())
			n := 0
			for b.Loop() {
				n++
				cal, err := svc.CreateCalendar(ctx, "u", Calendar{Name: fmt.Sprint("c", n)})
				if err != nil {
					b.Fatal(err)
				}
				rep, err := svc.Import(ctx, "u", cal.ID, bytes.NewReader(data))
				if err != nil || rep.Created != 5000 {
					b.Fatalf("import: %d created, %v, %v", rep.Created, rep.Skipped, err)
				}
			}
			b.ReportMetric(5000*float64(n)/b.Elapsed().Seconds(), "events/s")
		})
	}
}

// BenchmarkBookRoomParallel books rooms from many goroutines at once:
// 10 rooms, hour slots; clashes are refused. It reports bookings and
// refusals per second.
func BenchmarkBookRoomParallel(b *testing.B) {
	for _, be := range benchBackends {
		b.Run(be.name, func(b *testing.B) {
			st := be.open(b)
			svc, err := New(context.Background(), st)
			if err != nil {
				b.Fatal(err)
			}
			ctx := context.Background()
			cal, _ := svc.CreateCalendar(ctx, "u", Calendar{Name: "c"})
			var rooms []string
			for i := range 10 {
				c, _ := svc.CreateCalendar(ctx, "f", Calendar{Kind: Resource, Room: &Room{Name: fmt.Sprint("r", i)}})
				rooms = append(rooms, c.ID)
			}
			var slot, ok, refused atomic.Int64
			b.ReportAllocs()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					n := slot.Add(1)
					s := benchWeek.Add(time.Duration(n/2) * time.Hour) // every slot asked for twice
					_, err := svc.CreateEvent(ctx, "u", Event{CalendarID: cal.ID, Start: s, End: s.Add(time.Hour), Rooms: []string{rooms[n/2%10]}})
					if err == nil {
						ok.Add(1)
					} else {
						refused.Add(1)
					}
				}
			})
			b.ReportMetric(float64(ok.Load())/b.Elapsed().Seconds(), "bookings/s")
			b.ReportMetric(float64(refused.Load())/b.Elapsed().Seconds(), "refusals/s")
		})
	}
}

// BenchmarkWeekTenYearsOut reads one week of a daily series ten years
// after its start through the service (the engine's own target is 20 µs).
func BenchmarkWeekTenYearsOut(b *testing.B) {
	st := memstore.New()
	b.Cleanup(func() { st.Close() })
	svc, _ := New(context.Background(), st)
	ctx := context.Background()
	cal, _ := svc.CreateCalendar(ctx, "u", Calendar{Name: "c", TimeZone: "America/New_York"})
	start := time.Date(2016, 1, 4, 9, 0, 0, 0, time.UTC)
	ev, err := svc.CreateEvent(ctx, "u", Event{CalendarID: cal.ID, Start: start, End: start.Add(time.Hour), Recurrence: &Recurrence{RRule: "FREQ=DAILY"}})
	if err != nil {
		b.Fatal(err)
	}
	from := start.AddDate(10, 0, 0)
	b.ReportAllocs()
	for b.Loop() {
		ins, err := items(svc.EventInstances(ctx, "u", ev.ID, InstanceQuery{From: from, To: from.AddDate(0, 0, 7)}))
		if err != nil || len(ins) != 7 {
			b.Fatalf("%d instances, %v", len(ins), err)
		}
	}
}

// cpuTime returns the process's user+system CPU time. The benchmarks
// report it per operation ("cpu-ns/op") beside the wall time, because on a
// shared, overloaded machine wall time says more about the neighbours.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// reportCPU reports the CPU time per operation since start.
func reportCPU(b *testing.B, start time.Duration) {
	if b.N > 0 {
		b.ReportMetric(float64(cpuTime()-start)/float64(b.N), "cpu-ns/op")
	}
}
