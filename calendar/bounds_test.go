package calendar

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/workspace-go/workspace/store"
	"github.com/workspace-go/workspace/store/memstore"
)

// countingStore counts the Update transactions run over a store.
type countingStore struct {
	store.Store
	updates atomic.Int64
}

func (c *countingStore) Update(ctx context.Context, fn func(store.Tx) error) error {
	c.updates.Add(1)
	return c.Store.Update(ctx, fn)
}

func manyTimes(n int, from time.Time, step time.Duration) []time.Time {
	out := make([]time.Time, n)
	for i := range out {
		// Reverse order with duplicates, the worst input for the old
		// de-duplication.
		out[i] = from.Add(time.Duration((n-1-i)/2) * step)
	}
	return out
}

func TestTooManyRDatesAreRefusedBeforeTheTransaction(t *testing.T) {
	cs := &countingStore{Store: memstore.New()}
	t.Cleanup(func() { cs.Close() })
	f := newFixture(t, func(testing.TB) store.Store { return cs })
	cal := f.calendar(t, "alice", Calendar{})
	before, updates := changeCount(t, f), cs.updates.Load()
	for _, tc := range []struct {
		name string
		rc   Recurrence
	}{
		{"60,000 RDATEs", Recurrence{RDates: manyTimes(120_000, at(3, 9, 0), time.Hour)}},
		{"too many EXDATEs", Recurrence{RRule: "FREQ=HOURLY", ExDates: manyTimes(2*MaxExDates+2, at(3, 9, 0), time.Hour)}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rc := tc.rc
			_, err := f.svc.CreateEvent(f.ctx, "alice", Event{CalendarID: cal.ID, Title: "x", Start: at(3, 9, 0), End: at(3, 10, 0), Recurrence: &rc})
			if !errors.Is(err, store.ErrTooLarge) {
				t.Fatalf("got %v, want an error wrapping store.ErrTooLarge", err)
			}
		})
	}
	if got := cs.updates.Load(); got != updates {
		t.Errorf("the refused creates ran %d store transactions, want none", got-updates)
	}
	if got := changeCount(t, f); got != before {
		t.Errorf("change records: got %d, want %d", got, before)
	}
}

func TestRDatesAtTheLimitAreDeduplicatedAndKept(t *testing.T) {
	f := newFixture(t, backends[0].open)
	cal := f.calendar(t, "alice", Calendar{})
	rd := manyTimes(MaxRDates, at(3, 9, 0).Add(time.Hour), time.Hour) // MaxRDates/2 distinct, each twice
	ev := f.event(t, "alice", Event{CalendarID: cal.ID, Title: "x", Start: at(3, 9, 0), End: at(3, 10, 0), Recurrence: &Recurrence{RDates: rd}})
	if got := len(ev.Recurrence.RDates); got != MaxRDates/2 {
		t.Fatalf("RDATEs kept: got %d, want %d", got, MaxRDates/2)
	}
	for i := 1; i < len(ev.Recurrence.RDates); i++ {
		if !ev.Recurrence.RDates[i-1].Before(ev.Recurrence.RDates[i]) {
			t.Fatalf("RDATEs not sorted and unique at %d", i)
		}
	}
}

func TestImportOfAnEventWithTooManyRDatesSkipsIt(t *testing.T) {
	f := newFixture(t, backends[0].open)
	cal := f.calendar(t, "alice", Calendar{})
	var b strings.Builder
	b.WriteString("BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:many\r\nDTSTART:20260303T090000Z\r\nDTEND:20260303T100000Z\r\nSUMMARY:many\r\n")
	base := at(3, 9, 0)
	for i := range 40_000 {
		fmt.Fprintf(&b, "RDATE:%s\r\n", base.Add(time.Duration(i+1)*time.Hour).Format("20060102T150405Z"))
	}
	b.WriteString("END:VEVENT\r\nBEGIN:VEVENT\r\nUID:one\r\nDTSTART:20260303T090000Z\r\nDTEND:20260303T100000Z\r\nSUMMARY:one\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n")
	start := time.Now()
	rep, err := f.svc.Import(f.ctx, "alice", cal.ID, strings.NewReader(b.String()))
	if err != nil {
		t.Fatal(err)
	}
	if rep.Created != 1 || len(rep.Skipped) != 1 || !errors.Is(rep.Skipped[0].Err, store.ErrTooLarge) {
		t.Fatalf("got %+v, want one created and the 40,000-RDATE event skipped as too large", rep)
	}
	t.Logf("import of 40,000 RDATEs: %v", time.Since(start))
}

