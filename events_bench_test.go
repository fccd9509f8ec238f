package workspace_test

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"github.com/workspace-go/workspace"
	"github.com/workspace-go/workspace/chat"
	bk "github.com/workspace-go/workspace/internal/backends"
	"github.com/workspace-go/workspace/store"
)

// fanout opens a stream for each of users and counts deliveries: each
// event received decrements pending and, at zero, signals done.
type fanout struct {
	pending atomic.Int64
	done    chan struct{}
}

func startFanout(b *testing.B, ws *workspace.Workspace, ctx context.Context, users []string, count bool) *fanout {
	f := &fanout{done: make(chan struct{}, 1)}
	for _, u := range users {
		s, err := ws.Events(ctx, u, "")
		if err != nil {
			b.Fatal(err)
		}
		go func() {
			for range s.C() {
				if count && f.pending.Add(-1) == 0 {
					f.done <- struct{}{}
				}
			}
		}()
	}
	return f
}

func userIDs(prefix string, n int) []string {
	us := make([]string, n)
	for i := range us {
		us[i] = fmt.Sprintf("%s%05d", prefix, i)
	}
	return us
}

// benchFanout posts in a conversation of members while others (idle)
// subscribers are connected too, and reports the p50 and p99 of the time
// from the post to its delivery to every member.
func benchFanout(b *testing.B, members, others int) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	ws, err := workspace.Open(ctx, workspace.Options{Store: bk.Mem(b), Admins: []string{"admin"}, Now: now})
	if err != nil {
		b.Fatal(err)
	}
	defer ws.Close()
	mem := userIDs("m", members)
	addPeople(b, ws, mem...)
	conv, err := ws.Chat.CreateChannel(ctx, mem[0], chat.ChannelOptions{Name: "c", Members: mem[1:min(members, chat.MaxMembers)]})
	if err != nil {
		b.Fatal(err)
	}
	for _, u := range mem[min(members, chat.MaxMembers):] {
		if err := ws.Chat.AddMember(ctx, mem[0], conv.ID, u); err != nil {
			b.Fatal(err)
		}
	}
	startFanout(b, ws, ctx, userIDs("x", others), false)
	f := startFanout(b, ws, ctx, mem, true)
	var lat []time.Duration
	for b.Loop() {
		f.pending.Store(int64(members))
		start := time.Now()
		if _, err := ws.Chat.Post(ctx, mem[0], conv.ID, chat.Draft{Text: "hi"}); err != nil {
			b.Fatal(err)
		}
		<-f.done
		lat = append(lat, time.Since(start))
	}
	slices.Sort(lat)
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99-ms")
	b.ReportMetric(float64(members+others), "subscribers")
}

// BenchmarkEventsFanout: a post in a 10-member channel with 0 and 9,990
// other subscribers connected (the difference is what they cost), and in
// a 5,000-member channel.
func BenchmarkEventsFanout(b *testing.B) {
	b.Run("members=10/others=0", func(b *testing.B) { benchFanout(b, 10, 0) })
	b.Run("members=10/others=9990", func(b *testing.B) { benchFanout(b, 10, 9990) })
	b.Run("members=5000/others=5000", func(b *testing.B) { benchFanout(b, 5000, 5000) })
}

// BenchmarkEventsCatchUp reads 100,000 events of one person from a
// cursor, through the log directly.
func BenchmarkEventsCatchUp(b *testing.B) {
	const n = 100_000
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	st := bk.Mem(b)
	ws, err := workspace.Open(ctx, workspace.Options{Store: st, Admins: []string{"admin"}, Now: now})
	if err != nil {
		b.Fatal(err)
	}
	defer ws.Close()
	addPeople(b, ws, "u1", "u2")
	conv, err := ws.Chat.CreateGroup(ctx, "u1", chat.GroupOptions{Name: "g", Members: []string{"u2"}})
	if err != nil {
		b.Fatal(err)
	}
	sctx, scancel := context.WithCancel(ctx)
	s, err := ws.Events(sctx, "u2", "")
	if err != nil {
		b.Fatal(err)
	}
	from := s.Cursor()
	scancel()
	// The records as chat writes them, appended in batches (posting
	// 100,000 messages one by one would dominate the run).
	for i := 0; i < n; i += 1000 {
		err := st.Update(ctx, func(tx store.Tx) error {
			for j := range 1000 {
				m := chat.Message{ID: fmt.Sprint("m", i+j), Conversation: conv.ID, Author: "u1", Seq: uint64(i + j + 1), Text: "hello"}
				data, err := json.Marshal(chat.Change{Type: chat.MessageCreated, Conversation: conv.ID, Actor: "u1", At: day, MessageID: m.ID, Message: &m})
				if err != nil {
					return err
				}
				if _, err := tx.Append(chat.Kind, data); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
	}
	// The search indexer and the shared follower read the records too:
	// let them finish first.
	if err := ws.Sync(ctx); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		r, err := ws.Events(ctx, "u2", from)
		if err != nil {
			b.Fatal(err)
		}
		start, cpu0 := time.Now(), processCPU()
		var got int
		for range r.C() {
			if got++; got == n {
				break
			}
		}
		b.ReportMetric(time.Since(start).Seconds(), "s/100k-events")
		// The CPU time of the process (the catch-up is all that runs):
		// the wall time on a machine shared with other work overstates it.
		b.ReportMetric((processCPU() - cpu0).Seconds(), "cpu-s/100k-events")
	}
	b.ReportMetric(n, "events")
}
