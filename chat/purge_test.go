package chat_test

import (
	"bytes"
	"fmt"
	"testing"
	"time"

	"github.com/workspace-go/workspace/chat"
	"github.com/workspace-go/workspace/internal/backends"
	"github.com/workspace-go/workspace/store"
)

// everything returns every key, value and change record of st, for a
// search of what it still holds.
func everything(t *testing.T, st store.Store) (kv [][]byte, log []store.Change) {
	t.Helper()
	err := st.View(t.Context(), func(tx store.Tx) error {
		for k, v := range tx.Scan(store.Range{}) {
			kv = append(kv, bytes.Clone(k), bytes.Clone(v))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for after := uint64(0); ; {
		recs, next, err := st.Changes(t.Context(), after, 0)
		if err != nil {
			t.Fatal(err)
		}
		log = append(log, recs...)
		if len(recs) == 0 && next <= after {
			break
		}
		after = next
	}
	return kv, log
}

func TestPurgedContentLeavesTheStoreAndTheLog(t *testing.T) {
	each(t, checkPurgeLeavesNothing)
	t.Run("through a tenant's namespace", func(t *testing.T) {
		checkPurgeLeavesNothing(t, newEnv(t, func(tb testing.TB) store.Store {
			ns, err := store.Namespace(backends.Mem(tb), "acme")
			if err != nil {
				tb.Fatal(err)
			}
			return ns
		}))
	})
}

// checkPurgeLeavesNothing purges a thread with edits, reactions and a
// reply also sent to the conversation, then scans every key, value and
// change record of the store for its text.
func checkPurgeLeavesNothing(t *testing.T, e *env) {
	c := e.group(t, "ann", "bob")
	keep := e.post(t, "ann", c.ID, "kept-for-later")
	secrets := []string{"alpha-secret-text", "beta-secret-edit", "gamma-secret-reply", ":delta-secret-emoji:", "epsilon-secret-also"}
	root, err := e.svc.Post(e.ctx, "ann", c.ID, chat.Draft{Text: secrets[0] + " @bob", ClientID: "client-1"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.Edit(e.ctx, "ann", root.ID, secrets[1]+" @bob"); err != nil {
		t.Fatal(err)
	}
	if err := e.svc.React(e.ctx, "bob", root.ID, secrets[3]); err != nil {
		t.Fatal(err)
	}
	r := e.reply(t, "bob", c.ID, root.ID, secrets[2])
	if err := e.svc.React(e.ctx, "ann", r.ID, secrets[3]); err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.Post(e.ctx, "bob", c.ID, chat.Draft{Text: secrets[4], ReplyTo: root.ID, AlsoToConversation: true}); err != nil {
		t.Fatal(err)
	}
	if err := e.svc.SetRetention(e.ctx, "legal", c.ID, 1); err != nil {
		t.Fatal(err)
	}
	// Before the purge, the secrets are there (the scan can see them).
	kv, log := everything(t, e.st)
	if !holds(kv, log, secrets[0]) || !holds(kv, log, secrets[3]) {
		t.Fatal("the scan does not find the secrets before the purge")
	}
	e.clk.Advance(48 * time.Hour)
	fresh := e.post(t, "ann", c.ID, "fresh-after-cutoff")
	n, err := e.svc.Purge(e.ctx, "legal", chat.PurgeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if n != 4 { // keep, the root and its two replies
		t.Errorf("purged %d messages, want 4", n)
	}
	kv, log = everything(t, e.st)
	for _, s := range secrets {
		if holds(kv, log, s) {
			t.Errorf("%q is still in the store after the purge", s)
		}
	}
	if holds(kv, log, "client-1") {
		t.Error("the client id of a purged message is still in the store")
	}
	if !holds(kv, log, "fresh-after-cutoff") {
		t.Error("the purge removed a message within the retention period")
	}
	redactedTypes := map[chat.ChangeType]int{}
	for _, rec := range log {
		ch, ok, err := chat.DecodeChange(rec)
		if !ok || err != nil {
			t.Fatalf("record %d: ok=%v err=%v after the purge", rec.Seq, ok, err)
		}
		if ch.Redacted {
			redactedTypes[ch.Type]++
			if ch.MessageID == "" || ch.At.IsZero() || ch.Message != nil || ch.Emoji != "" {
				t.Errorf("record %d: got %+v, want ids and time kept, content gone", rec.Seq, ch)
			}
		}
	}
	want := map[chat.ChangeType]int{chat.MessageCreated: 4, chat.MessageEdited: 1, chat.ReactionAdded: 2}
	for typ, n := range want {
		if redactedTypes[typ] != n {
			t.Errorf("got %d redacted %s records, want %d", redactedTypes[typ], typ, n)
		}
	}
	if _, err := e.svc.Message(e.ctx, "ann", root.ID); !errorsIs(err, chat.ErrNotFound) {
		t.Errorf("got %v reading a purged message, want not found", err)
	}
	_ = keep
	_ = fresh
}

// holds reports whether s occurs in any key, value or change record.
func holds(kv [][]byte, log []store.Change, s string) bool {
	b := []byte(s)
	for _, x := range kv {
		if bytes.Contains(x, b) {
			return true
		}
	}
	for _, c := range log {
		if bytes.Contains(c.Data, b) {
			return true
		}
	}
	return false
}

func TestABigThreadIsPurgedInBoundedTransactions(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		c := e.group(t, "ann", "bob")
		root := e.post(t, "ann", c.ID, "root")
		const replies = 163
		for i := range replies {
			e.reply(t, "bob", c.ID, root.ID, fmt.Sprint("reply-text-", i))
		}
		small := e.post(t, "ann", c.ID, "after")
		if err := e.svc.SetRetention(e.ctx, "legal", c.ID, 1); err != nil {
			t.Fatal(err)
		}
		from := e.last(t)
		e.clk.Advance(48 * time.Hour)
		n, err := e.svc.Purge(e.ctx, "legal", chat.PurgeOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if n != replies+2 {
			t.Errorf("purged %d, want %d", n, replies+2)
		}
		recs, _, err := e.st.Changes(e.ctx, from, 1000)
		if err != nil {
			t.Fatal(err)
		}
		batches := 0
		for _, rec := range recs {
			ch, ok, _ := chat.DecodeChange(rec)
			if ok && ch.Type == chat.MessagesPurged {
				batches++
				if len(ch.MessageIDs) > 50 {
					t.Errorf("one purge transaction removed %d messages, want at most 50", len(ch.MessageIDs))
				}
			}
		}
		if batches < 4 {
			t.Errorf("got %d purge transactions, want the thread split over at least 4", batches)
		}
		kv, log := everything(t, e.st)
		if holds(kv, log, "reply-text-") {
			t.Error("reply text is still in the store")
		}
		for _, id := range []string{root.ID, small.ID} {
			if _, err := e.svc.Message(e.ctx, "ann", id); !errorsIs(err, chat.ErrNotFound) {
				t.Errorf("got %v for a purged message, want not found", err)
			}
		}
		if p, _ := e.svc.Inbox(e.ctx, "bob", chat.ListOptions{}); len(p.Items) != 0 {
			t.Errorf("bob's inbox holds %d threads after the purge, want none", len(p.Items))
		}
	})
}
