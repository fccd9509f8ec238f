// Package pgstore implements [store.Store] on PostgreSQL, so that several
// application nodes share one database and see each other's writes through
// the change log.
//
// [Open] takes a DSN and owns its connection pool; [OpenPool] takes a
// *pgxpool.Pool the caller keeps. Both create the schema on first use.
//
//	db, err := pgstore.Open(ctx, "postgres://app@db:5432/app?sslmode=require", nil)
//
// # Running on PostgreSQL
//
// Every node of an application opens the same database and schema
// (Options.Schema, "workspace" by default); Open creates the schema, its
// tables and a sequence when missing and records a schema_version, so the
// first node to start sets it up and a node running an older pgstore
// refuses a newer layout ([ErrSchemaVersion]). The database user needs
// CREATE on the database the first time, and then only SELECT, INSERT,
// UPDATE and DELETE on the schema's tables and USAGE/UPDATE on its
// sequence. Pool settings (pool_max_conns, ...) go in the DSN; each store
// also holds one extra connection for LISTEN.
//
// What differs from the embedded bbolt file:
//
//   - Throughput. Updates are grouped into one transaction per commit, as
//     with bbolt, so 64 concurrent writers reach tens of thousands of
//     commits per second on a local server (14,000 to 47,000 on the shared
//     2-core test machine, 8,000 to 12,000 while it was saturated by other
//     work); a single writer gets 450 to 2,300, as each of its commits
//     waits for the server's WAL flush. Across a network each commit also
//     pays a round trip, and Tx.Get inside a function is a round trip to
//     the server, where bbolt reads memory: read what you need in few
//     calls (one Scan rather than many Gets). Writes cost no round trip
//     until the commit, which sends them all in one pipeline (one
//     multi-row statement each for the puts, the deletes, the log
//     records and the rewrites), and Tx.Rewrite checks its records in
//     windows of 256 sequence numbers, so a purge's rewrites of
//     neighbouring records cost a few round trips in all.
//   - Latency. A committed record reaches a follower on another node in
//     well under a millisecond on a local server (LISTEN/NOTIFY wake-up,
//     then one query); if a notification is lost the follower finds the
//     record within Options.PollInterval (one second by default).
//   - Failures. While the database is unreachable, operations fail with
//     errors naming the operation and the cause; they succeed again once it
//     is back, with no restart of the application and no reopening of the
//     DB (the pool dials new connections, the listener reconnects). See
//     "Errors" below for which failures are transient. Store.Wait rides
//     through outages (polling), and store.Follow retries the transient
//     errors of Changes itself, from the last record it delivered.
//   - Sequence numbers may have gaps (a group that rolled back after
//     taking numbers), which the store contract allows.
//
// CockroachDB and YugabyteDB speak the PostgreSQL protocol and are expected
// to work (the key table's primary key ascends, so range scans stay
// ordered on range-sharded storage; set Options.DisableNotify on
// CockroachDB, which lacks LISTEN/NOTIFY), but they are not tested here,
// and the change log's ordering argument below relies on how PostgreSQL
// releases locks; verify it before relying on it elsewhere.
//
// The tests need a server and skip without one:
//
//	WORKSPACE_PG_DSN='postgres://postgres@127.0.0.1:5432/test?sslmode=disable' go test ./store/pgstore/
//
// Each test works in a fresh schema and drops it. The outage tests stop
// and restart a private PostgreSQL cluster of their own (initdb into a
// temporary directory, its own port), never the shared server, and run
// only when asked:
//
//	WORKSPACE_PG_OUTAGE=1 go test -race -run 'Restart|Outage' ./store/pgstore/
//
// # Errors
//
// Every error an exported method returns (Open, View and the Tx inside it,
// Update, Changes, Wait, Last, Trim) is classified in one place: a
// transient failure wraps [store.ErrUnavailable], so [store.Transient] is
// true and [store.Code] is "unavailable", with the original error (a
// *pgconn.PgError, a *pgconn.ConnectError, a net.Error) still in the
// chain. Transient are: failures of the connection (a refused or reset
// dial, an unexpected EOF, a closed connection, a network timeout);
// SQLSTATE class 08 (connection exception) and 53 (insufficient
// resources: too many connections, disk full); 57P01, 57P02, 57P03 (the
// server shutting down, crashed, starting up) and 57P05; 57014 when the
// caller's context is still live (statement_timeout); 55P03 (lock_timeout);
// and serialization failures and deadlocks (40001, 40P01) that outlasted
// Options.MaxRetries ([ErrRetriesExhausted]). An Update whose connection
// broke during COMMIT fails with [ErrOutcomeUnknown]: transient, but it
// may have committed. Everything else is permanent: bad input (store.ErrInvalid),
// a missing database or a refused password, a dropped schema, a corrupt
// record, the caller's context ending.
//
// # Tables
//
// In the schema: kv (k bytea primary key, v bytea), log (seq bigint
// primary key, kind bytea, data bytea, committed_at), the sequence
// log_seq, the one-row table append_lock, and meta (schema_version, and
// the highest position ever trimmed, so Last and Changes keep their
// positions after a Trim of the whole log).
//
// # Transactions
//
// View runs a REPEATABLE READ, READ ONLY transaction: a consistent
// snapshot that never blocks or aborts writers. Update functions are
// queued and run by one committer goroutine per store, many of them in
// one SERIALIZABLE transaction (group commit). Each function writes into
// an in-memory overlay that joins the group only if the function returns
// nil, so a failing function never fails its neighbours; the group's
// writes are sent in one pipelined batch with COMMIT. After a big group
// the committer waits up to 300µs for the writers it released to queue
// again, so that all of them share the next commit instead of half. When
// PostgreSQL aborts the group with a serialization failure (40001) or a
// deadlock (40P01) — another node touched the same keys — the whole group
// runs again, up to Options.MaxRetries times, then Update fails with
// [ErrRetriesExhausted]. Scan reads its range in pages of 256 rows with
// keyset pagination (WHERE k > last ORDER BY k LIMIT n, or descending), so
// a long range never becomes one huge result.
//
// # The change log
//
// PostgreSQL sequences hand out numbers in the order transactions ask, not
// the order they commit: a transaction holding 7 may commit after one
// holding 8, and a reader that had passed 8 would skip 7 forever. pgstore
// therefore makes appenders take their numbers in commit order: a
// transaction that appends locks the single row of append_lock (SELECT
// ... FOR UPDATE), then takes its numbers from the sequence, and holds the
// lock until COMMIT. PostgreSQL makes a transaction's commit visible before
// it releases its locks, so every number below one a reader can see
// belongs to a transaction that has already committed (and is visible
// too) or rolled back. Readers need no horizon logic: Changes is WHERE seq
// > after ORDER BY seq LIMIT n, and can never skip a record.
//
// Append must return the record's number while the function runs, before
// the commit. A store therefore guesses it: after each of its commits it
// knows the sequence's next value, and the next group hands out numbers
// from there without asking the server. Its commit batch then locks the
// row, checks that nextval returns the guess, and writes. If another node
// appended in between, the check fails the transaction, the group runs
// again with a real reservation (lock, then nextval, before the functions
// go on), and the store stops guessing for a while (Stats.Misses counts
// these). A single busy node thus commits a group in one round trip —
// BEGIN, lock, check, writes, log records and COMMIT in one pipeline —
// and holds the lock only for its commit batch.
//
// The price is that appending transactions commit one at a time across
// all nodes. Group commit amortises it: the lock is taken once per group
// of up to Options.MaxBatch Updates, not per Update, so throughput is
// about the group size divided by one commit's time. Measured on the
// shared 2-core test machine: 64 writers on one node 8,000 to 47,000
// commits/s (14,000 to 26,000 in most runs); split over two nodes on one
// schema 4,800 to 26,000 (a few guesses miss as the nodes alternate).
// Updates that append nothing never take the lock. The alternative
// considered — recording each record's transaction id and returning only
// records below the oldest running transaction (pg_snapshot_xmin) — lets
// appenders commit in parallel, but any long transaction in the whole
// cluster, even another application's, would hold back every reader, and
// Append could not return the record's final position; the lock is
// simpler and measured fast enough.
//
// A notification (pg_notify on the channel "pgstore.<schema>", sent in the
// committing transaction) wakes every store's Wait on every node. It is a
// wake-up only: Wait then reads the log, and also reads it every
// Options.PollInterval, so a lost notification delays but never loses a
// record.
//
// Trim deletes records below a position in chunks of 10,000 rows.
//
// # Concurrency
//
// A DB is safe for concurrent use. Open starts two goroutines, the
// committer and the listener (which holds a dedicated connection and
// reconnects after failures); Close stops both, after the group being
// committed finishes, and fails queued Updates with store.ErrClosed.
// Several DBs, in one process or many, may share a schema. [DB.Stats]
// counts commits, group sizes, retries and failures.
//
// # Caveats
//
// Tx.Rewrite UPDATEs a change record's row: the old row version stays in
// the table's files, unreachable by queries, until VACUUM reclaims it (and
// in the WAL and backups). Where a purge must leave no trace on disk, run
// VACUUM on the log table afterwards and mind the retention of WAL archives.
// The Update function runs on the committer goroutine, not the caller's:
// calling Update (or a View that waits on one) from inside it deadlocks.
// A slow function delays its whole group and, when its group reserved
// sequence numbers (the first appending group after Open or after a
// missed guess), every appender on every node: keep functions short and
// free of waiting. Keys
// and values returned inside a transaction are valid only until it ends.
// Writing to the tables with SQL bypasses the change log's ordering.
// Behind a pooler in transaction mode (PgBouncer's default), add
// default_query_exec_mode=simple_protocol to the DSN unless the pooler
// keeps prepared statements (the conformance suite also runs over the
// simple protocol); LISTEN needs a session, so notifications do not
// arrive and followers fall back to polling: point Options.ListenDSN at
// the server or a session-mode pool, or set DisableNotify and a shorter
// PollInterval.
package pgstore
