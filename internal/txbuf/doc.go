// Package txbuf is the write buffer of the backends that commit in groups
// (boltstore and pgstore): a [Tx] that checks every argument against the
// store contract once, keeps its writes, change records and rewrites in a
// [Set] until the backend commits them, and reads through the set into
// the backend's stored state, a [Base]. A backend supplies the Base (a
// few reads: a key, a range as a [Cursor], a change record's kind, a
// sequence number) and applies the Sets of the functions that returned
// nil; the rest of store.Tx lives here, so the two backends cannot drift
// apart in what they accept or how they merge a transaction's writes
// into its reads.
//
// A Set keeps its writes in key order (a two-level B+-tree), so a Put or
// Get of the buffer costs O(log n) and a Scan merges only the buffered
// writes in its range, read lazily: O(log n + k) for k of them, however
// many writes and scans one transaction interleaves.
//
// # Concurrency
//
// Neither a Tx nor a Set nor a Cursor is safe for concurrent use: they
// belong to the goroutine running one transaction (the committer, in
// Update).
//
// # Caveats
//
// Values returned by Get and Scan may point into the Set or into the
// backend's memory (bbolt's map): they are valid only inside the
// transaction. A Tx keeps the first error of its Base and fails every
// later call with it, as the backends' transactions are unusable after a
// failed read.
package txbuf
