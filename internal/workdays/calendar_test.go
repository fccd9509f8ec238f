package workdays

import (
	"errors"
	"testing"
	"time"

	"github.com/workspace-go/workspace/store"
)

var shanghai = time.FixedZone("CST", 8*3600)

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 15, 4, 0, 0, shanghai) }

// TestOfficialSchedule checks the schedule against the State Council
// notices for 2025 and 2026.
func TestOfficialSchedule(t *testing.T) {
	c := Official()
	tests := []struct {
		name string
		day  time.Time
		want bool
	}{
		{"2025 new year's day is off", day(2025, 1, 1), false},
		{"the Sunday before the 2025 spring festival is a working day", day(2025, 1, 26), true},
		{"the Monday before the 2025 spring festival is a working day", day(2025, 1, 27), true},
		{"2025 spring festival starts on Jan 28", day(2025, 1, 28), false},
		{"2025 spring festival day itself is off", day(2025, 1, 29), false},
		{"2025 spring festival ends on Feb 4", day(2025, 2, 4), false},
		{"Feb 5 2025 is back at work", day(2025, 2, 5), true},
		{"Saturday Feb 8 2025 is a swapped working day", day(2025, 2, 8), true},
		{"Qingming 2025 is off", day(2025, 4, 4), false},
		{"Sunday Apr 27 2025 is a swapped working day", day(2025, 4, 27), true},
		{"Labour day 2025 runs to May 5", day(2025, 5, 5), false},
		{"Dragon boat 2025 Monday is off", day(2025, 6, 2), false},
		{"Sunday Sep 28 2025 is a swapped working day", day(2025, 9, 28), true},
		{"national day 2025 starts Oct 1", day(2025, 10, 1), false},
		{"mid-autumn 2025 Oct 6 is off", day(2025, 10, 6), false},
		{"national day 2025 ends Oct 8", day(2025, 10, 8), false},
		{"Oct 9 2025 is back at work", day(2025, 10, 9), true},
		{"Saturday Oct 11 2025 is a swapped working day", day(2025, 10, 11), true},
		{"an ordinary Saturday is off", day(2025, 3, 15), false},
		{"an ordinary Wednesday is a working day", day(2025, 3, 12), true},
		{"2026 spring festival runs Feb 15 to 23", day(2026, 2, 23), false},
		{"Saturday Feb 14 2026 is a swapped working day", day(2026, 2, 14), true},
		{"Saturday Feb 28 2026 is a swapped working day", day(2026, 2, 28), true},
		{"Sunday Jan 4 2026 is a swapped working day", day(2026, 1, 4), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := c.IsWorkday(tt.day)
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("IsWorkday(%s) = %v, want %v", tt.day.Format(time.DateOnly), got, tt.want)
			}
		})
	}
	if got, want := c.Holiday(day(2025, 1, 29)), "春节"; got != want {
		t.Errorf("Holiday(2025-01-29) = %q, want %q", got, want)
	}
	if got, want := c.Holiday(day(2025, 10, 11)), "国庆中秋调休"; got != want {
		t.Errorf("Holiday(2025-10-11) = %q, want %q", got, want)
	}
	if got := c.Holiday(day(2025, 3, 12)); got != "" {
		t.Errorf("Holiday(2025-03-12) = %q, want none", got)
	}
}

func TestAddWorkdays(t *testing.T) {
	c := Official()
	tests := []struct {
		name string
		from time.Time
		n    int
		want string
	}{
		{"three working days from a Wednesday end on Monday", day(2025, 3, 12), 3, "2025-03-17"},
		{"the next working day after Friday is Monday", day(2025, 3, 14), 1, "2025-03-17"},
		{"the next working day before the spring festival is the swapped Sunday", day(2025, 1, 25), 1, "2025-01-26"},
		{"the next working day after the spring festival is Feb 5", day(2025, 1, 27), 1, "2025-02-05"},
		{"the national day break is skipped", day(2025, 9, 30), 1, "2025-10-09"},
		{"two working days after Oct 9 2025 land on the swapped Saturday", day(2025, 10, 9), 2, "2025-10-11"},
		{"a negative count walks back", day(2025, 2, 5), -1, "2025-01-27"},
		{"zero on a working day is that day", day(2025, 3, 12), 0, "2025-03-12"},
		{"zero on a day off is the next working day", day(2025, 3, 15), 0, "2025-03-17"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := c.AddWorkdays(tt.from, tt.n)
			if err != nil {
				t.Fatal(err)
			}
			if got.Format(time.DateOnly) != tt.want {
				t.Errorf("AddWorkdays(%s, %d) = %s, want %s", tt.from.Format(time.DateOnly), tt.n, got.Format(time.DateOnly), tt.want)
			}
			if got.Location() != shanghai || got.Hour() != 0 || got.Minute() != 0 {
				t.Errorf("AddWorkdays returned %v, want midnight in the argument's zone", got)
			}
		})
	}
	next, err := c.NextWorkday(day(2025, 12, 31))
	if err != nil || next.Format(time.DateOnly) != "2026-01-04" {
		t.Errorf("NextWorkday(2025-12-31) = %v, %v; want the swapped Sunday 2026-01-04", next, err)
	}
}

