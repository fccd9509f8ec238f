package search

import (
	"context"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

func TestParse(t *testing.T) {
	sh, _ := time.LoadLocation("Asia/Shanghai")
	ps := parser{actor: "me7", loc: sh, now: time.Date(2025, 3, 14, 20, 0, 0, 0, time.UTC)} // 04:00 on the 15th in Shanghai
	d := func(y int, m time.Month, dd int) time.Time { return time.Date(y, m, dd, 0, 0, 0, 0, sh) }
	tests := []struct {
		name  string
		query string
		want  parsed
	}{
		{"words split on any space", "a\u3000b\tc", parsed{words: []string{"a", "b", "c"}, terms: 3}},
		{"phrases and exclusions", `x "a b" -y -"c d"`, parsed{words: []string{"x"}, phrases: []string{"a b"}, notWords: []string{"y"}, notPhrases: []string{"c d"}, terms: 4}},
		{"a minus inside a word is part of it", "e-mail", parsed{words: []string{"e-mail"}, terms: 1}},
		{"modifier names are case-insensitive", "FROM:@bob In:#c1 type:task", parsed{from: []string{"bob"}, in: []string{"c1"}, types: []string{"task"}, terms: 3}},
		{"from:me is the actor", "from:me", parsed{from: []string{"me7"}, terms: 1}},
		{"a quoted modifier value", `in:"team room" x`, parsed{in: []string{"team room"}, words: []string{"x"}, terms: 2}},
		{"negated modifiers", "-from:a -in:b -type:c -has:file -is:thread", parsed{notFrom: []string{"a"}, notIn: []string{"b"}, notTypes: []string{"c"}, notHas: []string{"file"}, notThread: true, terms: 5}},
		{"dates are days in the location", "after:2025-03-01 before:2025-03-10", parsed{after: d(2025, 3, 2), before: d(2025, 3, 10), terms: 2}},
		{"on: is one day", "on:2025-03-01", parsed{after: d(2025, 3, 1), before: d(2025, 3, 2), terms: 1}},
		{"during: a month", "during:2025-02", parsed{after: d(2025, 2, 1), before: d(2025, 3, 1), terms: 1}},
		{"today is by the clock in the location", "on:today", parsed{after: d(2025, 3, 15), before: d(2025, 3, 16), terms: 1}},
		{"ranges intersect", "during:2025 on:2025-06-01 before:2026-01-01", parsed{after: d(2025, 6, 1), before: d(2025, 6, 2), terms: 3}},
		{"a URL is a word", "http://x.y/z", parsed{words: []string{"http://x.y/z"}, terms: 1}},
		{"a time is a word", "10:30", parsed{words: []string{"10:30"}, terms: 1}},
		{"an open quote runs to the end", `"a b`, parsed{phrases: []string{"a b"}, terms: 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ps.parse(tt.query)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(*got, tt.want) {
				t.Errorf("%q:\n got %+v\nwant %+v", tt.query, *got, tt.want)
			}
		})
	}
}

func TestRangeQueryBuckets(t *testing.T) {
	// Every bucket in a range is covered by exactly one of its terms, and
	// nothing outside it.
	from := time.Date(2024, 12, 30, 23, 45, 0, 0, time.UTC)
	to := time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)
	covered := func(tm time.Time, terms map[string]bool) int {
		n := 0
		for _, tt := range trieTerms(tm) {
			if terms[tt] {
				n++
			}
		}
		return n
	}
	q := rangeQuery(from, to)
	terms := map[string]bool{}
	for _, s := range strings.Split(termsOf(q), " ") {
		terms[s] = true
	}
	if len(terms) > 200 {
		t.Errorf("%d terms for two months", len(terms))
	}
	for tm := from.Add(-48 * time.Hour); tm.Before(to.Add(48 * time.Hour)); tm = tm.Add(bucket) {
		want := 0
		if !tm.Before(from) && tm.Before(to) {
			want = 1
		}
		if got := covered(tm, terms); got != want {
			t.Fatalf("%v: covered by %d terms, want %d", tm, got, want)
		}
	}
}

// termsOf lists the terms of a rangeQuery, space-separated.
func termsOf(q any) string {
	v := reflect.ValueOf(q).Elem().FieldByName("Disjuncts")
	var out []string
	for i := range v.Len() {
		out = append(out, v.Index(i).Elem().Elem().FieldByName("Term").String())
	}
	return strings.Join(out, " ")
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"", "a", `"a b"`, `-"x`, "from:me in:#c type:task", "before:2025-01-01 after:2024-12-31",
		"on:2025-02-30", "has:link is:thread", "foo:bar", "“会议”", "-", "--", `in:"a`, "\xff\xfe",
		"http://a:b@c", strings.Repeat("项目 ", 70), "during:2025-13", "from:\x00",
	} {
		f.Add(s)
	}
	ps := parser{actor: "u1", loc: time.UTC, now: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)}
	f.Fuzz(func(t *testing.T, q string) {
		p, err := ps.parse(q)
		if err != nil {
			if !errors.Is(err, ErrQuery) {
				t.Fatalf("%q: error %v does not wrap ErrQuery", q, err)
			}
			return
		}
		for _, s := range [][]string{p.words, p.phrases, p.notWords, p.notPhrases, p.from, p.in, p.types} {
			for _, w := range s {
				if !utf8.ValidString(w) {
					t.Fatalf("%q: part %q is not UTF-8", q, w)
				}
			}
		}
		if p.terms > MaxQueryTerms {
			t.Fatalf("%q: %d terms accepted", q, p.terms)
		}
	})
}

// FuzzSearch runs fuzzed queries against a small index: never a panic,
// only ErrQuery errors, and never a hit without one of the keys.
func FuzzSearch(f *testing.F) {
	for _, s := range []string{"会", `"开会了 review"`, "from:alice -会", "type:task friday", "\xff会", "-\"", "is:thread 上线", "deployed -deploying", "bob’s organiz*", `"Running 上线了"`} {
		f.Add(s)
	}
	ix, err := New(context.Background(), nil)
	if err != nil {
		f.Fatal(err)
	}
	defer ix.Close()
	ops := make([]Op, len(corpus))
	for i, d := range corpus {
		ops[i] = Upsert(d)
	}
	if err := ix.Apply(context.Background(), ops...); err != nil {
		f.Fatal(err)
	}
	keys := []string{"conv:c2", "user:bob"}
	f.Fuzz(func(t *testing.T, q string) {
		r, err := ix.Search(context.Background(), "alice", Request{Query: q, Keys: keys})
		if err != nil {
			if !errors.Is(err, ErrQuery) {
				t.Fatalf("%q: %v", q, err)
			}
			return
		}
		for _, h := range r.Items {
			for _, d := range corpus {
				if d.ID == h.ID && !strings.Contains(strings.Join(d.AccessKeys, ","), "conv:c2") && !strings.Contains(strings.Join(d.AccessKeys, ","), "user:bob") {
					t.Fatalf("%q: %s found without a key", q, h.ID)
				}
			}
		}
	})
}
