package pgstore_test

import (
	"context"
	"errors"
	"os"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/workspace-go/workspace/internal/backends"
	"github.com/workspace-go/workspace/store"
	"github.com/workspace-go/workspace/store/pgstore"
	"github.com/workspace-go/workspace/store/storetest"
)

const dsnEnv = "WORKSPACE_PG_DSN"

// dsn returns the test database's DSN, or skips the test saying how to run
// it.
func dsn(tb testing.TB) string {
	tb.Helper()
	d := os.Getenv(dsnEnv)
	if d == "" {
		tb.Skipf("set %s to run the PostgreSQL tests, e.g. %s='postgres://postgres@127.0.0.1:5432/test?sslmode=disable' go test ./store/pgstore/", dsnEnv, dsnEnv)
	}
	return d
}

// freshSchema returns a new schema name and drops the schema when the test
// ends.
func freshSchema(tb testing.TB) string {
	tb.Helper()
	dsn(tb)
	return backends.FreshSchema(tb)
}

// openSchema opens a store on the given schema and closes it when the
// test ends (before the schema is dropped).
func openSchema(tb testing.TB, schema string, opts *pgstore.Options) *pgstore.DB {
	tb.Helper()
	o := pgstore.Options{}
	if opts != nil {
		o = *opts
	}
	o.Schema = schema
	db, err := pgstore.Open(context.Background(), dsn(tb), &o)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	return db
}

// open opens a store on a fresh, empty schema.
func open(tb testing.TB, opts *pgstore.Options) *pgstore.DB {
	tb.Helper()
	return openSchema(tb, freshSchema(tb), opts)
}

func TestConformance(t *testing.T) {
	dsn(t)
	storetest.Run(t, func(t *testing.T) store.Store { return open(t, nil) })
}

// TestConformanceSimpleProtocol runs the suite over pgx's simple protocol
// (text results, no prepared statements), as behind poolers that cannot
// keep prepared statements.
func TestConformanceSimpleProtocol(t *testing.T) {
	d := dsn(t)
	cfg, err := pgxpool.ParseConfig(d)
	if err != nil {
		t.Fatal(err)
	}
	cfg.ConnConfig.DefaultQueryExecMode = pgx.QueryExecModeSimpleProtocol
	storetest.Run(t, func(t *testing.T) store.Store { return openPool(t, cfg) })
}

// openPool opens a store on a fresh schema over a pool of its own made
// with cfg, and closes both when the test ends.
func openPool(tb testing.TB, cfg *pgxpool.Config) *pgstore.DB {
	tb.Helper()
	pool, err := pgxpool.NewWithConfig(context.Background(), cfg)
	if err != nil {
		tb.Fatal(err)
	}
	db, err := pgstore.OpenPool(context.Background(), pool, &pgstore.Options{Schema: freshSchema(tb)})
	if err != nil {
		pool.Close()
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close(); pool.Close() })
	return db
}

func BenchmarkStore(b *testing.B) {
	dsn(b)
	storetest.RunBenchmarks(b, func(b *testing.B) store.Store { return open(b, nil) })
}

