// Package store defines the storage contract every part of workspace is
// written against: an ordered, transactional key-value store with a durable
// change log.
//
// The contract lives here; implementations live beside it:
// [github.com/workspace-go/workspace/store/memstore] (in memory, for tests),
// [github.com/workspace-go/workspace/store/boltstore] (an embedded bbolt
// file, the default) and
// [github.com/workspace-go/workspace/store/pgstore] (PostgreSQL, for several
// application nodes). [github.com/workspace-go/workspace/store/storetest]
// is the conformance suite each of them passes unchanged.
//
// # Keys and values
//
// Keys are byte strings ordered lexicographically (bytes.Compare). Each
// feature package owns a prefix ("chat/", "task/", ...) and lays out its
// keys so that key order is query order. Keys are 1 to [MaxKeySize] bytes;
// values are non-nil and at most [MaxValueSize] bytes.
//
// # Transactions
//
// [Store.View] gives a consistent snapshot; [Store.Update] commits all of
// its writes and change records or none of them. Every mutation a feature
// package makes — the record, its secondary indexes and its change record —
// is one Update, so nothing is ever half-written, on any backend.
//
// # The change log
//
// [Tx.Append] adds a record to the log in the same transaction as the data
// it describes. Records get strictly increasing sequence numbers and become
// visible to [Store.Changes] in commit order, only once committed; a
// reader never sees a record appear behind a position it has passed.
// [Store.Wait] blocks until something new is committed, and [Follow] tails
// the log. Search indexing, live chat events, reminders and other
// application nodes on the same database all learn of writes this way.
//
// [Tx.Rewrite] replaces the data of a record already in the log, keeping
// its position and kind, in the same transaction as the change it serves:
// a purge rewrites (redacts) the records that carry the purged text, so
// that it leaves the log too. Followers that had read the record keep
// what they read; the application that purges also purges what its
// followers derived (a search index, say).
//
// The log grows until [Store.Trim] removes records below a position. Only
// the application knows which consumers exist, so trimming is its call:
// trim below the lowest checkpoint of every consumer.
//
// # Namespaces
//
// [Namespace] returns a view of a store confined to one prefix: its keys,
// its change records. A tenant's services run over its namespace, so
// isolation is a matter of structure, not of a filter someone can forget.
//
// # Errors
//
// Every backend reports the same conditions with the same sentinels:
// [ErrNotFound] for an absent key, [ErrInvalid] for bad input (empty keys,
// nil values, oversized records), [ErrReadOnly] for a write inside View,
// [ErrClosed] after Close. Callers test them with errors.Is.
//
// # Concurrency
//
// Stores are safe for concurrent use. A Tx is not: it belongs to the
// goroutine running the function it was passed to, and is invalid once
// that function returns.
//
// # Cancellation
//
// Every method that takes a context returns promptly with an error wrapping
// ctx.Err() once the context is done. An Update whose context ends before it
// commits does not commit.
//
// # Caveats
//
// Keys and values returned inside a transaction are valid only for the life
// of the transaction (with bbolt they point into the memory-mapped file);
// copy them to keep them. The function passed to Update may run more than
// once: keep side effects out of it.
package store
