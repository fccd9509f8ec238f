package search

import (
	"context"

	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	"github.com/blevesearch/bleve/v2/search/searcher"
	index "github.com/blevesearch/bleve_index_api"
)

// The permission filter has two implementations, chosen by the number of
// keys the searcher holds:
//
//   - up to termFilterKeys keys, a filter clause of term queries on the
//     access field, which bleve ORs as bitmaps: cheap to set up, and fast
//     even when the rest of the query matches most documents;
//   - beyond, accessQuery: every document the rest of the query matches is
//     kept only if one of its access keys (read from doc values) is in a
//     hash set of the searcher's keys. Its cost follows the number of
//     matches, not the number of keys, where opening thousands of
//     postings lists per segment cost hundreds of milliseconds.
const termFilterKeys = 128

// accessQuery wraps a query with the hash-set permission filter.
type accessQuery struct {
	inner query.Query
	keys  map[string]struct{}
}

func newAccessQuery(inner query.Query, keys []string) *accessQuery {
	set := make(map[string]struct{}, len(keys))
	for _, k := range keys {
		set[k] = struct{}{}
	}
	return &accessQuery{inner: inner, keys: set}
}

// Searcher implements query.Query.
func (q *accessQuery) Searcher(ctx context.Context, i index.IndexReader, m mapping.IndexMapping, options search.SearcherOptions) (search.Searcher, error) {
	s, err := q.inner.Searcher(ctx, i, m, options)
	if err != nil {
		return nil, err
	}
	dvr, err := i.DocValueReader([]string{fieldAccess})
	if err != nil {
		s.Close()
		return nil, err
	}
	return searcher.NewFilteringSearcher(ctx, s, func(_ *search.SearchContext, d *search.DocumentMatch) bool {
		ok := false
		err := dvr.VisitDocValues(d.IndexInternalID, func(_ string, term []byte) {
			if !ok {
				_, ok = q.keys[string(term)]
			}
		})
		return err == nil && ok
	}), nil
}

// unscoredQuery runs its query without scores or term vectors: a filter
// that can sit in a conjunction, where bleve drives the conjunction by its
// smallest member. A disjunction of terms run this way becomes one bitmap
// union ("unadorned" in bleve), so a user's 50 conversations lead the
// search and the text terms are only advanced to their documents, instead
// of every text match being checked against the filter afterwards.
type unscoredQuery struct{ inner query.Query }

// Searcher implements query.Query.
func (q unscoredQuery) Searcher(ctx context.Context, i index.IndexReader, m mapping.IndexMapping, options search.SearcherOptions) (search.Searcher, error) {
	options.Score = "none"
	options.IncludeTermVectors = false
	options.Explain = false
	return q.inner.Searcher(ctx, i, m, options)
}
