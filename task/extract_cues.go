package task

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// extractCues is what the words of a line say about it being a request.
type extractCues struct {
	score    int
	request  bool // a request word: 请, please, can you
	reminder bool // a note to self: 记得, remember to
	question bool
	soft     bool // a soft request: 抽空, when you can; a request only when addressed
	cue      Span // the first request word
}

// Chinese cues are matched as substrings, English ones as words.
var (
	extractZhRequest  = [...]string{"请", "麻烦", "记得", "記得", "别忘了", "別忘了", "别忘记", "不要忘记", "务必", "務必", "帮忙", "幫忙", "帮我", "幫我", "需要", "提醒", "安排一下", "要求", "抓紧", "赶紧", "辛苦", "谁能", "谁可以", "有人能", "待办", "待辦"}
	extractZhReminder = [...]string{"记得", "記得", "别忘了", "別忘了", "别忘记", "不要忘记", "提醒我", "提醒一下自己"}
	extractZhVerb     = [...]string{"把", "提交", "完成", "确认", "確認", "整理", "发给", "發給", "发我", "发一下", "处理", "處理", "跟进", "搞定", "填写", "填一下", "准备", "準備", "回复", "回覆", "上传", "安排", "检查", "檢查", "审核", "审批", "更新", "修复", "修改", "写好", "写一下", "寄出", "联系", "通知", "转发", "打印", "预定", "预订", "核对", "对账", "汇报", "提供", "评审", "交给", "做完", "做好", "弄好", "看一下", "看下", "过一下", "跟一下", "同步", "报名", "签字", "盖章", "付款", "报销", "复盘", "发布", "部署", "测试", "写", "交", "发", "做", "改", "填", "签", "订", "买", "查"}
	extractZhNegative = [...]string{"谢谢", "謝謝", "感谢", "感謝", "辛苦了", "辛苦啦", "辛苦大家", "大家辛苦", "收到", "好的", "好嘞", "哈哈", "嗯嗯", "没问题", "沒問題", "明白", "了解", "我马上", "我來", "我来", "我会", "我會", "我去", "我已", "恭喜", "早上好", "晚安"}
	// Soft requests: a request when addressed to someone ("@x 抽空看一下").
	extractZhSoft = [...]string{"抽空", "有空", "得空", "有时间", "有時間", "方便的时候", "方便时", "方便的話", "方便的话", "空了", "闲了", "有机会", "顺手", "順手", "看看", "瞄一眼", "过目", "過目"}
	extractZhPast = [...]string{"已经", "已經", "已", "取消了", "完成了", "搞定了", "发了", "結束了", "结束了", "过了"}

	extractEnRequest = [...]string{"please", "pls", "plz", "kindly", "can you", "could you", "would you", "can someone", "could someone", "can anyone", "could anyone", "someone please", "need to", "needs to", "need the", "needs the", "need you", "need someone", "make sure", "remember to", "don't forget", "dont forget", "do not forget", "todo", "to-do", "to do:", "action item", "let's", "lets", "remind", "follow up", "assigned to", "must", "can u", "could u"}
	// Explicit task markers are enough on their own.
	extractZhExplicit = [...]string{"待办", "待辦", "任务：", "任务:"}
	extractEnExplicit = [...]string{"todo", "to-do", "to do:", "action item", "action required"}
	extractEnReminder = [...]string{"remember to", "don't forget", "dont forget", "do not forget", "remind me", "reminder", "note to self"}
	extractEnVerb     = [...]string{"send", "review", "fix", "update", "finalize", "finalise", "prepare", "submit", "check", "write", "call", "email", "reply", "renew", "upload", "book", "schedule", "organize", "organise", "draft", "finish", "complete", "file", "sign", "approve", "deploy", "test", "share", "confirm", "collect", "pay", "print", "order", "contact", "publish", "merge", "ship", "deliver", "post", "fill"}
	extractEnNegative = [...]string{"thanks", "thank you", "thx", "ty", "ok", "okay", "got it", "sounds good", "great work", "good job", "well done", "lol", "noted", "will do", "i'll", "i will", "i'm", "i am", "out of office", "ooo", "on leave", "i'm on it", "on it", "congrats", "congratulations", "good morning", "good night"}
	extractEnSoft     = [...]string{"when you can", "when you get a chance", "when you have a moment", "when you have time", "when you get a sec", "when you're free", "at your convenience", "take a look", "have a look", "glance at", "look at", "look into", "look over", "go over", "think about", "weigh in"}
	extractEnPast     = [...]string{"is in", "are in", "was", "were", "has been", "have been", "already", "done", "cancelled", "canceled"}
)

