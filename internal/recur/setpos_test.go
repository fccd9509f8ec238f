package recur

import (
	"testing"
	"time"
)

// TestWeeklySetPositionsCountFromWKST is the BYSETPOS bug of issue 19: the
// set BYSETPOS picks from is the whole week starting at WKST, also in
// DTSTART's own week.
func TestWeeklySetPositionsCountFromWKST(t *testing.T) {
	wed := time.Date(2026, 3, 4, 9, 0, 0, 0, time.UTC) // a Wednesday
	for _, tc := range []struct {
		rule string
		want []string
	}{
		{"FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=1,3;COUNT=3", []string{"2026-03-04", "2026-03-09", "2026-03-11"}},
		{"FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1;COUNT=3", []string{"2026-03-04", "2026-03-06", "2026-03-13"}},
		{"FREQ=WEEKLY;WKST=WE;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=1,3;COUNT=3", []string{"2026-03-04", "2026-03-06", "2026-03-11"}},
		{"FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=2;UNTIL=20260320T090000Z", []string{"2026-03-04", "2026-03-10", "2026-03-17"}},
	} {
		t.Run(tc.rule, func(t *testing.T) {
			set, err := Compile(Series{Start: wed, RRule: tc.rule})
			if err != nil {
				t.Fatal(err)
			}
			check := func(how string, got []time.Time) {
				t.Helper()
				var days []string
				for _, g := range got {
					days = append(days, g.Format(time.DateOnly))
				}
				if len(days) != len(tc.want) {
					t.Fatalf("%s: got %v, want %v", how, days, tc.want)
				}
				for i := range days {
					if days[i] != tc.want[i] {
						t.Fatalf("%s: got %v, want %v", how, days, tc.want)
					}
				}
			}
			all, err := set.All()
			if err != nil {
				t.Fatal(err)
			}
			check("All", all)
			check("Between", set.Between(wed.AddDate(0, 0, -7), wed.AddDate(0, 1, 0), 0))
			if last, ok := set.Last(); !ok || last.Format(time.DateOnly) != tc.want[len(tc.want)-1] {
				t.Errorf("Last: got %v, %v", last, ok)
			}
		})
	}
}
