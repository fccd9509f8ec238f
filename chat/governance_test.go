package chat_test

import (
	"bytes"
	"encoding/json"
	"slices"
	"testing"
	"time"

	"github.com/workspace-go/workspace/chat"
)

func TestGovernanceIsForOfficers(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		c := e.group(t, "ann", "bob")
		wantErr(t, e.svc.SetRetention(e.ctx, "ann", c.ID, 30), chat.ErrPermission)
		wantErr(t, e.svc.SetLegalHold(e.ctx, "ann", c.ID, true), chat.ErrPermission)
		_, err := e.svc.Purge(e.ctx, "ann", chat.PurgeOptions{})
		wantErr(t, err, chat.ErrPermission)
		wantErr(t, e.svc.Export(e.ctx, "ann", c.ID, &bytes.Buffer{}), chat.ErrPermission)
		wantErr(t, e.svc.SetRetention(e.ctx, "legal", c.ID, -1), chat.ErrInvalid)
		wantErr(t, e.svc.SetRetention(e.ctx, "legal", "nope", 1), chat.ErrNotFound)
	})
}

func TestRetentionPurge(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		c := e.group(t, "ann", "bob")
		keep := e.group(t, "ann", "bob")
		old := e.post(t, "ann", c.ID, "old")
		pinned := e.post(t, "ann", c.ID, "pinned")
		active := e.post(t, "ann", c.ID, "old root, recent reply")
		dead := e.post(t, "ann", c.ID, "old root, old reply")
		e.reply(t, "bob", c.ID, dead.ID, "old reply")
		e.post(t, "ann", keep.ID, "no retention here")
		if err := e.svc.Pin(e.ctx, "ann", pinned.ID); err != nil {
			t.Fatal(err)
		}
		if err := e.svc.SetRetention(e.ctx, "legal", c.ID, 30); err != nil {
			t.Fatal(err)
		}
		e.clk.Advance(29 * 24 * time.Hour)
		e.reply(t, "bob", c.ID, active.ID, "recent reply")
		e.clk.Advance(2 * 24 * time.Hour)
		e.post(t, "ann", c.ID, "new")

		if err := e.svc.SetLegalHold(e.ctx, "legal", c.ID, true); err != nil {
			t.Fatal(err)
		}
		wantErr(t, e.svc.Delete(e.ctx, "ann", old.ID), chat.ErrLegalHold)
		n, err := e.svc.Purge(e.ctx, "legal", chat.PurgeOptions{KeepPinned: true})
		if err != nil || n != 0 {
			t.Errorf("got %d purged, %v under legal hold, want none", n, err)
		}
		if err := e.svc.SetLegalHold(e.ctx, "legal", c.ID, false); err != nil {
			t.Fatal(err)
		}

		n, err = e.svc.Purge(e.ctx, "legal", chat.PurgeOptions{KeepPinned: true})
		if err != nil {
			t.Fatal(err)
		}
		if n != 3 {
			t.Errorf("got %d purged, want old, the dead root and its reply", n)
		}
		// The change record names every message erased, so indexes can
		// drop them.
		var erased []string
		recs, _, _ := e.st.Changes(e.ctx, 0, 10000)
		for _, rc := range recs {
			if ch, ok, _ := chat.DecodeChange(rc); ok && ch.Type == chat.MessagesPurged {
				erased = append(erased, ch.MessageIDs...)
			}
		}
		if len(erased) != 3 || !slices.Contains(erased, old.ID) || !slices.Contains(erased, dead.ID) {
			t.Errorf("purge change names %v; want old, the dead root and its reply", erased)
		}
		h, _ := e.svc.History(e.ctx, "ann", c.ID, chat.Query{Order: chat.OldestFirst})
		if want := []string{"pinned", "old root, recent reply", "new"}; !equal(texts(h.Items), want) {
			t.Errorf("got %v, want %v", texts(h.Items), want)
		}
		_, err = e.svc.Message(e.ctx, "ann", old.ID)
		wantErr(t, err, chat.ErrNotFound)
		if u := e.unread(t, "bob", c.ID); u.Messages != 1 {
			t.Errorf("got %d unread after purge, want only the new message", u.Messages)
		}
		if p, _ := e.svc.Inbox(e.ctx, "ann", chat.ListOptions{Cursor: "", Limit: 0}); len(p.Items) != 1 {
			t.Errorf("got %d threads in the inbox, want the purged thread gone", len(p.Items))
		}
		if n, _ := e.svc.Purge(e.ctx, "legal", chat.PurgeOptions{KeepPinned: true}); n != 0 {
			t.Errorf("got %d purged on a second run, want 0", n)
		}
		h, _ = e.svc.History(e.ctx, "ann", keep.ID, chat.Query{})
		if len(h.Items) != 1 {
			t.Error("purged a conversation without retention")
		}
	})
}

