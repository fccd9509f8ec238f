package task

import (
	"bufio"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/workspace-go/workspace/internal/when"
)

// The evaluation reads labelled data (see testdata/README.md), prints the
// accuracy of each file and fails below the floors. Extra files of
// the same shapes can be named in TASK_EXTRACT_CORPUS (comma-separated
// paths); each file's shape is told from the fields of its first record.

const (
	extractFloorPhrases  = 0.98 // due phrases read to the expected date/minute
	extractFloorMSRT     = 0.90 // usable Microsoft Recognizers-Text cases, per language
	extractFloorTaskF1   = 0.97 // task / not-task
	extractFloorAssignee = 0.95 // assignees and "all" exactly right, over labelled tasks
	extractFloorDue      = 0.90 // due exactly right (value and precision), over labelled tasks
)

type extractShape int

const (
	extractShapeUnknown extractShape = iota
	extractShapePhrases
	extractShapeMSRT
	extractShapeMessages
)

func extractDetectShape(rec map[string]json.RawMessage) extractShape {
	has := func(k string) bool { _, ok := rec[k]; return ok }
	switch {
	case has("phrase") && has("expected"):
		return extractShapePhrases
	case has("input") && has("expected") && has("mode"):
		return extractShapeMSRT
	case has("text") && has("is_task"):
		return extractShapeMessages
	}
	return extractShapeUnknown
}

func extractReadLines(t *testing.T, path string) [][]byte {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatalf("open corpus: %v", err)
	}
	defer f.Close()
	var out [][]byte
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<22)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line != "" {
			out = append(out, []byte(line))
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatalf("read %s: %v", path, err)
	}
	return out
}

func TestExtractEvaluation(t *testing.T) {
	files := []string{
		filepath.Join("testdata", "task_due_phrases_zh_en.jsonl"),
		filepath.Join("testdata", "msrt_zh_datetime_model.jsonl"),
		filepath.Join("testdata", "msrt_en_datetime_model.jsonl"),
		filepath.Join("testdata", "task_messages_dev.jsonl"),
		filepath.Join("testdata", "task_due_families_zh_en.jsonl"),
		filepath.Join("testdata", "task_messages_families.jsonl"),
	}
	if extra := os.Getenv("TASK_EXTRACT_CORPUS"); extra != "" {
		for _, p := range strings.Split(extra, ",") {
			if p = strings.TrimSpace(p); p != "" {
				files = append(files, p)
			}
		}
	}
	for _, path := range files {
		t.Run(filepath.Base(path), func(t *testing.T) {
			lines := extractReadLines(t, path)
			if len(lines) == 0 {
				t.Fatalf("%s holds no records", path)
			}
			var first map[string]json.RawMessage
			if err := json.Unmarshal(lines[0], &first); err != nil {
				t.Fatalf("%s: first record: %v", path, err)
			}
			switch extractDetectShape(first) {
			case extractShapePhrases:
				extractEvalPhrases(t, lines)
			case extractShapeMSRT:
				extractEvalMSRT(t, lines)
			case extractShapeMessages:
				extractEvalMessages(t, lines)
			default:
				t.Fatalf("%s: unknown record shape (fields of the first record: %v)", path, slices.Sorted(mapsKeys(first)))
			}
		})
	}
}

