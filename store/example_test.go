package store_test

import (
	"context"
	"fmt"

	"github.com/workspace-go/workspace/store"
	"github.com/workspace-go/workspace/store/memstore"
)

// Every mutation writes its record and its change record in one
// transaction; a follower reads the log in order.
func Example() {
	ctx := context.Background()
	st := memstore.New()
	defer st.Close()

	for _, name := range []string{"ann", "bob"} {
		err := st.Update(ctx, func(tx store.Tx) error {
			if err := tx.Put([]byte("user/"+name), []byte(name)); err != nil {
				return err
			}
			_, err := tx.Append("users", []byte("created "+name))
			return err
		})
		if err != nil {
			panic(err)
		}
	}
	st.View(ctx, func(tx store.Tx) error {
		for k, v := range tx.Scan(store.Prefix([]byte("user/"))) {
			fmt.Printf("%s = %s\n", k, v)
		}
		return nil
	})
	recs, _, _ := st.Changes(ctx, 0, 10)
	for _, c := range recs {
		fmt.Println(c.Seq, c.Kind, string(c.Data))
	}
	// Output:
	// user/ann = ann
	// user/bob = bob
	// 1 users created ann
	// 2 users created bob
}

// Tenants sharing one store cannot see each other's keys or changes.
func ExampleNamespace() {
	ctx := context.Background()
	st := memstore.New()
	defer st.Close()
	acme, _ := store.Namespace(st, "acme")
	globex, _ := store.Namespace(st, "globex")

	acme.Update(ctx, func(tx store.Tx) error {
		tx.Append("notes", []byte("acme's"))
		return tx.Put([]byte("plan"), []byte("acme's plan"))
	})
	globex.View(ctx, func(tx store.Tx) error {
		_, err := tx.Get([]byte("plan"))
		fmt.Println("globex reads acme's plan:", err)
		return nil
	})
	recs, _, _ := globex.Changes(ctx, 0, 10)
	fmt.Println("globex sees changes:", len(recs))
	// Output:
	// globex reads acme's plan: memstore: key "ns/globex/plan": not found
	// globex sees changes: 0
}
