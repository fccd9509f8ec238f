package storetest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/workspace-go/workspace/store"
)

// appendAll commits one record of the given kind per datum, in one
// Update, and returns their positions.
func appendAll(t *testing.T, st store.Store, kind string, data ...string) []uint64 {
	t.Helper()
	var seqs []uint64
	err := st.Update(context.Background(), func(tx store.Tx) error {
		seqs = seqs[:0]
		for _, d := range data {
			seq, err := tx.Append(kind, []byte(d))
			if err != nil {
				return err
			}
			seqs = append(seqs, seq)
		}
		return nil
	})
	if err != nil {
		t.Fatalf("Update: %v", err)
	}
	return seqs
}

// rewrite rewrites one record in its own Update.
func rewrite(st store.Store, seq uint64, data string) error {
	return st.Update(context.Background(), func(tx store.Tx) error { return tx.Rewrite(seq, []byte(data)) })
}

// logData returns the log as "kind:data" strings, by position.
func logData(t *testing.T, st store.Store) map[uint64]string {
	t.Helper()
	out := map[uint64]string{}
	for _, c := range allChanges(t, st) {
		out[c.Seq] = c.Kind + ":" + string(c.Data)
	}
	return out
}

func testRewrite(t *testing.T, st store.Store) {
	ctx := context.Background()
	seqs := appendAll(t, st, "chat", "one", "secret two", "three")
	before := allChanges(t, st)

	if err := rewrite(st, seqs[1], "purged"); err != nil {
		t.Fatalf("Rewrite(%d): %v", seqs[1], err)
	}
	got := logData(t, st)
	want := map[uint64]string{seqs[0]: "chat:one", seqs[1]: "chat:purged", seqs[2]: "chat:three"}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("log after Rewrite = %v; want %v (seq and kind kept, the others untouched)", got, want)
	}
	if string(before[1].Data) != "secret two" {
		t.Errorf("a record read before the rewrite changed under its reader: %q", before[1].Data)
	}
	for _, c := range allChanges(t, st) {
		if bytes.Contains(c.Data, []byte("secret")) {
			t.Errorf("the old data is still readable at %d: %q", c.Seq, c.Data)
		}
	}
	if last, _ := st.Last(ctx); last != seqs[2] {
		t.Errorf("Last = %d after a rewrite; want %d (a rewrite appends nothing)", last, seqs[2])
	}

	t.Run("a rewrite to empty data is kept", func(t *testing.T) {
		if err := rewrite(st, seqs[0], ""); err != nil {
			t.Fatal(err)
		}
		if got := logData(t, st)[seqs[0]]; got != "chat:" {
			t.Errorf("record %d = %q; want it empty", seqs[0], got)
		}
	})
	t.Run("the last of several rewrites in a transaction wins", func(t *testing.T) {
		err := st.Update(ctx, func(tx store.Tx) error {
			for _, d := range []string{"x1", "x2", "x3"} {
				if err := tx.Rewrite(seqs[2], []byte(d)); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if got := logData(t, st)[seqs[2]]; got != "chat:x3" {
			t.Errorf("record %d = %q; want chat:x3", seqs[2], got)
		}
	})
	t.Run("a record appended earlier in the transaction can be rewritten", func(t *testing.T) {
		var seq uint64
		err := st.Update(ctx, func(tx store.Tx) error {
			var err error
			if seq, err = tx.Append("chat", []byte("draft")); err != nil {
				return err
			}
			if _, err := tx.Append("chat", []byte("next")); err != nil {
				return err
			}
			return tx.Rewrite(seq, []byte("final"))
		})
		if err != nil {
			t.Fatal(err)
		}
		got := logData(t, st)
		if got[seq] != "chat:final" || got[seq+1] != "chat:next" {
			t.Errorf("records %d, %d = %q, %q; want chat:final, chat:next", seq, seq+1, got[seq], got[seq+1])
		}
	})
	t.Run("a rewrite is rolled back with its transaction", func(t *testing.T) {
		boom := errors.New("boom")
		err := st.Update(ctx, func(tx store.Tx) error {
			if err := tx.Rewrite(seqs[1], []byte("lost")); err != nil {
				return err
			}
			return boom
		})
		if !errors.Is(err, boom) {
			t.Fatalf("Update = %v; want boom", err)
		}
		if got := logData(t, st)[seqs[1]]; got != "chat:purged" {
			t.Errorf("record %d = %q after a failed update; want chat:purged", seqs[1], got)
		}
	})
	t.Run("positions not in the log are not found", func(t *testing.T) {
		last, _ := st.Last(ctx)
		for _, seq := range []uint64{0, last + 1, last + 1000, 1 << 63, ^uint64(0)} {
			if err := rewrite(st, seq, "x"); !errors.Is(err, store.ErrNotFound) {
				t.Errorf("Rewrite(%d) = %v; want ErrNotFound", seq, err)
			}
		}
	})
	t.Run("a trimmed record is not found", func(t *testing.T) {
		if err := st.Trim(ctx, seqs[1]); err != nil {
			t.Fatal(err)
		}
		if err := rewrite(st, seqs[0], "x"); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("Rewrite of trimmed %d = %v; want ErrNotFound", seqs[0], err)
		}
		if err := rewrite(st, seqs[1], "kept"); err != nil {
			t.Errorf("Rewrite of %d, at the trim position: %v", seqs[1], err)
		}
	})
	t.Run("a rewrite in View is refused", func(t *testing.T) {
		err := st.View(ctx, func(tx store.Tx) error { return tx.Rewrite(seqs[2], []byte("x")) })
		if !errors.Is(err, store.ErrReadOnly) {
			t.Errorf("Rewrite in View = %v; want ErrReadOnly", err)
		}
	})
	t.Run("data over the limit is refused", func(t *testing.T) {
		big := make([]byte, store.MaxValueSize+1)
		err := st.Update(ctx, func(tx store.Tx) error { return tx.Rewrite(seqs[2], big) })
		if !errors.Is(err, store.ErrTooLarge) || !errors.Is(err, store.ErrInvalid) {
			t.Errorf("Rewrite of %d bytes = %v; want ErrTooLarge", len(big), err)
		}
		if got := logData(t, st)[seqs[2]]; got != "chat:x3" {
			t.Errorf("record %d = %q after a refused rewrite; want chat:x3", seqs[2], got)
		}
	})
	t.Run("Rewrite copies its argument", func(t *testing.T) {
		buf := []byte("copied")
		err := st.Update(ctx, func(tx store.Tx) error {
			err := tx.Rewrite(seqs[2], buf)
			copy(buf, "XXXXXX")
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		if got := logData(t, st)[seqs[2]]; got != "chat:copied" {
			t.Errorf("record %d = %q; want chat:copied", seqs[2], got)
		}
	})
}

func testRewriteNamespaces(t *testing.T, st store.Store) {
	ctx := context.Background()
	a, _ := store.Namespace(st, "acme")
	b, _ := store.Namespace(st, "acme2")
	inner, _ := store.Namespace(a, "team")
	root := appendAll(t, st, "chat", "root record")
	sa := appendAll(t, a, "chat", "acme secret")
	sb := appendAll(t, b, "chat", "acme2 secret")
	si := appendAll(t, inner, "chat", "team secret")

	for _, c := range []struct {
		name string
		st   store.Store
		seq  uint64
	}{
		{"another namespace's record", b, sa[0]},
		{"a sibling's record", a, sb[0]},
		{"the root's record", a, root[0]},
		{"the parent's record, from a nested namespace", inner, sa[0]},
	} {
		if err := rewrite(c.st, c.seq, "taken"); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("rewrite of %s = %v; want ErrNotFound", c.name, err)
		}
	}
	if err := rewrite(a, sa[0], "acme purged"); err != nil {
		t.Fatalf("rewrite of its own record: %v", err)
	}
	if err := rewrite(a, si[0], "team purged by acme"); err != nil {
		t.Fatalf("rewrite of a nested namespace's record from its parent: %v", err)
	}
	if err := rewrite(st, sb[0], "acme2 purged by root"); err != nil {
		t.Fatalf("rewrite of a namespace's record from the root: %v", err)
	}
	got := logData(t, st)
	want := map[uint64]string{
		root[0]: "chat:root record",
		sa[0]:   "ns/acme/chat:acme purged",
		sb[0]:   "ns/acme2/chat:acme2 purged by root",
		si[0]:   "ns/acme/ns/team/chat:team purged by acme",
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("log = %v; want %v", got, want)
	}
	recs, _, err := a.Changes(ctx, 0, 0)
	if err != nil || len(recs) != 2 || string(recs[0].Data) != "acme purged" || recs[0].Kind != "chat" {
		t.Errorf("acme's Changes = %+v, %v; want its rewritten record, kind chat", recs, err)
	}
}

// testRewriteRace rewrites a record over and over while readers read it:
// each reader sees the old data or the new, whole, never a mix.
func testRewriteRace(t *testing.T, st store.Store) {
	ctx := context.Background()
	const size = 4096
	fill := func(c byte) []byte { return bytes.Repeat([]byte{c}, size) }
	seqs := appendAll(t, st, "chat", string(fill('a')), "after")
	stop := make(chan struct{})
	var wg sync.WaitGroup
	errs := make(chan error, 4)
	for range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-stop:
					return
				default:
				}
				recs, _, err := st.Changes(ctx, seqs[0]-1, 1)
				if err != nil {
					errs <- err
					return
				}
				if len(recs) != 1 || len(recs[0].Data) != size || !bytes.Equal(recs[0].Data, fill(recs[0].Data[0])) {
					errs <- fmt.Errorf("read a torn record: %d records", len(recs))
					return
				}
			}
		}()
	}
	for i := range 200 {
		if err := rewrite(st, seqs[0], string(fill(byte('b'+i%20)))); err != nil {
			t.Error(err)
			break
		}
	}
	close(stop)
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}
