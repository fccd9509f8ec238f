package docacl

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/workspace-go/workspace/internal/ids"
	"github.com/workspace-go/workspace/internal/keys"
	"github.com/workspace-go/workspace/store"
)

// indexKeys returns the expiry index keys stored in st.
func indexKeys(t *testing.T, st store.Store) []string {
	t.Helper()
	var out []string
	err := st.View(context.Background(), func(tx store.Tx) error {
		for k := range tx.Scan(store.Prefix(expAll)) {
			out = append(out, string(k))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(out)
	return out
}

// impliedIndexKeys returns the index keys that the stored grants and links
// imply, read without the index.
func impliedIndexKeys(t *testing.T, st store.Store) []string {
	t.Helper()
	var out []string
	err := st.View(context.Background(), func(tx store.Tx) error {
		for _, v := range tx.Scan(store.Prefix(keys.New(pkg, "grant"))) {
			var g Grant
			if err := json.Unmarshal(v, &g); err != nil {
				return err
			}
			if ik := g.expKey(); ik != nil {
				out = append(out, string(ik))
			}
		}
		for _, v := range tx.Scan(store.Prefix(keys.New(pkg, "link"))) {
			var l linkRecord
			if err := json.Unmarshal(v, &l); err != nil {
				return err
			}
			if ik := l.expKey(); ik != nil {
				out = append(out, string(ik))
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(out)
	return out
}

// checkIndex fails t unless the stored expiry index is exactly what the
// stored grants and links imply.
func checkIndex(t *testing.T, st store.Store) {
	t.Helper()
	got, want := indexKeys(t, st), impliedIndexKeys(t, st)
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("expiry index keys:\n got  %q\n want %q", got, want)
	}
}

// changesOf returns the docacl change records of the given types in st's
// log, in order.
func changesOf(t *testing.T, st store.Store, types ...ChangeType) []Change {
	t.Helper()
	var out []Change
	for after := uint64(0); ; {
		recs, next, err := st.Changes(context.Background(), after, 1000)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range recs {
			ch, ok, err := DecodeChange(r)
			if err != nil {
				t.Fatal(err)
			}
			if ok && (len(types) == 0 || contains(types, ch.Type)) {
				out = append(out, ch)
			}
		}
		if len(recs) == 0 {
			return out
		}
		after = next
	}
}

func contains[T comparable](xs []T, x T) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

func (e *env) sweep(t *testing.T, s *Service, at time.Time) int {
	t.Helper()
	n, err := s.Sweep(e.ctx, at)
	if err != nil {
		t.Fatalf("sweep at %s: %v", at, err)
	}
	return n
}

func (e *env) auditTypes(t *testing.T, res string) []ChangeType {
	t.Helper()
	es, err := items(e.ResourceAudit(e.ctx, "admin", res, PageOptions{}))
	e.must(t, err)
	var out []ChangeType
	for _, a := range es {
		out = append(out, a.Type)
	}
	return out
}

func TestSweepRecordsExpiries(t *testing.T) {
	forEachBackend(t, func(t *testing.T, st store.Store) {
		e := newEnv(t, st)
		doc := e.create(t, "carol", Document, "")
		exp := t0.Add(time.Hour)
		e.must(t, e.Grant(e.ctx, "carol", doc, UserKey("dave"), Editor, GrantOptions{Expires: exp}))
		e.must(t, e.Grant(e.ctx, "carol", doc, GroupKey("g1"), Viewer, GrantOptions{Expires: exp.Add(time.Minute)}))
		e.must(t, e.Grant(e.ctx, "carol", doc, UserKey("eve"), Viewer, GrantOptions{}))
		link, err := e.CreateLink(e.ctx, "carol", doc, LinkOptions{Scope: LinkTenantView, Expires: exp})
		e.must(t, err)
		forever, err := e.CreateLink(e.ctx, "carol", doc, LinkOptions{Scope: LinkTenantView})
		e.must(t, err)

		t.Run("nothing is recorded before its time", func(t *testing.T) {
			if n := e.sweep(t, e.Service, exp.Add(-time.Nanosecond)); n != 0 {
				t.Errorf("swept %d, want 0", n)
			}
			if got := changesOf(t, st, GrantExpired, LinkExpired); len(got) != 0 {
				t.Errorf("change records %+v, want none", got)
			}
		})
		t.Run("next sweep is the earliest expiry", func(t *testing.T) {
			at, ok, err := e.NextSweep(e.ctx)
			e.must(t, err)
			if !ok || !at.Equal(exp) {
				t.Errorf("got %s, %v; want %s, true", at, ok, exp)
			}
		})
		t.Run("expired but unswept access no longer applies or lists", func(t *testing.T) {
			e.clock.Set(exp)
			if got := e.role(t, "dave", doc); got != None {
				t.Errorf("dave's role = %v, want none", got)
			}
			gs, err := items(e.Grants(e.ctx, "carol", doc, PageOptions{}))
			e.must(t, err)
			for _, g := range gs {
				if g.Principal == UserKey("dave") {
					t.Errorf("expired grant listed: %+v", g)
				}
			}
			ls, err := items(e.Links(e.ctx, "carol", doc, PageOptions{}))
			e.must(t, err)
			if len(ls) != 1 || ls[0].ID != forever.ID {
				t.Errorf("links = %+v, want only %s", ls, forever.ID)
			}
		})
		t.Run("at its expiry a grant and a link are recorded", func(t *testing.T) {
			if n := e.sweep(t, e.Service, exp); n != 2 {
				t.Errorf("swept %d, want 2", n)
			}
			err := st.View(e.ctx, func(tx store.Tx) error {
				for _, k := range [][]byte{grantKey(doc, UserKey("dave")), linkKey(doc, link.ID)} {
					if _, err := tx.Get(k); !errors.Is(err, store.ErrNotFound) {
						t.Errorf("%q still stored: %v", k, err)
					}
				}
				for _, k := range [][]byte{grantKey(doc, GroupKey("g1")), grantKey(doc, UserKey("eve")), linkKey(doc, forever.ID)} {
					if _, err := tx.Get(k); err != nil {
						t.Errorf("%q: %v, want it kept", k, err)
					}
				}
				return nil
			})
			e.must(t, err)
		})
		t.Run("the audit trail shows access ending, with no actor", func(t *testing.T) {
			es, err := items(e.ResourceAudit(e.ctx, "carol", doc, PageOptions{Limit: 2}))
			e.must(t, err)
			want := map[ChangeType]AuditEntry{
				GrantExpired: {At: exp, Type: GrantExpired, Resource: doc, Principal: UserKey("dave"), Before: "editor"},
				LinkExpired:  {At: exp, Type: LinkExpired, Resource: doc, Principal: LinkKey(link.ID), Before: string(LinkTenantView)},
			}
			if len(es) != 2 {
				t.Fatalf("got %d entries, want 2", len(es))
			}
			for _, got := range es {
				w, ok := want[got.Type]
				if !ok {
					t.Errorf("unexpected entry %+v", got)
					continue
				}
				if got.Actor != "" || !got.At.Equal(w.At) || got.Resource != w.Resource || got.Principal != w.Principal || got.Before != w.Before || got.After != "" || got.Note == "" {
					t.Errorf("entry %+v, want %+v with a note", got, w)
				}
			}
			dave, err := items(e.UserAudit(e.ctx, "admin", "dave", PageOptions{Limit: 1}))
			e.must(t, err)
			if len(dave) != 1 || dave[0].Type != GrantExpired || dave[0].Resource != doc {
				t.Errorf("dave's trail starts with %+v, want his grant's expiry", dave)
			}
			carol, err := items(e.UserAudit(e.ctx, "carol", "carol", PageOptions{Limit: 1}))
			e.must(t, err)
			if len(carol) != 1 || carol[0].Type != LinkExpired || carol[0].Principal != LinkKey(link.ID) {
				t.Errorf("the link creator's trail starts with %+v, want the link's expiry", carol)
			}
		})
		t.Run("the change log carries the expiries", func(t *testing.T) {
			got := changesOf(t, st, GrantExpired, LinkExpired)
			if len(got) != 2 {
				t.Fatalf("got %d records, want 2", len(got))
			}
			all := changesOf(t, st)
			last := all[len(all)-1].Version
			sort.Slice(got, func(i, j int) bool { return got[i].Type < got[j].Type })
			want := []Change{
				{Type: GrantExpired, At: exp, Resource: doc, Principal: UserKey("dave"), Before: "editor", Resources: []string{doc}},
				{Type: LinkExpired, At: exp, Resource: doc, Principal: LinkKey(link.ID), Before: string(LinkTenantView), Resources: []string{doc}},
			}
			if got[0].Version == got[1].Version {
				t.Error("two records share a version")
			}
			for i := range got {
				if got[i].Version == 0 || got[i].Version > last {
					t.Errorf("version %d out of range", got[i].Version)
				}
				got[i].Version = 0
				got[i].At = got[i].At.UTC()
				if !reflect.DeepEqual(got[i], want[i]) {
					t.Errorf("record %+v, want %+v", got[i], want[i])
				}
			}
		})
		t.Run("sweeping again records nothing", func(t *testing.T) {
			if n := e.sweep(t, e.Service, exp); n != 0 {
				t.Errorf("swept %d, want 0", n)
			}
			if n := len(changesOf(t, st, GrantExpired, LinkExpired)); n != 2 {
				t.Errorf("%d records, want 2", n)
			}
		})
		t.Run("the swept grant and link are gone for writers too", func(t *testing.T) {
			if err := e.Revoke(e.ctx, "carol", doc, UserKey("dave")); !errors.Is(err, ErrNotFound) {
				t.Errorf("revoke: got %v, want ErrNotFound", err)
			}
			if err := e.RevokeLink(e.ctx, "carol", link.ID); !errors.Is(err, ErrLinkDenied) {
				t.Errorf("revoke link: got %v, want ErrLinkDenied", err)
			}
		})
		t.Run("next sweep moves on, then reports none", func(t *testing.T) {
			at, ok, err := e.NextSweep(e.ctx)
			e.must(t, err)
			if !ok || !at.Equal(exp.Add(time.Minute)) {
				t.Errorf("got %s, %v; want %s, true", at, ok, exp.Add(time.Minute))
			}
			if n := e.sweep(t, e.Service, exp.Add(time.Hour)); n != 1 {
				t.Errorf("swept %d, want 1", n)
			}
			if at, ok, err := e.NextSweep(e.ctx); err != nil || ok {
				t.Errorf("got %s, %v, %v; want nothing pending", at, ok, err)
			}
		})
		checkIndex(t, st)
	})
}

func TestSweepSkipsChangedAccess(t *testing.T) {
	forEachBackend(t, func(t *testing.T, st store.Store) {
		e := newEnv(t, st)
		doc := e.create(t, "carol", Document, "")
		exp := t0.Add(time.Hour)
		later := exp.Add(24 * time.Hour)
		e.must(t, e.Grant(e.ctx, "carol", doc, UserKey("dave"), Viewer, GrantOptions{Expires: exp}))
		e.must(t, e.Grant(e.ctx, "carol", doc, UserKey("alice"), Viewer, GrantOptions{Expires: exp}))
		e.must(t, e.Grant(e.ctx, "carol", doc, UserKey("bob"), Viewer, GrantOptions{Expires: exp}))
		link, err := e.CreateLink(e.ctx, "carol", doc, LinkOptions{Scope: LinkTenantView, Expires: exp})
		e.must(t, err)

		// Re-granted with a later expiry, revoked, made permanent: the
		// first expiry no longer exists.
		e.must(t, e.Grant(e.ctx, "carol", doc, UserKey("dave"), Viewer, GrantOptions{Expires: later}))
		e.must(t, e.Revoke(e.ctx, "carol", doc, UserKey("alice")))
		e.must(t, e.Grant(e.ctx, "carol", doc, UserKey("bob"), Editor, GrantOptions{}))
		e.must(t, e.RevokeLink(e.ctx, "carol", link.ID))
		checkIndex(t, st)

		if n := e.sweep(t, e.Service, exp); n != 0 {
			t.Errorf("swept %d at the old expiry, want 0", n)
		}
		if got := changesOf(t, st, GrantExpired, LinkExpired); len(got) != 0 {
			t.Errorf("change records %+v, want none", got)
		}
		for _, typ := range e.auditTypes(t, doc) {
			if typ == GrantExpired || typ == LinkExpired {
				t.Errorf("audit trail has %s", typ)
			}
		}
		if got := e.role(t, "dave", doc); got != Viewer { // the Service's clock is still t0
			t.Errorf("dave = %v, want viewer", got)
		}
		at, ok, err := e.NextSweep(e.ctx)
		e.must(t, err)
		if !ok || !at.Equal(later) {
			t.Errorf("next sweep %s, %v; want %s", at, ok, later)
		}
		if n := e.sweep(t, e.Service, later); n != 1 {
			t.Errorf("swept %d at the new expiry, want 1", n)
		}
		got := changesOf(t, st, GrantExpired)
		if len(got) != 1 || got[0].Principal != UserKey("dave") || !got[0].At.Equal(later) {
			t.Errorf("records %+v, want dave's grant at %s", got, later)
		}
		checkIndex(t, st)
	})
}

func TestRegrantAfterExpiryBeforeSweep(t *testing.T) {
	forEachBackend(t, func(t *testing.T, st store.Store) {
		e := newEnv(t, st)
		doc := e.create(t, "carol", Document, "")
		exp := t0.Add(time.Hour)
		e.must(t, e.Grant(e.ctx, "carol", doc, UserKey("dave"), Editor, GrantOptions{Expires: exp}))
		e.clock.Set(exp.Add(time.Minute))
		e.must(t, e.Grant(e.ctx, "carol", doc, UserKey("dave"), Viewer, GrantOptions{}))
		es, err := items(e.ResourceAudit(e.ctx, "carol", doc, PageOptions{Limit: 1}))
		e.must(t, err)
		if len(es) != 1 || es[0].Type != GrantSet || es[0].Before != "" || es[0].After != "viewer" {
			t.Errorf("latest entry %+v, want a grant.set from nothing to viewer", es)
		}
		if n := e.sweep(t, e.Service, exp.Add(time.Hour)); n != 0 {
			t.Errorf("swept %d, want 0: the grant no longer expires", n)
		}
		if got := e.role(t, "dave", doc); got != Viewer {
			t.Errorf("dave = %v, want viewer", got)
		}
		checkIndex(t, st)
	})
}

func TestSweepConcurrentlyRecordsEachExpiryOnce(t *testing.T) {
	forEachBackend(t, func(t *testing.T, st store.Store) {
		e := newEnv(t, st)
		e.cfg.sweepBatch = 4
		other, err := New(context.Background(), st, append(testOptions(e.clock), WithIDs(ids.Sequential("s")))...)
		e.must(t, err)
		other.cfg.sweepBatch = 3
		const docs, perDoc = 6, 4
		users := []string{"alice", "bob", "dave", "eve"}
		var resIDs []string
		for i := range docs {
			doc := e.create(t, "carol", Document, "")
			resIDs = append(resIDs, doc)
			for j, u := range users[:perDoc-1] {
				exp := t0.Add(time.Duration(1+(i+j)%3) * time.Minute)
				e.must(t, e.Grant(e.ctx, "carol", doc, UserKey(u), Viewer, GrantOptions{Expires: exp}))
			}
			_, err := e.CreateLink(e.ctx, "carol", doc, LinkOptions{Scope: LinkTenantView, Expires: t0.Add(time.Minute)})
			e.must(t, err)
		}
		const want = docs * perDoc
		at := t0.Add(time.Hour)
		var wg sync.WaitGroup
		counts := make([]int, 4)
		for i, s := range []*Service{e.Service, other, e.Service, other} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				n, err := s.Sweep(e.ctx, at)
				if err != nil {
					t.Errorf("sweep: %v", err)
				}
				counts[i] = n
			}()
		}
		wg.Wait()
		total := 0
		for _, n := range counts {
			total += n
		}
		if total != want {
			t.Errorf("sweeps recorded %v, %d in all; want %d", counts, total, want)
		}
		if got := len(changesOf(t, st, GrantExpired, LinkExpired)); got != want {
			t.Errorf("%d change records, want %d", got, want)
		}
		for _, doc := range resIDs {
			n := 0
			for _, typ := range e.auditTypes(t, doc) {
				if typ == GrantExpired || typ == LinkExpired {
					n++
				}
			}
			if n != perDoc {
				t.Errorf("%s: %d expiry entries, want %d", doc, n, perDoc)
			}
		}
		// The versions stay a gapless sequence, which catch-up relies on.
		all := changesOf(t, st)
		for i := 1; i < len(all); i++ {
			if all[i].Version != all[i-1].Version+1 {
				t.Fatalf("version %d follows %d", all[i].Version, all[i-1].Version)
			}
		}
		checkIndex(t, st)
	})
}

// countingStore counts the change records each Update appends.
type countingStore struct {
	store.Store
	mu      sync.Mutex
	appends []int // per committed Update that appended something
}

type countingTx struct {
	store.Tx
	n *int
}

func (c countingTx) Append(kind string, data []byte) (uint64, error) {
	*c.n++
	return c.Tx.Append(kind, data)
}

func (c *countingStore) Update(ctx context.Context, fn func(store.Tx) error) error {
	var n int
	err := c.Store.Update(ctx, func(tx store.Tx) error {
		n = 0
		return fn(countingTx{tx, &n})
	})
	if err == nil && n > 0 {
		c.mu.Lock()
		c.appends = append(c.appends, n)
		c.mu.Unlock()
	}
	return err
}

func TestSweepWorksInBatches(t *testing.T) {
	forEachBackend(t, func(t *testing.T, st store.Store) {
		cs := &countingStore{Store: st}
		e := newEnv(t, cs)
		e.cfg.sweepBatch = 4
		doc := e.create(t, "carol", Document, "")
		const n = 11
		for i := range n {
			g := fmt.Sprintf("team%02d", i)
			e.must(t, e.PutGroup(e.ctx, "admin", g, ""))
			e.must(t, e.Grant(e.ctx, "carol", doc, GroupKey(g), Viewer, GrantOptions{Expires: t0.Add(time.Duration(n-i) * time.Minute)}))
		}
		cs.mu.Lock()
		cs.appends = nil
		cs.mu.Unlock()
		if got := e.sweep(t, e.Service, t0.Add(time.Hour)); got != n {
			t.Errorf("swept %d, want %d", got, n)
		}
		cs.mu.Lock()
		defer cs.mu.Unlock()
		if want := []int{4, 4, 3}; !reflect.DeepEqual(cs.appends, want) {
			t.Errorf("records per transaction %v, want %v", cs.appends, want)
		}
		gs, err := items(e.Grants(e.ctx, "carol", doc, PageOptions{}))
		e.must(t, err)
		if len(gs) != 0 {
			t.Errorf("%d grants left, want 0", len(gs))
		}
		checkIndex(t, st)
	})
}

func TestModelFollowsAnotherServicesSweep(t *testing.T) {
	forEachBackend(t, func(t *testing.T, st store.Store) {
		e := newEnv(t, st)
		other, err := New(context.Background(), st, append(testOptions(e.clock), WithIDs(ids.Sequential("s")))...)
		e.must(t, err)
		folder := e.create(t, "carol", Folder, "")
		doc := e.create(t, "carol", Document, folder)
		exp := t0.Add(time.Hour)
		e.must(t, e.Grant(e.ctx, "carol", folder, UserKey("dave"), Editor, GrantOptions{Expires: exp}))
		e.must(t, e.Grant(e.ctx, "carol", doc, GroupKey("g3"), Viewer, GrantOptions{Expires: exp}))
		link, err := e.CreateLink(e.ctx, "carol", doc, LinkOptions{Scope: LinkTenantEdit, Expires: exp})
		e.must(t, err)
		// The other Service loads its model before the sweep.
		if err := other.Check(e.ctx, "dave", doc, Edit); err != nil {
			t.Fatalf("before expiry: %v", err)
		}
		e.clock.Set(exp)
		if n := e.sweep(t, e.Service, exp); n != 3 {
			t.Fatalf("swept %d, want 3", n)
		}
		// Read, then inspect the other Service's model.
		if err := other.Check(e.ctx, "dave", doc, View); !errors.Is(err, ErrNotFound) {
			t.Errorf("dave after the sweep: %v, want ErrNotFound", err)
		}
		other.mu.RLock()
		m := other.m
		if g := m.grant(m.res[folder], UserKey("dave")); g != nil {
			t.Errorf("folder grant still in the model: %+v", g)
		}
		if g := m.grant(m.res[doc], GroupKey("g3")); g != nil {
			t.Errorf("doc grant still in the model: %+v", g)
		}
		if len(m.res[folder].gl) != 0 || len(m.res[doc].gl) != 0 {
			t.Errorf("evaluation lists still hold grants: %+v, %+v", m.res[folder].gl, m.res[doc].gl)
		}
		if l := m.links[link.ID]; l != nil || len(m.res[doc].links) != 0 {
			t.Errorf("link still in the model: %+v", l)
		}
		if rs := m.byPrincipal[UserKey("dave")]; len(rs) != 0 {
			t.Errorf("byPrincipal still lists %v for dave", rs)
		}
		if m.version != changesOf(t, st)[len(changesOf(t, st))-1].Version {
			t.Errorf("model version %d behind the log", m.version)
		}
		other.mu.RUnlock()
		if _, err := other.OpenLink(e.ctx, "dave", link.ID, ""); !errors.Is(err, ErrLinkDenied) {
			t.Errorf("open swept link: %v, want ErrLinkDenied", err)
		}
		// The other Service writes on top of the sweep without conflict.
		e.must(t, other.Grant(e.ctx, "carol", doc, UserKey("dave"), Commenter, GrantOptions{}))
		if got := e.role(t, "dave", doc); got != Commenter {
			t.Errorf("dave = %v, want commenter", got)
		}
		checkIndex(t, st)
	})
}

func TestExpiryIndexFollowsEveryWrite(t *testing.T) {
	forEachBackend(t, func(t *testing.T, st store.Store) {
		e := newEnv(t, st)
		in := func(d time.Duration) GrantOptions { return GrantOptions{Expires: t0.Add(d)} }
		folder := e.create(t, "carol", Folder, "")
		doc := e.create(t, "carol", Document, folder)
		doc2 := e.create(t, "carol", Document, folder)
		gone := e.create(t, "carol", Document, "")

		e.must(t, e.Grant(e.ctx, "carol", doc, UserKey("dave"), Viewer, in(time.Hour)))
		e.must(t, e.Grant(e.ctx, "carol", doc, UserKey("dave"), Editor, in(2*time.Hour)))    // new expiry
		e.must(t, e.Grant(e.ctx, "carol", doc, UserKey("dave"), Commenter, in(2*time.Hour))) // same expiry
		e.must(t, e.Grant(e.ctx, "carol", doc, UserKey("eve"), Viewer, in(time.Hour)))
		e.must(t, e.Grant(e.ctx, "carol", doc, UserKey("eve"), Viewer, GrantOptions{})) // made permanent
		e.must(t, e.Grant(e.ctx, "carol", doc2, UserKey("alice"), Viewer, in(time.Hour)))
		e.must(t, e.Revoke(e.ctx, "carol", doc2, UserKey("alice")))
		e.must(t, e.Grant(e.ctx, "carol", folder, GroupKey("g2"), Viewer, in(3*time.Hour)))
		e.must(t, e.Grant(e.ctx, "carol", folder, DeptKey("web"), Viewer, in(3*time.Hour)))
		e.must(t, e.Grant(e.ctx, "carol", gone, TenantKey, Viewer, in(time.Hour)))
		_, err := e.CreateLink(e.ctx, "carol", gone, LinkOptions{Scope: LinkTenantView, Expires: t0.Add(time.Hour)})
		e.must(t, err)
		l2, err := e.CreateLink(e.ctx, "carol", doc, LinkOptions{Scope: LinkTenantView, Expires: t0.Add(time.Hour)})
		e.must(t, err)
		_, err = e.CreateLink(e.ctx, "carol", doc, LinkOptions{Scope: LinkTenantView})
		e.must(t, err)
		checkIndex(t, st)

		e.must(t, e.RevokeLink(e.ctx, "carol", l2.ID))
		e.must(t, e.Delete(e.ctx, "carol", gone))
		// A transfer to a grantee removes their expiring grant.
		e.must(t, e.Transfer(e.ctx, "carol", doc, "dave", TransferOptions{}))
		// Offboarding removes the leaver's expiring grants and links.
		e.must(t, e.Grant(e.ctx, "carol", folder, UserKey("bob"), Manager, in(time.Hour)))
		_, err = e.CreateLink(e.ctx, "bob", folder, LinkOptions{Scope: LinkTenantView, Expires: t0.Add(time.Hour)})
		e.must(t, err)
		e.must(t, e.Grant(e.ctx, "carol", doc2, UserKey("bob"), Viewer, in(time.Hour)))
		_, err = e.Offboard(e.ctx, "admin", "bob", OffboardOptions{})
		e.must(t, err)
		e.must(t, e.DeleteGroup(e.ctx, "admin", "g2"))
		checkIndex(t, st)

		e.must(t, e.PutDept(e.ctx, "admin", Dept{ID: "empty"}))
		e.must(t, e.Grant(e.ctx, "carol", folder, DeptKey("empty"), Viewer, in(time.Hour)))
		e.must(t, e.DeleteDept(e.ctx, "admin", "empty"))
		e.sweep(t, e.Service, t0.Add(90*time.Minute))
		checkIndex(t, st)
		// Only the department's grant on the folder still expires.
		if got, want := indexKeys(t, st), []string{string(expKey(t0.Add(3*time.Hour), expGrant, folder, DeptKey("web")))}; !reflect.DeepEqual(got, want) {
			t.Errorf("index after the mixed sequence %q, want %q", got, want)
		}
		if got := changesOf(t, st, GrantExpired, LinkExpired); len(got) != 0 {
			t.Errorf("sweep recorded %+v: every expiring grant due by then had been removed", got)
		}
	})
}

func TestSweepIndexesOlderStores(t *testing.T) {
	forEachBackend(t, func(t *testing.T, st store.Store) {
		e := newEnv(t, st)
		doc := e.create(t, "carol", Document, "")
		exp := t0.Add(time.Hour)
		e.must(t, e.Grant(e.ctx, "carol", doc, UserKey("dave"), Viewer, GrantOptions{Expires: exp}))
		link, err := e.CreateLink(e.ctx, "carol", doc, LinkOptions{Scope: LinkTenantView, Expires: exp.Add(time.Minute)})
		e.must(t, err)
		// What an earlier version of the package left: no index, no mark.
		err = st.Update(e.ctx, func(tx store.Tx) error {
			for _, k := range indexKeys(t, st) {
				if err := tx.Delete([]byte(k)); err != nil {
					return err
				}
			}
			return tx.Delete(expIndexedKey)
		})
		e.must(t, err)
		s, err := New(context.Background(), st, append(testOptions(e.clock), WithIDs(ids.Sequential("s")))...)
		e.must(t, err)
		at, ok, err := s.NextSweep(e.ctx)
		e.must(t, err)
		if !ok || !at.Equal(exp) {
			t.Errorf("next sweep %s, %v; want %s", at, ok, exp)
		}
		checkIndex(t, st)
		if n, err := s.Sweep(e.ctx, exp.Add(time.Hour)); err != nil || n != 2 {
			t.Errorf("swept %d, %v; want 2", n, err)
		}
		got := changesOf(t, st, GrantExpired, LinkExpired)
		if len(got) != 2 || got[1].Principal != LinkKey(link.ID) {
			t.Errorf("records %+v, want the grant's and the link's", got)
		}
	})
}

func TestSweepBadInput(t *testing.T) {
	forEachBackend(t, func(t *testing.T, st store.Store) {
		e := newEnv(t, st)
		if _, err := e.Sweep(e.ctx, time.Time{}); !errors.Is(err, store.ErrInvalid) {
			t.Errorf("zero time: got %v, want ErrInvalid", err)
		}
		ctx, cancel := context.WithCancel(e.ctx)
		cancel()
		if _, err := e.Sweep(ctx, t0); !errors.Is(err, context.Canceled) {
			t.Errorf("cancelled: got %v, want context.Canceled", err)
		}
		if _, _, err := e.NextSweep(ctx); !errors.Is(err, context.Canceled) {
			t.Errorf("next sweep cancelled: got %v, want context.Canceled", err)
		}
		// A corrupt index key is reported, not a panic.
		err := st.Update(e.ctx, func(tx store.Tx) error {
			return tx.Put(append(expUntil(t0.Add(-time.Hour)), 'x'), empty)
		})
		e.must(t, err)
		if _, err := e.Sweep(e.ctx, t0); !errors.Is(err, store.ErrInvalid) {
			t.Errorf("corrupt index: got %v, want ErrInvalid", err)
		}
		if _, _, err := e.NextSweep(e.ctx); !errors.Is(err, store.ErrInvalid) {
			t.Errorf("next sweep over a corrupt index: got %v, want ErrInvalid", err)
		}
	})
}
