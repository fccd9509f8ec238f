package boltstore_test

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"

	"github.com/workspace-go/workspace/store"
	"github.com/workspace-go/workspace/store/boltstore"
)

const crashEnv = "BOLTSTORE_CRASH_CHILD"

var errCrashRefused = errors.New("refused on purpose")

// crashChild is the helper process: 16 writers commit until the parent
// kills it, printing "ok <key>" for each Update that returned nil. Every
// seventh Update fails on purpose after writing.
func crashChild(path string, round int) {
	db, err := boltstore.Open(path, nil)
	if err != nil {
		fmt.Println("open failed:", err)
		os.Exit(2)
	}
	var mu sync.Mutex
	var wg sync.WaitGroup
	for w := range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; ; i++ {
				key := fmt.Sprintf("r%d/w%02d/%06d", round, w, i)
				bad := i%7 == 3
				err := db.Update(context.Background(), func(tx store.Tx) error {
					if err := tx.Put([]byte(key), []byte("v")); err != nil {
						return err
					}
					if _, err := tx.Append("crash", []byte(key)); err != nil {
						return err
					}
					if bad {
						return errCrashRefused
					}
					return nil
				})
				mu.Lock()
				switch {
				case err == nil:
					fmt.Println("ok", key)
				case errors.Is(err, errCrashRefused):
					fmt.Println("refused", key)
				default:
					fmt.Println("error", key, err)
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
}

// TestCrashRecovery kills a process (SIGKILL) while 16 writers commit, then
// checks on reopen that every acknowledged Update is there, nothing that
// failed is, and the change log has no gaps and matches the data.
func TestCrashRecovery(t *testing.T) {
	if v := os.Getenv(crashEnv); v != "" {
		var round int
		path, r, _ := strings.Cut(v, "|")
		fmt.Sscan(r, &round)
		crashChild(path, round)
		return
	}
	path := filepath.Join(t.TempDir(), "crash.db")
	acked := map[string]bool{}
	refused := map[string]bool{}
	for round := range 3 {
		cmd := exec.Command(os.Args[0], "-test.run=^TestCrashRecovery$")
		cmd.Env = append(os.Environ(), fmt.Sprintf("%s=%s|%d", crashEnv, path, round))
		out, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(out)
		n := 0
		killed := false
		for sc.Scan() {
			verb, key, _ := strings.Cut(sc.Text(), " ")
			switch verb {
			case "ok":
				acked[key] = true
				n++
			case "refused":
				refused[key] = true
			case "error":
				t.Errorf("round %d: unexpected error: %s", round, key)
			default:
				continue // the test binary's own chatter
			}
			if n == 2000 && !killed {
				// Lines already in the pipe are read after the kill: they
				// were acknowledged before it.
				cmd.Process.Signal(syscall.SIGKILL)
				killed = true
			}
		}
		err = cmd.Wait()
		if !killed || err == nil {
			t.Fatalf("round %d: helper ended on its own (%d acks): %v", round, n, err)
		}
		checkAfterCrash(t, path, acked, refused)
	}
}

func checkAfterCrash(t *testing.T, path string, acked, refused map[string]bool) {
	t.Helper()
	db, err := boltstore.Open(path, nil)
	if err != nil {
		t.Fatalf("reopen after SIGKILL: %v", err)
	}
	defer db.Close()
	ctx := context.Background()
	present := map[string]bool{}
	err = db.View(ctx, func(tx store.Tx) error {
		for k := range tx.Scan(store.Range{}) {
			present[string(k)] = true
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for k := range acked {
		if !present[k] {
			t.Errorf("acknowledged update %s lost", k)
		}
	}
	for k := range refused {
		if present[k] {
			t.Errorf("failed update %s is present", k)
		}
	}
	var after, want uint64
	logged := map[string]bool{}
	for {
		recs, next, err := db.Changes(ctx, after, 1000)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range recs {
			want++
			if c.Seq != want {
				t.Fatalf("change log gap: record %d after %d", c.Seq, want-1)
			}
			logged[string(c.Data)] = true
		}
		if len(recs) == 0 {
			break
		}
		after = next
	}
	if last, _ := db.Last(ctx); last != want {
		t.Errorf("Last = %d; log holds %d records", last, want)
	}
	// Data and log were committed together: each record has its key and
	// each key its record.
	for k := range present {
		if !logged[k] {
			t.Errorf("key %s has no change record", k)
		}
	}
	for k := range logged {
		if !present[k] {
			t.Errorf("change record for %s has no key", k)
		}
	}
	t.Logf("after SIGKILL: %d keys, %d acknowledged, %d log records, no gaps", len(present), len(acked), want)
}