// Cue kinds.
const (
	extractCueRequest uint8 = 1 << iota
	extractCueReminder
	extractCueVerb
	extractCueNegative
	extractCuePast
	extractCueExplicit
	extractCueSoft
)

type extractCue struct {
	w     string
	kinds uint8
}

// The cue tables indexed for one pass over a line: English by first
// letter, Chinese by first rune.
var (
	extractEnCues [26][]extractCue
	extractZhCues = map[rune][]extractCue{}
)

func init() {
	addEn := func(kind uint8, ws []string) {
		for _, w := range ws {
			k := w[0] - 'a'
			extractEnCues[k] = append(extractEnCues[k], extractCue{w, kind})
		}
	}
	addZh := func(kind uint8, ws []string) {
		for _, w := range ws {
			r, _ := utf8.DecodeRuneInString(w)
			extractZhCues[r] = append(extractZhCues[r], extractCue{w, kind})
		}
	}
	addEn(extractCueRequest, extractEnRequest[:])
	addEn(extractCueReminder, extractEnReminder[:])
	addEn(extractCueVerb, extractEnVerb[:])
	addEn(extractCueNegative, extractEnNegative[:])
	addEn(extractCuePast, extractEnPast[:])
	addEn(extractCueExplicit, extractEnExplicit[:])
	addEn(extractCueSoft, extractEnSoft[:])
	addZh(extractCueSoft, extractZhSoft[:])
	addZh(extractCueRequest, extractZhRequest[:])
	addZh(extractCueReminder, extractZhReminder[:])
	addZh(extractCueVerb, extractZhVerb[:])
	addZh(extractCueNegative, extractZhNegative[:])
	addZh(extractCuePast, extractZhPast[:])
	addZh(extractCueExplicit, extractZhExplicit[:])
}

// extractScore scores text[ls:le] for the words that make a request, in
// one pass over the line.
func extractScore(s string, ls, le int) extractCues {
	var c extractCues
	var kinds uint8
	for i := ls; i < le; {
		b := s[i]
		if b < utf8.RuneSelf {
			switch {
			case b == '?':
				c.question = true
			case isASCIILetter(b) && (i == ls || !extractIsWord(s[i-1]) || s[i-1] == '.'):
				for _, cue := range extractEnCues[(b|0x20)-'a'] {
					e := i + len(cue.w)
					if e > le || !extractEqualFold(s[i:e], cue.w) || e < le && extractIsWord(s[e]) && s[e] != '.' {
						continue
					}
					kinds |= cue.kinds
					if cue.kinds&extractCueRequest != 0 && c.cue.IsZero() {
						c.cue = Span{i, e}
					}
				}
				for i < le && extractIsWord(s[i]) {
					i++
				}
				continue
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:le])
		switch r {
		case '？', '吗', '呢', '嗎':
			c.question = true
		}
		for _, cue := range extractZhCues[r] {
			if !strings.HasPrefix(s[i:le], cue.w) {
				continue
			}
			if r == '请' && len(cue.w) == len("请") && extractNotPlease(s, ls, i+len(cue.w), le) {
				continue
			}
			kinds |= cue.kinds
			if cue.kinds&extractCueRequest != 0 && c.cue.IsZero() {
				c.cue = Span{i, i + len(cue.w)}
			}
		}
		i += size
	}
	c.request = kinds&extractCueRequest != 0
	c.reminder = kinds&extractCueReminder != 0
	c.soft = kinds&extractCueSoft != 0
	if c.request {
		c.score += 2
	}
	if kinds&extractCueVerb != 0 {
		c.score++
	}
	if kinds&extractCueExplicit != 0 {
		c.score++
	}
	if kinds&extractCueNegative != 0 {
		c.score -= 2
	}
	if kinds&extractCuePast != 0 {
		c.score--
	}
	return c
}

