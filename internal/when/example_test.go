package when_test

import (
	"fmt"
	"time"

	"github.com/workspace-go/workspace/internal/when"
)

func ExampleFind() {
	shanghai := time.FixedZone("CST", 8*3600)
	now := time.Date(2025, 3, 12, 10, 0, 0, 0, shanghai) // Wednesday
	text := "@小王 下周五之前交初稿，明天下午3点先对一下 (or by Friday EOD)"
	for _, m := range when.Find(text, now, shanghai) {
		layout := "2006-01-02 Mon"
		if m.Precision == when.Minute {
			layout = "2006-01-02 Mon 15:04"
		}
		fmt.Printf("%q -> %s (%v)\n", text[m.Start:m.End], m.Time.Format(layout), m.Precision)
	}
	// Output:
	// "下周五" -> 2025-03-21 Fri (day)
	// "明天下午3点" -> 2025-03-13 Thu 15:00 (minute)
	// "Friday EOD" -> 2025-03-14 Fri (day)
}
