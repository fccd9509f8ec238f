package task

import (
	"encoding/json"
	"github.com/workspace-go/workspace/internal/wiretest"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/workspace-go/workspace/store"
)

// wireSamples holds one filled-in value of every type the package sends
// to applications' clients. A new wire type is added here, which puts it
// under both tests below.
func wireSamples() []any {
	at := time.Date(2025, 3, 12, 10, 0, 0, 0, shanghai)
	tk := Task{
		ID: "t_1", Title: "send the quote", Description: "to the client", Creator: "boss",
		Assignees: []Assignee{{User: "bob", Done: true, DoneAt: at}, {User: "amy"}},
		Followers: []string{"chen"}, Due: DueOn(2025, 3, 14, shanghai), Priority: PriorityHigh,
		Status: StatusInProgress, Mode: ModeAny, Source: Source{Kind: "chat.message", ID: "m_1"},
		Created: at, Updated: at.Add(time.Hour), Nudged: at.Add(2 * time.Hour), Nudges: 2,
		Parent: "t_0", Subtasks: Subtasks{Total: 3, Done: 1, Cancelled: 1},
		Checklist: []CheckItem{{ID: "1", Text: "one", Done: true, DoneBy: "bob", DoneAt: at}, {ID: "2", Text: "two"}},
		Repeat:    &Repeat{Rule: "FREQ=WEEKLY;BYDAY=MO", Start: DueAt(at), Series: "t_1", Index: 2, Next: "t_9"},
	}
	act := Activity{Seq: 3, Type: ActDueChanged, Actor: "boss", At: at, Users: []string{"bob"}, Field: "title", From: "a", To: "b", Text: "hi"}
	title, prio, mode, due := "new", PriorityUrgent, ModeAll, DueAt(at)
	return []any{
		tk,
		Assignee{User: "bob", Done: true, DoneAt: at},
		Source{Kind: "chat.message", ID: "m_1"},
		DueOn(2025, 3, 14, shanghai),
		DueAt(at),
		act,
		Change{Type: TaskNudged, TaskID: "t_1", Actor: "boss", At: at, Users: []string{"bob"}, Activity: []Activity{act}, Task: &tk},
		Summary{Total: 6, Todo: 1, InProgress: 2, Done: 1, Cancelled: 2, Overdue: 1},
		Period{From: at, To: at.Add(24 * time.Hour)},
		Query{Role: RoleCreator, Status: StatusTodo, Created: Period{From: at}, Limit: 10, Cursor: "abc"},
		Query{Role: RoleAssignee, Due: Period{From: at, To: at.Add(time.Hour)}},
		Spec{Title: "t", Description: "d", Assignees: []string{"a"}, Followers: []string{"f"}, Due: DueAt(at),
			Priority: PriorityLow, Mode: ModeAny, Source: Source{Kind: "k", ID: "i"}, ClientKey: "req-1",
			Parent: "t_0", Checklist: []string{"one"}, Repeat: "FREQ=DAILY"},
		Edit{Title: &title, Priority: &prio, Mode: &mode, Due: &due, Repeat: &title, Parent: &title},
		Draft{Kind: DraftTask, Title: "send", Assignees: []string{"bob"}, Unresolved: []string{"x"},
			Mentions: []Mention{{Name: "bob", UserID: "bob", Span: Span{0, 4}}}, All: true, Due: DueOn(2025, 3, 14, shanghai),
			DueIsDeadline: true, Priority: PriorityHigh,
			Spans: DraftSpans{Text: Span{0, 20}, Title: []Span{{5, 9}}, All: Span{1, 2}, Due: Span{10, 12}, Priority: []Span{{13, 15}}, Cue: Span{3, 4}}},
		ReportQuery{Scope: ScopeTeam, Period: Period{From: at}, Assignee: "bob", List: BucketDoneLate, Limit: 5, Cursor: "c"},
		Report{
			Counts:     Counts{HandedOut: 7, DoneOnTime: 1, DoneLate: 2, Open: 3, Overdue: 1, Cancelled: 1, Nudges: 4},
			ByAssignee: []AssigneeCounts{{User: "bob", Counts: Counts{HandedOut: 1, Open: 1}}},
			Tasks:      store.Page[Task]{Items: []Task{tk}, Next: "n"},
		},
		store.Page[Task]{Items: []Task{tk}, Next: "cursor"},
		store.Page[Activity]{Items: []Activity{act}, Next: "cursor"},
	}
}

