package task

import (
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// extractRef is Wednesday 2025-03-12 10:00 in Shanghai.
var (
	extractShanghai = time.FixedZone("Asia/Shanghai", 8*3600)
	extractRef      = time.Date(2025, 3, 12, 10, 0, 0, 0, extractShanghai)
	extractOpts     = ExtractOptions{Now: extractRef, Location: extractShanghai}
)

func extractDueString(d Due) string {
	switch d.Precision {
	case PrecisionDay:
		return d.Local().Format("2006-01-02")
	case PrecisionMinute:
		return d.Local().Format("2006-01-02 15:04")
	}
	return ""
}

func extractSpanText(s string, sp Span) string { return s[sp.Start:sp.End] }

func TestExtract(t *testing.T) {
	tests := []struct {
		name      string
		text      string
		kind      DraftKind
		title     string
		assignees []string
		all       bool
		due       string
		deadline  bool
		priority  Priority
		dueSpan   string
		prioSpans []string
	}{
		{
			name: "a mention with a deadline tomorrow afternoon is a task",
			text: "@小王 明天下午3点前把报价单发给客户", kind: DraftTask, title: "把报价单发给客户",
			assignees: []string{"小王"}, due: "2025-03-13 15:00", deadline: true, dueSpan: "明天下午3点前",
		},
		{
			name: "two mentions, next week's friday and urgency",
			text: "@李雷 @韩梅梅 下周五之前整理一下Q3的投放数据，紧急", kind: DraftTask, title: "整理一下Q3的投放数据",
			assignees: []string{"李雷", "韩梅梅"}, due: "2025-03-21", deadline: true, priority: PriorityHigh,
			dueSpan: "下周五之前", prioSpans: []string{"紧急"},
		},
		{
			name: "english request by friday end of day",
			text: "@bob please send the deck by Friday EOD", kind: DraftTask, title: "Send the deck",
			assignees: []string{"bob"}, due: "2025-03-14", deadline: true, dueSpan: "by Friday EOD",
		},
		{
			name: "everyone by the end of the month",
			text: "大家月底前提交报销单", kind: DraftTask, title: "提交报销单",
			all: true, due: "2025-03-31", deadline: true, dueSpan: "月底前",
		},
		{
			name: "a reminder to self names the time of a meeting",
			text: "记得周三上午10点开会", kind: DraftReminder, title: "开会",
			due: "2025-03-12 10:00", dueSpan: "周三上午10点",
		},
		{
			name: "a question asking someone is a task without an assignee",
			text: "Can someone review PR 42 tomorrow?", kind: DraftTask, title: "Review PR 42",
			due: "2025-03-13", dueSpan: "tomorrow",
		},
		{
			name: "@所有人 addresses everyone",
			text: "@所有人 本周五下班前填写周报", kind: DraftTask, title: "填写周报",
			all: true, due: "2025-03-14", deadline: true, dueSpan: "本周五下班前",
		},
		{
			name: "shouting marks urgency",
			text: "@kate urgent!! the client needs the invoice by 5pm today", kind: DraftTask,
			title: "The client needs the invoice", assignees: []string{"kate"}, due: "2025-03-12 17:00",
			deadline: true, priority: PriorityHigh, dueSpan: "by 5pm today", prioSpans: []string{"urgent", "!!"},
		},
		{
			name: "asap without a due",
			text: "@carol ASAP: fix the landing page typo", kind: DraftTask, title: "Fix the landing page typo",
			assignees: []string{"carol"}, priority: PriorityHigh, prioSpans: []string{"ASAP"},
		},
		{
			name: "politeness before the mention",
			text: "请@黄磊 年底前完成系统迁移", kind: DraftTask, title: "完成系统迁移",
			assignees: []string{"黄磊"}, due: "2025-12-31", deadline: true, dueSpan: "年底前",
		},
		{
			name: "repeated mentions are assigned once",
			text: "@bob @bob please fix the build", kind: DraftTask, title: "Fix the build",
			assignees: []string{"bob"},
		},
		{
			name: "an impossible date gives no due and stays in the title",
			text: "@王芳 请2月30日前完成供应商对账", kind: DraftTask, title: "2月30日前完成供应商对账",
			assignees: []string{"王芳"},
		},
		{
			name: "an explicit day in the past stays in the past",
			text: "@张伟 今天上午9点前确认合同", kind: DraftTask, title: "确认合同",
			assignees: []string{"张伟"}, due: "2025-03-12 09:00", deadline: true, dueSpan: "今天上午9点前",
		},
		{
			name: "a passed clock time without a day rolls to tomorrow",
			text: "@张伟 上午9点前确认合同", kind: DraftTask, title: "确认合同",
			assignees: []string{"张伟"}, due: "2025-03-13 09:00", deadline: true, dueSpan: "上午9点前",
		},
		{
			name: "辛苦 before a request is politeness, not thanks",
			text: "@Amy 辛苦明天把发票寄出", kind: DraftTask, title: "把发票寄出",
			assignees: []string{"Amy"}, due: "2025-03-13", dueSpan: "明天",
		},
		{
			name: "a within phrase is a deadline",
			text: "@王五 这周内把数据核对完", kind: DraftTask, title: "把数据核对完",
			assignees: []string{"王五"}, due: "2025-03-14", deadline: true, dueSpan: "这周内",
		},
		{
			name: "a preposition left before the due phrase is dropped from the title",
			text: "@jack remember to book the flight for next Tuesday", kind: DraftTask, title: "Book the flight",
			assignees: []string{"jack"}, due: "2025-03-18", dueSpan: "next Tuesday",
		},
		{
			name: "a trailing pls is dropped from the title",
			text: "@david, need this done by EOW pls", kind: DraftTask, title: "Need this done",
			assignees: []string{"david"}, due: "2025-03-14", deadline: true, dueSpan: "by EOW",
		},
		{
			name: "a chinese name run into the text ends before the date",
			text: "@小王明天下午3点前把报价单发给客户", kind: DraftTask, title: "把报价单发给客户",
			assignees: []string{"小王"}, due: "2025-03-13 15:00", deadline: true, dueSpan: "明天下午3点前",
		},
		{
			name: "a chinese name run into the text ends before a request word",
			text: "@张伟麻烦确认一下合同条款", kind: DraftTask, title: "确认一下合同条款",
			assignees: []string{"张伟"},
		},
		{
			name: "a greeting before the request is not part of the title",
			text: "Hi team, please send the report by Friday.", kind: DraftTask, title: "Send the report",
			due: "2025-03-14", deadline: true, dueSpan: "by Friday",
		},
		{
			name: "a chinese greeting before the request is not part of the title",
			text: "各位好，请周五前提交周报", kind: DraftTask, title: "提交周报",
			all: true, due: "2025-03-14", deadline: true, dueSpan: "周五前",
		},
		{
			name: "an explicit todo marker is enough",
			text: "todo: clean up the backlog", kind: DraftTask, title: "Clean up the backlog",
		},
		{
			name: "asking who can do it is a request to anyone",
			text: "这周五之前谁能帮我看一下合同？", kind: DraftTask, title: "看一下合同",
			due: "2025-03-14", deadline: true, dueSpan: "这周五之前",
		},
		{
			name: "the deadline phrase wins over an earlier date",
			text: "@lee the 3/20 launch: please send the notes before Friday", kind: DraftTask,
			title: "The 3/20 launch: please send the notes", assignees: []string{"lee"}, due: "2025-03-14",
			deadline: true, dueSpan: "before Friday",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ds := Extract(tt.text, extractOpts)
			if len(ds) != 1 {
				t.Fatalf("Extract(%q) = %d drafts, want 1", tt.text, len(ds))
			}
			d := ds[0]
			if d.Kind != tt.kind {
				t.Errorf("Kind = %v, want %v", d.Kind, tt.kind)
			}
			if d.Title != tt.title {
				t.Errorf("Title = %q, want %q", d.Title, tt.title)
			}
			if !slices.Equal(d.Assignees, tt.assignees) {
				t.Errorf("Assignees = %q, want %q", d.Assignees, tt.assignees)
			}
			if d.All != tt.all {
				t.Errorf("All = %v, want %v", d.All, tt.all)
			}
			if got := extractDueString(d.Due); got != tt.due {
				t.Errorf("Due = %q, want %q", got, tt.due)
			}
			if d.DueIsDeadline != tt.deadline {
				t.Errorf("DueIsDeadline = %v, want %v", d.DueIsDeadline, tt.deadline)
			}
			if d.Priority != tt.priority {
				t.Errorf("Priority = %v, want %v", d.Priority, tt.priority)
			}
			if got := extractSpanText(tt.text, d.Spans.Due); got != tt.dueSpan {
				t.Errorf("due span = %q, want %q", got, tt.dueSpan)
			}
			var prio []string
			for _, sp := range d.Spans.Priority {
				prio = append(prio, extractSpanText(tt.text, sp))
			}
			if !slices.Equal(prio, tt.prioSpans) {
				t.Errorf("priority spans = %q, want %q", prio, tt.prioSpans)
			}
			if d.Due.Precision != 0 && d.Due.Location != "Asia/Shanghai" {
				t.Errorf("Due.Location = %q, want Asia/Shanghai", d.Due.Location)
			}
		})
	}
}

