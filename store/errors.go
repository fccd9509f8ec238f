package store

import (
	"context"
	"errors"
	"fmt"
)

// Sentinel errors shared by every backend and every feature package.
//
// Backends and packages wrap them with context ("chat: post to conversation
// \"c_9\": not a member") so callers test them with [errors.Is], never by
// comparing strings. A feature package's own sentinels (chat.ErrNotMember,
// task.ErrTooSoon, ...) wrap one of these, so a caller that only knows the
// store package can still tell "not found" from "not allowed". [Code] gives
// the stable name of the condition an error reports, for HTTP statuses and
// translated messages.
var (
	// ErrNotFound reports that a key, record or resource does not exist,
	// or that the actor may not know whether it exists. Tx.Get returns it
	// for an absent key.
	ErrNotFound = errors.New("not found")

	// ErrConflict reports that the change clashes with existing state: a
	// duplicate, a double-booked room, a concurrent modification.
	ErrConflict = errors.New("conflict")

	// ErrInvalid reports bad input: an empty key, a malformed id, text that is
	// too long, a rule that makes no sense. Nothing was written.
	ErrInvalid = errors.New("invalid argument")

	// ErrTooLarge reports input over a documented limit: a count, a size,
	// an expansion. It wraps ErrInvalid. Nothing was written.
	ErrTooLarge = fmt.Errorf("too large: %w", ErrInvalid)

	// ErrPermission reports that the acting user may not do what was asked.
	ErrPermission = errors.New("permission denied")

	// ErrRateLimited reports that the caller made too many requests in a
	// short time; the same request may succeed later.
	ErrRateLimited = errors.New("rate limited")

	// ErrUnavailable reports a transient failure of the backend: a lost
	// connection, a server restart, a timeout, a serialization failure it
	// could not retry. The same call may succeed later; nothing was
	// committed unless the backend says otherwise. Followers of the change
	// log retry it (see [Retry]).
	ErrUnavailable = errors.New("temporarily unavailable")

	// ErrClosed reports use of a store after Close.
	ErrClosed = errors.New("store closed")

	// ErrReadOnly reports a write (Put, Delete, Append) inside View. It wraps
	// ErrInvalid.
	ErrReadOnly = fmt.Errorf("read-only transaction: %w", ErrInvalid)

	// ErrOutsideNamespace reports a key or change kind that a namespace view
	// cannot address. It wraps ErrPermission.
	ErrOutsideNamespace = fmt.Errorf("outside namespace: %w", ErrPermission)
)

// The stable codes [Code] returns. They never change between releases, so
// an application may map them to HTTP statuses or to translated messages.
const (
	CodeNotFound    = "not_found"    // ErrNotFound: 404
	CodeInvalid     = "invalid"      // ErrInvalid: 400 or 422
	CodeTooLarge    = "too_large"    // ErrTooLarge: 413
	CodeConflict    = "conflict"     // ErrConflict: 409
	CodePermission  = "permission"   // ErrPermission: 403
	CodeRateLimited = "rate_limited" // ErrRateLimited: 429
	CodeUnavailable = "unavailable"  // ErrUnavailable: 503
	CodeClosed      = "closed"       // ErrClosed: 503
	CodeCanceled    = "canceled"     // context.Canceled: 499
	CodeTimeout     = "timeout"      // context.DeadlineExceeded: 504
	CodeInternal    = "internal"     // anything else: 500
)

// Code returns the stable code of the condition err reports: one of the
// Code constants, or "" for a nil error. The most specific condition wins
// (an ErrTooLarge is "too_large", not "invalid"); an error that wraps none
// of the sentinels is "internal".
func Code(err error) string {
	switch {
	case err == nil:
		return ""
	case errors.Is(err, ErrTooLarge):
		return CodeTooLarge
	case errors.Is(err, ErrNotFound):
		return CodeNotFound
	case errors.Is(err, ErrInvalid):
		return CodeInvalid
	case errors.Is(err, ErrConflict):
		return CodeConflict
	case errors.Is(err, ErrPermission):
		return CodePermission
	case errors.Is(err, ErrRateLimited):
		return CodeRateLimited
	case errors.Is(err, ErrUnavailable):
		return CodeUnavailable
	case errors.Is(err, ErrClosed):
		return CodeClosed
	case errors.Is(err, context.Canceled):
		return CodeCanceled
	case errors.Is(err, context.DeadlineExceeded):
		return CodeTimeout
	}
	return CodeInternal
}

// Transient reports whether err is a transient backend failure worth
// retrying: it wraps [ErrUnavailable].
func Transient(err error) bool { return errors.Is(err, ErrUnavailable) }
