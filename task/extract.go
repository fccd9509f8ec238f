package task

import (
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/workspace-go/workspace/internal/when"
)

// ExtractOptions configures [Extract]. The zero value is usable.
type ExtractOptions struct {
	// Now is the reference time relative phrases ("明天", "next Friday")
	// are resolved against. The zero time means time.Now(); pass a fixed
	// time for repeatable results.
	Now time.Time
	// Location is the time zone the message's words mean; nil means UTC.
	// Dues are in this zone and carry its name, so use a zone from
	// time.LoadLocation ("Asia/Shanghai") for a Due that a Service can
	// store.
	Location *time.Location
	// ResolveMention maps a mentioned name (as written, without "@") to a
	// user id. When it is nil every name is kept as its own id. Names it
	// does not know are reported in [Draft.Unresolved], not assigned.
	// A mention runs to the next space or punctuation. One written without
	// a space after it ("@张伟麻烦…") is matched, with a resolver, by its
	// longest resolvable prefix; without one, a Chinese run is cut before
	// the first date phrase or request word in its first five characters
	// (else after three characters when it is longer than six).
	ResolveMention func(name string) (userID string, ok bool)
	// Self is the user id of the message's author, if known. A reminder
	// ("记得…", "remember to…") with nobody mentioned is assigned to Self.
	Self string
	// Workdays is the tenant's work calendar, counting the working days of
	// "3个工作日内", "下个工作日", "within 2 business days" and "节后" (the
	// first working day after a holiday). nil means the official calendar
	// of mainland China (weekends, public holidays and their swapped
	// working days, for the years its data covers); a phrase whose days the
	// calendar does not know gives no due rather than a guessed one.
	Workdays interface {
		AddWorkdays(day time.Time, n int) (time.Time, error)
	}
}

// DraftKind says what a draft asks for.
type DraftKind uint8

const (
	// DraftTask is work asked of someone: "@小王 明天下午3点前把报价单发给客户".
	DraftTask DraftKind = iota + 1
	// DraftReminder is a note to the writer's own self, with nobody
	// mentioned: "记得周三上午10点开会", "remember to renew the domain". It
	// is assigned to ExtractOptions.Self when that is set.
	DraftReminder
)

// String returns "task" or "reminder".
func (k DraftKind) String() string {
	switch k {
	case DraftTask:
		return "task"
	case DraftReminder:
		return "reminder"
	}
	return "none"
}

// Span is a byte range [Start, End) of the text given to [Extract]; both
// ends lie on rune boundaries. The zero Span means "not present".
type Span struct {
	Start int `json:"start"`
	End   int `json:"end"`
}

// IsZero reports whether s is empty.
func (s Span) IsZero() bool { return s.Start == s.End }

// Mention is one "@name" in a message.
type Mention struct {
	// Name is the name as written, without "@".
	Name string `json:"name"`
	// UserID is what ExtractOptions.ResolveMention returned, the name
	// itself when there is no resolver, or "" when the name is unknown.
	UserID string `json:"user_id,omitempty"`
	// Span covers "@" and the name.
	Span Span `json:"span"`
}

// DraftSpans says where each field of a [Draft] came from, so a UI can
// highlight it or let the user undo it.
type DraftSpans struct {
	// Text is the part of the message the draft was read from: the whole
	// message, or one line of a list.
	Text Span `json:"text"`
	// Title lists the pieces of text the title was made of, in order.
	Title []Span `json:"title,omitempty"`
	// All covers the word that addressed everyone (大家, @所有人, everyone).
	All Span `json:"all,omitzero"`
	// Due covers the due phrase and its deadline words ("明天下午3点前",
	// "by Friday EOD").
	Due Span `json:"due,omitzero"`
	// Priority covers each priority cue (紧急, ASAP, "!!").
	Priority []Span `json:"priority,omitempty"`
	// Cue covers the word that made the text a request (请, please,
	// 记得, todo:), if one did.
	Cue Span `json:"cue,omitzero"`
}

