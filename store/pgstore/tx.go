package pgstore

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/workspace-go/workspace/internal/txbuf"
	"github.com/workspace-go/workspace/store"
)

// querier is what a transaction reads through: a session (the group's, in
// Update).
type querier interface {
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

// reader is the txbuf.Base of a transaction. In View it reads a REPEATABLE
// READ snapshot. In Update it serves the functions of one commit group in
// turn (see commit.go): it reads the write set of the group's earlier,
// successful functions over the database, so each function's own writes
// (its txbuf.Tx's set) sit over the group's, which sit over the database.
type reader struct {
	ctx  context.Context // the caller's (the running function's, in Update)
	qctx context.Context // for queries: the caller's in View, the store's in Update
	q    querier
	n    *names
	g    *group // nil in View
}

// newTx returns a transaction of the function whose caller's context is
// ctx, reading through rd.
func newTx(ctx context.Context, rd *reader) *txbuf.Tx {
	rd.ctx = ctx
	return &txbuf.Tx{Name: "pgstore", Ctx: ctx, CheckContext: true, Base: rd, Writable: rd.g != nil}
}

// fail records a database error: the PostgreSQL transaction is unusable
// after it, so in Update it fails the attempt of the whole group.
func (rd *reader) fail(op string, err error) error {
	if errors.Is(err, context.Canceled) && rd.ctx.Err() != nil {
		err = rd.ctx.Err()
	} else {
		err = classify(op, err)
	}
	if rd.g != nil && rd.g.err == nil {
		rd.g.err = err
	}
	return err
}

func (rd *reader) Get(key []byte) ([]byte, bool, error) {
	if rd.g != nil {
		if v, ok := rd.g.set.Lookup(key); ok {
			return v, v != nil, nil
		}
	}
	var v []byte
	err := rd.q.QueryRow(rd.qctx, `SELECT v FROM `+rd.n.kv+` WHERE k = $1`, key).Scan(&v)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, rd.fail(fmt.Sprintf("get %q", key), err)
	}
	if v == nil {
		v = []byte{}
	}
	return v, true, nil
}

func (rd *reader) Scan(r store.Range) txbuf.Cursor {
	if rd.g == nil {
		return &pager{rd: rd, r: r}
	}
	// The group's writes lie over the database: ask the database for
	// enough rows to make up for the group's deletions.
	pr := r
	pr.Limit = rd.g.set.BaseLimit(r)
	return txbuf.Merge(rd.g.set.InRange(r), &pager{rd: rd, r: pr}, r.Reverse)
}

func (rd *reader) ChangeKind(seq uint64) (string, bool, error) {
	if rd.g != nil {
		if c := rd.g.set.Change(seq); c != nil {
			return c.Kind, true, nil
		}
	}
	if seq == 0 || seq > 1<<63-1 {
		return "", false, nil
	}
	if rd.g != nil && rd.g.kinds.asked {
		return rd.g.kinds.get(rd, seq)
	}
	var kind []byte
	err := rd.q.QueryRow(rd.qctx, `SELECT kind FROM `+rd.n.log+` WHERE seq = $1`, int64(seq)).Scan(&kind)
	if rd.g != nil {
		rd.g.kinds.asked = true
	}
	if errors.Is(err, pgx.ErrNoRows) {
		return "", false, nil
	}
	if err != nil {
		return "", false, rd.fail(fmt.Sprintf("rewrite change %d", seq), err)
	}
	return string(kind), true, nil
}

func (rd *reader) Reserve() (uint64, error) {
	next, err := rd.g.reserve()
	if err != nil {
		return 0, rd.fail("append", err)
	}
	return next, nil
}

// pageSize is the most rows one Scan query fetches: Scan pages through a
// range with keyset pagination, so a long range never holds one huge
// result, and breaking out early leaves the rest unread.
const pageSize = 256

type pair struct{ k, v []byte }

// pager reads the stored pairs of a range one page at a time, each page a
// query that starts after the last key of the previous one.
type pager struct {
	rd    *reader
	r     store.Range
	err   error
	page  []pair
	i     int
	after []byte // last key read; nil before the first page
	eof   bool
	pages int
}

// Err implements txbuf.Cursor.
func (p *pager) Err() error { return p.err }

// Next implements txbuf.Cursor.
func (p *pager) Next() ([]byte, []byte, bool) {
	if p.i == len(p.page) {
		if p.eof || p.err != nil || !p.fetch() {
			return nil, nil, false
		}
	}
	kv := p.page[p.i]
	p.i++
	return kv.k, kv.v, true
}

func (p *pager) fetch() bool {
	if err := p.rd.ctx.Err(); err != nil {
		p.err = err
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
	sql := `SELECT k, v FROM ` + p.rd.n.kv
	for i, c := range conds {
		if i == 0 {
			sql += " WHERE " + c
		} else {
			sql += " AND " + c
		}
	}
	sql += fmt.Sprintf(" ORDER BY k %s LIMIT %d", order, limit)
	rows, err := p.rd.q.Query(p.rd.qctx, sql, args...)
	if err != nil {
		p.err = p.rd.fail("scan", err)
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
			p.err = p.rd.fail("scan", err)
			return false
		}
		if v == nil {
			v = []byte{}
		}
		p.page = append(p.page, pair{k, v})
	}
	if err := rows.Err(); err != nil {
		p.err = p.rd.fail("scan", err)
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
