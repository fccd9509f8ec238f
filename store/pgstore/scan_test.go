package pgstore_test

import (
	"context"
	"fmt"
	"math/rand"
	"slices"
	"testing"

	"github.com/workspace-go/workspace/store"
)

// TestScanAcrossPages checks Scan against a model over ranges spanning
// several pages, in both directions, with limits, and inside an Update
// whose overlay adds and deletes keys on every page.
func TestScanAcrossPages(t *testing.T) {
	dsn(t)
	ctx := context.Background()
	db := open(t, nil)
	r := rand.New(rand.NewSource(1))
	model := map[string]string{}
	err := db.Update(ctx, func(tx store.Tx) error {
		for i := range 1200 {
			k := fmt.Sprintf("k%05d", i*2)
			model[k] = "stored"
			if err := tx.Put([]byte(k), []byte("stored")); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	expect := func(m map[string]string, rg store.Range) []string {
		var keys []string
		for k := range m {
			if (rg.Start == nil || k >= string(rg.Start)) && (rg.End == nil || k < string(rg.End)) {
				keys = append(keys, k)
			}
		}
		slices.Sort(keys)
		if rg.Reverse {
			slices.Reverse(keys)
		}
		if rg.Limit > 0 && len(keys) > rg.Limit {
			keys = keys[:rg.Limit]
		}
		var out []string
		for _, k := range keys {
			out = append(out, k+"="+m[k])
		}
		return out
	}
	collect := func(tx store.Tx, rg store.Range) []string {
		var out []string
		for k, v := range tx.Scan(rg) {
			out = append(out, string(k)+"="+string(v))
		}
		return out
	}
	ranges := []store.Range{{}, {Reverse: true}, {Limit: 300}, {Reverse: true, Limit: 700}}
	for range 6 {
		a, b := fmt.Sprintf("k%05d", r.Intn(2400)), fmt.Sprintf("k%05d", r.Intn(2400))
		if a > b {
			a, b = b, a
		}
		ranges = append(ranges, store.Range{Start: []byte(a), End: []byte(b), Reverse: r.Intn(2) == 0, Limit: r.Intn(3) * 200})
	}
	t.Run("a view pages through ranges like the model", func(t *testing.T) {
		err := db.View(ctx, func(tx store.Tx) error {
			for _, rg := range ranges {
				if got, want := collect(tx, rg), expect(model, rg); !slices.Equal(got, want) {
					t.Errorf("Scan(%q..%q rev=%v limit=%d): got %d pairs, want %d", rg.Start, rg.End, rg.Reverse, rg.Limit, len(got), len(want))
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	})
	t.Run("an update's scans merge its writes on every page", func(t *testing.T) {
		over := map[string]string{}
		for k, v := range model {
			over[k] = v
		}
		err := db.Update(ctx, func(tx store.Tx) error {
			for range 400 {
				k := fmt.Sprintf("k%05d", r.Intn(2400))
				if r.Intn(2) == 0 {
					delete(over, k)
					if err := tx.Delete([]byte(k)); err != nil {
						return err
					}
				} else {
					over[k] = "new"
					if err := tx.Put([]byte(k), []byte("new")); err != nil {
						return err
					}
				}
			}
			for _, rg := range ranges {
				if got, want := collect(tx, rg), expect(over, rg); !slices.Equal(got, want) {
					t.Errorf("Scan(%q..%q rev=%v limit=%d) in update: got %d pairs, want %d", rg.Start, rg.End, rg.Reverse, rg.Limit, len(got), len(want))
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		err = db.View(ctx, func(tx store.Tx) error {
			if got, want := collect(tx, store.Range{}), expect(over, store.Range{}); !slices.Equal(got, want) {
				t.Errorf("after commit: got %d pairs, want %d", len(got), len(want))
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	})
}

func TestLimitedScanOverDeletionsReadsOnePage(t *testing.T) {
	db, scans := openCounting(t, "SELECT k, v FROM")
	ctx := context.Background()
	key := func(i int) []byte { return fmt.Appendf(nil, "k%05d", i) }
	err := db.Update(ctx, func(tx store.Tx) error {
		for i := range 1100 {
			if err := tx.Put(key(i), []byte("v")); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	scans.n.Store(0)
	const rounds = 50
	err = db.Update(ctx, func(tx store.Tx) error {
		for i := range rounds {
			// Delete 3 keys in 4 from i*20 on: a scan of 10 from there
			// must skip 30 stored rows.
			for j := range 40 {
				if j%4 != 3 {
					if err := tx.Delete(key(i*20 + j)); err != nil {
						return err
					}
				}
			}
			var got []string
			for k := range tx.Scan(store.Range{Start: key(i * 20), Limit: 10}) {
				got = append(got, string(k))
			}
			if len(got) != 10 || got[0] != string(key(i*20+3)) || got[9] != string(key(i*20+39)) {
				return fmt.Errorf("scan %d: got %q; want 10 keys from %s to %s", i, got, key(i*20+3), key(i*20+39))
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if got := scans.n.Load(); got > rounds {
		t.Errorf("%d limited scans over the transaction's deletions ran %d queries; want one each", rounds, got)
	}
}
