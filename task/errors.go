package task

import (
	"fmt"

	"github.com/workspace-go/workspace/store"
)

// Errors returned by the Service. The generic ones wrap store's of the
// same name; each specific one wraps one generic, so callers test whichever
// they need: errors.Is(err, task.ErrTooSoon), errors.Is(err,
// task.ErrConflict) and errors.Is(err, store.ErrConflict) all hold for a
// nudge sent too soon, and store.Code(err) is "conflict". Messages start
// with "task:", name the operation and the task: `task: get task "t_1":
// not found`.
var (
	// ErrNotFound reports a task that does not exist, was deleted, or that
	// the actor may not view: what the actor may not see is not found, so
	// a task's existence never leaks.
	ErrNotFound = fmt.Errorf("%w", store.ErrNotFound)

	// ErrInvalid reports bad input: an empty title, an unknown status, a
	// malformed due time, a year outside 1-9999, a bad cursor or option.
	// Nothing was written.
	ErrInvalid = fmt.Errorf("%w", store.ErrInvalid)

	// ErrTooLarge reports input over a documented limit (MaxTitle,
	// MaxDescription, MaxComment, MaxPeople, MaxChecklist, ...). It wraps
	// ErrInvalid and store.ErrTooLarge. Nothing was written.
	ErrTooLarge error = tooLarge{}

	// ErrConflict reports a change the task's state does not allow.
	ErrConflict = fmt.Errorf("%w", store.ErrConflict)

	// ErrPermission reports that the actor may view the task but not do
	// what was asked (see the Permissions section of the package doc).
	ErrPermission = fmt.Errorf("%w", store.ErrPermission)

	// ErrTooSoon reports a nudge within the nudge interval of the previous
	// one on the same task (see WithNudgeInterval). It wraps ErrConflict.
	ErrTooSoon = fmt.Errorf("nudged too recently: %w", ErrConflict)

	// ErrDone reports a change that needs an open task (todo or in
	// progress) on one that is done or cancelled, such as a nudge. It
	// wraps ErrConflict.
	ErrDone = fmt.Errorf("task is done or cancelled: %w", ErrConflict)

	// ErrOpenSubtasks reports closing a task as done while some of its
	// subtasks are open, without forcing it (ForceStatus, ForceComplete),
	// or deleting a task that has subtasks. It wraps ErrConflict.
	ErrOpenSubtasks = fmt.Errorf("task has open subtasks: %w", ErrConflict)

	// ErrCycle reports a parent that would make a task its own ancestor.
	// It wraps ErrInvalid.
	ErrCycle = fmt.Errorf("a task cannot be its own subtask: %w", ErrInvalid)

	// ErrNoOccurrence reports a recurrence rule with no occurrence due
	// after now. It wraps ErrInvalid.
	ErrNoOccurrence = fmt.Errorf("the rule has no future occurrence: %w", ErrInvalid)

	// ErrNoOneToNudge reports a nudge on a task with no assignee left to
	// finish their part. It wraps ErrConflict.
	ErrNoOneToNudge = fmt.Errorf("no assignee left to nudge: %w", ErrConflict)
)

// tooLarge is ErrTooLarge: it wraps both store.ErrTooLarge (its code) and
// this package's ErrInvalid, as store.ErrTooLarge wraps store.ErrInvalid.
type tooLarge struct{}

func (tooLarge) Error() string   { return "too large" }
func (tooLarge) Unwrap() []error { return []error{store.ErrTooLarge, ErrInvalid} }
