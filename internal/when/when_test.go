package when

import (
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// ref is Wednesday 2025-03-12 10:00 in Shanghai, the reference of the
// shared due-phrase data.
var (
	shanghai = time.FixedZone("CST", 8*3600)
	ref      = time.Date(2025, 3, 12, 10, 0, 0, 0, shanghai)
)

func format(m Match) string {
	if m.Precision == Day {
		return m.Time.Format("2006-01-02")
	}
	return m.Time.Format("2006-01-02 15:04")
}

func TestFind(t *testing.T) {
	tests := []struct {
		name, text, want, span string
	}{
		{"tomorrow afternoon with a Chinese numeral hour", "明天下午三点", "2025-03-13 15:00", "明天下午三点"},
		{"friday of next calendar week", "下周五", "2025-03-21", "下周五"},
		{"friday of the week after next", "下下周三下午两点", "2025-03-26 14:00", "下下周三下午两点"},
		{"this week's friday", "本周五", "2025-03-14", "本周五"},
		{"a bare weekday is its next occurrence", "周四", "2025-03-13", "周四"},
		{"today's weekday is today", "周三", "2025-03-12", "周三"},
		{"a weekday with 星期", "星期五下午五点", "2025-03-14 17:00", "星期五下午五点"},
		{"a weekday with 礼拜", "礼拜天", "2025-03-16", "礼拜天"},
		{"end of month", "月底前", "2025-03-31", "月底"},
		{"end of year", "年底", "2025-12-31", "年底"},
		{"start of month rolls to next month", "月初", "2025-04-01", "月初"},
		{"end of next month", "下个月底", "2025-04-30", "下个月底"},
		{"month and day", "3月20号下午2点半", "2025-03-20 14:30", "3月20号下午2点半"},
		{"month and day in Chinese numerals", "四月二十四日", "2025-04-24", "四月二十四日"},
		{"a passed month and day rolls to next year", "3月1日", "2026-03-01", "3月1日"},
		{"full date", "2025年4月1日", "2025-04-01", "2025年4月1日"},
		{"a day of the month", "20号之前", "2025-03-20", "20号"},
		{"a passed day of the month rolls to next month", "5号", "2025-04-05", "5号"},
		{"a day of next month", "下个月5号", "2025-04-05", "下个月5号"},
		{"days later", "两天后", "2025-03-14", "两天后"},
		{"within days", "3天内", "2025-03-15", "3天内"},
		{"half an hour later", "半小时后", "2025-03-12 10:30", "半小时后"},
		{"tonight at eight", "今晚8点", "2025-03-12 20:00", "今晚8点"},
		{"tomorrow morning", "明早9点", "2025-03-13 09:00", "明早9点"},
		{"minutes in Chinese", "明天8点十五分", "2025-03-13 08:15", "明天8点十五分"},
		{"colon time after a period", "明天下午5:30", "2025-03-13 17:30", "明天下午5:30"},
		{"a passed bare time rolls to tomorrow", "上午9点", "2025-03-13 09:00", "上午9点"},
		{"a passed explicit day does not roll", "今天上午9点", "2025-03-12 09:00", "今天上午9点"},
		{"a bare afternoon hour", "3点前", "2025-03-12 15:00", "3点"},
		{"a period without a clock is day precision", "下周一上午", "2025-03-17", "下周一上午"},
		{"leave work is end of day", "本周五下班前", "2025-03-14", "本周五下班"},
		{"traditional characters", "後天", "2025-03-14", "後天"},
		{"holiday", "国庆前", "2025-10-01", "国庆"},
		{"english tomorrow at 3pm", "tomorrow at 3pm", "2025-03-13 15:00", "tomorrow at 3pm"},
		{"english next weekday is next week's", "next Friday 5pm", "2025-03-21 17:00", "next Friday 5pm"},
		{"english bare weekday", "Friday", "2025-03-14", "Friday"},
		{"english coming weekday", "the coming Wednesday", "2025-03-19", "the coming Wednesday"},
		{"english in days", "in 2 days", "2025-03-14", "in 2 days"},
		{"english number words", "in two weeks", "2025-03-26", "in two weeks"},
		{"english end of month", "end of month", "2025-03-31", "end of month"},
		{"english month day time", "Mar 20 at 2:30pm", "2025-03-20 14:30", "Mar 20 at 2:30pm"},
		{"english day month", "24 April 2026", "2026-04-24", "24 April 2026"},
		{"english ordinal day", "on the 18th", "2025-03-18", "the 18th"},
		{"english slash date", "4/24", "2025-04-24", "4/24"},
		{"english iso date", "2025-04-01", "2025-04-01", "2025-04-01"},
		{"english eod", "Friday EOD", "2025-03-14", "Friday EOD"},
		{"english eow", "EOW", "2025-03-14", "EOW"},
		{"english noon", "Thursday noon", "2025-03-13 12:00", "Thursday noon"},
		{"english tonight is day precision", "tonight", "2025-03-12", "tonight"},
		{"english in hours", "in 3 hours", "2025-03-12 13:00", "in 3 hours"},
		{"english next week is its monday", "next week", "2025-03-17", "next week"},
		{"english weekday of next week", "wednesday of next week", "2025-03-19", "wednesday of next week"},
		{"english offset from a day", "3 days from tomorrow", "2025-03-16", "3 days from tomorrow"},
		{"english word time", "tomorrow at five thirty", "2025-03-13 17:30", "tomorrow at five thirty"},
		{"easter", "easter", "2025-04-20", "easter"},
		{"text around", "please send it by tomorrow 3pm thanks", "2025-03-13 15:00", "tomorrow 3pm"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ms := Find(tt.text, ref, shanghai)
			if len(ms) == 0 {
				t.Fatalf("Find(%q) found nothing, want %s", tt.text, tt.want)
			}
			m := ms[0]
			if got := format(m); got != tt.want {
				t.Errorf("Find(%q) = %s, want %s", tt.text, got, tt.want)
			}
			if got := tt.text[m.Start:m.End]; got != tt.span {
				t.Errorf("Find(%q) span = %q, want %q", tt.text, got, tt.span)
			}
		})
	}
}

