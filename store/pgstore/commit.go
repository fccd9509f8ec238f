package pgstore

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/workspace-go/workspace/internal/commitq"
	"github.com/workspace-go/workspace/internal/txbuf"
	"github.com/workspace-go/workspace/store"
)

// Group commit.
//
// Update does not open a PostgreSQL transaction itself. It queues a request
// and waits. One goroutine, the committer, takes everything queued (up to
// Options.MaxBatch) and runs the functions one after another inside a
// single SERIALIZABLE transaction, so 64 concurrent writers cost a few
// commits, not 64.
//
// Each function writes into its own overlay, not into the database. If it
// returns nil, its overlay joins the group's (the functions after it see
// it); if it fails, panics or its context ends, the overlay and its change
// records are dropped and its sequence numbers are handed out again. A
// failing function therefore never fails its neighbours. The group's
// writes reach the database in one pipelined batch just before COMMIT.
//
// When PostgreSQL rolls the group back (a serialization failure or a
// deadlock with another node's transaction), the committer runs the whole
// group again in a new transaction: the contract lets a function run more
// than once. A broken connection before COMMIT (a database restart leaves
// dead connections in the pool) is retried twice at once; if the database
// is really down, the group's successful functions fail with the error. A
// connection that breaks during COMMIT is never retried: nobody knows
// whether the transaction committed, and running the functions again
// could log a change twice. Update then returns an error saying the
// outcome is unknown.

// group is one attempt at committing a group of requests.
//
// It drives its transaction by hand on one pooled connection (a session),
// rather than through pgx.Tx, to save round trips: BEGIN travels in the
// same pipeline as the group's first statement, and the writes travel
// with COMMIT, so a group that only writes and appends costs one round
// trip.
type group struct {
	*session
	db      *DB
	err     error     // a database error: the attempt is lost
	set     txbuf.Set // the writes of the group's functions that succeeded
	first   uint64    // first reserved sequence number; 0: none yet
	next    uint64    // next sequence number to hand out
	guessed bool      // first is a guess, checked at commit (see reserve)
	kinds   kindCache // kinds of committed records, for rewrites
}

// reserve makes the group an appender and returns the next sequence
// number to hand out.
//
// The numbers must follow commit order (see "The change log" in doc.go),
// so an appender holds the append lock row from taking its first number
// to its COMMIT. When this store knows the sequence's next value (its own
// last commit set it and no guess failed lately), the group guesses it:
// it takes no lock now, and its commit batch locks the row, checks that
// nextval returns the guess (failing the transaction if another node
// appended meanwhile) and inserts the records. A right guess saves a
// round trip and holds the lock only for the commit itself; a wrong one
// runs the group again with a real reservation, and the store stops
// guessing for a while.
func (g *group) reserve() (uint64, error) {
	if g.first != 0 {
		return g.next, nil
	}
	db := g.db
	if db.guessNext != 0 && db.guessSkip == 0 {
		g.first, g.next, g.guessed = db.guessNext, db.guessNext, true
		return g.next, nil
	}
	db.guessSkip = max(0, db.guessSkip-1)
	// Two statements, pipelined: in one, PostgreSQL would evaluate nextval
	// before waiting for the row lock.
	var first int64
	b := g.batch()
	b.Queue(`SELECT 1 FROM ` + db.n.lock + ` WHERE id = 1 FOR UPDATE`)
	b.Queue(`SELECT nextval('` + db.n.seq + `')`).QueryRow(func(row pgx.Row) error { return row.Scan(&first) })
	if err := g.conn.SendBatch(db.ctx, b).Close(); err != nil {
		return 0, err
	}
	g.first, g.next = uint64(first), uint64(first)
	return g.next, nil
}

// errGuessMissed reports a group whose guessed sequence number was taken
// by another node: it rolled back and runs again.
var errGuessMissed = errors.New("pgstore: guessed sequence number was taken")

// Update queues fn for the next commit group and waits for the group to
// commit.
func (db *DB) Update(ctx context.Context, fn func(store.Tx) error) error {
	return db.q.Do(ctx, fn, fmt.Errorf("pgstore: %w", store.ErrClosed))
}

func (db *DB) commitLoop() {
	for {
		select {
		case <-db.q.Kick():
		case <-db.stop:
			db.q.Fail(fmt.Errorf("pgstore: %w", store.ErrClosed))
			close(db.stopped)
			return
		}
		for {
			select {
			case <-db.stop:
				db.q.Fail(fmt.Errorf("pgstore: %w", store.ErrClosed))
				close(db.stopped)
				return
			default:
			}
			group := db.q.Take(db.opts.MaxBatch)
			if len(group) == 0 {
				break
			}
			db.commit(group)
			if len(group) >= lingerMin {
				// The group's writers will queue again: wait for them
				// to join those already queued.
				db.linger(len(group) + db.q.Len())
			}
		}
	}
}