func TestExtractNotATask(t *testing.T) {
	for _, text := range []string{
		"谢谢大家，辛苦了", "收到", "会议纪要已经发到群里了", "Thanks everyone for the great work this week!",
		"今天天气不错", "好的，我马上处理", "ok sounds good", "哈哈哈哈", "Meeting notes are in the shared folder",
		"下午的会议取消了", "Who is joining the lunch today?", "这个方案挺好的，大家觉得呢", "@bob thanks!", "",
		"   \n\n  ", "@alice", "@bob @carol", "I think we should ship it next week", "@mike great job on the launch",
	} {
		t.Run(text, func(t *testing.T) {
			if ds := Extract(text, extractOpts); len(ds) != 0 {
				t.Errorf("Extract(%q) = %+v, want no drafts", text, ds)
			}
		})
	}
}

func TestExtractResolvesMentions(t *testing.T) {
	people := map[string]string{"小王": "u_wang", "张伟": "u_zhang", "bob": "u_bob"}
	opts := extractOpts
	opts.ResolveMention = func(name string) (string, bool) {
		id, ok := people[name]
		return id, ok
	}
	t.Run("known names become user ids and unknown ones are reported", func(t *testing.T) {
		text := "@小王 @路人甲 明天前把报价单发给客户"
		ds := Extract(text, opts)
		if len(ds) != 1 {
			t.Fatalf("got %d drafts, want 1", len(ds))
		}
		d := ds[0]
		if want := []string{"u_wang"}; !slices.Equal(d.Assignees, want) {
			t.Errorf("Assignees = %q, want %q", d.Assignees, want)
		}
		if want := []string{"路人甲"}; !slices.Equal(d.Unresolved, want) {
			t.Errorf("Unresolved = %q, want %q", d.Unresolved, want)
		}
		if len(d.Mentions) != 2 || d.Mentions[1].UserID != "" || extractSpanText(text, d.Mentions[1].Span) != "@路人甲" {
			t.Errorf("Mentions = %+v, want the second unresolved over @路人甲", d.Mentions)
		}
	})
	t.Run("a name run into the text is matched by its longest known prefix", func(t *testing.T) {
		text := "@张伟麻烦今天下午5点前确认一下合同条款"
		ds := Extract(text, opts)
		if len(ds) != 1 {
			t.Fatalf("got %d drafts, want 1", len(ds))
		}
		if want := []string{"u_zhang"}; !slices.Equal(ds[0].Assignees, want) {
			t.Errorf("Assignees = %q, want %q", ds[0].Assignees, want)
		}
		if got, want := ds[0].Title, "确认一下合同条款"; got != want {
			t.Errorf("Title = %q, want %q", got, want)
		}
	})
	t.Run("mentions resolving to nobody leave no assignee", func(t *testing.T) {
		ds := Extract("@ghost please fix the build", opts)
		if len(ds) != 1 {
			t.Fatalf("got %d drafts, want 1", len(ds))
		}
		if len(ds[0].Assignees) != 0 || !slices.Equal(ds[0].Unresolved, []string{"ghost"}) {
			t.Errorf("Assignees = %q, Unresolved = %q; want none and [ghost]", ds[0].Assignees, ds[0].Unresolved)
		}
	})
	t.Run("an e-mail address is not a mention", func(t *testing.T) {
		ds := Extract("please email bob@example.com the deck tomorrow", opts)
		if len(ds) != 1 || len(ds[0].Mentions) != 0 {
			t.Errorf("Extract = %+v, want one draft without mentions", ds)
		}
	})
}