// Draft is a task (or reminder) read from a message by [Extract]. Turn one
// the user accepts into a [Spec] with [Draft.Spec].
type Draft struct {
	// Kind is DraftTask or DraftReminder.
	Kind DraftKind `json:"kind"`
	// Title is the request with mentions, the due phrase, politeness words
	// and priority cues taken out: "把报价单发给客户", "Send the deck".
	Title string `json:"title"`
	// Assignees are the resolved user ids of the people mentioned, in
	// order, without duplicates. Empty when nobody is named ("Can someone
	// review PR 42?") or when the message addresses everyone (see All);
	// ExtractOptions.Self for a reminder.
	Assignees []string `json:"assignees,omitempty"`
	// Unresolved lists mentioned names ResolveMention did not know.
	Unresolved []string `json:"unresolved,omitempty"`
	// Mentions lists every "@name" in the draft's text, resolved or not
	// (but not @all / @所有人, which set All).
	Mentions []Mention `json:"mentions,omitempty"`
	// All is true when the message addresses everyone: 大家, @所有人,
	// @all, everyone.
	All bool `json:"all,omitempty"`
	// Due is when the draft is due, or the zero Due. It is in
	// ExtractOptions.Location.
	Due Due `json:"due,omitzero"`
	// DueIsDeadline is true when deadline words marked the due ("前",
	// "之前", "by", "before", "截止"), false when the phrase names the
	// time of something ("周三上午10点开会").
	DueIsDeadline bool `json:"due_is_deadline,omitempty"`
	// Priority is PriorityHigh when the text says so (紧急, 尽快, 急,
	// ASAP, urgent, "!!"), else PriorityNormal.
	Priority Priority `json:"priority"`
	// Recurrence is the RFC 5545 RRULE of a repeating request
	// ("每周一上午10点", "every other Friday", "每月最后一个工作日"), without
	// DTSTART: Due is the first instance and carries the time of day. ""
	// when the request does not repeat.
	Recurrence string `json:"recurrence,omitempty"`
	// RecurrenceWorkdays is true when the rule names working days ("每个工
	// 作日", "每月最后一个工作日"): Recurrence then counts Monday to
	// Friday, and a service that knows the tenant calendar moves each
	// instance onto the working day the rule means.
	RecurrenceWorkdays bool `json:"recurrence_workdays,omitempty"`
	// Spans says where each field came from.
	Spans DraftSpans `json:"spans"`
}

// Spec returns a Spec for Service.Create with the draft's title,
// assignees, due, priority and recurrence. The caller adds the Source (the message)
// and anything else.
func (d Draft) Spec() Spec {
	return Spec{
		Title:     d.Title,
		Assignees: append([]string(nil), d.Assignees...),
		Due:       d.Due,
		Priority:  d.Priority,
		Repeat:    d.Recurrence,
	}
}

// extractMaxDrafts bounds the drafts read from one message (a list of
// tasks, one a line).
const extractMaxDrafts = 50

// extractMaxMentions and extractMaxCues bound the mentions and priority
// cues read from one line, so hostile text stays linear.
const (
	extractMaxMentions = 100
	extractMaxCues     = 16
)

