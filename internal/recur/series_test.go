package recur

import (
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"
)

func mustZone(t testing.TB, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

func mustCompile(t testing.TB, s Series) *Set {
	t.Helper()
	set, err := Compile(s)
	if err != nil {
		t.Fatal(err)
	}
	return set
}

func formatAll(ts []time.Time, layout string) []string {
	out := make([]string, len(ts))
	for i, t := range ts {
		out[i] = t.Format(layout)
	}
	return out
}

func TestLocalTime(t *testing.T) {
	tests := []struct {
		name, zone string
		wall       [6]int
		want       string
	}{
		{"an ordinary time is itself", "America/New_York", [6]int{2020, 7, 1, 9, 0, 0}, "2020-07-01T09:00:00-04:00"},
		{"a time in the spring-forward gap moves forward by the gap", "America/New_York", [6]int{2020, 3, 8, 2, 30, 0}, "2020-03-08T03:30:00-04:00"},
		{"a time that occurs twice is the first one", "America/New_York", [6]int{2020, 11, 1, 1, 30, 0}, "2020-11-01T01:30:00-04:00"},
		{"a half-hour gap moves by half an hour", "Australia/Lord_Howe", [6]int{2020, 10, 4, 2, 15, 0}, "2020-10-04T02:45:00+11:00"},
		{"a skipped day keeps the offset before it", "Pacific/Apia", [6]int{2011, 12, 30, 12, 0, 0}, "2011-12-31T12:00:00+14:00"},
		{"a midnight gap moves to one o'clock", "America/Santiago", [6]int{2022, 9, 11, 0, 0, 0}, "2022-09-11T01:00:00-03:00"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := tt.wall
			got := LocalTime(w[0], time.Month(w[1]), w[2], w[3], w[4], w[5], mustZone(t, tt.zone))
			if got.Format(time.RFC3339) != tt.want {
				t.Errorf("got %s, want %s", got.Format(time.RFC3339), tt.want)
			}
		})
	}
}

func TestWallClockAcrossDST(t *testing.T) {
	ny := mustZone(t, "America/New_York")
	set := mustCompile(t, Series{Start: time.Date(2024, 3, 4, 9, 0, 0, 0, ny), RRule: "FREQ=WEEKLY;BYDAY=MO;COUNT=4"})
	got, err := set.All()
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"2024-03-04T09:00:00-05:00", "2024-03-11T09:00:00-04:00", "2024-03-18T09:00:00-04:00", "2024-03-25T09:00:00-04:00"}
	if g := formatAll(got, time.RFC3339); !slices.Equal(g, want) {
		t.Errorf("got %v, want %v", g, want)
	}
}

func TestSubDailyAcrossDST(t *testing.T) {
	ny := mustZone(t, "America/New_York")
	tests := []struct {
		name  string
		start time.Time
		want  []string
	}{
		{"the hour skipped in spring folds into the next one", time.Date(2024, 3, 10, 0, 0, 0, 0, ny),
			[]string{"00:00 EST", "01:00 EST", "03:00 EDT", "04:00 EDT"}},
		{"the hour repeated in autumn occurs once", time.Date(2024, 11, 3, 0, 0, 0, 0, ny),
			[]string{"00:00 EDT", "01:00 EDT", "02:00 EST", "03:00 EST", "04:00 EST"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			set := mustCompile(t, Series{Start: tt.start, RRule: "FREQ=HOURLY;COUNT=5"})
			got, err := set.All()
			if err != nil {
				t.Fatal(err)
			}
			if g := formatAll(got, "15:04 MST"); !slices.Equal(g, tt.want) {
				t.Errorf("got %v, want %v", g, tt.want)
			}
		})
	}
}

