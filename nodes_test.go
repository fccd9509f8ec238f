package workspace_test

import (
	"context"
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/workspace-go/workspace"
	"github.com/workspace-go/workspace/chat"
	"github.com/workspace-go/workspace/search"
	"github.com/workspace-go/workspace/store/pgstore"
)

// TestTwoNodesOnPostgreSQL runs two Workspaces of one tenant on two
// connection pools to one database, as two application nodes would: a
// message posted on one reaches a live subscription and the search index
// of the other. How fast is for benchmarks (pgstore's TailAcrossPools);
// the test logs the time it took and fails only if the message never
// arrives (10 s).
func TestTwoNodesOnPostgreSQL(t *testing.T) {
	dsn := os.Getenv("WORKSPACE_PG_DSN")
	if dsn == "" {
		t.Skip("set WORKSPACE_PG_DSN (e.g. postgres://postgres@127.0.0.1:5432/test?sslmode=disable) to run against PostgreSQL")
	}
	ctx := context.Background()
	schema := fmt.Sprintf("ws_nodes_%d", time.Now().UnixNano())
	// Registered first, so it runs last: after both nodes have closed.
	t.Cleanup(func() {
		db, err := pgstore.Open(ctx, dsn, &pgstore.Options{Schema: schema})
		if err == nil {
			db.Pool().Exec(ctx, "DROP SCHEMA "+schema+" CASCADE")
			db.Close()
		}
	})
	node := func() *workspace.Workspace {
		db, err := pgstore.Open(ctx, dsn, &pgstore.Options{Schema: schema})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		return open(t, db, "acme", func(o *workspace.Options) { o.Now = nil })
	}
	a, b := node(), node()
	addPeople(t, a, "u1", "u2")

	conv, err := a.Chat.CreateGroup(ctx, "u1", chat.GroupOptions{Name: "ops", Members: []string{"u2"}})
	if err != nil {
		t.Fatal(err)
	}
	sctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	sub, err := b.Chat.Subscribe(sctx, "u2")
	if err != nil {
		t.Fatal(err)
	}
	events := sub.C()
	start := time.Now()
	m, err := a.Chat.Post(ctx, "u1", conv.ID, chat.Draft{Text: "deploy window 今晚十点"})
	if err != nil {
		t.Fatal(err)
	}
	got := false
	for ev := range events {
		if ev.Type == chat.MessageCreated && ev.MessageID == m.ID {
			got = true
			break
		}
	}
	if !got {
		t.Fatalf("the other node's subscriber never got the message: %v", sctx.Err())
	}
	t.Logf("post to the other node's subscriber: %v", time.Since(start))
	// The other node's index follows the same log.
	if err := b.Sync(sctx); err != nil {
		t.Fatalf("the other node's index never reached the message: %v", err)
	}
	res, err := b.SearchAs(ctx, "u2", search.Request{Query: "今晚"})
	if err != nil || res.Total != 1 {
		t.Errorf("search on the other node: %v, %v; want the message", res, err)
	}
	t.Logf("post to the other node's subscriber and index: %v", time.Since(start))
}
