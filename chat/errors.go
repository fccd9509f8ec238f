package chat

import (
	"fmt"

	"github.com/workspace-go/workspace/store"
)

// Errors returned by the Service. Each wraps one of the store sentinels, so
// callers may test either: errors.Is(err, chat.ErrNotMember) and
// errors.Is(err, store.ErrPermission) both hold for a non-member.
var (
	// ErrNotMember reports that the acting user is not a member of the
	// conversation. It wraps store.ErrPermission.
	ErrNotMember = fmt.Errorf("not a member: %w", store.ErrPermission)

	// ErrPermission reports that the acting user's role does not allow the
	// call (removing an owner as a member, editing someone else's message,
	// governance calls by a non-officer). It wraps store.ErrPermission.
	ErrPermission = fmt.Errorf("not allowed: %w", store.ErrPermission)

	// ErrLegalHold reports a delete or purge blocked by a legal hold on the
	// conversation. It wraps store.ErrPermission.
	ErrLegalHold = fmt.Errorf("conversation under legal hold: %w", store.ErrPermission)

	// ErrNoConversation reports an unknown conversation id. It wraps
	// store.ErrNotFound.
	ErrNoConversation = fmt.Errorf("no such conversation: %w", store.ErrNotFound)

	// ErrNoMessage reports an unknown message id, or a reaction or pin that
	// is not there. It wraps store.ErrNotFound.
	ErrNoMessage = fmt.Errorf("no such message: %w", store.ErrNotFound)

	// ErrNotReacted reports removing a reaction that is not there. It wraps
	// store.ErrNotFound.
	ErrNotReacted = fmt.Errorf("no such reaction: %w", store.ErrNotFound)

	// ErrBadText reports text that is empty, whitespace only, longer than
	// MaxTextLength characters or not valid UTF-8. It wraps store.ErrInvalid.
	ErrBadText = fmt.Errorf("bad text: %w", store.ErrInvalid)

	// ErrInvalid reports any other bad argument: an empty user or name, an
	// unknown role, kind or priority, a malformed cursor. It wraps
	// store.ErrInvalid.
	ErrInvalid = fmt.Errorf("bad argument: %w", store.ErrInvalid)

	// ErrConflict reports a change that clashes with existing state: a
	// second identical reaction, joining twice, adding an existing member.
	// It wraps store.ErrConflict.
	ErrConflict = fmt.Errorf("already so: %w", store.ErrConflict)

	// ErrDeleted reports a change to a deleted (tombstoned) message. It
	// wraps store.ErrConflict.
	ErrDeleted = fmt.Errorf("message deleted: %w", store.ErrConflict)
)
