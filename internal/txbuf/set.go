package txbuf

import (
	"bytes"
	"cmp"
	"iter"
	"slices"

	"github.com/workspace-go/workspace/store"
)

// Set is a buffered write set: puts and deletes by key, kept in key order
// so that a scan finds the writes in its range in O(log n + k); change
// records appended (in Seq order); and new data for records committed
// before. The zero Set is empty and ready to use.
type Set struct {
	w writes
	// Changes are the appended records, in ascending Seq.
	Changes []store.Change
	// Rewrites maps the Seq of a record committed before the set to the
	// record with its new data (and its kind, unchanged).
	Rewrites map[uint64]store.Change
}

// Pair is a key and its value in a Set's scan order; a nil V is a
// deletion.
type Pair struct{ K, V []byte }

// put writes v at key (a nil v deletes it). The set keeps both slices:
// the caller must not change them.
func (s *Set) put(key, v []byte) { s.w.put(key, v) }

// Lookup returns the set's write at key: ok is false when the set does not
// write key, and v is nil when it deletes it.
func (s *Set) Lookup(key []byte) (v []byte, ok bool) { return s.w.get(key) }

// Len returns the number of keys the set writes or deletes.
func (s *Set) Len() int { return s.w.n }

// Writes yields the keys the set writes in ascending order, each with its
// new value, or nil for a deletion: bbolt inserts fastest in order, and a
// sorted batch takes row locks in one order. The set must not change
// during the walk.
func (s *Set) Writes() iter.Seq2[[]byte, []byte] {
	return func(yield func(k, v []byte) bool) { s.w.all(yield) }
}

// Change returns the record at seq appended in the set, or nil.
func (s *Set) Change(seq uint64) *store.Change {
	i, ok := slices.BinarySearchFunc(s.Changes, seq, func(c store.Change, seq uint64) int { return cmp.Compare(c.Seq, seq) })
	if !ok {
		return nil
	}
	return &s.Changes[i]
}

// Empty reports whether the set writes nothing.
func (s *Set) Empty() bool {
	return s.w.n == 0 && len(s.Changes) == 0 && len(s.Rewrites) == 0
}

// InRange returns a cursor over the set's writes with keys in r, in r's
// order (deletions included, with a nil value), or nil when the set
// writes nothing. Finding the range's first write takes O(log n); the
// cursor then reads only the writes in the range. The set may change
// while the cursor walks: after an insert the cursor finds its place again
// after the last key it returned, so it returns each key once at most,
// in order, and may or may not return keys inserted behind it.
func (s *Set) InRange(r store.Range) Cursor {
	if s.w.n == 0 {
		return nil
	}
	o := &overlay{w: &s.w, r: r}
	o.resume()
	return o
}

// limitWalk bounds the writes BaseLimit reads.
const limitWalk = 1024

// BaseLimit returns the limit to pass to the stored state under the set
// for a scan of r laid over it, so that a backend that reads in pages can
// fetch in one page all that the scan will need: none (0) when r has no
// limit. The scan yields at most r.Limit pairs, and it has them by the
// set's r.Limit-th put in r; until there, each stored pair it reads is
// either yielded or hidden by one of the set's deletions. So r.Limit,
// plus the deletions before that put, plus the one pair read ahead, is
// enough. It reads at most limitWalk of the set's writes.
func (s *Set) BaseLimit(r store.Range) int {
	if r.Limit <= 0 || s.w.n == 0 {
		return r.Limit
	}
	c := s.InRange(r)
	puts, dels := 0, 0
	for n := 0; puts < r.Limit && n < limitWalk; n++ {
		_, v, ok := c.Next()
		if !ok {
			break
		}
		if v == nil {
			dels++
		} else {
			puts++
		}
	}
	if dels == 0 {
		return r.Limit
	}
	return r.Limit + dels + 1
}

// Join adds o, the set of a transaction that committed after s's, to s:
// its writes replace s's, its records follow s's, and its rewrites of
// records s appended change them in place. s shares o's keys and values.
func (s *Set) Join(o *Set) {
	if s.w.n == 0 {
		// The common case, a group's first function: copy o's leaves
		// whole, O(n), rather than insert key by key.
		for _, l := range o.w.leaves {
			s.w.leaves = append(s.w.leaves, append(make([]entry, 0, maxLeaf), l...))
		}
		s.w.n, s.w.gen = o.w.n, s.w.gen+1
	} else {
		o.w.all(func(k, v []byte) bool {
			s.w.put(k, v)
			return true
		})
	}
	s.Changes = append(s.Changes, o.Changes...)
	for seq, c := range o.Rewrites {
		if mine := s.Change(seq); mine != nil {
			mine.Data = c.Data
			continue
		}
		if s.Rewrites == nil {
			s.Rewrites = make(map[uint64]store.Change)
		}
		s.Rewrites[seq] = c
	}
}

// Reset empties the set, keeping some of its room.
func (s *Set) Reset() {
	s.w.reset()
	clear(s.Rewrites)
	s.Changes = s.Changes[:0]
}

// Within reports whether key k is in r's bounds.
func Within(k []byte, r store.Range) bool {
	return (r.Start == nil || bytes.Compare(k, r.Start) >= 0) && (r.End == nil || bytes.Compare(k, r.End) < 0)
}
