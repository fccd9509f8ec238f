package search

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"html"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis"
	bsearch "github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"

	"github.com/workspace-go/workspace/store"
)

// Sort orders results. It encodes as a string in JSON: "relevance",
// "newest" or "oldest".
type Sort int

// Sort orders.
const (
	// ByRelevance puts the best matches first (the default).
	ByRelevance Sort = iota
	// ByNewest puts the most recent documents first.
	ByNewest
	// ByOldest puts the oldest documents first.
	ByOldest
)

var sortNames = []string{"relevance", "newest", "oldest"}

// String returns the name of s.
func (s Sort) String() string {
	if s >= 0 && int(s) < len(sortNames) {
		return sortNames[s]
	}
	return "Sort(" + strconv.Itoa(int(s)) + ")"
}

// MarshalText encodes s as its name.
func (s Sort) MarshalText() ([]byte, error) {
	if s < 0 || int(s) >= len(sortNames) {
		return nil, fmt.Errorf("search: sort %d: %w", int(s), ErrInvalid)
	}
	return []byte(sortNames[s]), nil
}

// UnmarshalText decodes a sort's name; "" is ByRelevance.
func (s *Sort) UnmarshalText(b []byte) error {
	if len(b) == 0 {
		*s = ByRelevance
		return nil
	}
	for i, n := range sortNames {
		if string(b) == n {
			*s = Sort(i)
			return nil
		}
	}
	return fmt.Errorf("search: sort %q: want relevance, newest or oldest: %w", b, ErrInvalid)
}

// Page sizes and limits.
const (
	// DefaultSize is the page size when Request.Size is zero.
	DefaultSize = 20
	// MaxSize is the largest page size; larger requests get MaxSize.
	MaxSize = 100
	// MaxKeys is the most access keys one search may carry.
	MaxKeys = 100_000
	// SnippetLen is the most characters of a hit's text in its Snippet
	// when no word of the query matched it (a query of modifiers only).
	SnippetLen = 200
)

// Request is one search.
type Request struct {
	// Query is what the user typed: words, "quoted phrases", -exclusions
	// and modifiers (see the package doc).
	Query string `json:"query"`
	// Keys are the access keys the searching user holds, which the Index
	// trusts: only documents carrying at least one of them can match; no
	// keys, no results. An application computes them for the user (the
	// root package's Workspace.SearchAs does, and refuses keys given by
	// its caller); they are never taken from the user's request.
	Keys []string `json:"-"`
	// Sort orders the results; ByRelevance by default.
	Sort Sort `json:"sort,omitempty"`
	// Size is the page size: DefaultSize when 0, at most MaxSize.
	Size int `json:"size,omitempty"`
	// After is Results.Next of the previous page, "" for the first page.
	// It is only valid with the same Query, Keys and Sort.
	After string `json:"after,omitempty"`
	// Location reads the query's dates; nil means the Index's (WithLocation).
	Location *time.Location `json:"-"`
}

// Results is one page of matches: the hits in Items, and in Next the
// cursor of the following page ("" on the last one).
type Results struct {
	store.Page[Hit]
	// Total is the number of documents the searcher may see that match,
	// on all pages.
	Total int `json:"total"`
	// Kinds counts Total by document kind (the facets).
	Kinds map[string]int `json:"kinds,omitempty"`
}

// Hit is one matching document, with what a result list shows: no read
// per hit is needed to render it.
type Hit struct {
	// Kind and ID identify the document.
	Kind string `json:"kind"`
	ID   string `json:"id"`
	// Title is the document's title as indexed (plain text, to be
	// escaped by the application); empty for messages.
	Title string `json:"title,omitempty"`
	// Snippet is a fragment of the text with the matched terms in
	// <mark></mark>, HTML-escaped; without matched terms, the start of
	// the text (at most SnippetLen characters), escaped.
	Snippet string `json:"snippet,omitempty"`
	// Container and ContainerName are where it lives: the id and name of
	// its conversation, calendar or folder.
	Container     string `json:"container,omitempty"`
	ContainerName string `json:"container_name,omitempty"`
	// Author is the id of the user who wrote or owns it.
	Author string `json:"author,omitempty"`
	// Time is the document's time, in UTC.
	Time time.Time `json:"time"`
	// Thread is the thread root of a message in a thread.
	Thread string `json:"thread,omitempty"`
	// Score is the relevance: higher is better.
	Score float64 `json:"score"`
	// Highlights holds every fragment of the title and body (on separate
	// lines) with the matched terms in <mark></mark>; the text is
	// HTML-escaped. Snippet is the first.
	Highlights []string `json:"highlights,omitempty"`
}

