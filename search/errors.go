package search

import (
	"fmt"

	"github.com/workspace-go/workspace/store"
)

// Errors returned by the package. Each wraps one of the store sentinels, so
// callers can test either: errors.Is(err, search.ErrQuery) or
// errors.Is(err, store.ErrInvalid).
var (
	// ErrInvalid reports bad input: an option's argument, a query, a
	// cursor, a document. The specific errors below wrap it. It wraps
	// store.ErrInvalid.
	ErrInvalid = fmt.Errorf("%w", store.ErrInvalid)

	// ErrTooLarge reports input over a documented limit (MaxQueryBytes,
	// MaxQueryTerms, MaxQueryExpansions, MaxKeys). It wraps ErrInvalid
	// and store.ErrTooLarge.
	ErrTooLarge = fmt.Errorf("%w", store.ErrTooLarge)

	// ErrQuery reports a query that cannot be parsed: an unknown modifier,
	// a bad date, a modifier without a value. It wraps store.ErrInvalid.
	ErrQuery = fmt.Errorf("bad query: %w", ErrInvalid)

	// ErrCursor reports a pagination cursor that this index did not issue
	// for the same sort order. It wraps store.ErrInvalid.
	ErrCursor = fmt.Errorf("bad cursor: %w", ErrInvalid)

	// ErrDocument reports a Document or Op that cannot be indexed: an empty
	// kind or id, a kind containing '/'. It wraps store.ErrInvalid.
	ErrDocument = fmt.Errorf("bad document: %w", ErrInvalid)

	// ErrLocked reports that the index directory is held by another Index,
	// in this process or another. It wraps store.ErrConflict.
	ErrLocked = fmt.Errorf("index in use by another process: %w", store.ErrConflict)

	// ErrCorrupt reports an index directory that exists but cannot be
	// opened as an index, or that was written by another version of the
	// package's analysis and cannot be rebuilt, for want of an
	// Enumerator (WithRebuildIfLost) and a Mapper (WithMapper). Rebuild
	// it (see WithRebuildIfLost). It wraps store.ErrInvalid.
	ErrCorrupt = fmt.Errorf("index corrupt or unreadable: %w", ErrInvalid)

	// ErrNoIndexer reports a call that needs the change-log indexer (Sync,
	// WaitFor) on an Index built without a store or without WithMapper.
	// It wraps store.ErrInvalid.
	ErrNoIndexer = fmt.Errorf("no change-log indexer configured: %w", ErrInvalid)

	// ErrIndexerStopped reports that the indexer stopped on an error (a
	// mapper or store failure) before reaching the awaited position; the
	// returned error wraps both this and the cause. It wraps
	// store.ErrConflict.
	ErrIndexerStopped = fmt.Errorf("indexer stopped: %w", store.ErrConflict)

	// ErrNamespace reports an index directory built for another namespace
	// (tenant) than WithNamespace names: it is refused, never served nor
	// rebuilt over, since it holds another tenant's documents. It wraps
	// store.ErrConflict.
	ErrNamespace = fmt.Errorf("index built for another namespace: %w", store.ErrConflict)

	// ErrClosed reports use of an Index after Close. It wraps store.ErrClosed.
	ErrClosed = fmt.Errorf("search: %w", store.ErrClosed)
)
