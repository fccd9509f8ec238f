package pgstore_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/workspace-go/workspace/internal/backends"
	"github.com/workspace-go/workspace/store"
	"github.com/workspace-go/workspace/store/pgstore"
)

// The outage tests stop and start a private PostgreSQL cluster (see
// backends.PrivatePG), never the shared server, and run only when asked:
//
//	WORKSPACE_PG_OUTAGE=1 go test -race -run 'Restart|Outage' ./store/pgstore/

// TestDatabaseRestart restarts the server while writers and a follower
// run.
func TestDatabaseRestart(t *testing.T) {
	outage(t, func(c *backends.Cluster) error { return c.Restart(0) })
}

// TestDatabaseOutage stops the server for two seconds while writers and a
// follower run.
func TestDatabaseOutage(t *testing.T) {
	outage(t, func(c *backends.Cluster) error {
		if err := c.Stop(); err != nil {
			return err
		}
		time.Sleep(2 * time.Second) // the outage itself, not a wait for work
		return c.Start()
	})
}

// outage runs eight writers on one store and a follower (store.Follow,
// with no retry loop of the test's around it) on another, disrupts the
// server, and requires that:
//   - every Update that failed said it was transient (store.Transient) or
//     ran out of its own time;
//   - every acknowledged write is in the store and its change record in
//     the log, and no record is logged twice or out of order;
//   - the follower received every record of the log once, in order, and
//     never stopped;
//   - both stores work again without reopening, the reader learning of new
//     records by notification (its poll interval is far longer than the
//     test) once its listener has reconnected.
func outage(t *testing.T, disrupt func(*backends.Cluster) error) {
	c := backends.PrivatePG(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	openStore := func(poll time.Duration) *pgstore.DB {
		db, err := pgstore.Open(ctx, c.DSN, &pgstore.Options{Schema: "outage", PollInterval: poll})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		return db
	}
	writer, reader := openStore(100*time.Millisecond), openStore(time.Hour)

	var fmu sync.Mutex
	var followed []store.Change
	var retries atomic.Int64
	followErr := make(chan error, 1)
	go func() {
		b := &store.Backoff{Min: 10 * time.Millisecond, Max: 200 * time.Millisecond,
			OnRetry: func(error, int, time.Duration) { retries.Add(1) }}
		followErr <- b.Follow(ctx, reader, 0, func(ch store.Change) error {
			fmu.Lock()
			defer fmu.Unlock()
			followed = append(followed, ch)
			return nil
		})
	}()
	nFollowed := func() int {
		fmu.Lock()
		defer fmu.Unlock()
		return len(followed)
	}

	var acked sync.Map
	var nacked atomic.Int64
	var emu sync.Mutex
	var errs []error
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for w := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				data := fmt.Sprintf("w%d/%d", w, i)
				uctx, ucancel := context.WithTimeout(ctx, 10*time.Second)
				err := writer.Update(uctx, func(tx store.Tx) error {
					if err := tx.Put([]byte(data), []byte("x")); err != nil {
						return err
					}
					_, err := tx.Append("test", []byte(data))
					return err
				})
				ucancel()
				if err != nil {
					emu.Lock()
					errs = append(errs, err)
					emu.Unlock()
					time.Sleep(10 * time.Millisecond) // the writer's own pause before trying again
					continue
				}
				acked.Store(data, true)
				nacked.Add(1)
			}
		}()
	}
	waitFor := func(what string, cond func() bool) time.Duration {
		t.Helper()
		start := time.Now()
		for !cond() {
			if time.Since(start) > 60*time.Second {
				t.Fatalf("waited 60s for %s", what)
			}
			select {
			case err := <-followErr:
				t.Fatalf("the follower stopped: %v", err)
			case <-time.After(5 * time.Millisecond):
			}
		}
		return time.Since(start)
	}
	waitFor("100 commits before the outage", func() bool { return nacked.Load() >= 100 })
	waitFor("the follower to see them", func() bool { return nFollowed() >= 100 })
	down := time.Now()
	if err := disrupt(c); err != nil {
		t.Fatal(err)
	}
	up := time.Now()
	before := nacked.Load()
	firstWrite := waitFor("a commit after the outage", func() bool { return nacked.Load() > before })
	waitFor("100 commits after the outage", func() bool { return nacked.Load() >= before+100 })
	close(stop)
	wg.Wait()
	log := logOf(t, writer)
	caughtUp := waitFor("the follower to catch up", func() bool { return nFollowed() >= len(log) })
	t.Logf("server down for %v; first commit %v after it was back, follower caught up %v after the writers stopped; %d commits acknowledged, %d failed, follower retried %d times",
		up.Sub(down).Round(time.Millisecond), firstWrite.Round(time.Millisecond), caughtUp.Round(time.Millisecond),
		nacked.Load(), len(errs), retries.Load())

	t.Run("updates failed only with transient errors while the server was away", func(t *testing.T) {
		emu.Lock()
		defer emu.Unlock()
		distinct := map[string]bool{}
		for _, err := range errs {
			if !store.Transient(err) && !errors.Is(err, context.DeadlineExceeded) {
				t.Errorf("a permanent error for a passing outage: %v", err)
			}
			if msg := err.Error(); !distinct[msg] && len(distinct) < 6 {
				distinct[msg] = true
				t.Logf("error: %s", msg)
			}
		}
	})
	t.Run("no acknowledged write was lost", func(t *testing.T) {
		inLog := map[string]bool{}
		for _, ch := range log {
			inLog[string(ch.Data)] = true
		}
		err := writer.View(ctx, func(tx store.Tx) error {
			acked.Range(func(k, _ any) bool {
				if _, err := tx.Get([]byte(k.(string))); err != nil {
					t.Errorf("acknowledged key %s: %v", k, err)
				}
				if !inLog[k.(string)] {
					t.Errorf("acknowledged change %s is not in the log", k)
				}
				return true
			})
			return nil
		})
		if err != nil {
			t.Error(err)
		}
	})
	t.Run("no change record is duplicated or out of order", func(t *testing.T) {
		seen := map[string]bool{}
		for i, ch := range log {
			if seen[string(ch.Data)] {
				t.Errorf("record %s logged twice", ch.Data)
			}
			seen[string(ch.Data)] = true
			if i > 0 && ch.Seq <= log[i-1].Seq {
				t.Errorf("record %d has seq %d after %d", i, ch.Seq, log[i-1].Seq)
			}
		}
	})
	t.Run("the follower received the whole log once, in order", func(t *testing.T) {
		fmu.Lock()
		defer fmu.Unlock()
		if len(followed) != len(log) {
			t.Fatalf("follower received %d records; the log holds %d", len(followed), len(log))
		}
		for i := range log {
			if followed[i].Seq != log[i].Seq || string(followed[i].Data) != string(log[i].Data) {
				t.Fatalf("follower record %d = %d %s; log has %d %s", i, followed[i].Seq, followed[i].Data, log[i].Seq, log[i].Data)
			}
		}
	})
	t.Run("the reader is woken by notifications again", func(t *testing.T) {
		// The reader polls once an hour: only a notification, on its
		// reconnected listener, can wake it within the test.
		last, err := reader.Last(ctx)
		if err != nil {
			t.Fatal(err)
		}
		woke := make(chan error, 1)
		go func() {
			wctx, wcancel := context.WithTimeout(ctx, 30*time.Second)
			defer wcancel()
			_, err := reader.Wait(wctx, last)
			woke <- err
		}()
		if _, err := appendOne(ctx, writer, "after"); err != nil {
			t.Fatal(err)
		}
		if err := <-woke; err != nil {
			t.Fatalf("Wait for a record committed after the outage: %v", err)
		}
	})
	cancel()
	if err := <-followErr; !errors.Is(err, context.Canceled) {
		t.Errorf("Follow ended with %v; want context.Canceled, when the test ended it", err)
	}
}