// extractNotPlease reports a 请 that is part of a word, not a request:
// 请假 (leave), 请客 (treat), 申请 (apply), 邀请 (invite).
func extractNotPlease(s string, ls, e, le int) bool {
	if e > le || e-len("请") < ls {
		return false
	}
	for _, w := range [...]string{"客", "柬"} {
		if strings.HasPrefix(s[e:le], w) {
			return true
		}
	}
	// 请假, 请了半天假, 请个病假: 假 within the next four characters.
	for k, n := e, 0; k < le && n < 5; n++ {
		r, size := utf8.DecodeRuneInString(s[k:le])
		if r == '假' {
			return true
		}
		if r < 0x2E80 || extractTrimRune(r) {
			break
		}
		k += size
	}
	b := e - len("请")
	for _, w := range [...]string{"申", "邀", "聘", "宴"} {
		if b-len(w) >= ls && s[b-len(w):b] == w {
			return true
		}
	}
	return false
}

func isASCIILetter(b byte) bool { return b|0x20 >= 'a' && b|0x20 <= 'z' }

// Politeness and request words taken off the front and back of a title.
var (
	extractLead = [...]string{"请", "麻烦", "帮忙", "帮我", "记得", "記得", "别忘了", "務必", "务必", "提醒", "抓紧", "赶紧", "辛苦", "再",
		"谁能", "谁可以", "有人能", "需要有人", "有人", "待办", "待辦", "任务", "can u", "could u",
		"抽空", "有空的时候", "有空", "得空", "有时间的话", "有时间", "方便的时候", "方便时",
		"please", "pls", "plz", "kindly", "can you", "could you", "would you", "can someone", "could someone",
		"can anyone", "could anyone", "someone", "todo", "to-do", "to do", "action item", "remember to",
		"don't forget to", "dont forget to", "do not forget to", "let's", "lets", "reminder"}
	extractTrail = [...]string{"please", "pls", "plz", "thanks", "thank you", "thx", "谢谢", "謝謝", "哈", "哦", "呀", "啊", "吧", "了",
		// Words left dangling when the due phrase after them is taken out.
		"for", "on", "at", "by", "in", "to", "until", "before", "within", "due", "在", "于",
		"when you can", "when you get a chance", "when you have a moment", "when you have time", "when you're free"}
)

// extractGreet are greetings and vocatives dropped from the front of a
// title when a comma or stop follows them.
var extractGreet = [...]string{"hi", "hello", "hey", "dear", "team", "guys", "folks", "all",
	"大家好", "各位好", "你好", "您好", "各位", "同事们", "同学们", "亲们", "老师", "领导", "好"}

// extractTrimRune reports runes trimmed from the ends of title pieces.
func extractTrimRune(r rune) bool {
	if r == utf8.RuneError {
		return false
	}
	return unicode.IsSpace(r) || unicode.IsPunct(r) || unicode.IsSymbol(r) && r != '$' && r != '¥' && r != '%'
}