// Extract reads one chat message in Chinese, English or both and returns
// the tasks it asks for: usually none or one; a message that is a list
// (one request a line, possibly under a line of mentions) gives one draft
// a line, at most 50. It is a pure function of its arguments (but see
// ExtractOptions.Now) and is safe for concurrent use.
//
// # What makes a request
//
// Extract scores cues rather than parsing grammar: request words (请,
// 麻烦, 记得, please, can you, todo:), a due phrase (more when marked as a
// deadline: 前, by), mentions or 大家, priority words and action verbs
// (提交, 完成, send, review) count for; thanks, acknowledgements (收到, 好的,
// ok), statements about the past (已经, 取消了) and questions that ask
// nothing of anyone count against. "谢谢大家，辛苦了" is not a task; "Can
// someone review PR 42 tomorrow?" is a task without an assignee.
//
// # Dues
//
// Date and time phrases are read by the rules of the internal when
// package: weeks start on Monday, 下周五 is Friday of the next calendar
// week, a bare weekday is its next occurrence (today included), 月底 is the
// last day of the month, EOD/下班/tonight are day precision, a clock time
// with no day is its next occurrence. When several phrases appear, the one
// marked as a deadline wins, else the first. A phrase naming an explicit
// day in the past ("昨天", "今天上午9点" said at 10:00) is kept as it is:
// the task is simply overdue. Impossible dates (2月30日) give no due.
//
// Festivals and lunar dates (春节前, 中秋节后, 正月十五, 除夕), Western
// observances (Thanksgiving, Memorial Day), the n-th weekday of a month
// (下个月第二个周三, the last Friday of March), zones (3pm PST, 北京时间下午
// 3点: the due is that instant in ExtractOptions.Location), parts of the day
// (8 tonight, 凌晨2点), Cantonese forms (聽日, 三點個字) and working days
// (3个工作日内, next business day, counted on ExtractOptions.Workdays) are
// read too; a repeating request (每周一上午10点, every other Friday) gets
// its first instance as Due and its rule in Draft.Recurrence. A soft
// request addressed to someone ("@x 抽空看一下这个方案", "@x take a look
// when you can") is a task; a first-person statement ("我明天请假", "I'm
// out of office tomorrow") is not: 请 inside 请假 is not a request.
//
// # Bad input
//
// Empty text gives nil. Invalid UTF-8 is read byte by byte where it is
// invalid; spans still lie on rune boundaries of the valid parts. Very long
// text is read in time linear in its length: a line yields at most 100
// mentions and 16 priority cues, a message at most 50 drafts.
func Extract(text string, opts ExtractOptions) []Draft {
	if len(text) == 0 {
		return nil
	}
	now := opts.Now
	if now.IsZero() {
		now = time.Now()
	}
	loc := opts.Location
	if loc == nil {
		loc = time.UTC
	}
	now = now.In(loc)
	x := extractor{text: text, now: now, loc: loc, resolve: opts.ResolveMention, self: opts.Self}
	if opts.Workdays != nil {
		x.cal = opts.Workdays
	}

	var drafts []Draft
	var header []Mention
	headerAll := Span{}
	for ls := 0; ls < len(text) && len(drafts) < extractMaxDrafts; {
		le := strings.IndexByte(text[ls:], '\n')
		if le < 0 {
			le = len(text)
		} else {
			le += ls
		}
		d, ok, onlyMentions := x.line(ls, le, header, headerAll)
		switch {
		case ok:
			drafts = append(drafts, d)
		case onlyMentions:
			// A line of mentions heads a list: its people own the lines below.
			header, headerAll = d.Mentions, d.Spans.All
		}
		ls = le + 1
	}
	return drafts
}

type extractor struct {
	text    string
	now     time.Time
	loc     *time.Location
	resolve func(name string) (userID string, ok bool)
	self    string
	cal     when.Calendar
}

