package pgstore_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/workspace-go/workspace/store"
	"github.com/workspace-go/workspace/store/pgstore"
	"github.com/workspace-go/workspace/store/storetest"
)

// appendOne commits one change record holding data.
func appendOne(ctx context.Context, st store.Store, data string) (uint64, error) {
	var seq uint64
	err := st.Update(ctx, func(tx store.Tx) error {
		var err error
		seq, err = tx.Append("test", []byte(data))
		return err
	})
	return seq, err
}

// logOf reads the whole change log.
func logOf(t *testing.T, st store.Store) []store.Change {
	t.Helper()
	var all []store.Change
	var after uint64
	for {
		recs, next, err := st.Changes(context.Background(), after, 100)
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, recs...)
		if len(recs) == 0 && next <= after {
			return all
		}
		after = next
	}
}

// waitLockWaiters blocks until n sessions wait for a lock on the schema's
// append lock row, so the test knows the writers are queued behind it.
func waitLockWaiters(t *testing.T, db *pgstore.DB, n int) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		var waiting int
		err := db.Pool().QueryRow(context.Background(), `SELECT count(*) FROM pg_stat_activity
			WHERE wait_event_type = 'Lock' AND query LIKE '%' || $1 || '%append_lock%'`, db.Schema()).Scan(&waiting)
		if err != nil {
			t.Fatal(err)
		}
		if waiting >= n {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d sessions wait for the append lock after 10s; want %d", waiting, n)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func TestSlowAppender(t *testing.T) {
	dsn(t)
	ctx := context.Background()
	schema := freshSchema(t)
	slow, fast, reader := openSchema(t, schema, nil), openSchema(t, schema, nil), openSchema(t, schema, nil)

	// The slow transaction takes a sequence number, then stalls.
	held, release := make(chan uint64), make(chan struct{})
	slowDone := make(chan error)
	go func() {
		slowDone <- slow.Update(ctx, func(tx store.Tx) error {
			seq, err := tx.Append("test", []byte("slow"))
			if err != nil {
				return err
			}
			held <- seq
			<-release
			return nil
		})
	}()
	slowSeq := <-held

	// Writers on another pool commit meanwhile; their records must not
	// become visible ahead of the slow one.
	const writers = 3
	fastDone := make(chan error, writers)
	for i := range writers {
		go func() {
			_, err := appendOne(ctx, fast, fmt.Sprintf("fast-%d", i))
			fastDone <- err
		}()
	}
	waitLockWaiters(t, reader, 1)

	t.Run("another node's update without change records is not held back", func(t *testing.T) {
		uctx, cancel := context.WithTimeout(ctx, 10*time.Second)
		defer cancel()
		if err := reader.Update(uctx, func(tx store.Tx) error { return tx.Put([]byte("k"), []byte("v")) }); err != nil {
			t.Errorf("Put-only update beside a slow appender: %v", err)
		}
	})
	t.Run("readers see nothing past the uncommitted record", func(t *testing.T) {
		if recs, _, err := reader.Changes(ctx, 0, 0); err != nil || len(recs) != 0 {
			t.Errorf("Changes while the slow record is uncommitted = %v, %v; want none", recs, err)
		}
		if last, err := reader.Last(ctx); err != nil || last != 0 {
			t.Errorf("Last = %d, %v; want 0", last, err)
		}
	})

	close(release)
	if err := <-slowDone; err != nil {
		t.Fatal(err)
	}
	for range writers {
		if err := <-fastDone; err != nil {
			t.Fatal(err)
		}
	}
	t.Run("the log holds the slow record first, then the rest in order", func(t *testing.T) {
		recs := logOf(t, reader)
		if len(recs) != writers+1 {
			t.Fatalf("log has %d records; want %d", len(recs), writers+1)
		}
		if got := recs[0]; got.Seq != slowSeq || string(got.Data) != "slow" {
			t.Errorf("first record = %d %q; want %d slow", got.Seq, got.Data, slowSeq)
		}
		for i := 1; i < len(recs); i++ {
			if recs[i].Seq <= recs[i-1].Seq {
				t.Errorf("record %d has seq %d after %d", i, recs[i].Seq, recs[i-1].Seq)
			}
		}
	})
}

func TestAlternatingNodes(t *testing.T) {
	dsn(t)
	ctx := context.Background()
	schema := freshSchema(t)
	a, b := openSchema(t, schema, nil), openSchema(t, schema, nil)
	// Each node's guess of the next sequence number is stale after the
	// other node's commit, so its commits miss and run again.
	var seqs []uint64
	for i := range 20 {
		st := a
		if i%2 == 1 {
			st = b
		}
		seq, err := appendOne(ctx, st, fmt.Sprint(i))
		if err != nil {
			t.Fatal(err)
		}
		seqs = append(seqs, seq)
	}
	if !slices.IsSorted(seqs) || len(slices.Compact(slices.Clone(seqs))) != len(seqs) {
		t.Errorf("seqs from alternating nodes are not strictly increasing: %v", seqs)
	}
	recs := logOf(t, a)
	if len(recs) != len(seqs) {
		t.Fatalf("log has %d records; want %d", len(recs), len(seqs))
	}
	for i, c := range recs {
		if c.Seq != seqs[i] || string(c.Data) != fmt.Sprint(i) {
			t.Errorf("record %d = %d %q; want %d %q", i, c.Seq, c.Data, seqs[i], fmt.Sprint(i))
		}
	}
	if misses := a.Stats().Misses + b.Stats().Misses; misses == 0 {
		t.Error("no guessed sequence number missed; the test did not exercise a miss")
	}
}

