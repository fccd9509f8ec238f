package search

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"sync"
	"sync/atomic"

	"github.com/RoaringBitmap/roaring/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	index "github.com/blevesearch/bleve_index_api"
	segment "github.com/blevesearch/scorch_segment_api/v2"
)

// The permission filter restricts the index before the query runs, not
// its results after: accessQuery hands the query below it a view of the
// index snapshot (filteredReader) in which the documents the searcher may
// not see do not exist. For every segment of the snapshot, the view holds
// the bitmap of the segment's documents that carry one of the searcher's
// keys (the union of the keys' postings on the access field, less the
// deleted documents); every postings list the query opens is read with the
// complement of that bitmap as its exclusion set, which zap subtracts as a
// bitmap before iterating. So a term, a phrase, a prefix or a match-all
// query only ever iterates, scores and counts visible documents: a word
// found only in documents the searcher cannot see costs what an absent
// word costs, and term statistics (document frequencies, and so scores)
// are those of the visible documents alone. The cost of the filter follows
// the number of keys and segments, not the number of documents matched.

// accessQuery runs inner over the documents carrying one of keys.
type accessQuery struct {
	inner query.Query
	keys  []string // sorted, distinct
	cache *keyCache
	stats *filterStats
}

func newAccessQuery(inner query.Query, keys []string, cache *keyCache, stats *filterStats) *accessQuery {
	ks := slices.Clone(keys)
	slices.Sort(ks)
	return &accessQuery{inner: inner, keys: slices.Compact(ks), cache: cache, stats: stats}
}

// filterStats counts the work of the permission filter, for tests: the
// postings the filtered view gave out are visible documents by
// construction, and the test checks that a query never sees more.
type filterStats struct {
	postings atomic.Int64 // postings read through filtered term readers
}

// Searcher implements query.Query.
func (q *accessQuery) Searcher(ctx context.Context, i index.IndexReader, m mapping.IndexMapping, options search.SearcherOptions) (search.Searcher, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	snap, ok := i.(*scorch.IndexSnapshot)
	if !ok {
		return nil, fmt.Errorf("search: permission filter: index reader %T is not a scorch snapshot", i)
	}
	fr, err := newFilteredReader(ctx, snap, q.keys, q.cache, q.stats)
	if err != nil {
		return nil, err
	}
	return q.inner.Searcher(ctx, fr, m, options)
}

// visibleSeg is one segment of a snapshot seen through the filter.
type visibleSeg struct {
	seg     segment.Segment
	offset  uint64          // global number of the segment's first document
	allowed *roaring.Bitmap // visible live documents
	except  *roaring.Bitmap // every other document number of the segment
}

// filteredReader is an index snapshot restricted to the documents one
// searcher may see. It is used by one search, on one goroutine, for the
// life of the query's searchers.
type filteredReader struct {
	*scorch.IndexSnapshot
	segs    []visibleSeg
	offsets []uint64
	visible uint64
	stats   *filterStats

	mu    sync.Mutex
	dicts map[string][]segment.TermDictionary
}

// keyCheckEvery is how many key lookups run between checks of the
// context while the filter is built.
const keyCheckEvery = 512