func TestFindNothing(t *testing.T) {
	for _, text := range []string{
		"", "谢谢大家，辛苦了", "收到", "快一点", "Can someone review PR 42?", "The sun sat on the wall",
		"version 1.2.3", "我们有2个人", "call 13812345678", "ok sounds good", "2月30日", "2019年2月29日",
		"first things first", "周报", "\xff\xfe\xfd", "我有三点建议", "提两点意见",
	} {
		t.Run(text, func(t *testing.T) {
			if ms := Find(text, ref, shanghai); len(ms) != 0 {
				t.Errorf("Find(%q) = %q at %d, want nothing", text, text[ms[0].Start:ms[0].End], ms[0].Start)
			}
		})
	}
}

func TestLeapDayRollsToNextLeapYear(t *testing.T) {
	m, ok := Parse("2月29日", ref, shanghai)
	if !ok {
		t.Fatal("Parse(2月29日) found nothing")
	}
	if got, want := format(m), "2028-02-29"; got != want {
		t.Errorf("Parse(2月29日) = %s, want %s", got, want)
	}
}

func TestParseRejectsTrailingText(t *testing.T) {
	if _, ok := Parse("明天 hello", ref, shanghai); ok {
		t.Error("Parse accepted trailing text")
	}
	if _, ok := Parse(" 明天 ", ref, shanghai); !ok {
		t.Error("Parse rejected surrounding spaces")
	}
}

func TestNilLocationUsesNowsLocation(t *testing.T) {
	m, ok := Parse("明天下午3点", ref, nil)
	if !ok {
		t.Fatal("found nothing")
	}
	if got, want := m.Time, time.Date(2025, 3, 13, 15, 0, 0, 0, shanghai); !got.Equal(want) {
		t.Errorf("got %v, want %v", got, want)
	}
}

func TestLongTextIsScannedFully(t *testing.T) {
	text := strings.Repeat("这是一段很长的文字 some filler text ", 3000) + "明天"
	ms := Find(text, ref, shanghai)
	if len(ms) != 1 || text[ms[0].Start:] != "明天" {
		t.Fatalf("Find on long text = %v, want the final 明天", ms)
	}
}

func TestNextDoesNotAllocate(t *testing.T) {
	text := "@小王 明天下午3点前把报价单发给客户"
	allocs := testing.AllocsPerRun(100, func() { Next(text, 0, ref, shanghai) })
	if allocs != 0 {
		t.Errorf("Next allocated %v times, want 0", allocs)
	}
}

