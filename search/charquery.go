package search

import (
	"context"
	"fmt"
	"regexp/syntax"
	"unicode/utf8"

	"github.com/RoaringBitmap/roaring/v2"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	index "github.com/blevesearch/bleve_index_api"
	segment "github.com/blevesearch/scorch_segment_api/v2"
	"github.com/blevesearch/vellum"
	vregexp "github.com/blevesearch/vellum/regexp"
)

// charQuery matches the visible documents whose text holds the Han
// character c anywhere: alone, or first or second in a bigram. It is the
// one-character query of a search: instead of a disjunction of every
// bigram holding c, each a scored term searcher (hundreds of them, merged
// document by document), it unions the bigrams' postings as bitmaps, once
// per segment, and intersects them with what the searcher may see. Its
// matches are unscored (a constant score): a single character says little
// about relevance. Highlights come from singleCharQuery in the details
// search of the page.
type charQuery struct{ c string }

// Searcher implements query.Query. It needs the filtered view of the
// permission filter (accessQuery), which it always runs under.
func (q charQuery) Searcher(ctx context.Context, i index.IndexReader, m mapping.IndexMapping, options search.SearcherOptions) (search.Searcher, error) {
	fr, ok := i.(*filteredReader)
	if !ok {
		return singleCharQuery(q.c).Searcher(ctx, i, m, options)
	}
	second, err := secondCharAutomaton(q.c)
	if err != nil {
		return nil, err
	}
	dicts, err := fr.dictionaries(fieldText)
	if err != nil {
		return nil, err
	}
	first := []byte(q.c)
	end := append([]byte(q.c[:len(q.c)-1]), q.c[len(q.c)-1]+1)
	sub := &filteredReader{IndexSnapshot: fr.IndexSnapshot, offsets: fr.offsets, stats: fr.stats, dicts: map[string][]segment.TermDictionary{}}
	for n, s := range fr.segs {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		hits := roaring.New()
		if !s.allowed.IsEmpty() {
			var pl segment.PostingsList
			var pi segment.PostingsIterator
			for _, it := range []segment.DictionaryIterator{
				dicts[n].AutomatonIterator(&vellum.AlwaysMatch{}, first, end), // c, c?
				dicts[n].AutomatonIterator(second, nil, nil),                  // ?c
			} {
				for e, err := it.Next(); e != nil || err != nil; e, err = it.Next() {
					if err != nil {
						return nil, err
					}
					if pl, err = dicts[n].PostingsList([]byte(e.Term), nil, pl); err != nil {
						return nil, err
					}
					pi = postingsInto(hits, pl, pi)
				}
			}
			hits.And(s.allowed)
		}
		sub.segs = append(sub.segs, visibleSeg{seg: s.seg, offset: s.offset, allowed: hits})
		sub.visible += hits.GetCardinality()
		if fr.stats != nil {
			fr.stats.postings.Add(int64(hits.GetCardinality()))
		}
	}
	return query.NewMatchAllQuery().Searcher(ctx, sub, m, options)
}

// secondCharAutomaton matches the two-character terms ending with c.
func secondCharAutomaton(c string) (*vregexp.Regexp, error) {
	r, _ := utf8.DecodeRuneInString(c)
	re := &syntax.Regexp{Op: syntax.OpConcat, Sub: []*syntax.Regexp{
		{Op: syntax.OpAnyCharNotNL},
		{Op: syntax.OpLiteral, Rune: []rune{r}},
	}}
	a, err := vregexp.NewParsedWithLimit(re.String(), re, 10<<20)
	if err != nil {
		return nil, fmt.Errorf("search: expand %q: %w", c, err)
	}
	return a, nil
}