func TestTenantDays(t *testing.T) {
	c, err := New(
		WithDayOff(day(2025, 3, 14)),                           // a company day off
		WithDayOn(day(2025, 3, 15)),                            // a release Saturday
		WithDayOn(time.Date(2031, 1, 6, 0, 0, 0, 0, time.UTC)), // a year the schedule does not cover
	)
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name string
		day  time.Time
		want bool
	}{
		{"a tenant day off beats a working Friday", day(2025, 3, 14), false},
		{"a tenant day on beats the weekend", day(2025, 3, 15), true},
		{"official holidays still apply", day(2025, 10, 1), false},
		{"a tenant day on is known outside the schedule's years", time.Date(2031, 1, 6, 23, 0, 0, 0, time.UTC), true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got, err := c.IsWorkday(tt.day)
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("IsWorkday(%s) = %v, want %v", tt.day.Format(time.DateOnly), got, tt.want)
			}
		})
	}
	next, err := c.NextWorkday(day(2025, 3, 13))
	if err != nil || next.Format(time.DateOnly) != "2025-03-15" {
		t.Errorf("NextWorkday(2025-03-13) = %v, %v; want the release Saturday", next, err)
	}

	plain, err := New(WithoutHolidays(), WithWeekend(time.Friday, time.Saturday))
	if err != nil {
		t.Fatal(err)
	}
	if ok, err := plain.IsWorkday(day(2025, 10, 1)); err != nil || !ok {
		t.Errorf("without holidays, Oct 1 2025 (a Wednesday) = %v, %v; want a working day", ok, err)
	}
	if ok, err := plain.IsWorkday(day(2025, 3, 14)); err != nil || ok {
		t.Errorf("with a Friday-Saturday weekend, Friday = %v, %v; want a day off", ok, err)
	}
	if ok, err := plain.IsWorkday(time.Date(2090, 3, 13, 0, 0, 0, 0, time.UTC)); err != nil || !ok {
		t.Errorf("without holidays, any year is covered: got %v, %v", ok, err)
	}
}

func TestBadInput(t *testing.T) {
	c := Official()
	tests := []struct {
		name string
		err  error
		want error
	}{
		{"a year after the schedule is out of range", errOf(c.IsWorkday(time.Date(LastYear+1, 3, 2, 0, 0, 0, 0, shanghai))), ErrOutOfRange},
		{"a year before the schedule is out of range", errOf(c.IsWorkday(time.Date(FirstYear-1, 3, 2, 0, 0, 0, 0, shanghai))), ErrOutOfRange},
		{"walking off the end of the schedule is out of range", errOf(c.AddWorkdays(time.Date(LastYear, 12, 30, 0, 0, 0, 0, shanghai), 5)), ErrOutOfRange},
		{"a zero day is invalid", errOf(c.IsWorkday(time.Time{})), ErrInvalid},
		{"too many working days is invalid", errOf(c.AddWorkdays(day(2025, 1, 1), MaxWorkdays+1)), ErrInvalid},
		{"a weekend day out of range is invalid", errOf(New(WithWeekend(time.Weekday(7)))), ErrInvalid},
		{"a day both on and off is invalid", errOf(New(WithDayOff(day(2025, 1, 2)), WithDayOn(day(2025, 1, 2)))), ErrInvalid},
		{"a zero day off is invalid", errOf(New(WithDayOff(time.Time{}))), ErrInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if !errors.Is(tt.err, tt.want) || !errors.Is(tt.err, store.ErrInvalid) {
				t.Errorf("got %v, want an error wrapping %v and store.ErrInvalid", tt.err, tt.want)
			}
		})
	}
	// A nil calendar is the official one, not a panic.
	var nilCal *Calendar
	if ok, err := nilCal.IsWorkday(day(2025, 10, 1)); err != nil || ok {
		t.Errorf("nil calendar: Oct 1 2025 = %v, %v; want a holiday", ok, err)
	}
	if next, err := nilCal.NextWorkday(day(2025, 9, 30)); err != nil || next.Format(time.DateOnly) != "2025-10-09" {
		t.Errorf("nil calendar: NextWorkday(2025-09-30) = %v, %v", next, err)
	}
	// A calendar with no working day at all fails instead of looping.
	none, err := New(WithoutHolidays(), WithWeekend(0, 1, 2, 3, 4, 5, 6))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := none.NextWorkday(day(2025, 1, 1)); !errors.Is(err, ErrInvalid) {
		t.Errorf("NextWorkday on a calendar without working days: %v, want ErrInvalid", err)
	}
}

func errOf[T any](_ T, err error) error { return err }

// TestCoverage checks that every covered year has its spring festival and
// national day in the data, so a year silently missing from the library
// cannot pass as covered.
func TestCoverage(t *testing.T) {
	c := Official()
	for y := FirstYear; y <= LastYear; y++ {
		spring, national := false, false
		for d := time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC); d.Year() == y; d = d.AddDate(0, 0, 1) {
			switch c.Holiday(d) {
			case "春节":
				spring = true
			case "国庆节", "国庆中秋":
				national = true
			}
		}
		if !spring || !national {
			t.Errorf("year %d: spring festival %v, national day %v in the data; want both", y, spring, national)
		}
	}
}