// line reads text[ls:le]. onlyMentions reports a line holding nothing but
// mentions, whose Mentions and All are returned in d.
func (x *extractor) line(ls, le int, header []Mention, headerAll Span) (d Draft, ok, onlyMentions bool) {
	s := x.text
	// Mentions and everyone.
	var mentions []Mention
	var allSpan Span
	for i := ls; i < le; {
		at, size := extractAt(s, i)
		if size == 0 {
			i++
			continue
		}
		m, end, all := x.mention(i, at+size, le)
		if all {
			if allSpan.IsZero() {
				allSpan = Span{i, end}
			}
		} else if end > at+size && len(mentions) < extractMaxMentions {
			mentions = append(mentions, m)
		}
		if end <= i {
			end = i + 1
		}
		i = end
	}
	var removed extractSpans
	if sp, ok := extractListMarker(s, ls, le); ok {
		removed.add(sp)
	}
	for _, m := range mentions {
		removed.add(m.Span)
	}
	if !allSpan.IsZero() {
		removed.add(allSpan)
	} else if sp, ok := extractAllWord(s, ls, le); ok {
		allSpan = sp
		removed.add(sp)
	}
	if len(mentions) > 0 || !allSpan.IsZero() {
		if extractBlank(s, ls, le, &removed) {
			return Draft{Mentions: mentions, Spans: DraftSpans{All: allSpan}}, false, true
		}
	}
	if len(mentions) == 0 && allSpan.IsZero() {
		mentions, allSpan = header, headerAll
	}

	// Due.
	due, dueSpan, deadline := extractPickDue(s, ls, le, x.now, x.loc, x.cal, &removed)
	if !dueSpan.IsZero() {
		removed.add(dueSpan)
	}

	// Priority.
	prio := extractPriority(s, ls, le, &removed)

	// Is it a request?
	sc := extractScore(s, ls, le)
	score := sc.score
	if len(mentions) > 0 || !allSpan.IsZero() {
		score++
		// "@x 抽空看一下", "@x take a look when you can": a soft request
		// is one when it is addressed to someone.
		if sc.soft && !sc.request {
			score += 2
			sc.request = true
		}
	}
	if len(prio) > 0 {
		score += 2
	}
	if due.Precision != 0 {
		score++
		if deadline {
			score++
		}
	}
	if sc.question && !sc.request {
		score--
	}
	if score < 3 {
		return Draft{}, false, false
	}

	d = Draft{
		Kind:          DraftTask,
		Mentions:      mentions,
		All:           !allSpan.IsZero(),
		DueIsDeadline: deadline,
		Priority:      PriorityNormal,
		Spans: DraftSpans{
			Text:     Span{ls, le},
			All:      allSpan,
			Due:      dueSpan,
			Priority: prio,
			Cue:      sc.cue,
		},
	}
	if len(prio) > 0 {
		d.Priority = PriorityHigh
	}
	if due.Precision == when.Day {
		y, mo, dd := due.Time.Date()
		d.Due = DueOn(y, mo, dd, x.loc)
	} else if due.Precision == when.Minute {
		d.Due = DueAt(due.Time)
	}
	if due.Repeat.Freq != 0 {
		d.Recurrence = extractRRule(due.Repeat)
		d.RecurrenceWorkdays = due.Repeat.Workdays
	}
	for _, m := range mentions {
		if m.UserID == "" {
			if !extractHas(d.Unresolved, m.Name) {
				d.Unresolved = append(d.Unresolved, m.Name)
			}
		} else if !extractHas(d.Assignees, m.UserID) {
			d.Assignees = append(d.Assignees, m.UserID)
		}
	}
	if sc.reminder && len(mentions) == 0 && allSpan.IsZero() {
		d.Kind = DraftReminder
		if x.self != "" {
			d.Assignees = append(d.Assignees, x.self)
		}
	}
	d.Title, d.Spans.Title = extractTitle(s, ls, le, &removed)
	return d, true, false
}

// extractPickDue finds the due phrase of text[ls:le] outside removed: the
// first one marked as a deadline, else the first one. Working days are
// counted on cal (nil: the official calendar).
func extractPickDue(s string, ls, le int, now time.Time, loc *time.Location, cal when.Calendar, removed *extractSpans) (when.Match, Span, bool) {
	var due when.Match
	var dueSpan Span
	deadline := false
	for from := ls; ; {
		m, found := when.NextWith(s, from, now, loc, cal)
		if !found || m.Start >= le {
			break
		}
		from = m.End
		if m.End > le || removed.overlaps(Span{m.Start, m.End}) {
			continue
		}
		sp, dl := extractDeadline(s, ls, le, m.Start, m.End)
		if due.Precision == 0 || dl && !deadline {
			due, dueSpan, deadline = m, sp, dl
		}
		if deadline {
			break
		}
	}
	return due, dueSpan, deadline
}

