package pgstore

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/workspace-go/workspace/store"
)

// Wait blocks until a record after the given position is committed. It
// wakes on a notification from any node's commit, and checks the log every
// Options.PollInterval in case a notification was lost. While the database
// is unreachable it keeps waiting rather than failing, looking again after
// a pause that grows from 10ms to PollInterval, so a follower resumes by
// itself after an outage; other errors (a dropped schema, say) end it.
func (db *DB) Wait(ctx context.Context, after uint64) (uint64, error) {
	if err := db.checkOpen(ctx); err != nil {
		return 0, err
	}
	var timer *time.Timer
	failures := 0
	defer func() {
		if timer != nil {
			timer.Stop()
		}
	}()
	for {
		// Take the wake channel before reading the log, so a commit that
		// lands after the read still wakes this loop.
		db.wmu.Lock()
		wake := db.wake
		db.wmu.Unlock()
		last, err := db.last(ctx)
		if err == nil && last > after {
			return last, nil
		}
		if cerr := ctx.Err(); cerr != nil {
			return 0, cerr
		}
		d := db.opts.PollInterval
		if err != nil {
			if !transient(err) {
				return 0, db.mapErr(ctx, "wait", err)
			}
			// Look again soon: the failure may be a pooled connection
			// that died with a server now back (the pool drops it), and
			// no notification may come to say so. During a longer outage
			// the pause grows to PollInterval.
			d = min(10*time.Millisecond<<min(failures, 10), d)
			failures++
		} else {
			failures = 0
		}
		if timer == nil {
			timer = time.NewTimer(d)
		} else {
			timer.Reset(d)
		}
		select {
		case <-wake:
		case <-timer.C:
		case <-db.stop:
			return 0, fmt.Errorf("pgstore: %w", store.ErrClosed)
		case <-ctx.Done():
			return 0, ctx.Err()
		}
	}
}

func (db *DB) broadcast() {
	db.wmu.Lock()
	close(db.wake)
	db.wake = make(chan struct{})
	db.wmu.Unlock()
}

// listen holds a dedicated connection that LISTENs on the store's channel
// and wakes every Wait on each notification. When the connection breaks it
// reconnects, backing off up to PollInterval, and wakes everyone once
// connected again (notifications sent meanwhile are lost; the wake makes
// waiters look). It runs until Close.
func (db *DB) listen(cfg *pgx.ConnConfig) {
	defer close(db.listened)
	ctx := db.ctx
	for attempt := 0; ctx.Err() == nil; attempt++ {
		conn, err := pgx.ConnectConfig(ctx, cfg)
		if err == nil {
			_, err = conn.Exec(ctx, "LISTEN "+pgx.Identifier{db.n.channel}.Sanitize())
			if err == nil {
				attempt = 0
				db.broadcast()
				for {
					if _, err = conn.WaitForNotification(ctx); err != nil {
						break
					}
					db.broadcast()
				}
			}
			conn.Close(context.Background())
		}
		d := min(time.Duration(1<<min(attempt, 10))*10*time.Millisecond, db.opts.PollInterval)
		select {
		case <-time.After(d):
		case <-ctx.Done():
		}
	}
}
