package memstore

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/workspace-go/workspace/store"
)

var ctx = context.Background()

func put(t *testing.T, s *Store, kv ...string) {
	t.Helper()
	err := s.Update(ctx, func(tx store.Tx) error {
		for i := 0; i < len(kv); i += 2 {
			if err := tx.Put([]byte(kv[i]), []byte(kv[i+1])); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func del(t *testing.T, s *Store, keys ...string) {
	t.Helper()
	err := s.Update(ctx, func(tx store.Tx) error {
		for _, k := range keys {
			if err := tx.Delete([]byte(k)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func get(s *Store, key string) (string, error) {
	var v []byte
	err := s.View(ctx, func(tx store.Tx) error {
		var err error
		v, err = tx.Get([]byte(key))
		return err
	})
	return string(v), err
}

// chain returns the number of versions key's node holds.
func chain(s *Store, key string) int {
	_, n := s.data.seek([]byte(key))
	if n == nil || string(n.key) != key {
		return 0
	}
	c := 0
	for v := n.head.Load(); v != nil; v = v.older.Load() {
		c++
	}
	return c
}

// linked returns the keys of the nodes in the list, visible or not.
func linked(s *Store) []string {
	var keys []string
	for n := s.data.head.next0.Load(); n != nil; n = n.next0.Load() {
		keys = append(keys, string(n.key))
	}
	return keys
}

// openView starts a View on its own goroutine and returns its transaction
// and a function that ends it.
func openView(t *testing.T, s *Store) (store.Tx, func()) {
	t.Helper()
	got, release, ended := make(chan store.Tx), make(chan struct{}), make(chan struct{})
	go func() {
		defer close(ended)
		s.View(ctx, func(tx store.Tx) error {
			got <- tx
			<-release
			return nil
		})
	}()
	return <-got, func() { close(release); <-ended }
}

func TestOldVersionsGo(t *testing.T) {
	s := New()
	for i := range 100 {
		put(t, s, "k", fmt.Sprint(i))
	}
	// The newest, and the one before for Views that start before it
	// commits.
	if n := chain(s, "k"); n != 2 {
		t.Errorf("with no reader, 100 writes left %d versions; want 2", n)
	}
	view, end := openView(t, s)
	for i := range 100 {
		put(t, s, "k", fmt.Sprint(100+i))
	}
	if v, err := view.Get([]byte("k")); err != nil || string(v) != "99" {
		t.Errorf("open View reads %q, %v; want 99", v, err)
	}
	if n := chain(s, "k"); n != 3 {
		t.Errorf("with one reader, %d versions kept; want 3 (the newest, the one before, the reader's)", n)
	}
	end()
	put(t, s, "k", "last")
	if n := chain(s, "k"); n != 2 {
		t.Errorf("after the reader left, %d versions kept; want 2", n)
	}
}

func TestDeletedKeysLeave(t *testing.T) {
	s := New()
	var kv, keys []string
	for i := range 500 {
		k := fmt.Sprintf("k%03d", i)
		keys = append(keys, k)
		kv = append(kv, k, "v")
	}
	put(t, s, kv...)
	view, end := openView(t, s)
	del(t, s, keys...)
	put(t, s, "other", "x") // a writer collects what it can
	if n := len(linked(s)); n != 501 {
		t.Errorf("%d nodes linked while a View predating the deletes is open; want 501", n)
	}
	seen := 0
	for k := range view.Scan(store.Range{}) {
		seen++
		if _, err := view.Get(k); err != nil {
			t.Fatalf("old View: Get(%s): %v", k, err)
		}
	}
	if seen != 500 {
		t.Errorf("old View scans %d keys; want 500", seen)
	}
	end()
	put(t, s, "other", "y")
	if got := linked(s); !slices.Equal(got, []string{"other"}) {
		t.Errorf("after the View, nodes linked: %d; want only other", len(got))
	}
	if s.data.cache.keys != 1 {
		t.Errorf("cache counts %d keys; want 1", s.data.cache.keys)
	}
}

func TestKeyComesBack(t *testing.T) {
	s := New()
	put(t, s, "k", "first")
	if v, _ := get(s, "k"); v != "first" { // the cache now holds k's node
		t.Fatalf("Get = %q", v)
	}
	del(t, s, "k")
	put(t, s, "other", "x") // unlinks k's node
	put(t, s, "k", "second")
	if v, err := get(s, "k"); v != "second" || err != nil {
		t.Errorf("Get after delete and re-put = %q, %v; want second", v, err)
	}
	if got := linked(s); !slices.Equal(got, []string{"k", "other"}) {
		t.Errorf("linked %q", got)
	}
}

func TestRolledBackKeysLeave(t *testing.T) {
	s := New()
	put(t, s, "a", "1")
	boom := errors.New("boom")
	err := s.Update(ctx, func(tx store.Tx) error {
		for i := range 50 {
			tx.Put(fmt.Appendf(nil, "new%02d", i), []byte("x"))
		}
		tx.Put([]byte("a"), []byte("2"))
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatal(err)
	}
	if v, _ := get(s, "a"); v != "1" {
		t.Errorf("a = %q after rollback; want 1", v)
	}
	put(t, s, "b", "1")
	if got := linked(s); !slices.Equal(got, []string{"a", "b"}) {
		t.Errorf("after rollback and a commit, linked %q; want [a b]", got)
	}
}

// waitQueued waits until n requests are queued. It yields rather than
// sleeps: the requests are on their way.
func waitQueued(s *Store, n int) {
	for {
		s.qmu.Lock()
		q := len(s.queue)
		s.qmu.Unlock()
		if q >= n {
			return
		}
		runtime.Gosched()
	}
}

// holdWriter starts an Update that holds the writer lock, so that other
// Updates queue, and returns once it holds it. release lets it go on to
// then and returns its outcome.
func holdWriter(s *Store, then func(store.Tx) error) (release func() error) {
	holding, proceed, held := make(chan struct{}), make(chan struct{}), make(chan error)
	go func() {
		held <- s.Update(ctx, func(tx store.Tx) error {
			close(holding)
			<-proceed
			return then(tx)
		})
	}()
	<-holding
	return func() error { close(proceed); return <-held }
}

func TestQueue(t *testing.T) {
	s := New()
	release := holdWriter(s, func(tx store.Tx) error { return tx.Put([]byte("first"), []byte("1")) })

	type outcome struct {
		name  string
		err   error
		panic any
	}
	out := make(chan outcome, 4)
	run := func(name string, c context.Context, fn func(store.Tx) error) {
		go func() {
			defer func() {
				if p := recover(); p != nil {
					out <- outcome{name: name, panic: p}
				}
			}()
			out <- outcome{name: name, err: s.Update(c, fn)}
		}()
	}
	cancelled, cancel := context.WithCancel(ctx)
	ranCancelled := false
	run("cancelled", cancelled, func(tx store.Tx) error {
		ranCancelled = true
		return tx.Put([]byte("cancelled"), []byte("x"))
	})
	waitQueued(s, 1)
	run("panics", ctx, func(tx store.Tx) error {
		tx.Put([]byte("panicked"), []byte("x"))
		panic("kaboom")
	})
	waitQueued(s, 2)
	boom := errors.New("boom")
	run("fails", ctx, func(tx store.Tx) error {
		tx.Put([]byte("failed"), []byte("x"))
		return boom
	})
	waitQueued(s, 3)
	run("commits", ctx, func(tx store.Tx) error {
		if _, err := tx.Append("test", []byte("queued")); err != nil {
			return err
		}
		return tx.Put([]byte("committed"), []byte("x"))
	})
	waitQueued(s, 4)

	cancel()
	if o := <-out; o.name != "cancelled" || !errors.Is(o.err, context.Canceled) {
		t.Errorf("first outcome %+v; want the cancelled request, at once", o)
	}
	if err := release(); err != nil {
		t.Fatal(err)
	}
	got := map[string]outcome{}
	for range 3 {
		o := <-out
		got[o.name] = o
	}
	if o := got["panics"]; o.panic != "kaboom" {
		t.Errorf("panicking request: %+v; want its panic raised in its caller", o)
	}
	if o := got["fails"]; !errors.Is(o.err, boom) {
		t.Errorf("failing request: %+v", o)
	}
	if o := got["commits"]; o.err != nil {
		t.Errorf("committing request: %+v", o)
	}
	if ranCancelled {
		t.Error("a request cancelled while queued ran")
	}
	for k, want := range map[string]bool{"first": true, "committed": true, "cancelled": false, "panicked": false, "failed": false} {
		if _, err := get(s, k); (err == nil) != want {
			t.Errorf("Get(%s): %v; want present = %v", k, err, want)
		}
	}
	if recs, _, _ := s.Changes(ctx, 0, 0); len(recs) != 1 || string(recs[0].Data) != "queued" {
		t.Errorf("log %v; want the one committed record", recs)
	}
	// The writer goroutine ends with the queue.
	for {
		s.qmu.Lock()
		writing := s.writing
		s.qmu.Unlock()
		if !writing {
			break
		}
		runtime.Gosched()
	}
}

// TestModel runs random transactions against the store and a map, with
// Views left open across them, and checks that every read, scan and
// snapshot agrees with the map as of its commit.
func TestModel(t *testing.T) {
	for seed := range uint64(20) {
		t.Run(fmt.Sprint(seed), func(t *testing.T) { runModel(t, seed) })
	}
}

func runModel(t *testing.T, seed uint64) {
	r := rand.New(rand.NewPCG(seed, 1))
	s := New()
	model := map[string]string{}
	key := func() string { return fmt.Sprintf("k%02d", r.IntN(40)) }
	type openV struct {
		tx    store.Tx
		end   func()
		model map[string]string
	}
	var views []openV
	check := func(tx store.Tx, m map[string]string, what string) {
		t.Helper()
		want := slices.Sorted(func(yield func(string) bool) {
			for k := range m {
				if !yield(k) {
					return
				}
			}
		})
		lo, hi := key(), key()
		if lo > hi {
			lo, hi = hi, lo
		}
		var got []string
		for k, v := range tx.Scan(store.Range{Start: []byte(lo), End: []byte(hi)}) {
			if m[string(k)] != string(v) {
				t.Fatalf("%s: scan %s = %q; want %q", what, k, v, m[string(k)])
			}
			got = append(got, string(k))
		}
		i, j := sort.SearchStrings(want, lo), sort.SearchStrings(want, hi)
		if !slices.Equal(got, want[i:j]) {
			t.Fatalf("%s: scan [%s, %s) = %q; want %q", what, lo, hi, got, want[i:j])
		}
		got = got[:0]
		for k := range tx.Scan(store.Range{End: []byte(hi), Reverse: true}) {
			got = append(got, string(k))
		}
		rev := slices.Clone(want[:j])
		slices.Reverse(rev)
		if !slices.Equal(got, rev) {
			t.Fatalf("%s: reverse scan to %s = %q; want %q", what, hi, got, rev)
		}
		k := key()
		v, err := tx.Get([]byte(k))
		if w, ok := m[k]; ok != (err == nil) || string(v) != w {
			t.Fatalf("%s: Get(%s) = %q, %v; want %q, present %v", what, k, v, err, w, ok)
		}
	}
	for step := range 400 {
		switch op := r.IntN(10); {
		case op < 6: // a transaction, sometimes rolled back
			next := maps(model)
			fail := r.IntN(5) == 0
			err := s.Update(ctx, func(tx store.Tx) error {
				for range 1 + r.IntN(6) {
					k := key()
					if r.IntN(3) == 0 {
						if err := tx.Delete([]byte(k)); err != nil {
							return err
						}
						delete(next, k)
					} else {
						v := fmt.Sprint(step, r.IntN(100))
						if err := tx.Put([]byte(k), []byte(v)); err != nil {
							return err
						}
						next[k] = v
					}
				}
				check(tx, next, "inside Update")
				if fail {
					return errors.New("rolled back")
				}
				return nil
			})
			if (err != nil) != fail {
				t.Fatal(err)
			}
			if !fail {
				model = next
			}
		case op < 8 && len(views) < 4: // open a View and keep it
			tx, end := openView(t, s)
			views = append(views, openV{tx, end, maps(model)})
		case len(views) > 0: // check and close a View
			i := r.IntN(len(views))
			v := views[i]
			check(v.tx, v.model, "old View")
			v.end()
			views = slices.Delete(views, i, i+1)
		}
		s.View(ctx, func(tx store.Tx) error { check(tx, model, "new View"); return nil })
	}
	for _, v := range views {
		check(v.tx, v.model, "old View")
		v.end()
	}
	put(t, s, "zz", "end") // collect
	want := slices.Sorted(func(yield func(string) bool) {
		for k := range model {
			if !yield(k) {
				return
			}
		}
	})
	want = append(want, "zz")
	if got := linked(s); !slices.Equal(got, want) {
		t.Errorf("with no View open, nodes linked %q; want the live keys %q", got, want)
	}
}

func maps(m map[string]string) map[string]string {
	c := make(map[string]string, len(m))
	for k, v := range m {
		c[k] = v
	}
	return c
}

// TestReadersDuringWrites moves amounts between accounts, deleting empty
// ones and making new ones, while readers check in every snapshot that
// the total is unchanged, by point reads and by scans both ways.
func TestReadersDuringWrites(t *testing.T) {
	s := New()
	const accounts, total = 32, 32 * 100
	var kv []string
	for i := range accounts {
		kv = append(kv, fmt.Sprintf("acct/%02d", i), "100")
	}
	put(t, s, kv...)
	stop := make(chan struct{})
	var wg sync.WaitGroup
	errs := make(chan error, 4)
	for reader := range 3 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-stop:
					return
				default:
				}
				err := s.View(ctx, func(tx store.Tx) error {
					sum, rsum, n := 0, 0, 0
					for k, v := range tx.Scan(store.Prefix([]byte("acct/"))) {
						var x int
						fmt.Sscan(string(v), &x)
						sum += x
						n++
						if g, err := tx.Get(k); err != nil || string(g) != string(v) {
							return fmt.Errorf("Get(%s) = %q, %v; scan read %q", k, g, err, v)
						}
					}
					for _, v := range tx.Scan(store.Range{Start: []byte("acct/"), End: []byte("acct0"), Reverse: reader%2 == 0}) {
						var x int
						fmt.Sscan(string(v), &x)
						rsum += x
					}
					if sum != total || rsum != total {
						return fmt.Errorf("snapshot of %d accounts sums to %d (and %d the other way); want %d", n, sum, rsum, total)
					}
					return nil
				})
				if err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	r := rand.New(rand.NewPCG(1, 2))
	for range 3000 {
		err := s.Update(ctx, func(tx store.Tx) error {
			var live []string
			for k := range tx.Scan(store.Prefix([]byte("acct/"))) {
				live = append(live, string(k))
			}
			from := live[r.IntN(len(live))]
			to := fmt.Sprintf("acct/%02d", r.IntN(accounts))
			if to == from {
				return nil
			}
			fv, _ := tx.Get([]byte(from))
			var f, d int
			fmt.Sscan(string(fv), &f)
			if tv, err := tx.Get([]byte(to)); err == nil {
				fmt.Sscan(string(tv), &d)
			}
			amount := 1 + r.IntN(f)
			if amount == f {
				if err := tx.Delete([]byte(from)); err != nil {
					return err
				}
			} else if err := tx.Put([]byte(from), fmt.Append(nil, f-amount)); err != nil {
				return err
			}
			return tx.Put([]byte(to), fmt.Append(nil, d+amount))
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	close(stop)
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if t.Failed() {
		return
	}
	if got := strings.Join(linked(s), " "); strings.Count(got, "acct/") > accounts {
		t.Errorf("more nodes than accounts: %s", got)
	}
}

func appendRecs(t *testing.T, s *Store, recs ...[]byte) {
	t.Helper()
	err := s.Update(ctx, func(tx store.Tx) error {
		for _, r := range recs {
			if _, err := tx.Append("test", r); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func record(i, size int) []byte {
	b := make([]byte, size)
	for j := range b {
		b[j] = byte(i + j)
	}
	return b
}

func checkLog(t *testing.T, s *Store, after uint64, want map[uint64][]byte) {
	t.Helper()
	n := 0
	for {
		recs, next, err := s.Changes(ctx, after, 100)
		if err != nil {
			t.Fatal(err)
		}
		if len(recs) == 0 {
			break
		}
		for _, r := range recs {
			if w, ok := want[r.Seq]; !ok || !slices.Equal(r.Data, w) || r.Kind != "test" {
				t.Fatalf("record %d: %d bytes of kind %q; want %d bytes", r.Seq, len(r.Data), r.Kind, len(w))
			}
			n++
		}
		after = next
	}
	if n != len(want) {
		t.Fatalf("read %d records; want %d", n, len(want))
	}
}

func TestLogChunks(t *testing.T) {
	s := New()
	want := map[uint64][]byte{}
	for i := range 2000 {
		r := record(i, 1000)
		appendRecs(t, s, r)
		want[uint64(i+1)] = r
	}
	big := record(7, 3*dataChunkSize) // bigger than a chunk
	appendRecs(t, s, big, record(8, 10))
	want[2001], want[2002] = big, record(8, 10)
	if len(s.log.chunks) < 9 {
		t.Fatalf("%d chunks for 5 MB of records", len(s.log.chunks))
	}
	checkLog(t, s, 0, want)

	if err := s.Trim(ctx, 1500); err != nil {
		t.Fatal(err)
	}
	for q := range uint64(1500) {
		delete(want, q)
	}
	checkLog(t, s, 0, want)
	if n := len(s.log.chunks); n > 5 {
		t.Errorf("%d chunks kept after trimming three quarters of the small records", n)
	}
	if recs, next, _ := s.Changes(ctx, 10, 5); len(recs) != 5 || recs[0].Seq != 1500 || next != 1504 {
		t.Errorf("reading from before the trim: first %d, next %d", recs[0].Seq, next)
	}
	if err := s.Trim(ctx, 10_000); err != nil { // beyond the end
		t.Fatal(err)
	}
	if recs, next, _ := s.Changes(ctx, 0, 0); len(recs) != 0 || next != 2002 {
		t.Errorf("after trimming all: %d records, next %d; want 0, 2002", len(recs), next)
	}
	appendRecs(t, s, record(9, 5))
	checkLog(t, s, 0, map[uint64][]byte{2003: record(9, 5)})
}

func TestLogTrimInFlight(t *testing.T) {
	s := New()
	appendRecs(t, s, record(1, 1000))
	// A transaction writes into two chunks, and the log is trimmed to its
	// end meanwhile: the chunks the transaction wrote must survive.
	err := s.Update(ctx, func(tx store.Tx) error {
		tx.Append("test", record(2, 60))
		tx.Append("test", record(3, dataChunkSize)) // a new chunk
		return s.Trim(ctx, 100)
	})
	if err != nil {
		t.Fatal(err)
	}
	checkLog(t, s, 0, map[uint64][]byte{2: record(2, 60), 3: record(3, dataChunkSize)})
}

func TestLogRollback(t *testing.T) {
	s := New()
	appendRecs(t, s, record(1, dataChunkSize-100))
	boom := errors.New("boom")
	err := s.Update(ctx, func(tx store.Tx) error {
		tx.Append("test", record(2, 50))
		tx.Append("test", record(3, 5000)) // a new chunk
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatal(err)
	}
	err = s.Update(ctx, func(tx store.Tx) error {
		tx.Append("test", record(4, 60))
		tx.Append("test", record(5, 70))
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatal(err)
	}
	appendRecs(t, s, record(6, 80), record(7, dataChunkSize))
	checkLog(t, s, 0, map[uint64][]byte{1: record(1, dataChunkSize-100), 2: record(6, 80), 3: record(7, dataChunkSize)})
}

func TestSnapshotsBehindALongView(t *testing.T) {
	s := New()
	put(t, s, "k", "0")
	_, end := openView(t, s) // stays open throughout
	for i := range 100 {
		put(t, s, "k", fmt.Sprint(i+1))
		if _, err := get(s, "k"); err != nil { // a short View at each commit
			t.Fatal(err)
		}
	}
	s.snaps.mu.Lock()
	n := len(s.snaps.open)
	s.snaps.mu.Unlock()
	if n != 1 {
		t.Errorf("%d snapshots listed behind one long View; want 1", n)
	}
	end()
	if n := len(s.snaps.open); n != 0 {
		t.Errorf("%d snapshots listed with no View open", n)
	}
}

func TestQueueGoexit(t *testing.T) {
	s := New()
	release := holdWriter(s, func(store.Tx) error { return nil })
	// A queued function ends its goroutine, as t.FailNow would: its
	// caller's goroutine must end too, and the requests behind it run.
	exited, returned := make(chan struct{}), false
	go func() {
		defer close(exited)
		s.Update(ctx, func(tx store.Tx) error {
			tx.Put([]byte("gone"), []byte("x"))
			runtime.Goexit()
			return nil
		})
		returned = true
	}()
	waitQueued(s, 1)
	after := make(chan error)
	go func() {
		after <- s.Update(ctx, func(tx store.Tx) error { return tx.Put([]byte("after"), []byte("x")) })
	}()
	waitQueued(s, 2)
	if err := release(); err != nil {
		t.Fatal(err)
	}
	<-exited
	if returned {
		t.Error("Update returned to a caller whose function called runtime.Goexit")
	}
	if err := <-after; err != nil {
		t.Errorf("the request behind: %v", err)
	}
	if _, err := get(s, "gone"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("the exited transaction's write is visible: %v", err)
	}
	if v, _ := get(s, "after"); v != "x" {
		t.Errorf("after = %q", v)
	}
	put(t, s, "still", "usable")
}

// TestRewriteLeavesNoTrace checks that the old data of a rewritten record
// is gone from the log's memory, not just unreachable, whether the record
// was committed before or appended in the rewriting transaction.
func TestRewriteLeavesNoTrace(t *testing.T) {
	ctx := context.Background()
	s := New()
	var seq uint64
	err := s.Update(ctx, func(tx store.Tx) error {
		var err error
		seq, err = tx.Append("chat", []byte("committed secret"))
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	err = s.Update(ctx, func(tx store.Tx) error {
		if err := tx.Rewrite(seq, []byte("purged")); err != nil {
			return err
		}
		draft, err := tx.Append("chat", []byte("draft secret"))
		if err != nil {
			return err
		}
		return tx.Rewrite(draft, []byte("final"))
	})
	if err != nil {
		t.Fatal(err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for i, c := range s.log.chunks {
		if strings.Contains(string(c.buf), "secret") {
			t.Errorf("chunk %d still holds old data", i)
		}
	}
	recs := s.log.records(0, 10)
	if len(recs) != 2 || string(recs[0].Data) != "purged" || string(recs[1].Data) != "final" {
		t.Errorf("log = %v; want purged, final", recs)
	}
}
