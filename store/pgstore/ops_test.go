package pgstore_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/workspace-go/workspace/store"
)

func TestTrimInChunks(t *testing.T) {
	dsn(t)
	ctx := context.Background()
	db := open(t, nil)
	const n = 25_000 // more than one trim chunk
	var seqs []uint64
	err := db.Update(ctx, func(tx store.Tx) error {
		seqs = seqs[:0]
		for i := range n {
			seq, err := tx.Append("test", []byte(fmt.Sprint(i)))
			if err != nil {
				return err
			}
			seqs = append(seqs, seq)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	cut := seqs[n-5]
	if err := db.Trim(ctx, cut); err != nil {
		t.Fatal(err)
	}
	recs, _, err := db.Changes(ctx, 0, 0)
	if err != nil || len(recs) != 5 || recs[0].Seq != cut {
		t.Errorf("after Trim(%d): %d records from %v, %v; want the last 5", cut, len(recs), recs[0].Seq, err)
	}
	if last, _ := db.Last(ctx); last != seqs[n-1] {
		t.Errorf("Last = %d; want %d", last, seqs[n-1])
	}
}

func TestViewCancelledMidScan(t *testing.T) {
	dsn(t)
	db := open(t, nil)
	err := db.Update(context.Background(), func(tx store.Tx) error {
		for i := range 2000 {
			if err := tx.Put([]byte(fmt.Sprintf("k%05d", i)), []byte("v")); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	n := 0
	err = db.View(ctx, func(tx store.Tx) error {
		for range tx.Scan(store.Range{}) {
			n++
			if n == 10 {
				cancel()
			}
		}
		return nil
	})
	if !errors.Is(err, context.Canceled) || n >= 2000 {
		t.Errorf("View cancelled during a scan: %d keys, %v; want it to stop early with context.Canceled", n, err)
	}
	// The store stays usable.
	err = db.View(context.Background(), func(tx store.Tx) error {
		_, err := tx.Get([]byte("k00001"))
		return err
	})
	if err != nil {
		t.Errorf("View after a cancelled one: %v", err)
	}
}

func TestWaitEndsOnLostSchema(t *testing.T) {
	dsn(t)
	db := open(t, nil)
	if _, err := db.Pool().Exec(context.Background(), "DROP SCHEMA "+pgx.Identifier{db.Schema()}.Sanitize()+" CASCADE"); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	_, err := db.Wait(ctx, 0)
	if err == nil || errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("Wait on a dropped schema: %v; want the database's error at once", err)
	}
}

func TestCloseDuringAGroup(t *testing.T) {
	dsn(t)
	ctx := context.Background()
	db := open(t, nil)
	running, release := make(chan struct{}), make(chan struct{})
	first := make(chan error)
	go func() {
		first <- db.Update(ctx, func(tx store.Tx) error {
			close(running)
			<-release
			return tx.Put([]byte("first"), []byte("x"))
		})
	}()
	<-running
	queued := make(chan error)
	go func() {
		queued <- db.Update(ctx, func(tx store.Tx) error { return tx.Put([]byte("queued"), []byte("x")) })
	}()
	closed := make(chan error)
	go func() { closed <- db.Close() }()
	// Wait until Close has marked the store closed, then let the running
	// group finish.
	for {
		if _, err := db.Last(ctx); errors.Is(err, store.ErrClosed) {
			break
		}
		time.Sleep(time.Millisecond)
	}
	close(release)
	if err := <-first; err != nil {
		t.Errorf("the update running at Close: %v; want it committed", err)
	}
	// The second update queued behind the running group: Close fails it.
	if err := <-queued; !errors.Is(err, store.ErrClosed) {
		t.Errorf("the update queued at Close: %v; want ErrClosed", err)
	}
	if err := <-closed; err != nil {
		t.Errorf("Close: %v", err)
	}
}