func TestOpen(t *testing.T) {
	dsn(t)
	ctx := context.Background()
	t.Run("a second open of a schema finds it as the first left it", func(t *testing.T) {
		schema := freshSchema(t)
		a := openSchema(t, schema, nil)
		err := a.Update(ctx, func(tx store.Tx) error { return tx.Put([]byte("k"), []byte("v")) })
		if err != nil {
			t.Fatal(err)
		}
		b := openSchema(t, schema, nil)
		err = b.View(ctx, func(tx store.Tx) error {
			v, err := tx.Get([]byte("k"))
			if err == nil && string(v) != "v" {
				t.Errorf("Get(k) = %q; want v", v)
			}
			return err
		})
		if err != nil {
			t.Error(err)
		}
	})
	t.Run("nodes opening a new schema at once all succeed", func(t *testing.T) {
		schema := freshSchema(t)
		errs := make(chan error, 4)
		for range 4 {
			go func() {
				db, err := pgstore.Open(ctx, dsn(t), &pgstore.Options{Schema: schema})
				if err == nil {
					db.Close()
				}
				errs <- err
			}()
		}
		for range 4 {
			if err := <-errs; err != nil {
				t.Errorf("concurrent Open: %v", err)
			}
		}
	})
	t.Run("a schema from a newer version is refused", func(t *testing.T) {
		schema := freshSchema(t)
		a := openSchema(t, schema, nil)
		_, err := a.Pool().Exec(ctx, `UPDATE `+pgx.Identifier{schema, "meta"}.Sanitize()+` SET value = 99 WHERE name = 'schema_version'`)
		if err != nil {
			t.Fatal(err)
		}
		_, err = pgstore.Open(ctx, dsn(t), &pgstore.Options{Schema: schema})
		if !errors.Is(err, pgstore.ErrSchemaVersion) || !errors.Is(err, store.ErrInvalid) {
			t.Errorf("Open on a version 99 schema: %v; want ErrSchemaVersion", err)
		}
	})
	t.Run("a schema name of the longest length works, notifications too", func(t *testing.T) {
		schema := freshSchema(t)
		schema += strings.Repeat("x", 63-len(schema))
		t.Cleanup(func() {
			if conn, err := pgx.Connect(ctx, dsn(t)); err == nil {
				conn.Exec(ctx, "DROP SCHEMA IF EXISTS "+pgx.Identifier{schema}.Sanitize()+" CASCADE")
				conn.Close(ctx)
			}
		})
		a, b := openSchema(t, schema, nil), openSchema(t, schema, nil)
		wctx, cancel := context.WithTimeout(ctx, 10*time.Second)
		defer cancel()
		woke := make(chan error)
		go func() {
			_, err := b.Wait(wctx, 0)
			woke <- err
		}()
		if _, err := appendOne(ctx, a, "x"); err != nil {
			t.Fatal(err)
		}
		if err := <-woke; err != nil {
			t.Errorf("Wait on the other store: %v", err)
		}
	})
	t.Run("bad options are refused with ErrInvalid", func(t *testing.T) {
		for _, schema := range []string{"Upper", "1digit", "semi;colon", "a-b", string(make([]byte, 64))} {
			_, err := pgstore.Open(ctx, dsn(t), &pgstore.Options{Schema: schema})
			if !errors.Is(err, store.ErrInvalid) {
				t.Errorf("Open with schema %q: %v; want ErrInvalid", schema, err)
			}
		}
		_, err := pgstore.Open(ctx, dsn(t), &pgstore.Options{Schema: freshSchema(t), ListenDSN: "postgres://[bad"})
		if !errors.Is(err, store.ErrInvalid) {
			t.Errorf("Open with a malformed ListenDSN: %v; want ErrInvalid", err)
		}
		_, err = pgstore.Open(ctx, "postgres://bob:secret@[bad:5432/x", nil)
		if !errors.Is(err, store.ErrInvalid) || strings.Contains(err.Error(), "secret") {
			t.Errorf("Open with a malformed DSN: %v; want ErrInvalid, without the password", err)
		}
	})
}

func TestCloseStopsGoroutines(t *testing.T) {
	dsn(t)
	before := runtime.NumGoroutine()
	db, err := pgstore.Open(context.Background(), dsn(t), &pgstore.Options{Schema: freshSchema(t)})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := appendOne(context.Background(), db, "x"); err != nil {
		t.Fatal(err)
	}
	db.Close()
	// Goroutines of the pool's connections end shortly after Close.
	deadline := time.Now().Add(5 * time.Second)
	for runtime.NumGoroutine() > before {
		if time.Now().After(deadline) {
			buf := make([]byte, 1<<16)
			t.Fatalf("%d goroutines after Close; %d before Open:\n%s", runtime.NumGoroutine(), before, buf[:runtime.Stack(buf, true)])
		}
		time.Sleep(10 * time.Millisecond)
	}
}