func extractHas(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// extractAt reports an "@" or full-width "＠" at s[i], and its size.
func extractAt(s string, i int) (int, int) {
	if s[i] == '@' {
		// Not an e-mail address: the "@" must not follow a letter or digit.
		if i > 0 && (extractIsWord(s[i-1])) {
			return i, 0
		}
		return i, 1
	}
	if strings.HasPrefix(s[i:], "＠") {
		return i, len("＠")
	}
	return i, 0
}

func extractIsWord(c byte) bool {
	return c|0x20 >= 'a' && c|0x20 <= 'z' || c >= '0' && c <= '9' || c == '_' || c == '.'
}

var extractAllNames = [...]string{"所有人", "全体成员", "全体", "全员", "all", "everyone", "everybody", "channel", "here", "team"}

// mention reads the name after "@" at s[i:]; name starts at j. It returns
// the mention, the end of what it consumed, and whether it addressed
// everyone.
func (x *extractor) mention(i, j, le int) (Mention, int, bool) {
	s := x.text
	end := j
	for end < le {
		r, size := utf8.DecodeRuneInString(s[end:])
		if extractStopRune(r) {
			break
		}
		end += size
	}
	if end == j {
		return Mention{}, j, false
	}
	name := s[j:end]
	for _, a := range extractAllNames {
		if len(name) >= len(a) && extractEqualFold(name[:len(a)], a) {
			rest := name[len(a):]
			if rest == "" || a[0] >= 0x80 {
				return Mention{}, j + len(a), true
			}
		}
	}
	if x.resolve == nil {
		end = x.cutName(j, end)
		name = s[j:end]
		return Mention{Name: name, UserID: name, Span: Span{i, end}}, end, false
	}
	if id, ok := x.resolve(name); ok {
		return Mention{Name: name, UserID: id, Span: Span{i, end}}, end, false
	}
	// "@张伟麻烦…": the longest prefix the resolver knows.
	for k := end; k > j; {
		_, size := utf8.DecodeLastRuneInString(s[j:k])
		k -= size
		if k <= j {
			break
		}
		if id, ok := x.resolve(s[j:k]); ok {
			return Mention{Name: s[j:k], UserID: id, Span: Span{i, k}}, k, false
		}
	}
	return Mention{Name: name, Span: Span{i, end}}, end, false
}

// cutName guesses where a Chinese name written without a space after it
// ends ("@小王明天前…"): before the first date phrase or cue word within
// its first five characters, else after three characters when the run is
// longer than six. Names in other scripts run to the space.
func (x *extractor) cutName(j, end int) int {
	s := x.text
	r, _ := utf8.DecodeRuneInString(s[j:end])
	if r < 0x2E80 || utf8.RuneCountInString(s[j:end]) <= 4 {
		return end
	}
	p := j
	for n := 0; n < 5 && p < end; n++ {
		_, size := utf8.DecodeRuneInString(s[p:end])
		p += size
		if n == 0 || p >= end {
			continue
		}
		if m, ok := when.Next(s[:end], p, x.now, x.loc); ok && m.Start == p {
			return p
		}
		r, _ := utf8.DecodeRuneInString(s[p:end])
		for _, cue := range extractZhCues[r] {
			if strings.HasPrefix(s[p:end], cue.w) {
				return p
			}
		}
	}
	if utf8.RuneCountInString(s[j:end]) > 6 {
		p = j
		for n := 0; n < 3; n++ {
			_, size := utf8.DecodeRuneInString(s[p:end])
			p += size
		}
		return p
	}
	return end
}

// extractStopRune reports whether r ends a mention name.
func extractStopRune(r rune) bool {
	if r <= ' ' || r == utf8.RuneError {
		return true
	}
	switch r {
	case '@', '＠', ',', '，', '.', '。', '!', '！', '?', '？', ':', '：', ';', '；', '、', '(', ')', '（', '）',
		'"', '\'', '“', '”', '‘', '’', '[', ']', '【', '】', '<', '>', '《', '》', '\u3000', '\u00a0':
		return true
	}
	return false
}

// extractAllWord finds a word addressing everyone.
func extractAllWord(s string, ls, le int) (Span, bool) {
	for _, w := range [...]string{"大家", "所有人", "各位", "全体同事", "全体"} {
		if k := strings.Index(s[ls:le], w); k >= 0 {
			return Span{ls + k, ls + k + len(w)}, true
		}
	}
	for _, w := range [...]string{"everyone", "everybody", "all of you", "you all", "y'all"} {
		if k, ok := extractFindWord(s, ls, le, w); ok {
			return Span{k, k + len(w)}, true
		}
	}
	return Span{}, false
}

// extractBlank reports whether text[ls:le] outside removed is only space
// and punctuation.
func extractBlank(s string, ls, le int, removed *extractSpans) bool {
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
		r, size := utf8.DecodeRuneInString(s[i:])
		if !extractTrimRune(r) {
			return false
		}
		i += size
	}
	return true
}

