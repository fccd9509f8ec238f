package search

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/workspace-go/workspace/internal/clock"
	"github.com/workspace-go/workspace/store"
)

var day = time.Date(2025, 3, 14, 9, 30, 0, 0, time.UTC)

// corpus is a small workspace: two conversations, a task, an event and
// a document with a department key.
var corpus = []Document{
	{Kind: KindMessage, ID: "m1", Container: "c1", Author: "alice", Time: day, AccessKeys: []string{"conv:c1"},
		Body: "明天下午开会了，review the PR please"},
	{Kind: KindMessage, ID: "m2", Container: "c1", Author: "bob", Time: day.Add(time.Hour), AccessKeys: []string{"conv:c1"},
		Body: "会议室在三楼 deadline Friday https://example.com/room", Has: []string{HasLink}},
	{Kind: KindMessage, ID: "m3", Container: "c2", Author: "alice", Time: day.Add(24 * time.Hour), AccessKeys: []string{"conv:c2"},
		Body: "ＦＵＬＬ－ＷＩＤＴＨ Ｄｅｐｌｏｙ 上线", Thread: "m3", Has: []string{HasReaction}},
	{Kind: KindMessage, ID: "m4", Container: "c2", Author: "carol", Time: day.Add(25 * time.Hour), AccessKeys: []string{"conv:c2"},
		Body: "reply in thread: deploy done 上线完成", Thread: "m3", Has: []string{HasFile}},
	{Kind: KindTask, ID: "t1", Container: "c1", Author: "alice", Time: day.Add(-24 * time.Hour), AccessKeys: []string{"conv:c1", "user:bob"},
		Title: "发报价单给客户", Body: "send the quote to the client by Friday"},
	{Kind: KindEvent, ID: "e1", Container: "cal1", Author: "bob", Time: day.Add(48 * time.Hour), AccessKeys: []string{"user:alice", "user:bob"},
		Title: "项目评审会议", Body: "quarterly review meeting"},
	{Kind: KindDoc, ID: "d1", Container: "f1", Author: "dave", Time: day.Add(-48 * time.Hour), AccessKeys: []string{"dept:sales"},
		Title: "Sales playbook 销售手册", Body: "how we quote and close deals"},
}

// newCorpus returns an in-memory index holding corpus, with a fake clock
// at day+3 days.
func newCorpus(t *testing.T) *Index {
	t.Helper()
	clk := clock.NewFake(day.Add(72 * time.Hour))
	ix, err := New(context.Background(), nil, WithClock(clk.Now))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	ops := make([]Op, len(corpus))
	for i, d := range corpus {
		ops[i] = Upsert(d)
	}
	if err := ix.Apply(context.Background(), ops...); err != nil {
		t.Fatal(err)
	}
	return ix
}

var allKeys = []string{"conv:c1", "conv:c2", "user:alice", "user:bob", "dept:sales"}

func hitIDs(r *Results) []string {
	out := []string{}
	for _, h := range r.Items {
		out = append(out, h.ID)
	}
	return out
}