func TestExtractList(t *testing.T) {
	text := "@李雷 @韩梅梅\n1. 明天前提交周报\n2. 周五前整理投放数据\n3、下周一上午开复盘会"
	ds := Extract(text, extractOpts)
	if len(ds) != 3 {
		t.Fatalf("got %d drafts, want 3: %+v", len(ds), ds)
	}
	wantTitles := []string{"提交周报", "整理投放数据", "开复盘会"}
	wantDues := []string{"2025-03-13", "2025-03-14", "2025-03-17"}
	for i, d := range ds {
		if d.Title != wantTitles[i] {
			t.Errorf("draft %d Title = %q, want %q", i, d.Title, wantTitles[i])
		}
		if got := extractDueString(d.Due); got != wantDues[i] {
			t.Errorf("draft %d Due = %q, want %q", i, got, wantDues[i])
		}
		if want := []string{"李雷", "韩梅梅"}; !slices.Equal(d.Assignees, want) {
			t.Errorf("draft %d Assignees = %q, want %q", i, d.Assignees, want)
		}
	}
}

func TestExtractOptionDefaults(t *testing.T) {
	t.Run("a nil location means UTC", func(t *testing.T) {
		ds := Extract("@bob please send the deck tomorrow 3pm", ExtractOptions{Now: extractRef})
		if len(ds) != 1 {
			t.Fatalf("got %d drafts, want 1", len(ds))
		}
		// 10:00 in Shanghai is 02:00 UTC on the same day.
		if got, want := ds[0].Due.Time, time.Date(2025, 3, 13, 15, 0, 0, 0, time.UTC); !got.Equal(want) {
			t.Errorf("Due.Time = %v, want %v", got, want)
		}
		if ds[0].Due.Location != "" {
			t.Errorf("Due.Location = %q, want UTC (empty)", ds[0].Due.Location)
		}
	})
	t.Run("a zero now means the current time", func(t *testing.T) {
		ds := Extract("@bob please send the deck in 2 days", ExtractOptions{})
		if len(ds) != 1 || ds[0].Due.IsZero() {
			t.Fatalf("Extract = %+v, want one draft with a due", ds)
		}
		if ds[0].Due.Time.Before(time.Now().Add(24 * time.Hour)) {
			t.Errorf("Due = %v, want at least a day ahead of now", ds[0].Due)
		}
	})
}

