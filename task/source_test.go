package task

import (
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/workspace-go/workspace/internal/backends"
	"github.com/workspace-go/workspace/internal/keys"
	"github.com/workspace-go/workspace/store"
	"github.com/workspace-go/workspace/store/boltstore"
)

func taskIDs(ts []Task) []string {
	var out []string
	for _, t := range ts {
		out = append(out, t.ID)
	}
	return out
}

func TestBySourceListsTheTasksMadeFromASource(t *testing.T) {
	eachBackend(t, func(t *testing.T, open func(t *testing.T) store.Store) {
		e := newSvcEnv(t, open)
		m1 := Source{Kind: "chat.message", ID: "m1"}
		a := e.create("boss", Spec{Title: "send the quote", Assignees: []string{"bob"}, Source: m1})
		b := e.create("amy", Spec{Title: "check the quote", Source: m1})
		e.create("boss", Spec{Title: "elsewhere", Assignees: []string{"bob"}, Source: Source{Kind: "chat.message", ID: "m2"}})
		e.create("boss", Spec{Title: "no source", Assignees: []string{"bob"}})

		tests := []struct {
			name, actor string
			want        []string
		}{
			{"the creator sees their task at once", "boss", []string{a.ID}},
			{"an assignee sees the task given to them", "bob", []string{a.ID}},
			{"another creator sees only their own", "amy", []string{b.ID}},
			{"a stranger sees nothing", "eve", nil},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				p, err := e.svc.BySource(e.ctx, tt.actor, m1, "")
				if err != nil || !slices.Equal(taskIDs(p.Items), tt.want) || p.Next != "" {
					t.Errorf("BySource(%s) = %v next %q, %v; want %v", tt.actor, taskIDs(p.Items), p.Next, err, tt.want)
				}
			})
		}
		t.Run("a deleted task leaves the index", func(t *testing.T) {
			if err := e.svc.Delete(e.ctx, "boss", a.ID); err != nil {
				t.Fatal(err)
			}
			if p, err := e.svc.BySource(e.ctx, "boss", m1, ""); err != nil || len(p.Items) != 0 {
				t.Errorf("BySource after delete = %v, %v", taskIDs(p.Items), err)
			}
		})
	})
}

func TestBySourcePages(t *testing.T) {
	e := newSvcEnv(t, func(t *testing.T) store.Store { return backends.Mem(t) })
	src := Source{Kind: "chat.message", ID: "busy"}
	var want []string
	for i := range SourcePage + 7 {
		want = append(want, e.create("boss", Spec{Title: fmt.Sprint("task ", i), Source: src}).ID)
		e.clk.Advance(1)
	}
	var got []string
	cursor := ""
	for pages := 0; ; pages++ {
		p, err := e.svc.BySource(e.ctx, "boss", src, cursor)
		if err != nil || pages > 3 {
			t.Fatalf("BySource page %d: %v", pages, err)
		}
		got = append(got, taskIDs(p.Items)...)
		if cursor = p.Next; cursor == "" {
			break
		}
	}
	if !slices.Equal(got, want) {
		t.Errorf("pages hold %d tasks, want %d in creation order", len(got), len(want))
	}
	if _, err := e.svc.BySource(e.ctx, "boss", Source{Kind: "chat.message", ID: "other"}, e.cursorOf(src)); !errors.Is(err, ErrInvalid) {
		t.Errorf("a cursor of another source: %v, want ErrInvalid", err)
	}
	if _, err := e.svc.BySource(e.ctx, "boss", Source{}, ""); !errors.Is(err, ErrInvalid) {
		t.Errorf("an empty source: %v, want ErrInvalid", err)
	}
}

func (e *svcEnv) cursorOf(src Source) string {
	p, err := e.svc.BySource(e.ctx, "boss", src, "")
	if err != nil || p.Next == "" {
		e.t.Fatalf("no cursor for %v: %v", src, err)
	}
	return p.Next
}

func TestClientKeyMakesCreateIdempotent(t *testing.T) {
	eachBackend(t, func(t *testing.T, open func(t *testing.T) store.Store) {
		e := newSvcEnv(t, open)
		first := e.create("boss", Spec{Title: "send the quote", Assignees: []string{"bob"}, ClientKey: "req-1"})
		logged := len(e.changes())
		again := e.create("boss", Spec{Title: "a different title", ClientKey: "req-1"})
		if again.ID != first.ID || again.Title != "send the quote" {
			t.Errorf("retried create = %+v; want the first task", again)
		}
		if n := len(e.changes()); n != logged {
			t.Errorf("retried create appended %d change records", n-logged)
		}
		other := e.create("amy", Spec{Title: "amy's", ClientKey: "req-1"})
		if other.ID == first.ID {
			t.Error("another actor's key returned boss's task")
		}
		if err := e.svc.Delete(e.ctx, "boss", first.ID); err != nil {
			t.Fatal(err)
		}
		if fresh := e.create("boss", Spec{Title: "send the quote", ClientKey: "req-1"}); fresh.ID == first.ID {
			t.Error("a deleted task's key still returns it")
		}
		for _, key := range []string{string(make([]byte, MaxClientKey+1)), "a\nb", "\xff"} {
			if _, err := e.svc.Create(e.ctx, "boss", Spec{Title: "x", ClientKey: key}); !errors.Is(err, ErrInvalid) {
				t.Errorf("client key %q: %v, want ErrInvalid", clip(key), err)
			}
		}
	})
}

