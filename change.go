package workspace

import (
	"encoding/json"
	"fmt"

	"github.com/workspace-go/workspace/store"
	"github.com/workspace-go/workspace/task"
)

// Kind is the change-log kind of the records the Workspace itself appends.
const Kind = "workspace"

// ChangeType names the kind of a record the Workspace appends.
type ChangeType string

// The records the Workspace appends.
const (
	// ChangeSuggested is appended, with Options.AutoTaskDrafts, when a new
	// message reads as a task.
	ChangeSuggested ChangeType = "task.suggested"
	// ChangeDocumentText is appended by DocumentChanged.
	ChangeDocumentText ChangeType = "document.text"
)

// SourceMessage is the task.Source kind of a task made from a chat
// message; its ID is the message id.
const SourceMessage = "chat.message"

// Change is a record the Workspace appends to the change log (kind Kind):
// a suggestion (ChangeSuggested: Conversation, Message, Author, Drafts) or
// a document's new text (ChangeDocumentText: Document).
type Change struct {
	Type         ChangeType   `json:"type"`
	Conversation string       `json:"conversation,omitempty"`
	Message      string       `json:"message,omitempty"`
	Author       string       `json:"author,omitempty"`
	Drafts       []task.Draft `json:"drafts,omitempty"`
	Document     string       `json:"document,omitempty"`
}

// DecodeChange decodes a record of kind Kind, as every package's
// DecodeChange does: ok is false, with a nil error, for another kind; a
// record of kind Kind that does not decode, or has no type, gives an error
// wrapping store.ErrInvalid.
func DecodeChange(c store.Change) (ch Change, ok bool, err error) {
	if c.Kind != Kind {
		return Change{}, false, nil
	}
	if err := json.Unmarshal(c.Data, &ch); err != nil {
		return Change{}, true, fmt.Errorf("workspace: decode change %d: %w: %w", c.Seq, store.ErrInvalid, err)
	}
	if ch.Type == "" {
		return Change{}, true, fmt.Errorf("workspace: decode change %d: no type: %w", c.Seq, store.ErrInvalid)
	}
	return ch, true, nil
}