// extractTitle builds the title from text[ls:le] minus removed spans.
func extractTitle(s string, ls, le int, removed *extractSpans) (string, []Span) {
	var pieces []Span
	removed.normalize()
	k := 0
	for i := ls; i < le; {
		for k < len(removed.list) && removed.list[k].End <= i {
			k++
		}
		if k < len(removed.list) && removed.list[k].Start <= i {
			i = removed.list[k].End
			continue
		}
		j := le
		if k < len(removed.list) && removed.list[k].Start < le {
			j = removed.list[k].Start
		}
		if sp, ok := extractTrimPiece(s, i, j, len(pieces) == 0); ok {
			pieces = append(pieces, sp)
		}
		i = j
	}
	// Politeness at the very end: "..., thanks".
	for len(pieces) > 0 {
		p := &pieces[len(pieces)-1]
		cut := false
		for _, w := range extractTrail {
			if p.End-p.Start >= len(w) && extractEqualFold(s[p.End-len(w):p.End], w) &&
				(w[0] >= 0x80 || p.End-len(w) == p.Start || !extractIsWord(s[p.End-len(w)-1])) {
				p.End -= len(w)
				cut = true
				break
			}
		}
		if !cut {
			break
		}
		sp, ok := extractTrimPiece(s, p.Start, p.End, false)
		if !ok {
			pieces = pieces[:len(pieces)-1]
			continue
		}
		*p = sp
	}
	if len(pieces) == 0 {
		if sp, ok := extractTrimPiece(s, ls, le, false); ok {
			pieces = append(pieces, sp)
		}
	}
	var b strings.Builder
	for _, p := range pieces {
		if b.Len() > 0 {
			last := b.String()[b.Len()-1]
			if last < utf8.RuneSelf && s[p.Start] < utf8.RuneSelf {
				b.WriteByte(' ')
			}
		}
		extractWriteFolded(&b, s[p.Start:p.End])
	}
	title := b.String()
	if title != "" && title[0] >= 'a' && title[0] <= 'z' {
		title = string(title[0]-'a'+'A') + title[1:]
	}
	return title, pieces
}

// extractWriteFolded writes t with runs of white space folded to one space
// and invalid UTF-8 replaced.
func extractWriteFolded(b *strings.Builder, t string) {
	space := false
	for _, r := range t {
		if unicode.IsSpace(r) {
			space = true
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		b.WriteRune(r)
	}
}

// extractTrimPiece trims punctuation and space off both ends of s[i:j]
// and, for the first piece, leading request words.
func extractTrimPiece(s string, i, j int, lead bool) (Span, bool) {
	for {
		for i < j {
			r, size := utf8.DecodeRuneInString(s[i:j])
			if !extractTrimRune(r) {
				break
			}
			i += size
		}
		if !lead {
			break
		}
		cut := false
		for _, w := range extractLead {
			if j-i >= len(w) && extractEqualFold(s[i:i+len(w)], w) &&
				(w[0] >= 0x80 || i+len(w) == j || !extractIsWord(s[i+len(w)])) {
				if w == "请" && extractNotPlease(s, i, i+len(w), j) {
					continue // 请假条 keeps its 请
				}
				i += len(w)
				cut = true
				break
			}
		}
		// Greetings and vocatives before a comma or stop: "Hi team,",
		// "大家好！", "各位，".
		for _, w := range extractGreet {
			e := i + len(w)
			if cut || j-i < len(w) || !extractEqualFold(s[i:e], w) {
				continue
			}
			if e == j {
				i, cut = e, true
				break
			}
			if r, _ := utf8.DecodeRuneInString(s[e:j]); extractTrimRune(r) && r != ' ' {
				i, cut = e, true
				break
			}
			if w[0] < 0x80 && s[e] == ' ' {
				// "Hi team, ...": a greeting word, then one more word before the stop.
				k := e + 1
				for k < j && extractIsWord(s[k]) {
					k++
				}
				if k > e+1 && k < j {
					if r, _ := utf8.DecodeRuneInString(s[k:j]); r == ',' || r == '!' || r == '，' || r == '！' {
						i, cut = k, true
						break
					}
				}
			}
		}
		if !cut {
			break
		}
	}
	for j > i {
		r, size := utf8.DecodeLastRuneInString(s[i:j])
		if !extractTrimRune(r) {
			break
		}
		j -= size
	}
	return Span{i, j}, j > i
}

// extractEqualFold compares ASCII case-insensitively (the cue words are
// ASCII; other bytes must be equal).
func extractEqualFold(a, b string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := 0; i < len(a); i++ {
		x, y := a[i], b[i]
		if x == y {
			continue
		}
		if x|0x20 != y|0x20 || x|0x20 < 'a' || x|0x20 > 'z' {
			return false
		}
	}
	return true
}