func TestSearch(t *testing.T) {
	ix := newCorpus(t)
	tests := []struct {
		name  string
		query string
		keys  []string
		want  []string // ByOldest
	}{
		{"a Chinese word finds its bigrams", "开会", allKeys, []string{"m1"}},
		{"a single Chinese character finds it anywhere in a run", "会", allKeys, []string{"m1", "m2", "e1"}},
		{"a single character at the end of a run is found", "了", allKeys, []string{"m1"}},
		{"English is case-insensitive", "DEADLINE", allKeys, []string{"m2"}},
		{"full-width Latin folds to half-width", "deploy", allKeys, []string{"m3", "m4"}},
		{"all words must match", "deploy 完成", allKeys, []string{"m4"}},
		{"a title matches", "报价单", allKeys, []string{"t1"}},
		{"a phrase matches in order", `"review the PR"`, allKeys, []string{"m1"}},
		{"a phrase out of order does not", `"PR the review"`, allKeys, []string{}},
		{"a mixed phrase matches across scripts", `"开会了 review"`, allKeys, []string{"m1"}},
		{"a phrase may start with the last character of a run", `"了, review"`, allKeys, []string{"m1"}},
		{"a phrase may end inside a run", `"明天下午开"`, allKeys, []string{"m1"}},
		{"a phrase of one character", `"楼"`, allKeys, []string{"m2"}},
		{"curly quotes make a phrase", "“上线完成”", allKeys, []string{"m4"}},
		{"exclusion removes", "上线 -完成", allKeys, []string{"m3"}},
		{"an excluded phrase removes", `deploy -"deploy done"`, allKeys, []string{"m3"}},
		{"from: filters by author", "from:alice", allKeys, []string{"t1", "m1", "m3"}},
		{"from:@ and from:me mean either author", "from:@bob from:me", allKeys, []string{"t1", "m1", "m2", "m3", "e1"}},
		{"in: filters by container", "in:#c2", allKeys, []string{"m3", "m4"}},
		{"-in: excludes a container", "friday -in:c1", allKeys, []string{}},
		{"type: filters by kind", "type:task", allKeys, []string{"t1"}},
		{"two types mean either", "type:task type:event", allKeys, []string{"t1", "e1"}},
		{"has:link", "has:link", allKeys, []string{"m2"}},
		{"has:file and has:reaction", "has:file", allKeys, []string{"m4"}},
		{"is:thread", "is:thread", allKeys, []string{"m3", "m4"}},
		{"-is:thread", "deploy -is:thread", allKeys, []string{}},
		{"on: a day", "on:2025-03-14", allKeys, []string{"m1", "m2"}},
		{"before: is strictly before the day", "before:2025-03-14", allKeys, []string{"d1", "t1"}},
		{"after: is strictly after the day", "after:2025-03-15", allKeys, []string{"e1"}},
		{"a month", "during:2025-03", allKeys, []string{"d1", "t1", "m1", "m2", "m3", "m4", "e1"}},
		{"yesterday by the clock", "on:yesterday", allKeys, []string{"e1"}},
		{"a URL is a word, not a modifier", "https://example.com/room", allKeys, []string{"m2"}},
		{"only documents with one of the keys", "会", []string{"conv:c2", "user:alice"}, []string{"e1"}},
		{"a user key reaches a shared task", "quote", []string{"user:bob"}, []string{"t1"}},
		{"no keys, no results", "会", nil, []string{}},
		{"unknown keys, no results", "会", []string{"conv:zzz"}, []string{}},
		{"the empty query finds nothing", "", allKeys, []string{}},
		{"only stop characters find nothing", "，。！？、 ... -- \"\" “”", allKeys, []string{}},
		{"an unbalanced quote runs to the end", `"review the`, allKeys, []string{"m1"}},
		{"word* matches a prefix", "depl*", allKeys, []string{"m3", "m4"}},
		{"a one-letter prefix is a plain word", "d*", allKeys, []string{}},
		{"a Chinese prefix", "会议*", allKeys, []string{"m2", "e1"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := ix.Search(context.Background(), "alice", Request{Query: tt.query, Keys: tt.keys, Sort: ByOldest})
			if err != nil {
				t.Fatal(err)
			}
			got := hitIDs(r)
			want := tt.want
			if want == nil {
				want = []string{}
			}
			if !slices.Equal(got, want) {
				t.Errorf("%q: got %v, want %v", tt.query, got, want)
			}
			if r.Total != len(got) {
				t.Errorf("%q: total %d, want %d", tt.query, r.Total, len(got))
			}
		})
	}
}