func newFilteredReader(ctx context.Context, snap *scorch.IndexSnapshot, keys []string, cache *keyCache, stats *filterStats) (*filteredReader, error) {
	fr := &filteredReader{IndexSnapshot: snap, stats: stats, dicts: map[string][]segment.TermDictionary{}}
	sss := snap.Segments()
	live := make([]segment.Segment, len(sss))
	for i, ss := range sss {
		live[i] = ss.Segment()
	}
	var offset uint64
	var found []*roaring.Bitmap
	var dense []uint64
	for i, ss := range sss {
		seg := live[i]
		count := seg.Count()
		docs, err := cache.of(ctx, seg, live)
		if err != nil {
			return nil, err
		}
		found = found[:0]
		for _, k := range keys {
			if bm := docs[k]; bm != nil {
				found = append(found, bm)
			}
		}
		allowed := union(found, count, &dense)
		if del := ss.Deleted(); del != nil {
			allowed.AndNot(del)
		}
		fr.segs = append(fr.segs, visibleSeg{
			seg:     seg,
			offset:  offset,
			allowed: allowed,
			except:  roaring.Flip(allowed, 0, count),
		})
		fr.offsets = append(fr.offsets, offset)
		fr.visible += allowed.GetCardinality()
		offset += count
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return fr, nil
}

// denseUnion is the number of bitmaps above which union sets bits in a
// dense bitset of the segment instead of merging roaring containers: the
// keys of a user in thousands of conversations are thousands of small
// sorted arrays, which roaring merges pairwise (40 ms for 2,000 keys on
// 200,000 documents, against 1 ms for the bitset).
const denseUnion = 16

// union returns the union of bms, documents of a segment of count
// documents; dense is a scratch buffer.
func union(bms []*roaring.Bitmap, count uint64, dense *[]uint64) *roaring.Bitmap {
	switch {
	case len(bms) == 0:
		return roaring.New()
	case len(bms) == 1:
		return bms[0].Clone()
	case len(bms) <= denseUnion:
		return roaring.FastOr(bms...)
	}
	words := int((count + 63) / 64)
	if cap(*dense) < words {
		*dense = make([]uint64, words)
	}
	d := (*dense)[:words]
	clear(d)
	for _, bm := range bms {
		bm.WriteDenseTo(d) // ors its bits in
	}
	return roaring.FromDense(d, true)
}

// DocCount is the number of documents the searcher may see: term
// statistics are those of the visible index.
func (r *filteredReader) DocCount() (uint64, error) { return r.visible, nil }

func (r *filteredReader) dictionaries(field string) ([]segment.TermDictionary, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if d, ok := r.dicts[field]; ok {
		return d, nil
	}
	d := make([]segment.TermDictionary, len(r.segs))
	for i, s := range r.segs {
		var err error
		if d[i], err = s.seg.Dictionary(field); err != nil {
			return nil, err
		}
	}
	r.dicts[field] = d
	return d, nil
}

// TermFieldReader reads the postings of term in field, visible documents
// only.
func (r *filteredReader) TermFieldReader(ctx context.Context, term []byte, field string, includeFreq, includeNorm, includeTermVectors bool) (index.TermFieldReader, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	dicts, err := r.dictionaries(field)
	if err != nil {
		return nil, err
	}
	t := &filteredTFR{r: r, freq: includeFreq, norm: includeNorm, vectors: includeTermVectors,
		pls: make([]segment.PostingsList, len(r.segs)), its: make([]segment.PostingsIterator, len(r.segs))}
	for i, s := range r.segs {
		if s.allowed.IsEmpty() {
			continue
		}
		pl, err := dicts[i].PostingsList(term, s.except, nil)
		if err != nil {
			return nil, err
		}
		t.pls[i] = pl
		t.count += pl.Count()
	}
	t.reset()
	return t, nil
}

// segmentOf returns the segment holding global document number num.
func (r *filteredReader) segmentOf(num uint64) int {
	return sort.Search(len(r.offsets), func(i int) bool { return r.offsets[i] > num }) - 1
}

// filteredTFR is a term's postings over the visible documents.
type filteredTFR struct {
	r                   *filteredReader
	freq, norm, vectors bool
	pls                 []segment.PostingsList
	its                 []segment.PostingsIterator
	seg                 int
	count               uint64
	curr                uint64 // global number of the current posting
	started             bool
}

func (t *filteredTFR) reset() {
	for i, pl := range t.pls {
		if pl != nil {
			t.its[i] = pl.Iterator(t.freq, t.norm, t.vectors, nil)
		}
	}
	t.seg, t.started = 0, false
}

func (t *filteredTFR) Next(pre *index.TermFieldDoc) (*index.TermFieldDoc, error) {
	for ; t.seg < len(t.its); t.seg++ {
		it := t.its[t.seg]
		if it == nil {
			continue
		}
		p, err := it.Next()
		if err != nil {
			return nil, err
		}
		if p != nil {
			return t.doc(p, pre), nil
		}
	}
	return nil, nil
}

func (t *filteredTFR) Advance(id index.IndexInternalID, pre *index.TermFieldDoc) (*index.TermFieldDoc, error) {
	num, err := docNumber(id)
	if err != nil {
		return nil, err
	}
	if t.started && num <= t.curr {
		t.reset() // backwards: start again, as scorch does
	}
	seg := t.r.segmentOf(num)
	if seg < 0 {
		seg = 0
	}
	if seg > t.seg || !t.started {
		t.seg = seg
	}
	if t.seg == seg && t.its[seg] != nil {
		p, err := t.its[seg].Advance(num - t.r.segs[seg].offset)
		if err != nil {
			return nil, err
		}
		if p != nil {
			return t.doc(p, pre), nil
		}
		t.seg++
	}
	return t.Next(pre)
}

func (t *filteredTFR) doc(p segment.Posting, rv *index.TermFieldDoc) *index.TermFieldDoc {
	if rv == nil {
		rv = &index.TermFieldDoc{}
	}
	t.started = true
	t.curr = p.Number() + t.r.segs[t.seg].offset
	rv.ID = numberToID(rv.ID, t.curr)
	if t.freq {
		rv.Freq = p.Frequency()
	}
	if t.norm {
		rv.Norm = p.Norm()
	}
	if t.vectors {
		locs := p.Locations()
		rv.Vectors = rv.Vectors[:0]
		for _, l := range locs {
			rv.Vectors = append(rv.Vectors, &index.TermFieldVector{
				Field: l.Field(), ArrayPositions: l.ArrayPositions(),
				Pos: l.Pos(), Start: l.Start(), End: l.End(),
			})
		}
	}
	if t.r.stats != nil {
		t.r.stats.postings.Add(1)
	}
	return rv
}

func (t *filteredTFR) Count() uint64 { return t.count }
func (t *filteredTFR) Close() error  { return nil }
func (t *filteredTFR) Size() int     { return 0 }

// DocIDReaderAll reads every visible document, for match-all queries (a
// query of only exclusions or date ranges).
func (r *filteredReader) DocIDReaderAll() (index.DocIDReader, error) {
	return &visibleIDs{r: r}, nil
}

// visibleIDs iterates the visible documents in index order.
type visibleIDs struct {
	r   *filteredReader
	seg int
	it  roaring.IntPeekable
	buf []byte
}

func (v *visibleIDs) Next() (index.IndexInternalID, error) {
	for v.seg < len(v.r.segs) {
		if v.it == nil {
			v.it = v.r.segs[v.seg].allowed.Iterator()
		}
		if v.it.HasNext() {
			v.buf = numberToID(v.buf, uint64(v.it.Next())+v.r.segs[v.seg].offset)
			return slices.Clone(v.buf), nil
		}
		v.seg++
		v.it = nil
	}
	return nil, nil
}

func (v *visibleIDs) Advance(id index.IndexInternalID) (index.IndexInternalID, error) {
	num, err := docNumber(id)
	if err != nil {
		return nil, err
	}
	seg := max(v.r.segmentOf(num), 0)
	v.seg = seg
	v.it = nil
	if seg < len(v.r.segs) {
		v.it = v.r.segs[seg].allowed.Iterator()
		v.it.AdvanceIfNeeded(uint32(num - v.r.segs[seg].offset))
	}
	return v.Next()
}

func (v *visibleIDs) Size() int    { return 0 }
func (v *visibleIDs) Close() error { return nil }

func numberToID(buf []byte, n uint64) []byte {
	if cap(buf) < 8 {
		buf = make([]byte, 8)
	}
	buf = buf[:8]
	for i := 7; i >= 0; i-- {
		buf[i] = byte(n)
		n >>= 8
	}
	return buf
}

func docNumber(id index.IndexInternalID) (uint64, error) {
	if len(id) != 8 {
		return 0, fmt.Errorf("search: internal id %x of %d bytes", []byte(id), len(id))
	}
	var n uint64
	for _, b := range id {
		n = n<<8 | uint64(b)
	}
	return n, nil
}

// unscoredQuery runs its query without scores or term vectors: a filter
// that can sit in a conjunction, where bleve drives the conjunction by its
// smallest member.
type unscoredQuery struct{ inner query.Query }

// Searcher implements query.Query.
func (q unscoredQuery) Searcher(ctx context.Context, i index.IndexReader, m mapping.IndexMapping, options search.SearcherOptions) (search.Searcher, error) {
	options.Score = "none"
	options.IncludeTermVectors = false
	options.Explain = false
	return q.inner.Searcher(ctx, i, m, options)
}
