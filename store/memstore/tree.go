package memstore

import (
	"bytes"
	"hash/maphash"
)

// node is a node of a persistent treap: never modified once published, so
// a reader holding a root sees a frozen snapshot while writers build new
// versions by copying the path they change.
type node struct {
	key, val    []byte
	prio        uint64
	left, right *node
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
func insert(t *node, key, val []byte, p uint64) *node {
	if t == nil || above(p, key, t.prio, t.key) {
		l, r := split(t, key)
		return &node{key: key, val: val, prio: p, left: l, right: r}
	}
	n := *t
	switch c := bytes.Compare(key, t.key); {
	case c < 0:
		n.left = insert(t.left, key, val, p)
	case c > 0:
		n.right = insert(t.right, key, val, p)
	default:
		n.val = val
	}
	return &n
}

// split returns the keys of t below key and above key; key itself, if
// present, is dropped (insert replaces it).
func split(t *node, key []byte) (l, r *node) {
	if t == nil {
		return nil, nil
	}
	switch c := bytes.Compare(key, t.key); {
	case c < 0:
		n := *t
		l, n.left = split(t.left, key)
		return l, &n
	case c > 0:
		n := *t
		n.right, r = split(t.right, key)
		return &n, r
	default:
		return t.left, t.right
	}
}

// remove returns a tree without key.
func remove(t *node, key []byte) *node {
	if t == nil {
		return nil
	}
	switch c := bytes.Compare(key, t.key); {
	case c < 0:
		l := remove(t.left, key)
		if l == t.left {
			return t
		}
		n := *t
		n.left = l
		return &n
	case c > 0:
		r := remove(t.right, key)
		if r == t.right {
			return t
		}
		n := *t
		n.right = r
		return &n
	default:
		return merge(t.left, t.right)
	}
}

func merge(l, r *node) *node {
	switch {
	case l == nil:
		return r
	case r == nil:
		return l
	case above(l.prio, l.key, r.prio, r.key):
		n := *l
		n.right = merge(l.right, r)
		return &n
	default:
		n := *r
		n.left = merge(l, r.left)
		return &n
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
