package task

import (
	"encoding/json"
	"reflect"
	"testing"
	"time"
)

func codecSample() record {
	at := time.Date(2025, 3, 12, 10, 0, 0, 123, time.UTC)
	return record{
		Task: Task{
			ID: "t_1", Title: "整理Q3的投放数据", Description: "line one\nline two", Creator: "boss",
			Assignees: []Assignee{{User: "李雷", Nudges: 2}, {User: "韩梅梅", Done: true, DoneAt: at.Add(time.Hour)}},
			Followers: []string{"chen"},
			Due:       DueAt(time.Date(2025, 3, 21, 15, 0, 0, 0, shanghai)),
			Priority:  PriorityLow, Status: StatusInProgress, Mode: ModeAny,
			Source:  Source{Kind: "chat.message", ID: "m_42"},
			Created: at, Updated: at.Add(2 * time.Hour), Nudged: at.Add(3 * time.Hour), Nudges: 4,
			Parent: "t_0", Subtasks: Subtasks{Total: 2, Done: 1},
			Checklist: []CheckItem{{ID: "1", Text: "one", Done: true, DoneBy: "李雷", DoneAt: at}},
			Repeat:    &Repeat{Rule: "FREQ=WEEKLY", Start: DueOn(2025, 3, 17, shanghai), Series: "t_0", Index: 2},
		},
		Acts: 7, SoonSent: true, ClientKey: "req-1", CheckSeq: 3,
	}
}

func TestRecordCodecRoundTrip(t *testing.T) {
	tests := []struct {
		name string
		r    record
	}{
		{"a full record survives", codecSample()},
		{"an empty record survives", record{}},
		{"a date-only due keeps its zone", record{Task: Task{ID: "x", Due: DueOn(2025, 3, 21, shanghai), Closed: time.Unix(-5, 7).UTC()}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := encodeRecord(&tt.r)
			if err != nil {
				t.Fatal(err)
			}
			var got record
			if err := decodeRecord(b, &got); err != nil {
				t.Fatalf("decode: %v", err)
			}
			if !reflect.DeepEqual(got, tt.r) {
				t.Errorf("round trip:\n got %+v\nwant %+v", got, tt.r)
			}
		})
	}
	t.Run("a JSON record from an earlier version is still read", func(t *testing.T) {
		want := codecSample()
		b, err := json.Marshal(&want)
		if err != nil {
			t.Fatal(err)
		}
		var got record
		if err := decodeRecord(b, &got); err != nil || got.Title != want.Title || got.Acts != 7 || !got.Due.Equal(want.Due) {
			t.Errorf("decode JSON = %+v, %v", got, err)
		}
	})
	t.Run("every truncation is refused", func(t *testing.T) {
		r := codecSample()
		b, _ := encodeRecord(&r)
		for n := range len(b) {
			var got record
			if err := decodeRecord(b[:n], &got); err == nil {
				t.Fatalf("decode of the first %d of %d bytes: no error", n, len(b))
			}
		}
	})
}

// FuzzRecordDecode checks that decoding never panics and that whatever
// decodes re-encodes to the same bytes.
func FuzzRecordDecode(f *testing.F) {
	r := codecSample()
	b, _ := encodeRecord(&r)
	f.Add(b)
	e, _ := encodeRecord(&record{})
	f.Add(e)
	f.Add([]byte{codecV1, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01})
	f.Fuzz(func(t *testing.T, b []byte) {
		if len(b) > 0 && b[0] == '{' {
			return // the JSON fallback is encoding/json's business
		}
		var r record
		if decodeRecord(b, &r) != nil {
			return
		}
		again, err := encodeRecord(&r)
		if err != nil {
			t.Fatal(err)
		}
		var r2 record
		if err := decodeRecord(again, &r2); err != nil || !reflect.DeepEqual(r, r2) {
			t.Fatalf("re-decode of %x: %+v, %v; want %+v", again, r2, err, r)
		}
	})
}
