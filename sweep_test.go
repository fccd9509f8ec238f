package workspace_test

import (
	"context"
	"testing"
	"time"

	"github.com/workspace-go/workspace"
	"github.com/workspace-go/workspace/docacl"
	"github.com/workspace-go/workspace/internal/clock"
	"github.com/workspace-go/workspace/task"
)

func TestSweepRemindsAndExpires(t *testing.T) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			ctx := context.Background()
			clk := clock.NewFake(day)
			ws := open(t, b.open(t), "", func(o *workspace.Options) { o.Now = clk.Now })
			addPeople(t, ws, "owner", "guest", "boss", "bob")
			if _, ok, err := ws.NextSweep(ctx); err != nil || ok {
				t.Fatalf("NextSweep on an empty workspace: ok %v, %v; want nothing scheduled", ok, err)
			}
			// A task due in three hours: a reminder an hour before, and
			// overdue when it falls due.
			if _, err := ws.Tasks.Create(ctx, "boss", task.Spec{Title: "send the quote", Assignees: []string{"bob"},
				Due: task.DueAt(day.Add(3 * time.Hour))}); err != nil {
				t.Fatal(err)
			}
			// A grant that expires in ninety minutes.
			doc, err := ws.Docs.Create(ctx, "owner", docacl.Resource{Kind: docacl.Document, Name: "报价单 quote"})
			if err != nil {
				t.Fatal(err)
			}
			expires := day.Add(90 * time.Minute)
			if err := ws.Docs.Grant(ctx, "owner", doc.ID, docacl.UserKey("guest"), docacl.Viewer, docacl.GrantOptions{Expires: expires}); err != nil {
				t.Fatal(err)
			}
			if next, ok, err := ws.NextSweep(ctx); err != nil || !ok || !next.Equal(expires) {
				t.Fatalf("NextSweep = %v, %v, %v; want the grant's expiry %v first", next, ok, err, expires)
			}
			if s, err := ws.Sweep(ctx); err != nil || s != (workspace.Swept{}) {
				t.Fatalf("Sweep before anything is due = %+v, %v; want nothing", s, err)
			}
			clk.Set(day.Add(2 * time.Hour)) // past the expiry and the reminder
			if s, err := ws.Sweep(ctx); err != nil || s != (workspace.Swept{Reminders: 1, Expired: 1}) {
				t.Fatalf("Sweep at +2h = %+v, %v; want a reminder and an expiry", s, err)
			}
			if s, err := ws.Sweep(ctx); err != nil || s != (workspace.Swept{}) {
				t.Errorf("a second Sweep at +2h = %+v, %v; want nothing again", s, err)
			}
			if next, ok, err := ws.NextSweep(ctx); err != nil || !ok || !next.Equal(day.Add(3*time.Hour)) {
				t.Errorf("NextSweep = %v, %v, %v; want the task falling due", next, ok, err)
			}
			clk.Set(day.Add(4 * time.Hour))
			if s, err := ws.Sweep(ctx); err != nil || s != (workspace.Swept{Reminders: 1}) {
				t.Errorf("Sweep at +4h = %+v, %v; want the overdue reminder", s, err)
			}
			if _, ok, err := ws.NextSweep(ctx); err != nil || ok {
				t.Errorf("NextSweep after everything: ok %v, %v", ok, err)
			}
		})
	}
}
