package search

import (
	"context"
	"fmt"
	"hash/fnv"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"
)

// seeded returns a random source seeded from the test's name, so a
// failure reproduces.
func seeded(t *testing.T) *rand.Rand {
	h := fnv.New64a()
	h.Write([]byte(t.Name()))
	s := h.Sum64()
	return rand.New(rand.NewPCG(s, s>>1))
}

// TestPermissionProperty checks, for random documents, keys and queries,
// that no result ever lacks one of the searcher's keys, and that totals,
// facets and pages are exactly those of the documents the searcher may
// see: against an independent model of matching, and against the same
// query run with every key and filtered afterwards.
func TestPermissionProperty(t *testing.T) {
	r := seeded(t)
	words := []string{"alpha", "beta", "gamma", "delta", "omega", "项目", "会议", "报价", "合同", "客户"}
	// Principal keys (a document names who may view it) and many
	// conversations, so that searchers hold a few keys or dozens (the
	// filter's dense union).
	universe := []string{"tenant", "dept:d1", "dept:d2"}
	for i := range 60 {
		universe = append(universe, fmt.Sprint("conv:c", i))
	}
	for i := range 5 {
		universe = append(universe, fmt.Sprint("user:u", i), fmt.Sprint("group:g", i))
	}
	kinds := []string{KindMessage, KindTask, KindEvent, KindDoc}
	pick := func(from []string, max int) []string {
		var out []string
		for range r.IntN(max + 1) {
			out = append(out, from[r.IntN(len(from))])
		}
		return out
	}

	ix, err := New(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	docs := map[string]Document{}
	var ops []Op
	for i := range 300 {
		d := Document{
			Kind:       kinds[r.IntN(len(kinds))],
			ID:         fmt.Sprint("d", i),
			Container:  fmt.Sprint("c", r.IntN(10)),
			Author:     fmt.Sprint("u", r.IntN(5)),
			Body:       strings.Join(pick(words, 6), " "),
			Time:       day.Add(time.Duration(i) * time.Hour),
			AccessKeys: pick(universe, 3),
		}
		docs[d.Kind+"/"+d.ID] = d
		ops = append(ops, Upsert(d))
	}
	ctx := context.Background()
	// In small batches: many segments, so that the filter's per-segment
	// bitmaps and its readers' moves between segments are exercised.
	for i := 0; i < len(ops); i += 25 {
		if err := ix.Apply(ctx, ops[i:min(i+25, len(ops))]...); err != nil {
			t.Fatal(err)
		}
	}

	// matches is the model: every query word is a body word, or a
	// character of one for single-character words; modifiers hold.
	type q struct {
		text        string
		words       []string
		from, in    string
		kind, notIn string
	}
	matches := func(d Document, q q) bool {
		body := strings.Fields(d.Body)
		for _, w := range q.words {
			ok := slices.ContainsFunc(body, func(b string) bool {
				return b == w || len([]rune(w)) == 1 && strings.Contains(b, w)
			})
			if !ok {
				return false
			}
		}
		return (q.from == "" || d.Author == q.from) && (q.in == "" || d.Container == q.in) &&
			(q.kind == "" || d.Kind == q.kind) && (q.notIn == "" || d.Container != q.notIn)
	}
	sees := func(d Document, keys []string) bool {
		return slices.ContainsFunc(d.AccessKeys, func(k string) bool { return slices.Contains(keys, k) })
	}
	// all runs req through every page and returns the hits' keys.
	all := func(req Request) (ids []string, first *Results) {
		for {
			res, err := ix.Search(ctx, "u0", req)
			if err != nil {
				t.Fatalf("%q: %v", req.Query, err)
			}
			if first == nil {
				first = res
			}
			for _, h := range res.Items {
				ids = append(ids, h.Kind+"/"+h.ID)
			}
			if res.Next == "" {
				return ids, first
			}
			req.After = res.Next
		}
	}

	singles := []string{"项", "会", "客"}
	nonEmpty := 0
	for i := range 150 {
		if i == 75 {
			// Permissions change: documents get other keys (their old
			// versions deleted in the old segments) or are deleted.
			var ops []Op
			for j := range 120 {
				id := fmt.Sprint("d", r.IntN(300))
				key := kinds[0]
				for k, d := range docs {
					if d.ID == id {
						key = k
					}
				}
				d, ok := docs[key]
				if !ok {
					continue
				}
				if j%4 == 0 {
					delete(docs, key)
					ops = append(ops, Delete(d.Kind, d.ID))
					continue
				}
				d.AccessKeys = pick(universe, 3)
				docs[key] = d
				ops = append(ops, Upsert(d))
			}
			if err := ix.Apply(ctx, ops...); err != nil {
				t.Fatal(err)
			}
		}
		var qq q
		for _, w := range pick(append(words, singles...), 2) {
			qq.words = append(qq.words, w)
		}
		parts := slices.Clone(qq.words)
		switch r.IntN(5) {
		case 0:
			qq.from = fmt.Sprint("u", r.IntN(5))
			parts = append(parts, "from:"+qq.from)
		case 1:
			qq.in = fmt.Sprint("c", r.IntN(10))
			parts = append(parts, "in:"+qq.in)
		case 2:
			qq.kind = kinds[r.IntN(len(kinds))]
			parts = append(parts, "type:"+qq.kind)
		case 3:
			qq.notIn = fmt.Sprint("c", r.IntN(10))
			parts = append(parts, "-in:"+qq.notIn)
		}
		if len(parts) == 0 {
			parts, qq.kind = []string{"type:task"}, KindTask
		}
		qq.text = strings.Join(parts, " ")
		keys := pick(universe, 6)
		if r.IntN(3) == 0 {
			keys = append(keys, pick(universe, 40)...) // a dense union
		}
		if r.IntN(3) == 0 { // over twoPhaseKeys: the two-phase search
			for j := range twoPhaseKeys {
				keys = append(keys, fmt.Sprint("pad:", j))
			}
		}
		sort := Sort(r.IntN(3))
		req := Request{Query: qq.text, Keys: keys, Sort: sort, Size: 1 + r.IntN(15)}

		got, first := all(req)
		var want []string
		wantKinds := map[string]int{}
		for id, d := range docs {
			if sees(d, keys) && matches(d, qq) {
				want = append(want, id)
				wantKinds[d.Kind]++
			}
		}
		if len(got) > 0 {
			nonEmpty++
		}
		for _, id := range got {
			if !sees(docs[id], keys) {
				t.Fatalf("query %d %q keys %v: %s has none of the keys (it has %v)", i, qq.text, keys, id, docs[id].AccessKeys)
			}
		}
		if first.Total != len(want) {
			t.Errorf("query %d %q keys %v: total %d, want %d", i, qq.text, keys, first.Total, len(want))
		}
		if !mapsEqual(first.Kinds, wantKinds) {
			t.Errorf("query %d %q keys %v: kinds %v, want %v", i, qq.text, keys, first.Kinds, wantKinds)
		}
		slices.Sort(got)
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Errorf("query %d %q keys %v sort %d: pages hold %v, want %v", i, qq.text, keys, sort, got, want)
		}
		// The same query with every key, filtered afterwards.
		everything, _ := all(Request{Query: qq.text, Keys: universe, Size: MaxSize})
		var filtered []string
		for _, id := range everything {
			if sees(docs[id], keys) {
				filtered = append(filtered, id)
			}
		}
		slices.Sort(filtered)
		if !slices.Equal(got, filtered) {
			t.Errorf("query %d %q: filtered inside %v, outside %v", i, qq.text, got, filtered)
		}
	}
	if nonEmpty < 30 {
		t.Errorf("only %d of 150 queries found anything: the property was barely tested", nonEmpty)
	}
}
