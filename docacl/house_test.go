package docacl

import (
	"context"
	"errors"
	"sync"
	"testing"

	"github.com/workspace-go/workspace/internal/clock"
	"github.com/workspace-go/workspace/store"
	"github.com/workspace-go/workspace/store/memstore"
)

func TestWhatTheActorCannotSeeIsNotFound(t *testing.T) {
	forEachBackend(t, func(t *testing.T, st store.Store) {
		e := newEnv(t, st)
		folder := e.create(t, "carol", Folder, "")
		doc := e.create(t, "carol", Document, folder)
		own := e.create(t, "dave", Document, "")
		link, err := e.CreateLink(e.ctx, "carol", doc, LinkOptions{Scope: LinkTenantView})
		e.must(t, err)
		ctx := e.ctx
		calls := []struct {
			name string
			err  error
		}{
			{"Check", e.Check(ctx, "dave", doc, View)},
			{"Role", second(e.Role(ctx, "dave", doc))},
			{"Resource", second(e.Resource(ctx, "dave", doc))},
			{"Grants", second(e.Grants(ctx, "dave", doc, PageOptions{}))},
			{"Links", second(e.Links(ctx, "dave", doc, PageOptions{}))},
			{"Who", second(e.Who(ctx, "dave", doc, PageOptions{}))},
			{"ResourceAudit", second(e.ResourceAudit(ctx, "dave", doc, PageOptions{}))},
			{"Accessible under it", second(e.Accessible(ctx, "dave", ListOptions{Under: folder}))},
			{"Grant", e.Grant(ctx, "dave", doc, UserKey("eve"), Viewer, GrantOptions{})},
			{"Revoke", e.Revoke(ctx, "dave", doc, UserKey("dave"))},
			{"CreateLink", second(e.CreateLink(ctx, "dave", doc, LinkOptions{Scope: LinkTenantView}))},
			{"RevokeLink", e.RevokeLink(ctx, "dave", link.ID)},
			{"Move it", e.Move(ctx, "dave", doc, "")},
			{"Move into it", e.Move(ctx, "dave", own, folder)},
			{"Create in it", second(e.Create(ctx, "dave", Resource{Kind: Document, Parent: folder}))},
			{"SetLimited", e.SetLimited(ctx, "dave", doc, true)},
			{"Delete", e.Delete(ctx, "dave", doc)},
			{"Transfer", e.Transfer(ctx, "dave", doc, "dave", TransferOptions{})},
			{"CheckLink below another resource", e.CheckLink(ctx, "dave", link.ID, "", folder, View)},
		}
		for _, c := range calls {
			t.Run(c.name, func(t *testing.T) {
				if !errors.Is(c.err, ErrNotFound) || !errors.Is(c.err, store.ErrNotFound) || errors.Is(c.err, store.ErrPermission) {
					t.Errorf("got %v; want ErrNotFound", c.err)
				}
				if got := store.Code(c.err); got != store.CodeNotFound {
					t.Errorf("code %q; want %q", got, store.CodeNotFound)
				}
			})
		}
		t.Run("what the actor sees but may not change is ErrPermission", func(t *testing.T) {
			e.must(t, e.Grant(ctx, "carol", doc, UserKey("dave"), Viewer, GrantOptions{}))
			for name, err := range map[string]error{
				"Check edit": e.Check(ctx, "dave", doc, Edit),
				"Grant":      e.Grant(ctx, "dave", doc, UserKey("eve"), Viewer, GrantOptions{}),
				"Links":      second(e.Links(ctx, "dave", doc, PageOptions{})),
				"Delete":     e.Delete(ctx, "dave", doc),
			} {
				if !errors.Is(err, ErrPermission) || store.Code(err) != store.CodePermission {
					t.Errorf("%s: got %v; want ErrPermission", name, err)
				}
			}
		})
	})
}

func second[T any](_ T, err error) error { return err }

