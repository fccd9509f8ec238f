package task

import (
	"fmt"

	"github.com/workspace-go/workspace/store"
)

// Errors returned by the Service. Each wraps one of the store sentinels, so
// callers can test either: errors.Is(err, task.ErrTooSoon) or
// errors.Is(err, store.ErrConflict).
var (
	// ErrNotFound reports a task that does not exist (or was deleted).
	ErrNotFound = fmt.Errorf("no such task: %w", store.ErrNotFound)

	// ErrInvalid reports bad input: an empty title, an unknown status, a
	// malformed due time, an oversized comment, a bad cursor. Nothing was
	// written.
	ErrInvalid = fmt.Errorf("invalid input: %w", store.ErrInvalid)

	// ErrForbidden reports that the actor may not do what was asked (see
	// the Permissions section of the package doc). A task the actor may
	// not view is reported as ErrForbidden, not ErrNotFound, because task
	// ids are not secret inside a tenant.
	ErrForbidden = fmt.Errorf("not allowed: %w", store.ErrPermission)

	// ErrTooSoon reports a nudge within the nudge interval of the previous
	// one on the same task (see WithNudgeInterval).
	ErrTooSoon = fmt.Errorf("nudged too recently: %w", store.ErrConflict)

	// ErrClosed reports a change that needs an open task (todo or in
	// progress) on one that is done or cancelled, such as a nudge.
	ErrClosed = fmt.Errorf("task is done or cancelled: %w", store.ErrConflict)

	// ErrNoOneToNudge reports a nudge on a task with no assignee left to
	// finish their part.
	ErrNoOneToNudge = fmt.Errorf("no assignee left to nudge: %w", store.ErrConflict)
)