// extractDeadline extends the due phrase s[start:end] over deadline words
// before ("by", "before", "截止") or after ("前", "之前") it.
func extractDeadline(s string, ls, le, start, end int) (Span, bool) {
	sp := Span{start, end}
	// "3天内", "本周内", "within 2 days": the phrase itself is a deadline.
	dl := strings.HasSuffix(s[start:end], "内") || strings.HasSuffix(s[start:end], "內") ||
		len(s)-start >= 6 && extractEqualFold(s[start:start+6], "within")
	j := end
	for j < le && s[j] == ' ' {
		j++
	}
	for _, w := range [...]string{"之前", "以前", "前", "为止", "為止", "截止", "之内", "之內", "以内", "以內", "内", "內", "前后", "左右"} {
		if strings.HasPrefix(s[j:le], w) {
			if w == "前后" || w == "左右" {
				sp.End = j + len(w)
				break
			}
			sp.End, dl = j+len(w), true
			break
		}
	}
	i := start
	for i > ls && s[i-1] == ' ' {
		i--
	}
	for _, w := range [...]string{"截止到", "截至到", "截止", "截至", "最晚", "最迟", "不晚于", "于", "在"} {
		if i-len(w) >= ls && s[i-len(w):i] == w {
			sp.Start = i - len(w)
			if w != "于" && w != "在" {
				dl = true
			}
			break
		}
	}
	for _, w := range [...]string{"no later than", "by", "before", "until", "till", "due", "on", "at"} {
		k := i - len(w)
		if k >= ls && extractEqualFold(s[k:i], w) && (k == ls || !extractIsWord(s[k-1])) {
			sp.Start = k
			if w != "on" && w != "at" {
				dl = true
			}
			break
		}
	}
	return sp, dl
}

// extractPriority finds priority cues and adds their spans to removed.
func extractPriority(s string, ls, le int, removed *extractSpans) []Span {
	var out []Span
	add := func(sp Span) {
		if len(out) >= extractMaxCues || removed.overlaps(sp) {
			return
		}
		out = append(out, sp)
		removed.add(sp)
	}
	// Every Chinese cue holds 急 or 快: most lines skip the list at once.
	zh := strings.Contains(s[ls:le], "急") || strings.Contains(s[ls:le], "快")
	for _, w := range [...]string{"十万火急", "非常紧急", "特别紧急", "紧急", "緊急", "加急", "尽快", "盡快", "越快越好", "急"} {
		if !zh {
			break
		}
		for k := ls; k < le; {
			p := strings.Index(s[k:le], w)
			if p < 0 {
				break
			}
			add(Span{k + p, k + p + len(w)})
			k += p + len(w)
		}
	}
	for _, w := range [...]string{"as soon as possible", "asap", "urgent", "urgently", "high priority"} {
		for k := ls; k < le; {
			p, ok := extractFindWord(s, k, le, w)
			if !ok {
				break
			}
			add(Span{p, p + len(w)})
			k = p + len(w)
		}
	}
	// "!!" or more: shouting is urgency; a single "!" is not.
	for k := ls; k < le; k++ {
		if s[k] != '!' {
			continue
		}
		e := k
		for e < le && s[e] == '!' {
			e++
		}
		if e-k >= 2 {
			add(Span{k, e})
		}
		k = e
	}
	if len(out) == 0 {
		for k := ls; k < le; {
			p := strings.Index(s[k:le], "！！")
			if p < 0 {
				break
			}
			add(Span{k + p, k + p + len("！！")})
			k += p + len("！！")
		}
	}
	return out
}

