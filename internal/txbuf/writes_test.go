package txbuf

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/workspace-go/workspace/store"
)

// model is what a Set must behave like: a map, sorted on demand.
type model map[string][]byte

func (m model) inRange(r store.Range) []string {
	var out []string
	for k, v := range m {
		if Within([]byte(k), r) {
			out = append(out, k+"="+string(v))
		}
	}
	slices.Sort(out)
	if r.Reverse {
		slices.Reverse(out)
	}
	return out
}

func key3(n int) []byte { return fmt.Appendf(nil, "k%05d", n) }

func TestSetAgreesWithAMap(t *testing.T) {
	for _, n := range []int{1, 5, maxLeaf, maxLeaf + 1, 3000} {
		t.Run(fmt.Sprintf("%d writes", n), func(t *testing.T) {
			rng := rand.New(rand.NewPCG(uint64(n), 1))
			var s Set
			m := model{}
			for i := range n {
				k := key3(rng.IntN(2 * n))
				var v []byte
				if rng.IntN(3) > 0 {
					v = fmt.Appendf(nil, "%d", i)
				}
				s.put(k, v)
				m[string(k)] = v
			}
			if s.Len() != len(m) {
				t.Errorf("Len = %d; want %d", s.Len(), len(m))
			}
			for k, v := range m {
				if got, ok := s.Lookup([]byte(k)); !ok || !bytes.Equal(got, v) || (got == nil) != (v == nil) {
					t.Fatalf("Lookup(%s) = %q, %v; want %q", k, got, ok, v)
				}
			}
			if _, ok := s.Lookup([]byte("j")); ok {
				t.Error("Lookup of a key never written found it")
			}
			var prev []byte
			for k := range s.Writes() {
				if prev != nil && bytes.Compare(prev, k) >= 0 {
					t.Fatalf("Writes yields %s after %s", k, prev)
				}
				prev = k
			}
			ranges := []store.Range{{}, {Reverse: true}, {Start: []byte("k"), End: []byte("l")}}
			for range 50 {
				a, b := rng.IntN(2*n+2), rng.IntN(2*n+2)
				r := store.Range{Start: key3(min(a, b)), End: key3(max(a, b)), Reverse: rng.IntN(2) == 0}
				ranges = append(ranges, r, store.Range{Start: r.Start, Reverse: r.Reverse}, store.Range{End: r.End, Reverse: r.Reverse})
			}
			for _, r := range ranges {
				var got []string
				if c := s.InRange(r); c != nil {
					got = all(c)
				}
				if want := m.inRange(r); !slices.Equal(got, want) {
					t.Fatalf("InRange(%q..%q reverse=%v) = %q; want %q", r.Start, r.End, r.Reverse, got, want)
				}
			}
		})
	}
}

func TestInRangeWhileTheSetChanges(t *testing.T) {
	for _, reverse := range []bool{false, true} {
		t.Run(fmt.Sprintf("reverse=%v", reverse), func(t *testing.T) {
			var s Set
			for i := 0; i < 1000; i += 2 {
				s.put(key3(i), []byte("v"))
			}
			c := s.InRange(store.Range{Reverse: reverse})
			seen := map[string]bool{}
			var last []byte
			for i := 0; ; i++ {
				k, _, ok := c.Next()
				if !ok {
					break
				}
				if seen[string(k)] {
					t.Fatalf("%s returned twice", k)
				}
				if last != nil && (bytes.Compare(last, k) < 0) == reverse {
					t.Fatalf("%s returned after %s", k, last)
				}
				seen[string(k)], last = true, k
				if i >= 300 {
					continue
				}
				// Insert keys on both sides of the cursor, splitting
				// leaves under it.
				s.put(key3(1001+i), []byte("new"))
				s.put(fmt.Appendf(nil, "a%05d", i), []byte("new"))
				s.put(append(bytes.Clone(k), '+'), []byte("next to it"))
			}
			for i := 0; i < 1000; i += 2 {
				if !seen[string(key3(i))] {
					t.Errorf("%s, written before the walk, was not returned", key3(i))
				}
			}
		})
	}
}

// BenchmarkInRange measures a limited scan of a transaction's buffered
// writes, with 2,000 of them buffered.
func BenchmarkInRange(b *testing.B) {
	var s Set
	rng := rand.New(rand.NewPCG(1, 1))
	for range 2000 {
		s.put(key3(rng.IntN(100_000)), []byte("v"))
	}
	b.ReportAllocs()
	for b.Loop() {
		c := s.InRange(store.Range{Start: key3(rng.IntN(100_000))})
		for range 20 {
			if _, _, ok := c.Next(); !ok {
				break
			}
		}
	}
}

// BenchmarkPut measures buffering a write at a random key among n.
func BenchmarkPut(b *testing.B) {
	for _, n := range []int{2_000, 100_000} {
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			rng := rand.New(rand.NewPCG(1, 1))
			keys := make([][]byte, n)
			for i := range keys {
				keys[i] = key3(rng.IntN(10 * n))
			}
			b.ReportAllocs()
			for b.Loop() {
				var s Set
				for _, k := range keys {
					s.put(k, k)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/put")
		})
	}
}

func TestBaseLimit(t *testing.T) {
	tests := []struct {
		name, set string
		r         store.Range
		want      int
	}{
		{"an unlimited scan stays unlimited", "a=- b=-", store.Range{}, 0},
		{"a set without deletions keeps the limit", "a=1 b=2", store.Range{Limit: 2}, 2},
		{"deletions before the limit-th put add to it", "a=- b=- c=1 d=- e=2 f=-", store.Range{Limit: 2}, 2 + 3 + 1},
		{"deletions outside the range do not count", "a=- b=- c=1", store.Range{Start: []byte("c"), Limit: 1}, 1},
		{"a reverse scan counts from the end", "a=- b=1 c=- d=-", store.Range{Limit: 1, Reverse: true}, 1 + 2 + 1},
		{"an empty set keeps the limit", "", store.Range{Limit: 5}, 5},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := set(tt.set).BaseLimit(tt.r); got != tt.want {
				t.Errorf("BaseLimit = %d; want %d", got, tt.want)
			}
		})
	}
}