func TestSearchResults(t *testing.T) {
	ix := newCorpus(t)
	ctx := context.Background()
	manyKeys := slices.Clone(allKeys)
	for i := range twoPhaseKeys {
		manyKeys = append(manyKeys, fmt.Sprint("pad:", i))
	}
	for _, keys := range [][]string{allKeys, manyKeys} {
		t.Run("hits carry their fields and highlights", func(t *testing.T) {
			r, err := ix.Search(ctx, "alice", Request{Query: "会议", Keys: keys, Sort: ByNewest})
			if err != nil {
				t.Fatal(err)
			}
			if len(r.Items) != 2 {
				t.Fatalf("got %v, want 2 hits", hitIDs(r))
			}
			h := r.Items[0]
			if h.ID != "e1" || h.Kind != KindEvent || h.Container != "cal1" || h.Author != "bob" || !h.Time.Equal(day.Add(48*time.Hour)) {
				t.Errorf("got %+v", h)
			}
			if got, want := strings.Join(h.Highlights, "|"), "项目评审<mark>会议</mark>\nquarterly review meeting"; got != want {
				t.Errorf("highlight: got %q, want %q", got, want)
			}
		})
	}
	t.Run("facets count kinds of what the user may see", func(t *testing.T) {
		r, err := ix.Search(ctx, "alice", Request{Query: "friday", Keys: allKeys})
		if err != nil {
			t.Fatal(err)
		}
		if got, want := r.Kinds, map[string]int{KindMessage: 1, KindTask: 1}; !mapsEqual(got, want) {
			t.Errorf("got %v, want %v", got, want)
		}
		r, err = ix.Search(ctx, "alice", Request{Query: "friday", Keys: []string{"user:bob"}})
		if err != nil {
			t.Fatal(err)
		}
		if got, want := r.Kinds, map[string]int{KindTask: 1}; !mapsEqual(got, want) || r.Total != 1 {
			t.Errorf("got %v total %d, want %v total 1", got, r.Total, want)
		}
	})
	for _, tc := range []struct {
		query string
		sort  Sort
		total int
	}{
		{"during:2025", ByRelevance, len(corpus)}, {"during:2025", ByNewest, len(corpus)}, {"during:2025", ByOldest, len(corpus)},
		{"会 OR review deploy", ByRelevance, 0}, {"会", ByRelevance, 3}, {"friday", ByRelevance, 2},
	} {
		t.Run("pages follow one another without repeats", func(t *testing.T) {
			sort := tc.sort
			all, err := ix.Search(ctx, "alice", Request{Query: tc.query, Keys: allKeys, Sort: sort, Size: MaxSize})
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			req := Request{Query: tc.query, Keys: allKeys, Sort: sort, Size: 1}
			for page := 0; ; page++ {
				r, err := ix.Search(ctx, "alice", req)
				if err != nil {
					t.Fatal(err)
				}
				if r.Total != tc.total {
					t.Errorf("%q page %d: total %d, want %d", tc.query, page, r.Total, tc.total)
				}
				got = append(got, hitIDs(r)...)
				if r.Next == "" {
					break
				}
				req.After = r.Next
			}
			if want := hitIDs(all); !slices.Equal(got, want) || len(got) != tc.total {
				t.Errorf("%q sort %d: pages %v, want %v", tc.query, sort, got, want)
			}
		})
	}
	t.Run("a cursor from another sort is refused", func(t *testing.T) {
		r, err := ix.Search(ctx, "alice", Request{Query: "during:2025", Keys: allKeys, Sort: ByNewest, Size: 1})
		if err != nil {
			t.Fatal(err)
		}
		_, err = ix.Search(ctx, "alice", Request{Query: "during:2025", Keys: allKeys, Sort: ByOldest, After: r.Next})
		if !errors.Is(err, ErrCursor) {
			t.Errorf("got %v, want ErrCursor", err)
		}
	})
	t.Run("a cancelled context stops the search", func(t *testing.T) {
		cctx, cancel := context.WithCancel(ctx)
		cancel()
		_, err := ix.Search(cctx, "alice", Request{Query: "会", Keys: allKeys})
		if !errors.Is(err, context.Canceled) {
			t.Errorf("got %v, want context.Canceled", err)
		}
	})
}

