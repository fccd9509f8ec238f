package chat_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/workspace-go/workspace/chat"
	"github.com/workspace-go/workspace/store"
	"github.com/workspace-go/workspace/store/boltstore"
	"github.com/workspace-go/workspace/store/memstore"
)

// BenchmarkReceipts measures the read receipt of a message in a group of
// 1,000 members (100 of whom joined after the group was made, half of
// whom have read the message) behind 2,000 messages of history, and
// reports the median and 99th-percentile latency of one call.
func BenchmarkReceipts(b *testing.B) {
	for _, bk := range []struct {
		name string
		open func(b *testing.B) store.Store
	}{
		{"memstore", func(b *testing.B) store.Store { return memstore.New() }},
		// NoSync makes building the data quick; Receipts only reads, and
		// reads never sync.
		{"boltstore", func(b *testing.B) store.Store { return openBolt(b, &boltstore.Options{NoSync: true}) }},
	} {
		b.Run(bk.name, func(b *testing.B) {
			st := bk.open(b)
			defer st.Close()
			svc, err := chat.New(context.Background(), st)
			if err != nil {
				b.Fatal(err)
			}
			ctx := context.Background()
			us := users(1000)
			c, err := svc.CreateGroup(ctx, us[0], chat.GroupOptions{Name: "all hands", Members: us[1:900]})
			if err != nil {
				b.Fatal(err)
			}
			for _, u := range us[900:] {
				if err := svc.AddMember(ctx, us[0], c.ID, u); err != nil {
					b.Fatal(err)
				}
			}
			var m chat.Message
			for i := range 2000 {
				p, err := svc.Post(ctx, us[i%7], c.ID, chat.Draft{Text: "status update for the week"})
				if err != nil {
					b.Fatal(err)
				}
				if i == 1000 {
					m = p
				}
			}
			for i, u := range us {
				if i%2 == 0 {
					if err := svc.MarkRead(ctx, u, c.ID, ""); err != nil {
						b.Fatal(err)
					}
				}
			}
			r, err := svc.Receipts(ctx, m.Author, m.ID)
			if err != nil {
				b.Fatal(err)
			}
			if n := r.ReadCount + r.UnreadCount; n != 999 {
				b.Fatalf("got %d members counted, want 999", n)
			}
			var lat []time.Duration
			b.ReportAllocs()
			for b.Loop() {
				t := time.Now()
				if _, err := svc.Receipts(ctx, m.Author, m.ID); err != nil {
					b.Fatal(err)
				}
				lat = append(lat, time.Since(t))
			}
			slices.Sort(lat)
			b.ReportMetric(float64(lat[len(lat)/2])/1e3, "p50-µs")
			b.ReportMetric(float64(lat[len(lat)*99/100])/1e3, "p99-µs")
		})
	}
}
