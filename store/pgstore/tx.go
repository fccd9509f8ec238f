package pgstore

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"iter"
	"slices"

	"github.com/jackc/pgx/v5"

	"github.com/workspace-go/workspace/store"
)

// querier is what a tx reads through: a session (the group's, in Update).
type querier interface {
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

// tx is a store.Tx. In View it reads a REPEATABLE READ snapshot. In Update
// it belongs to one function of a commit group (see commit.go): its writes
// go to an overlay, which sits over the overlays of the group's earlier,
// successful functions (base), which sit over the database.
type tx struct {
	ctx  context.Context // the caller's: checked between operations
	qctx context.Context // for queries: the caller's in View, the store's in Update
	q    querier
	n    *names
	done bool
	err  error

	g        *group            // nil in View
	base     map[string][]byte // the group's committed-to-be writes (nil: deleted)
	writes   map[string][]byte // this function's (nil: deleted)
	nextSeq  uint64
	changes  []store.Change
	rewrites map[uint64][]byte // new data of records committed before the group
}

func (t *tx) check(write bool) error {
	switch {
	case t.done:
		return fmt.Errorf("pgstore: transaction used after it ended: %w", store.ErrInvalid)
	case t.err != nil:
		return t.err
	case write && t.g == nil:
		return fmt.Errorf("pgstore: %w", store.ErrReadOnly)
	}
	if err := t.ctx.Err(); err != nil {
		t.err = err
		return err
	}
	return nil
}

// fail records a database error: the PostgreSQL transaction is unusable
// after it, so in Update it fails the attempt of the whole group.
func (t *tx) fail(op string, err error) error {
	if errors.Is(err, context.Canceled) && t.ctx.Err() != nil {
		err = t.ctx.Err()
	} else {
		err = classify(op, err)
	}
	t.err = err
	if t.g != nil && t.g.err == nil {
		t.g.err = err
	}
	return err
}

func (t *tx) overlay(key string) ([]byte, bool) {
	if v, ok := t.writes[key]; ok {
		return v, true
	}
	v, ok := t.base[key]
	return v, ok
}

func (t *tx) Get(key []byte) ([]byte, error) {
	if err := t.check(false); err != nil {
		return nil, err
	}
	if err := store.CheckKey(key); err != nil {
		return nil, err
	}
	if v, ok := t.overlay(string(key)); ok {
		if v == nil {
			return nil, fmt.Errorf("pgstore: key %q: %w", key, store.ErrNotFound)
		}
		return v, nil
	}
	var v []byte
	err := t.q.QueryRow(t.qctx, `SELECT v FROM `+t.n.kv+` WHERE k = $1`, key).Scan(&v)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, fmt.Errorf("pgstore: key %q: %w", key, store.ErrNotFound)
	}
	if err != nil {
		return nil, t.fail(fmt.Sprintf("get %q", key), err)
	}
	if v == nil {
		v = []byte{}
	}
	return v, nil
}

func (t *tx) Put(key, value []byte) error {
	if err := t.check(true); err != nil {
		return err
	}
	if err := store.CheckKey(key); err != nil {
		return err
	}
	if err := store.CheckValue(value); err != nil {
		return err
	}
	if t.writes == nil {
		t.writes = make(map[string][]byte)
	}
	t.writes[string(key)] = append(make([]byte, 0, len(value)), value...)
	return nil
}

func (t *tx) Delete(key []byte) error {
	if err := t.check(true); err != nil {
		return err
	}
	if err := store.CheckKey(key); err != nil {
		return err
	}
	if t.writes == nil {
		t.writes = make(map[string][]byte)
	}
	t.writes[string(key)] = nil
	return nil
}

func (t *tx) Append(kind string, data []byte) (uint64, error) {
	if err := t.check(true); err != nil {
		return 0, err
	}
	if err := store.CheckChange(kind, data); err != nil {
		return 0, err
	}
	if t.nextSeq == 0 {
		next, err := t.g.reserve()
		if err != nil {
			return 0, t.fail("append", err)
		}
		t.nextSeq = next
	}
	seq := t.nextSeq + uint64(len(t.changes))
	t.changes = append(t.changes, store.Change{Seq: seq, Kind: kind, Data: append([]byte{}, data...)})
	return seq, nil
}

