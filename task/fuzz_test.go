package task

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/workspace-go/workspace/internal/clock"
	"github.com/workspace-go/workspace/internal/ids"
	"github.com/workspace-go/workspace/store"
	"github.com/workspace-go/workspace/store/memstore"
)

// FuzzServiceCursor feeds List arbitrary cursors and queries: it must never
// panic, and a cursor it did not hand out for the query must be refused
// with ErrInvalid or lead inside the query's own keys.
func FuzzServiceCursor(f *testing.F) {
	st := memstore.New()
	f.Cleanup(func() { st.Close() })
	clk := clock.NewFake(svcStart)
	svc, err := New(context.Background(), st, WithClock(clk.Now), WithIDs(ids.Sequential("t_")))
	if err != nil {
		f.Fatal(err)
	}
	ctx := f.Context()
	for i := range 5 {
		_, err := svc.Create(ctx, "boss", Spec{Title: "t", Assignees: []string{"a", "b"}, Due: DueAt(svcStart.Add(time.Duration(i-2) * time.Hour))})
		if err != nil {
			f.Fatal(err)
		}
		clk.Advance(time.Minute)
	}
	p, err := svc.List(ctx, "boss", Query{Role: RoleCreator, Limit: 2})
	if err != nil || p.Next == "" {
		f.Fatal("no cursor", err)
	}
	f.Add(p.Next, "creator", "", false, int64(0))
	f.Add("", "assignee", "todo", true, int64(0))
	f.Add(base64.RawURLEncoding.EncodeToString([]byte("task\x00\x01d\x00\x01")), "assignee", "", true, int64(3600))
	f.Add("%%%", "follower", "done", false, int64(-5))
	f.Fuzz(func(t *testing.T, cursor, role, status string, overdue bool, window int64) {
		q := Query{Role: Role(role), Status: Status(status), Overdue: overdue, Cursor: cursor, Limit: 3}
		if window != 0 {
			q.Due = Period{From: svcStart, To: svcStart.Add(time.Duration(window) * time.Second)}
		}
		page, err := svc.List(ctx, "boss", q)
		if err != nil {
			if !errors.Is(err, store.ErrInvalid) {
				t.Fatalf("List(%+v): %v, want nil or ErrInvalid", q, err)
			}
			return
		}
		for _, tk := range page.Items {
			if tk.Creator != "boss" && !tk.IsAssignee("boss") && !tk.IsFollower("boss") {
				t.Fatalf("List(%+v) leaked task %+v", q, tk)
			}
		}
	})
}

// FuzzDueJSON checks that decoding a Due never panics and that what
// decodes and normalises re-encodes to the same due.
func FuzzDueJSON(f *testing.F) {
	for _, d := range []Due{DueOn(2025, 3, 21, shanghai), DueAt(svcStart), {}} {
		b, err := json.Marshal(d)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte(`{"time":"2025-02-30T00:00:00Z","precision":"day","location":"Nowhere/Land"}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		var d Due
		if json.Unmarshal(b, &d) != nil {
			return
		}
		n, err := d.normal()
		if err != nil {
			if !errors.Is(err, ErrInvalid) {
				t.Fatalf("normal(%+v): %v", d, err)
			}
			return
		}
		out, err := json.Marshal(n)
		if err != nil {
			t.Fatalf("Marshal(%+v): %v", n, err)
		}
		var back Due
		if err := json.Unmarshal(out, &back); err != nil || !back.Equal(n) {
			t.Fatalf("round trip of %s: %+v, %v; want %+v", out, back, err, n)
		}
		_ = n.Deadline()
		_ = n.String()
	})
}
