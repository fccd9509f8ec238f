package workspace_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/workspace-go/workspace"
	"github.com/workspace-go/workspace/chat"
	"github.com/workspace-go/workspace/docacl"
	"github.com/workspace-go/workspace/search"
)

// BenchmarkSearchAs measures a search with the keys computed at query
// time: a user in 50 conversations (plus 20 public channels) who may view
// 1,000 of 2,000 documents, over 20,000 messages.
//
//	go test -run='^$' -bench=SearchAs -benchtime=500x .
func BenchmarkSearchAs(b *testing.B) {
	ctx := context.Background()
	ws, err := workspace.Open(ctx, workspace.Options{InMemory: true, Admins: []string{"admin"}})
	if err != nil {
		b.Fatal(err)
	}
	defer ws.Close()
	addPeople(b, ws, "owner", "me")
	words := []string{"报价单", "客户", "deck", "launch", "预算", "review", "投放", "campaign"}
	var convs []string
	for i := range 70 {
		var c chat.Conversation
		if i < 50 {
			c, err = ws.Chat.CreateGroup(ctx, "owner", chat.GroupOptions{Name: fmt.Sprintf("g%d", i), Members: []string{"me"}})
		} else {
			c, err = ws.Chat.CreateChannel(ctx, "owner", chat.ChannelOptions{Name: fmt.Sprintf("c%d", i)})
		}
		if err != nil {
			b.Fatal(err)
		}
		convs = append(convs, c.ID)
	}
	for i := range 20_000 {
		text := fmt.Sprintf("%s %s message %d 第%d条", words[i%len(words)], words[(i/8)%len(words)], i, i)
		if _, err := ws.Chat.Post(ctx, "owner", convs[i%len(convs)], chat.Draft{Text: text}); err != nil {
			b.Fatal(err)
		}
	}
	for i := range 2000 {
		d, err := ws.Docs.Create(ctx, "owner", docacl.Resource{Kind: docacl.Document, Name: fmt.Sprintf("%s plan %d", words[i%len(words)], i)})
		if err != nil {
			b.Fatal(err)
		}
		if i%2 == 0 {
			ws.Docs.Grant(ctx, "owner", d.ID, docacl.UserKey("me"), docacl.Viewer, docacl.GrantOptions{})
		}
	}
	if err := ws.Sync(ctx); err != nil {
		b.Fatal(err)
	}
	keys, _ := ws.KeysFor(ctx, "me")
	b.Run("KeysFor", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := ws.KeysFor(ctx, "me"); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(len(keys)), "keys")
	})
	b.Run("SearchAs", func(b *testing.B) {
		var lat []time.Duration
		b.ReportAllocs()
		for b.Loop() {
			t0 := time.Now()
			res, err := ws.SearchAs(ctx, "me", search.Request{Query: "报价单 客户", Sort: search.ByNewest})
			if err != nil || res.Total == 0 {
				b.Fatal(res, err)
			}
			lat = append(lat, time.Since(t0))
		}
		slices.Sort(lat)
		b.ReportMetric(float64(len(keys)), "keys")
		b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
	})
}
