package memstore

import (
	"bytes"
	"hash/maphash"
)

// node is a node of a persistent treap: never modified once published, so
// a reader holding a root sees a frozen snapshot while writers build new
// versions by copying the path they change.
//
// A write transaction owns the nodes it created (gen is its generation)
// and changes those in place: a second write near the first copies
// nothing new. Nodes of other generations are shared and are copied.
type node struct {
	key, val    []byte
	prio        uint64
	gen         uint64
	left, right *node
}

// own returns t itself when generation gen created it, else a copy owned
// by gen.
func own(t *node, gen uint64) *node {
	if t.gen == gen {
		return t
	}
	n := *t
	n.gen = gen
	return &n
}

var seed = maphash.MakeSeed()

func priority(key []byte) uint64 { return maphash.Bytes(seed, key) }

// above reports whether a belongs above b in the heap order; ties in
// priority are broken by key so the order is total.
func above(pa uint64, ka []byte, pb uint64, kb []byte) bool {
	if pa != pb {
		return pa > pb
	}
	return bytes.Compare(ka, kb) < 0
}

func get(t *node, key []byte) (*node, bool) {
	for t != nil {
		switch c := bytes.Compare(key, t.key); {
		case c < 0:
			t = t.left
		case c > 0:
			t = t.right
		default:
			return t, true
		}
	}
	return nil, false
}

// insert returns a tree with key set to val, sharing every untouched node.
func insert(t *node, key, val []byte, p, gen uint64) *node {
	if t == nil || above(p, key, t.prio, t.key) {
		l, r := split(t, key, gen)
		return &node{key: key, val: val, prio: p, gen: gen, left: l, right: r}
	}
	n := own(t, gen)
	switch c := bytes.Compare(key, n.key); {
	case c < 0:
		n.left = insert(n.left, key, val, p, gen)
	case c > 0:
		n.right = insert(n.right, key, val, p, gen)
	default:
		n.val = val
	}
	return n
}

// split returns the keys of t below key and above key; key itself, if
// present, is dropped (insert replaces it).
func split(t *node, key []byte, gen uint64) (l, r *node) {
	if t == nil {
		return nil, nil
	}
	switch c := bytes.Compare(key, t.key); {
	case c < 0:
		n := own(t, gen)
		l, n.left = split(n.left, key, gen)
		return l, n
	case c > 0:
		n := own(t, gen)
		n.right, r = split(n.right, key, gen)
		return n, r
	default:
		return t.left, t.right
	}
}

// remove returns a tree without key.
func remove(t *node, key []byte, gen uint64) *node {
	if t == nil {
		return nil
	}
	switch c := bytes.Compare(key, t.key); {
	case c < 0:
		l := remove(t.left, key, gen)
		if l == t.left {
			return t
		}
		n := own(t, gen)
		n.left = l
		return n
	case c > 0:
		r := remove(t.right, key, gen)
		if r == t.right {
			return t
		}
		n := own(t, gen)
		n.right = r
		return n
	default:
		return merge(t.left, t.right, gen)
	}
}

func merge(l, r *node, gen uint64) *node {
	switch {
	case l == nil:
		return r
	case r == nil:
		return l
	case above(l.prio, l.key, r.prio, r.key):
		n := own(l, gen)
		n.right = merge(n.right, r, gen)
		return n
	default:
		n := own(r, gen)
		n.left = merge(l, n.left, gen)
		return n
	}
}

// ascend calls yield for keys in [lo, hi) in ascending order until it
// returns false; nil bounds are open.
func ascend(t *node, lo, hi []byte, yield func(k, v []byte) bool) {
	var stack []*node
	// Descend to the first key >= lo, stacking the nodes still to visit.
	for t != nil {
		if lo != nil && bytes.Compare(t.key, lo) < 0 {
			t = t.right
			continue
		}
		stack = append(stack, t)
		t = t.left
	}
	for len(stack) > 0 {
		n := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if hi != nil && bytes.Compare(n.key, hi) >= 0 {
			return
		}
		if !yield(n.key, n.val) {
			return
		}
		for c := n.right; c != nil; c = c.left {
			stack = append(stack, c)
		}
	}
}

// descend calls yield for keys in [lo, hi) in descending order.
func descend(t *node, lo, hi []byte, yield func(k, v []byte) bool) {
	var stack []*node
	for t != nil {
		if hi != nil && bytes.Compare(t.key, hi) >= 0 {
			t = t.left
			continue
		}
		stack = append(stack, t)
		t = t.right
	}
	for len(stack) > 0 {
		n := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if lo != nil && bytes.Compare(n.key, lo) < 0 {
			return
		}
		if !yield(n.key, n.val) {
			return
		}
		for c := n.left; c != nil; c = c.right {
			stack = append(stack, c)
		}
	}
}
