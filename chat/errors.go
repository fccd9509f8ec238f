package chat

import (
	"fmt"

	"github.com/workspace-go/workspace/store"
)

// Errors returned by the Service. The generic ones wrap the store's
// sentinels of the same name, and each specific one wraps a generic one, so
// callers may test either: errors.Is(err, chat.ErrNotMember),
// errors.Is(err, chat.ErrPermission) and errors.Is(err, store.ErrPermission)
// all hold for a user who may read a public channel but not post to it.
// [store.Code] gives the stable code of any of them.
//
// What the actor may not see is not found: a message or conversation that
// does not exist and one in a private conversation the actor is not a
// member of both answer ErrNotFound, so existence never leaks.
var (
	// ErrNotFound reports an unknown conversation, message, reaction or
	// pin, or one the acting user may not see. It wraps store.ErrNotFound.
	ErrNotFound = fmt.Errorf("%w", store.ErrNotFound)

	// ErrInvalid reports a bad argument: an empty user or name, an unknown
	// role, kind or priority, a malformed cursor, a time outside years
	// 1–9999. It wraps store.ErrInvalid.
	ErrInvalid = fmt.Errorf("%w", store.ErrInvalid)

	// ErrTooLarge reports input over a documented limit (MaxTextLength,
	// MaxReactions, ...). It wraps store.ErrTooLarge and ErrInvalid.
	ErrTooLarge = fmt.Errorf("%w%.0w", store.ErrTooLarge, ErrInvalid)

	// ErrPermission reports that the acting user's role does not allow the
	// call on something they can see (removing an owner as a member,
	// editing someone else's message, governance calls by a non-officer).
	// It wraps store.ErrPermission.
	ErrPermission = fmt.Errorf("%w", store.ErrPermission)

	// ErrConflict reports a change that clashes with existing state: a
	// second identical reaction, joining twice, adding an existing member.
	// It wraps store.ErrConflict.
	ErrConflict = fmt.Errorf("%w", store.ErrConflict)

	// ErrNotMember reports that the acting user may read the conversation
	// (a public channel) but is not a member, and so may not post, react
	// or change it. It wraps ErrPermission.
	ErrNotMember = fmt.Errorf("not a member: %w", ErrPermission)

	// ErrLegalHold reports a delete or purge blocked by a legal hold on the
	// conversation. It wraps ErrPermission.
	ErrLegalHold = fmt.Errorf("conversation under legal hold: %w", ErrPermission)

	// ErrBadText reports text that is empty, whitespace only or not valid
	// UTF-8. It wraps ErrInvalid. (Text longer than MaxTextLength is
	// ErrTooLarge.)
	ErrBadText = fmt.Errorf("bad text: %w", ErrInvalid)

	// ErrDeleted reports a change to, or a reply to, a deleted
	// (tombstoned) message. It wraps ErrConflict.
	ErrDeleted = fmt.Errorf("message deleted: %w", ErrConflict)
)