// TestSlowGuesser holds a transaction with a guessed, low sequence number
// open while another node commits records: the other node takes those
// numbers, and the slow transaction, on commit, finds its guess taken and
// runs again with a number after theirs.
func TestSlowGuesser(t *testing.T) {
	dsn(t)
	ctx := context.Background()
	schema := freshSchema(t)
	slow, fast := openSchema(t, schema, nil), openSchema(t, schema, nil)
	if _, err := appendOne(ctx, slow, "warm-up"); err != nil { // now slow guesses
		t.Fatal(err)
	}
	held, release := make(chan uint64, 2), make(chan struct{})
	var runs int
	slowDone := make(chan error)
	go func() {
		slowDone <- slow.Update(ctx, func(tx store.Tx) error {
			runs++
			seq, err := tx.Append("test", []byte("slow"))
			if err != nil {
				return err
			}
			held <- seq
			<-release
			return nil
		})
	}()
	guessed := <-held
	var fastSeqs []uint64
	for i := range 3 {
		seq, err := appendOne(ctx, fast, fmt.Sprintf("fast-%d", i))
		if err != nil {
			t.Fatal(err)
		}
		fastSeqs = append(fastSeqs, seq)
	}
	if fastSeqs[0] != guessed {
		t.Errorf("the fast node took %d; want the slow one's guessed %d (the scenario did not happen)", fastSeqs[0], guessed)
	}
	close(release)
	if err := <-slowDone; err != nil {
		t.Fatal(err)
	}
	if runs != 2 {
		t.Errorf("the slow function ran %d times; want 2 (a miss, then a reservation)", runs)
	}
	recs := logOf(t, fast)
	var got []string
	for i, c := range recs {
		got = append(got, string(c.Data))
		if i > 0 && c.Seq <= recs[i-1].Seq {
			t.Errorf("record %d has seq %d after %d", i, c.Seq, recs[i-1].Seq)
		}
	}
	if want := []string{"warm-up", "fast-0", "fast-1", "fast-2", "slow"}; !slices.Equal(got, want) {
		t.Errorf("log = %q; want %q", got, want)
	}
	if m := slow.Stats().Misses; m != 1 {
		t.Errorf("slow node missed %d guesses; want 1", m)
	}
}

// TestWritersOnTwoPools runs writers on two stores over one schema (as two
// application nodes would), some of them failing, with a follower on a
// third, and checks that the follower saw exactly the committed log: in
// order, nothing skipped, nothing twice.
func TestWritersOnTwoPools(t *testing.T) {
	dsn(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	schema := freshSchema(t)
	nodes := []*pgstore.DB{openSchema(t, schema, nil), openSchema(t, schema, nil)}
	follower := openSchema(t, schema, nil)

	var mu sync.Mutex
	var followed []store.Change
	followErr := make(chan error, 1)
	go func() {
		followErr <- store.Follow(ctx, follower, 0, func(c store.Change) error {
			mu.Lock()
			followed = append(followed, c)
			mu.Unlock()
			return nil
		})
	}()

	const writers, each = 6, 30
	var wg sync.WaitGroup
	var committed sync.Map
	errBoom := errors.New("boom")
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := rand.New(rand.NewSource(int64(w)))
			st := nodes[w%len(nodes)]
			for i := range each {
				data := fmt.Sprintf("%d/%d", w, i)
				fail := r.Intn(5) == 0
				err := st.Update(ctx, func(tx store.Tx) error {
					// A shared counter makes the nodes' transactions
					// conflict, so serialization failures and retries happen.
					n := 0
					if v, err := tx.Get([]byte("counter")); err == nil {
						fmt.Sscan(string(v), &n)
					} else if !errors.Is(err, store.ErrNotFound) {
						return err
					}
					if err := tx.Put([]byte("counter"), []byte(fmt.Sprint(n+1))); err != nil {
						return err
					}
					if _, err := tx.Append("test", []byte(data)); err != nil {
						return err
					}
					if fail {
						return errBoom
					}
					return nil
				})
				switch {
				case fail && !errors.Is(err, errBoom):
					t.Errorf("failing update %s: %v; want boom", data, err)
				case !fail && err != nil:
					t.Errorf("update %s: %v", data, err)
				case !fail:
					committed.Store(data, true)
				}
			}
		}()
	}
	wg.Wait()
	for i, db := range nodes {
		t.Logf("node %d: %+v", i, db.Stats())
	}

	want := logOf(t, follower)
	n := 0
	committed.Range(func(any, any) bool { n++; return true })
	if len(want) != n {
		t.Errorf("log has %d records; want %d committed", len(want), n)
	}
	var counter string
	follower.View(ctx, func(tx store.Tx) error {
		v, err := tx.Get([]byte("counter"))
		counter = string(v)
		return err
	})
	if counter != fmt.Sprint(n) {
		t.Errorf("counter = %s; want %d, one per committed update (lost updates across nodes)", counter, n)
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		mu.Lock()
		got := slices.Clone(followed)
		mu.Unlock()
		if len(got) >= len(want) || time.Now().After(deadline) {
			if !slices.EqualFunc(got, want, func(a, b store.Change) bool { return a.Seq == b.Seq && string(a.Data) == string(b.Data) }) {
				t.Errorf("the follower saw %d records, the log holds %d; they differ", len(got), len(want))
			}
			break
		}
		time.Sleep(5 * time.Millisecond)
	}
	cancel()
	if err := <-followErr; !errors.Is(err, context.Canceled) {
		t.Errorf("Follow: %v", err)
	}
}

