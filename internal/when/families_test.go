package when

import (
	"errors"
	"testing"
	"time"
)

// offCalendar is a calendar with weekends and the given days off, to show
// NextWith counts on the calendar it is given.
type offCalendar map[string]bool

func (c offCalendar) AddWorkdays(day time.Time, n int) (time.Time, error) {
	if n < 0 {
		return time.Time{}, errors.New("backwards")
	}
	for n > 0 {
		day = day.AddDate(0, 0, 1)
		if wd := day.Weekday(); wd != time.Saturday && wd != time.Sunday && !c[day.Format(time.DateOnly)] {
			n--
		}
	}
	return day, nil
}

func TestFamilies(t *testing.T) {
	tests := []struct {
		name, text string
		now        time.Time
		want       string // "" for no match
	}{
		{"a lunar festival resolves to its next date", "中秋节", ref, "2025-10-06"},
		{"after a festival is the first working day after its break", "中秋节后", ref, "2025-10-09"},
		{"a fixed-date holiday resolves to its next date", "国庆", ref, "2025-10-01"},
		{"after a fixed-date holiday is the first working day after the break", "国庆后", ref, "2025-10-09"},
		{"a festival past the lunar table resolves to nothing", "春节", time.Date(2100, 12, 1, 0, 0, 0, 0, shanghai), ""},
		{"working days past the official schedule resolve to nothing", "5个工作日内", time.Date(2027, 12, 28, 10, 0, 0, 0, shanghai), ""},
		{"working days inside the schedule resolve", "3个工作日内", time.Date(2027, 12, 20, 10, 0, 0, 0, shanghai), "2027-12-23"},
		{"a month without a fifth Monday resolves to nothing", "the fifth Monday of February", ref, ""},
		{"an n-th weekday of a named month that has passed rolls to next year", "the first Monday of March", ref, "2026-03-02"},
		{"a zone suffix gives the instant in the reference zone", "10am CET", ref, "2025-03-12 17:00"},
		{"a UTC offset with minutes", "9:00 UTC+05:30", ref, "2025-03-12 11:30"},
		{"a lone zone is not an expression", "PST", ref, ""},
		{"a recurrence without a day is not an expression", "每周", ref, ""},
		{"every year without a date is not an expression", "every year", ref, ""},
		{"a weekday with a date it never falls on keeps the date", "Sun, Mar 13", ref, "2025-03-13"},
		{"Cantonese minutes: 三點踏三 is 3:15", "三點踏三", ref, "2025-03-12 15:15"},
		{"Mandarin minutes stay minutes", "三点五分", ref, "2025-03-12 15:05"},
		{"差一刻 is a quarter to", "差一刻五点", ref, "2025-03-12 16:45"},
		{"European 24-hour time", "18h45", ref, "2025-03-12 18:45"},
		{"a bare four-digit number is not a time", "1030", ref, ""},
		{"a range of number words is not a clock", "two to three days", ref, ""},
		{"a range of people is not a clock", "five to ten people", ref, ""},
		{"ten to five is a clock", "ten to five", ref, "2025-03-12 16:50"},
		{"小年轻 is not the little new year", "小年轻", ref, ""},
		{"小年 is the 23rd of the twelfth lunar month", "小年", ref, "2026-02-10"},
		{"every time is not a recurrence", "every time", ref, ""},
		{"每个人 is not a recurrence", "每个人", ref, ""},
		{"three times a week is not a Wednesday", "每周三次", ref, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, ok := Parse(tt.text, tt.now, nil)
			got := ""
			if ok {
				got = format(m)
			}
			if got != tt.want {
				t.Errorf("Parse(%q) = %q, want %q", tt.text, got, tt.want)
			}
			if ok && m.Time.Location() != tt.now.Location() {
				t.Errorf("Parse(%q) is in %v, want the reference zone", tt.text, m.Time.Location())
			}
		})
	}
}

func TestNextWithCalendar(t *testing.T) {
	cal := offCalendar{"2025-03-13": true}
	m, ok := NextWith("下个工作日", 0, ref, nil, cal)
	if !ok || format(m) != "2025-03-14" {
		t.Errorf("NextWith(下个工作日) with Mar 13 off = %v %v, want 2025-03-14", format(m), ok)
	}
	m, ok = Next("下个工作日", 0, ref, nil)
	if !ok || format(m) != "2025-03-13" {
		t.Errorf("Next(下个工作日) on the official calendar = %v %v, want 2025-03-13", format(m), ok)
	}
	// A calendar that fails gives no date rather than a guess.
	if m, ok := NextWith("每月最后一个工作日", 0, ref, nil, offCalendar{}); ok {
		t.Errorf("a failing calendar resolved %q to %v", "每月最后一个工作日", format(m))
	}
}

func TestRepeat(t *testing.T) {
	tests := []struct {
		text string
		want Repeat
	}{
		{"每两周的周五", Repeat{Freq: Weekly, Interval: 2, Weekdays: 1 << 4}},
		{"every weekday at 9", Repeat{Freq: Weekly, Interval: 1, Weekdays: 0x1f}},
		{"每月最后一个工作日", Repeat{Freq: Monthly, Interval: 1, Weekdays: 0x1f, Nth: -1, Workdays: true}},
		{"每月最后一个周五", Repeat{Freq: Monthly, Interval: 1, Weekdays: 1 << 4, Nth: -1}},
		{"every month on the 1st", Repeat{Freq: Monthly, Interval: 1, MonthDay: 1}},
		{"每年3月20日", Repeat{Freq: Yearly, Interval: 1, Month: 3, MonthDay: 20}},
		{"每隔两天", Repeat{Freq: Daily, Interval: 3}},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			m, ok := Parse(tt.text, ref, nil)
			if !ok {
				t.Fatalf("Parse(%q) found nothing", tt.text)
			}
			if m.Repeat != tt.want {
				t.Errorf("Parse(%q).Repeat = %+v, want %+v", tt.text, m.Repeat, tt.want)
			}
		})
	}
}

// TestNextFamiliesDoNotAllocate checks that the new families resolve
// without allocating, working days and zones included.
func TestNextFamiliesDoNotAllocate(t *testing.T) {
	for _, text := range []string{"中秋节后", "腊月二十三", "下个月第二个周三", "3pm PST", "北京时间下午3点",
		"3个工作日内", "within 2 business days", "每月最后一个工作日", "every weekday at 9", "聽日三點個字", "差五分四点"} {
		Next(text, 0, ref, shanghai) // the official calendar loads once
		if allocs := testing.AllocsPerRun(50, func() { Next(text, 0, ref, shanghai) }); allocs != 0 {
			t.Errorf("Next(%q) allocated %v times, want 0", text, allocs)
		}
	}
}
