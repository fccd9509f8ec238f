package recur

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/teambition/rrule-go"
)

// randomSimpleRule returns a rule the arithmetic expander (fast.go) takes:
// DAILY, WEEKLY or MONTHLY with random INTERVAL, BYDAY, BYMONTHDAY,
// BYMONTH, BYHOUR/BYMINUTE, WKST and COUNT or UNTIL.
func randomSimpleRule(rng *rand.Rand) string {
	freq := []string{"DAILY", "WEEKLY", "MONTHLY"}[rng.IntN(3)]
	parts := []string{"FREQ=" + freq}
	if rng.IntN(2) == 0 {
		parts = append(parts, fmt.Sprint("INTERVAL=", []int{1, 2, 3, 5, 7, 14, 13}[rng.IntN(7)]))
	}
	days := []string{"MO", "TU", "WE", "TH", "FR", "SA", "SU"}
	if rng.IntN(2) == 0 {
		var by []string
		for _, d := range days {
			switch {
			case rng.IntN(3) != 0:
			case freq == "MONTHLY" && rng.IntN(2) == 0:
				n := 1 + rng.IntN(5)
				if rng.IntN(2) == 0 {
					n = -n
				}
				by = append(by, fmt.Sprint(n, d))
			default:
				by = append(by, d)
			}
		}
		if len(by) > 0 {
			parts = append(parts, "BYDAY="+strings.Join(by, ","))
		}
	}
	if freq != "WEEKLY" && rng.IntN(3) == 0 {
		var by []string
		for range 1 + rng.IntN(3) {
			d := 1 + rng.IntN(31)
			if rng.IntN(3) == 0 {
				d = -d
			}
			by = append(by, fmt.Sprint(d))
		}
		parts = append(parts, "BYMONTHDAY="+strings.Join(by, ","))
	}
	if rng.IntN(4) == 0 {
		parts = append(parts, fmt.Sprintf("BYMONTH=%d,%d", 1+rng.IntN(12), 1+rng.IntN(12)))
	}
	if rng.IntN(4) == 0 {
		parts = append(parts, fmt.Sprintf("BYHOUR=%d,%d;BYMINUTE=%d", rng.IntN(24), rng.IntN(24), rng.IntN(60)))
	}
	if rng.IntN(3) == 0 {
		parts = append(parts, "WKST="+days[rng.IntN(7)])
	}
	until := time.Date(2021+rng.IntN(4), time.Month(1+rng.IntN(12)), 1+rng.IntN(28), rng.IntN(24), rng.IntN(60), 0, 0, time.UTC)
	switch rng.IntN(5) {
	case 0:
		parts = append(parts, fmt.Sprint("COUNT=", 1+rng.IntN(60)))
	case 1:
		parts = append(parts, "UNTIL="+until.Format("20060102T150405Z"))
	case 2:
		parts = append(parts, "UNTIL="+until.Format("20060102T150405"))
	case 3:
		parts = append(parts, "UNTIL="+until.Format("20060102"))
	}
	rng.Shuffle(len(parts)-1, func(i, j int) { parts[i+1], parts[j+1] = parts[j+1], parts[i+1] })
	return strings.Join(parts, ";")
}

