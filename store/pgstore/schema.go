package pgstore

import (
	"context"
	"errors"
	"fmt"
	"hash/fnv"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// schemaVersion is the layout this package writes. Open refuses a schema
// whose recorded version is newer, and upgrades an older one.
const schemaVersion = 1

// names holds the quoted, schema-qualified names of the store's objects.
type names struct {
	schema, kv, log, meta, lock, seq string
	channel                          string // the NOTIFY channel, unquoted
}

func newNames(schema string) names {
	q := func(n string) string { return pgx.Identifier{schema, n}.Sanitize() }
	return names{
		schema:  pgx.Identifier{schema}.Sanitize(),
		kv:      q("kv"),
		log:     q("log"),
		meta:    q("meta"),
		lock:    q("append_lock"),
		seq:     q("log_seq"),
		channel: channel(schema),
	}
}

// channel returns the NOTIFY channel of a schema: "pgstore.<schema>", or,
// when that is longer than PostgreSQL's 63-byte names, a prefix of it and
// a hash of the whole.
func channel(schema string) string {
	c := "pgstore." + schema
	if len(c) <= 63 {
		return c
	}
	h := fnv.New64a()
	h.Write([]byte(schema))
	return fmt.Sprintf("%s.%016x", c[:63-17], h.Sum64())
}

// migrations[i] brings a schema from version i to i+1.
func migrations(n names) [][]string {
	return [][]string{{
		// Keys ascend in the primary key, so range scans read an ordered
		// index range (and stay ordered on range-sharded databases).
		`CREATE TABLE IF NOT EXISTS ` + n.kv + ` (
			k bytea PRIMARY KEY,
			v bytea NOT NULL
		)`,
		`CREATE TABLE IF NOT EXISTS ` + n.log + ` (
			seq bigint PRIMARY KEY,
			kind bytea NOT NULL,
			data bytea NOT NULL,
			committed_at timestamptz NOT NULL DEFAULT now()
		)`,
		`CREATE SEQUENCE IF NOT EXISTS ` + n.seq + ` AS bigint MINVALUE 1`,
		// One row, locked FOR UPDATE by every transaction that appends to
		// the log: see "The change log" in doc.go.
		`CREATE TABLE IF NOT EXISTS ` + n.lock + ` (id int PRIMARY KEY)`,
		`INSERT INTO ` + n.lock + ` VALUES (1) ON CONFLICT DO NOTHING`,
		// trimmed: the highest Seq Trim ever removed, so Last survives a
		// trim of the whole log.
		`INSERT INTO ` + n.meta + ` VALUES ('trimmed', 0) ON CONFLICT DO NOTHING`,
	}}
}

// ensureSchema creates or upgrades the schema. Concurrent opens of one
// schema serialise on an advisory lock, so each step runs once.
func ensureSchema(ctx context.Context, pool *pgxpool.Pool, n names) error {
	tx, err := pool.Begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback(ctx)
	stmts := []string{
		`SELECT pg_advisory_xact_lock(hashtext('pgstore:' || $1))`,
		`CREATE SCHEMA IF NOT EXISTS ` + n.schema,
		`CREATE TABLE IF NOT EXISTS ` + n.meta + ` (name text PRIMARY KEY, value bigint NOT NULL)`,
	}
	if _, err := tx.Exec(ctx, stmts[0], n.schema); err != nil {
		return err
	}
	for _, s := range stmts[1:] {
		if _, err := tx.Exec(ctx, s); err != nil {
			return err
		}
	}
	var v int64
	err = tx.QueryRow(ctx, `SELECT value FROM `+n.meta+` WHERE name = 'schema_version'`).Scan(&v)
	if errors.Is(err, pgx.ErrNoRows) {
		v = 0
	} else if err != nil {
		return err
	}
	if v > schemaVersion {
		return fmt.Errorf("schema %s is at version %d, newer than this pgstore's %d: %w", n.schema, v, schemaVersion, ErrSchemaVersion)
	}
	m := migrations(n)
	for ; v < schemaVersion; v++ {
		for _, s := range m[v] {
			if _, err := tx.Exec(ctx, s); err != nil {
				return fmt.Errorf("migrate schema %s to version %d: %w", n.schema, v+1, err)
			}
		}
	}
	_, err = tx.Exec(ctx, `INSERT INTO `+n.meta+` VALUES ('schema_version', $1)
		ON CONFLICT (name) DO UPDATE SET value = EXCLUDED.value`, int64(schemaVersion))
	if err != nil {
		return err
	}
	return tx.Commit(ctx)
}
