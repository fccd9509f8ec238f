package memstore

import (
	"bytes"
	"hash/maphash"
	"sync/atomic"
)

// cache remembers, by hash, the nodes point reads found, so that reading a
// key again skips the walk down the list. It is direct-mapped: each key has
// one slot, and a read that misses takes it. It grows with the list, up to
// maxCacheSlots. Readers and the writer fill it at the same time; every
// slot is loaded and stored atomically, and a hit is checked against the
// node's key, so a slot torn between two fills is only a miss.
//
// A node that left the list is never a hit: its key may have a new node.
// (An unlinked node's last version is a deletion no open snapshot predates,
// so a reader that found it just before it left reads the same absence.)
type cache struct {
	tab  atomic.Pointer[cacheTable]
	keys int // writer only: nodes in the list
}

type cacheTable struct {
	slots []cacheSlot
	mask  uint64
}

type cacheSlot struct {
	hash atomic.Uint64
	n    atomic.Pointer[node]
}

const (
	minCacheSlots = 1 << 10
	maxCacheSlots = 1 << 20
)

var seed = maphash.MakeSeed()

func hashKey(key []byte) uint64 { return maphash.Bytes(seed, key) }

func newCache() *cache {
	c := new(cache)
	c.tab.Store(newCacheTable(minCacheSlots))
	return c
}

func newCacheTable(n int) *cacheTable {
	return &cacheTable{slots: make([]cacheSlot, n), mask: uint64(n - 1)}
}

// get returns the node of key, whose hash is h, if the cache holds it.
func (c *cache) get(key []byte, h uint64) *node {
	s := c.slot(h)
	if s.hash.Load() != h {
		return nil
	}
	if n := s.n.Load(); n != nil && !n.unlinked.Load() && bytes.Equal(n.key, key) {
		return n
	}
	return nil
}

// put remembers n, whose key's hash is h.
func (c *cache) put(n *node, h uint64) {
	s := c.slot(h)
	s.n.Store(n)
	s.hash.Store(h)
}

func (c *cache) slot(h uint64) *cacheSlot {
	t := c.tab.Load()
	return &t.slots[h&t.mask]
}

// added counts a node linked into the list, growing the cache to a slot
// per key (up to maxCacheSlots). A new table starts empty. Writer only.
func (c *cache) added() {
	c.keys++
	if n := len(c.tab.Load().slots); c.keys > n && n < maxCacheSlots {
		c.tab.Store(newCacheTable(2 * n))
	}
}

// removed counts a node unlinked from the list. Writer only.
func (c *cache) removed() { c.keys-- }