// Lingering. With many writers, groups settle into halves: while one
// half commits, the other queues, and the half just released re-queues
// only after the next group has started. Each commit then carries half
// the writers. So after a big group the committer waits a moment — at
// most maxLinger, and only until the writers it just released have
// queued beside those already waiting — so that one commit carries them
// all. Measured with 64 writers: groups of 32 became groups of 63, and
// commits/s doubled or better.
const (
	lingerMin = 8                      // smaller groups: do not wait
	maxLinger = 300 * time.Microsecond // far below one commit's time
)

func (db *DB) linger(want int) {
	want = min(want, db.opts.MaxBatch)
	timer := time.NewTimer(maxLinger)
	defer timer.Stop()
	for db.q.Len() < want {
		select {
		case <-db.q.Kick():
		case <-timer.C:
			return
		case <-db.stop:
			return
		}
	}
}

// commit runs a group until it commits, fails for good, or runs out of
// retries, and then releases its callers.
func (db *DB) commit(reqs []*commitq.Request) {
	defer func() {
		if db.q.Recover(reqs) { // a function called runtime.Goexit
			go db.commitLoop()
		}
	}()
	var ran []*commitq.Request
	for _, r := range reqs {
		if r.Start() {
			ran = append(ran, r)
		}
	}
	broken := 0
	for attempt := 0; len(ran) > 0; attempt++ {
		committing, err := db.attempt(ran)
		if errors.Is(err, errGuessMissed) {
			db.stats.misses.Add(1)
			db.guessNext = 0
			db.guessPenalty = min(max(1, 2*db.guessPenalty), 256)
			db.guessSkip = db.guessPenalty
			attempt--
			continue
		}
		if err == nil {
			db.stats.commits.Add(1)
			for _, r := range ran {
				if r.Err == nil && r.Panic == nil {
					db.stats.updates.Add(1)
				}
			}
			break
		}
		switch {
		case committing && !retryable(err):
			// The connection failed during COMMIT: it may have committed.
			err = fmt.Errorf("pgstore: commit: %w: the connection failed during COMMIT: %w", ErrOutcomeUnknown, err)
		case retryable(err) && attempt < db.opts.MaxRetries:
			db.stats.retries.Add(1)
			if backoff(db.ctx, attempt) == nil {
				continue
			}
			err = db.mapErr(context.Background(), "commit", err)
		case retryable(err):
			err = fmt.Errorf("pgstore: commit: %w: %w", ErrRetriesExhausted, err)
		case broken < 2 && transient(err) && db.ctx.Err() == nil:
			// Nothing committed. Try again at once, in case the pool lent
			// a connection that died with a database restart; a real
			// outage fails the next attempts too.
			broken++
			continue
		default:
			err = db.mapErr(context.Background(), "commit", err)
		}
		db.stats.failures.Add(1)
		for _, r := range ran {
			if r.Err == nil && r.Panic == nil {
				r.Err = err
			}
		}
		break
	}
	commitq.Finish(reqs)
}

// attempt runs the functions in one transaction and commits it. It
// returns the database error that lost the attempt, and whether it struck
// while COMMIT was under way (when the outcome may be unknown); the
// functions' own results are in their requests.
func (db *DB) attempt(reqs []*commitq.Request) (committing bool, err error) {
	ctx := db.ctx
	conn, err := db.pool.Acquire(ctx)
	if err != nil {
		return false, err
	}
	g := &group{session: &session{conn: conn, begin: beginSerializable}, db: db}
	rd := &reader{qctx: ctx, q: g, n: &db.n, g: g}
	defer func() {
		if err != nil && g.begun && !conn.Conn().IsClosed() {
			// Leave the connection idle for the next user; if even this
			// fails, the pool drops a connection left in a transaction.
			rctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			conn.Exec(rctx, "ROLLBACK")
			cancel()
		}
		conn.Release()
	}()
	for _, r := range reqs {
		r.Err, r.Panic = nil, nil
		t := newTx(r.Ctx, rd)
		if g.first != 0 {
			t.NextSeq = g.next
		}
		r.Err, r.Panic = run(r, t)
		if g.err != nil {
			return false, g.err
		}
		if r.Err != nil || r.Panic != nil {
			continue
		}
		g.next += uint64(len(t.Set.Changes))
		g.set.Join(&t.Set)
	}
	return g.commit(ctx)
}