func TestAllDaySeries(t *testing.T) {
	santiago := mustZone(t, "America/Santiago")
	t.Run("an all-day date whose midnight does not exist starts at the first moment of the date", func(t *testing.T) {
		set := mustCompile(t, Series{Start: time.Date(2022, 9, 9, 0, 0, 0, 0, santiago), AllDay: true, RRule: "FREQ=DAILY;COUNT=4"})
		got, _ := set.All()
		want := []string{"2022-09-09T00:00:00-04:00", "2022-09-10T00:00:00-04:00", "2022-09-11T01:00:00-03:00", "2022-09-12T00:00:00-03:00"}
		if g := formatAll(got, time.RFC3339); !slices.Equal(g, want) {
			t.Errorf("got %v, want %v", g, want)
		}
	})
	t.Run("an all-day EXDATE matches by date whatever its zone", func(t *testing.T) {
		tokyo := mustZone(t, "Asia/Tokyo")
		set := mustCompile(t, Series{
			Start: time.Date(2024, 1, 1, 0, 0, 0, 0, tokyo), AllDay: true, RRule: "FREQ=DAILY;UNTIL=20240105",
			ExDates: []time.Time{time.Date(2024, 1, 3, 0, 0, 0, 0, time.UTC)},
			RDates:  []time.Time{time.Date(2024, 2, 1, 15, 0, 0, 0, time.UTC)},
		})
		got, _ := set.All()
		want := []string{"2024-01-01", "2024-01-02", "2024-01-04", "2024-01-05", "2024-02-01"}
		if g := formatAll(got, "2006-01-02"); !slices.Equal(g, want) {
			t.Errorf("got %v, want %v", g, want)
		}
		for _, g := range got {
			if g.Location() != tokyo || g.Hour() != 0 {
				t.Errorf("instance %s is not midnight in Asia/Tokyo", g)
			}
		}
	})
	t.Run("a yearly all-day series keeps its date", func(t *testing.T) {
		set := mustCompile(t, Series{Start: time.Date(2020, 2, 29, 0, 0, 0, 0, time.UTC), AllDay: true, RRule: "FREQ=YEARLY"})
		got := set.Between(time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2041, 1, 1, 0, 0, 0, 0, time.UTC), 0)
		want := []string{"2032-02-29", "2036-02-29", "2040-02-29"}
		if g := formatAll(got, "2006-01-02"); !slices.Equal(g, want) {
			t.Errorf("got %v, want %v", g, want)
		}
	})
}

func TestRDatesAndExDates(t *testing.T) {
	start := time.Date(2024, 5, 6, 10, 0, 0, 0, time.UTC) // a Monday
	tests := []struct {
		name   string
		series Series
		want   []string
	}{
		{"an RDATE on a rule instance appears once", Series{Start: start, RRule: "FREQ=DAILY;COUNT=3", RDates: []time.Time{start.AddDate(0, 0, 1)}},
			[]string{"05-06 10:00", "05-07 10:00", "05-08 10:00"}},
		{"an RDATE before DTSTART comes first", Series{Start: start, RRule: "FREQ=DAILY;COUNT=2", RDates: []time.Time{start.AddDate(0, 0, -3)}},
			[]string{"05-03 10:00", "05-06 10:00", "05-07 10:00"}},
		{"an EXDATE on DTSTART removes it but it still counts", Series{Start: start, RRule: "FREQ=DAILY;COUNT=3", ExDates: []time.Time{start}},
			[]string{"05-07 10:00", "05-08 10:00"}},
		{"an EXDATE removes an RDATE too", Series{Start: start, RDates: []time.Time{start.Add(time.Hour)}, ExDates: []time.Time{start.Add(time.Hour)}},
			[]string{"05-06 10:00"}},
		{"an EXDATE at another time of day removes nothing", Series{Start: start, RRule: "FREQ=DAILY;COUNT=2", ExDates: []time.Time{start.Add(time.Hour)}},
			[]string{"05-06 10:00", "05-07 10:00"}},
		{"DTSTART off the rule is the first instance and counts", Series{Start: start, RRule: "FREQ=WEEKLY;BYDAY=WE;COUNT=3"},
			[]string{"05-06 10:00", "05-08 10:00", "05-15 10:00"}},
		{"no rule is just DTSTART and the RDATEs", Series{Start: start, RDates: []time.Time{start.AddDate(0, 1, 0)}},
			[]string{"05-06 10:00", "06-06 10:00"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := mustCompile(t, tt.series).All()
			if err != nil {
				t.Fatal(err)
			}
			if g := formatAll(got, "01-02 15:04"); !slices.Equal(g, tt.want) {
				t.Errorf("got %v, want %v", g, tt.want)
			}
		})
	}
}

