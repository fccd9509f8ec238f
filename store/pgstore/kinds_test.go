package pgstore_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/workspace-go/workspace/store"
	"github.com/workspace-go/workspace/store/pgstore"
)

// queries counts the queries whose SQL starts with one of its prefixes.
type queries struct {
	prefixes []string
	n        atomic.Int64
}

func (q *queries) TraceQueryStart(ctx context.Context, _ *pgx.Conn, d pgx.TraceQueryStartData) context.Context {
	for _, p := range q.prefixes {
		if strings.HasPrefix(d.SQL, p) {
			q.n.Add(1)
		}
	}
	return ctx
}

func (q *queries) TraceQueryEnd(context.Context, *pgx.Conn, pgx.TraceQueryEndData) {}

// openCounting opens a store on a fresh schema whose pool counts the
// queries starting with the prefixes.
func openCounting(t *testing.T, prefixes ...string) (*pgstore.DB, *queries) {
	cfg, err := pgxpool.ParseConfig(dsn(t))
	if err != nil {
		t.Fatal(err)
	}
	q := &queries{prefixes: prefixes}
	cfg.ConnConfig.Tracer = q
	return openPool(t, cfg), q
}

func TestRewritesReadKindsInWindows(t *testing.T) {
	db, reads := openCounting(t, "SELECT kind FROM", "SELECT seq, kind FROM")
	ctx := context.Background()
	const n = 600 // records over three or four windows of 256
	var seqs []uint64
	err := db.Update(ctx, func(tx store.Tx) error {
		seqs = seqs[:0]
		for i := range n {
			kind := "keep.a"
			if i%2 == 1 {
				kind = "other.a"
			}
			seq, err := tx.Append(kind, []byte("secret"))
			if err != nil {
				return err
			}
			seqs = append(seqs, seq)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	reads.n.Store(0)
	err = db.Update(ctx, func(tx store.Tx) error {
		pr := tx.(store.PrefixRewriter)
		for i, seq := range seqs {
			err := pr.RewritePrefix(seq, "keep", []byte("redacted"))
			switch {
			case i%2 == 0 && err != nil:
				return fmt.Errorf("rewrite of a keep record: %w", err)
			case i%2 == 1 && !errors.Is(err, store.ErrNotFound):
				return fmt.Errorf("rewrite of another kind's record %d: got %v; want not found", seq, err)
			}
		}
		if err := tx.Rewrite(seqs[n-1]+1000, []byte("x")); !errors.Is(err, store.ErrNotFound) {
			return fmt.Errorf("rewrite of a record past the log's end: got %v; want not found", err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// One point read, then one read per window: 600 records span at most
	// four windows, and the record past the end one more.
	if got := reads.n.Load(); got > 6 {
		t.Errorf("%d rewrites read the log's kinds in %d queries; want at most 6", n+1, got)
	}
	var recs []store.Change
	for after := seqs[0] - 1; len(recs) < n; {
		page, next, err := db.Changes(ctx, after, 0)
		if err != nil || len(page) == 0 {
			t.Fatalf("reading the log after %d: %d records, %v", after, len(page), err)
		}
		recs, after = append(recs, page...), next
	}
	for i, c := range recs[:n] {
		want := "redacted"
		if i%2 == 1 {
			want = "secret"
		}
		if string(c.Data) != want || c.Seq != seqs[i] {
			t.Fatalf("record %d (%s) after the rewrites: %q; want %q", c.Seq, c.Kind, c.Data, want)
		}
	}
}
