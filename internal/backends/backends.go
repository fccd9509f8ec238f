// Package backends is the one table of store backends that the feature
// packages' tests run against: memstore, boltstore in a temporary file, and
// PostgreSQL on a fresh schema when WORKSPACE_PG_DSN is set.
//
// It is for tests only (it imports every backend); feature packages import
// it from their _test.go files.
package backends

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"os"
	"path/filepath"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/workspace-go/workspace/store"
	"github.com/workspace-go/workspace/store/boltstore"
	"github.com/workspace-go/workspace/store/memstore"
	"github.com/workspace-go/workspace/store/pgstore"
)

// DSNEnv names the environment variable with the PostgreSQL DSN; without
// it the PostgreSQL backend is left out.
const DSNEnv = "WORKSPACE_PG_DSN"

// Backend is one store backend: a name for subtests and an opener that
// returns a fresh, empty store closed when the test ends.
type Backend struct {
	Name string
	Open func(tb testing.TB) store.Store
}

// All returns memstore, boltstore and, when WORKSPACE_PG_DSN is set,
// pgstore.
func All() []Backend {
	bs := []Backend{
		{"memstore", Mem},
		{"boltstore", Bolt},
	}
	if os.Getenv(DSNEnv) != "" {
		bs = append(bs, Backend{"pgstore", PG})
	}
	return bs
}

// Run runs f as a subtest per backend of All.
func Run(t *testing.T, f func(t *testing.T, open func(tb testing.TB) store.Store)) {
	for _, b := range All() {
		t.Run(b.Name, func(t *testing.T) { f(t, b.Open) })
	}
}

// Mem opens a memstore.
func Mem(tb testing.TB) store.Store {
	st := memstore.New()
	tb.Cleanup(func() { st.Close() })
	return st
}

// Bolt opens a boltstore file in the test's temporary directory, with
// fsync off (durability is boltstore's own tests' business).
func Bolt(tb testing.TB) store.Store {
	tb.Helper()
	st, err := boltstore.Open(filepath.Join(tb.TempDir(), "db"), &boltstore.Options{NoSync: true})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { st.Close() })
	return st
}

// PG opens a pgstore on a fresh schema of the database WORKSPACE_PG_DSN
// names, dropped when the test ends. It skips the test without the
// variable.
func PG(tb testing.TB) store.Store {
	tb.Helper()
	return PGSchema(tb, FreshSchema(tb))
}

// FreshSchema returns a new schema name, dropped when the test ends. It
// skips the test without WORKSPACE_PG_DSN.
func FreshSchema(tb testing.TB) string {
	tb.Helper()
	dsn := os.Getenv(DSNEnv)
	if dsn == "" {
		tb.Skipf("set %s to run against PostgreSQL", DSNEnv)
	}
	var b [6]byte
	rand.Read(b[:])
	schema := "test_" + hex.EncodeToString(b[:])
	tb.Cleanup(func() {
		ctx := context.Background()
		conn, err := pgx.Connect(ctx, dsn)
		if err != nil {
			tb.Errorf("drop schema %s: %v", schema, err)
			return
		}
		defer conn.Close(ctx)
		if _, err := conn.Exec(ctx, "DROP SCHEMA IF EXISTS "+pgx.Identifier{schema}.Sanitize()+" CASCADE"); err != nil {
			tb.Errorf("drop schema %s: %v", schema, err)
		}
	})
	return schema
}

// PGSchema opens another pgstore (a second application node) on schema.
func PGSchema(tb testing.TB, schema string) store.Store {
	tb.Helper()
	st, err := pgstore.Open(context.Background(), os.Getenv(DSNEnv), &pgstore.Options{Schema: schema})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { st.Close() })
	return st
}
