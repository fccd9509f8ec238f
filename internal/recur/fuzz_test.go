package recur

import (
	"errors"
	"slices"
	"testing"
	"time"
)

// FuzzCompileBetween feeds random rules and windows through every call: none
// may panic, each must return quickly (the work is bounded), and what comes
// back must be in order, inside the window and consistent between calls.
func FuzzCompileBetween(f *testing.F) {
	for _, rr := range windowRules {
		f.Add(rr, int64(0), int64(3650*24*3600), int64(7*24*3600), false)
	}
	for _, rr := range []string{
		"FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30", "FREQ=HOURLY;INTERVAL=24;BYHOUR=5",
		"FREQ=SECONDLY;BYSETPOS=2", "FREQ=DAILY;COUNT=100000", "FREQ=MINUTELY;COUNT=99999",
		"FREQ=WEEKLY;BYDAY=MO;BYSETPOS=2", "FREQ=YEARLY;BYWEEKNO=53;BYDAY=MO", "FREQ=DAILY;UNTIL=99991231T235959Z",
		"FREQ=SECONDLY;BYMONTH=2;BYMONTHDAY=29;BYHOUR=3", "FREQ=YEARLY;INTERVAL=999999", "FREQ=DAILY;INTERVAL=7;BYDAY=TU",
		"FREQ=MONTHLY;BYDAY=5FR;BYMONTH=2", "RRULE:freq=daily;;", "FREQ=DAILY;UNTIL=100000101", "",
	} {
		f.Add(rr, int64(86400*40), int64(1<<40), int64(1<<20), true)
		f.Add(rr, int64(-86400*40), int64(86400), int64(1<<33), false)
	}
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		f.Fatal(err)
	}
	base := time.Date(2024, 3, 10, 2, 30, 0, 0, ny)
	f.Fuzz(func(t *testing.T, rr string, startOff, fromOff, span int64, allDay bool) {
		budget := 2 * time.Second // generous for a busy machine
		if raceEnabled {
			budget *= 10
		}
		check := func(what string, began time.Time) {
			if d := time.Since(began); d > budget {
				t.Errorf("%s of %q took %s", what, rr, d)
			}
		}
		start := base.Add(time.Duration(startOff%(1<<52)) * time.Second / 1000)
		began := time.Now()
		set, err := Compile(Series{Start: start, AllDay: allDay, RRule: rr, ExDates: []time.Time{start.Add(48 * time.Hour)}})
		check("Compile", began)
		if err != nil {
			if !errors.Is(err, ErrInvalid) {
				t.Errorf("Compile(%q) error %v does not wrap ErrInvalid", rr, err)
			}
			return
		}
		from := start.Add(time.Duration(fromOff%(1<<52)) * time.Second / 1000)
		to := from.Add(time.Duration(span%(1<<50)) * time.Second / 1000)
		began = time.Now()
		got := set.Between(from, to, 50)
		check("Between", began)
		for i, g := range got {
			if g.Before(from) || !g.Before(to) || i > 0 && !got[i-1].Before(g) || g.Location() != start.Location() {
				t.Fatalf("Between(%s, %s) of %q gave %v", from, to, rr, got)
			}
		}
		if len(got) > 2 && len(got) < 50 {
			// Split anywhere, the two windows give the same instances:
			// each starts its own walk at its own period.
			mid := got[len(got)/2].Add(-time.Duration(startOff%1000) * time.Millisecond)
			a, b := set.Between(from, mid, 0), set.Between(mid, to, 0)
			if joined := append(a, b...); len(joined) != len(got) {
				t.Fatalf("Between(%s, %s) of %q gave %v, split at %s %v", from, to, rr, got, mid, joined)
			} else {
				for i := range got {
					if !joined[i].Equal(got[i]) {
						t.Fatalf("Between(%s, %s) of %q gave %v, split at %s %v", from, to, rr, got, mid, joined)
					}
				}
			}
		}
		if set.hasRule && set.sub == nil && len(set.opt.Byhour)*len(set.opt.Byminute)*len(set.opt.Bysecond) <= 4 &&
			to.Before(start.AddDate(3, 0, 0)) && len(got) < 50 {
			// Against rrule-go walking from DTSTART, no jump.
			if walk := walkFromStart(t, set, set.start, from, to); !slices.EqualFunc(got, walk, time.Time.Equal) {
				t.Fatalf("Between(%s, %s) of %q gave %v, the walk from DTSTART %v", from, to, rr, got, walk)
			}
		}
		began = time.Now()
		next, ok := set.After(from)
		check("After", began)
		if len(got) > 0 && got[0].After(from) && (!ok || !next.Equal(got[0])) {
			t.Errorf("After(%s) of %q got %s %v, Between's first %s", from, rr, next, ok, got[0])
		}
		began = time.Now()
		last, ok := set.Last()
		check("Last", began)
		if ok != set.Finite() && ok {
			t.Errorf("Last of endless %q answered %s", rr, last)
		}
		if set.Finite() {
			began = time.Now()
			all, err := set.All()
			check("All", began)
			if err == nil && len(all) > 0 && ok && !all[len(all)-1].Equal(last) {
				t.Errorf("All of %q ends %s, Last %s", rr, all[len(all)-1], last)
			}
			if err != nil && !errors.Is(err, ErrUnbounded) {
				t.Errorf("All of %q: %v", rr, err)
			}
		}
		began = time.Now()
		cut := from
		if tr, err := (Series{Start: start, AllDay: allDay, RRule: rr}).Truncate(cut); err == nil {
			check("Truncate", began)
			ts, err := Compile(tr)
			if err != nil {
				t.Fatalf("Truncate(%s) of %q gave %q that does not compile: %v", cut, rr, tr.RRule, err)
			}
			if after, ok := ts.After(cut.Add(-time.Nanosecond)); ok {
				t.Errorf("Truncate(%s) of %q gave %q with an instance %s at or after the cut", cut, rr, tr.RRule, after)
			}
		}
	})
}