// Search runs req for actor (who is "me" in from:me) and returns one
// page. The permission filter is part of the bleve query, so the total,
// the facet counts, the highlights and the pages only ever reflect
// documents carrying one of req.Keys.
//
// An empty query, or one of nothing but punctuation, returns no results
// and no error. A bad modifier or date returns an error wrapping ErrQuery.
func (ix *Index) Search(ctx context.Context, actor string, req Request) (*Results, error) {
	loc := req.Location
	if loc == nil {
		loc = ix.cfg.loc
	}
	p, err := parser{actor: actor, loc: loc, now: ix.cfg.now()}.parse(req.Query)
	if err != nil {
		return nil, err
	}
	if len(req.Keys) > MaxKeys {
		return nil, fmt.Errorf("search: %d access keys, over %d: %w: %w", len(req.Keys), MaxKeys, ErrQuery, ErrTooLarge)
	}
	size := req.Size
	switch {
	case size <= 0:
		size = DefaultSize
	case size > MaxSize:
		size = MaxSize
	}
	var after []string
	if req.After != "" {
		if after, err = decodeCursor(req.After, req.Sort); err != nil {
			return nil, err
		}
	}
	res := &Results{Kinds: map[string]int{}}
	q, text, chars, ok, err := ix.buildQuery(p, req.Keys)
	if err != nil {
		return nil, err
	}
	if !ok {
		return res, nil
	}

	sr := bleve.NewSearchRequestOptions(q, size+1, 0, false)
	switch req.Sort {
	case ByNewest:
		sr.SortBy([]string{"-" + fieldTime, "-_id"})
	case ByOldest:
		sr.SortBy([]string{fieldTime, "_id"})
	default:
		sr.SortBy([]string{"-_score", "_id"})
	}
	sr.SearchAfter = after
	sr.AddFacet(fieldKind, bleve.NewFacetRequest(fieldKind, 1000))
	// With many keys the permission filter comes last and the main search
	// may go through thousands of text matches: reading their term
	// locations for highlights costs more than a second, small search for
	// the page (details). With few keys the filter leads, matches are few,
	// and one search is cheaper; phrases read locations anyway.
	// One-character words (charQuery) have no term locations: their
	// highlights always come from the second search.
	twoPhase := len(req.Keys) > twoPhaseKeys && len(p.phrases) == 0 || chars > 0
	if !twoPhase {
		withDetails(sr)
	}

	ix.mu.RLock()
	defer ix.mu.RUnlock()
	if ix.closed {
		return nil, ErrClosed
	}
	r, err := ix.idx.SearchInContext(ctx, sr)
	if err != nil {
		if ctxErr := ctx.Err(); ctxErr != nil {
			return nil, ctxErr
		}
		return nil, fmt.Errorf("search: %q: %w", req.Query, err)
	}

	res.Total = int(r.Total)
	if f := r.Facets[fieldKind]; f != nil && f.Terms != nil {
		for _, t := range f.Terms.Terms() {
			res.Kinds[t.Term] = t.Count
		}
	}
	hits := r.Hits
	if len(hits) > size {
		hits = hits[:size]
		last := hits[size-1]
		vals := slices.Clone(last.Sort)
		if req.Sort == ByRelevance {
			vals[0] = strconv.FormatFloat(last.Score, 'g', -1, 64)
		}
		res.Next = encodeCursor(req.Sort, vals)
	}
	res.Items = make([]Hit, len(hits))
	for i, h := range hits {
		kind, id := splitID(h.ID)
		res.Items[i] = Hit{Kind: kind, ID: id, Score: h.Score}
		if !twoPhase {
			fill(&res.Items[i], h)
		}
	}
	if !twoPhase {
		return res, nil
	}
	if err := ix.details(ctx, res.Items, text); err != nil {
		if ctxErr := ctx.Err(); ctxErr != nil {
			return nil, ctxErr
		}
		return nil, fmt.Errorf("search: %q: %w", req.Query, err)
	}
	return res, nil
}

// twoPhaseKeys is the number of keys above which a search without
// phrases loads stored fields and highlights in a second search of the
// page alone (details): searchers with many keys tend to have many
// matches, whose term locations would cost more than the second search.
const twoPhaseKeys = 128

