package txbuf

import (
	"bytes"
	"slices"

	"github.com/workspace-go/workspace/store"
)

// writes is the ordered index of a Set's puts and deletions: a two-level
// B+-tree, a slice of leaves, each a sorted run of at most maxLeaf
// entries, the leaves in key order. A lookup or insert is a binary search
// over the leaves and one within a leaf (O(log n)) and moves at most a
// leaf's entries, or, at a split, the leaf headers; a range is found in
// O(log n) and walked in key order. Inserting n random keys moves about
// (n/maxLeaf)²/2 leaf headers in all besides the entries within leaves:
// measured, 0.35 µs a put among 2,000 and 1.1 µs among 100,000
// (BenchmarkPut).
type writes struct {
	leaves [][]entry
	n      int    // entries
	gen    uint64 // counts inserts: a position taken before one is stale
}

// entry is one buffered write; a nil v is a deletion.
type entry struct {
	k, v []byte
}

// maxLeaf is the most entries a leaf holds before it splits in two.
const maxLeaf = 128

func cmpEntry(e entry, k []byte) int { return bytes.Compare(e.k, k) }

// leaf returns the index of the leaf that holds k, or would: the first
// whose last key is at least k, or the last leaf.
func (w *writes) leaf(k []byte) int {
	i, _ := slices.BinarySearchFunc(w.leaves, k, func(l []entry, k []byte) int {
		return bytes.Compare(l[len(l)-1].k, k)
	})
	return min(i, len(w.leaves)-1)
}

func (w *writes) get(k []byte) (v []byte, ok bool) {
	if w.n == 0 {
		return nil, false
	}
	l := w.leaves[w.leaf(k)]
	j, ok := slices.BinarySearchFunc(l, k, cmpEntry)
	if !ok {
		return nil, false
	}
	return l[j].v, true
}

func (w *writes) put(k, v []byte) {
	if w.n == 0 {
		w.leaves = append(w.leaves[:0], append(make([]entry, 0, 8), entry{k, v}))
		w.n, w.gen = 1, w.gen+1
		return
	}
	i := w.leaf(k)
	l := w.leaves[i]
	j, ok := slices.BinarySearchFunc(l, k, cmpEntry)
	if ok {
		l[j].v = v // in place: positions stay valid
		return
	}
	l = slices.Insert(l, j, entry{k, v})
	w.n, w.gen = w.n+1, w.gen+1
	if len(l) <= maxLeaf {
		w.leaves[i] = l
		return
	}
	// Split: the upper half moves to a leaf of its own, with room to grow.
	hi := append(make([]entry, 0, maxLeaf), l[len(l)/2:]...)
	clear(l[len(l)/2:])
	w.leaves[i] = l[:len(l)/2]
	w.leaves = slices.Insert(w.leaves, i+1, hi)
}

// all calls f for every entry in ascending key order until f returns
// false.
func (w *writes) all(f func(k, v []byte) bool) {
	for _, l := range w.leaves {
		for _, e := range l {
			if !f(e.k, e.v) {
				return
			}
		}
	}
}

func (w *writes) reset() {
	clear(w.leaves)
	w.leaves = w.leaves[:0]
	w.n, w.gen = 0, w.gen+1
}

// pos is a position in writes: leaf i, entry j.
type pos struct{ i, j int }

// seek returns the position of the first entry with a key at least k
// (after, when strict), or the end.
func (w *writes) seek(k []byte, strict bool) pos {
	if w.n == 0 {
		return pos{}
	}
	i := w.leaf(k)
	j, ok := slices.BinarySearchFunc(w.leaves[i], k, cmpEntry)
	if ok && strict {
		j++
	}
	return w.norm(pos{i, j})
}

// norm moves a position past the end of a leaf to the start of the next.
func (w *writes) norm(p pos) pos {
	if p.i < len(w.leaves) && p.j == len(w.leaves[p.i]) {
		return pos{p.i + 1, 0}
	}
	return p
}

// at returns the entry at p, or ok == false at the end.
func (w *writes) at(p pos) (entry, bool) {
	if p.i >= len(w.leaves) {
		return entry{}, false
	}
	return w.leaves[p.i][p.j], true
}

// prev returns the position before p, or ok == false at the start.
func (w *writes) prev(p pos) (pos, bool) {
	if p.j > 0 {
		return pos{p.i, p.j - 1}, true
	}
	if p.i == 0 {
		return pos{}, false
	}
	return pos{p.i - 1, len(w.leaves[p.i-1]) - 1}, true
}

// overlay is a Cursor over the writes of a Set in a range, in the range's
// order, deletions included (with a nil value). Writes to the Set while
// it walks (a scan's loop body may write) do not derail it: after an
// insert it finds its place again after the last key it returned, so it
// returns every key at most once, in order.
type overlay struct {
	w       *writes
	r       store.Range
	p       pos    // next entry (forward) or the one after it (reverse)
	gen     uint64 // w.gen when p was taken
	last    []byte // last key returned
	started bool
	done    bool
}

func (o *overlay) Err() error { return nil }

func (o *overlay) Next() ([]byte, []byte, bool) {
	if o.done {
		return nil, nil, false
	}
	if o.gen != o.w.gen {
		o.resume()
	}
	var e entry
	if o.r.Reverse {
		p, ok := o.w.prev(o.p)
		if ok {
			e = o.w.leaves[p.i][p.j]
			o.p = p
		}
		if !ok || o.r.Start != nil && bytes.Compare(e.k, o.r.Start) < 0 {
			o.done = true
			return nil, nil, false
		}
	} else {
		var ok bool
		e, ok = o.w.at(o.p)
		if !ok || o.r.End != nil && bytes.Compare(e.k, o.r.End) >= 0 {
			o.done = true
			return nil, nil, false
		}
		o.p = o.w.norm(pos{o.p.i, o.p.j + 1})
	}
	o.last, o.started = e.k, true
	return e.k, e.v, true
}

// resume finds the cursor's place again after the set changed shape.
func (o *overlay) resume() {
	o.gen = o.w.gen
	switch {
	case o.r.Reverse && o.started:
		o.p = o.w.seek(o.last, false)
	case o.r.Reverse:
		o.p = o.w.end()
		if o.r.End != nil {
			o.p = o.w.seek(o.r.End, false)
		}
	case o.started:
		o.p = o.w.seek(o.last, true)
	default:
		o.p = o.w.seek(o.r.Start, false)
	}
}

// end returns the position past the last entry.
func (w *writes) end() pos { return pos{len(w.leaves), 0} }
