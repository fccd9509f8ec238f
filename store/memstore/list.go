package memstore

import (
	"bytes"
	"math/bits"
	"sync/atomic"
)

// maxHeight bounds a tower. With a quarter of the nodes reaching each next
// level, 16 levels keep searches logarithmic up to 4^16 keys.
const maxHeight = 16

// list is a skip list of keys, each with its chain of versions. One writer
// changes it (the store's writer lock serializes them); any number of
// readers walk it at the same time without locks. Every link a reader
// follows is loaded atomically, and the writer publishes a node only once
// it is complete, so a reader sees either the list before an insert or the
// list after it.
//
// A node that is unlinked keeps its own links, so a reader standing on it
// still reaches the rest of the list. The writer unlinks a node only when
// no snapshot can see any version of it (see Store.collect).
type list struct {
	head   node         // sentinel before the first key, with a full tower
	height atomic.Int32 // levels in use
	rnd    uint64       // the writer's random state for tower heights
	cache  *cache       // nodes point reads found
}

// node is one key. Its versions are newest first; each reader takes the
// first one its snapshot can see.
type node struct {
	key  []byte
	head atomic.Pointer[version] // nil when the only version was rolled back
	// first is the version the node was created with, kept inline to save
	// an allocation per new key.
	first version
	prev  atomic.Pointer[node] // level-0 predecessor, for reverse scans
	next0 atomic.Pointer[node]
	up    []atomic.Pointer[node] // links at levels 1 and above
	// unlinked is set by the writer once the node is out of the list.
	unlinked atomic.Bool
}

// version is a value of a key (or its deletion) as of commit seq.
type version struct {
	seq   uint64
	val   []byte
	del   bool
	older atomic.Pointer[version]
}

func newList() *list {
	l := &list{rnd: 0x9e3779b97f4a7c15, cache: newCache()}
	l.head.up = make([]atomic.Pointer[node], maxHeight-1)
	l.height.Store(1)
	return l
}

func (n *node) link(level int) *atomic.Pointer[node] {
	if level == 0 {
		return &n.next0
	}
	return &n.up[level-1]
}

// at returns the version of n that a snapshot at seq sees, or nil when the
// key is absent from it.
func (n *node) at(seq uint64) *version {
	v := n.head.Load()
	for v != nil && v.seq > seq {
		v = v.older.Load()
	}
	if v == nil || v.del {
		return nil
	}
	return v
}

// seek returns the first node with a key at or after k (nil: none) and the
// node before it (&l.head: none). A nil k seeks the first node.
func (l *list) seek(k []byte) (before, at *node) {
	x := &l.head
	if k == nil {
		return x, x.next0.Load()
	}
	var stop *node
	for lv := int(l.height.Load()) - 1; lv >= 0; lv-- {
		x, stop = walk(x, lv, k, stop)
	}
	return x, stop
}

// walk goes right from x at level lv while the next key is below k. It
// returns the last node before k and the next one, which is nil or at or
// after k. stop is where the level above stopped: known to be at or after
// k, it needs no comparison.
func walk(x *node, lv int, k []byte, stop *node) (before, next *node) {
	for {
		nx := x.link(lv).Load()
		if nx == nil || nx == stop || bytes.Compare(nx.key, k) >= 0 {
			return x, nx
		}
		x = nx
	}
}

// last returns the last node (&l.head: the list is empty).
func (l *list) last() *node {
	x := &l.head
	for lv := int(l.height.Load()) - 1; lv >= 0; lv-- {
		for nx := x.link(lv).Load(); nx != nil; nx = x.link(lv).Load() {
			x = nx
		}
	}
	return x
}

// find returns the node with key k, or nil.
func (l *list) find(k []byte) *node {
	h := hashKey(k)
	if n := l.cache.get(k, h); n != nil {
		return n
	}
	_, n := l.seek(k)
	if n != nil && bytes.Equal(n.key, k) {
		l.cache.put(n, h)
		return n
	}
	return nil
}

// preds fills p with the last node before k at every level and returns the
// node with key k, if there is one. Writer only.
func (l *list) preds(k []byte, p *[maxHeight]*node) *node {
	x := &l.head
	var stop *node
	for lv := maxHeight - 1; lv >= 0; lv-- {
		x, stop = walk(x, lv, k, stop)
		p[lv] = x
	}
	if stop != nil && bytes.Equal(stop.key, k) {
		return stop
	}
	return nil
}

// randomHeight returns a tower height: h with probability 3/4^h.
func (l *list) randomHeight() int {
	// xorshift64*
	l.rnd ^= l.rnd >> 12
	l.rnd ^= l.rnd << 25
	l.rnd ^= l.rnd >> 27
	r := l.rnd * 0x2545f4914f6cdd1d
	return min(1+bits.TrailingZeros64(r|1<<62)/2, maxHeight)
}

// insert links n, whose key is not in the list, after the nodes p holds.
// n must be complete (key and versions set): readers may reach it as soon
// as its level-0 link is published. Writer only.
func (l *list) insert(n *node, p *[maxHeight]*node) {
	h := l.randomHeight()
	if h > 1 {
		n.up = make([]atomic.Pointer[node], h-1)
	}
	for lv := range h {
		n.link(lv).Store(p[lv].link(lv).Load())
	}
	n.prev.Store(p[0])
	// Bottom up: a node reachable at a level is reachable below it.
	for lv := range h {
		p[lv].link(lv).Store(n)
	}
	if succ := n.next0.Load(); succ != nil {
		succ.prev.Store(n)
	}
	if int32(h) > l.height.Load() {
		l.height.Store(int32(h))
	}
	l.cache.added()
}

// unlink takes n out of the list, leaving its own links as they are for
// readers standing on it. Writer only.
func (l *list) unlink(n *node) {
	var p [maxHeight]*node
	if l.preds(n.key, &p) != n {
		return // not linked (cannot happen: one node per key)
	}
	for lv := len(n.up); lv >= 0; lv-- {
		p[lv].link(lv).Store(n.link(lv).Load())
	}
	if succ := n.next0.Load(); succ != nil {
		succ.prev.Store(p[0])
	}
	n.unlinked.Store(true)
	l.cache.removed()
}