func (t *tx) Rewrite(seq uint64, data []byte) error {
	return t.RewritePrefix(seq, "", data)
}

// RewritePrefix rewrites the record at seq if its kind is under
// kindPrefix (see store.PrefixRewriter). A record appended earlier in the
// group is rewritten in memory; one already in the log is read (to check
// it exists, and its kind) and UPDATEd at commit.
func (t *tx) RewritePrefix(seq uint64, kindPrefix string, data []byte) error {
	if err := t.check(true); err != nil {
		return err
	}
	if err := store.CheckChangeData(data); err != nil {
		return err
	}
	notFound := fmt.Errorf("pgstore: rewrite change %d: %w", seq, store.ErrNotFound)
	data = append([]byte{}, data...)
	for _, cs := range [][]store.Change{t.changes, t.g.changes} {
		if i, ok := findChange(cs, seq); ok {
			if !store.HasKindPrefix(cs[i].Kind, kindPrefix) {
				return notFound
			}
			if t.rewrites == nil {
				t.rewrites = make(map[uint64][]byte)
			}
			t.rewrites[seq] = data
			return nil
		}
	}
	if seq == 0 || seq > 1<<63-1 {
		return notFound
	}
	var kind []byte
	err := t.q.QueryRow(t.qctx, `SELECT kind FROM `+t.n.log+` WHERE seq = $1`, int64(seq)).Scan(&kind)
	if errors.Is(err, pgx.ErrNoRows) {
		return notFound
	}
	if err != nil {
		return t.fail(fmt.Sprintf("rewrite change %d", seq), err)
	}
	if !store.HasKindPrefix(string(kind), kindPrefix) {
		return notFound
	}
	if t.rewrites == nil {
		t.rewrites = make(map[uint64][]byte)
	}
	t.rewrites[seq] = data
	return nil
}

// pageSize is the most rows one Scan query fetches: Scan pages through a
// range with keyset pagination, so a long range never holds one huge
// result, and breaking out early leaves the rest unread.
const pageSize = 256

type pair struct{ k, v []byte }

func (t *tx) Scan(r store.Range) iter.Seq2[[]byte, []byte] {
	return func(yield func([]byte, []byte) bool) {
		if err := t.check(false); err != nil {
			return
		}
		if err := store.CheckRange(r); err != nil {
			t.err = err
			return
		}
		n := 0
		emit := func(k, v []byte) bool {
			if r.Limit > 0 && n >= r.Limit {
				return false
			}
			n++
			return yield(k, v)
		}
		over := t.overlayIn(r)
		p := pager{t: t, r: r}
		i := 0
		for {
			k, v, ok := p.next()
			if t.err != nil {
				return
			}
			// Emit overlay keys that come before the stored key.
			for i < len(over) && (!ok || before(over[i].k, k, r.Reverse)) {
				if over[i].v != nil && !emit(over[i].k, over[i].v) {
					return
				}
				i++
			}
			if !ok {
				return
			}
			if i < len(over) && bytes.Equal(over[i].k, k) {
				// The overlay's write (or deletion) replaces the stored pair.
				if over[i].v != nil && !emit(over[i].k, over[i].v) {
					return
				}
				i++
				continue
			}
			if !emit(k, v) {
				return
			}
		}
	}
}

func before(a, b []byte, reverse bool) bool {
	if reverse {
		return bytes.Compare(a, b) > 0
	}
	return bytes.Compare(a, b) < 0
}

