package directory

import (
	"fmt"

	"github.com/workspace-go/workspace/store"
)

// Errors returned by the Service. Each wraps one of the store sentinels, so
// callers test either the specific condition (errors.Is(err,
// directory.ErrCycle)) or the generic one (errors.Is(err,
// store.ErrInvalid)). Messages name the operation and the thing:
// `directory: put user "u_7": manager "u_9": not found`.
var (
	// ErrNotFound reports a user, department or group that does not exist,
	// including a manager, parent or member named in the input.
	ErrNotFound = fmt.Errorf("%w", store.ErrNotFound)

	// ErrInvalid reports bad input: a malformed id, an empty name, an
	// unknown time zone or status, a user in no department, a forged
	// cursor. Nothing was written.
	ErrInvalid = fmt.Errorf("%w", store.ErrInvalid)

	// ErrTooLarge reports input over one of the documented limits (Max...
	// constants). It wraps ErrInvalid. Nothing was written.
	ErrTooLarge error = &multiErr{"too large", []error{store.ErrTooLarge, ErrInvalid}}

	// ErrConflict reports a change that clashes with the directory's state:
	// an id already in use, a department that is not empty.
	ErrConflict = fmt.Errorf("%w", store.ErrConflict)

	// ErrPermission reports an actor who may not do what was asked: a
	// change by someone who is not an admin, a read by someone who is not
	// an active user or an admin.
	ErrPermission = fmt.Errorf("%w", store.ErrPermission)

	// ErrCycle reports a change that would make a loop: a department
	// moved under itself or one of its descendants, a group added to a
	// group it contains, a manager chain that comes back to the user. It
	// wraps ErrInvalid.
	ErrCycle = fmt.Errorf("would make a cycle: %w", ErrInvalid)

	// ErrTaken reports an email address or phone number that another user
	// already has. It wraps ErrConflict.
	ErrTaken = fmt.Errorf("already in use: %w", ErrConflict)

	// ErrDeparted reports a user who has left named where an active or
	// suspended one is needed (a manager, a group member). It wraps
	// store.ErrInvalid.
	ErrDeparted = fmt.Errorf("user has left: %w", ErrInvalid)

	// ErrStillManages reports marking as left a user who still manages
	// people or departments: reassign them first (see
	// [Service.Reassign]). It wraps ErrConflict.
	ErrStillManages = fmt.Errorf("still manages people or departments: %w", ErrConflict)
)

// multiErr is a sentinel that wraps several others.
type multiErr struct {
	msg string
	is  []error
}

func (e *multiErr) Error() string   { return e.msg }
func (e *multiErr) Unwrap() []error { return e.is }
