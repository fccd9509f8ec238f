package storetest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"math/rand"
	"runtime"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/workspace-go/workspace/store"
)

// Run runs the conformance suite against the stores open returns.
func Run(t *testing.T, open func(t *testing.T) store.Store) {
	tests := []struct {
		name string
		fn   func(t *testing.T, st store.Store)
	}{
		{"put get delete round trip", testPutGetDelete},
		{"bad input is refused with ErrInvalid", testBadInput},
		{"writes inside View fail with ErrReadOnly", testReadOnly},
		{"put copies its arguments", testPutCopies},
		{"scan returns keys in byte order", testScanOrder},
		{"scan honours bounds, reverse and limit", testScanBounds},
		{"a transaction sees its own writes", testOwnWrites},
		{"deleting while scanning visits every key once", testScanDelete},
		{"a failed update leaves nothing behind", testRollback},
		{"a panicking update leaves nothing behind", testPanic},
		{"an update that ends its goroutine ends its caller's", testGoexit},
		{"view is a snapshot while updates commit", testSnapshot},
		{"change log is ordered and complete", testLogOrder},
		{"change records are invisible until commit", testLogVisibility},
		{"wait wakes on commit", testWaitWakes},
		{"follow delivers every record once", testFollow},
		{"trim drops records below a position", testTrim},
		{"namespaces cannot see each other", testNamespaces},
		{"rewrite replaces a change record's data", testRewrite},
		{"rewrite reaches only the namespace's own records", testRewriteNamespaces},
		{"readers never see a record half rewritten", testRewriteRace},
		{"cancelled contexts return promptly", testCancelled},
		{"concurrent writers all commit", testConcurrentWriters},
		{"a failing writer does not fail its neighbours", testFailingNeighbour},
		{"a transaction is unusable after it ends", testTxAfterEnd},
		{"a closed store returns ErrClosed", testClosed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tt.fn(t, open(t))
		})
	}
}

// rng returns randomness seeded from the test's name, so a failure
// reproduces.
func rng(t testing.TB) *rand.Rand {
	h := fnv.New64a()
	h.Write([]byte(t.Name()))
	return rand.New(rand.NewSource(int64(h.Sum64())))
}

