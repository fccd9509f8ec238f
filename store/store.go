package store

import (
	"context"
	"iter"
)

// Limits every backend enforces, so that data written through one backend
// can be moved to another.
const (
	// MaxKeySize is the largest key, in bytes, a backend accepts.
	MaxKeySize = 4 << 10
	// MaxValueSize is the largest value, in bytes, a backend accepts.
	MaxValueSize = 64 << 20
	// MaxKindSize is the longest change kind, in bytes.
	MaxKindSize = 255
)

// Store is an ordered, transactional key-value store with a durable change
// log. It is the contract every backend implements (memstore, boltstore,
// pgstore) and every feature package is written against.
//
// Implementations are safe for concurrent use by multiple goroutines.
type Store interface {
	// View runs fn in a read-only transaction over a consistent snapshot:
	// nothing committed after View started is visible inside it. Writes
	// inside fn fail with ErrReadOnly. View returns fn's error.
	View(ctx context.Context, fn func(Tx) error) error

	// Update runs fn in a read-write transaction. The transaction commits
	// if and only if fn returns nil; otherwise nothing fn did is kept and
	// Update returns fn's error unchanged (so errors.Is works on it).
	//
	// fn may be called more than once for one Update (a backend may retry
	// after a serialization failure, or re-run a function whose commit group
	// failed): it must have no effects outside the transaction that matter
	// if repeated, and must not keep keys or values past its return.
	//
	// When Update returns nil the change is durable (as durable as the
	// backend's options say) and its change records are visible to readers
	// of the log.
	Update(ctx context.Context, fn func(Tx) error) error

	// Changes returns committed change records with Seq > after, in Seq
	// order, at most limit of them (limit <= 0 means a backend default of
	// at least 100). next is the position to pass as after in the following
	// call; it may be greater than the last record's Seq when records were
	// examined and skipped (a namespace view skips other namespaces'
	// records). Changes never blocks waiting for new records: see Wait.
	//
	// Readers see records in commit order and never see a record appear
	// below a position they have already passed.
	Changes(ctx context.Context, after uint64, limit int) (recs []Change, next uint64, err error)

	// Wait blocks until the log holds a committed record with Seq > after,
	// or ctx ends, and returns the highest committed Seq. It returns
	// immediately when such a record already exists.
	Wait(ctx context.Context, after uint64) (last uint64, err error)

	// Last returns the highest committed Seq, or 0 when nothing was ever
	// appended. A consumer that wants only future records starts from it.
	Last(ctx context.Context) (uint64, error)

	// Trim removes change records with Seq < below. Records at or above it
	// are kept. Trimming a position no consumer has passed loses changes for
	// that consumer: the caller decides (see the package doc).
	Trim(ctx context.Context, below uint64) error

	// Close releases the store. Calls after Close return ErrClosed; a Wait
	// blocked in another goroutine returns ErrClosed. Close is idempotent.
	Close() error
}

// Tx is a transaction, valid only inside the function passed to View or
// Update, and only on the goroutine running that function.
//
// Keys and values returned by Get and Scan are valid only until the
// transaction ends and must not be modified: copy them to keep them.
// Put and Append copy their arguments, so the caller may reuse them.
type Tx interface {
	// Get returns the value stored at key, or an error wrapping ErrNotFound.
	Get(key []byte) ([]byte, error)

	// Put stores value at key, replacing any previous value. An empty key,
	// a nil value or one over the size limits fails with ErrInvalid.
	Put(key, value []byte) error

	// Delete removes key. Deleting an absent key is not an error.
	Delete(key []byte) error

	// Scan yields the keys in r in ascending byte order (descending when
	// r.Reverse), with their values, at most r.Limit of them when it is
	// positive. Breaking out of the loop stops the scan. Writing to the
	// transaction during a scan is allowed; whether the scan sees the write
	// is unspecified.
	//
	// An error during the scan (a cancelled context, a backend failure)
	// ends it early and is returned by every later call on the transaction
	// and by View or Update, so a half-read result is never committed.
	Scan(r Range) iter.Seq2[[]byte, []byte]

	// Append adds a change record of the given kind to the log, committed
	// with the transaction. kind names the writer ("chat", "task", ...) so
	// consumers can pick the records they understand. It returns the
	// record's sequence number, which becomes visible to readers when (and
	// only if) the transaction commits.
	Append(kind string, data []byte) (seq uint64, err error)

	// Rewrite replaces the data of the change record at seq with data,
	// keeping its Seq and Kind, committed with the transaction (and rolled
	// back with it). It is how a purge removes what the log still carries:
	// after the commit, readers of the log see only the new data, and
	// nothing of the old data remains readable from the store; a reader
	// that read the record before keeps its copy. The record may be one
	// committed earlier or one appended earlier in this transaction.
	//
	// Rewrite fails with an error wrapping ErrNotFound when seq is not in
	// the log (never written, trimmed away, or, through a Namespace view,
	// another namespace's record), with ErrReadOnly inside View, and with
	// ErrInvalid (ErrTooLarge) for data over the limit Append has. data is
	// copied.
	Rewrite(seq uint64, data []byte) error
}

// PrefixRewriter is a Tx that can confine Rewrite to the records whose
// kind begins with a prefix. A [Namespace] view rewrites through it, so
// that it reaches only its own records: RewritePrefix fails with
// ErrNotFound for a record whose kind does not begin with kindPrefix (or
// is kindPrefix itself, when kindPrefix is not empty), and is otherwise
// Rewrite. Every backend of this module implements it; Rewrite through a
// namespace over a backend that does not fails with ErrInvalid.
type PrefixRewriter interface {
	RewritePrefix(seq uint64, kindPrefix string, data []byte) error
}

// HasKindPrefix reports whether a change record of the given kind belongs
// under kindPrefix, as PrefixRewriter means it: any kind for the empty
// prefix, else a kind that begins with kindPrefix and is longer.
func HasKindPrefix(kind, kindPrefix string) bool {
	return kindPrefix == "" || len(kind) > len(kindPrefix) && kind[:len(kindPrefix)] == kindPrefix
}

// Change is one committed record of the change log.
type Change struct {
	// Seq is the record's position: strictly increasing in the order
	// readers see records. A backend may leave gaps (pgstore does, for
	// rolled-back transactions); memstore and boltstore do not.
	Seq uint64
	// Kind names the package that wrote it ("chat", "task", ...).
	Kind string
	// Data is the record, encoded by the package that wrote it. It belongs
	// to the caller.
	Data []byte
}

// Range selects keys for Tx.Scan: Start <= key < End, where a nil Start
// means from the first key and a nil End means to the last.
type Range struct {
	Start   []byte // inclusive; nil: unbounded
	End     []byte // exclusive; nil: unbounded
	Reverse bool   // descending order, from End down to Start
	Limit   int    // at most this many pairs; <= 0: no limit
}

// Prefix returns the range of all keys that begin with p.
func Prefix(p []byte) Range {
	return Range{Start: p, End: PrefixEnd(p)}
}

// PrefixEnd returns the smallest key greater than every key that begins
// with p, or nil when there is none (p is empty or all 0xff).
func PrefixEnd(p []byte) []byte {
	end := append([]byte(nil), p...)
	for i := len(end) - 1; i >= 0; i-- {
		if end[i] < 0xff {
			end[i]++
			return end[:i+1]
		}
	}
	return nil
}