func TestExtractDraftSpec(t *testing.T) {
	ds := Extract("@小王 明天下午3点前把报价单发给客户，紧急", extractOpts)
	if len(ds) != 1 {
		t.Fatalf("got %d drafts, want 1", len(ds))
	}
	sp := ds[0].Spec()
	if sp.Title != "把报价单发给客户" || !slices.Equal(sp.Assignees, []string{"小王"}) || sp.Priority != PriorityHigh ||
		extractDueString(sp.Due) != "2025-03-13 15:00" {
		t.Errorf("Spec() = %+v", sp)
	}
}

func TestExtractBadInput(t *testing.T) {
	t.Run("invalid UTF-8 does not break spans", func(t *testing.T) {
		text := "@小王\xff 明天\xfe下午3点前把\x80报价单发给客户"
		for _, d := range Extract(text, extractOpts) {
			extractCheckSpans(t, text, d)
			if !utf8.ValidString(d.Title) {
				t.Errorf("Title %q is not valid UTF-8", d.Title)
			}
		}
	})
	t.Run("100 KB of text is read in reasonable time", func(t *testing.T) {
		text := strings.Repeat("随便聊聊 just chatting here, nothing to do. ", 2500) + "@bob please send the deck by Friday"
		if len(text) < 100<<10 {
			t.Fatalf("text is %d bytes, want 100 KB", len(text))
		}
		start := time.Now()
		ds := Extract(text, extractOpts)
		if el := time.Since(start); el > 10*time.Second { // generous: -race on a shared machine; quadratic would take minutes
			t.Errorf("Extract took %v on 100 KB", el)
		}
		if len(ds) != 1 || extractDueString(ds[0].Due) != "2025-03-14" {
			t.Errorf("Extract on 100 KB = %d drafts, want 1 due Friday", len(ds))
		}
	})
	t.Run("100 KB of repeated cues is read in reasonable time", func(t *testing.T) {
		for _, unit := range []string{"@a ", "急", "明天", "请@张三 明天前", "!!", "the ", "1. "} {
			text := strings.Repeat(unit, (100<<10)/len(unit))
			start := time.Now()
			ds := Extract(text, extractOpts)
			if el := time.Since(start); el > 10*time.Second {
				t.Errorf("Extract on %q repeated took %v", unit, el)
			}
			for _, d := range ds {
				extractCheckSpans(t, text, d)
			}
		}
	})
	t.Run("a long list stops at the draft limit", func(t *testing.T) {
		text := strings.Repeat("请明天前提交周报\n", 200)
		if got := len(Extract(text, extractOpts)); got != extractMaxDrafts {
			t.Errorf("got %d drafts, want %d", got, extractMaxDrafts)
		}
	})
}