func TestCreatesWithAClientKeyAreIdempotent(t *testing.T) {
	forEachBackend(t, func(t *testing.T, st store.Store) {
		e := newEnv(t, st)
		folder := e.create(t, "carol", Folder, "")
		t.Run("Create returns the first resource and writes nothing", func(t *testing.T) {
			first, err := e.Create(e.ctx, "carol", Resource{Kind: Document, Name: "plan", Parent: folder, ClientKey: "req-1"})
			e.must(t, err)
			last, _ := st.Last(e.ctx)
			again, err := e.Create(e.ctx, "carol", Resource{Kind: Document, Name: "plan", Parent: folder, ClientKey: "req-1"})
			e.must(t, err)
			if again != first {
				t.Errorf("retry = %+v; want the first %+v", again, first)
			}
			if now, _ := st.Last(e.ctx); now != last {
				t.Errorf("the retry wrote to the log: %d -> %d", last, now)
			}
			other, err := e.Create(e.ctx, "alice", Resource{Kind: Document, Name: "plan", ClientKey: "req-1"})
			e.must(t, err)
			if other.ID == first.ID {
				t.Error("another actor's key is another create")
			}
			third, err := e.Create(e.ctx, "carol", Resource{Kind: Document, Name: "plan", Parent: folder})
			e.must(t, err)
			if third.ID == first.ID {
				t.Error("a create without a key was deduplicated")
			}
		})
		t.Run("Grant with a used key changes nothing", func(t *testing.T) {
			doc := e.create(t, "carol", Document, "")
			e.must(t, e.Grant(e.ctx, "carol", doc, UserKey("dave"), Editor, GrantOptions{ClientKey: "g-1"}))
			e.must(t, e.Grant(e.ctx, "carol", doc, UserKey("dave"), Viewer, GrantOptions{}))
			e.must(t, e.Grant(e.ctx, "carol", doc, UserKey("dave"), Editor, GrantOptions{ClientKey: "g-1"}))
			if got := e.role(t, "dave", doc); got != Viewer {
				t.Errorf("dave after a retried grant = %v; want viewer (the later change stands)", got)
			}
		})
		t.Run("CreateLink returns the first link", func(t *testing.T) {
			doc := e.create(t, "carol", Document, "")
			l1, err := e.CreateLink(e.ctx, "carol", doc, LinkOptions{Scope: LinkTenantView, ClientKey: "l-1"})
			e.must(t, err)
			l2, err := e.CreateLink(e.ctx, "carol", doc, LinkOptions{Scope: LinkTenantView, ClientKey: "l-1"})
			e.must(t, err)
			ls, err := e.Links(e.ctx, "carol", doc, PageOptions{})
			e.must(t, err)
			if l2 != l1 || len(ls.Items) != 1 {
				t.Errorf("retry = %+v, %d links; want the first %+v, one link", l2, len(ls.Items), l1)
			}
		})
		t.Run("a malformed key is refused", func(t *testing.T) {
			_, err := e.Create(e.ctx, "carol", Resource{Kind: Document, ClientKey: " x"})
			if !errors.Is(err, ErrInvalid) {
				t.Errorf("got %v; want ErrInvalid", err)
			}
		})
		t.Run("two Services racing with one key make one resource", func(t *testing.T) {
			s2, err := New(e.ctx, st, testOptions(e.clock)...)
			e.must(t, err)
			var wg sync.WaitGroup
			got := make([]Resource, 8)
			errs := make([]error, 8)
			for i := range got {
				wg.Add(1)
				go func() {
					defer wg.Done()
					s := e.Service
					if i%2 == 1 {
						s = s2
					}
					got[i], errs[i] = s.Create(e.ctx, "carol", Resource{Kind: Document, Name: "race", ClientKey: "race-1"})
				}()
			}
			wg.Wait()
			for i := range got {
				if errs[i] != nil || got[i].ID != got[0].ID {
					t.Errorf("create %d = %+v, %v; want %s", i, got[i], errs[i], got[0].ID)
				}
			}
		})
	})
}

