package search

import (
	"context"
	"sync"

	"github.com/RoaringBitmap/roaring/v2"
	segment "github.com/blevesearch/scorch_segment_api/v2"
	"github.com/blevesearch/vellum"
)

// keyCache holds, for each segment of the index, the documents of every
// access key, decoded once: segments never change, so the permission
// filter of every later search is a hash lookup per key and one bitmap
// union, where a term-dictionary lookup per key and segment cost a
// millisecond per 40 keys in measurements. Entries of segments that are
// no longer in the index (merged away) are dropped as new ones come.
//
// A keyCache is safe for concurrent use.
type keyCache struct {
	mu   sync.Mutex
	segs map[segment.Segment]*segKeys
}

// segKeys is one segment's access keys and their documents (copies, so
// that they outlive the segment's memory map).
type segKeys struct {
	once sync.Once
	docs map[string]*roaring.Bitmap
	err  error
}

func newKeyCache() *keyCache {
	return &keyCache{segs: map[segment.Segment]*segKeys{}}
}

// of returns the access keys of seg, reading them on first use. live is
// the segments of the snapshot being searched, for pruning.
func (c *keyCache) of(ctx context.Context, seg segment.Segment, live []segment.Segment) (map[string]*roaring.Bitmap, error) {
	c.mu.Lock()
	sk := c.segs[seg]
	if sk == nil {
		sk = &segKeys{}
		c.segs[seg] = sk
		if len(c.segs) > 2*len(live)+16 {
			c.prune(live)
		}
	}
	c.mu.Unlock()
	sk.once.Do(func() { sk.docs, sk.err = readKeys(ctx, seg) })
	if sk.err != nil {
		c.mu.Lock()
		if c.segs[seg] == sk {
			delete(c.segs, seg) // try again next time
		}
		c.mu.Unlock()
	}
	return sk.docs, sk.err
}

// prune drops the segments not in live. It runs with c.mu held.
func (c *keyCache) prune(live []segment.Segment) {
	keep := make(map[segment.Segment]bool, len(live))
	for _, s := range live {
		keep[s] = true
	}
	for s := range c.segs {
		if !keep[s] {
			delete(c.segs, s)
		}
	}
}

// readKeys reads every term of seg's access field with its postings.
func readKeys(ctx context.Context, seg segment.Segment) (map[string]*roaring.Bitmap, error) {
	dict, err := seg.Dictionary(fieldAccess)
	if err != nil {
		return nil, err
	}
	out := map[string]*roaring.Bitmap{}
	it := dict.AutomatonIterator(&vellum.AlwaysMatch{}, nil, nil)
	var pl segment.PostingsList
	var pi segment.PostingsIterator
	for n := 0; ; n++ {
		if n%keyCheckEvery == keyCheckEvery-1 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		e, err := it.Next()
		if err != nil {
			return nil, err
		}
		if e == nil {
			return out, nil
		}
		if pl, err = dict.PostingsList([]byte(e.Term), nil, pl); err != nil {
			return nil, err
		}
		bm := roaring.New()
		pi = postingsInto(bm, pl, pi)
		out[e.Term] = bm
	}
}

// postingsInto adds the documents of pl to bm (copying them) and returns
// the iterator it used, for reuse.
func postingsInto(bm *roaring.Bitmap, pl segment.PostingsList, prealloc segment.PostingsIterator) segment.PostingsIterator {
	it := pl.Iterator(false, false, false, prealloc)
	if o, ok := it.(segment.OptimizablePostingsIterator); ok {
		if actual := o.ActualBitmap(); actual != nil {
			bm.Or(actual)
			return it
		}
		if n, ok := o.DocNum1Hit(); ok {
			bm.Add(uint32(n))
			return it
		}
	}
	for p, err := it.Next(); err == nil && p != nil; p, err = it.Next() {
		bm.Add(uint32(p.Number()))
	}
	return it
}
