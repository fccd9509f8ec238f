package search

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/blevesearch/bleve/v2/analysis"
)

// stemCorpus is English and mixed text in the forms stemming joins.
var stemCorpus = []Document{
	{Kind: KindMessage, ID: "s1", Body: "Deployed the new build to staging", AccessKeys: []string{"k"}},
	{Kind: KindMessage, ID: "s2", Body: "still deploying, ETA 10 min", AccessKeys: []string{"k"}},
	{Kind: KindMessage, ID: "s3", Body: "who deploys on Fridays?", AccessKeys: []string{"k"}},
	{Kind: KindMessage, ID: "s4", Body: "weekly reports are due", AccessKeys: []string{"k"}},
	{Kind: KindMessage, ID: "s5", Body: "the job is running", AccessKeys: []string{"k"}},
	{Kind: KindMessage, ID: "s6", Body: "run it again", AccessKeys: []string{"k"}},
	{Kind: KindMessage, ID: "s7", Body: "明天deployed上线了，请review", AccessKeys: []string{"k"}},
	{Kind: KindMessage, ID: "s8", Body: "organization chart, bob’s reorg", AccessKeys: []string{"k"}},
	{Kind: KindTask, ID: "s9", Title: "Deployment checklist", Body: "deploy the report", AccessKeys: []string{"k"}},
}

