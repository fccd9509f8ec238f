package txbuf

import (
	"fmt"
	"strings"
	"testing"

	"github.com/workspace-go/workspace/store"
)

func pairs(s string) []Pair {
	var out []Pair
	for _, f := range strings.Fields(s) {
		k, v, _ := strings.Cut(f, "=")
		p := Pair{K: []byte(k)}
		if v != "-" {
			p.V = []byte(v)
		}
		out = append(out, p)
	}
	return out
}

// slice is a Cursor over pairs.
type slice []Pair

func (p *slice) Next() ([]byte, []byte, bool) {
	if len(*p) == 0 {
		return nil, nil, false
	}
	kv := (*p)[0]
	*p = (*p)[1:]
	return kv.K, kv.V, true
}

func (p *slice) Err() error { return nil }

func cursor(ps []Pair) Cursor {
	s := slice(ps)
	return &s
}

// all drains c.
func all(c Cursor) []string {
	var got []string
	for k, v, ok := c.Next(); ok; k, v, ok = c.Next() {
		got = append(got, string(k)+"="+string(v))
	}
	return got
}

func TestMerge(t *testing.T) {
	tests := []struct {
		name, over, stored, want string
		reverse                  bool
	}{
		{"an empty overlay yields the stored pairs", "", "a=1 c=3", "a=1 c=3", false},
		{"overlay pairs fall into place", "b=2 d=4", "a=1 c=3", "a=1 b=2 c=3 d=4", false},
		{"an overlay write replaces the stored pair", "a=9", "a=1 c=3", "a=9 c=3", false},
		{"an overlay deletion hides the stored pair", "a=-", "a=1 c=3", "c=3", false},
		{"a deletion of an absent key yields nothing", "b=-", "a=1 c=3", "a=1 c=3", false},
		{"reverse order merges the same way", "d=4 b=-", "c=3 b=2 a=1", "d=4 c=3 a=1", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := all(Merge(cursor(pairs(tt.over)), cursor(pairs(tt.stored)), tt.reverse))
			if g := strings.Join(got, " "); g != tt.want {
				t.Errorf("Merge = %q; want %q", g, tt.want)
			}
		})
	}
	t.Run("the stored side is read no further than needed", func(t *testing.T) {
		stored := slice(pairs("a=1 c=3 e=5"))
		m := Merge(cursor(pairs("b=2")), &stored, false)
		m.Next()
		if len(stored) != 2 {
			t.Errorf("after a, %d stored pairs unread; want 2 (c, e)", len(stored))
		}
		m.Next()
		if len(stored) != 1 {
			t.Errorf("after b, %d stored pairs unread; want 1 (e: c had to be read to place b)", len(stored))
		}
	})
}

// set returns a set of the writes in s ("k=v", "k=-" for a deletion).
func set(s string) *Set {
	var out Set
	for _, p := range pairs(s) {
		out.put(p.K, p.V)
	}
	return &out
}

func TestJoin(t *testing.T) {
	for _, first := range []string{"", "z=0"} {
		g := set(first)
		a := set("a=1 b=2")
		a.Changes = []store.Change{{Seq: 5, Kind: "k", Data: []byte("five")}}
		g.Join(a)
		b := set("a=-")
		b.Changes = []store.Change{{Seq: 6, Kind: "k", Data: []byte("six")}}
		b.Rewrites = map[uint64]store.Change{5: {Seq: 5, Kind: "k", Data: []byte("5")}, 2: {Seq: 2, Kind: "k", Data: []byte("2")}}
		g.Join(b)
		var keys []string
		for k, v := range g.Writes() {
			keys = append(keys, string(k)+"="+string(v))
		}
		wantKeys := strings.Fields(strings.TrimSpace("a= b=2 " + first))
		got := fmt.Sprintf("%q %v %q", keys, g.Changes, g.Rewrites[2].Data)
		want := fmt.Sprintf("%q %v %q", wantKeys, []store.Change{{Seq: 5, Kind: "k", Data: []byte("5")}, {Seq: 6, Kind: "k", Data: []byte("six")}}, "2")
		if got != want {
			t.Errorf("joined onto %q: set = %s; want %s", first, got, want)
		}
		if v, ok := g.Lookup([]byte("a")); !ok || v != nil {
			t.Errorf("joined onto %q: Lookup(a) = %q, %v; want the deletion", first, v, ok)
		}
		if _, ok := g.Rewrites[5]; ok {
			t.Error("a rewrite of a record the set appended stayed a rewrite; want it applied to the record")
		}
	}
}