func TestFiniteLastAndAll(t *testing.T) {
	start := time.Date(2024, 1, 1, 9, 0, 0, 0, time.UTC)
	tests := []struct {
		name     string
		series   Series
		finite   bool
		last     string // "" when Last reports none
		allCount int    // -1 when All must refuse
	}{
		{"an endless rule is not finite and All refuses it", Series{Start: start, RRule: "FREQ=DAILY"}, false, "", -1},
		{"a COUNT rule ends at its last instance", Series{Start: start, RRule: "FREQ=WEEKLY;COUNT=10"}, true, "2024-03-04 09:00", 10},
		{"an UNTIL rule ends at its last instance", Series{Start: start, RRule: "FREQ=MONTHLY;UNTIL=20241215T000000Z"}, true, "2024-12-01 09:00", 12},
		{"an excluded last instance leaves the one before", Series{Start: start, RRule: "FREQ=DAILY;COUNT=3", ExDates: []time.Time{start.AddDate(0, 0, 2)}}, true, "2024-01-02 09:00", 2},
		{"a late RDATE is the last", Series{Start: start, RRule: "FREQ=DAILY;COUNT=3", RDates: []time.Time{start.AddDate(1, 0, 0)}}, true, "2025-01-01 09:00", 4},
		{"a series with every instance excluded has no last", Series{Start: start, ExDates: []time.Time{start}}, true, "", 0},
		{"an UNTIL before DTSTART leaves DTSTART alone", Series{Start: start, RRule: "FREQ=DAILY;UNTIL=20231201T000000Z"}, true, "2024-01-01 09:00", 1},
		{"a finite series past MaxInstances is refused by All", Series{Start: start, RRule: "FREQ=MINUTELY;UNTIL=20250101T000000Z"}, true, "2025-01-01 00:00", -1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			set := mustCompile(t, tt.series)
			if got := set.Finite(); got != tt.finite {
				t.Errorf("Finite() got %v, want %v", got, tt.finite)
			}
			last, ok := set.Last()
			if got := last.Format("2006-01-02 15:04"); ok != (tt.last != "") || ok && got != tt.last {
				t.Errorf("Last() got %s %v, want %q", got, ok, tt.last)
			}
			all, err := set.All()
			if tt.allCount < 0 {
				if !errors.Is(err, ErrUnbounded) || !errors.Is(err, ErrInvalid) {
					t.Errorf("All() error %v, want ErrUnbounded", err)
				}
				return
			}
			if err != nil || len(all) != tt.allCount {
				t.Errorf("All() got %d instances, %v; want %d", len(all), err, tt.allCount)
			}
			if ok && len(all) > 0 && !all[len(all)-1].Equal(last) {
				t.Errorf("All() ends %s, Last() %s", all[len(all)-1], last)
			}
		})
	}
}

func TestAfter(t *testing.T) {
	ny := mustZone(t, "America/New_York")
	start := time.Date(2024, 1, 31, 9, 0, 0, 0, ny)
	set := mustCompile(t, Series{Start: start, RRule: "FREQ=MONTHLY;BYMONTHDAY=31;COUNT=6"})
	tests := []struct {
		name   string
		after  time.Time
		want   string
		wantOK bool
	}{
		{"before the series it is DTSTART", start.AddDate(-5, 0, 0), "2024-01-31 09:00", true},
		{"at an instance it is the next one", start, "2024-03-31 09:00", true},
		{"months without a 31st are skipped", time.Date(2024, 4, 1, 0, 0, 0, 0, ny), "2024-05-31 09:00", true},
		{"after the last instance there is none", time.Date(2024, 10, 31, 9, 0, 0, 0, ny), "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := set.After(tt.after)
			if ok != tt.wantOK || ok && got.Format("2006-01-02 15:04") != tt.want {
				t.Errorf("After(%s) got %s %v, want %q", tt.after, got, ok, tt.want)
			}
		})
	}
	t.Run("a sparse endless rule finds its next instance years away", func(t *testing.T) {
		set := mustCompile(t, Series{Start: time.Date(2024, 2, 29, 0, 0, 0, 0, time.UTC), RRule: "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29;BYHOUR=0"})
		got, ok := set.After(time.Date(2096, 3, 1, 0, 0, 0, 0, time.UTC))
		if !ok || !got.Equal(time.Date(2104, 2, 29, 0, 0, 0, 0, time.UTC)) {
			t.Errorf("got %s %v, want 2104-02-29 (2100 is not a leap year)", got, ok)
		}
	})
}

func TestBetweenWindowAndLimit(t *testing.T) {
	start := time.Date(2024, 1, 1, 9, 0, 0, 0, time.UTC)
	set := mustCompile(t, Series{Start: start, RRule: "FREQ=DAILY"})
	day := 24 * time.Hour
	tests := []struct {
		name     string
		from, to time.Time
		limit    int
		want     int
	}{
		{"the window's start is included and its end excluded", start, start.Add(3 * day), 0, 3},
		{"an empty window has nothing", start.Add(day), start.Add(day), 0, 0},
		{"a reversed window has nothing", start.Add(day), start, 0, 0},
		{"a limit cuts the answer", start, start.Add(30 * day), 5, 5},
		{"a window before DTSTART has nothing", start.AddDate(-1, 0, 0), start, 0, 0},
		{"a window far out has its instances", start.AddDate(50, 0, 0), start.AddDate(50, 0, 0).Add(7 * day), 0, 7},
		{"no limit is at most MaxInstances", start, start.AddDate(300, 0, 0), 0, MaxInstances},
		{"the widest window is clamped, not overflowed", time.Unix(-1<<62, 0), time.Unix(1<<62, 0), 3, 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := set.Between(tt.from, tt.to, tt.limit)
			if len(got) != tt.want {
				t.Fatalf("got %d instances, want %d", len(got), tt.want)
			}
			for i, g := range got {
				if g.Before(tt.from) || !g.Before(tt.to) || i > 0 && g.Sub(got[i-1]) != day {
					t.Fatalf("instance %d %s out of the window or out of step", i, g)
				}
			}
		})
	}
}

