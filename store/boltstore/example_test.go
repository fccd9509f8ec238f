package boltstore_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/workspace-go/workspace/store"
	"github.com/workspace-go/workspace/store/boltstore"
)

func ExampleOpen() {
	dir, _ := os.MkdirTemp("", "boltstore-example-")
	defer os.RemoveAll(dir)
	ctx := context.Background()

	db, err := boltstore.Open(filepath.Join(dir, "data.db"), nil) // nil: fsync on, 1 s lock timeout
	if err != nil {
		panic(err)
	}
	defer db.Close()
	err = db.Update(ctx, func(tx store.Tx) error {
		return tx.Put([]byte("greeting"), []byte("你好"))
	})
	if err != nil {
		panic(err)
	}
	// A second opener of the same file fails fast instead of hanging.
	_, err = boltstore.Open(filepath.Join(dir, "data.db"), &boltstore.Options{Timeout: 50 * time.Millisecond})
	fmt.Println("second open locked out:", errors.Is(err, boltstore.ErrLocked))
	db.View(ctx, func(tx store.Tx) error {
		v, _ := tx.Get([]byte("greeting"))
		fmt.Println(string(v))
		return nil
	})
	// Output:
	// second open locked out: true
	// 你好
}
