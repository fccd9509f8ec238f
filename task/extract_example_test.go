package task_test

import (
	"fmt"
	"time"

	"github.com/workspace-go/workspace/task"
)

// Extract reads a chat message and drafts the task in it; the draft's
// Spec is ready for Service.Create once the user accepts it.
func ExampleExtract() {
	shanghai := time.FixedZone("Asia/Shanghai", 8*3600)
	now := time.Date(2025, 3, 12, 10, 0, 0, 0, shanghai) // a Wednesday
	people := map[string]string{"李雷": "u_lilei", "韩梅梅": "u_hanmeimei"}
	opts := task.ExtractOptions{
		Now:      now,
		Location: shanghai,
		ResolveMention: func(name string) (string, bool) {
			id, ok := people[name]
			return id, ok
		},
	}
	for _, msg := range []string{
		"@李雷 @韩梅梅 下周五之前整理一下Q3的投放数据，紧急",
		"@bob please send the deck by Friday EOD",
		"记得周三上午10点开会",
		"谢谢大家，辛苦了",
	} {
		drafts := task.Extract(msg, opts)
		if len(drafts) == 0 {
			fmt.Printf("%s: no task\n", msg)
			continue
		}
		d := drafts[0]
		fmt.Printf("%s: %s %q assignees=%v unresolved=%v due=%v priority=%v\n",
			msg, d.Kind, d.Title, d.Assignees, d.Unresolved, d.Due, d.Priority)
		fmt.Printf("  due phrase %q\n", msg[d.Spans.Due.Start:d.Spans.Due.End])
	}
	// Output:
	// @李雷 @韩梅梅 下周五之前整理一下Q3的投放数据，紧急: task "整理一下Q3的投放数据" assignees=[u_lilei u_hanmeimei] unresolved=[] due=2025-03-21 Asia/Shanghai priority=high
	//   due phrase "下周五之前"
	// @bob please send the deck by Friday EOD: task "Send the deck" assignees=[] unresolved=[bob] due=2025-03-14 Asia/Shanghai priority=normal
	//   due phrase "by Friday EOD"
	// 记得周三上午10点开会: reminder "开会" assignees=[] unresolved=[] due=2025-03-12 10:00 Asia/Shanghai priority=normal
	//   due phrase "周三上午10点"
	// 谢谢大家，辛苦了: no task
}

// A repeating request gets its first instance as Due and its rule as an
// RRULE; working days and holidays follow the official calendar unless
// ExtractOptions.Workdays says otherwise.
func ExampleExtract_recurrence() {
	shanghai := time.FixedZone("Asia/Shanghai", 8*3600)
	opts := task.ExtractOptions{Now: time.Date(2025, 3, 12, 10, 0, 0, 0, shanghai), Location: shanghai}
	for _, msg := range []string{
		"@alice 每周一上午10点提交周报",
		"@bob please file the timesheet every other Friday",
		"@韩梅梅 中秋节后提交Q3复盘",
		"@李雷 3个工作日内把合同发给法务",
	} {
		d := task.Extract(msg, opts)[0]
		fmt.Printf("%q due=%v rrule=%q\n", d.Title, d.Due, d.Recurrence)
	}
	// Output:
	// "提交周报" due=2025-03-17 10:00 Asia/Shanghai rrule="FREQ=WEEKLY;BYDAY=MO"
	// "File the timesheet" due=2025-03-14 Asia/Shanghai rrule="FREQ=WEEKLY;INTERVAL=2;BYDAY=FR"
	// "提交Q3复盘" due=2025-10-09 Asia/Shanghai rrule=""
	// "把合同发给法务" due=2025-03-17 Asia/Shanghai rrule=""
}