func TestRoomBookingsCoverTheWholeHorizon(t *testing.T) {
	forEachBackend(t, func(t *testing.T, f *fixture) {
		room := f.room(t, "A", 8)
		cal := f.calendar(t, "alice", Calendar{})
		later := t0.Add(48 * time.Hour)
		f.event(t, "bob", Event{CalendarID: f.calendar(t, "bob", Calendar{}).ID, Title: "held", Start: later, End: later.Add(time.Hour), Rooms: []string{room.ID}})
		for _, tc := range []struct {
			name string
			rule string
			dur  time.Duration
			want error
		}{
			{"a secondly series is refused", "FREQ=SECONDLY", time.Second, store.ErrInvalid},
			{"a series repeating within a minute is refused", "FREQ=MINUTELY;BYSECOND=0,30", time.Second, store.ErrInvalid},
			{"an endless minutely series is too large to check", "FREQ=MINUTELY", time.Minute, store.ErrTooLarge},
			{"a minutely series past the old 100,000-instance cap is too large", "FREQ=MINUTELY;UNTIL=20260615T000000Z", time.Minute, store.ErrTooLarge},
			{"an hourly series meeting the booking is refused", "FREQ=HOURLY", time.Hour, ErrRoomBooked},
		} {
			t.Run(tc.name, func(t *testing.T) {
				before := changeCount(t, f)
				_, err := f.svc.CreateEvent(f.ctx, "alice", Event{CalendarID: cal.ID, Title: "grab", Start: t0, End: t0.Add(tc.dur),
					Rooms: []string{room.ID}, Recurrence: &Recurrence{RRule: tc.rule}})
				if !errors.Is(err, tc.want) {
					t.Fatalf("got %v, want an error wrapping %v", err, tc.want)
				}
				if got := changeCount(t, f); got != before {
					t.Errorf("change records: got %d, want %d", got, before)
				}
			})
		}
	})
}

func TestFindTimeKeepsOnlyLimitCandidates(t *testing.T) {
	f := newFixture(t, backends[0].open)
	var opt []string
	for i := range 50 {
		opt = append(opt, fmt.Sprintf("p%02d", i))
	}
	// p00 is busy the first morning, so the best slot is not the first.
	pc := f.calendar(t, "p00", Calendar{})
	f.event(t, "p00", Event{CalendarID: pc.ID, Title: "busy", Start: at(2, 9, 0), End: at(2, 12, 0)})
	q := FindTimeRequest{Optional: opt, Duration: time.Hour, From: t0, To: t0.Add(60 * 24 * time.Hour), Step: time.Minute, Limit: 1}
	var ms0, ms1 runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&ms0)
	got, err := f.svc.FindTime(f.ctx, "alice", q)
	runtime.ReadMemStats(&ms1)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || !got[0].Start.Equal(at(2, 12, 0)) || len(got[0].OptionalFree) != 50 {
		t.Fatalf("got %+v, want the one slot at 12:00 on 2 March with all 50 free", got)
	}
	if alloc := ms1.TotalAlloc - ms0.TotalAlloc; alloc > 64<<20 {
		t.Errorf("FindTime with Limit 1 allocated %d MB, want under 64 MB", alloc>>20)
	}
}

func TestTimesOutsideTheYearsOneTo9999AreInvalid(t *testing.T) {
	f := newFixture(t, backends[0].open)
	cal := f.calendar(t, "alice", Calendar{})
	ev := f.event(t, "alice", Event{CalendarID: cal.ID, Title: "weekly", Start: at(2, 9, 0), End: at(2, 10, 0), Recurrence: &Recurrence{RRule: "FREQ=WEEKLY"}})
	far := time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)
	early := time.Date(0, 12, 31, 0, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name string
		call func() error
	}{
		{"a free/busy window into year 10000", func() error {
			_, err := f.svc.FreeBusy(f.ctx, "alice", FreeBusyQuery{From: far.Add(-time.Hour), To: far.Add(time.Hour), Users: []string{"alice"}})
			return err
		}},
		{"a find-a-time window before year 1", func() error {
			_, err := f.svc.FindTime(f.ctx, "alice", FindTimeRequest{Required: []string{"alice"}, Duration: time.Hour, From: early, To: early.Add(48 * time.Hour)})
			return err
		}},
		{"an answer for an instance in year 10000", func() error {
			return f.svc.RespondInstance(f.ctx, "alice", ev.ID, far, Accepted)
		}},
		{"cancelling an instance at the zero time", func() error {
			return f.svc.CancelInstance(f.ctx, "alice", ev.ID, time.Time{})
		}},
		{"moving an instance to year 10000", func() error {
			_, err := f.svc.UpdateInstance(f.ctx, "alice", ev.ID, at(9, 9, 0), InstanceChange{Start: &far})
			return err
		}},
		{"an RDATE in year 10000", func() error {
			_, err := f.svc.CreateEvent(f.ctx, "alice", Event{CalendarID: cal.ID, Title: "x", Start: at(2, 9, 0), End: at(2, 10, 0), Recurrence: &Recurrence{RDates: []time.Time{far}}})
			return err
		}},
		{"an EXDATE before year 1", func() error {
			_, err := f.svc.CreateEvent(f.ctx, "alice", Event{CalendarID: cal.ID, Title: "x", Start: at(2, 9, 0), End: at(2, 10, 0), Recurrence: &Recurrence{RRule: "FREQ=DAILY", ExDates: []time.Time{early}}})
			return err
		}},
		{"ending the series from year 10000", func() error {
			return f.svc.DeleteFollowing(f.ctx, "alice", ev.ID, far)
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := changeCount(t, f)
			if err := tc.call(); !errors.Is(err, store.ErrInvalid) || errors.Is(err, store.ErrNotFound) {
				t.Fatalf("got %v, want an error wrapping store.ErrInvalid", err)
			}
			if got := changeCount(t, f); got != before {
				t.Errorf("change records: got %d, want %d", got, before)
			}
		})
	}
}