// TestFastRulesAgreeWithRRuleGo compares, for many random simple rules in
// zones with and without DST, the arithmetic expander with rrule-go: the
// iterators one for one, and the compiled series through every call.
func TestFastRulesAgreeWithRRuleGo(t *testing.T) {
	zones := []string{"UTC", "America/New_York", "Europe/Berlin", "Australia/Lord_Howe", "Pacific/Apia", "Asia/Shanghai"}
	rng := seeded(t)
	n := 1500
	if testing.Short() || raceEnabled {
		n = 300
	}
	fastSeen, skips := 0, 0
	for i := range n {
		loc := mustZone(t, zones[i%len(zones)])
		rr := randomSimpleRule(rng)
		start := time.Date(2020+rng.IntN(3), time.Month(1+rng.IntN(12)), 1+rng.IntN(31), rng.IntN(24), rng.IntN(4)*15, 0, 0, loc)
		allDay := rng.IntN(8) == 0 && !strings.Contains(rr, "BYHOUR")
		series := Series{Start: start, AllDay: allDay, RRule: rr, ExDates: []time.Time{start.AddDate(0, 0, 7+rng.IntN(30))}}
		fast, err1 := compileWith(series, false)
		slow, err2 := compileWith(series, true)
		if (err1 == nil) != (err2 == nil) {
			t.Fatalf("%q from %s: fast error %v, rrule-go error %v", rr, start, err1, err2)
		}
		if err1 != nil {
			continue
		}
		if fast.fast == nil {
			t.Fatalf("%q from %s: not taken by the arithmetic expander", rr, start)
		}
		fastSeen++
		name := fmt.Sprintf("%q from %s (all-day %v)", rr, start, allDay)

		// The iterators, from random period starts, with random bounds.
		for range 3 {
			dt := fast.startF.Add(time.Duration(rng.Int64N(int64(3 * 365 * 24 * time.Hour)))).Truncate(time.Second)
			if rng.IntN(2) == 0 {
				dt = dt.Truncate(24 * time.Hour)
			}
			count := 0
			if rng.IntN(2) == 0 {
				count = 1 + rng.IntN(40)
			}
			until := dt.Add(time.Duration(rng.Int64N(int64(2 * 365 * 24 * time.Hour))))
			a := drain(fast.fast.iter(dt, count, until), 2000)
			o := *fast.opt
			o.Dtstart, o.Count, o.Until = dt, count, until
			r, err := rrule.NewRRule(o)
			if err != nil {
				t.Fatal(err)
			}
			b := drain(r.Iterator(), 2000)
			if !slices.EqualFunc(a, b, time.Time.Equal) {
				t.Fatalf("%s: iterator from %s, COUNT %d, until %s:\n got %v\nwant %v", name, dt, count, until, a, b)
			}
		}

		// The skipping walk to the last instance of a COUNT, from DTSTART.
		counts := []int{1, 2, 7, 1 + rng.IntN(100), 1 + rng.IntN(3000)}
		if i%100 == 0 {
			counts = append(counts, MaxCount)
		}
		for _, count := range counts {
			until := lastFloating
			if rng.IntN(2) == 0 {
				until = fast.startF.AddDate(rng.IntN(40), 0, 0)
			}
			all := drain(fast.fast.iter(fast.startF, count, until), MaxCount+1)
			skipped := drain(fast.fast.lastIter(fast.startF, count, until), MaxCount+1)
			if len(skipped) < len(all) {
				skips++
			}
			switch {
			case len(all) == 0 && len(skipped) == 0:
			case len(all) == 0 || len(skipped) == 0 || !all[len(all)-1].Equal(skipped[len(skipped)-1]):
				t.Fatalf("%s: COUNT %d until %s: the walk ends %v, the skipping walk %v", name, count, until, all[max(0, len(all)-3):], skipped[max(0, len(skipped)-3):])
			}
		}

		// The compiled series.
		for range 4 {
			from := start.Add(time.Duration(rng.Int64N(int64(4*365*24*time.Hour))) - 30*24*time.Hour)
			to := from.Add(time.Duration(rng.Int64N(int64(60 * 24 * time.Hour))))
			if got, want := fast.Between(from, to, 0), slow.Between(from, to, 0); !slices.EqualFunc(got, want, time.Time.Equal) {
				t.Fatalf("%s: Between(%s, %s):\n got %v\nwant %v", name, from, to, got, want)
			}
			ga, oka := fast.After(from)
			wa, okb := slow.After(from)
			if oka != okb || !ga.Equal(wa) {
				t.Fatalf("%s: After(%s) got %s %v, want %s %v", name, from, ga, oka, wa, okb)
			}
		}
		gl, oka := fast.Last()
		wl, okb := slow.Last()
		if oka != okb || !gl.Equal(wl) {
			t.Fatalf("%s: Last got %s %v, want %s %v", name, gl, oka, wl, okb)
		}
		if fast.Finite() {
			ga, erra := fast.All()
			wa, errb := slow.All()
			if (erra == nil) != (errb == nil) || !slices.EqualFunc(ga, wa, time.Time.Equal) {
				t.Fatalf("%s: All got %v %v, want %v %v", name, ga, erra, wa, errb)
			}
		}
	}
	if skips < n/10 {
		t.Errorf("the skipping walk skipped only %d times", skips)
	}
	if fastSeen < n/2 {
		t.Errorf("only %d of %d random rules compiled: the generator is too strict", fastSeen, n)
	}
}