// extractCheckSpans checks every span of d lies inside text on rune
// boundaries (as a decoder walks the text: an invalid byte is a rune of its
// own).
func extractCheckSpans(t *testing.T, text string, d Draft) {
	t.Helper()
	bound := make([]bool, len(text)+1)
	for i := 0; i < len(text); {
		bound[i] = true
		_, size := utf8.DecodeRuneInString(text[i:])
		i += size
	}
	bound[len(text)] = true
	check := func(what string, sp Span) {
		if sp.IsZero() {
			return
		}
		if sp.Start < 0 || sp.End > len(text) || sp.Start > sp.End {
			t.Fatalf("%s span [%d,%d) outside text of %d bytes", what, sp.Start, sp.End, len(text))
		}
		if !bound[sp.Start] || !bound[sp.End] {
			t.Fatalf("%s span [%d,%d) not on rune boundaries in %q", what, sp.Start, sp.End, text)
		}
	}
	check("text", d.Spans.Text)
	check("all", d.Spans.All)
	check("due", d.Spans.Due)
	check("cue", d.Spans.Cue)
	for _, sp := range d.Spans.Title {
		check("title", sp)
	}
	for _, sp := range d.Spans.Priority {
		check("priority", sp)
	}
	for _, m := range d.Mentions {
		check("mention", m.Span)
	}
}

func TestExtractReminderIsAssignedToSelf(t *testing.T) {
	opts := extractOpts
	opts.Self = "u_me"
	ds := Extract("记得周三上午10点开会", opts)
	if len(ds) != 1 {
		t.Fatalf("got %d drafts, want 1", len(ds))
	}
	if ds[0].Kind != DraftReminder || !slices.Equal(ds[0].Assignees, []string{"u_me"}) {
		t.Errorf("Kind = %v, Assignees = %q; want reminder for [u_me]", ds[0].Kind, ds[0].Assignees)
	}
	ds = Extract("@bob please fix the build", opts)
	if len(ds) != 1 || !slices.Equal(ds[0].Assignees, []string{"bob"}) {
		t.Errorf("a task for bob = %+v, want assignees [bob] only", ds)
	}
}
