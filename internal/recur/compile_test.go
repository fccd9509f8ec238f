package recur

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/workspace-go/workspace/store"
)

func TestCompileRefusesBadRules(t *testing.T) {
	ny, _ := time.LoadLocation("America/New_York")
	start := time.Date(2024, 1, 15, 9, 0, 0, 0, ny)
	tests := []struct {
		name  string
		rrule string
	}{
		{"a rule without FREQ is refused", "COUNT=3"},
		{"an unknown frequency is refused", "FREQ=FORTNIGHTLY"},
		{"an unknown part is refused", "FREQ=DAILY;BYEASTER=1"},
		{"a repeated part is refused", "FREQ=DAILY;COUNT=2;COUNT=3"},
		{"COUNT with UNTIL is refused", "FREQ=DAILY;COUNT=3;UNTIL=20240301T000000Z"},
		{"an UNTIL in year 10000 is refused", "FREQ=DAILY;UNTIL=100000101T000000Z"},
		{"a malformed UNTIL is refused", "FREQ=DAILY;UNTIL=2024-03-01"},
		{"COUNT=0 is refused", "FREQ=DAILY;COUNT=0"},
		{"a COUNT above MaxCount is refused", "FREQ=DAILY;COUNT=100001"},
		{"INTERVAL=0 is refused", "FREQ=DAILY;INTERVAL=0"},
		{"a month day out of range is refused", "FREQ=MONTHLY;BYMONTHDAY=32"},
		{"BYMONTHDAY=0 is refused", "FREQ=MONTHLY;BYMONTHDAY=0"},
		{"a part without a value is refused", "FREQ=DAILY;COUNT="},
		{"BYWEEKNO outside YEARLY is refused", "FREQ=MONTHLY;BYWEEKNO=3"},
		{"a numbered BYDAY in a WEEKLY rule is refused", "FREQ=WEEKLY;BYDAY=2MO"},
		{"February 30 never happens", "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30"},
		{"February 30 never happens in a daily rule either", "FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30"},
		{"an hourly INTERVAL that never reaches BYHOUR is refused", "FREQ=HOURLY;INTERVAL=24;BYHOUR=5"},
		{"a minutely INTERVAL that never reaches BYMINUTE is refused", "FREQ=MINUTELY;INTERVAL=60;BYMINUTE=5"},
		{"a secondly INTERVAL that never reaches BYSECOND is refused", "FREQ=SECONDLY;INTERVAL=60;BYSECOND=5"},
		{"a BYSETPOS past every set is refused", "FREQ=MONTHLY;BYMONTHDAY=1;BYSETPOS=2"},
		{"a BYSETPOS past a secondly set is refused", "FREQ=SECONDLY;BYSETPOS=2"},
		{"February 29 every fourth year from a non-leap year never happens", "FREQ=YEARLY;INTERVAL=4;BYMONTH=2;BYMONTHDAY=29;X-FROM=2023"},
		{"a fifth Monday in a month that never has one is refused", "FREQ=YEARLY;BYMONTH=2;BYDAY=MO;BYSETPOS=6"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			start := start
			if strings.HasSuffix(tt.rrule, "X-FROM=2023") {
				start = start.AddDate(-1, 0, 0)
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
