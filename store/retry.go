package store

import (
	"context"
	"math/rand/v2"
	"time"
)

// Backoff says how a follower of the change log waits between attempts
// after a transient error ([Transient]): capped exponential backoff with
// full jitter, so that many followers that lost the same database do not
// come back in step. A nil *Backoff, and zero fields, mean the defaults.
//
// Every follower of the change log in the library (the search indexer,
// live subscriptions, the event stream, webhooks) retries through a
// Backoff: a transient error is retried from the follower's last durable
// position; any other error stops the follower and is reported.
//
// A Backoff is read-only once in use and may be shared by goroutines.
type Backoff struct {
	// Min is the first wait; 0 means 50 ms.
	Min time.Duration
	// Max caps the wait; 0 means 5 s.
	Max time.Duration
	// OnRetry, when set, is told of every transient error, with the number
	// of the attempt that failed (from 1) and the wait before the next.
	OnRetry func(err error, attempt int, wait time.Duration)
	// Sleep waits d or until ctx ends (returning ctx.Err()); nil means a
	// timer. Tests inject one to run without real waits.
	Sleep func(ctx context.Context, d time.Duration) error
	// Jitter returns a number in [0, 1) that scales each wait; nil means
	// math/rand/v2.
	Jitter func() float64
}

// DefaultMinBackoff and DefaultMaxBackoff are the waits of a zero Backoff.
const (
	DefaultMinBackoff = 50 * time.Millisecond
	DefaultMaxBackoff = 5 * time.Second
)

// wait returns the pause after the attempt-th consecutive failure (from 1):
// a random duration in [d/2, d) where d = Min·2^(attempt-1), capped at Max.
func (b *Backoff) wait(attempt int) time.Duration {
	lo, hi := DefaultMinBackoff, DefaultMaxBackoff
	jitter := rand.Float64
	if b != nil {
		if b.Min > 0 {
			lo = b.Min
		}
		if b.Max > 0 {
			hi = b.Max
		}
		if b.Jitter != nil {
			jitter = b.Jitter
		}
	}
	d := lo
	for i := 1; i < attempt && d < hi; i++ {
		d *= 2
	}
	d = min(d, hi)
	return d/2 + time.Duration(jitter()*float64(d/2))
}

// pause reports err to OnRetry and sleeps before attempt+1.
func (b *Backoff) pause(ctx context.Context, err error, attempt int) error {
	d := b.wait(attempt)
	if b != nil && b.OnRetry != nil {
		b.OnRetry(err, attempt, d)
	}
	if b != nil && b.Sleep != nil {
		return b.Sleep(ctx, d)
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Retry calls fn until it returns nil or an error that is not transient,
// and returns that. After a transient error it waits as b says and calls
// fn again; when ctx ends during a wait it returns ctx.Err(). Retry runs on
// the caller's goroutine.
func (b *Backoff) Retry(ctx context.Context, fn func() error) error {
	for attempt := 1; ; attempt++ {
		err := fn()
		if err == nil || !Transient(err) {
			return err
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if err := b.pause(ctx, err, attempt); err != nil {
			return err
		}
	}
}

// Retry is [Backoff.Retry] with the default backoff.
func Retry(ctx context.Context, fn func() error) error {
	var b *Backoff
	return b.Retry(ctx, fn)
}

// Follow calls fn for every change record with Seq > after, in order,
// waiting for new records as they are committed, until ctx ends (it then
// returns ctx.Err()), the store is closed, or fn or the store returns an
// error that is not transient (which Follow returns). It is the building
// block of indexers and live subscriptions.
//
// A transient error ([Transient]) from the store or from fn is retried
// after b's waits, from the last record fn accepted: the record fn failed
// on is given to it again, and no record is skipped or given twice after
// fn accepted it. The run of failures is counted anew after any progress.
//
// Follow runs on the caller's goroutine and starts none.
func (b *Backoff) Follow(ctx context.Context, st Store, after uint64, fn func(Change) error) error {
	failures := 0
	retry := func(err error) error {
		if !Transient(err) || ctx.Err() != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			return err
		}
		failures++
		return b.pause(ctx, err, failures)
	}
	for {
		recs, next, err := st.Changes(ctx, after, 0)
		if err != nil {
			if err := retry(err); err != nil {
				return err
			}
			continue
		}
		var ferr error
		for _, c := range recs {
			if ferr = fn(c); ferr != nil {
				break
			}
			after = c.Seq
			failures = 0
		}
		if ferr != nil {
			if err := retry(ferr); err != nil {
				return err
			}
			continue
		}
		if len(recs) > 0 || next > after {
			failures = 0
		}
		if len(recs) == 0 && next <= after {
			if _, err := st.Wait(ctx, after); err != nil {
				if err := retry(err); err != nil {
					return err
				}
			}
			continue
		}
		if next > after {
			after = next
		}
	}
}

// Follow is [Backoff.Follow] with the default backoff.
func Follow(ctx context.Context, st Store, after uint64, fn func(Change) error) error {
	var b *Backoff
	return b.Follow(ctx, st, after, fn)
}
