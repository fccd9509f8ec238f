package workspace_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/workspace-go/workspace"
	"github.com/workspace-go/workspace/chat"
	stores "github.com/workspace-go/workspace/internal/backends"
	"github.com/workspace-go/workspace/search"
	"github.com/workspace-go/workspace/store"
	"github.com/workspace-go/workspace/store/pgstore"
)

// TestPostgreSQLOutage stops a private PostgreSQL server for two seconds
// while a poster writes, the search index follows the log and a member is
// subscribed, then starts it again. With no reopen, every acknowledged post
// must reach the subscriber exactly once and be found by search after
// Sync. It runs with WORKSPACE_PG_OUTAGE=1 (CI sets it), on a cluster of its
// own, never the shared server.
func TestPostgreSQLOutage(t *testing.T) {
	cluster := stores.PrivatePG(t)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	db, err := pgstore.Open(ctx, cluster.DSN, &pgstore.Options{PollInterval: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	ws, err := workspace.Open(ctx, workspace.Options{Store: db, Tenant: "acme", Admins: []string{"admin"}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ws.Close() })
	addPeople(t, ws, "u1", "u2")

	conv, err := ws.Chat.CreateGroup(ctx, "u1", chat.GroupOptions{Name: "ops", Members: []string{"u2"}})
	if err != nil {
		t.Fatal(err)
	}
	sub, err := ws.Chat.Subscribe(ctx, "u2")
	if err != nil {
		t.Fatal(err)
	}

	// The subscriber counts what it receives, until told to stop.
	var smu sync.Mutex
	received := map[string]int{}
	go func() {
		for ev := range sub.C() {
			if ev.Type == chat.MessageCreated {
				smu.Lock()
				received[ev.MessageID]++
				smu.Unlock()
			}
		}
	}()

	// The poster writes through the outage; a post that fails is not
	// acknowledged (it may still have committed, which is allowed).
	const before, after = 40, 40
	acked := map[string]string{} // message id → its unique word
	var failed int
	post := func(i int) {
		word := fmt.Sprintf("zq%04dq", i)
		m, err := ws.Chat.Post(ctx, "u1", conv.ID, chat.Draft{Text: "outage check " + word})
		switch {
		case err == nil:
			acked[m.ID] = word
		case store.Transient(err):
			failed++
		default:
			t.Fatalf("post %d: %v (want success or a transient error)", i, err)
		}
	}
	for i := range before {
		post(i)
	}
	start := time.Now()
	if err := cluster.Stop(); err != nil {
		t.Fatal(err)
	}
	for i := before; i < before+10; i++ {
		post(i) // while the server is down
	}
	time.Sleep(2 * time.Second) // the outage itself, not a wait for work
	if err := cluster.Start(); err != nil {
		t.Fatal(err)
	}
	t.Logf("server down %v; %d posts refused during the outage", time.Since(start).Round(time.Millisecond), failed)
	back := time.Now()
	for i := before + 10; i < before+10+after; i++ {
		post(i)
	}
	if len(acked) < before+after {
		t.Fatalf("%d posts acknowledged, want at least %d: writes did not resume after the restart", len(acked), before+after)
	}

	if err := ws.Sync(ctx); err != nil {
		t.Fatalf("Sync after the outage: %v (the indexer must survive it)", err)
	}
	t.Logf("index caught up %v after the server came back", time.Since(back).Round(time.Millisecond))
	for id, word := range acked {
		res, err := ws.SearchAs(ctx, "u2", search.Request{Query: word})
		if err != nil {
			t.Fatalf("search %q: %v", word, err)
		}
		if res.Total != 1 || len(res.Items) != 1 || res.Items[0].ID != id {
			t.Errorf("search %q: %d hits, want message %s", word, res.Total, id)
		}
	}

	// Every acknowledged post reaches the subscriber exactly once. The
	// subscription's position is durable only in memory, so it is the
	// retry inside it that must carry it over the outage.
	deadline := time.Now().Add(30 * time.Second)
	for {
		smu.Lock()
		missing, doubled := 0, 0
		for id := range acked {
			switch received[id] {
			case 0:
				missing++
			case 1:
			default:
				doubled++
			}
		}
		smu.Unlock()
		if doubled > 0 {
			t.Fatalf("%d posts reached the subscriber more than once", doubled)
		}
		if missing == 0 {
			break
		}
		if err := sub.Err(); err != nil {
			t.Fatalf("the subscription ended: %v; %d posts never arrived", err, missing)
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d acknowledged posts never reached the subscriber", missing)
		}
		time.Sleep(20 * time.Millisecond) // polling the subscriber's count, bounded by the deadline
	}
}
