package workspace

import (
	"encoding/base64"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/workspace-go/workspace/calendar"
	"github.com/workspace-go/workspace/chat"
	"github.com/workspace-go/workspace/store"
	"github.com/workspace-go/workspace/task"
)

// EventType is the stable snake_case type of an [Event]. It encodes as its
// string.
type EventType string

// Event types. They never change between releases.
const (
	// Chat, to the members of the conversation (read and follow changes
	// only to the user concerned, receipts only to the authors).
	ConversationCreated EventType = "conversation_created"
	ConversationUpdated EventType = "conversation_updated"
	MemberJoined        EventType = "member_joined" // joined or was added
	MemberLeft          EventType = "member_left"   // left or was removed
	MemberRoleChanged   EventType = "member_role_changed"
	MessagePosted       EventType = "message_posted"
	MessageEdited       EventType = "message_edited"
	MessageDeleted      EventType = "message_deleted"
	ReactionAdded       EventType = "reaction_added"
	ReactionRemoved     EventType = "reaction_removed"
	MessagePinned       EventType = "message_pinned"
	MessageUnpinned     EventType = "message_unpinned"
	ReadUpdated         EventType = "read_updated"
	ThreadRead          EventType = "thread_read"
	ThreadFollowed      EventType = "thread_followed"
	ThreadUnfollowed    EventType = "thread_unfollowed"
	ReceiptsChanged     EventType = "receipts_changed"

	// Tasks, to the creator, the assignees and the followers.
	TaskCreated    EventType = "task_created"
	TaskUpdated    EventType = "task_updated"
	TaskAssigned   EventType = "task_assigned"
	TaskUnassigned EventType = "task_unassigned"
	TaskFollowed   EventType = "task_followed"
	TaskUnfollowed EventType = "task_unfollowed"
	TaskCommented  EventType = "task_commented"
	TaskNudged     EventType = "task_nudged"
	TaskPartDone   EventType = "task_part_done"
	TaskDone       EventType = "task_done"
	TaskReopened   EventType = "task_reopened"
	TaskStatus     EventType = "task_status_changed"
	TaskCancelled  EventType = "task_cancelled"
	TaskDueSoon    EventType = "task_due_soon"
	TaskOverdue    EventType = "task_overdue"
	TaskDeleted    EventType = "task_deleted"

	// Calendar, to the organizer and the attendees.
	EventInvited   EventType = "event_invited"
	EventUpdated   EventType = "event_updated"
	EventCancelled EventType = "event_cancelled"
	EventRSVP      EventType = "event_rsvp"
	// EventReminder is a meeting reminder, to the one person it is for;
	// InstanceStart names the instance.
	EventReminder EventType = "event_reminder"

	// Documents and the directory, to the person concerned.
	DocShared           EventType = "doc_shared"
	DocAccessRemoved    EventType = "doc_access_removed"
	DocOwnerTransferred EventType = "doc_ownership_transferred"
	DirectoryUpdated    EventType = "directory_updated"
)

// Event is one thing a person's client needs to stay current, as
// [Workspace.Events] delivers it. It is the wire form: every field has a
// snake_case JSON tag. One change record of the log gives at most one
// Event to each person, so Cursor names a position in the stream.
//
// The object fields (Message, Task, CalendarEvent) hold the object after
// the change, as its recipients may see it; they are shared between the
// recipients of one record and must not be modified.
type Event struct {
	Type EventType `json:"type"`
	// Cursor resumes the stream just after this event.
	Cursor Cursor `json:"cursor"`
	// Seq is the position of the change record in the store's log.
	Seq   uint64    `json:"seq"`
	Actor string    `json:"actor,omitempty"`
	At    time.Time `json:"at"`

	Conversation string `json:"conversation,omitempty"`
	MessageID    string `json:"message_id,omitempty"`
	Root         string `json:"root,omitempty"`
	TaskID       string `json:"task_id,omitempty"`
	EventID      string `json:"event_id,omitempty"`
	CalendarID   string `json:"calendar_id,omitempty"`
	// InstanceStart is, on event_reminder, the (original) start of the
	// instance the reminder is for.
	InstanceStart time.Time `json:"instance_start,omitzero"`
	Resource      string    `json:"resource,omitempty"`

	// Subject is the other person concerned: the member who joined or
	// left, the reader (read and receipt events), the responder of an
	// RSVP, the grantee of a share, the new owner of a transfer.
	Subject string `json:"subject,omitempty"`
	// Role is the member's role, the RSVP answer or the document role.
	Role  string `json:"role,omitempty"`
	Emoji string `json:"emoji,omitempty"`
	// ReadSeq is the new read position of read_updated and thread_read.
	ReadSeq uint64 `json:"read_seq,omitempty"`
	// MessageIDs are, for receipts_changed, the recipient's messages
	// whose read receipts changed.
	MessageIDs []string `json:"message_ids,omitempty"`

	Message          *chat.Message      `json:"message,omitempty"`
	ConversationInfo *chat.Conversation `json:"conversation_info,omitempty"`
	Task             *task.Task         `json:"task,omitempty"`
	CalendarEvent    *calendar.Event    `json:"calendar_event,omitempty"`
}

// Cursor is an opaque position in a person's event stream: pass the
// Cursor of the last Event handled to [Workspace.Events] to resume after
// it. The empty Cursor means "from now". A Cursor is valid across
// restarts and on every node over the same store, until the log it
// points into is trimmed (then [ErrCursorExpired]).
type Cursor string

// cursor is a decoded Cursor: the log position pos the stream has passed,
// and witness, the seq of a record of this store's log at or below pos
// (0 when none was known), whose presence proves nothing above it was
// trimmed.
type cursor struct{ pos, witness uint64 }

func (c cursor) encode() Cursor {
	s := "1:" + strconv.FormatUint(c.pos, 10) + ":" + strconv.FormatUint(c.witness, 10)
	return Cursor(base64.RawURLEncoding.EncodeToString([]byte(s)))
}

func decodeCursor(c Cursor) (cursor, error) {
	bad := fmt.Errorf("workspace: events: cursor %q: %w", c, ErrBadCursor)
	if len(c) > 64 {
		return cursor{}, bad
	}
	b, err := base64.RawURLEncoding.DecodeString(string(c))
	if err != nil {
		return cursor{}, bad
	}
	parts := strings.Split(string(b), ":")
	if len(parts) != 3 || parts[0] != "1" {
		return cursor{}, bad
	}
	pos, err1 := strconv.ParseUint(parts[1], 10, 64)
	w, err2 := strconv.ParseUint(parts[2], 10, 64)
	if err1 != nil || err2 != nil || w > pos {
		return cursor{}, bad
	}
	return cursor{pos: pos, witness: w}, nil
}

// Errors of the event stream.
var (
	// ErrCursorExpired reports a Cursor the change log no longer covers
	// (it was trimmed past it): the client must resync its state from the
	// services and start again from an empty Cursor. It wraps
	// store.ErrNotFound.
	ErrCursorExpired = fmt.Errorf("cursor expired, resync: %w", store.ErrNotFound)
	// ErrBadCursor reports a Cursor that was not made by Events. It wraps
	// store.ErrInvalid.
	ErrBadCursor = fmt.Errorf("malformed cursor: %w", store.ErrInvalid)
	// ErrSlowConsumer is not returned: a stream whose reader falls behind
	// MaxEventBacklog events leaves the shared follower and catches up
	// from the log on its own, losing nothing.
)

// MaxEventBacklog is how many events the shared follower queues for one
// stream whose reader is slow before that stream leaves it and catches
// up from the log directly.
const MaxEventBacklog = 4096