// commit sends the group's writes, change records, notification and
// COMMIT in one pipelined batch.
func (g *group) commit(ctx context.Context) (committing bool, err error) {
	n := &g.db.n
	if !g.begun && g.set.Empty() {
		return false, nil // nothing read, nothing to write
	}
	b := g.batch()
	if g.guessed && len(g.set.Changes) > 0 {
		// Lock first, then check the guess: 1/0 fails the transaction
		// when another node took the number. The lock comes before the
		// writes, so this transaction never holds a row another appender
		// (holding the lock) waits for: no deadlock.
		b.Queue(`SELECT 1 FROM ` + n.lock + ` WHERE id = 1 FOR UPDATE`)
		b.Queue(`SELECT 1 / (nextval('`+n.seq+`') = $1)::int`, int64(g.first))
	}
	var dels, putK, putV [][]byte
	for k, v := range g.set.Writes() {
		if v == nil {
			dels = append(dels, k)
		} else {
			putK, putV = append(putK, k), append(putV, v)
		}
	}
	if len(dels) > 0 {
		b.Queue(`DELETE FROM `+n.kv+` WHERE k = ANY($1::bytea[])`, dels)
	}
	if len(putK) > 0 {
		b.Queue(`INSERT INTO `+n.kv+` (k, v) SELECT * FROM unnest($1::bytea[], $2::bytea[])
			ON CONFLICT (k) DO UPDATE SET v = EXCLUDED.v`, putK, putV)
	}
	if rw := g.set.Rewrites; len(rw) > 0 {
		seqs := make([]int64, 0, len(rw))
		datas := make([][]byte, 0, len(rw))
		for seq, c := range rw {
			seqs, datas = append(seqs, int64(seq)), append(datas, c.Data)
		}
		b.Queue(`UPDATE `+n.log+` AS l SET data = u.data
			FROM unnest($1::bigint[], $2::bytea[]) AS u(seq, data) WHERE l.seq = u.seq`, seqs, datas)
	}
	if g.first != 0 && (!g.guessed || len(g.set.Changes) > 0) {
		// Hand unused numbers back: the append lock is still held, so no
		// other transaction took one since.
		b.Queue(`SELECT setval('`+n.seq+`', $1, false)`, int64(g.next))
	}
	if len(g.set.Changes) > 0 {
		seqs := make([]int64, len(g.set.Changes))
		kinds := make([][]byte, len(g.set.Changes))
		datas := make([][]byte, len(g.set.Changes))
		for i, c := range g.set.Changes {
			seqs[i], kinds[i], datas[i] = int64(c.Seq), []byte(c.Kind), c.Data
		}
		b.Queue(`INSERT INTO `+n.log+` (seq, kind, data) SELECT * FROM unnest($1::bigint[], $2::bytea[], $3::bytea[])`,
			seqs, kinds, datas)
		if !g.db.opts.DisableNotify {
			b.Queue(`SELECT pg_notify($1, $2)`, n.channel, strconv.FormatUint(g.next-1, 10))
		}
	}
	b.Queue(`COMMIT`)
	err = g.conn.SendBatch(ctx, b).Close()
	var de *pgconn.PgError
	if g.guessed && errors.As(err, &de) && de.Code == "22012" { // division_by_zero
		return false, errGuessMissed
	}
	if err == nil && len(g.set.Changes) > 0 {
		g.db.guessNext = g.next
		if g.guessed {
			g.db.guessPenalty /= 2
		}
	}
	if err == nil && g.conn.Conn().PgConn().TxStatus() != 'I' {
		// COMMIT of a transaction PostgreSQL had already aborted reports
		// success but rolls back; an earlier statement's error is
		// reported first, so this is a safety net.
		return false, errors.New("pgstore: transaction rolled back at COMMIT")
	}
	var pe *pgconn.PgError
	// A statement error (including COMMIT's own serialization failure)
	// means the server rolled back, and a connection that failed before
	// sending anything sent no COMMIT; any other broken connection leaves
	// the outcome unknown.
	return err != nil && !errors.As(err, &pe) && !pgconn.SafeToRetry(err), err
}

// run calls the request's function with the transaction t, which ends
// with it; see commitq.Request.Run.
func run(r *commitq.Request, t *txbuf.Tx) (error, any) {
	defer t.End()
	return r.Run(t, t.Err)
}

// backoff sleeps a little, growing with the attempt, jittered so that
// nodes that collided do not collide again.
func backoff(ctx context.Context, attempt int) error {
	d := time.Duration(1<<min(attempt, 7)) * time.Millisecond
	d = d/2 + rand.N(d)
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-timer.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