func drain(next rrule.Next, max int) []time.Time {
	var out []time.Time
	for f, ok := next(); ok && len(out) < max; f, ok = next() {
		out = append(out, f)
	}
	return out
}

// TestCivilDates checks the day-number arithmetic against package time
// over the whole range a series can use.
func TestCivilDates(t *testing.T) {
	for d := time.Date(0, 1, 1, 0, 0, 0, 0, time.UTC); d.Year() <= 10000; d = d.AddDate(0, 0, 13) {
		n := floorDiv(d.Unix(), 86400)
		y, m, day := civil(n)
		if y != d.Year() || m != int(d.Month()) || day != d.Day() {
			t.Fatalf("civil(%d) = %d-%d-%d, want %s", n, y, m, day, d.Format(time.DateOnly))
		}
		if got := daysFromCivil(y, m, day); got != n {
			t.Fatalf("daysFromCivil(%s) = %d, want %d", d.Format(time.DateOnly), got, n)
		}
		if got, want := weekdayOf(n), (int(d.Weekday())+6)%7; got != want {
			t.Fatalf("weekdayOf(%s) = %d, want %d", d.Format(time.DateOnly), got, want)
		}
		if got, want := monthLen(y, m), time.Date(y, time.Month(m)+1, 0, 0, 0, 0, 0, time.UTC).Day(); got != want {
			t.Fatalf("monthLen(%d, %d) = %d, want %d", y, m, got, want)
		}
	}
}

// TestConcurrentCompilesAgree compiles the same rules from many goroutines
// at once: the parsed rules and derivations they share (see parsedRules
// and derivations) must give each the answer a lone compile gives.
func TestConcurrentCompilesAgree(t *testing.T) {
	ny := mustZone(t, "America/New_York")
	rules := []string{"FREQ=WEEKLY;BYDAY=TU,TH;COUNT=80", "FREQ=MONTHLY;BYDAY=1MO", "FREQ=DAILY;INTERVAL=2", "FREQ=HOURLY;INTERVAL=5", "FREQ=YEARLY"}
	series := func(i int) Series {
		start := time.Date(2025, time.Month(1+i%12), 1+i%28, 8+i%9, 0, 0, 0, ny)
		return Series{Start: start, RRule: rules[i%len(rules)]}
	}
	from := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	to := from.AddDate(0, 0, 14)
	want := make([][]time.Time, 200)
	for i := range want {
		want[i] = mustCompile(t, series(i)).Between(from, to, 0)
	}
	parsedRules.Lock()
	clear(parsedRules.m)
	parsedRules.Unlock()
	derivations.Lock()
	clear(derivations.m)
	derivations.Unlock()
	errs := make(chan error, 8)
	for g := range 8 {
		go func() {
			for i := range want {
				i = (i + g*25) % len(want)
				set, err := Compile(series(i))
				if err == nil && !slices.EqualFunc(set.Between(from, to, 0), want[i], time.Time.Equal) {
					err = fmt.Errorf("series %d: got %v, want %v", i, set.Between(from, to, 0), want[i])
				}
				if err != nil {
					errs <- err
					return
				}
			}
			errs <- nil
		}()
	}
	for range 8 {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
}

// TestLongRulesAreNotCached checks that a rule too long for the caches
// compiles and expands as its short form does, without being cached.
func TestLongRulesAreNotCached(t *testing.T) {
	start := time.Date(2026, 3, 2, 9, 0, 0, 0, mustZone(t, "Europe/Berlin"))
	long := "FREQ=WEEKLY;BYDAY=MO,WE;X-PAD=" + strings.Repeat("A", maxCachedRule) + ";COUNT=9"
	got := mustCompile(t, Series{Start: start, RRule: long})
	want := mustCompile(t, Series{Start: start, RRule: "FREQ=WEEKLY;BYDAY=MO,WE;COUNT=9"})
	if got.rule.shared {
		t.Error("a long rule was cached")
	}
	from, to := start, start.AddDate(0, 2, 0)
	if g, w := got.Between(from, to, 0), want.Between(from, to, 0); !slices.EqualFunc(g, w, time.Time.Equal) || len(w) != 9 {
		t.Errorf("got %v, want %v", g, w)
	}
}
