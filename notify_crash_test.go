package workspace_test

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"

	"github.com/workspace-go/workspace"
	"github.com/workspace-go/workspace/chat"
	"github.com/workspace-go/workspace/directory"
	"github.com/workspace-go/workspace/store"
	"github.com/workspace-go/workspace/store/boltstore"
)

const crashChildEnv = "WORKSPACE_NOTIFY_CRASH_DIR"

// TestNotificationsOnceAcrossSIGKILL runs a helper process (this test
// binary again) that posts mentions with the notifier running, kills it
// with SIGKILL mid-stream, reopens the data and compares the feed with
// the causes in the log: each exactly once.
func TestNotificationsOnceAcrossSIGKILL(t *testing.T) {
	if dir := os.Getenv(crashChildEnv); dir != "" {
		crashChild(dir)
		return
	}
	dir := t.TempDir()
	cmd := exec.Command(os.Args[0], "-test.run=^TestNotificationsOnceAcrossSIGKILL$")
	cmd.Env = append(os.Environ(), crashChildEnv+"="+dir)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(out)
	for sc.Scan() {
		if sc.Text() == "posted 150" {
			break
		}
	}
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	cmd.Wait()

	ctx := context.Background()
	// How far the killed notifier had come.
	db, err := boltstore.Open(filepath.Join(dir, "workspace.db"), nil)
	if err != nil {
		t.Fatal(err)
	}
	var pos []byte
	db.View(ctx, func(tx store.Tx) error { pos, _ = tx.Get([]byte("notify/pos")); pos = slices.Clone(pos); return nil })
	last, _ := db.Last(ctx)
	db.Close()
	t.Logf("killed with the notifier at %s of %d", pos, last)

	ws, err := workspace.Open(ctx, workspace.Options{Dir: dir, Admins: []string{"admin"}, Notifications: true, Now: now})
	if err != nil {
		t.Fatal(err)
	}
	defer ws.Close()
	if err := ws.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	var causes []uint64
	for after := uint64(0); ; {
		recs, next, err := ws.Store().Changes(ctx, after, 1000)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range recs {
			if c, ok, _ := chat.DecodeChange(r); ok && c.Type == chat.MessageCreated && slices.Contains(c.Message.Mentions, "bob") {
				causes = append(causes, r.Seq)
			}
		}
		if len(recs) == 0 && next <= after {
			break
		}
		after = next
	}
	var got []uint64
	q := workspace.NotificationQuery{Limit: workspace.MaxNotificationPage}
	for {
		p, err := ws.Notifications(ctx, "bob", q)
		if err != nil {
			t.Fatal(err)
		}
		for _, n := range p.Items {
			got = append(got, n.Seq)
		}
		if p.Next == "" {
			break
		}
		q.Cursor = p.Next
	}
	slices.Reverse(got)
	if len(causes) < 150 || !slices.Equal(got, causes) {
		t.Fatalf("%d causes, %d notifications: equal %v", len(causes), len(got), slices.Equal(got, causes))
	}
	if n, _ := ws.UnreadNotifications(ctx, "bob"); n != len(causes) {
		t.Fatalf("unread %d, want %d", n, len(causes))
	}
	t.Logf("%d mentions before SIGKILL, each notified once", len(causes))
}

// crashChild posts mentions of bob until it is killed.
func crashChild(dir string) {
	ctx := context.Background()
	ws, err := workspace.Open(ctx, workspace.Options{Dir: dir, Admins: []string{"admin"}, Notifications: true, Now: now})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	for _, id := range []string{"ann", "bob"} {
		u := directory.User{ID: id, Name: id, Departments: []string{directory.Root}}
		if _, err := ws.Directory.CreateUser(ctx, "admin", u); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(2)
		}
	}
	g, err := ws.Chat.CreateGroup(ctx, "ann", chat.GroupOptions{Name: "g", Members: []string{"bob"}})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	for i := 1; ; i++ {
		if _, err := ws.Chat.Post(ctx, "ann", g.ID, chat.Draft{Text: "@bob " + strings.Repeat("x", i%7)}); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(2)
		}
		fmt.Println("posted", i)
	}
}