// TestMigrateV1Store opens a store written by the code before the
// by-source index (testdata/v1store, see its README) and checks that New
// builds the index once.
func TestMigrateV1Store(t *testing.T) {
	path := filepath.Join(t.TempDir(), "store.db")
	gunzip(t, "testdata/v1store/store.db.gz", path)
	st, err := boltstore.Open(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	ctx := t.Context()
	if has(t, st, versionKey) {
		t.Fatal("the v1 store already has a layout version")
	}
	svc, err := New(ctx, st)
	if err != nil {
		t.Fatal(err)
	}
	m1, m2 := Source{Kind: "chat.message", ID: "m1"}, Source{Kind: "chat.message", ID: "m2"}
	tests := []struct {
		actor string
		src   Source
		want  []string
	}{
		{"boss", m1, []string{"t01"}},
		{"bob", m1, []string{"t01"}},
		{"amy", m1, []string{"t02"}},
		{"carl", m2, []string{"t03"}}, // t05 was deleted
		{"boss", Source{Kind: "docs.comment", ID: "d9"}, []string{"t06"}},
	}
	for _, tt := range tests {
		p, err := svc.BySource(ctx, tt.actor, tt.src, "")
		if err != nil || !slices.Equal(taskIDs(p.Items), tt.want) {
			t.Errorf("BySource(%s, %v) = %v, %v; want %v", tt.actor, tt.src, taskIDs(p.Items), err, tt.want)
		}
	}
	if got, err := svc.Get(ctx, "carl", "t03"); err != nil || got.Title != "book the big room" || got.Assignees[0].User != "bob" || !got.Assignees[0].Done {
		t.Errorf("the v1 record reads as %+v, %v", got, err)
	}
	if !has(t, st, versionKey) {
		t.Error("the migration recorded no layout version")
	}
	// The report index is built too: boss handed out t01, t03 and t04
	// (t05 was deleted), and bob finished his part of t03.
	rep, err := svc.Report(ctx, "boss", ReportQuery{Scope: ScopeCreated, List: BucketAll})
	if err != nil || rep.Counts.HandedOut != 3 || len(rep.Tasks.Items) != 3 {
		t.Errorf("report over the migrated store = %+v, %v", rep.Counts, err)
	}
	if _, err := New(ctx, st); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Create(ctx, "boss", Spec{Title: "new", Source: m1}); err != nil {
		t.Fatal(err)
	}
	if p, _ := svc.BySource(ctx, "boss", m1, ""); len(p.Items) != 2 {
		t.Errorf("after a new task, BySource = %v", taskIDs(p.Items))
	}
}

func TestMigrateResumesAndRefusesNewerLayouts(t *testing.T) {
	ctx := t.Context()
	st := backends.Mem(t)
	svc, err := New(ctx, st)
	if err != nil {
		t.Fatal(err)
	}
	src := Source{Kind: "chat.message", ID: "m"}
	for i := range migrateBatch + 3 {
		if _, err := svc.Create(ctx, "boss", Spec{Title: fmt.Sprint(i), Source: src}); err != nil {
			t.Fatal(err)
		}
	}
	// Take the store back to layout 1: no version, no source keys.
	err = st.Update(ctx, func(tx store.Tx) error {
		var ks [][]byte
		for k := range tx.Scan(store.Prefix(keys.New("task", "o"))) {
			ks = append(ks, slices.Clone(k))
		}
		ks = append(ks, versionKey)
		for _, k := range ks {
			if err := tx.Delete(k); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if p, _ := svc.BySource(ctx, "boss", src, ""); len(p.Items) != 0 {
		t.Fatalf("the rollback left %d tasks indexed", len(p.Items))
	}
	if svc, err = New(ctx, st); err != nil {
		t.Fatal(err)
	}
	n := 0
	for cursor := ""; ; {
		p, err := svc.BySource(ctx, "boss", src, cursor)
		if err != nil {
			t.Fatal(err)
		}
		n += len(p.Items)
		if cursor = p.Next; cursor == "" {
			break
		}
	}
	if n != migrateBatch+3 {
		t.Errorf("after the migration %d tasks are indexed, want %d", n, migrateBatch+3)
	}
	err = st.Update(ctx, func(tx store.Tx) error {
		return tx.Put(versionKey, []byte{0, 0, 0, 0, 0, 0, 0, 99})
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := New(ctx, st); !errors.Is(err, ErrInvalid) {
		t.Errorf("New on a newer layout: %v, want ErrInvalid", err)
	}
}

func has(t *testing.T, st store.Store, k []byte) bool {
	t.Helper()
	found := false
	err := st.View(context.Background(), func(tx store.Tx) error {
		_, err := tx.Get(k)
		found = err == nil
		if errors.Is(err, store.ErrNotFound) {
			return nil
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return found
}

func gunzip(t *testing.T, from, to string) {
	t.Helper()
	f, err := os.Open(from)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	out, err := os.Create(to)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(out, zr); err != nil {
		t.Fatal(err)
	}
	if err := out.Close(); err != nil {
		t.Fatal(err)
	}
}
