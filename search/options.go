package search

import (
	"context"
	"fmt"
	"time"

	"github.com/workspace-go/workspace/store"
)

// Mapper turns one change-log record into index operations, which it
// passes to emit in order: none for a record that is not searchable, an
// Upsert for a created or edited record, a Delete for a removed one, and
// as many as a record needs (a permission change on a folder re-indexes
// every document below it). The indexer writes them in bleve batches of
// at most WithBatchSize operations as they come, so a Mapper may emit
// millions without holding them. It runs on the indexer's goroutine, in
// log order, and may read the store; it returns emit's error when emit
// fails.
//
// An error wrapping store.ErrUnavailable (store.Transient) is retried:
// the Mapper is called again for the same record, and re-emitting what it
// emitted before failing is harmless (upserts and deletes are
// idempotent). Any other error stops the indexer (Err, Sync and WaitFor
// then report it): return nil, not an error, for records the application
// chooses to skip.
type Mapper func(ctx context.Context, c store.Change, emit func(Op) error) error

// Enumerator yields every Document that should be in the index, for
// Rebuild. It stops and returns yield's error when yield fails.
type Enumerator func(ctx context.Context, yield func(Document) error) error

// Progress reports how far a Rebuild has come.
type Progress struct {
	// Docs is the number of documents indexed so far.
	Docs int
	// Done is true in the last report, after the new index replaced the
	// old one.
	Done bool
}

// Option configures New. New skips nil options; an option given a bad
// argument makes New fail with an error wrapping ErrInvalid.
type Option func(*options) error

// options is the configuration New builds from Options.
type options struct {
	path        string
	mapper      Mapper
	now         func() time.Time
	loc         *time.Location
	batch       int
	lockTimeout time.Duration
	rebuild     Enumerator
	progress    func(Progress)
	backoff     *store.Backoff
	namespace   string
}

func defaults() options {
	return options{
		now:         time.Now,
		loc:         time.UTC,
		batch:       5000,
		lockTimeout: time.Second,
	}
}

// WithPath keeps the index in the directory dir, creating it (and its
// parents) when absent. Beside it live "<dir>.lock", the lock held while
// the Index is open, and, during a Rebuild, "<dir>.rebuild". Default: "",
// an index in memory, lost on Close (for tests and ephemeral use).
func WithPath(dir string) Option {
	return func(c *options) error {
		c.path = dir
		return nil
	}
}

// WithMapper starts the change-log indexer: New starts a goroutine that
// tails the store's log from the checkpoint kept in the index and applies
// m's operations. Default: none; documents are added with Apply only.
func WithMapper(m Mapper) Option {
	return func(c *options) error {
		if m == nil {
			return fmt.Errorf("search: WithMapper(nil): %w", ErrInvalid)
		}
		c.mapper = m
		return nil
	}
}

// WithClock sets the clock used for the relative dates of queries (today,
// yesterday). Default: time.Now.
func WithClock(now func() time.Time) Option {
	return func(c *options) error {
		if now == nil {
			return fmt.Errorf("search: WithClock(nil): %w", ErrInvalid)
		}
		c.now = now
		return nil
	}
}

// WithLocation sets the time zone in which query dates (before:, after:,
// on:) are read. Default: UTC. A Request may override it.
func WithLocation(loc *time.Location) Option {
	return func(c *options) error {
		if loc == nil {
			return fmt.Errorf("search: WithLocation(nil): %w", ErrInvalid)
		}
		c.loc = loc
		return nil
	}
}

// WithBatchSize sets how many change records the indexer reads and
// indexes in one bleve batch, and how many documents Rebuild indexes per
// batch. Default: 5000 (20% faster than 1000 when catching up, in
// measurements; a live indexer's batches are as small as the trickle of
// changes).
func WithBatchSize(n int) Option {
	return func(c *options) error {
		if n <= 0 || n > MaxBatchSize {
			return fmt.Errorf("search: WithBatchSize(%d): want 1 to %d: %w", n, MaxBatchSize, ErrInvalid)
		}
		c.batch = n
		return nil
	}
}

// MaxBatchSize is the largest WithBatchSize.
const MaxBatchSize = 100_000

// WithLockTimeout sets how long New waits for an index directory held by
// another process before failing with ErrLocked. Default: one second.
func WithLockTimeout(d time.Duration) Option {
	return func(c *options) error {
		if d <= 0 {
			return fmt.Errorf("search: WithLockTimeout(%v): want a positive duration: %w", d, ErrInvalid)
		}
		c.lockTimeout = d
		return nil
	}
}

// WithNamespace names the namespace (tenant) of the store the index is
// built for, as given to store.Namespace. A new index records it; an
// index directory that records another, or none (one written before
// indexes recorded it, by analysis version 5 or older, which is rebuilt
// anyway), is refused with ErrNamespace, so that no tenant is ever served
// another tenant's index. Default: "", the whole store.
func WithNamespace(name string) Option {
	return func(c *options) error {
		if len(name) > 64 {
			return fmt.Errorf("search: WithNamespace: name of %d bytes, over 64: %w", len(name), ErrInvalid)
		}
		c.namespace = name
		return nil
	}
}

// WithBackoff sets how the indexer waits before retrying after a
// transient store or Mapper error (one wrapping store.ErrUnavailable):
// capped exponential backoff with jitter, and b.OnRetry is told of each
// retry. Default: nil, store.Backoff's defaults (50 ms doubling to 5 s).
func WithBackoff(b *store.Backoff) Option {
	return func(c *options) error {
		c.backoff = b
		return nil
	}
}

// WithRebuildIfLost makes New rebuild the index from enum when the
// directory is missing, empty, corrupt or written by another version of
// this package's analysis, instead of starting empty, failing with
// ErrCorrupt, or (for another version) replaying the change log; unlike
// a replay, it does not need a whole log. progress, if not nil, is
// called as documents are indexed.
func WithRebuildIfLost(enum Enumerator, progress func(Progress)) Option {
	return func(c *options) error {
		if enum == nil {
			return fmt.Errorf("search: WithRebuildIfLost(nil): %w", ErrInvalid)
		}
		c.rebuild, c.progress = enum, progress
		return nil
	}
}
