// Package boltstore implements [store.Store] on one go.etcd.io/bbolt file:
// the embedded default backend.
//
// Keys live in one bucket, the change log in another (keyed by sequence
// number, big-endian). Reads are bbolt read transactions: consistent
// snapshots that never block the writer.
//
// # Group commit
//
// bbolt allows one writer at a time, and with fsync on, a commit costs one
// disk flush. Update therefore queues its function for a committer
// goroutine that runs every queued function in one bbolt transaction and
// commits them with one fsync; the group fills while the previous flush is
// under way, so there is no fixed delay. Each function writes into an
// overlay that is applied only when it returns nil, so one failing function
// neither fails nor re-runs the others. Update returns when its group is on
// disk.
//
// # Errors
//
// Nothing boltstore reports is transient ([store.Transient] is false for
// all of it): the file is local, so there is no connection to lose and no
// server to restart. A disk error or a full file ([ErrFull]) fails the
// commit group and keeps failing until an operator acts; a corrupt change
// record is permanent; [ErrLocked] means another process holds the file.
// Followers of the change log therefore stop on any error and report it,
// as the store contract says.
//
// # Concurrency
//
// A DB is safe for concurrent use. Open starts the committer goroutine;
// Close stops it. Only one process may open a file at a time: Open waits
// Options.Timeout for the lock, then fails with [ErrLocked].
//
// # Caveats
//
// Tx.Rewrite overwrites a change record's value; bbolt frees the page that
// held the old value but does not zero it, so its bytes may stay in the
// file until the page is reused. Where a purge must leave no trace on
// disk, compact the file afterwards (bbolt's compact command copies only
// live data). Keys and values returned by Get and Scan point into the memory-mapped
// file and are valid only inside the transaction. The Update function runs
// on the committer goroutine, not the caller's: calling Update (or View
// that waits on it) from inside it deadlocks. A long function delays every
// writer in its group. Once the file outgrows Options.InitialMmapSize, bbolt
// remaps it as it grows, and a remap waits for open Views: keep Views short.
package boltstore
