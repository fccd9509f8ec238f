package chat_test

import (
	"strings"
	"testing"
	"time"

	"github.com/workspace-go/workspace/chat"
	"github.com/workspace-go/workspace/internal/ids"
	"github.com/workspace-go/workspace/store"
	"github.com/workspace-go/workspace/store/memstore"
)

// FuzzEntryPoints drives the public entry points with arbitrary text, ids,
// emoji, limits and clock readings (years far outside 1–9999 included):
// nothing panics, every error is one of the library's (never "internal"),
// and a call that fails writes nothing.
func FuzzEntryPoints(f *testing.F) {
	f.Add("hello @bob", int64(1772442000), int64(0), "c1", ":+1:", 3, 1)
	f.Add(strings.Repeat("@a ", 200), int64(253402300800), int64(0), "", "👍", 0, 1000)
	f.Add("\xff", int64(-62135596801), int64(5), strings.Repeat("k", 200), "", -1, -1)
	f.Add(strings.Repeat("字", chat.MaxTextLength+1), int64(-1<<62), int64(999999999), "x", "a b", 1<<30, 1<<20)
	f.Fuzz(func(t *testing.T, text string, sec, nsec int64, client, emoji string, limit, days int) {
		st := memstore.New()
		defer st.Close()
		now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
		svc, err := chat.New(t.Context(), st, chat.WithClock(func() time.Time { return now }), chat.WithIDs(ids.Sequential("id")),
			chat.WithCompliance(func(a string) bool { return a == "legal" }))
		if err != nil {
			t.Fatal(err)
		}
		ctx := t.Context()
		c, err := svc.CreateGroup(ctx, "ann", chat.GroupOptions{Name: "g", Members: []string{"bob"}, ClientKey: client})
		if err != nil {
			if store.Code(err) == store.CodeInternal {
				t.Fatalf("create: internal error %v", err)
			}
			return
		}
		root, err := svc.Post(ctx, "ann", c.ID, chat.Draft{Text: "root"})
		if err != nil {
			t.Fatal(err)
		}
		now = time.Unix(sec, nsec).UTC()
		check := func(op string, err error, before uint64) {
			t.Helper()
			if err == nil {
				return
			}
			if store.Code(err) == store.CodeInternal {
				t.Fatalf("%s: internal error %v", op, err)
			}
			if last, _ := st.Last(ctx); last != before {
				t.Fatalf("%s failed with %v and wrote to the log", op, err)
			}
		}
		last := func() uint64 { n, _ := st.Last(ctx); return n }
		b := last()
		_, err = svc.Post(ctx, "bob", c.ID, chat.Draft{Text: text, ClientID: client})
		check("post", err, b)
		b = last()
		_, err = svc.Post(ctx, "bob", c.ID, chat.Draft{Text: text, ReplyTo: root.ID, AlsoToConversation: limit%2 == 0})
		check("reply", err, b)
		b = last()
		check("react", svc.React(ctx, "bob", root.ID, emoji), b)
		b = last()
		_, err = svc.Edit(ctx, "ann", root.ID, text)
		check("edit", err, b)
		b = last()
		check("retention", svc.SetRetention(ctx, "legal", c.ID, days), b)
		_, err = svc.Purge(ctx, "legal", chat.PurgeOptions{})
		if store.Code(err) == store.CodeInternal {
			t.Fatalf("purge: internal error %v", err)
		}
		for _, q := range []chat.Query{{Limit: limit}, {Cursor: client, Limit: limit}, {Before: client}, {Around: root.ID, Limit: limit}} {
			if _, err := svc.History(ctx, "bob", c.ID, q); store.Code(err) == store.CodeInternal {
				t.Fatalf("history %+v: internal error %v", q, err)
			}
		}
		if _, err := svc.Inbox(ctx, "bob", chat.ListOptions{Cursor: client, Limit: limit}); store.Code(err) == store.CodeInternal {
			t.Fatalf("inbox: internal error %v", err)
		}
	})
}
