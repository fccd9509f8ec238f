package store

import "context"

// Follow calls fn for every change record with Seq > after, in order,
// waiting for new records as they are committed, until ctx ends (it then
// returns ctx.Err()), the store is closed, or fn returns an error (which
// Follow returns). It is the building block of indexers and live
// subscriptions.
//
// Follow runs on the caller's goroutine and starts none.
func Follow(ctx context.Context, st Store, after uint64, fn func(Change) error) error {
	for {
		recs, next, err := st.Changes(ctx, after, 0)
		if err != nil {
			return err
		}
		for _, c := range recs {
			if err := fn(c); err != nil {
				return err
			}
		}
		if len(recs) == 0 && next <= after {
			if _, err := st.Wait(ctx, after); err != nil {
				return err
			}
			continue
		}
		if next > after {
			after = next
		}
	}
}
