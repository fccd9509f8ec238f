// Package memstore is the in-memory implementation of [store.Store]: the
// reference backend, and the one tests of applications built on workspace
// run on.
//
// # Design
//
// Keys live in a skip list (list.go), each with a chain of versions, newest
// first, stamped with the commit that wrote them. A View reads as of the
// commit that was newest when it began: for each key it takes the first
// version not newer than that. It takes no lock and never blocks a writer.
//
// Writers are serialized. A write transaction puts its versions straight
// into the list, stamped with the next commit number, which no reader has
// yet; committing publishes the number, and rolling back (on an error, a
// panic or a cancelled context) takes the versions out again. A second
// write to a key in one transaction replaces the first in place.
//
// Under contention, Updates do not take turns at a lock: they queue, and
// one writer goroutine runs them back to back, each still a transaction of
// its own (queue.go). The goroutine exists only while the queue is
// non-empty, so an idle Store has none.
//
// A version no open View can read is unlinked when its key is next
// written; a key whose last version is a deletion leaves the list once no
// View predates the deletion (snapshots.go tracks the open Views). Point
// reads go through a direct-mapped cache of the nodes they found
// (cache.go). The change log (log.go) keeps records in large byte chunks,
// with no pointer per record for the garbage collector to trace.
//
// # Errors
//
// memstore never reports a transient error ([store.Transient] is false for
// everything it returns): it has no connection, disk or server to lose.
// Its errors are bad input (store.ErrInvalid and the errors wrapping it),
// an absent key (store.ErrNotFound), the caller's context ending, and
// store.ErrClosed after Close.
//
// # Concurrency
//
// A Store is safe for concurrent use. Readers never wait for writers, nor
// writers for readers.
//
// # Caveats
//
// Nothing is persisted: the data is gone when the process exits. Values
// returned by Get and Scan are shared with the store and must not be
// modified. A long-running View keeps alive every version it can read,
// and every key deleted since it began. A key's first value shares its
// allocation with the key, so it is freed with the key, not when
// overwritten.
package memstore