func FuzzNext(f *testing.F) {
	for _, s := range []string{"明天下午三点", "下下周三", "3月20号下午2点半", "next Friday 5pm", "in 2 days",
		"2025-04-01", "4/24", "end of tomorrow", "20200701", "\xff明天", "周五前", "thirty-six", "12 December 27",
		"中秋节后", "腊月二十三", "农历八月十五", "下个月第二个周三", "the last Friday of March", "3pm PST", "9:00 UTC+8",
		"北京时间下午3点", "8 tonight", "15h30", "3 15 pm", "差五分四点", "聽日三點個字", "3个工作日内", "within 2 business days",
		"每周一上午10点", "每月最后一个工作日", "every other Friday", "every weekday at 9", "Thu, Sep 4", "2 Fridays from now"} {
		f.Add(s, int64(0))
	}
	f.Fuzz(func(t *testing.T, text string, sec int64) {
		now := ref.Add(time.Duration(sec%(400*24*3600)) * time.Second)
		last := 0
		// Rune boundaries as a decoder walks the text (an invalid byte is a
		// rune of its own).
		bound := make([]bool, len(text)+1)
		for i := 0; i < len(text); {
			bound[i] = true
			_, size := utf8.DecodeRuneInString(text[i:])
			i += size
		}
		bound[len(text)] = true
		for _, m := range Find(text, now, shanghai) {
			if m.Start < last || m.End <= m.Start || m.End > len(text) {
				t.Fatalf("bad span [%d,%d) after %d in %q", m.Start, m.End, last, text)
			}
			if !bound[m.Start] || !bound[m.End] {
				t.Fatalf("span [%d,%d) not on rune boundaries in %q", m.Start, m.End, text)
			}
			if m.Precision != Day && m.Precision != Minute {
				t.Fatalf("precision %v", m.Precision)
			}
			last = m.End
		}
	})
}

func TestFindOffsetsAndHolidays(t *testing.T) {
	// Monday 2016-11-07 00:00 UTC, as in the Recognizers-Text cases.
	mon := time.Date(2016, 11, 7, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name, text, want string
	}{
		{"an offset counts from a weekday", "3 days from Tuesday", "2016-11-11"},
		{"a weekday before an offset from now is in the week it lands in", "Monday two weeks from now", "2016-11-21"},
		{"a weekday after an offset is in the week it lands in", "in 3 days on Friday", "2016-11-11"},
		{"an offset counts from a month and day", "3 days after January 12th", "2017-01-15"},
		{"an offset before a holiday", "5 days before new year", "2016-12-27"},
		{"next easter", "next easter", "2017-04-16"},
		{"a weekday with a day of the month", "Monday 21", "2016-11-21"},
		{"a weekday with a day of the month that is not this month's", "Friday 21", "2017-04-21"},
		{"half an hour", "in half an hour", "2016-11-07 00:30"},
		{"minutes later", "30 minutes later", "2016-11-07 00:30"},
		{"end of this sunday is that day", "end of this sunday", "2016-11-13"},
		{"a date with a year in words after a month", "Oct 2, 2017", "2017-10-02"},
		{"day first with a year", "23.04.2022 14:55", "2022-04-23 14:55"},
		{"a compact date", "report-20170302.html", "2017-03-02"},
		{"word clock after a day", "tomorrow at seven twenty-seven", "2016-11-08 19:27"},
		{"a bare hour after at", "Sat at 5", "2016-11-12 17:00"},
		{"chinese holiday", "圣诞节前", "2016-12-25"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ms := Find(tt.text, mon, time.UTC)
			if len(ms) == 0 {
				t.Fatalf("Find(%q) found nothing, want %s", tt.text, tt.want)
			}
			if got := format(ms[0]); got != tt.want {
				t.Errorf("Find(%q) = %s (from %q), want %s", tt.text, got, tt.text[ms[0].Start:ms[0].End], tt.want)
			}
		})
	}
}

func BenchmarkNext(b *testing.B) {
	texts := []string{
		"@小王 明天下午3点前把报价单发给客户",
		"@bob please send the deck by Friday EOD",
		"谢谢大家，辛苦了，今天的发布很顺利",
		"Meeting notes are in the shared folder, have a look when you can",
	}
	b.ReportAllocs()
	n := 0
	for b.Loop() {
		Next(texts[n%len(texts)], 0, ref, shanghai)
		n++
	}
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "texts/s")
}

func TestFindClockWords(t *testing.T) {
	tests := []struct{ text, want string }{
		{"half past three tomorrow", "2025-03-13 15:30"},
		{"quarter to five tomorrow", "2025-03-13 16:45"},
		{"tomorrow 20 past 9 am", "2025-03-13 09:20"},
		{"tomorrow at ten minutes to six pm", "2025-03-13 17:50"},
		{"明天一早", "2025-03-13"},
		{"月中前", "2025-03-15"},
		{"4月中旬", "2025-04-15"},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			ms := Find(tt.text, ref, shanghai)
			if len(ms) == 0 {
				t.Fatalf("Find(%q) found nothing", tt.text)
			}
			if got := format(ms[0]); got != tt.want {
				t.Errorf("Find(%q) = %s, want %s", tt.text, got, tt.want)
			}
		})
	}
	for _, text := range []string{"5 to 10 people", "between 2 to 3 days"} {
		if ms := Find(text, ref, shanghai); len(ms) != 0 {
			t.Errorf("Find(%q) = %q, want nothing", text, text[ms[0].Start:ms[0].End])
		}
	}
}
