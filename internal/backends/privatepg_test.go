package backends_test

import (
	"context"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/workspace-go/workspace/internal/backends"
)

func TestPrivatePG(t *testing.T) {
	c := backends.PrivatePG(t)
	ctx := context.Background()
	exec := func(sql string) error {
		conn, err := pgx.Connect(ctx, c.DSN)
		if err != nil {
			return err
		}
		defer conn.Close(ctx)
		_, err = conn.Exec(ctx, sql)
		return err
	}
	if err := exec(`CREATE TABLE t (x int); INSERT INTO t VALUES (42)`); err != nil {
		t.Fatal(err)
	}
	t.Run("a stopped cluster refuses connections", func(t *testing.T) {
		if err := c.Stop(); err != nil {
			t.Fatal(err)
		}
		if err := exec(`SELECT 1`); err == nil {
			t.Fatal("connected to a stopped cluster")
		}
	})
	t.Run("a started cluster has kept what was committed", func(t *testing.T) {
		if err := c.Start(); err != nil {
			t.Fatal(err)
		}
		if err := exec(`DO $$ BEGIN IF (SELECT x FROM t) <> 42 THEN RAISE 'lost'; END IF; END $$`); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("a restart brings it back after the pause", func(t *testing.T) {
		start := time.Now()
		if err := c.Restart(500 * time.Millisecond); err != nil {
			t.Fatal(err)
		}
		if d := time.Since(start); d < 500*time.Millisecond {
			t.Errorf("restart took %v; want at least the 500ms pause", d)
		}
		if err := exec(`SELECT x FROM t`); err != nil {
			t.Fatal(err)
		}
	})
}
