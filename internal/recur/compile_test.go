package recur

import (
	"errors"
	"testing"
	"time"

	"github.com/workspace-go/workspace/store"
)

func TestCompileRefusesBadRules(t *testing.T) {
	ny, _ := time.LoadLocation("America/New_York")
	start := time.Date(2024, 1, 15, 9, 0, 0, 0, ny)
	jan31 := time.Date(2024, 1, 31, 9, 0, 0, 0, ny)
	tests := []struct {
		name  string
		rrule string
		start time.Time // zero: start
	}{
		{"a rule without FREQ is refused", "COUNT=3", time.Time{}},
		{"an unknown frequency is refused", "FREQ=FORTNIGHTLY", time.Time{}},
		{"an unknown part is refused", "FREQ=DAILY;BYEASTER=1", time.Time{}},
		{"a repeated part is refused", "FREQ=DAILY;COUNT=2;COUNT=3", time.Time{}},
		{"COUNT with UNTIL is refused", "FREQ=DAILY;COUNT=3;UNTIL=20240301T000000Z", time.Time{}},
		{"an UNTIL in year 10000 is refused", "FREQ=DAILY;UNTIL=100000101T000000Z", time.Time{}},
		{"a malformed UNTIL is refused", "FREQ=DAILY;UNTIL=2024-03-01", time.Time{}},
		{"COUNT=0 is refused", "FREQ=DAILY;COUNT=0", time.Time{}},
		{"a COUNT above MaxCount is refused", "FREQ=DAILY;COUNT=100001", time.Time{}},
		{"INTERVAL=0 is refused", "FREQ=DAILY;INTERVAL=0", time.Time{}},
		{"a month day out of range is refused", "FREQ=MONTHLY;BYMONTHDAY=32", time.Time{}},
		{"BYMONTHDAY=0 is refused", "FREQ=MONTHLY;BYMONTHDAY=0", time.Time{}},
		{"a part without a value is refused", "FREQ=DAILY;COUNT=", time.Time{}},
		{"BYWEEKNO outside YEARLY is refused", "FREQ=MONTHLY;BYWEEKNO=3", time.Time{}},
		{"a numbered BYDAY in a WEEKLY rule is refused", "FREQ=WEEKLY;BYDAY=2MO", time.Time{}},
		{"a sixth or later weekday of a month is refused", "FREQ=MONTHLY;BYDAY=6MO", time.Time{}},
		{"a seventh-last weekday of BYMONTH is refused", "FREQ=YEARLY;BYMONTH=1;BYDAY=-7MO", time.Time{}},
		{"February 30 never happens", "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30", time.Time{}},
		{"February 30 never happens in a daily rule either", "FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30", time.Time{}},
		{"an hourly INTERVAL that never reaches BYHOUR is refused", "FREQ=HOURLY;INTERVAL=24;BYHOUR=5", time.Time{}},
		{"a minutely INTERVAL that never reaches BYMINUTE is refused", "FREQ=MINUTELY;INTERVAL=60;BYMINUTE=5", time.Time{}},
		{"a secondly INTERVAL that never reaches BYSECOND is refused", "FREQ=SECONDLY;INTERVAL=60;BYSECOND=5", time.Time{}},
		{"a BYSETPOS past every set is refused", "FREQ=MONTHLY;BYMONTHDAY=1;BYSETPOS=2", time.Time{}},
		{"a BYSETPOS past a secondly set is refused", "FREQ=SECONDLY;BYSETPOS=2", time.Time{}},
		{"February 29 every fourth year from a non-leap year never happens", "FREQ=YEARLY;INTERVAL=4;BYMONTH=2;BYMONTHDAY=29", start.AddDate(-1, 0, 0)},
		{"DTSTART's 31st never falls in April", "FREQ=YEARLY;BYMONTH=4", jan31},
		{"DTSTART's 31st never falls in February of a monthly rule", "FREQ=MONTHLY;BYMONTH=2,6", jan31},
		{"a fifth Monday in a month that never has one is refused", "FREQ=YEARLY;BYMONTH=2;BYDAY=MO;BYSETPOS=6", time.Time{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			start := start
			if !tt.start.IsZero() {
				start = tt.start
			}
			set, err := Compile(Series{Start: start, RRule: tt.rrule})
			if err == nil {
				t.Fatalf("Compile(%q) got a set, want an error (first instances %v)", tt.rrule, set.Between(start, start.AddDate(1, 0, 0), 3))
			}
			if !errors.Is(err, ErrInvalid) || !errors.Is(err, store.ErrInvalid) {
				t.Errorf("Compile(%q) error %v does not wrap ErrInvalid and store.ErrInvalid", tt.rrule, err)
			}
		})
	}
}

func TestCompileRefusesBadDates(t *testing.T) {
	start := time.Date(2024, 1, 15, 9, 0, 0, 0, time.UTC)
	tests := []struct {
		name   string
		series Series
	}{
		{"a zero start is refused", Series{RRule: "FREQ=DAILY"}},
		{"a start in year 10000 is refused", Series{Start: time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)}},
		{"a zero RDATE is refused", Series{Start: start, RDates: []time.Time{{}}}},
		{"a zero EXDATE is refused", Series{Start: start, ExDates: []time.Time{{}}}},
		{"an hourly all-day series is refused", Series{Start: start, AllDay: true, RRule: "FREQ=HOURLY"}},
		{"an all-day series with BYHOUR is refused", Series{Start: start, AllDay: true, RRule: "FREQ=DAILY;BYHOUR=3"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := Compile(tt.series); !errors.Is(err, ErrInvalid) {
				t.Errorf("got error %v, want ErrInvalid", err)
			}
		})
	}
}

func TestCompileAcceptsTolerantForms(t *testing.T) {
	start := time.Date(2014, 10, 6, 9, 0, 0, 0, time.UTC)
	want := []time.Time{start, start.AddDate(0, 0, 7)}
	for _, rr := range []string{
		"FREQ=WEEKLY;INTERVAL=1;COUNT=2;BYDAY=MO;",
		"RRULE:FREQ=WEEKLY;COUNT=2",
		"rrule:freq=weekly;count=2;;",
		" FREQ=WEEKLY;COUNT=2;X-NAME=ignored ",
	} {
		t.Run("the rule "+rr+" is accepted", func(t *testing.T) {
			set, err := Compile(Series{Start: start, RRule: rr})
			if err != nil {
				t.Fatal(err)
			}
			got, err := set.All()
			if err != nil || len(got) != 2 || !got[0].Equal(want[0]) || !got[1].Equal(want[1]) {
				t.Errorf("got %v, %v; want %v", got, err, want)
			}
		})
	}
}