func TestADenseViewIsReadInBoundedPages(t *testing.T) {
	forEachBackend(t, func(t *testing.T, f *fixture) {
		var series []Event
		for i := range 3 {
			cal := f.calendar(t, fmt.Sprintf("spam%d", i), Calendar{})
			series = append(series, f.event(t, cal.Owner, Event{CalendarID: cal.ID, Title: "spam", Start: t0, End: t0.Add(time.Second),
				Attendees: []Attendee{{User: "victim"}}, Recurrence: &Recurrence{RRule: "FREQ=SECONDLY"}}))
		}
		own := f.calendar(t, "victim", Calendar{})
		weekly := f.event(t, "victim", Event{CalendarID: own.ID, Title: "minutely", Start: t0, End: t0.Add(time.Minute), Recurrence: &Recurrence{RRule: "FREQ=MINUTELY"}})
		f.event(t, "victim", Event{CalendarID: own.ID, Title: "single", Start: t0.Add(30 * time.Minute), End: t0.Add(31 * time.Minute)})
		if err := f.svc.CancelInstance(f.ctx, "spam0", series[0].ID, t0.Add(10*time.Second)); err != nil {
			t.Fatal(err)
		}
		// An instance moved from early in the hour to late, across pages.
		late := t0.Add(59*time.Minute + 30*time.Second)
		if _, err := f.svc.UpdateInstance(f.ctx, "victim", weekly.ID, t0.Add(time.Minute), InstanceChange{Start: &late}); err != nil {
			t.Fatal(err)
		}

		week, err := f.svc.Instances(f.ctx, "victim", InstanceQuery{From: t0, To: t0.Add(7 * 24 * time.Hour)})
		if err != nil {
			t.Fatal(err)
		}
		if len(week.Items) != DefaultPageSize || week.Next == "" {
			t.Fatalf("a week of secondly invitations: got %d instances and next %q, want a page of %d and a next page", len(week.Items), week.Next, DefaultPageSize)
		}

		var all []Instance
		q := InstanceQuery{From: t0, To: t0.Add(time.Hour), PageQuery: PageQuery{Limit: 500}}
		for pages := 0; ; pages++ {
			if pages > 100 {
				t.Fatal("more than 100 pages")
			}
			p, err := f.svc.Instances(f.ctx, "victim", q)
			if err != nil {
				t.Fatal(err)
			}
			if len(p.Items) > q.Limit {
				t.Fatalf("page of %d, limit %d", len(p.Items), q.Limit)
			}
			all = append(all, p.Items...)
			if p.Next == "" {
				break
			}
			q.Page = p.Next
		}
		if want := 3*3600 - 1 + 60 + 1; len(all) != want {
			t.Errorf("instances over all pages: got %d, want %d", len(all), want)
		}
		seen := map[string]bool{}
		for i, in := range all {
			k := in.EventID + in.OriginalStart.String()
			if seen[k] {
				t.Fatalf("instance %s of %s twice", in.OriginalStart, in.EventID)
			}
			seen[k] = true
			if i > 0 && compareInstances(&all[i-1], &all[i]) >= 0 {
				t.Fatalf("instances out of order at %d", i)
			}
		}
		if !seen[weekly.ID+t0.Add(time.Minute).In(time.UTC).String()] {
			t.Error("the moved instance is missing")
		}
		if seen[series[0].ID+t0.Add(10*time.Second).String()] {
			t.Error("the cancelled instance is listed")
		}
	})
}