func put(t *testing.T, st store.Store, kv ...string) {
	t.Helper()
	err := st.Update(context.Background(), func(tx store.Tx) error {
		for i := 0; i+1 < len(kv); i += 2 {
			if err := tx.Put([]byte(kv[i]), []byte(kv[i+1])); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatalf("Update: %v", err)
	}
}

func get(t *testing.T, st store.Store, key string) (string, error) {
	t.Helper()
	var val string
	err := st.View(context.Background(), func(tx store.Tx) error {
		v, err := tx.Get([]byte(key))
		val = string(v)
		return err
	})
	return val, err
}

func scan(t *testing.T, st store.Store, r store.Range) []string {
	t.Helper()
	var keys []string
	err := st.View(context.Background(), func(tx store.Tx) error {
		for k := range tx.Scan(r) {
			keys = append(keys, string(k))
		}
		return nil
	})
	if err != nil {
		t.Fatalf("View: %v", err)
	}
	return keys
}

func testPutGetDelete(t *testing.T, st store.Store) {
	put(t, st, "a", "1", "b", "2")
	if got, err := get(t, st, "a"); err != nil || got != "1" {
		t.Errorf("Get(a) = %q, %v; want 1, nil", got, err)
	}
	put(t, st, "a", "one")
	if got, _ := get(t, st, "a"); got != "one" {
		t.Errorf("Get(a) after overwrite = %q; want one", got)
	}
	put(t, st, "empty", "")
	if got, err := get(t, st, "empty"); err != nil || got != "" {
		t.Errorf("Get(empty) = %q, %v; want empty value, nil", got, err)
	}
	err := st.Update(context.Background(), func(tx store.Tx) error {
		if err := tx.Delete([]byte("a")); err != nil {
			return err
		}
		return tx.Delete([]byte("never-there"))
	})
	if err != nil {
		t.Fatalf("Delete: %v", err)
	}
	if _, err := get(t, st, "a"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("Get(a) after delete: err = %v; want ErrNotFound", err)
	}
	if got, _ := get(t, st, "b"); got != "2" {
		t.Errorf("Get(b) = %q; want 2", got)
	}
}

func testBadInput(t *testing.T, st store.Store) {
	long := bytes.Repeat([]byte("k"), store.MaxKeySize+1)
	cases := []struct {
		name string
		fn   func(tx store.Tx) error
	}{
		{"empty key put", func(tx store.Tx) error { return tx.Put(nil, []byte("v")) }},
		{"empty key get", func(tx store.Tx) error { _, err := tx.Get([]byte{}); return err }},
		{"empty key delete", func(tx store.Tx) error { return tx.Delete(nil) }},
		{"nil value", func(tx store.Tx) error { return tx.Put([]byte("k"), nil) }},
		{"oversized key", func(tx store.Tx) error { return tx.Put(long, []byte("v")) }},
		{"empty change kind", func(tx store.Tx) error { _, err := tx.Append("", []byte("x")); return err }},
		{"oversized change kind", func(tx store.Tx) error {
			_, err := tx.Append(string(bytes.Repeat([]byte("k"), store.MaxKindSize+1)), nil)
			return err
		}},
	}
	for _, c := range cases {
		err := st.Update(context.Background(), func(tx store.Tx) error {
			if err := tx.Put([]byte("written"), []byte("v")); err != nil {
				return err
			}
			return c.fn(tx)
		})
		if !errors.Is(err, store.ErrInvalid) {
			t.Errorf("%s: err = %v; want ErrInvalid", c.name, err)
		}
	}
	if _, err := get(t, st, "written"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("a refused update left a write behind: err = %v", err)
	}
	var n int
	err := st.View(context.Background(), func(tx store.Tx) error {
		for range tx.Scan(store.Range{Start: []byte("b"), End: []byte("a")}) {
			n++
		}
		return nil
	})
	if !errors.Is(err, store.ErrInvalid) || n != 0 {
		t.Errorf("scan with start after end: %d keys, err = %v; want none, ErrInvalid", n, err)
	}
	if last, _ := st.Last(context.Background()); last != 0 {
		t.Errorf("Last = %d after only refused updates; want 0", last)
	}
}

func testReadOnly(t *testing.T, st store.Store) {
	put(t, st, "k", "v")
	for name, fn := range map[string]func(store.Tx) error{
		"put":     func(tx store.Tx) error { return tx.Put([]byte("k"), []byte("w")) },
		"delete":  func(tx store.Tx) error { return tx.Delete([]byte("k")) },
		"append":  func(tx store.Tx) error { _, err := tx.Append("test", nil); return err },
		"rewrite": func(tx store.Tx) error { return tx.Rewrite(1, nil) },
	} {
		err := st.View(context.Background(), fn)
		if !errors.Is(err, store.ErrReadOnly) || !errors.Is(err, store.ErrInvalid) {
			t.Errorf("%s in View: err = %v; want ErrReadOnly wrapping ErrInvalid", name, err)
		}
	}
	if got, _ := get(t, st, "k"); got != "v" {
		t.Errorf("Get(k) = %q after writes in View; want v", got)
	}
}

func testPutCopies(t *testing.T, st store.Store) {
	k, v := []byte("key"), []byte("value")
	err := st.Update(context.Background(), func(tx store.Tx) error {
		if err := tx.Put(k, v); err != nil {
			return err
		}
		k[0], v[0] = 'X', 'X'
		_, err := tx.Append("test", v)
		v[1] = 'Y'
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if got, err := get(t, st, "key"); got != "value" {
		t.Errorf("Get(key) = %q, %v; want value (Put must copy)", got, err)
	}
	recs, _, err := st.Changes(context.Background(), 0, 10)
	if err != nil || len(recs) != 1 || string(recs[0].Data) != "Xalue" {
		t.Errorf("Changes = %v, %v; want one record Xalue (Append must copy)", recs, err)
	}
}

func randomKeys(r *rand.Rand, n int) []string {
	seen := map[string]bool{}
	var keys []string
	for len(keys) < n {
		b := make([]byte, 1+r.Intn(6))
		for i := range b {
			// Favour the edges of the byte range, where ordering bugs hide.
			switch r.Intn(4) {
			case 0:
				b[i] = 0
			case 1:
				b[i] = 0xff
			default:
				b[i] = byte(r.Intn(256))
			}
		}
		if !seen[string(b)] {
			seen[string(b)] = true
			keys = append(keys, string(b))
		}
	}
	return keys
}

func testScanOrder(t *testing.T, st store.Store) {
	keys := randomKeys(rng(t), 500)
	var kv []string
	for _, k := range keys {
		kv = append(kv, k, "v"+k)
	}
	put(t, st, kv...)
	want := slices.Clone(keys)
	slices.Sort(want)
	if got := scan(t, st, store.Range{}); !slices.Equal(got, want) {
		t.Errorf("full scan out of order or incomplete: got %d keys, want %d", len(got), len(want))
	}
	slices.Reverse(want)
	if got := scan(t, st, store.Range{Reverse: true}); !slices.Equal(got, want) {
		t.Errorf("reverse full scan out of order or incomplete: got %d keys, want %d", len(got), len(want))
	}
	// Values travel with their keys.
	err := st.View(context.Background(), func(tx store.Tx) error {
		for k, v := range tx.Scan(store.Range{}) {
			if string(v) != "v"+string(k) {
				return fmt.Errorf("key %q has value %q", k, v)
			}
		}
		return nil
	})
	if err != nil {
		t.Error(err)
	}
}

func testScanBounds(t *testing.T, st store.Store) {
	var kv []string
	for i := range 20 {
		kv = append(kv, fmt.Sprintf("k%02d", i), "v")
	}
	put(t, st, append(kv, "j", "v", "l", "v", "k", "v")...)
	keysOf := func(lo, hi int) []string {
		var out []string
		for i := lo; i < hi; i++ {
			out = append(out, fmt.Sprintf("k%02d", i))
		}
		return out
	}
	rev := func(s []string) []string { s = slices.Clone(s); slices.Reverse(s); return s }
	cases := []struct {
		name string
		r    store.Range
		want []string
	}{
		{"start inclusive end exclusive", store.Range{Start: []byte("k05"), End: []byte("k10")}, keysOf(5, 10)},
		{"start between keys", store.Range{Start: []byte("k05x"), End: []byte("k08")}, keysOf(6, 8)},
		{"open start", store.Range{End: []byte("k02")}, append([]string{"j", "k"}, keysOf(0, 2)...)},
		{"open end", store.Range{Start: []byte("k18")}, append(keysOf(18, 20), "l")},
		{"prefix", store.Prefix([]byte("k1")), keysOf(10, 20)},
		{"limit", store.Range{Start: []byte("k"), Limit: 3}, append([]string{"k"}, keysOf(0, 2)...)},
		{"reverse bounded", store.Range{Start: []byte("k05"), End: []byte("k10"), Reverse: true}, rev(keysOf(5, 10))},
		{"reverse end between keys", store.Range{Start: []byte("k05"), End: []byte("k07x"), Reverse: true}, rev(keysOf(5, 8))},
		{"reverse end past last key", store.Range{Start: []byte("k19"), End: []byte("z"), Reverse: true}, []string{"l", "k19"}},
		{"reverse prefix with limit", store.Range{Start: []byte("k1"), End: []byte("k2"), Reverse: true, Limit: 2}, []string{"k19", "k18"}},
		{"empty range", store.Range{Start: []byte("k05"), End: []byte("k05")}, nil},
		{"range with no keys", store.Range{Start: []byte("m"), End: []byte("n")}, nil},
	}
	for _, c := range cases {
		if got := scan(t, st, c.r); !slices.Equal(got, c.want) {
			t.Errorf("%s: got %q, want %q", c.name, got, c.want)
		}
	}
	// Breaking out of the loop stops the scan.
	var n int
	st.View(context.Background(), func(tx store.Tx) error {
		for range tx.Scan(store.Range{}) {
			n++
			if n == 4 {
				break
			}
		}
		return nil
	})
	if n != 4 {
		t.Errorf("break after 4 keys visited %d", n)
	}
}

func testOwnWrites(t *testing.T, st store.Store) {
	put(t, st, "a", "1", "b", "2", "c", "3", "d", "4")
	err := st.Update(context.Background(), func(tx store.Tx) error {
		if err := tx.Put([]byte("b"), []byte("two")); err != nil {
			return err
		}
		if err := tx.Delete([]byte("c")); err != nil {
			return err
		}
		if err := tx.Put([]byte("bb"), []byte("new")); err != nil {
			return err
		}
		if err := tx.Put([]byte("e"), []byte("5")); err != nil {
			return err
		}
		if v, err := tx.Get([]byte("b")); err != nil || string(v) != "two" {
			return fmt.Errorf("Get(b) inside tx = %q, %v; want two", v, err)
		}
		if _, err := tx.Get([]byte("c")); !errors.Is(err, store.ErrNotFound) {
			return fmt.Errorf("Get(c) after delete inside tx: %v; want ErrNotFound", err)
		}
		var got []string
		for k, v := range tx.Scan(store.Range{}) {
			got = append(got, string(k)+"="+string(v))
		}
		if want := []string{"a=1", "b=two", "bb=new", "d=4", "e=5"}; !slices.Equal(got, want) {
			return fmt.Errorf("scan inside tx = %q; want %q", got, want)
		}
		got = got[:0]
		for k := range tx.Scan(store.Range{Start: []byte("b"), End: []byte("e"), Reverse: true}) {
			got = append(got, string(k))
		}
		if want := []string{"d", "bb", "b"}; !slices.Equal(got, want) {
			return fmt.Errorf("reverse scan inside tx = %q; want %q", got, want)
		}
		return nil
	})
	if err != nil {
		t.Error(err)
	}
	if got := scan(t, st, store.Range{}); !slices.Equal(got, []string{"a", "b", "bb", "d", "e"}) {
		t.Errorf("after commit: %q", got)
	}
}

func testScanDelete(t *testing.T, st store.Store) {
	var kv []string
	for i := range 300 {
		kv = append(kv, fmt.Sprintf("d%03d", i), "v")
	}
	put(t, st, append(kv, "keep", "v")...)
	for _, reverse := range []bool{false, true} {
		seen := map[string]int{}
		err := st.Update(context.Background(), func(tx store.Tx) error {
			for k := range tx.Scan(store.Range{Start: []byte("d"), End: []byte("e"), Reverse: reverse}) {
				seen[string(k)]++
				if err := tx.Delete(k); err != nil {
					return err
				}
				// Writes beside the scan must not derail it either.
				if err := tx.Put([]byte("e/"+string(k)), []byte("moved")); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if !reverse {
			if len(seen) != 300 {
				t.Errorf("scan-and-delete visited %d keys; want 300", len(seen))
			}
			for k, n := range seen {
				if n != 1 {
					t.Errorf("key %s visited %d times", k, n)
				}
			}
		}
	}
	if got := scan(t, st, store.Range{End: []byte("e")}); len(got) != 0 {
		t.Errorf("%d keys left after deleting them all: %q", len(got), got[:min(5, len(got))])
	}
	if got := scan(t, st, store.Prefix([]byte("e/"))); len(got) != 300 {
		t.Errorf("%d keys written beside the scan; want 300", len(got))
	}
}

var errBoom = errors.New("boom")

func testRollback(t *testing.T, st store.Store) {
	put(t, st, "keep", "1")
	last0, _ := st.Last(context.Background())
	err := st.Update(context.Background(), func(tx store.Tx) error {
		tx.Put([]byte("keep"), []byte("changed"))
		tx.Put([]byte("new"), []byte("x"))
		tx.Delete([]byte("keep"))
		if _, err := tx.Append("test", []byte("rolled back")); err != nil {
			return err
		}
		return fmt.Errorf("wrapped: %w", errBoom)
	})
	if !errors.Is(err, errBoom) {
		t.Errorf("Update returned %v; want the function's error", err)
	}
	if got, _ := get(t, st, "keep"); got != "1" {
		t.Errorf("Get(keep) = %q after rollback; want 1", got)
	}
	if _, err := get(t, st, "new"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("Get(new) after rollback: %v; want ErrNotFound", err)
	}
	if last, _ := st.Last(context.Background()); last != last0 {
		t.Errorf("Last = %d after rollback; want %d", last, last0)
	}
	if recs, _, _ := st.Changes(context.Background(), 0, 0); len(recs) != 0 {
		t.Errorf("rolled-back change record is visible: %v", recs)
	}
	// The next committed record still comes after everything before it.
	var seq uint64
	st.Update(context.Background(), func(tx store.Tx) error {
		var err error
		seq, err = tx.Append("test", []byte("kept"))
		return err
	})
	if seq <= last0 {
		t.Errorf("seq after a rollback = %d; want > %d", seq, last0)
	}
	if recs, _, _ := st.Changes(context.Background(), 0, 0); len(recs) != 1 || recs[0].Seq != seq {
		t.Errorf("after rollback and commit, the log holds %v; want only record %d", recs, seq)
	}
}

func testPanic(t *testing.T, st store.Store) {
	func() {
		defer func() {
			if r := recover(); r != "kaboom" {
				t.Errorf("recovered %v; want the function's panic value", r)
			}
		}()
		st.Update(context.Background(), func(tx store.Tx) error {
			tx.Put([]byte("panicked"), []byte("x"))
			tx.Append("test", nil)
			panic("kaboom")
		})
	}()
	if _, err := get(t, st, "panicked"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("a panicking update left a write: %v", err)
	}
	put(t, st, "after", "ok")
	if got, _ := get(t, st, "after"); got != "ok" {
		t.Errorf("store unusable after a panic: Get(after) = %q", got)
	}
	if last, _ := st.Last(context.Background()); last != 0 {
		t.Errorf("Last = %d after a panicking update; want 0", last)
	}
}

// testGoexit: a function that calls runtime.Goexit (t.FailNow inside an
// Update, say) ends its caller's goroutine, wherever the backend ran it;
// nothing it wrote stays, and the store goes on working.
func testGoexit(t *testing.T, st store.Store) {
	ctx := context.Background()
	exited, returned := make(chan struct{}), false
	go func() {
		defer close(exited)
		st.Update(ctx, func(tx store.Tx) error {
			tx.Put([]byte("exited"), []byte("x"))
			tx.Append("test", []byte("exited"))
			runtime.Goexit()
			return nil
		})
		returned = true
	}()
	<-exited
	if returned {
		t.Error("Update returned to a caller whose function called runtime.Goexit")
	}
	if _, err := get(t, st, "exited"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("the exited update left a write: %v", err)
	}
	put(t, st, "after", "ok")
	if got, _ := get(t, st, "after"); got != "ok" {
		t.Errorf("store unusable after a Goexit: Get(after) = %q", got)
	}
	if last, _ := st.Last(ctx); last != 0 {
		t.Errorf("Last = %d after the exited update; want 0", last)
	}
}

func testSnapshot(t *testing.T, st store.Store) {
	put(t, st, "a", "old", "b", "old")
	err := st.View(context.Background(), func(tx store.Tx) error {
		if v, _ := tx.Get([]byte("a")); string(v) != "old" {
			return fmt.Errorf("first read %q", v)
		}
		// Commit a change from another goroutine and wait for it: a View
		// must neither block writers nor see their commits.
		done := make(chan error)
		go func() {
			done <- st.Update(context.Background(), func(w store.Tx) error {
				if err := w.Put([]byte("a"), []byte("new")); err != nil {
					return err
				}
				if err := w.Put([]byte("c"), []byte("new")); err != nil {
					return err
				}
				return w.Delete([]byte("b"))
			})
		}()
		select {
		case err := <-done:
			if err != nil {
				return fmt.Errorf("concurrent update: %v", err)
			}
		case <-time.After(10 * time.Second):
			return errors.New("an update was blocked by an open View")
		}
		if v, _ := tx.Get([]byte("a")); string(v) != "old" {
			return fmt.Errorf("View saw a later commit: a = %q", v)
		}
		var keys []string
		for k := range tx.Scan(store.Range{}) {
			keys = append(keys, string(k))
		}
		if !slices.Equal(keys, []string{"a", "b"}) {
			return fmt.Errorf("View's scan saw a later commit: %q", keys)
		}
		return nil
	})
	if err != nil {
		t.Error(err)
	}
	if got, _ := get(t, st, "a"); got != "new" {
		t.Errorf("after the View, Get(a) = %q; want new", got)
	}
}

func testLogOrder(t *testing.T, st store.Store) {
	ctx := context.Background()
	var want []string
	var seqs []uint64
	for i := range 50 {
		err := st.Update(ctx, func(tx store.Tx) error {
			for j := range i%3 + 1 {
				seq, err := tx.Append(fmt.Sprintf("kind%d", j), []byte(fmt.Sprintf("%d.%d", i, j)))
				if err != nil {
					return err
				}
				seqs = append(seqs, seq)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		for j := range i%3 + 1 {
			want = append(want, fmt.Sprintf("%d.%d", i, j))
		}
	}
	var got []string
	var after uint64
	for {
		recs, next, err := st.Changes(ctx, after, 7)
		if err != nil {
			t.Fatal(err)
		}
		if len(recs) > 7 {
			t.Fatalf("Changes returned %d records with limit 7", len(recs))
		}
		for _, c := range recs {
			if c.Seq <= after {
				t.Fatalf("record %d at or below position %d", c.Seq, after)
			}
			after = c.Seq
			got = append(got, string(c.Data))
			j := c.Data[len(c.Data)-1] - '0'
			if c.Kind != fmt.Sprintf("kind%d", j) {
				t.Errorf("record %d has kind %q", c.Seq, c.Kind)
			}
		}
		if len(recs) == 0 {
			break
		}
		after = next
	}
	if !slices.Equal(got, want) {
		t.Errorf("log order:\ngot  %q\nwant %q", got, want)
	}
	if !slices.IsSorted(seqs) || slices.Compact(slices.Clone(seqs)) == nil || len(slices.Compact(slices.Clone(seqs))) != len(seqs) {
		t.Errorf("Append returned non-increasing seqs: %v", seqs)
	}
	if last, _ := st.Last(ctx); last != seqs[len(seqs)-1] {
		t.Errorf("Last = %d; want %d", last, seqs[len(seqs)-1])
	}
}

func testLogVisibility(t *testing.T, st store.Store) {
	ctx := context.Background()
	seen := make(chan int, 1)
	err := st.Update(ctx, func(tx store.Tx) error {
		if _, err := tx.Append("test", []byte("x")); err != nil {
			return err
		}
		// Another reader must not see the record yet.
		go func() {
			recs, _, _ := st.Changes(ctx, 0, 0)
			seen <- len(recs)
		}()
		if n := <-seen; n != 0 {
			return fmt.Errorf("a reader saw %d uncommitted records", n)
		}
		if last, _ := st.Last(ctx); last != 0 {
			return fmt.Errorf("Last = %d before commit", last)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	recs, _, _ := st.Changes(ctx, 0, 0)
	if len(recs) != 1 {
		t.Errorf("after commit Changes has %d records; want 1", len(recs))
	}
}

func testWaitWakes(t *testing.T, st store.Store) {
	ctx := context.Background()
	woke := make(chan uint64)
	go func() {
		last, err := st.Wait(ctx, 0)
		if err != nil {
			t.Error(err)
		}
		woke <- last
	}()
	select {
	case <-woke:
		t.Fatal("Wait returned before anything was committed")
	case <-time.After(20 * time.Millisecond):
	}
	// A rolled-back update must not wake it either (it may, spuriously,
	// but then it must not report a position).
	st.Update(ctx, func(tx store.Tx) error {
		tx.Append("test", nil)
		return errBoom
	})
	var seq uint64
	st.Update(ctx, func(tx store.Tx) error {
		var err error
		seq, err = tx.Append("test", []byte("wake"))
		return err
	})
	select {
	case last := <-woke:
		if last < seq {
			t.Errorf("Wait returned %d; want >= %d", last, seq)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Wait did not wake after a commit")
	}
	// Already satisfied: returns at once.
	if last, err := st.Wait(ctx, 0); err != nil || last != seq {
		t.Errorf("Wait(0) = %d, %v; want %d, nil", last, err, seq)
	}
	cctx, cancel := context.WithTimeout(ctx, 20*time.Millisecond)
	defer cancel()
	if _, err := st.Wait(cctx, seq); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("Wait with expiring context: %v; want DeadlineExceeded", err)
	}
}

func testFollow(t *testing.T, st store.Store) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	const n = 200
	got := make(chan store.Change, n)
	done := make(chan error)
	go func() {
		done <- store.Follow(ctx, st, 0, func(c store.Change) error {
			got <- c
			return nil
		})
	}()
	var wg sync.WaitGroup
	for w := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range n / 4 {
				st.Update(ctx, func(tx store.Tx) error {
					_, err := tx.Append("test", []byte(fmt.Sprintf("%d/%d", w, i)))
					return err
				})
			}
		}()
	}
	wg.Wait()
	seen := map[string]bool{}
	var prev uint64
	for range n {
		select {
		case c := <-got:
			if c.Seq <= prev {
				t.Fatalf("Follow delivered %d after %d", c.Seq, prev)
			}
			prev = c.Seq
			if seen[string(c.Data)] {
				t.Fatalf("Follow delivered %s twice", c.Data)
			}
			seen[string(c.Data)] = true
		case <-time.After(10 * time.Second):
			t.Fatalf("Follow delivered %d of %d records", len(seen), n)
		}
	}
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Errorf("Follow returned %v after cancel; want context.Canceled", err)
	}
}

func testTrim(t *testing.T, st store.Store) {
	ctx := context.Background()
	var seqs []uint64
	for i := range 10 {
		st.Update(ctx, func(tx store.Tx) error {
			seq, err := tx.Append("test", []byte{byte('0' + i)})
			seqs = append(seqs, seq)
			return err
		})
	}
	if err := st.Trim(ctx, seqs[5]); err != nil {
		t.Fatal(err)
	}
	recs, _, err := st.Changes(ctx, 0, 0)
	if err != nil || len(recs) != 5 || recs[0].Seq != seqs[5] || string(recs[0].Data) != "5" {
		t.Errorf("after Trim(%d): %v, %v; want the last five records", seqs[5], recs, err)
	}
	if err := st.Trim(ctx, seqs[9]+1); err != nil {
		t.Fatal(err)
	}
	recs, next, err := st.Changes(ctx, seqs[2], 0)
	if err != nil || len(recs) != 0 || next < seqs[9] {
		t.Errorf("after trimming all: %v, next %d, %v; want none, next >= %d", recs, next, err, seqs[9])
	}
	if last, _ := st.Last(ctx); last != seqs[9] {
		t.Errorf("Last = %d after trim; want %d (trim keeps positions)", last, seqs[9])
	}
	var seq uint64
	st.Update(ctx, func(tx store.Tx) error {
		var err error
		seq, err = tx.Append("test", nil)
		return err
	})
	if seq <= seqs[9] {
		t.Errorf("first seq after trimming all = %d; want > %d", seq, seqs[9])
	}
}

func testNamespaces(t *testing.T, st store.Store) {
	ctx := context.Background()
	a, err := store.Namespace(st, "acme")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := store.Namespace(st, "acme2")
	for _, bad := range []string{"", "a/b", "x y", string(bytes.Repeat([]byte("n"), 65))} {
		if _, err := store.Namespace(st, bad); !errors.Is(err, store.ErrInvalid) {
			t.Errorf("Namespace(%q): %v; want ErrInvalid", bad, err)
		}
	}
	put(t, st, "root", "r")
	for _, ns := range []struct {
		st  store.Store
		val string
	}{{a, "A"}, {b, "B"}} {
		err := ns.st.Update(ctx, func(tx store.Tx) error {
			for _, k := range []string{"k1", "k2", "z"} {
				if err := tx.Put([]byte(k), []byte(ns.val)); err != nil {
					return err
				}
			}
			_, err := tx.Append("test", []byte(ns.val))
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if got := scan(t, a, store.Range{}); !slices.Equal(got, []string{"k1", "k2", "z"}) {
		t.Errorf("namespace acme scan = %q", got)
	}
	if got := scan(t, a, store.Range{Reverse: true, Limit: 2}); !slices.Equal(got, []string{"z", "k2"}) {
		t.Errorf("namespace acme reverse scan = %q", got)
	}
	if got, _ := get(t, a, "k1"); got != "A" {
		t.Errorf("acme Get(k1) = %q; want A", got)
	}
	if got, _ := get(t, b, "k1"); got != "B" {
		t.Errorf("acme2 Get(k1) = %q; want B", got)
	}
	if _, err := get(t, a, "root"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("namespace sees a root key: %v", err)
	}
	// Deleting in one namespace leaves the other alone.
	a.Update(ctx, func(tx store.Tx) error { return tx.Delete([]byte("k1")) })
	if got, _ := get(t, b, "k1"); got != "B" {
		t.Errorf("delete in acme removed acme2's key")
	}
	for _, ns := range []struct {
		st   store.Store
		want string
	}{{a, "A"}, {b, "B"}} {
		recs, _, err := ns.st.Changes(ctx, 0, 0)
		if err != nil || len(recs) != 1 || string(recs[0].Data) != ns.want || recs[0].Kind != "test" {
			t.Errorf("namespace Changes = %+v, %v; want only its own record of kind test", recs, err)
		}
	}
	if err := a.Trim(ctx, 10); !errors.Is(err, store.ErrPermission) {
		t.Errorf("Trim on a namespace: %v; want ErrPermission", err)
	}
	// Nested namespaces stay inside their parent.
	inner, _ := store.Namespace(a, "team")
	put(t, inner, "k", "inner")
	if got := scan(t, b, store.Range{}); slices.Contains(got, "k") || len(got) != 3 {
		t.Errorf("acme2 sees acme/team's key: %q", got)
	}
	// Closing a view leaves the store open.
	a.Close()
	if _, err := get(t, a, "k2"); !errors.Is(err, store.ErrClosed) {
		t.Errorf("closed namespace: %v; want ErrClosed", err)
	}
	if got, _ := get(t, b, "k2"); got != "B" {
		t.Errorf("closing a namespace closed the store")
	}
}

func testCancelled(t *testing.T, st store.Store) {
	put(t, st, "k", "v")
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	ran := false
	checks := map[string]error{
		"View":    st.View(ctx, func(store.Tx) error { ran = true; return nil }),
		"Update":  st.Update(ctx, func(tx store.Tx) error { ran = true; return tx.Put([]byte("k"), []byte("w")) }),
		"Trim":    st.Trim(ctx, 1),
		"Changes": func() error { _, _, err := st.Changes(ctx, 0, 0); return err }(),
		"Wait":    func() error { _, err := st.Wait(ctx, 1<<40); return err }(),
		"Last":    func() error { _, err := st.Last(ctx); return err }(),
	}
	for name, err := range checks {
		if !errors.Is(err, context.Canceled) {
			t.Errorf("%s with a cancelled context: %v; want context.Canceled", name, err)
		}
	}
	if ran {
		t.Error("a function ran under a cancelled context")
	}
	if got, _ := get(t, st, "k"); got != "v" {
		t.Errorf("an Update under a cancelled context wrote %q", got)
	}
	// A context cancelled while the function runs: no commit.
	ctx2, cancel2 := context.WithCancel(context.Background())
	err := st.Update(ctx2, func(tx store.Tx) error {
		tx.Put([]byte("k"), []byte("late"))
		cancel2()
		return nil
	})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("Update whose context ended inside it: %v; want context.Canceled", err)
	}
	if got, _ := get(t, st, "k"); got != "v" {
		t.Errorf("an Update whose context ended committed %q", got)
	}
}

func testConcurrentWriters(t *testing.T, st store.Store) {
	ctx := context.Background()
	const writers, each = 16, 40
	var wg sync.WaitGroup
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range each {
				err := st.Update(ctx, func(tx store.Tx) error {
					// A shared counter: lost updates show up as a wrong total.
					n := 0
					if v, err := tx.Get([]byte("counter")); err == nil {
						fmt.Sscan(string(v), &n)
					} else if !errors.Is(err, store.ErrNotFound) {
						return err
					}
					if err := tx.Put([]byte("counter"), []byte(fmt.Sprint(n+1))); err != nil {
						return err
					}
					if err := tx.Put([]byte(fmt.Sprintf("w%02d/%03d", w, i)), []byte("x")); err != nil {
						return err
					}
					_, err := tx.Append("test", []byte(fmt.Sprintf("w%02d/%03d", w, i)))
					return err
				})
				if err != nil {
					t.Error(err)
					return
				}
			}
		}()
	}
	// Readers run alongside.
	stop := make(chan struct{})
	var rwg sync.WaitGroup
	for range 2 {
		rwg.Add(1)
		go func() {
			defer rwg.Done()
			for {
				select {
				case <-stop:
					return
				default:
				}
				st.View(ctx, func(tx store.Tx) error {
					for range tx.Scan(store.Range{Limit: 50}) {
					}
					return nil
				})
			}
		}()
	}
	wg.Wait()
	close(stop)
	rwg.Wait()
	if got, _ := get(t, st, "counter"); got != fmt.Sprint(writers*each) {
		t.Errorf("counter = %s; want %d (lost updates)", got, writers*each)
	}
	if got := scan(t, st, store.Prefix([]byte("w"))); len(got) != writers*each {
		t.Errorf("%d keys written; want %d", len(got), writers*each)
	}
	recs := allChanges(t, st)
	if len(recs) != writers*each {
		t.Fatalf("%d change records; want %d", len(recs), writers*each)
	}
	seen := map[string]bool{}
	for i, c := range recs {
		if i > 0 && c.Seq <= recs[i-1].Seq {
			t.Fatalf("record %d has seq %d after %d: out of order", i, c.Seq, recs[i-1].Seq)
		}
		if seen[string(c.Data)] {
			t.Fatalf("record %s logged twice", c.Data)
		}
		seen[string(c.Data)] = true
	}
}

func allChanges(t *testing.T, st store.Store) []store.Change {
	t.Helper()
	var all []store.Change
	var after uint64
	for {
		recs, next, err := st.Changes(context.Background(), after, 0)
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

func testFailingNeighbour(t *testing.T, st store.Store) {
	ctx := context.Background()
	const n = 64
	var wg sync.WaitGroup
	errs := make([]error, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = st.Update(ctx, func(tx store.Tx) error {
				if err := tx.Put([]byte(fmt.Sprintf("k%02d", i)), []byte("x")); err != nil {
					return err
				}
				if _, err := tx.Append("test", []byte{byte(i)}); err != nil {
					return err
				}
				if i%3 == 0 {
					return errBoom
				}
				return nil
			})
		}()
	}
	wg.Wait()
	for i, err := range errs {
		_, gerr := get(t, st, fmt.Sprintf("k%02d", i))
		if i%3 == 0 {
			if !errors.Is(err, errBoom) || !errors.Is(gerr, store.ErrNotFound) {
				t.Errorf("failing writer %d: err %v, key present: %v", i, err, gerr == nil)
			}
		} else if err != nil || gerr != nil {
			t.Errorf("writer %d beside failing ones: err %v, read %v", i, err, gerr)
		}
	}
	recs := allChanges(t, st)
	if want := n - (n+2)/3; len(recs) != want {
		t.Errorf("%d change records; want %d", len(recs), want)
	}
	for i, c := range recs {
		if (i > 0 && c.Seq <= recs[i-1].Seq) || c.Data[0]%3 == 0 {
			t.Errorf("record %d: seq %d data %d (out of order, or a failed writer's record)", i, c.Seq, c.Data[0])
		}
	}
}

func testTxAfterEnd(t *testing.T, st store.Store) {
	var kept store.Tx
	put(t, st, "k", "v")
	st.View(context.Background(), func(tx store.Tx) error { kept = tx; return nil })
	if _, err := kept.Get([]byte("k")); err == nil {
		t.Error("Get on an ended View transaction succeeded")
	}
	st.Update(context.Background(), func(tx store.Tx) error { kept = tx; return nil })
	if err := kept.Put([]byte("k"), []byte("w")); err == nil {
		t.Error("Put on an ended Update transaction succeeded")
	}
	for range kept.Scan(store.Range{}) {
		t.Error("Scan on an ended transaction yielded a key")
		break
	}
	if got, _ := get(t, st, "k"); got != "v" {
		t.Errorf("a write through an ended transaction landed: %q", got)
	}
}

func testClosed(t *testing.T, st store.Store) {
	ctx := context.Background()
	put(t, st, "k", "v")
	waited := make(chan error)
	go func() {
		_, err := st.Wait(ctx, 1<<40)
		waited <- err
	}()
	if err := st.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	if err := st.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
	select {
	case err := <-waited:
		if !errors.Is(err, store.ErrClosed) {
			t.Errorf("Wait blocked across Close returned %v; want ErrClosed", err)
		}
	case <-time.After(10 * time.Second):
		t.Error("Wait blocked across Close did not return")
	}
	checks := map[string]error{
		"View":    st.View(ctx, func(store.Tx) error { return nil }),
		"Update":  st.Update(ctx, func(store.Tx) error { return nil }),
		"Trim":    st.Trim(ctx, 1),
		"Changes": func() error { _, _, err := st.Changes(ctx, 0, 0); return err }(),
		"Wait":    func() error { _, err := st.Wait(ctx, 0); return err }(),
		"Last":    func() error { _, err := st.Last(ctx); return err }(),
	}
	for name, err := range checks {
		if !errors.Is(err, store.ErrClosed) {
			t.Errorf("%s after Close: %v; want ErrClosed", name, err)
		}
	}
}
