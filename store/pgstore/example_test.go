package pgstore_test

import (
	"context"
	"fmt"
	"log"
	"os"

	"github.com/workspace-go/workspace/store"
	"github.com/workspace-go/workspace/store/pgstore"
)

// Two application nodes open one database; what one commits, the other
// follows. (Not run: it needs a PostgreSQL server.)
func ExampleOpen() {
	ctx := context.Background()
	dsn := os.Getenv("WORKSPACE_PG_DSN")
	node1, err := pgstore.Open(ctx, dsn, &pgstore.Options{Schema: "myapp"})
	if err != nil {
		log.Fatal(err)
	}
	defer node1.Close()
	node2, err := pgstore.Open(ctx, dsn, &pgstore.Options{Schema: "myapp"})
	if err != nil {
		log.Fatal(err)
	}
	defer node2.Close()

	from, err := node2.Last(ctx)
	if err != nil {
		log.Fatal(err)
	}
	err = node1.Update(ctx, func(tx store.Tx) error {
		if err := tx.Put([]byte("greeting"), []byte("hello")); err != nil {
			return err
		}
		_, err := tx.Append("example", []byte("greeting set"))
		return err
	})
	if err != nil {
		log.Fatal(err)
	}
	fctx, stop := context.WithCancel(ctx)
	store.Follow(fctx, node2, from, func(c store.Change) error {
		fmt.Printf("%s: %s\n", c.Kind, c.Data)
		stop()
		return nil
	})
}
