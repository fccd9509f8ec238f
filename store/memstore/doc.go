// Package memstore is the in-memory implementation of [store.Store]: the
// reference backend, and the one tests of applications built on workspace
// run on.
//
// Data lives in a persistent (copy-on-write) treap: a View reads the
// version committed when it began, untouched by writers that commit while
// it runs, and never blocks them. Writers are serialized. The change log is
// a slice in memory.
//
// # Concurrency
//
// A Store is safe for concurrent use. Readers never wait for writers.
//
// # Caveats
//
// Nothing is persisted: the data is gone when the process exits. Values
// returned by Get and Scan are shared with the store and must not be
// modified.
package memstore