func mapsKeys(m map[string]json.RawMessage) func(func(string) bool) {
	return func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

// extractFormatDue formats a picked due as the labels do.
func extractFormatDue(m when.Match, sep string) string {
	switch m.Precision {
	case when.Day:
		return m.Time.Format("2006-01-02")
	case when.Minute:
		return m.Time.Format("2006-01-02" + sep + "15:04")
	}
	return ""
}

func extractParseRef(t *testing.T, ref string, loc *time.Location) time.Time {
	t.Helper()
	if r, err := time.Parse(time.RFC3339, ref); err == nil {
		if loc != nil {
			return r.In(loc)
		}
		return r
	}
	if len(ref) >= 19 {
		if r, err := time.ParseInLocation("2006-01-02T15:04:05", ref[:19], time.UTC); err == nil {
			return r
		}
	}
	t.Fatalf("bad ref %q", ref)
	return time.Time{}
}

// extractEvalPhrases checks the due picked from each phrase, as Extract
// picks it from a message, and the recurrence rule when a record has one
// ("rrule"; "" means none). Records with a "family" are also scored per
// family, each against the same floor.
func extractEvalPhrases(t *testing.T, lines [][]byte) {
	type score struct{ ok, n int }
	ok, n := 0, 0
	families := map[string]*score{}
	var order []string
	for _, line := range lines {
		var c struct {
			Phrase, Ref, Expected, Precision, Family string
			RRule                                    *string         `json:"rrule"`
			Also                                     json.RawMessage `json:"also_acceptable"`
		}
		if err := json.Unmarshal(line, &c); err != nil {
			t.Fatalf("record %d: %v", n, err)
		}
		n++
		now := extractParseRef(t, c.Ref, nil)
		m, _, _ := extractPickDue(c.Phrase, 0, len(c.Phrase), now, now.Location(), nil, &extractSpans{})
		got := extractFormatDue(m, " ")
		want := []string{c.Expected}
		var also []string
		if json.Unmarshal(c.Also, &also) != nil {
			var one string
			if json.Unmarshal(c.Also, &one) == nil {
				also = []string{one}
			}
		}
		want = append(want, also...)
		good := slices.Contains(want, got) && m.Precision.String() == c.Precision
		gotRule := extractRRule(m.Repeat)
		if c.RRule != nil && gotRule != *c.RRule || c.RRule == nil && c.Family != "" && gotRule != "" {
			good = false
		}
		if c.Family != "" {
			f := families[c.Family]
			if f == nil {
				f = &score{}
				families[c.Family] = f
				order = append(order, c.Family)
			}
			f.n++
			if good {
				f.ok++
			}
		}
		if good {
			ok++
		} else {
			t.Logf("miss: %q (ref %s): got %q (%v) rrule %q, want %q (%s)", c.Phrase, c.Ref, got, m.Precision, gotRule, want, c.Precision)
		}
	}
	acc := float64(ok) / float64(n)
	t.Logf("due phrases: %d/%d = %.1f%% (floor %.0f%%)", ok, n, 100*acc, 100*extractFloorPhrases)
	if acc < extractFloorPhrases {
		t.Errorf("due phrase accuracy %.3f below floor %.2f", acc, extractFloorPhrases)
	}
	for _, name := range order {
		f := families[name]
		acc := float64(f.ok) / float64(f.n)
		t.Logf("family %s: %d/%d = %.1f%% (floor %.0f%%)", name, f.ok, f.n, 100*acc, 100*extractFloorPhrases)
		if acc < extractFloorPhrases {
			t.Errorf("family %s: due accuracy %.3f below floor %.2f", name, acc, extractFloorPhrases)
		}
	}
}

// extractEvalMSRT checks the Microsoft Recognizers-Text cases a task due
// date can use. The selection rule:
//
//   - mode "default" (the "experimental" and "tasks" modes resolve by other
//     conventions, e.g. a bare time to the next day);
//
//   - passes_in_dotnet_reference_impl true (the rest are known-wrong
//     labels) and a reference time given;
//
//   - exactly one expected expression, of type date or datetime (ranges,
//     durations, sets and bare times are not due dates);
//
//   - at least one resolved value on or after the reference (date values
//     from the reference day, datetime values from the reference minute):
//     a due date lies ahead. Only those future values are accepted.
//
//   - no time zone written right after the expression that the expression
//     leaves out ("at 7 PM CET" read as "at 7 pm"): Recognizers-Text then
//     reads the clock in the reference's zone, where Extract reads the due
//     in the zone named, as the issue asks.
//
// The reference has no zone in the data; UTC is used. A result matches a
// value when its date (Day precision) or date and minute (Minute precision)
// equal it; a datetime value at 23:59:59 is "the end of that day" and
// matches Day precision on its date. The due is picked from the whole
// input as Extract picks it.
func extractEvalMSRT(t *testing.T, lines [][]byte) {
	ok, n := 0, 0
	lang := ""
	for i, line := range lines {
		var c struct {
			Lang, Input, Ref, Mode string
			Passes                 bool `json:"passes_in_dotnet_reference_impl"`
			Expected               []struct {
				Text, Type string
				Values     []struct{ Timex, Value string }
			}
		}
		if err := json.Unmarshal(line, &c); err != nil {
			t.Fatalf("record %d: %v", i, err)
		}
		lang = c.Lang
		if c.Mode != "default" || !c.Passes || c.Ref == "" || len(c.Expected) != 1 {
			continue
		}
		e := c.Expected[0]
		if e.Type != "datetimeV2.date" && e.Type != "datetimeV2.datetime" {
			continue
		}
		if extractZoneAfter(c.Input, e.Text) {
			continue
		}
		now := extractParseRef(t, c.Ref, nil)
		var future []string
		for _, v := range e.Values {
			if v.Timex == "PRESENT_REF" || v.Value == "" || v.Value[0] < '0' || v.Value[0] > '9' {
				continue
			}
			if e.Type == "datetimeV2.date" && v.Value >= now.Format("2006-01-02") ||
				e.Type == "datetimeV2.datetime" && v.Value >= now.Format("2006-01-02 15:04:05") {
				future = append(future, v.Value)
			}
		}
		if len(future) == 0 {
			continue
		}
		n++
		m, _, _ := extractPickDue(c.Input, 0, len(c.Input), now, time.UTC, nil, &extractSpans{})
		got := extractFormatDue(m, " ")
		good := false
		for _, v := range future {
			switch m.Precision {
			case when.Day:
				good = good || got == v[:10] && (len(v) == 10 || strings.HasSuffix(v, "23:59:59"))
			case when.Minute:
				good = good || len(v) >= 16 && got == v[:16]
			}
		}
		if good {
			ok++
		} else {
			t.Logf("miss: %q (ref %s, expression %q): got %q, want one of %q", c.Input, c.Ref, e.Text, got, future)
		}
	}
	if n == 0 {
		t.Fatal("no usable cases")
	}
	acc := float64(ok) / float64(n)
	t.Logf("msrt %s usable cases: %d/%d = %.1f%% (floor %.0f%%)", lang, ok, n, 100*acc, 100*extractFloorMSRT)
	if acc < extractFloorMSRT {
		t.Errorf("msrt %s accuracy %.3f below floor %.2f", lang, acc, extractFloorMSRT)
	}
}

// extractZoneAfter reports a zone abbreviation right after expr in input.
func extractZoneAfter(input, expr string) bool {
	k := strings.Index(strings.ToLower(input), expr)
	if k < 0 {
		return false
	}
	rest := strings.TrimLeft(input[k+len(expr):], " ")
	for _, z := range []string{"PT", "PST", "PDT", "ET", "EST", "EDT", "CT", "CST", "CET", "CEST", "GMT", "UTC", "BST", "JST"} {
		if strings.HasPrefix(rest, z) && (len(rest) == len(z) || !isASCIILetter(rest[len(z)])) {
			return true
		}
	}
	return false
}

// extractEvalMessages runs Extract on whole messages. Records with a
// "family" also have the due of their tasks scored per family, against
// the due phrases' floor.
func extractEvalMessages(t *testing.T, lines [][]byte) {
	var tp, fp, fn, tasks, assignOK, dueOK, prioOK int
	type score struct{ ok, n int }
	families := map[string]*score{}
	var order []string
	for i, line := range lines {
		var c struct {
			Text, Ref, TZ string
			IsTask        bool     `json:"is_task"`
			Assignees     []string `json:"assignees"`
			All           bool     `json:"all"`
			Due           *string  `json:"due"`
			DuePrecision  *string  `json:"due_precision"`
			Priority      string   `json:"priority"`
			RRule         string   `json:"rrule"`
			Family        string   `json:"family"`
		}
		if err := json.Unmarshal(line, &c); err != nil {
			t.Fatalf("record %d: %v", i, err)
		}
		loc := time.UTC
		if c.TZ != "" {
			l, err := time.LoadLocation(c.TZ)
			if err != nil {
				t.Fatalf("record %d: zone %q: %v", i, c.TZ, err)
			}
			loc = l
		}
		now := extractParseRef(t, c.Ref, loc)
		drafts := Extract(c.Text, ExtractOptions{Now: now, Location: loc})
		got := len(drafts) > 0
		switch {
		case got && c.IsTask:
			tp++
		case got && !c.IsTask:
			fp++
			t.Logf("false task: %q", c.Text)
		case !got && c.IsTask:
			fn++
			t.Logf("missed task: %q", c.Text)
		}
		if !c.IsTask {
			continue
		}
		tasks++
		var d Draft
		if got {
			d = drafts[0]
		}
		names := append(append([]string{}, d.Assignees...), d.Unresolved...)
		want := c.Assignees
		if want == nil {
			want = []string{}
		}
		if slices.Equal(names, want) && d.All == c.All {
			assignOK++
		} else {
			t.Logf("assignees: %q: got %q all=%v, want %q all=%v", c.Text, names, d.All, want, c.All)
		}
		gotDue, gotPrec := "", ""
		if !d.Due.IsZero() {
			gotPrec = d.Due.Precision.String()
			if d.Due.Precision == PrecisionDay {
				gotDue = d.Due.Local().Format("2006-01-02")
			} else {
				gotDue = d.Due.Local().Format("2006-01-02T15:04")
			}
		}
		wantDue, wantPrec := "", ""
		if c.Due != nil {
			wantDue = *c.Due
		}
		if c.DuePrecision != nil {
			wantPrec = *c.DuePrecision
		}
		dueGood := gotDue == wantDue && gotPrec == wantPrec && d.Recurrence == c.RRule
		if c.Family != "" {
			f := families[c.Family]
			if f == nil {
				f = &score{}
				families[c.Family] = f
				order = append(order, c.Family)
			}
			f.n++
			if dueGood {
				f.ok++
			}
		}
		if dueGood {
			dueOK++
		} else {
			t.Logf("due: %q: got %q %q rrule %q, want %q %q rrule %q", c.Text, gotDue, gotPrec, d.Recurrence, wantDue, wantPrec, c.RRule)
		}
		wantPrio := PriorityNormal
		if c.Priority == "high" {
			wantPrio = PriorityHigh
		}
		if d.Priority == wantPrio {
			prioOK++
		} else {
			t.Logf("priority: %q: got %v, want %v", c.Text, d.Priority, wantPrio)
		}
	}
	f1 := 0.0
	if tp > 0 {
		p := float64(tp) / float64(tp+fp)
		r := float64(tp) / float64(tp+fn)
		f1 = 2 * p * r / (p + r)
	}
	t.Logf("messages: %d records, %d tasks; task F1 %.3f (tp %d fp %d fn %d; floor %.2f)", len(lines), tasks, f1, tp, fp, fn, extractFloorTaskF1)
	if f1 < extractFloorTaskF1 {
		t.Errorf("task F1 %.3f below floor %.2f", f1, extractFloorTaskF1)
	}
	if tasks == 0 {
		return
	}
	assign := float64(assignOK) / float64(tasks)
	due := float64(dueOK) / float64(tasks)
	t.Logf("messages: assignees exact %d/%d = %.1f%% (floor %.0f%%); due exact %d/%d = %.1f%% (floor %.0f%%); priority %d/%d",
		assignOK, tasks, 100*assign, 100*extractFloorAssignee, dueOK, tasks, 100*due, 100*extractFloorDue, prioOK, tasks)
	if assign < extractFloorAssignee {
		t.Errorf("assignee accuracy %.3f below floor %.2f", assign, extractFloorAssignee)
	}
	if due < extractFloorDue {
		t.Errorf("due accuracy %.3f below floor %.2f", due, extractFloorDue)
	}
	for _, name := range order {
		f := families[name]
		acc := float64(f.ok) / float64(f.n)
		t.Logf("family %s: due exact %d/%d = %.1f%% (floor %.0f%%)", name, f.ok, f.n, 100*acc, 100*extractFloorPhrases)
		if acc < extractFloorPhrases {
			t.Errorf("family %s: due accuracy %.3f below floor %.2f", name, acc, extractFloorPhrases)
		}
	}
}
