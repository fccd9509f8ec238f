package task

import (
	"testing"
	"time"
	"unicode/utf8"
)

// FuzzExtract checks Extract never panics, every span lies inside the text
// on rune boundaries, and titles are valid UTF-8.
func FuzzExtract(f *testing.F) {
	for _, s := range []string{
		"@小王 明天下午3点前把报价单发给客户", "@李雷 @韩梅梅 下周五之前整理一下Q3的投放数据，紧急",
		"@bob please send the deck by Friday EOD", "大家月底前提交报销单", "记得周三上午10点开会",
		"谢谢大家，辛苦了", "Can someone review PR 42 tomorrow?", "@a\n1. 明天前提交\n2) 周五前整理",
		"@\xff明天前\xfe", "@所有人", "＠张三 2月30日前", "urgent!!!", "@@@", "请@",
		"@x 抽空看一下这个方案", "我明天请假", "@alice 每周一上午10点提交周报", "大家每月最后一个工作日提交报销单",
		"@kate can you send the invoice by 3pm PST", "@韩梅梅 中秋节后提交Q3复盘", "@李雷 3个工作日内把合同发给法务",
	} {
		f.Add(s, int64(0))
	}
	f.Fuzz(func(t *testing.T, text string, sec int64) {
		now := extractRef.Add(time.Duration(sec%(800*24*3600)) * time.Second)
		opts := ExtractOptions{Now: now, Location: extractShanghai, ResolveMention: func(name string) (string, bool) {
			return "u_" + name, len(name)%2 == 0
		}}
		for _, d := range Extract(text, opts) {
			extractCheckSpans(t, text, d)
			if !utf8.ValidString(d.Title) {
				t.Fatalf("title %q is not valid UTF-8", d.Title)
			}
			if d.Kind != DraftTask && d.Kind != DraftReminder {
				t.Fatalf("kind %v", d.Kind)
			}
			if d.Title == "" && len(d.Spans.Title) > 0 {
				t.Fatalf("empty title from spans %v in %q", d.Spans.Title, text)
			}
		}
	})
}
