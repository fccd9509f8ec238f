package search_test

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/workspace-go/workspace/search"
	"github.com/workspace-go/workspace/store"
	"github.com/workspace-go/workspace/store/boltstore"
)

const crashEnv = "SEARCH_CRASH_CHILD"

// crashMapper indexes each change of kind "note" as one message whose id
// is the change's data.
func crashMapper(_ context.Context, c store.Change, emit func(search.Op) error) error {
	if c.Kind != "note" {
		return nil
	}
	id := string(c.Data)
	return emit(search.Upsert(search.Document{
		Kind: search.KindMessage, ID: id, Body: "crash note " + id,
		Time: time.Unix(int64(len(id)), 0), AccessKeys: []string{"k"},
	}))
}

// crashChild indexes the log, printing its checkpoint as it moves, until
// the parent kills it.
func crashChild(dir string) {
	st, err := boltstore.Open(filepath.Join(dir, "store.db"), nil)
	if err != nil {
		fmt.Println("open store:", err)
		os.Exit(2)
	}
	ix, err := search.New(context.Background(), st, search.WithPath(filepath.Join(dir, "index")), search.WithMapper(crashMapper), search.WithBatchSize(500))
	if err != nil {
		fmt.Println("open index:", err)
		os.Exit(2)
	}
	last := uint64(0)
	for {
		if cp := ix.Checkpoint(); cp != last {
			last = cp
			fmt.Println("checkpoint", cp)
		}
		time.Sleep(time.Millisecond) // polling the child's own progress only
	}
}

// TestIndexerSurvivesSIGKILL kills a process while its indexer is
// halfway through the log, then reopens the index: it resumes from its
// checkpoint and ends with every document exactly once.
func TestIndexerSurvivesSIGKILL(t *testing.T) {
	if dir := os.Getenv(crashEnv); dir != "" {
		crashChild(dir)
		return
	}
	if testing.Short() {
		t.Skip("starts a helper process")
	}
	dir := t.TempDir()
	const n = 6_000
	st, err := boltstore.Open(filepath.Join(dir, "store.db"), nil)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	for i := 0; i < n; i += 1000 {
		err := st.Update(ctx, func(tx store.Tx) error {
			for j := i; j < i+1000; j++ {
				if _, err := tx.Append("note", []byte(fmt.Sprintf("n%05d", j))); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	last, _ := st.Last(ctx)
	st.Close()

	cmd := exec.Command(os.Args[0], "-test.run=^TestIndexerSurvivesSIGKILL$")
	cmd.Env = append(os.Environ(), crashEnv+"="+dir)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	killedAt := uint64(0)
	sc := bufio.NewScanner(out)
	for sc.Scan() {
		v, ok := strings.CutPrefix(sc.Text(), "checkpoint ")
		if !ok {
			continue
		}
		cp, _ := strconv.ParseUint(v, 10, 64)
		if cp > 0 && cp < last {
			cmd.Process.Signal(syscall.SIGKILL)
			killedAt = cp
			break
		}
	}
	cmd.Wait()
	if killedAt == 0 {
		t.Fatal("the helper never reported a checkpoint partway through the log")
	}

	st, err = boltstore.Open(filepath.Join(dir, "store.db"), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	ix, err := search.New(context.Background(), st, search.WithPath(filepath.Join(dir, "index")), search.WithMapper(crashMapper))
	if err != nil {
		t.Fatalf("reopen the index after SIGKILL: %v", err)
	}
	defer ix.Close()
	if cp := ix.Checkpoint(); cp < killedAt {
		t.Errorf("checkpoint went back from %d to %d", killedAt, cp)
	}
	if err := ix.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	if got, _ := ix.Count(); got != n {
		t.Errorf("index holds %d documents after resuming; want %d", got, n)
	}
	res, err := ix.Search(ctx, "u", search.Request{Query: "crash note", Keys: []string{"k"}})
	if err != nil || res.Total != n {
		t.Errorf("search finds %v, %v; want %d", res.Total, err, n)
	}
	t.Logf("killed at checkpoint %d of %d; resumed to %d documents", killedAt, last, n)
}
