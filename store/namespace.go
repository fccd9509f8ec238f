package store

import (
	"bytes"
	"context"
	"fmt"
	"iter"
	"strings"
	"sync/atomic"
)

// Namespace returns a view of st that can only see and write keys, and
// only see and append change records, inside its own namespace. It is how
// tenants are isolated: a tenant's services are built over its namespace,
// so no query can reach another tenant's data, whatever its filters say.
//
// name is 1 to 64 characters of ASCII letters, digits, '.', '_' and '-'.
// Inside the view, keys and change kinds look exactly as the caller wrote
// them; in st they are stored under "ns/<name>/". Positions (Seq) in the
// change log are shared with st: a view's Changes skips other namespaces'
// records and its next position moves past them, while Last and Wait
// report the shared log's position, which may be another namespace's
// record. A consumer waiting for "everything up to Last" therefore relies
// on Changes moving past foreign records, which it does.
//
// Closing the view makes the view unusable (ErrClosed) but leaves st open:
// the owner of st closes it. Namespaces may be nested.
func Namespace(st Store, name string) (Store, error) {
	if err := checkNamespaceName(name); err != nil {
		return nil, err
	}
	p := "ns/" + name + "/"
	return &nsStore{st: st, prefix: []byte(p), kindPrefix: p}, nil
}

func checkNamespaceName(name string) error {
	if len(name) == 0 || len(name) > 64 {
		return fmt.Errorf("store: namespace name %q: must be 1 to 64 characters: %w", name, ErrInvalid)
	}
	for _, c := range []byte(name) {
		ok := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '_' || c == '-'
		if !ok {
			return fmt.Errorf("store: namespace name %q: character %q not allowed: %w", name, c, ErrInvalid)
		}
	}
	return nil
}

type nsStore struct {
	st         Store
	prefix     []byte
	kindPrefix string
	closed     atomic.Bool
}

func (n *nsStore) View(ctx context.Context, fn func(Tx) error) error {
	if n.closed.Load() {
		return fmt.Errorf("store: namespace %q: %w", n.kindPrefix, ErrClosed)
	}
	return n.st.View(ctx, func(tx Tx) error { return fn(&nsTx{tx: tx, ns: n}) })
}

func (n *nsStore) Update(ctx context.Context, fn func(Tx) error) error {
	if n.closed.Load() {
		return fmt.Errorf("store: namespace %q: %w", n.kindPrefix, ErrClosed)
	}
	return n.st.Update(ctx, func(tx Tx) error { return fn(&nsTx{tx: tx, ns: n}) })
}

func (n *nsStore) Changes(ctx context.Context, after uint64, limit int) ([]Change, uint64, error) {
	if n.closed.Load() {
		return nil, after, fmt.Errorf("store: namespace %q: %w", n.kindPrefix, ErrClosed)
	}
	if limit <= 0 {
		limit = 256
	}
	var out []Change
	next := after
	// Read pages of the shared log until the page has something of ours or
	// the log is exhausted, so that a quiet tenant does not make its
	// follower spin once per foreign record.
	for len(out) == 0 {
		recs, nx, err := n.st.Changes(ctx, next, limit)
		if err != nil {
			return nil, after, err
		}
		for _, c := range recs {
			if k, ok := strings.CutPrefix(c.Kind, n.kindPrefix); ok && k != "" {
				c.Kind = k
				out = append(out, c)
			}
		}
		if nx <= next {
			break
		}
		next = nx
		if len(recs) < limit {
			break
		}
	}
	return out, next, nil
}

func (n *nsStore) Wait(ctx context.Context, after uint64) (uint64, error) {
	if n.closed.Load() {
		return 0, fmt.Errorf("store: namespace %q: %w", n.kindPrefix, ErrClosed)
	}
	return n.st.Wait(ctx, after)
}

func (n *nsStore) Last(ctx context.Context) (uint64, error) {
	if n.closed.Load() {
		return 0, fmt.Errorf("store: namespace %q: %w", n.kindPrefix, ErrClosed)
	}
	return n.st.Last(ctx)
}

// Trim is refused on a namespace: the log is shared by every namespace of
// the store, and one tenant must not drop another's records.
func (n *nsStore) Trim(ctx context.Context, below uint64) error {
	return fmt.Errorf("store: namespace %q: trim the shared log on the root store: %w", n.kindPrefix, ErrOutsideNamespace)
}

func (n *nsStore) Close() error {
	n.closed.Store(true)
	return nil
}

type nsTx struct {
	tx Tx
	ns *nsStore
}

func (t *nsTx) key(k []byte) ([]byte, error) {
	if err := CheckKey(k); err != nil {
		return nil, err
	}
	full := make([]byte, 0, len(t.ns.prefix)+len(k))
	full = append(append(full, t.ns.prefix...), k...)
	return full, nil
}

func (t *nsTx) Get(k []byte) ([]byte, error) {
	fk, err := t.key(k)
	if err != nil {
		return nil, err
	}
	return t.tx.Get(fk)
}

func (t *nsTx) Put(k, v []byte) error {
	fk, err := t.key(k)
	if err != nil {
		return err
	}
	return t.tx.Put(fk, v)
}

func (t *nsTx) Delete(k []byte) error {
	fk, err := t.key(k)
	if err != nil {
		return err
	}
	return t.tx.Delete(fk)
}

func (t *nsTx) Scan(r Range) iter.Seq2[[]byte, []byte] {
	p := t.ns.prefix
	inner := Range{Reverse: r.Reverse, Limit: r.Limit}
	inner.Start = append(append([]byte(nil), p...), r.Start...)
	if r.End != nil {
		inner.End = append(append([]byte(nil), p...), r.End...)
	} else {
		inner.End = PrefixEnd(p)
	}
	return func(yield func([]byte, []byte) bool) {
		for k, v := range t.tx.Scan(inner) {
			if !bytes.HasPrefix(k, p) { // cannot happen with a correct backend
				return
			}
			if !yield(k[len(p):], v) {
				return
			}
		}
	}
}

func (t *nsTx) Append(kind string, data []byte) (uint64, error) {
	if err := CheckChange(kind, data); err != nil {
		return 0, err
	}
	return t.tx.Append(t.ns.kindPrefix+kind, data)
}

func (t *nsTx) Rewrite(seq uint64, data []byte) error {
	return t.RewritePrefix(seq, "", data)
}

// RewritePrefix rewrites the record at seq only if it is this namespace's
// (and, within it, under kindPrefix): see [PrefixRewriter].
func (t *nsTx) RewritePrefix(seq uint64, kindPrefix string, data []byte) error {
	if err := CheckChangeData(data); err != nil {
		return err
	}
	pr, ok := t.tx.(PrefixRewriter)
	if !ok {
		return fmt.Errorf("store: namespace %q: rewrite change %d: the backend cannot confine rewrites to a namespace: %w", t.ns.kindPrefix, seq, ErrInvalid)
	}
	return pr.RewritePrefix(seq, t.ns.kindPrefix+kindPrefix, data)
}
