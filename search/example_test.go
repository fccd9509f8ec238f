package search_test

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/workspace-go/workspace/search"
	"github.com/workspace-go/workspace/store"
	"github.com/workspace-go/workspace/store/memstore"
)

// post is the change record of a small application's messages.
type post struct {
	ID, Conv, Author, Text string
	At                     time.Time
}

func Example() {
	ctx := context.Background()
	st := memstore.New()
	defer st.Close()

	// The application maps its change records to Documents; the access
	// key of a message is its conversation's.
	mapper := func(ctx context.Context, c store.Change, emit func(search.Op) error) error {
		if c.Kind != "app" {
			return nil
		}
		var p post
		if err := json.Unmarshal(c.Data, &p); err != nil {
			return err
		}
		return emit(search.Upsert(search.Document{
			Kind: search.KindMessage, ID: p.ID, Container: p.Conv, Author: p.Author,
			Body: p.Text, Time: p.At, AccessKeys: []string{"conv:" + p.Conv},
		}))
	}
	ix, err := search.New(context.Background(), st, search.WithMapper(mapper))
	if err != nil {
		fmt.Println(err)
		return
	}
	defer ix.Close()

	at := time.Date(2025, 3, 14, 9, 0, 0, 0, time.UTC)
	for _, p := range []post{
		{"m1", "sales", "alice", "报价单明天发给客户 please review", at},
		{"m2", "board", "bob", "董事会的报价单 is confidential", at.Add(time.Hour)},
		{"m3", "sales", "bob", "客户说报价单OK了", at.Add(2 * time.Hour)},
	} {
		data, _ := json.Marshal(p)
		st.Update(ctx, func(tx store.Tx) error {
			_, err := tx.Append("app", data)
			return err
		})
	}
	if err := ix.Sync(ctx); err != nil { // wait until the index has caught up
		fmt.Println(err)
		return
	}

	// Carol is in the sales conversation only.
	res, err := ix.Search(ctx, "carol", search.Request{
		Query: "报价单 客户",
		Keys:  []string{"user:carol", "conv:sales"},
		Sort:  search.ByNewest,
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("total:", res.Total, res.Kinds)
	for _, h := range res.Items {
		fmt.Println(h.ID, h.Author, h.Highlights)
	}
	// Output:
	// total: 2 map[message:2]
	// m3 bob [<mark>客户</mark>说<mark>报价单</mark>OK了]
	// m1 alice [<mark>报价单</mark>明天发给<mark>客户</mark> please review]
}

// English words are found in all their forms, and highlights mark the
// words as written.
func Example_stemming() {
	ctx := context.Background()
	ix, err := search.New(context.Background(), nil) // in memory, fed with Apply
	if err != nil {
		fmt.Println(err)
		return
	}
	defer ix.Close()
	at := time.Date(2025, 3, 14, 9, 0, 0, 0, time.UTC)
	for i, text := range []string{
		"Deployed v2 to staging",
		"still deploying, 上线 after lunch",
		"weekly reports are due",
		"who deploys on Fridays?",
	} {
		err := ix.Apply(ctx, search.Upsert(search.Document{
			Kind: search.KindMessage, ID: fmt.Sprint("m", i+1), Body: text,
			Time: at.Add(time.Duration(i) * time.Minute), AccessKeys: []string{"conv:ops"},
		}))
		if err != nil {
			fmt.Println(err)
			return
		}
	}
	for _, q := range []string{"deploy", "report", `"deploying 上线"`} {
		res, err := ix.Search(ctx, "alice", search.Request{Query: q, Keys: []string{"conv:ops"}, Sort: search.ByOldest})
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Println(q)
		for _, h := range res.Items {
			fmt.Println(" ", h.ID, h.Highlights)
		}
	}
	// Output:
	// deploy
	//   m1 [<mark>Deployed</mark> v2 to staging]
	//   m2 [still <mark>deploying</mark>, 上线 after lunch]
	//   m4 [who <mark>deploys</mark> on Fridays?]
	// report
	//   m3 [weekly <mark>reports</mark> are due]
	// "deploying 上线"
	//   m2 [still <mark>deploying</mark>, <mark>上线</mark> after lunch]
}