func TestExport(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		c := e.group(t, "ann", "bob")
		m := e.post(t, "ann", c.ID, "draft")
		if _, err := e.svc.Edit(e.ctx, "ann", m.ID, "final"); err != nil {
			t.Fatal(err)
		}
		if err := e.svc.React(e.ctx, "bob", m.ID, "👍"); err != nil {
			t.Fatal(err)
		}
		e.reply(t, "bob", c.ID, m.ID, "agreed")
		gone := e.post(t, "bob", c.ID, "regrettable")
		if err := e.svc.Delete(e.ctx, "bob", gone.ID); err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		if err := e.svc.Export(e.ctx, "legal", c.ID, &buf); err != nil {
			t.Fatal(err)
		}
		var recs []chat.ExportRecord
		dec := json.NewDecoder(&buf)
		for dec.More() {
			var r chat.ExportRecord
			if err := dec.Decode(&r); err != nil {
				t.Fatal(err)
			}
			recs = append(recs, r)
		}
		if len(recs) != 3 {
			t.Fatalf("got %d records, want 3", len(recs))
		}
		if r := recs[0]; r.Text != "final" || len(r.Versions) != 1 || r.Versions[0].Text != "draft" || len(r.Reactions) != 1 {
			t.Errorf("got %+v, want the edited message with its history and reaction", r)
		}
		if r := recs[1]; r.Text != "agreed" || r.Root != m.ID {
			t.Errorf("got %+v, want the reply after its root", r)
		}
		if r := recs[2]; r.Text != "regrettable" || !r.Deleted {
			t.Errorf("got %+v, want the deleted message with its text", r)
		}
	})
}

func TestPurgeOfEverythingKeepsPositions(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		c := e.group(t, "ann", "bob")
		e.post(t, "ann", c.ID, "one")
		e.post(t, "ann", c.ID, "two")
		if err := e.svc.SetRetention(e.ctx, "legal", c.ID, 1); err != nil {
			t.Fatal(err)
		}
		e.clk.Advance(48 * time.Hour)
		if n, err := e.svc.Purge(e.ctx, "legal", chat.PurgeOptions{}); err != nil || n != 2 {
			t.Fatalf("got %d purged, %v, want 2", n, err)
		}
		if u := e.unread(t, "bob", c.ID); u.Messages != 0 {
			t.Errorf("got %d unread in an emptied conversation, want 0", u.Messages)
		}
		m := e.post(t, "ann", c.ID, "three")
		if m.Seq != 3 {
			t.Errorf("got position %d after purging everything, want 3: positions are never reused", m.Seq)
		}
		if u := e.unread(t, "bob", c.ID); u.Messages != 1 {
			t.Errorf("got %d unread, want 1", u.Messages)
		}
	})
}

func TestKeptMessagesExpireLater(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		c := e.group(t, "ann", "bob")
		pinned := e.post(t, "ann", c.ID, "pinned")
		root := e.post(t, "ann", c.ID, "busy thread")
		if err := e.svc.Pin(e.ctx, "ann", pinned.ID); err != nil {
			t.Fatal(err)
		}
		if err := e.svc.SetRetention(e.ctx, "legal", c.ID, 10); err != nil {
			t.Fatal(err)
		}
		e.clk.Advance(9 * 24 * time.Hour)
		e.reply(t, "bob", c.ID, root.ID, "still going")
		e.clk.Advance(2 * 24 * time.Hour)
		keep := chat.PurgeOptions{KeepPinned: true}
		if n, err := e.svc.Purge(e.ctx, "legal", keep); err != nil || n != 0 {
			t.Fatalf("got %d purged, %v, want both kept", n, err)
		}
		if err := e.svc.Unpin(e.ctx, "ann", pinned.ID); err != nil {
			t.Fatal(err)
		}
		if n, err := e.svc.Purge(e.ctx, "legal", keep); err != nil || n != 1 {
			t.Errorf("got %d purged, %v after unpinning, want 1", n, err)
		}
		e.clk.Advance(9 * 24 * time.Hour)
		if n, err := e.svc.Purge(e.ctx, "legal", keep); err != nil || n != 2 {
			t.Errorf("got %d purged, %v once the thread went quiet, want the root and its reply", n, err)
		}
		h, _ := e.svc.History(e.ctx, "ann", c.ID, chat.Query{})
		if len(h.Items) != 0 {
			t.Errorf("got %v, want an empty history", texts(h.Items))
		}
	})
}