func newStemCorpus(t *testing.T) *Index {
	t.Helper()
	ix, err := New(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	ops := make([]Op, len(stemCorpus))
	for i, d := range stemCorpus {
		ops[i] = Upsert(d)
	}
	if err := ix.Apply(context.Background(), ops...); err != nil {
		t.Fatal(err)
	}
	return ix
}

func TestStemming(t *testing.T) {
	ix := newStemCorpus(t)
	tests := []struct {
		name  string
		query string
		want  []string // sorted
	}{
		{"a verb finds its past, -ing and -s forms", "deploy", []string{"s1", "s2", "s3", "s7", "s9"}},
		{"an inflected form finds the others", "deployed", []string{"s1", "s2", "s3", "s7", "s9"}},
		{"deployment shares the stem", "deployment", []string{"s1", "s2", "s3", "s7", "s9"}},
		{"a noun finds its plural", "report", []string{"s4", "s9"}},
		{"a plural finds the singular", "reports", []string{"s4", "s9"}},
		{"running finds run", "running", []string{"s5", "s6"}},
		{"run finds running", "run", []string{"s5", "s6"}},
		{"case folds before stemming", "DEPLOYING", []string{"s1", "s2", "s3", "s7", "s9"}},
		{"a possessive finds the name, curly apostrophe and all", "bob", []string{"s8"}},
		{"a straight possessive finds the curly one", "bob's", []string{"s8"}},
		{"all words must match, stemmed", "deploys build", []string{"s1"}},
		{"an English phrase matches stemmed words in order", `"deploying the new builds"`, []string{"s1"}},
		{"an English phrase out of order does not", `"build the deployed"`, []string{}},
		{"a phrase keeps its words apart", `"deploy the report"`, []string{"s9"}},
		{"an exclusion excludes every form", "deploy -deployed", []string{}},
		{"an excluded phrase is stemmed too", `deploy -"deploying"`, []string{}},
		{"mixed text: a Chinese word and a stemmed English one", "上线 deploy", []string{"s7"}},
		{"mixed phrase across scripts", `"明天deploy上线"`, []string{"s7"}},
		{"mixed phrase with a stemmed word at its end", `"上线了，请reviewing"`, []string{"s7"}},
		{"a Chinese phrase still works", `"明天"`, []string{"s7"}},
		{"a prefix matches words as written", "deploym*", []string{"s9"}},
		{"a prefix past the stem", "organiz*", []string{"s8"}},
		{"a prefix within the stem", "depl*", []string{"s1", "s2", "s3", "s7", "s9"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := ix.Search(context.Background(), "u1", Request{Query: tt.query, Keys: []string{"k"}, Size: MaxSize})
			if err != nil {
				t.Fatal(err)
			}
			got := hitIDs(r)
			slices.Sort(got)
			if !slices.Equal(got, tt.want) {
				t.Errorf("%q: got %v, want %v", tt.query, got, tt.want)
			}
		})
	}
}

func TestStemmingHighlightsTheWordsAsWritten(t *testing.T) {
	ix := newStemCorpus(t)
	manyKeys := []string{"k"}
	for i := range twoPhaseKeys {
		manyKeys = append(manyKeys, "pad:"+strings.Repeat("x", i+1))
	}
	tests := []struct {
		query, id, want string
	}{
		{"deploy", "s1", "<mark>Deployed</mark> the new build to staging"},
		{"deploy", "s7", "明天<mark>deployed</mark>上线了，请review"},
		{"deploy", "s9", "<mark>Deployment</mark> checklist\n<mark>deploy</mark> the report"},
		{"reports", "s4", "weekly <mark>reports</mark> are due"},
		{`"deploys the new builds"`, "s1", "<mark>Deployed</mark> <mark>the</mark> <mark>new</mark> <mark>build</mark> to staging"},
		{"organiz*", "s8", "<mark>organization</mark> chart, bob’s reorg"},
		{"bob", "s8", "organization chart, <mark>bob’s</mark> reorg"},
	}
	for _, keys := range [][]string{{"k"}, manyKeys} {
		for _, tt := range tests {
			r, err := ix.Search(context.Background(), "u1", Request{Query: tt.query, Keys: keys, Size: MaxSize})
			if err != nil {
				t.Fatal(err)
			}
			var got string
			for _, h := range r.Items {
				if h.ID == tt.id {
					got = strings.Join(h.Highlights, "|")
				}
			}
			if got != tt.want {
				t.Errorf("%q in %s, %d keys: got %q, want %q", tt.query, tt.id, len(keys), got, tt.want)
			}
		}
	}
}

// terms returns the terms and positions an analyzer makes of s.
func terms(a analysis.Analyzer, s string) []string {
	var out []string
	for _, t := range a.Analyze([]byte(s)) {
		out = append(out, string(t.Term)+"@"+string(rune('0'+t.Position)))
	}
	return out
}

func TestAnalysis(t *testing.T) {
	im, err := newMapping()
	if err != nil {
		t.Fatal(err)
	}
	an := newAnalyzers(im)
	t.Run("Chinese is analyzed as before stemming", func(t *testing.T) {
		// analyzerPrefix is the analysis of mapping version 4.
		for _, s := range []string{"明天下午开会了", "报价单，合同。", "会", "项目评审会议 ２０２５"} {
			for _, a := range []analysis.Analyzer{an.text, an.query} {
				if got, want := terms(a, s), terms(an.prefix, s); !slices.Equal(got, want) {
					t.Errorf("%q: got %v, want %v", s, got, want)
				}
			}
		}
	})
	tests := []struct {
		name, text  string
		index, quer []string
	}{
		{"the index keeps each word and adds its stem at its position", "Deployed builds",
			[]string{"deployed@1", "deploy@1", "builds@2", "build@2"}, []string{"deploy@1", "build@2"}},
		{"a word that is its own stem is indexed once", "deploy now",
			[]string{"deploy@1", "now@2"}, []string{"deploy@1", "now@2"}},
		{"Han bigrams and English stems in one text", "开会了deploying",
			[]string{"开会@1", "会了@2", "deploying@3", "deploy@3"}, []string{"开会@1", "会了@2", "deploy@3"}},
		{"words with digits are left alone", "ipv6s Q3s",
			[]string{"ipv6s@1", "q3s@2"}, []string{"ipv6s@1", "q3s@2"}},
		{"words with other letters are left alone", "cafés naïvely",
			[]string{"cafés@1", "naïvely@2"}, []string{"cafés@1", "naïvely@2"}},
		{"full-width Latin is folded, then stemmed", "Ｄｅｐｌｏｙｅｄ",
			[]string{"deployed@1", "deploy@1"}, []string{"deploy@1"}},
		{"possessives lose their 's", "bob's bob’s",
			[]string{"bob's@1", "bob@1", "bob’s@2", "bob@2"}, []string{"bob@1", "bob@2"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := terms(an.text, tt.text); !slices.Equal(got, tt.index) {
				t.Errorf("index %q: got %v, want %v", tt.text, got, tt.index)
			}
			if got := terms(an.query, tt.text); !slices.Equal(got, tt.quer) {
				t.Errorf("query %q: got %v, want %v", tt.text, got, tt.quer)
			}
		})
	}
}

// FuzzAnalysis analyzes fuzzed text for the index and for queries: never
// a panic, never an empty term, the index's tokens in position order with
// each stem at the position and offsets of the word before it, and the
// query's tokens as many as the words of the text.
func FuzzAnalysis(f *testing.F) {
	for _, s := range []string{"Deployed builds", "开会了deploying", "bob’s ’s '", "ＤＥＰＬＯＹＳ", "\xffdeploy\xe2\x80", "a'b''c’’d"} {
		f.Add(s)
	}
	im, err := newMapping()
	if err != nil {
		f.Fatal(err)
	}
	an := newAnalyzers(im)
	f.Fuzz(func(t *testing.T, s string) {
		s = clean(s)
		words := an.prefix.Analyze([]byte(s))
		index := an.text.Analyze([]byte(s))
		query := an.query.Analyze([]byte(s))
		if len(query) != len(words) {
			t.Fatalf("%q: %d query tokens, %d words", s, len(query), len(words))
		}
		j := 0
		for i, tok := range index {
			if len(tok.Term) == 0 {
				t.Fatalf("%q: empty index term at %d", s, i)
			}
			if j < len(words) && tok.Position == words[j].Position && string(tok.Term) == string(words[j].Term) {
				j++
				continue
			}
			// A stem: after its word, at its place.
			if i == 0 || tok.Position != index[i-1].Position || tok.Start != index[i-1].Start || tok.End != index[i-1].End {
				t.Fatalf("%q: index token %d %q is neither the next word nor a stem of the previous", s, i, tok.Term)
			}
		}
		if j != len(words) {
			t.Fatalf("%q: index holds %d of the %d words", s, j, len(words))
		}
		for i, tok := range query {
			if len(tok.Term) == 0 {
				t.Fatalf("%q: empty query term at %d", s, i)
			}
		}
	})
}
