package store

import (
	"errors"
	"fmt"
)

// Sentinel errors shared by every backend and every feature package.
//
// Backends and packages wrap them with context ("chat: post to conversation
// \"c_9\": not a member") so callers test them with [errors.Is], never by
// comparing strings. A feature package's own sentinels (chat.ErrNotMember,
// task.ErrTooSoon, ...) wrap one of these, so a caller that only knows the
// store package can still tell "not found" from "not allowed".
var (
	// ErrNotFound reports that a key, record or resource does not exist.
	// Tx.Get returns it for an absent key.
	ErrNotFound = errors.New("not found")

	// ErrConflict reports that the change clashes with existing state: a
	// duplicate, a double-booked room, a concurrent modification.
	ErrConflict = errors.New("conflict")

	// ErrInvalid reports bad input: an empty key, a malformed id, text that is
	// too long, a rule that makes no sense. Nothing was written.
	ErrInvalid = errors.New("invalid argument")

	// ErrPermission reports that the acting user may not do what was asked.
	ErrPermission = errors.New("permission denied")

	// ErrClosed reports use of a store after Close.
	ErrClosed = errors.New("store closed")

	// ErrReadOnly reports a write (Put, Delete, Append) inside View. It wraps
	// ErrInvalid.
	ErrReadOnly = fmt.Errorf("read-only transaction: %w", ErrInvalid)

	// ErrOutsideNamespace reports a key or change kind that a namespace view
	// cannot address. It wraps ErrPermission.
	ErrOutsideNamespace = fmt.Errorf("outside namespace: %w", ErrPermission)
)