func TestTruncate(t *testing.T) {
	ny := mustZone(t, "America/New_York")
	start := time.Date(2024, 1, 1, 9, 0, 0, 0, ny)
	cut := time.Date(2024, 3, 15, 0, 0, 0, 0, ny)
	tests := []struct {
		name      string
		series    Series
		cut       time.Time
		wantRule  string
		wantCount int
	}{
		{"an endless rule gets an UNTIL before the cut", Series{Start: start, RRule: "FREQ=WEEKLY;BYDAY=MO"}, cut, "FREQ=WEEKLY;BYDAY=MO;UNTIL=20240315T035959Z", 11},
		{"a COUNT becomes an UNTIL", Series{Start: start, RRule: "RRULE:FREQ=WEEKLY;COUNT=52;"}, cut, "FREQ=WEEKLY;UNTIL=20240315T035959Z", 11},
		{"a cut on an instance excludes it", Series{Start: start, RRule: "FREQ=DAILY"}, start.AddDate(0, 0, 3), "FREQ=DAILY;UNTIL=20240104T135959Z", 3},
		{"a series ending before the cut is unchanged", Series{Start: start, RRule: "FREQ=DAILY;COUNT=3"}, cut, "FREQ=DAILY;COUNT=3", 3},
		{"an all-day series gets a date UNTIL", Series{Start: time.Date(2024, 1, 1, 0, 0, 0, 0, ny), AllDay: true, RRule: "FREQ=DAILY"}, time.Date(2024, 1, 5, 0, 0, 0, 0, ny), "FREQ=DAILY;UNTIL=20240104", 4},
		{"RDATEs after the cut are dropped", Series{Start: start, RDates: []time.Time{start.AddDate(0, 1, 0), start.AddDate(0, 6, 0)}}, cut, "", 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.series.Truncate(tt.cut)
			if err != nil {
				t.Fatal(err)
			}
			if got.RRule != tt.wantRule {
				t.Errorf("RRule got %q, want %q", got.RRule, tt.wantRule)
			}
			all, err := mustCompile(t, got).All()
			if err != nil || len(all) != tt.wantCount {
				t.Fatalf("All() got %d, %v; want %d", len(all), err, tt.wantCount)
			}
			// "This and following": the kept part plus the original from the
			// cut on is the original series, nothing lost or doubled.
			orig := mustCompile(t, tt.series)
			end := tt.cut.AddDate(1, 0, 0)
			want := orig.Between(start.AddDate(-1, 0, 0), end, 0)
			joined := append(all, orig.Between(tt.cut, end, 0)...)
			if !slices.EqualFunc(joined, want, time.Time.Equal) {
				t.Errorf("kept+following got %v, want %v", joined, want)
			}
		})
	}
	t.Run("a cut at or before DTSTART is refused", func(t *testing.T) {
		_, err := Series{Start: start, RRule: "FREQ=DAILY"}.Truncate(start)
		if !errors.Is(err, ErrInvalid) {
			t.Errorf("got %v, want ErrInvalid", err)
		}
	})
}

func TestSetIsSafeForConcurrentUse(t *testing.T) {
	start := time.Date(2024, 1, 1, 9, 0, 0, 0, time.UTC)
	set := mustCompile(t, Series{Start: start, RRule: "FREQ=DAILY;COUNT=2000"})
	want := fmt.Sprint(set.Between(start.AddDate(4, 0, 0), start.AddDate(4, 1, 0), 0))
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 20 {
				fresh := mustCompile(t, Series{Start: start, RRule: "FREQ=DAILY;COUNT=2000"})
				for _, s := range []*Set{set, fresh} {
					if got := fmt.Sprint(s.Between(start.AddDate(4, 0, 0), start.AddDate(4, 1, 0), 0)); got != want {
						t.Errorf("got %s, want %s", got, want)
					}
					if last, ok := s.Last(); !ok || !last.Equal(start.AddDate(0, 0, 1999)) {
						t.Errorf("Last() got %s %v", last, ok)
					}
				}
			}
		})
	}
	wg.Wait()
}