func TestWireTypesRoundTripThroughJSON(t *testing.T) {
	for _, v := range wireSamples() {
		name := reflect.TypeOf(v).String()
		t.Run(name, func(t *testing.T) {
			b, err := json.Marshal(v)
			if err != nil {
				t.Fatal(err)
			}
			back := reflect.New(reflect.TypeOf(v))
			if err := json.Unmarshal(b, back.Interface()); err != nil {
				t.Fatalf("unmarshal %s: %v", b, err)
			}
			again, err := json.Marshal(back.Elem().Interface())
			if err != nil {
				t.Fatal(err)
			}
			if string(again) != string(b) {
				t.Errorf("round trip changed the JSON:\n got %s\nwant %s", again, b)
			}
			if !wireEqual(back.Elem().Interface(), v) {
				t.Errorf("round trip changed the value:\n got %+v\nwant %+v", back.Elem().Interface(), v)
			}
			if strings.ContainsAny(string(b), "ABCDEFGHIJKLMNOPQRSTUVWXYZ") && !upperOnlyInValues(b) {
				t.Errorf("JSON has a key that is not snake_case: %s", b)
			}
		})
	}
	t.Run("a date-only due is a date and a timed one is RFC 3339 with its offset", func(t *testing.T) {
		b, _ := json.Marshal(DueOn(2025, 3, 14, shanghai))
		if want := `{"date":"2025-03-14","precision":"day","location":"Asia/Shanghai"}`; string(b) != want {
			t.Errorf("date-only due = %s, want %s", b, want)
		}
		b, _ = json.Marshal(DueAt(time.Date(2025, 3, 14, 15, 0, 0, 0, shanghai)))
		if want := `{"time":"2025-03-14T15:00:00+08:00","precision":"minute","location":"Asia/Shanghai"}`; string(b) != want {
			t.Errorf("timed due = %s, want %s", b, want)
		}
	})
	t.Run("enums encode as names", func(t *testing.T) {
		b, _ := json.Marshal(struct {
			P Priority
			K DraftKind
			R Precision
		}{PriorityUrgent, DraftReminder, PrecisionMinute})
		if want := `{"P":"urgent","K":"reminder","R":"minute"}`; string(b) != want {
			t.Errorf("enums = %s, want %s", b, want)
		}
	})
}

// wireEqual compares two values the way the wire sees them: times by
// instant and zone offset, everything else deeply.
func wireEqual(a, b any) bool {
	ja, _ := json.Marshal(a)
	jb, _ := json.Marshal(b)
	return string(ja) == string(jb) && reflect.TypeOf(a) == reflect.TypeOf(b)
}

// upperOnlyInValues reports whether every upper-case letter of a JSON
// document is inside a string value rather than a key.
func upperOnlyInValues(b []byte) bool {
	var v any
	if json.Unmarshal(b, &v) != nil {
		return false
	}
	var ok func(any) bool
	ok = func(v any) bool {
		switch v := v.(type) {
		case map[string]any:
			for k, x := range v {
				if strings.ToLower(k) != k || !ok(x) {
					return false
				}
			}
		case []any:
			for _, x := range v {
				if !ok(x) {
					return false
				}
			}
		}
		return true
	}
	return ok(v)
}

// TestWireTypesHaveJSONTags fails when an exported field of a type in
// wireSamples (or of a type reachable from one) has no json tag.
func TestWireTypesHaveJSONTags(t *testing.T) {
	seen := wiretest.Tags(t, append(wireSamples(), &Service{})...)
	if !seen[reflect.TypeFor[Assignee]()] || !seen[reflect.TypeFor[Span]()] {
		t.Error("the walk missed nested types")
	}
}
