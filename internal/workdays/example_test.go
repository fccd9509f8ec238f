package workdays_test

import (
	"fmt"
	"time"

	"github.com/workspace-go/workspace/internal/workdays"
)

func Example() {
	cal := workdays.Official()
	// Three working days from the last day of September 2025: the national
	// day break (Oct 1-8) is skipped and Saturday Oct 11 is worked.
	due, err := cal.AddWorkdays(time.Date(2025, 9, 30, 0, 0, 0, 0, time.UTC), 3)
	fmt.Println(due.Format(time.DateOnly), err)
	// Output: 2025-10-11 <nil>
}
