package calendar

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/workspace-go/workspace/internal/clock"
	"github.com/workspace-go/workspace/internal/ids"
	"github.com/workspace-go/workspace/store"
)

// holdStore measures how long each Update holds the store's commit path
// (the whole call: the function and the commit).
type holdStore struct {
	store.Store
	mu  sync.Mutex
	max time.Duration
}

func (h *holdStore) Update(ctx context.Context, fn func(store.Tx) error) error {
	start := time.Now()
	err := h.Store.Update(ctx, fn)
	d := time.Since(start)
	h.mu.Lock()
	defer h.mu.Unlock()
	h.max = max(h.max, d)
	return err
}

func (h *holdStore) reset() {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.max = 0
}

// BenchmarkCommitHold reports the longest and the median store.Update of
// each call, per round, for each bounded input at its limit, on each
// backend. Wall time: on a loaded machine it includes time descheduled.
func BenchmarkCommitHold(b *testing.B) {
	hourly := func(n int) []time.Time {
		out := make([]time.Time, n)
		for i := range out {
			out[i] = at(3, 9, 0).Add(time.Duration(n-i) * time.Hour)
		}
		return out
	}
	cases := []struct {
		name string
		run  func(b *testing.B, f *fixture, cal, room Calendar)
	}{
		{"CreateEvent/MaxRDates", func(b *testing.B, f *fixture, cal, room Calendar) {
			f.event(b, "alice", Event{CalendarID: cal.ID, Title: "x", Start: at(3, 9, 0), End: at(3, 10, 0), Recurrence: &Recurrence{RDates: hourly(MaxRDates)}})
		}},
		{"CreateEvent/MaxExDates", func(b *testing.B, f *fixture, cal, room Calendar) {
			f.event(b, "alice", Event{CalendarID: cal.ID, Title: "x", Start: at(3, 9, 0), End: at(3, 10, 0), Recurrence: &Recurrence{RRule: "FREQ=HOURLY", ExDates: hourly(MaxExDates)}})
		}},
		{"UpdateEvent/MaxRDates", func(b *testing.B, f *fixture, cal, room Calendar) {
			ev := f.event(b, "alice", Event{CalendarID: cal.ID, Title: "x", Start: at(3, 9, 0), End: at(3, 10, 0), Recurrence: &Recurrence{RDates: hourly(MaxRDates)}})
			if _, err := f.svc.UpdateEvent(f.ctx, "alice", ev.ID, EventPatch{Title: ptr("y"), Recurrence: &Recurrence{RDates: hourly(MaxRDates)}}); err != nil {
				b.Fatal(err)
			}
		}},
		{"CreateEvent/MaxRoomInstances", func(b *testing.B, f *fixture, cal, room Calendar) {
			f.event(b, "alice", Event{CalendarID: cal.ID, Title: "x", Start: at(3, 9, 0), End: at(3, 9, 30), Rooms: []string{room.ID},
				Recurrence: &Recurrence{RRule: fmt.Sprintf("FREQ=HOURLY;COUNT=%d", MaxRoomInstances)}})
		}},
		{"UpdateFollowing/MaxRDates", func(b *testing.B, f *fixture, cal, room Calendar) {
			ev := f.event(b, "alice", Event{CalendarID: cal.ID, Title: "x", Start: at(3, 9, 0), End: at(3, 10, 0), Rooms: []string{room.ID},
				Recurrence: &Recurrence{RRule: "FREQ=HOURLY;COUNT=10000", RDates: hourly(MaxRDates)}})
			if _, err := f.svc.UpdateFollowing(f.ctx, "alice", ev.ID, at(10, 9, 0), EventPatch{Title: ptr("y")}); err != nil {
				b.Fatal(err)
			}
		}},
		{"Import/5000 events", func(b *testing.B, f *fixture, cal, room Calendar) {
			r := rand.New(rand.NewPCG(3, 4))
			var ics strings.Builder
			for i := range 50 {
				s := personICS(r, fmt.Sprint("u", i), 20, 80)
				s = strings.TrimPrefix(s, "BEGIN:VCALENDAR\r\nVERSION:2.0\r\n")
				ics.WriteString(strings.TrimSuffix(s, "END:VCALENDAR\r\n"))
			}
			rep, err := f.svc.Import(f.ctx, "alice", cal.ID, strings.NewReader("BEGIN:VCALENDAR\r\n"+ics.String()+"END:VCALENDAR\r\n"))
			if err != nil || rep.Created != 5000 {
				b.Fatal(rep.Created, err)
			}
		}},
		{"Import/MaxRDates", func(b *testing.B, f *fixture, cal, room Calendar) {
			var s strings.Builder
			s.WriteString("BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:many\r\nDTSTART:20260303T090000Z\r\nDTEND:20260303T100000Z\r\n")
			for _, t := range hourly(MaxRDates) {
				fmt.Fprintf(&s, "RDATE:%s\r\n", t.UTC().Format("20060102T150405Z"))
			}
			s.WriteString("END:VEVENT\r\nEND:VCALENDAR\r\n")
			rep, err := f.svc.Import(f.ctx, "alice", cal.ID, strings.NewReader(s.String()))
			if err != nil || rep.Created != 1 {
				b.Fatal(rep, err)
			}
		}},
	}
	for _, be := range benchBackends {
		for _, tc := range cases {
			b.Run(be.name+"/"+tc.name, func(b *testing.B) {
				h := &holdStore{Store: be.open(b)}
				clk := clock.NewFake(t0)
				svc, err := New(context.Background(), h, WithClock(clk.Now), WithIDs(ids.Sequential("id_")))
				if err != nil {
					b.Fatal(err)
				}
				f := &fixture{ctx: context.Background(), st: h, svc: svc, clk: clk}
				var holds []time.Duration
				for b.Loop() {
					b.StopTimer()
					cal := f.calendar(b, "alice", Calendar{})
					room := f.room(b, "A", 8)
					h.reset()
					b.StartTimer()
					tc.run(b, f, cal, room)
					b.StopTimer()
					holds = append(holds, h.max)
					b.StartTimer()
				}
				slices.Sort(holds)
				b.ReportMetric(float64(holds[len(holds)-1].Microseconds())/1000, "max-hold-ms")
				b.ReportMetric(float64(holds[len(holds)/2].Microseconds())/1000, "p50-hold-ms")
			})
		}
	}
}