// overlayIn returns the overlay's pairs in r, in scan order; a nil value
// marks a deletion.
func (t *tx) overlayIn(r store.Range) []pair {
	if len(t.writes) == 0 && len(t.base) == 0 {
		return nil
	}
	var out []pair
	for k, v := range t.base {
		if _, mine := t.writes[k]; !mine && within([]byte(k), r) {
			out = append(out, pair{[]byte(k), v})
		}
	}
	for k, v := range t.writes {
		if within([]byte(k), r) {
			out = append(out, pair{[]byte(k), v})
		}
	}
	slices.SortFunc(out, func(a, b pair) int { return bytes.Compare(a.k, b.k) })
	if r.Reverse {
		slices.Reverse(out)
	}
	return out
}

func within(k []byte, r store.Range) bool {
	return (r.Start == nil || bytes.Compare(k, r.Start) >= 0) && (r.End == nil || bytes.Compare(k, r.End) < 0)
}

// pager reads the stored pairs of a range one page at a time, each page a
// query that starts after the last key of the previous one.
type pager struct {
	t     *tx
	r     store.Range
	page  []pair
	i     int
	after []byte // last key read; nil before the first page
	eof   bool
	pages int
}

func (p *pager) next() ([]byte, []byte, bool) {
	if p.i == len(p.page) {
		if p.eof || !p.fetch() {
			return nil, nil, false
		}
	}
	kv := p.page[p.i]
	p.i++
	return kv.k, kv.v, true
}

func (p *pager) fetch() bool {
	if err := p.t.ctx.Err(); err != nil {
		p.t.err = err
		return false
	}
	limit := pageSize
	if p.r.Limit > 0 && p.pages == 0 {
		// A limited scan usually needs just its limit: fetch that first.
		limit = min(limit, p.r.Limit)
	}
	p.pages++
	var conds []string
	var args []any
	arg := func(cond string, v []byte) {
		args = append(args, v)
		conds = append(conds, fmt.Sprintf(cond, len(args)))
	}
	if p.r.Start != nil {
		arg("k >= $%d", p.r.Start)
	}
	if p.r.End != nil {
		arg("k < $%d", p.r.End)
	}
	order := "ASC"
	if p.r.Reverse {
		order = "DESC"
		if p.after != nil {
			arg("k < $%d", p.after)
		}
	} else if p.after != nil {
		arg("k > $%d", p.after)
	}
	sql := `SELECT k, v FROM ` + p.t.n.kv
	for i, c := range conds {
		if i == 0 {
			sql += " WHERE " + c
		} else {
			sql += " AND " + c
		}
	}
	sql += fmt.Sprintf(" ORDER BY k %s LIMIT %d", order, limit)
	rows, err := p.t.q.Query(p.t.qctx, sql, args...)
	if err != nil {
		p.t.fail("scan", err)
		return false
	}
	p.page, p.i = p.page[:0], 0
	fd := rows.FieldDescriptions()
	raw := len(fd) == 2 && fd[0].Format == pgx.BinaryFormatCode && fd[1].Format == pgx.BinaryFormatCode
	var buf []byte // the page's keys and values, copied into few allocations
	for rows.Next() {
		var k, v []byte
		if raw {
			// Binary bytea is the bytes themselves.
			rv := rows.RawValues()
			if len(buf)+len(rv[0])+len(rv[1]) > cap(buf) {
				buf = make([]byte, 0, max(16<<10, len(rv[0])+len(rv[1])))
			}
			n := len(buf)
			buf = append(append(buf, rv[0]...), rv[1]...)
			k, v = buf[n:n+len(rv[0]):n+len(rv[0])], buf[n+len(rv[0]):len(buf):len(buf)]
		} else if err := rows.Scan(&k, &v); err != nil {
			rows.Close()
			p.t.fail("scan", err)
			return false
		}
		if v == nil {
			v = []byte{}
		}
		p.page = append(p.page, pair{k, v})
	}
	if err := rows.Err(); err != nil {
		p.t.fail("scan", err)
		return false
	}
	if len(p.page) < limit {
		p.eof = true
	}
	if len(p.page) == 0 {
		return false
	}
	p.after = p.page[len(p.page)-1].k
	return true
}
