package recur_test

import (
	"fmt"
	"time"

	"github.com/workspace-go/workspace/internal/recur"
)

// A weekly meeting keeps its wall-clock time across the DST change, and a
// window ten years out is answered without walking the ten years.
func Example() {
	ny, _ := time.LoadLocation("America/New_York")
	set, err := recur.Compile(recur.Series{
		Start:   recur.LocalTime(2024, time.March, 4, 9, 0, 0, ny),
		RRule:   "FREQ=WEEKLY;BYDAY=MO,TH",
		ExDates: []time.Time{recur.LocalTime(2024, time.March, 7, 9, 0, 0, ny)},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, t := range set.Between(time.Date(2024, 3, 1, 0, 0, 0, 0, ny), time.Date(2024, 3, 15, 0, 0, 0, 0, ny), 0) {
		fmt.Println(t.Format("Mon 2006-01-02 15:04 MST"))
	}
	far := set.Between(time.Date(2034, 3, 6, 0, 0, 0, 0, ny), time.Date(2034, 3, 13, 0, 0, 0, 0, ny), 0)
	fmt.Println(len(far), far[0].Format("Mon 2006-01-02 15:04 MST"))
	// Output:
	// Mon 2024-03-04 09:00 EST
	// Mon 2024-03-11 09:00 EDT
	// Thu 2024-03-14 09:00 EDT
	// 2 Mon 2034-03-06 09:00 EST
}

// Truncate ends a series before an instance, for a "this and following"
// edit; the new series starts at that instance.
func ExampleSeries_Truncate() {
	s := recur.Series{Start: time.Date(2024, 1, 1, 9, 0, 0, 0, time.UTC), RRule: "FREQ=DAILY;COUNT=10"}
	old, err := s.Truncate(time.Date(2024, 1, 4, 9, 0, 0, 0, time.UTC))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(old.RRule)
	set, _ := recur.Compile(old)
	all, _ := set.All()
	fmt.Println(len(all), all[len(all)-1].Format(time.DateTime))
	// Output:
	// FREQ=DAILY;UNTIL=20240104T085959Z
	// 3 2024-01-03 09:00:00
}

// A bad rule is refused with an error wrapping ErrInvalid.
func ExampleCompile_invalid() {
	_, err := recur.Compile(recur.Series{
		Start: time.Date(2024, 1, 1, 9, 0, 0, 0, time.UTC),
		RRule: "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30",
	})
	fmt.Println(err)
	// Output:
	// recur: series starting 2024-01-01T09:00:00Z with rule "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30": BYMONTHDAY never falls in BYMONTH: invalid recurrence: invalid argument
}
