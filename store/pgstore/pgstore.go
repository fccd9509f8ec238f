package pgstore

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/workspace-go/workspace/internal/commitq"
	"github.com/workspace-go/workspace/store"
)

var _ store.Store = (*DB)(nil)

// DB is a [store.Store] in a PostgreSQL database. It is safe for
// concurrent use.
//
// Open starts two goroutines: the committer, which runs Update functions in
// groups, and the listener, which holds a dedicated connection for
// LISTEN/NOTIFY. Close stops both.
type DB struct {
	pool    *pgxpool.Pool
	ownPool bool
	opts    Options
	n       names

	ctx    context.Context // ends when Close has drained the committer
	cancel context.CancelFunc

	q       *commitq.Queue // Update's requests, for the committer
	stop    chan struct{}  // closed by Close
	stopped chan struct{}  // closed when the committer has exited

	stats struct{ commits, updates, retries, failures, misses atomic.Uint64 }

	// Owned by the committer goroutine: see group.reserve.
	guessNext    uint64 // the sequence's next value after this store's last commit; 0: unknown
	guessSkip    int    // reservations to make before guessing again
	guessPenalty int    // guessSkip after the next miss, halved by each hit

	wmu      sync.Mutex
	wake     chan struct{} // closed and replaced on each notification
	listened chan struct{} // closed when the listener has exited
}

// Open connects to the database at dsn (a postgres:// URL or key=value
// string, as pgx accepts; pool settings such as pool_max_conns go in it),
// creates the schema when missing, and returns the store. The store owns
// the pool and closes it on Close.
func Open(ctx context.Context, dsn string, opts *Options) (*DB, error) {
	cfg, err := pgxpool.ParseConfig(dsn)
	if err != nil {
		// pgx masks any password in the DSN it quotes.
		return nil, fmt.Errorf("pgstore: %v: %w", err, store.ErrInvalid)
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, classify("connect", err)
	}
	db, err := OpenPool(ctx, pool, opts)
	if err != nil {
		pool.Close()
		return nil, err
	}
	db.ownPool = true
	return db, nil
}

// OpenPool is Open over a pool the caller made and keeps: Close leaves it
// open. The listener opens one extra connection with the pool's
// connection settings.
func OpenPool(ctx context.Context, pool *pgxpool.Pool, opts *Options) (*DB, error) {
	o, err := opts.withDefaults()
	if err != nil {
		return nil, err
	}
	listenCfg := pool.Config().ConnConfig.Copy()
	if o.ListenDSN != "" {
		if listenCfg, err = pgx.ParseConfig(o.ListenDSN); err != nil {
			return nil, fmt.Errorf("pgstore: listen dsn: %v: %w", err, store.ErrInvalid)
		}
	}
	n := newNames(o.Schema)
	if err := ensureSchema(ctx, pool, n); err != nil {
		return nil, classify(fmt.Sprintf("open schema %q", o.Schema), err)
	}
	dctx, cancel := context.WithCancel(context.Background())
	db := &DB{
		pool:     pool,
		opts:     o,
		n:        n,
		ctx:      dctx,
		cancel:   cancel,
		q:        commitq.New(),
		stop:     make(chan struct{}),
		stopped:  make(chan struct{}),
		wake:     make(chan struct{}),
		listened: make(chan struct{}),
	}
	go db.commitLoop()
	if o.DisableNotify {
		close(db.listened)
	} else {
		go db.listen(listenCfg)
	}
	return db, nil
}

// Stats are counters of a store's commit groups since Open.
type Stats struct {
	Commits  uint64 // transactions committed by the committer
	Updates  uint64 // Update functions committed in them (Updates/Commits: the mean group size)
	Retries  uint64 // group attempts rolled back by a serialization failure or deadlock, then run again
	Failures uint64 // groups failed by a database error (outage, retries exhausted)
	Misses   uint64 // group attempts run again because another node took the guessed sequence number
}

// Stats returns the store's counters.
func (db *DB) Stats() Stats {
	return Stats{
		Commits:  db.stats.commits.Load(),
		Updates:  db.stats.updates.Load(),
		Retries:  db.stats.retries.Load(),
		Failures: db.stats.failures.Load(),
		Misses:   db.stats.misses.Load(),
	}
}

// Pool returns the connection pool, for statistics and for queries of the
// application's own. Writing to the store's tables directly bypasses the
// change log's ordering.
func (db *DB) Pool() *pgxpool.Pool { return db.pool }

// Schema returns the PostgreSQL schema holding the store.
func (db *DB) Schema() string { return db.opts.Schema }

func (db *DB) checkOpen(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if db.q.Closed() {
		return fmt.Errorf("pgstore: %w", store.ErrClosed)
	}
	return nil
}

