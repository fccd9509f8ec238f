package calendar

import (
	"encoding/json"
	"reflect"
	"testing"
)

func marshalTiming(t testing.TB, tm timing) []byte {
	b, err := json.Marshal(tm)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

var timingSamples = []timing{
	{},
	{Start: 1780300800000000000, End: 1780304400000000000, Zone: "Asia/Shanghai", RRule: "FREQ=WEEKLY;BYDAY=TU,TH;COUNT=80", Rev: 3},
	{Start: -5, End: 9223372036854775807, Zone: "UTC", AllDay: true, Free: true, RRule: "FREQ=DAILY", RDates: []int64{1, -2, 3}, ExDate: []int64{-9223372036854775808}, Rev: 18446744073709551615},
	{Start: 1, Zone: "Europe/Zürich", RRule: "x<y&z\"\\", ExDate: []int64{0}},
	{Start: 2, Exc: []xtiming{{Orig: 1, Cancelled: true}}},
}

// TestDecodeTiming checks that the records this package writes decode to
// what was written, by hand where the flat form allows it.
func TestDecodeTiming(t *testing.T) {
	for i, want := range timingSamples {
		b := marshalTiming(t, want)
		var got timing
		if err := decodeTiming(b, &got); err != nil {
			t.Fatalf("sample %d %s: %v", i, b, err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("sample %d %s:\n got %+v\nwant %+v", i, b, got, want)
		}
	}
	t.Run("a plain record without exceptions is read by hand", func(t *testing.T) {
		var got timing
		if !decodeFlatTiming(marshalTiming(t, timingSamples[1]), &got) {
			t.Error("the hand decoder refused a plain record")
		}
	})
	t.Run("bad records fail as with encoding/json", func(t *testing.T) {
		for _, bad := range []string{``, `{`, `{"s":1.5}`, `{"s":"1"}`, `{"v":-1}`, `{"rd":[1,]}`, `{"s":1}x`, `[1]`} {
			var tm timing
			if err := decodeTiming([]byte(bad), &tm); err == nil {
				t.Errorf("%s decoded to %+v", bad, tm)
			}
		}
	})
}

// FuzzDecodeTiming checks the hand decoder against encoding/json: what it
// reads, encoding/json reads the same way.
func FuzzDecodeTiming(f *testing.F) {
	for _, tm := range timingSamples {
		f.Add(marshalTiming(f, tm))
	}
	for _, s := range []string{`{"s":-0,"v":0}`, `{"s":01}`, `{"z":"a\u00e9"}`, `{"rd":[]}`, `{"rd":null}`, `{"S":1}`, `{"s":1,"s":2}`, `{"z":"\xff"}`, `{ "s":1}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		var fast timing
		if !decodeFlatTiming(b, &fast) {
			return
		}
		var want timing
		if err := json.Unmarshal(b, &want); err != nil {
			t.Fatalf("%q: read by hand as %+v, encoding/json: %v", b, fast, err)
		}
		if !reflect.DeepEqual(fast, want) {
			t.Fatalf("%q: read by hand as %+v, by encoding/json as %+v", b, fast, want)
		}
	})
}