func TestListingsArePagedWithOpaqueCursors(t *testing.T) {
	e := newEnv(t, memstore.New())
	doc := e.create(t, "carol", Document, "")
	users := []string{"alice", "bob", "boss", "ceo", "dave", "eve", "lead"}
	for _, u := range users {
		e.must(t, e.Grant(e.ctx, "carol", doc, UserKey(u), Viewer, GrantOptions{}))
	}
	var seen []string
	var cur string
	for pages := 0; ; pages++ {
		pg, err := e.Grants(e.ctx, "carol", doc, PageOptions{Limit: 3, Cursor: cur})
		e.must(t, err)
		for _, g := range pg.Items {
			seen = append(seen, g.Principal)
		}
		if pg.Next == "" {
			if pages != 2 {
				t.Errorf("%d pages of 3 for 7 grants; want 3", pages+1)
			}
			break
		}
		cur = pg.Next
	}
	if len(seen) != len(users) || seen[0] != UserKey("alice") || seen[6] != UserKey("lead") {
		t.Errorf("paged grants %v; want all 7 in principal order", seen)
	}
	who, err := e.Who(e.ctx, "carol", doc, PageOptions{Limit: 2})
	e.must(t, err)
	tests := []struct {
		name string
		err  error
		want error
	}{
		{"a limit over MaxPageSize is too large", second(e.Grants(e.ctx, "carol", doc, PageOptions{Limit: MaxPageSize + 1})), ErrTooLarge},
		{"a negative limit is invalid", second(e.Grants(e.ctx, "carol", doc, PageOptions{Limit: -1})), ErrInvalid},
		{"a forged cursor is invalid", second(e.Grants(e.ctx, "carol", doc, PageOptions{Cursor: "not base64!"})), ErrInvalid},
		{"another listing's cursor is invalid", second(e.Grants(e.ctx, "carol", doc, PageOptions{Cursor: who.Next})), ErrInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if !errors.Is(tt.err, tt.want) || !errors.Is(tt.err, store.ErrInvalid) {
				t.Errorf("got %v; want %v", tt.err, tt.want)
			}
		})
	}
	t.Run("an empty page encodes items as []", func(t *testing.T) {
		pg, err := e.Links(e.ctx, "carol", doc, PageOptions{})
		e.must(t, err)
		if pg.Items == nil || pg.Next != "" {
			t.Errorf("got %+v; want no items, no next", pg)
		}
	})
}

func TestNewValidatesItsOptions(t *testing.T) {
	ctx := context.Background()
	c := clock.NewFake(t0)
	if _, err := New(ctx, memstore.New(), nil, WithClock(c.Now), nil); err != nil {
		t.Errorf("nil options: %v; want them skipped", err)
	}
	for name, o := range map[string]Option{
		"WithClock(nil)":                WithClock(nil),
		"WithIDs(nil)":                  WithIDs(nil),
		"WithLinkTokens(nil)":           WithLinkTokens(nil),
		"WithAdmins with an empty id":   WithAdmins("ok", ""),
		"WithPasswordHashing(0, 8, 1)":  WithPasswordHashing(0, 8, 1),
		"WithPasswordHashing(1, 8, 0)":  WithPasswordHashing(1, 8, 0),
		"WithPasswordHashing(1, 15, 2)": WithPasswordHashing(1, 15, 2),
	} {
		if _, err := New(ctx, memstore.New(), o); !errors.Is(err, ErrInvalid) || !errors.Is(err, store.ErrInvalid) {
			t.Errorf("%s: got %v; want ErrInvalid", name, err)
		}
	}
	if _, err := New(ctx, nil); !errors.Is(err, ErrInvalid) {
		t.Errorf("nil store: got %v; want ErrInvalid", err)
	}
	t.Run("New loads the model within its context", func(t *testing.T) {
		cctx, cancel := context.WithCancel(ctx)
		cancel()
		if _, err := New(cctx, memstore.New()); !errors.Is(err, context.Canceled) {
			t.Errorf("New with a cancelled context: %v; want context.Canceled", err)
		}
	})
}

func TestDecodeChangeRefusesMalformedRecords(t *testing.T) {
	for _, data := range []string{`{`, `{}`, `{"type":"grant.set"}`, `{"version":3}`, `[]`} {
		_, ok, err := DecodeChange(store.Change{Kind: Kind, Data: []byte(data)})
		if !ok || !errors.Is(err, ErrInvalid) || !errors.Is(err, store.ErrInvalid) {
			t.Errorf("DecodeChange(%s) = ok %v, %v; want ok and ErrInvalid", data, ok, err)
		}
	}
	ch, ok, err := DecodeChange(store.Change{Kind: Kind, Data: []byte(`{"type":"grant.set","version":3}`)})
	if !ok || err != nil || ch.Type != GrantSet {
		t.Errorf("a good record: %+v, %v, %v", ch, ok, err)
	}
	if _, ok, err := DecodeChange(store.Change{Kind: "chat", Data: []byte(`{`)}); ok || err != nil {
		t.Errorf("another package's record: ok %v, %v; want false, nil", ok, err)
	}
}