// details fills in the stored fields and highlights of a page of hits.
// It is a second, small search (the page's ids and the text part of the
// query) so that the main search, which may go through thousands of
// matches, reads no term locations and loads no stored fields. The page's
// ids come from the filtered main search, under the same read lock, so
// they are all visible to the searcher.
func (ix *Index) details(ctx context.Context, hits []Hit, text query.Query) error {
	if len(hits) == 0 {
		return nil
	}
	ids := make([]string, len(hits))
	for i, h := range hits {
		ids[i] = h.Kind + "/" + h.ID
	}
	var q query.Query = query.NewDocIDQuery(ids)
	if text != nil {
		q = query.NewConjunctionQuery([]query.Query{q, text})
	}
	sr := bleve.NewSearchRequestOptions(q, len(ids), 0, false)
	sr.SortBy([]string{"_id"})
	withDetails(sr)
	r, err := ix.idx.SearchInContext(ctx, sr)
	if err != nil {
		return err
	}
	byID := make(map[string]*Hit, len(hits))
	for i := range hits {
		byID[ids[i]] = &hits[i]
	}
	for _, h := range r.Hits {
		if hit := byID[h.ID]; hit != nil {
			fill(hit, h)
		}
	}
	return nil
}

// withDetails asks sr for the stored fields and highlights of its hits.
func withDetails(sr *bleve.SearchRequest) {
	sr.Fields = []string{fieldContainer, fieldContainerName, fieldTitle, fieldText, fieldAuthor, fieldTime, fieldThread}
	sr.Highlight = bleve.NewHighlightWithStyle(highlighterName)
	sr.Highlight.Fields = []string{fieldText}
}

// fill copies the stored fields and highlights of h into hit.
func fill(hit *Hit, h *bsearch.DocumentMatch) {
	hit.Highlights = h.Fragments[fieldText]
	hit.Title, _ = h.Fields[fieldTitle].(string)
	hit.Container, _ = h.Fields[fieldContainer].(string)
	hit.ContainerName, _ = h.Fields[fieldContainerName].(string)
	hit.Author, _ = h.Fields[fieldAuthor].(string)
	hit.Thread, _ = h.Fields[fieldThread].(string)
	if ts, ok := h.Fields[fieldTime].(string); ok {
		hit.Time, _ = parseTimeTerm(ts)
	}
	if len(hit.Highlights) > 0 {
		hit.Snippet = hit.Highlights[0]
	} else if text, ok := h.Fields[fieldText].(string); ok {
		if body, ok := strings.CutPrefix(text, hit.Title+"\n"); ok && hit.Title != "" {
			text = body
		}
		hit.Snippet = html.EscapeString(leading(text, SnippetLen))
	}
}

// leading returns the first n characters of s, cut at a space when one is
// near.
func leading(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	i, count := 0, 0
	for j := range s {
		if count == n {
			i = j
			break
		}
		count++
	}
	if sp := strings.LastIndexAny(s[:i], " \n"); sp > i*3/4 {
		i = sp
	}
	return s[:i] + "…"
}

// cursor is the decoded form of Results.Next.
type cursor struct {
	Sort  Sort     `json:"s"`
	After []string `json:"a"`
}

func encodeCursor(s Sort, after []string) string {
	b, _ := json.Marshal(cursor{Sort: s, After: after}) // strings and an int: cannot fail
	return base64.RawURLEncoding.EncodeToString(b)
}

func decodeCursor(s string, sort Sort) ([]string, error) {
	bad := func(why string) error { return fmt.Errorf("search: cursor %.32q: %s: %w", s, why, ErrCursor) }
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return nil, bad("not base64")
	}
	var c cursor
	if err := json.Unmarshal(b, &c); err != nil {
		return nil, bad("not a cursor")
	}
	if c.Sort != sort {
		return nil, bad("issued for another sort order")
	}
	if len(c.After) != 2 {
		return nil, bad("wrong length")
	}
	if sort == ByRelevance {
		if _, err := strconv.ParseFloat(c.After[0], 64); err != nil {
			return nil, bad("bad score")
		}
	} else if _, ok := parseTimeTerm(c.After[0]); !ok {
		return nil, bad("bad time")
	}
	return c.After, nil
}

