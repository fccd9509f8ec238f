package calendar

import (
	"context"
	"strconv"
	"testing"
	"time"
)

// BenchmarkSweepReminders sweeps a store of 1,000 events (half daily
// series, half single meetings spread over 20 days, each with 5 attendees
// and a 15-minute reminder) every 15 minutes of simulated time: the cost
// of one Sweep call, and per reminder emitted.
func BenchmarkSweepReminders(b *testing.B) {
	for _, be := range benchBackends {
		b.Run(be.name, func(b *testing.B) {
			ctx := context.Background()
			st := be.open(b)
			now := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
			svc, err := New(ctx, st, WithClock(func() time.Time { return now }))
			if err != nil {
				b.Fatal(err)
			}
			cal, err := svc.CreateCalendar(ctx, "ann", Calendar{Name: "team", DefaultReminders: []Reminder{DefaultReminder}})
			if err != nil {
				b.Fatal(err)
			}
			for i := range 1000 {
				start := now.Add(time.Duration(i%480)*time.Hour + time.Duration(i%4)*15*time.Minute)
				ev := Event{CalendarID: cal.ID, Title: "m" + strconv.Itoa(i), Start: start, End: start.Add(30 * time.Minute)}
				for j := range 5 {
					ev.Attendees = append(ev.Attendees, Attendee{User: "u" + strconv.Itoa((i+j)%50)})
				}
				if i%2 == 0 {
					ev.Recurrence = &Recurrence{RRule: "FREQ=DAILY"}
				}
				if _, err := svc.CreateEvent(ctx, "ann", ev); err != nil {
					b.Fatal(err)
				}
			}
			at := now
			total := 0
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				at = at.Add(15 * time.Minute)
				n, err := svc.Sweep(ctx, at)
				if err != nil {
					b.Fatal(err)
				}
				total += n
			}
			b.ReportMetric(float64(total)/float64(b.N), "reminders/op")
			if total > 0 {
				b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(total), "ns/reminder")
			}
		})
	}
}