func TestTailAcrossPools(t *testing.T) {
	dsn(t)
	for _, tc := range []struct {
		name string
		opts *pgstore.Options
	}{
		{"a record reaches a follower on another pool by notification", nil},
		{"without notifications polling delivers it", &pgstore.Options{DisableNotify: true, PollInterval: 20 * time.Millisecond}},
		{"a listener on its own DSN is woken", &pgstore.Options{ListenDSN: dsn(t), PollInterval: time.Hour}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			schema := freshSchema(t)
			writer, reader := openSchema(t, schema, tc.opts), openSchema(t, schema, tc.opts)
			got := make(chan store.Change, 1)
			go store.Follow(ctx, reader, 0, func(c store.Change) error {
				got <- c
				return nil
			})
			seq, err := appendOne(ctx, writer, "hello")
			if err != nil {
				t.Fatal(err)
			}
			select {
			case c := <-got:
				if c.Seq != seq || string(c.Data) != "hello" {
					t.Errorf("follower got %d %q; want %d hello", c.Seq, c.Data, seq)
				}
			case <-ctx.Done():
				t.Fatal("the record did not reach the other pool's follower")
			}
		})
	}
}

// BenchmarkTailAcrossPools measures how long a committed record takes to
// reach a follower on another pool (another application node): from the
// moment Update returns to the moment the follower holds the record.
func BenchmarkTailAcrossPools(b *testing.B) {
	dsn(b)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	schema := freshSchema(b)
	writer, reader := openSchema(b, schema, nil), openSchema(b, schema, nil)
	got := make(chan time.Time, 1)
	go store.Follow(ctx, reader, 0, func(store.Change) error {
		got <- time.Now()
		return nil
	})
	var lat []time.Duration
	b.ReportAllocs()
	for b.Loop() {
		_, err := appendOne(ctx, writer, "x")
		committed := time.Now()
		if err != nil {
			b.Fatal(err)
		}
		lat = append(lat, max(0, (<-got).Sub(committed)))
	}
	slices.Sort(lat)
	b.ReportMetric(float64(lat[len(lat)/2].Nanoseconds()), "p50-ns")
	b.ReportMetric(float64(lat[len(lat)*99/100].Nanoseconds()), "p99-ns")
}

// BenchmarkUpdateTwoNodes is the 64-writer commit benchmark split over two
// stores on one schema, as two application nodes: their commit groups
// contend for the append lock and may conflict.
func BenchmarkUpdateTwoNodes(b *testing.B) {
	dsn(b)
	schema := freshSchema(b)
	nodes := []*pgstore.DB{openSchema(b, schema, nil), openSchema(b, schema, nil)}
	ctx := context.Background()
	val := make([]byte, 256)
	var mu sync.Mutex
	next := 0
	b.ReportAllocs()
	b.SetParallelism(32)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		mu.Lock()
		st := nodes[next%2]
		next++
		mu.Unlock()
		i := 0
		for pb.Next() {
			i++
			k := []byte(fmt.Sprintf("bench/%p/%d", pb, i))
			err := st.Update(ctx, func(tx store.Tx) error {
				if err := tx.Put(k, val); err != nil {
					return err
				}
				_, err := tx.Append("bench", k)
				return err
			})
			if err != nil {
				b.Error(err)
			}
		}
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "commits/s")
	var updates, commits, retries, misses uint64
	for _, db := range nodes {
		s := db.Stats()
		updates, commits, retries, misses = updates+s.Updates, commits+s.Commits, retries+s.Retries, misses+s.Misses
	}
	b.ReportMetric(float64(updates)/float64(max(1, commits)), "updates/commit")
	b.ReportMetric(float64(retries), "retries")
	b.ReportMetric(float64(misses), "misses")
}

// BenchmarkUpdate64 is storetest's 64-writer commit benchmark, reporting
// also the mean number of Update functions per PostgreSQL transaction.
func BenchmarkUpdate64(b *testing.B) {
	dsn(b)
	db := open(b, nil)
	storetest.BenchUpdate(b, db, 64)
	s := db.Stats()
	b.ReportMetric(float64(s.Updates)/float64(max(1, s.Commits)), "updates/commit")
	b.ReportMetric(float64(s.Retries), "retries")
}