// View runs fn in a REPEATABLE READ, READ ONLY transaction: a snapshot
// taken at its first read, which neither blocks writers nor makes them
// retry.
func (db *DB) View(ctx context.Context, fn func(store.Tx) error) (err error) {
	if err := db.checkOpen(ctx); err != nil {
		return err
	}
	conn, err := db.pool.Acquire(ctx)
	if err != nil {
		return db.mapErr(ctx, "view", err)
	}
	s := &session{conn: conn, begin: beginSnapshot}
	defer func() {
		if s.begun && !conn.Conn().IsClosed() {
			// Ends the snapshot; on a connection that failed, the pool
			// drops it on Release.
			if _, cerr := conn.Exec(context.WithoutCancel(ctx), "COMMIT"); cerr != nil && err == nil {
				err = db.mapErr(ctx, "view", cerr)
			}
		}
		conn.Release()
	}()
	t := newTx(ctx, &reader{qctx: ctx, q: s, n: &db.n})
	defer t.End()
	if err := fn(t); err != nil {
		return err
	}
	return t.Err()
}

// Changes returns committed change records after the given position.
func (db *DB) Changes(ctx context.Context, after uint64, limit int) ([]store.Change, uint64, error) {
	if err := db.checkOpen(ctx); err != nil {
		return nil, after, err
	}
	if limit <= 0 {
		limit = 256
	}
	if after >= 1<<63-1 {
		return nil, after, nil
	}
	rows, err := db.pool.Query(ctx, `SELECT seq, kind, data FROM `+db.n.log+` WHERE seq > $1 ORDER BY seq LIMIT $2`,
		int64(after), limit)
	if err != nil {
		return nil, after, db.mapErr(ctx, "changes", err)
	}
	var out []store.Change
	for rows.Next() {
		var seq int64
		var kind, data []byte
		if err := rows.Scan(&seq, &kind, &data); err != nil {
			rows.Close()
			return nil, after, db.mapErr(ctx, "changes", err)
		}
		out = append(out, store.Change{Seq: uint64(seq), Kind: string(kind), Data: data})
	}
	if err := rows.Err(); err != nil {
		return nil, after, db.mapErr(ctx, "changes", err)
	}
	if len(out) > 0 {
		return out, out[len(out)-1].Seq, nil
	}
	// Nothing after the position: it may lie in a trimmed stretch, which
	// the reader skips.
	var trimmed int64
	err = db.pool.QueryRow(ctx, `SELECT value FROM `+db.n.meta+` WHERE name = 'trimmed'`).Scan(&trimmed)
	if err != nil {
		return nil, after, db.mapErr(ctx, "changes", err)
	}
	return nil, max(after, uint64(trimmed)), nil
}

// Last returns the highest committed position.
func (db *DB) Last(ctx context.Context) (uint64, error) {
	if err := db.checkOpen(ctx); err != nil {
		return 0, err
	}
	last, err := db.last(ctx)
	if err != nil {
		return 0, db.mapErr(ctx, "last", err)
	}
	return last, nil
}

func (db *DB) last(ctx context.Context) (uint64, error) {
	var last int64
	err := db.pool.QueryRow(ctx, `SELECT GREATEST(
		COALESCE((SELECT max(seq) FROM `+db.n.log+`), 0),
		(SELECT value FROM `+db.n.meta+` WHERE name = 'trimmed'))`).Scan(&last)
	return uint64(last), err
}

// trimChunk bounds the rows one Trim transaction deletes, so trimming a
// long log does not hold one huge transaction.
const trimChunk = 10000

// Trim deletes change records below the given position, in chunks.
func (db *DB) Trim(ctx context.Context, below uint64) error {
	if err := db.checkOpen(ctx); err != nil {
		return err
	}
	if below > 1<<63-1 {
		below = 1<<63 - 1
	}
	for {
		var n int64
		err := db.retry(ctx, func() error {
			// One statement: delete a chunk and record the highest Seq it
			// removed, so Last and Changes keep their positions.
			return db.pool.QueryRow(ctx, `WITH gone AS (
				DELETE FROM `+db.n.log+` WHERE seq IN (
					SELECT seq FROM `+db.n.log+` WHERE seq < $1 ORDER BY seq LIMIT $2)
				RETURNING seq
			), mark AS (
				UPDATE `+db.n.meta+` SET value = GREATEST(value, (SELECT max(seq) FROM gone))
				WHERE name = 'trimmed' AND EXISTS (SELECT 1 FROM gone)
			)
			SELECT count(*) FROM gone`, int64(below), trimChunk).Scan(&n)
		})
		if err != nil {
			return db.mapErr(ctx, "trim", err)
		}
		if n < trimChunk {
			return nil
		}
	}
}

// retry runs fn again after serialization failures and deadlocks.
func (db *DB) retry(ctx context.Context, fn func() error) error {
	for attempt := 0; ; attempt++ {
		err := fn()
		if err == nil || !retryable(err) {
			return err
		}
		if attempt >= db.opts.MaxRetries {
			return fmt.Errorf("%w: %w", ErrRetriesExhausted, err)
		}
		if err := backoff(ctx, attempt); err != nil {
			return err
		}
	}
}

// Close stops the committer (failing queued updates with store.ErrClosed
// after the group in progress commits), the listener and, when Open made
// it, the pool. A Wait blocked in another goroutine returns ErrClosed.
// Close is idempotent.
func (db *DB) Close() error {
	if !db.q.Close() {
		return nil
	}
	close(db.stop)
	<-db.stopped
	db.cancel()
	<-db.listened
	if db.ownPool {
		db.pool.Close()
	}
	return nil
}