func mapsEqual(a, b map[string]int) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

func TestBadInput(t *testing.T) {
	checkLeaks(t)
	ix := newCorpus(t)
	ctx := context.Background()
	long := strings.Repeat("报价单 review ", 1000) // over 10 KB
	tests := []struct {
		name    string
		query   string
		wantErr error // nil: no error
	}{
		{"an unknown modifier", "foo:bar", ErrQuery},
		{"a modifier without a value", "from:", ErrQuery},
		{"a bad date", "before:2025-13-45", ErrQuery},
		{"a date in words", "on:tomorrowish", ErrQuery},
		{"an excluded date", "-on:2025-01-01", ErrQuery},
		{"a bad has:", "has:unicorn", ErrQuery},
		{"a bad is:", "is:archived", ErrQuery},
		{"from:me without an actor", "from:me", ErrQuery},
		{"a 10 KB query", long, ErrQuery},
		{"too many terms", strings.Repeat("a ", MaxQueryTerms+1), ErrQuery},
		{"invalid UTF-8", "\xff\xfe会\xc3", nil},
		{"a lone minus", "-", nil},
		{"an empty phrase", `""`, nil},
		{"control characters", "\x00\x01\x02", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			actor := "alice"
			if tt.name == "from:me without an actor" {
				actor = ""
			}
			_, err := ix.Search(ctx, actor, Request{Query: tt.query, Keys: allKeys})
			if tt.wantErr == nil && err != nil {
				t.Errorf("got %v, want no error", err)
			}
			if tt.wantErr != nil && (!errors.Is(err, tt.wantErr) || !errors.Is(err, store.ErrInvalid)) {
				t.Errorf("got %v, want %v", err, tt.wantErr)
			}
		})
	}
	t.Run("a garbage cursor", func(t *testing.T) {
		for _, c := range []string{"!!!", "e30", "eyJzIjowLCJhIjpbIngiLCJ5Il19"} {
			if _, err := ix.Search(ctx, "alice", Request{Query: "会", Keys: allKeys, After: c}); !errors.Is(err, ErrCursor) {
				t.Errorf("%q: got %v, want ErrCursor", c, err)
			}
		}
	})
	t.Run("invalid UTF-8 in a document is indexed and found", func(t *testing.T) {
		err := ix.Apply(ctx, Upsert(Document{Kind: KindMessage, ID: "bad", Body: "bro\xffken 文\xfe本", Author: "\xff", AccessKeys: []string{"conv:c1"}}))
		if err != nil {
			t.Fatal(err)
		}
		r, err := ix.Search(ctx, "alice", Request{Query: "bro", Keys: allKeys})
		if err != nil {
			t.Fatal(err)
		}
		if got := hitIDs(r); !slices.Equal(got, []string{"bad"}) {
			t.Errorf("got %v", got)
		}
	})
	t.Run("bad documents are refused whole", func(t *testing.T) {
		for _, d := range []Document{
			{Kind: "", ID: "x"},
			{Kind: "a/b", ID: "x"},
			{Kind: KindDoc, ID: ""},
			{Kind: KindDoc, ID: "\xff"},
			{Kind: KindDoc, ID: "x", Time: time.Date(3000, 1, 1, 0, 0, 0, 0, time.UTC)},
		} {
			err := ix.Apply(ctx, Upsert(Document{Kind: KindDoc, ID: "fine", Body: "zzfine", AccessKeys: []string{"conv:c1"}}), Upsert(d))
			if !errors.Is(err, ErrDocument) {
				t.Errorf("%+v: got %v, want ErrDocument", d, err)
			}
		}
		r, _ := ix.Search(ctx, "alice", Request{Query: "zzfine", Keys: allKeys})
		if r.Total != 0 {
			t.Errorf("half a batch was written")
		}
	})
}
