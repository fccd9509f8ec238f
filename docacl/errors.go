package docacl

import (
	"fmt"

	"github.com/workspace-go/workspace/store"
)

// Errors returned by the service. Each wraps one of the store sentinels, so
// callers may test either: errors.Is(err, docacl.ErrNoAccess) or
// errors.Is(err, store.ErrPermission).
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

	// ErrNoAccess reports that a user's role on a resource is too low for
	// the action. It is returned only when the user can at least view the
	// resource; otherwise the resource is reported as not found. It wraps
	// store.ErrPermission.
	ErrNoAccess = fmt.Errorf("no access: %w", ErrPermission)

	// ErrNotAdmin reports a directory or tenant change by someone who is not
	// a tenant admin. It wraps store.ErrPermission.
	ErrNotAdmin = fmt.Errorf("not a tenant admin: %w", ErrPermission)

	// ErrNoResource reports a resource that does not exist or that the
	// actor may not view (the two are indistinguishable on purpose). It
	// wraps store.ErrNotFound.
	ErrNoResource = fmt.Errorf("no such resource: %w", ErrNotFound)

	// ErrNoUser reports a user who is not (or no longer) in the tenant's
	// directory. It wraps store.ErrNotFound.
	ErrNoUser = fmt.Errorf("no such user in the tenant: %w", ErrNotFound)

	// ErrNoGroup reports an unknown group. It wraps store.ErrNotFound.
	ErrNoGroup = fmt.Errorf("no such group: %w", ErrNotFound)

	// ErrNoDepartment reports an unknown department. It wraps
	// store.ErrNotFound.
	ErrNoDepartment = fmt.Errorf("no such department: %w", ErrNotFound)

	// ErrNoGrant reports a revoke of a grant that does not exist. It wraps
	// store.ErrNotFound.
	ErrNoGrant = fmt.Errorf("no such grant: %w", ErrNotFound)

	// ErrLinkDenied reports a share link that cannot be used: unknown,
	// revoked, expired, closed, out of scope for the user, or given a wrong
	// password. The causes are indistinguishable on purpose, so a guess
	// never learns whether a link exists. It wraps store.ErrNotFound.
	ErrLinkDenied = fmt.Errorf("share link unavailable or wrong password: %w", ErrNotFound)

	// ErrInvalidRole reports a role or action name that does not exist, or
	// a role that cannot be granted (owner: use Transfer). It wraps
	// store.ErrInvalid.
	ErrInvalidRole = fmt.Errorf("invalid role: %w", ErrInvalid)

	// ErrInvalidID reports a malformed id or principal key. It wraps
	// store.ErrInvalid.
	ErrInvalidID = fmt.Errorf("invalid id: %w", ErrInvalid)

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
