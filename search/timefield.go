package search

import (
	"encoding/binary"
	"encoding/hex"
	"strconv"
	"time"

	"github.com/blevesearch/bleve/v2/search/query"
)

// Time is indexed as two keyword fields instead of bleve's datetime field,
// which writes 16 prefix-coded terms (and doc values for all of them) per
// document and halved indexing speed in measurements:
//
//   - fieldTime holds one term, the time as 16 hex digits of its
//     nanoseconds with the sign bit flipped, so byte order is time order:
//     sorting and search-after use its doc values, results read it back.
//   - fieldTimeTrie holds the 15-minute bucket of the time at trieLevels
//     precisions (a trie like bleve's numeric ranges, with a coarser
//     unit): a date range becomes a handful of terms per level. Fifteen
//     minutes is the granularity of every time zone's offset today, so day
//     boundaries in any location are exact.

const (
	bucket     = 15 * time.Minute
	trieStep   = 4 // bits per level
	trieLevels = 6 // 15 min, 4 h, ~2.7 days, ~43 days, ~1.9 years, ~30 years
)

// timeTerm returns the sortable term of t.
func timeTerm(t time.Time) string {
	var b [8]byte
	binary.BigEndian.PutUint64(b[:], uint64(t.UnixNano())^(1<<63))
	return hex.EncodeToString(b[:])
}

// parseTimeTerm is the inverse of timeTerm.
func parseTimeTerm(s string) (time.Time, bool) {
	b, err := hex.DecodeString(s)
	if err != nil || len(b) != 8 {
		return time.Time{}, false
	}
	return time.Unix(0, int64(binary.BigEndian.Uint64(b)^(1<<63))).UTC(), true
}

// bucketOf returns the 15-minute bucket number of t, flooring, offset so
// that it is never negative in the supported range.
func bucketOf(t time.Time) uint64 {
	ns := t.UnixNano()
	q := ns / int64(bucket)
	if ns%int64(bucket) < 0 {
		q--
	}
	return uint64(q + 1<<40)
}

// trieTerm names the bucket range v<<shift .. (v+1)<<shift - 1.
func trieTerm(level int, v uint64) string {
	return strconv.Itoa(level) + ":" + strconv.FormatUint(v, 16)
}

// trieTerms returns the terms indexed for t, one per level.
func trieTerms(t time.Time) []string {
	b := bucketOf(t)
	out := make([]string, trieLevels)
	for l := range trieLevels {
		out[l] = trieTerm(l, b>>(l*trieStep))
	}
	return out
}

// rangeQuery returns a query matching times in [from, to): from and to are
// rounded to buckets (exact when both fall on 15-minute boundaries, as
// day boundaries do). A zero from or to is unbounded.
func rangeQuery(from, to time.Time) query.Query {
	lo, hi := bucketOf(minTime), bucketOf(maxTime)+1
	if !from.IsZero() {
		lo = bucketOf(from)
	}
	if !to.IsZero() {
		hi = bucketOf(to) // exclusive
	}
	if lo >= hi {
		return query.NewMatchNoneQuery()
	}
	var terms []string
	// Walk up the levels: at each, emit the partial blocks at both ends
	// that the next level cannot cover exactly.
	for l := 0; lo < hi; l++ {
		if l == trieLevels-1 {
			for v := lo; v < hi; v++ {
				terms = append(terms, trieTerm(l, v))
			}
			break
		}
		const m = 1<<trieStep - 1
		for lo < hi && lo&m != 0 {
			terms = append(terms, trieTerm(l, lo))
			lo++
		}
		for lo < hi && hi&m != 0 {
			hi--
			terms = append(terms, trieTerm(l, hi))
		}
		lo >>= trieStep
		hi >>= trieStep
	}
	if len(terms) == 0 {
		return query.NewMatchNoneQuery()
	}
	qs := make([]query.Query, len(terms))
	for i, t := range terms {
		tq := query.NewTermQuery(t)
		tq.SetField(fieldTimeTrie)
		qs[i] = tq
	}
	return query.NewDisjunctionQuery(qs)
}
