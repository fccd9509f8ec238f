package task

import (
	"errors"
	"testing"
	"time"
)

func TestExtractRecurrence(t *testing.T) {
	tests := []struct {
		name, text, rule string
		workdays         bool
		due              string
	}{
		{"a weekly report at ten on Mondays", "@alice 每周一上午10点提交周报", "FREQ=WEEKLY;BYDAY=MO", false, "2025-03-17T10:00"},
		{"the last working day of each month", "大家每月最后一个工作日提交报销单", "FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1", true, "2025-03-31"},
		{"every other Friday", "@joe please file the timesheet every other Friday", "FREQ=WEEKLY;INTERVAL=2;BYDAY=FR", false, "2025-03-14"},
		{"a one-off request has no rule", "@bob please send the deck by Friday EOD", "", false, "2025-03-14"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ds := Extract(tt.text, ExtractOptions{Now: extractRef, Location: extractShanghai})
			if len(ds) != 1 {
				t.Fatalf("got %d drafts, want 1", len(ds))
			}
			d := ds[0]
			if d.Recurrence != tt.rule || d.RecurrenceWorkdays != tt.workdays {
				t.Errorf("Recurrence = %q (workdays %v), want %q (%v)", d.Recurrence, d.RecurrenceWorkdays, tt.rule, tt.workdays)
			}
			got := d.Due.Local().Format("2006-01-02")
			if d.Due.Precision == PrecisionMinute {
				got = d.Due.Local().Format("2006-01-02T15:04")
			}
			if got != tt.due {
				t.Errorf("Due = %s, want %s", got, tt.due)
			}
		})
	}
}

// tenantCalendar has weekends and one company day off.
type tenantCalendar struct{ off string }

func (c tenantCalendar) AddWorkdays(day time.Time, n int) (time.Time, error) {
	if n < 0 || n > 100 {
		return time.Time{}, errors.New("out of range")
	}
	for n > 0 {
		day = day.AddDate(0, 0, 1)
		if wd := day.Weekday(); wd != time.Saturday && wd != time.Sunday && day.Format(time.DateOnly) != c.off {
			n--
		}
	}
	return day, nil
}

func TestExtractWorkdays(t *testing.T) {
	text := "@小王 3个工作日内把合同发给法务"
	opts := ExtractOptions{Now: extractRef, Location: extractShanghai}
	ds := Extract(text, opts)
	if len(ds) != 1 || ds[0].Due.Local().Format(time.DateOnly) != "2025-03-17" {
		t.Fatalf("on the official calendar: %+v, want due 2025-03-17", ds)
	}
	opts.Workdays = tenantCalendar{off: "2025-03-14"}
	ds = Extract(text, opts)
	if len(ds) != 1 || ds[0].Due.Local().Format(time.DateOnly) != "2025-03-18" {
		t.Fatalf("with Mar 14 off: %+v, want due 2025-03-18", ds)
	}
	// A calendar that cannot count gives no due, never a guess; the
	// request is still a task.
	opts.Workdays = tenantCalendar{}
	ds = Extract("@小王 请在200个工作日内把合同发给法务", opts)
	if len(ds) != 1 || !ds[0].Due.IsZero() {
		t.Fatalf("with a failing calendar: %+v, want a task without a due", ds)
	}
}

func TestExtractSoftRequestsAndFirstPerson(t *testing.T) {
	tests := []struct {
		text string
		task bool
	}{
		{"@x 抽空看一下这个方案", true},
		{"@x take a look at the deck when you can", true},
		{"抽空看一下这个方案", false}, // soft, and addressed to nobody
		{"我明天请假", false},
		{"我今天下午请了半天假", false},
		{"I'm out of office tomorrow", false},
		{"请明天上午把报告发我", true}, // 请 as a request is still one
		{"@小王 请假条明天前交给我", true},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			got := len(Extract(tt.text, ExtractOptions{Now: extractRef, Location: extractShanghai})) > 0
			if got != tt.task {
				t.Errorf("Extract(%q) is a task: %v, want %v", tt.text, got, tt.task)
			}
		})
	}
}
