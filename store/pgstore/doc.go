// Package pgstore implements [store.Store] on PostgreSQL, so several
// application nodes share one database and see each other's writes
// through the change log.
//
// Open takes a DSN; OpenPool takes a *pgxpool.Pool the caller keeps.
// Package documentation continues in the sections below.
package pgstore