// buildQuery turns p into a bleve query with the permission filter, and
// returns its text part (words and phrases; nil when none) for
// highlighting. ok=false means nothing can match: no keys, nothing to
// search for, or text that analyzes to no terms.
func (ix *Index) buildQuery(p *parsed, keys []string) (q, text query.Query, chars int, ok bool, err error) {
	if p.empty() || len(keys) == 0 {
		return nil, nil, 0, false, nil
	}
	c := &queryCost{terms: p.terms - len(p.words) - len(p.phrases) - len(p.notWords) - len(p.notPhrases)}
	var must, not []query.Query
	for _, w := range p.words {
		if t := ix.wordQuery(w, c); t != nil {
			must = append(must, t)
		}
	}
	for _, ph := range p.phrases {
		if t := ix.phraseQuery(ph, c); t != nil {
			must = append(must, t)
		}
	}
	textTerms := len(p.words) + len(p.phrases)
	if textTerms > 0 && len(must) == 0 && len(p.from)+len(p.in)+len(p.types)+len(p.has) == 0 && !p.thread {
		// Only punctuation: nothing to look for.
		return nil, nil, 0, false, nil
	}
	// The text part again, for highlights: one-character words as the
	// bigrams that hold them, whose term locations mark the text.
	hl := &queryCost{highlight: true}
	var hlMust []query.Query
	for _, w := range p.words {
		if t := ix.wordQuery(w, hl); t != nil {
			hlMust = append(hlMust, t)
		}
	}
	for _, ph := range p.phrases {
		if t := ix.phraseQuery(ph, hl); t != nil {
			hlMust = append(hlMust, t)
		}
	}
	switch len(hlMust) {
	case 0:
	case 1:
		text = hlMust[0]
	default:
		text = query.NewConjunctionQuery(hlMust)
	}
	for _, w := range p.notWords {
		if t := ix.wordQuery(w, c); t != nil {
			not = append(not, t)
		}
	}
	for _, ph := range p.notPhrases {
		if t := ix.phraseQuery(ph, c); t != nil {
			not = append(not, t)
		}
	}
	if len(p.from) > 0 {
		must = append(must, anyTerm(fieldAuthor, p.from))
	}
	if len(p.in) > 0 {
		must = append(must, anyTerm(fieldContainer, p.in))
	}
	if len(p.types) > 0 {
		must = append(must, anyTerm(fieldKind, p.types))
	}
	for _, h := range p.has {
		must = append(must, term(fieldHas, h))
	}
	if p.thread {
		must = append(must, term(fieldIs, "thread"))
	}
	if len(p.notFrom) > 0 {
		not = append(not, anyTerm(fieldAuthor, p.notFrom))
	}
	if len(p.notIn) > 0 {
		not = append(not, anyTerm(fieldContainer, p.notIn))
	}
	if len(p.notTypes) > 0 {
		not = append(not, anyTerm(fieldKind, p.notTypes))
	}
	for _, h := range p.notHas {
		not = append(not, term(fieldHas, h))
	}
	if p.notThread {
		not = append(not, term(fieldIs, "thread"))
	}

	// The date filter joins the conjunction unscored; what the user may
	// see restricts the index under the whole query (see access.go).
	if !p.after.IsZero() || !p.before.IsZero() {
		must = append(must, unscoredQuery{rangeQuery(p.after, p.before)})
	}

	switch len(must) {
	case 0:
		q = query.NewMatchAllQuery()
	case 1:
		q = must[0]
	default:
		q = query.NewConjunctionQuery(must)
	}
	if len(not) > 0 {
		bq := query.NewBooleanQuery(nil, nil, nil)
		bq.Must = q
		bq.MustNot = query.NewDisjunctionQuery(not)
		q = bq
	}
	if err := c.check(); err != nil {
		return nil, nil, 0, false, err
	}
	return newAccessQuery(q, keys, ix.keys, ix.stats), text, c.chars, true, nil
}

func term(field, v string) query.Query {
	t := query.NewTermQuery(v)
	t.SetField(field)
	return t
}

// anyTerm matches any of vs in field, each value once.
func anyTerm(field string, vs []string) query.Query {
	if len(vs) == 1 {
		return term(field, vs[0])
	}
	seen := make(map[string]bool, len(vs))
	qs := make([]query.Query, 0, len(vs))
	for _, v := range vs {
		if !seen[v] {
			seen[v] = true
			qs = append(qs, term(field, v))
		}
	}
	return query.NewDisjunctionQuery(qs)
}