func TestAForgedPageIsInvalid(t *testing.T) {
	f := newFixture(t, backends[0].open)
	for _, tok := range []string{"x", "aTEuMS4y", strings.Repeat("A", 2000)} {
		_, err := f.svc.Instances(f.ctx, "a", InstanceQuery{From: t0, To: t0.Add(time.Hour), PageQuery: PageQuery{Page: tok}})
		if !errors.Is(err, store.ErrInvalid) {
			t.Errorf("page %q: got %v, want an error wrapping store.ErrInvalid", tok, err)
		}
	}
}

func TestACalendarListIsBounded(t *testing.T) {
	f := newFixture(t, backends[0].open)
	for range MaxListed {
		f.calendar(t, "ann", Calendar{})
	}
	if _, err := f.svc.CreateCalendar(f.ctx, "ann", Calendar{Name: "one more"}); !errors.Is(err, store.ErrTooLarge) {
		t.Errorf("create past MaxListed: got %v, want ErrTooLarge", err)
	}
	pub := f.calendar(t, "bob", Calendar{Kind: Shared, Name: "Trips", Public: true})
	if err := f.svc.Subscribe(f.ctx, "ann", pub.ID); !errors.Is(err, store.ErrTooLarge) {
		t.Errorf("subscribe past MaxListed: got %v, want ErrTooLarge", err)
	}
}

func TestManySeriesShareAPagesExpansion(t *testing.T) {
	f := newFixture(t, backends[0].open)
	const n = 25 // n * (MaxPageSize+2) > MaxViewExpansion
	for i := range n {
		cal := f.calendar(t, fmt.Sprintf("spam%d", i), Calendar{})
		f.event(t, cal.Owner, Event{CalendarID: cal.ID, Title: "spam", Start: t0, End: t0.Add(time.Second),
			Attendees: []Attendee{{User: "victim"}}, Recurrence: &Recurrence{RRule: "FREQ=SECONDLY"}})
	}
	q := InstanceQuery{From: t0, To: t0.Add(10 * time.Minute), PageQuery: PageQuery{Limit: MaxPageSize}}
	total, pages := 0, 0
	var last *Instance
	for ; ; pages++ {
		if pages > 100 {
			t.Fatal("more than 100 pages")
		}
		p, err := f.svc.Instances(f.ctx, "victim", q)
		if err != nil {
			t.Fatal(err)
		}
		for i := range p.Items {
			if last != nil && compareInstances(last, &p.Items[i]) >= 0 {
				t.Fatalf("out of order or repeated at %d of page %d", i, pages)
			}
			last = &p.Items[i]
		}
		total += len(p.Items)
		if q.Page = p.Next; q.Page == "" {
			break
		}
	}
	if want := n * 600; total != want {
		t.Errorf("instances over %d pages: got %d, want %d", pages+1, total, want)
	}
}

func TestDenseInvitationsDoNotBlowUpFreeBusy(t *testing.T) {
	f := newFixture(t, backends[0].open)
	for i := range 30 {
		cal := f.calendar(t, fmt.Sprintf("spam%d", i), Calendar{})
		f.event(t, cal.Owner, Event{CalendarID: cal.ID, Title: "spam", Start: t0, End: t0.Add(time.Second),
			Attendees: []Attendee{{User: "victim"}}, Recurrence: &Recurrence{RRule: "FREQ=SECONDLY"}})
	}
	own := f.calendar(t, "victim", Calendar{})
	f.event(t, "victim", Event{CalendarID: own.ID, Title: "real", Start: t0.Add(100 * time.Hour), End: t0.Add(101 * time.Hour)})
	var ms0, ms1 runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&ms0)
	fb, err := f.svc.FreeBusy(f.ctx, "x", FreeBusyQuery{From: t0, To: t0.Add(7 * 24 * time.Hour), Users: []string{"victim"}})
	runtime.ReadMemStats(&ms1)
	if err != nil {
		t.Fatal(err)
	}
	if alloc := ms1.TotalAlloc - ms0.TotalAlloc; alloc > 64<<20 {
		t.Errorf("free/busy of a week of 30 secondly invitations allocated %d MB, want under 64 MB", alloc>>20)
	}
	found := false
	for _, iv := range fb.Users["victim"] {
		if !iv.Start.After(t0.Add(100*time.Hour)) && !iv.End.Before(t0.Add(101*time.Hour)) {
			found = true
		}
	}
	if !found {
		t.Errorf("the victim's own event is missing from %v", fb.Users["victim"])
	}
}
