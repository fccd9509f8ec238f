package keys

import (
	"bytes"
	"math/rand"
	"slices"
	"testing"
	"time"
)

func TestOrderFollowsTuples(t *testing.T) {
	r := rand.New(rand.NewSource(1))
	alphabet := []string{"", "a", "b", "\x00", "\x00\x01", "\xff", "a\x00", "ab", "a/b"}
	var tuples [][]string
	for range 2000 {
		n := 1 + r.Intn(3)
		var tu []string
		for range n {
			tu = append(tu, alphabet[r.Intn(len(alphabet))])
		}
		tuples = append(tuples, tu)
	}
	for i := range 1000 {
		a, b := tuples[2*i], tuples[2*i+1]
		got := bytes.Compare(New(a...), New(b...))
		want := slices.Compare(a, b)
		if got != want {
			t.Errorf("Compare(New(%q), New(%q)) = %d; tuple order says %d", a, b, got, want)
		}
	}
}

func TestPrefixCoversLongerTuples(t *testing.T) {
	p := New("chat", "msg", "c1")
	for _, k := range [][]byte{New("chat", "msg", "c1", "m1"), New("chat", "msg", "c1", "")} {
		if !bytes.HasPrefix(k, p) {
			t.Errorf("%q does not start with %q", k, p)
		}
	}
	// A conversation whose id extends another's is not under its prefix.
	if bytes.HasPrefix(New("chat", "msg", "c10", "m1"), p) {
		t.Error("c10's key falls under c1's prefix")
	}
	if bytes.HasPrefix(New("chat", "msg", "c1\x00x", "m1"), p) {
		t.Error("an id containing NUL escapes its part")
	}
}

func TestNumbersAndTimesSort(t *testing.T) {
	ints := []int64{-1 << 62, -5, -1, 0, 1, 7, 1 << 40}
	for i := 1; i < len(ints); i++ {
		a, b := AppendInt64(nil, ints[i-1]), AppendInt64(nil, ints[i])
		if bytes.Compare(a, b) >= 0 {
			t.Errorf("%d does not sort before %d", ints[i-1], ints[i])
		}
	}
	t0 := time.Date(2025, 3, 12, 10, 0, 0, 0, time.UTC)
	k := AppendTime(New("task", "due"), t0)
	parts, err := Split(k)
	if err != nil || len(parts) != 3 {
		t.Fatalf("Split = %q, %v", parts, err)
	}
	if got, err := Time(parts[2]); err != nil || !got.Equal(t0) {
		t.Errorf("Time round trip = %v, %v; want %v", got, err, t0)
	}
	if bytes.Compare(AppendTime(nil, t0), AppendTime(nil, t0.Add(time.Nanosecond))) >= 0 {
		t.Error("times one nanosecond apart do not sort")
	}
}

func TestTimesOutsideRangeAreClamped(t *testing.T) {
	early := time.Date(1000, 1, 1, 0, 0, 0, 0, time.UTC)
	late := time.Date(3000, 1, 1, 0, 0, 0, 0, time.UTC)
	mid := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	a, b, c := AppendTime(nil, early), AppendTime(nil, mid), AppendTime(nil, late)
	if !(bytes.Compare(a, b) < 0 && bytes.Compare(b, c) < 0) {
		t.Error("years 1000 < 2025 < 3000 do not sort: times out of range wrapped around")
	}
}

func TestSplitRejectsMalformed(t *testing.T) {
	for _, k := range [][]byte{{'a'}, {'a', 0}, {'a', 0, 2}} {
		if _, err := Split(k); err == nil {
			t.Errorf("Split(%q) accepted a malformed key", k)
		}
	}
}

func FuzzRoundTrip(f *testing.F) {
	f.Add("chat", "msg\x00", "\xff\x00\x01")
	f.Fuzz(func(t *testing.T, a, b, c string) {
		parts, err := Split(New(a, b, c))
		if err != nil {
			t.Fatal(err)
		}
		if len(parts) != 3 || string(parts[0]) != a || string(parts[1]) != b || string(parts[2]) != c {
			t.Errorf("round trip of %q %q %q gave %q", a, b, c, parts)
		}
		Split([]byte(a)) // must not panic on arbitrary input
	})
}
