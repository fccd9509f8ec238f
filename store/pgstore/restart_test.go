package pgstore_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/workspace-go/workspace/store"
	"github.com/workspace-go/workspace/store/pgstore"
)

const restartEnv = "WORKSPACE_PG_RESTART_TEST"

// TestDatabaseRestart restarts the PostgreSQL server while writers and a
// follower run. It disrupts every other user of the server, so it runs
// only when asked:
//
//	WORKSPACE_PG_DSN='postgres://postgres@127.0.0.1:5432/test?sslmode=disable' \
//	WORKSPACE_PG_RESTART_TEST=1 go test -run TestDatabaseRestart -v ./store/pgstore/
//
// It restarts the local cluster with pg_ctlcluster, so it needs the
// permission to do that.
func TestDatabaseRestart(t *testing.T) {
	dsn(t)
	if os.Getenv(restartEnv) != "1" {
		t.Skipf("restarts the PostgreSQL server: set %s=1 to run it", restartEnv)
	}
	schema := freshSchema(t)
	opts := &pgstore.Options{PollInterval: 100 * time.Millisecond}
	writer, reader := openSchema(t, schema, opts), openSchema(t, schema, opts)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()

	// The follower resumes after errors, as an application would.
	var fmu sync.Mutex
	var followed []store.Change
	var followErrs atomic.Int64
	followDone := make(chan struct{})
	go func() {
		defer close(followDone)
		var after uint64
		for ctx.Err() == nil {
			err := store.Follow(ctx, reader, after, func(c store.Change) error {
				fmu.Lock()
				followed = append(followed, c)
				fmu.Unlock()
				after = c.Seq
				return nil
			})
			if err != nil && ctx.Err() == nil {
				followErrs.Add(1)
				time.Sleep(50 * time.Millisecond)
			}
		}
	}()

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
				uctx, ucancel := context.WithTimeout(ctx, 5*time.Second)
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
					time.Sleep(20 * time.Millisecond)
					continue
				}
				acked.Store(data, true)
				nacked.Add(1)
			}
		}()
	}
	waitFor := func(what string, cond func() bool) {
		t.Helper()
		deadline := time.Now().Add(60 * time.Second)
		for !cond() {
			if time.Now().After(deadline) {
				t.Fatalf("waited 60s for %s", what)
			}
			time.Sleep(10 * time.Millisecond)
		}
	}
	waitFor("100 commits before the restart", func() bool { return nacked.Load() >= 100 })
	out, err := exec.Command("sh", "-c", "pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql | head -n1) main restart").CombinedOutput()
	if err != nil {
		t.Fatalf("restart: %v: %s", err, out)
	}
	before := nacked.Load()
	waitFor("100 commits after the restart", func() bool { return nacked.Load() >= before+100 })
	close(stop)
	wg.Wait()

	t.Run("operations failed with clear errors while the server was down", func(t *testing.T) {
		emu.Lock()
		defer emu.Unlock()
		t.Logf("%d updates failed during the restart, %d follow errors; %d acknowledged", len(errs), followErrs.Load(), nacked.Load())
		for _, err := range errs {
			if !strings.HasPrefix(err.Error(), "pgstore: ") && !errors.Is(err, context.DeadlineExceeded) {
				t.Errorf("unclear error: %v", err)
			}
		}
		distinct := map[string]bool{}
		for _, err := range errs {
			if msg := err.Error(); !distinct[msg] && len(distinct) < 6 {
				distinct[msg] = true
				t.Logf("error: %s", msg)
			}
		}
	})
	log := logOf(t, writer)
	t.Run("no acknowledged write was lost", func(t *testing.T) {
		inLog := map[string]bool{}
		for _, c := range log {
			inLog[string(c.Data)] = true
		}
		err := writer.View(context.Background(), func(tx store.Tx) error {
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
		for i, c := range log {
			if seen[string(c.Data)] {
				t.Errorf("record %s logged twice", c.Data)
			}
			seen[string(c.Data)] = true
			if i > 0 && c.Seq <= log[i-1].Seq {
				t.Errorf("record %d has seq %d after %d", i, c.Seq, log[i-1].Seq)
			}
		}
	})
	t.Run("the follower saw the whole log once, in order", func(t *testing.T) {
		waitFor("the follower to catch up", func() bool {
			fmu.Lock()
			defer fmu.Unlock()
			return len(followed) >= len(log)
		})
		cancel()
		<-followDone
		fmu.Lock()
		defer fmu.Unlock()
		if len(followed) != len(log) {
			t.Fatalf("follower saw %d records; the log holds %d", len(followed), len(log))
		}
		for i := range log {
			if followed[i].Seq != log[i].Seq || string(followed[i].Data) != string(log[i].Data) {
				t.Fatalf("follower record %d = %d %s; log has %d %s", i, followed[i].Seq, followed[i].Data, log[i].Seq, log[i].Data)
			}
		}
	})
}
