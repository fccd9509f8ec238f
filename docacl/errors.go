package docacl

import (
	"fmt"

	"github.com/workspace-go/workspace/store"
)

// Errors returned by the service. The generic ones (ErrNotFound,
// ErrInvalid, ErrTooLarge, ErrPermission, ErrConflict) wrap the store's of
// the same name; each specific one, named for its condition, wraps one of
// them, so callers test whichever they know: errors.Is(err,
// docacl.ErrCycle), errors.Is(err, docacl.ErrInvalid) or errors.Is(err,
// store.ErrInvalid). Messages name the operation and the thing ("docacl:
// grant viewer on "d1" to "user:u9": user "u9": not found"); store.Code
// gives their stable code.
//
// What the actor may not view is not found: a resource, grant or listing
// the actor cannot see answers ErrNotFound, never ErrPermission, so errors
// reveal nothing about what a user cannot see. ErrPermission is for what
// the actor can see but may not change.
var (
	// ErrNotFound reports a resource, user, group, department or grant
	// that does not exist, or that the actor may not know exists. It wraps
	// store.ErrNotFound.
	ErrNotFound = fmt.Errorf("%w", store.ErrNotFound)

	// ErrInvalid reports bad input: a malformed id, a time outside years
	// 1–9999, a name that is too long. Nothing was written. It wraps
	// store.ErrInvalid.
	ErrInvalid = fmt.Errorf("%w", store.ErrInvalid)

	// ErrPermission reports an action the actor may not take on something
	// they can see. It wraps store.ErrPermission.
	ErrPermission = fmt.Errorf("%w", store.ErrPermission)

	// ErrConflict reports a change that clashes with the stored state. It
	// wraps store.ErrConflict.
	ErrConflict = fmt.Errorf("%w", store.ErrConflict)

	// ErrTooLarge reports input over a documented limit (a name, a
	// password, a page). Nothing was written. It wraps store.ErrTooLarge
	// (and so store.ErrInvalid).
	ErrTooLarge error = &sentinel{"too large", []error{store.ErrTooLarge, ErrInvalid}}

	// ErrNotAdmin reports a directory or tenant change by someone who is not
	// a tenant admin. It wraps ErrPermission.
	ErrNotAdmin = fmt.Errorf("not a tenant admin: %w", ErrPermission)

	// ErrLinkDenied reports a share link that cannot be used: unknown,
	// revoked, expired, closed, out of scope for the user, or given a wrong
	// password. The causes are indistinguishable on purpose, so a guess
	// never learns whether a link exists. It wraps store.ErrNotFound.
	ErrLinkDenied = fmt.Errorf("share link unavailable or wrong password: %w", ErrNotFound)

	// ErrInvalidRole reports a role or action name that does not exist, or
	// a role that cannot be granted (owner: use Transfer). It wraps
	// store.ErrInvalid.
	ErrInvalidRole = fmt.Errorf("invalid role: %w", ErrInvalid)

	// ErrExternalDirectory reports a call to one of docacl's own directory
	// methods (PutUser, PutGroup, ...) on a Service whose users, groups and
	// departments are read from a Directory (WithDirectory): change them
	// in that directory instead. It wraps ErrInvalid.
	ErrExternalDirectory = fmt.Errorf("the directory is kept outside docacl: %w", ErrInvalid)

	// ErrCycle reports a change that would make a group contain itself, a
	// department its own ancestor or a folder its own descendant. It wraps
	// store.ErrInvalid.
	ErrCycle = fmt.Errorf("would create a cycle: %w", ErrInvalid)

	// ErrOwner reports an attempt to remove or demote the owner of a
	// resource, who must always exist: transfer ownership first. It wraps
	// store.ErrInvalid.
	ErrOwner = fmt.Errorf("the owner cannot be removed; transfer ownership first: %w", ErrInvalid)

	// ErrNoRecipient reports an offboarding with no recipient: the leaving
	// user has no manager in the directory and none was given. Nothing is
	// deleted. It wraps store.ErrInvalid.
	ErrNoRecipient = fmt.Errorf("no manager or recipient to receive the documents: %w", ErrInvalid)

	// ErrNotEmpty reports a delete of a folder that still holds resources.
	// It wraps store.ErrConflict.
	ErrNotEmpty = fmt.Errorf("folder not empty: %w", ErrConflict)

	// ErrExists reports an id already in use. It wraps store.ErrConflict.
	ErrExists = fmt.Errorf("already exists: %w", ErrConflict)

	// ErrBusy reports a write that lost the optimistic race against other
	// writers too many times in a row. It wraps store.ErrConflict; retrying
	// later is safe.
	ErrBusy = fmt.Errorf("too many concurrent permission changes: %w", ErrConflict)
)

// sentinel is an error that wraps several others: ErrTooLarge is both
// store.ErrTooLarge and this package's ErrInvalid.
type sentinel struct {
	msg   string
	wraps []error
}

func (e *sentinel) Error() string   { return e.msg }
func (e *sentinel) Unwrap() []error { return e.wraps }
