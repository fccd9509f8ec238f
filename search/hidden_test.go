package search

import (
	"context"
	"fmt"
	"testing"
)

// TestHiddenMatchesCostNothing is the regression test of finding 9: a
// word found only in documents the searcher cannot see must cost what an
// absent word costs. Work is counted, not timed: the postings the query
// read through the permission filter.
func TestHiddenMatchesCostNothing(t *testing.T) {
	checkLeaks(t)
	ctx := context.Background()
	ix, err := New(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	ix.stats = &filterStats{}
	var ops []Op
	for i := range 15_000 {
		ops = append(ops, Upsert(Document{Kind: KindDoc, ID: fmt.Sprint("h", i), Body: "confidential merger " + fmt.Sprint(i),
			AccessKeys: []string{fmt.Sprint("conv:board", i%7)}}))
	}
	for i := range 50 {
		ops = append(ops, Upsert(Document{Kind: KindMessage, ID: fmt.Sprint("v", i), Body: "lunch menu " + fmt.Sprint(i),
			AccessKeys: []string{fmt.Sprint("conv:c", i%3)}}))
	}
	ops = append(ops, Upsert(Document{Kind: KindMessage, ID: "v-merger", Body: "a merger of two teams",
		AccessKeys: []string{"conv:c0"}}))
	if err := ix.Apply(ctx, ops...); err != nil {
		t.Fatal(err)
	}
	for _, nkeys := range []int{3, 2000} { // few keys and many
		keys := []string{"conv:c0", "conv:c1", "conv:c2"}
		for i := len(keys); i < nkeys; i++ {
			keys = append(keys, fmt.Sprint("conv:other", i))
		}
		work := func(q string) (int64, *Results) {
			ix.stats.postings.Store(0)
			res, err := ix.Search(ctx, "u1", Request{Query: q, Keys: keys, Size: MaxSize})
			if err != nil {
				t.Fatal(err)
			}
			return ix.stats.postings.Load(), res
		}
		t.Run(fmt.Sprintf("%d keys", nkeys), func(t *testing.T) {
			hidden, res := work("confidential")
			absent, _ := work("xylophone")
			if res.Total != 0 {
				t.Errorf("a hidden word found %d documents", res.Total)
			}
			if hidden != absent || hidden != 0 {
				t.Errorf("a word in 15,000 hidden documents read %d postings, an absent word %d: want both 0", hidden, absent)
			}
			visible, res := work("merger")
			if res.Total != 1 || visible != 1 {
				t.Errorf("a word in 15,000 hidden and 1 visible document: %d found, %d postings read, want 1 and 1", res.Total, visible)
			}
		})
	}
	t.Run("scores do not depend on hidden documents", func(t *testing.T) {
		// Term statistics are those of the visible documents: the score of
		// the visible "merger" is what it is in an index without the
		// hidden ones.
		alone, err := New(context.Background(), nil)
		if err != nil {
			t.Fatal(err)
		}
		defer alone.Close()
		if err := alone.Apply(ctx, ops[15_000:]...); err != nil {
			t.Fatal(err)
		}
		req := Request{Query: "merger", Keys: []string{"conv:c0", "conv:c1", "conv:c2"}}
		a, err := ix.Search(ctx, "u1", req)
		if err != nil {
			t.Fatal(err)
		}
		b, err := alone.Search(ctx, "u1", req)
		if err != nil {
			t.Fatal(err)
		}
		if len(a.Items) != 1 || len(b.Items) != 1 || a.Items[0].Score != b.Items[0].Score {
			t.Errorf("score %v beside hidden documents, %v without them: want equal", a.Items, b.Items)
		}
	})
}
