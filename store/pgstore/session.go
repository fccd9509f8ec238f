package pgstore

import (
	"context"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

const (
	beginSerializable = `BEGIN ISOLATION LEVEL SERIALIZABLE`
	beginSnapshot     = `BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY`
)

// session is a transaction driven by hand on one pooled connection. BEGIN
// is not sent on its own: it travels in the pipeline of the first
// statement, saving a round trip (and a transaction that reads nothing
// costs none).
type session struct {
	conn  *pgxpool.Conn
	begin string
	begun bool
}

// batch returns a batch that opens the transaction first if needed.
func (s *session) batch() *pgx.Batch {
	b := &pgx.Batch{}
	if !s.begun {
		b.Queue(s.begin)
		s.begun = true
	}
	return b
}

// QueryRow runs a one-row query in the transaction.
func (s *session) QueryRow(ctx context.Context, sql string, args ...any) pgx.Row {
	return sessionRow{s: s, ctx: ctx, sql: sql, args: args}
}

type sessionRow struct {
	s    *session
	ctx  context.Context
	sql  string
	args []any
}

func (r sessionRow) Scan(dest ...any) error {
	if r.s.begun {
		return r.s.conn.QueryRow(r.ctx, r.sql, r.args...).Scan(dest...)
	}
	b := r.s.batch()
	b.Queue(r.sql, r.args...).QueryRow(func(row pgx.Row) error { return row.Scan(dest...) })
	return r.s.conn.SendBatch(r.ctx, b).Close()
}

// Query runs a query in the transaction.
func (s *session) Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error) {
	if !s.begun {
		s.begun = true
		if _, err := s.conn.Exec(ctx, s.begin); err != nil {
			return nil, err
		}
	}
	return s.conn.Query(ctx, sql, args...)
}