// extractFindWord finds the ASCII word or phrase w in s[from:le],
// case-insensitive, at word boundaries.
func extractFindWord(s string, from, le int, w string) (int, bool) {
	for i := from; i+len(w) <= le; i++ {
		if s[i]|0x20 != w[0] {
			continue
		}
		if i > 0 && extractIsWord(s[i-1]) && s[i-1] != '.' {
			continue
		}
		if !extractEqualFold(s[i:i+len(w)], w) {
			continue
		}
		e := i + len(w)
		if e < len(s) && extractIsWord(s[e]) && s[e] != '.' {
			continue
		}
		return i, true
	}
	return 0, false
}

// extractSpans is a small set of removed spans.
type extractSpans struct {
	list []Span
}

func (r *extractSpans) add(sp Span) {
	if sp.IsZero() {
		return
	}
	r.list = append(r.list, sp)
}

func (r *extractSpans) overlaps(sp Span) bool {
	for _, x := range r.list {
		if sp.Start < x.End && x.Start < sp.End {
			return true
		}
	}
	return false
}

// normalize sorts the spans and merges overlapping ones, so they can be
// walked in order.
func (r *extractSpans) normalize() {
	if len(r.list) < 2 {
		return
	}
	slices.SortFunc(r.list, func(a, b Span) int { return a.Start - b.Start })
	out := r.list[:1]
	for _, x := range r.list[1:] {
		last := &out[len(out)-1]
		if x.Start <= last.End {
			last.End = max(last.End, x.End)
			continue
		}
		out = append(out, x)
	}
	r.list = out
}

// extractListMarker finds a list marker at the start of a line: "1.",
// "2、", "(3)", "4)", "-", "*", "•".
func extractListMarker(s string, ls, le int) (Span, bool) {
	i := ls
	for i < le && (s[i] == ' ' || s[i] == '\t') {
		i++
	}
	if i >= le {
		return Span{}, false
	}
	switch s[i] {
	case '-', '*':
		if i+1 < le && s[i+1] == ' ' {
			return Span{i, i + 1}, true
		}
		return Span{}, false
	}
	if strings.HasPrefix(s[i:le], "•") {
		return Span{i, i + len("•")}, true
	}
	j := i
	paren := false
	if s[j] == '(' {
		j++
		paren = true
	} else if strings.HasPrefix(s[j:le], "（") {
		j += len("（")
		paren = true
	}
	k := j
	for k < le && k-j < 2 && s[k] >= '0' && s[k] <= '9' {
		k++
	}
	if k == j || k >= le {
		return Span{}, false
	}
	for _, m := range [...]string{".", "、", "．", ")", "）"} {
		if !strings.HasPrefix(s[k:le], m) {
			continue
		}
		closing := m == ")" || m == "）"
		if paren && !closing {
			return Span{}, false
		}
		// "1.5" is a number, not an item.
		if m == "." && k+1 < le && s[k+1] >= '0' && s[k+1] <= '9' {
			return Span{}, false
		}
		return Span{i, k + len(m)}, true
	}
	return Span{}, false
}
