// Package txbuf is the write buffer of the backends that commit in groups
// (boltstore and pgstore): a [Tx] that checks every argument against the
// store contract once, keeps its writes, change records and rewrites in a
// [Set] until the backend commits them, and reads through the set into
// the backend's stored state, a [Base]. A backend supplies the Base and
// applies committed Sets; the rest of store.Tx lives here.
//
// Neither a Tx nor a Set is safe for concurrent use: they belong to the
// goroutine running one transaction (the committer, in Update).
package txbuf

import (
	"bytes"
	"cmp"
	"slices"

	"github.com/workspace-go/workspace/store"
)

// Set is a buffered write set: puts and deletes by key, change records
// appended (in Seq order), and new data for records committed before.
// The zero Set is empty and ready to use.
type Set struct {
	// Writes maps a key to its new value; a nil value is a deletion.
	Writes map[string][]byte
	// Changes are the appended records, in ascending Seq.
	Changes []store.Change
	// Rewrites maps the Seq of a record committed before the set to the
	// record with its new data (and its kind, unchanged).
	Rewrites map[uint64]store.Change
}

// Pair is a key and its value in a Set's scan order; a nil V is a
// deletion.
type Pair struct{ K, V []byte }

func (s *Set) put(key string, v []byte) {
	if s.Writes == nil {
		s.Writes = make(map[string][]byte)
	}
	s.Writes[key] = v
}

// Lookup returns the set's write at key: ok is false when the set does not
// write key, and v is nil when it deletes it.
func (s *Set) Lookup(key []byte) (v []byte, ok bool) {
	v, ok = s.Writes[string(key)]
	return v, ok
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
	return len(s.Writes) == 0 && len(s.Changes) == 0 && len(s.Rewrites) == 0
}

// InRange returns the set's writes with keys in r, in r's order (deletions
// included, with a nil V).
func (s *Set) InRange(r store.Range) []Pair {
	if len(s.Writes) == 0 {
		return nil
	}
	var out []Pair
	for k, v := range s.Writes {
		if Within([]byte(k), r) {
			out = append(out, Pair{[]byte(k), v})
		}
	}
	slices.SortFunc(out, func(a, b Pair) int { return bytes.Compare(a.K, b.K) })
	if r.Reverse {
		slices.Reverse(out)
	}
	return out
}

// Sorted returns the set's writes in ascending key order (deletions with
// a nil V): bbolt inserts fastest in order, and a sorted batch takes row
// locks in one order.
func (s *Set) Sorted() []Pair {
	return s.InRange(store.Range{})
}

// Join adds o, the set of a transaction that committed after s's, to s:
// its writes replace s's, its records follow s's, and its rewrites of
// records s appended change them in place.
func (s *Set) Join(o *Set) {
	for k, v := range o.Writes {
		s.put(k, v)
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

// Reset empties the set, keeping its maps' room.
func (s *Set) Reset() {
	clear(s.Writes)
	clear(s.Rewrites)
	s.Changes = s.Changes[:0]
}

// Within reports whether key k is in r's bounds.
func Within(k []byte, r store.Range) bool {
	return (r.Start == nil || bytes.Compare(k, r.Start) >= 0) && (r.End == nil || bytes.Compare(k, r.End) < 0)
}