// wordQuery matches documents whose text holds every term of w
// (a word may analyze to several: "foo-bar", or the bigrams of a Chinese
// run). It returns nil when w has no terms.
func (ix *Index) wordQuery(w string, c *queryCost) query.Query {
	if stem, ok := strings.CutSuffix(w, "*"); ok {
		if q := ix.prefixQuery(stem); q != nil {
			c.terms++
			c.expansions++
			return q
		}
		w = stem
	}
	toks := ix.an.query.Analyze([]byte(w))
	if len(toks) == 0 {
		return nil
	}
	seen := map[string]bool{}
	var qs []query.Query
	for _, t := range toks {
		s := string(t.Term)
		if seen[s] {
			c.terms++ // analyzed all the same
			continue
		}
		seen[s] = true
		qs = append(qs, tokenQuery(t, c))
	}
	if len(qs) == 1 {
		return qs[0]
	}
	return query.NewConjunctionQuery(qs)
}

// tokenQuery matches one analyzed token: its term, or for a lone Han
// character every term that holds it.
func tokenQuery(t *analysis.Token, c *queryCost) query.Query {
	c.terms++
	if isLoneHan(t) {
		c.expansions++
		if c.highlight {
			return singleCharQuery(string(t.Term))
		}
		c.chars++
		return charQuery{string(t.Term)}
	}
	return term(fieldText, string(t.Term))
}

// isLoneHan reports a token that is one Han character: the bigram filter
// emits one for a character with no Han neighbour.
func isLoneHan(t *analysis.Token) bool {
	return (t.Type == analysis.Single || t.Type == analysis.Ideographic) && utf8.RuneCount(t.Term) == 1
}

// singleCharQuery matches a Han character c wherever it occurs: alone
// (the term c), first in a bigram (prefix c) or second (?c). The index
// holds no unigrams inside runs, so this is how "会" finds 开会 and 会议.
func singleCharQuery(c string) query.Query {
	prefix := query.NewPrefixQuery(c) // also matches c itself
	prefix.SetField(fieldText)
	second := query.NewWildcardQuery("?" + c)
	second.SetField(fieldText)
	return query.NewDisjunctionQuery([]query.Query{prefix, second})
}

// minPrefix is the shortest stem a "word*" query expands: shorter ones
// would match too many terms to be useful or fast.
const minPrefix = 2

// prefixQuery matches words starting with stem ("depl*"), when stem
// analyzes to one term of at least minPrefix characters; nil otherwise.
// stem is not stemmed: the index holds every word as written beside its
// stem, and a prefix such as "organiz" starts the word "organization"
// but not its stem "organ".
func (ix *Index) prefixQuery(stem string) query.Query {
	toks := ix.an.prefix.Analyze([]byte(stem))
	if len(toks) != 1 || utf8.RuneCount(toks[0].Term) < minPrefix {
		return nil
	}
	q := query.NewPrefixQuery(string(toks[0].Term))
	q.SetField(fieldText)
	return q
}

// phraseQuery matches the terms of ph at consecutive positions in the
// text; the query's English words are stemmed and the index holds the
// stem of every word at the word's own position, so positions line up
// as they do for unstemmed words. A lone
// Han character at either end of the phrase may be, in a document, the
// end or the start of a longer run, indexed only inside a bigram: it is
// dropped from the phrase and required anywhere in the text instead
// ("了 review" finds "开会了 review", and also, loosely, "review ... 了").
func (ix *Index) phraseQuery(ph string, c *queryCost) query.Query {
	toks := ix.an.query.Analyze([]byte(ph))
	var ends []query.Query
	for len(toks) > 1 && isLoneHan(toks[0]) {
		ends = append(ends, tokenQuery(toks[0], c))
		toks = toks[1:]
	}
	for len(toks) > 1 && isLoneHan(toks[len(toks)-1]) {
		ends = append(ends, tokenQuery(toks[len(toks)-1], c))
		toks = toks[:len(toks)-1]
	}
	var q query.Query
	switch len(toks) {
	case 0:
		return nil
	case 1:
		q = tokenQuery(toks[0], c)
	default:
		c.terms += len(toks)
		terms := make([]string, len(toks))
		for i, t := range toks {
			terms[i] = string(t.Term)
		}
		q = query.NewPhraseQuery(terms, fieldText)
	}
	if len(ends) == 0 {
		return q
	}
	return query.NewConjunctionQuery(append(ends, q))
}
