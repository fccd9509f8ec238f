package chat

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/workspace-go/workspace/store"
)

// Change types: the Type of a Change.
const (
	ConversationCreated = "conversation.created"
	ConversationUpdated = "conversation.updated"
	MemberJoined        = "member.joined"
	MemberAdded         = "member.added"
	MemberLeft          = "member.left"
	MemberRemoved       = "member.removed"
	MemberRole          = "member.role"
	MessageCreated      = "message.created"
	MessageEdited       = "message.edited"
	MessageDeleted      = "message.deleted"
	ReactionAdded       = "reaction.added"
	ReactionRemoved     = "reaction.removed"
	MessagePinned       = "message.pinned"
	MessageUnpinned     = "message.unpinned"
	ReadUpdated         = "read.updated"
	ThreadRead          = "thread.read"
	ThreadFollowed      = "thread.followed"
	ThreadUnfollowed    = "thread.unfollowed"
	RetentionSet        = "retention.set"
	LegalHoldSet        = "legalhold.set"
	MessagesPurged      = "messages.purged"
)

// Change is a chat record of the store's change log, as written by every
// mutation of the Service (JSON-encoded, kind Kind). Apps, the search
// indexer and Subscribe read it with DecodeChange.
type Change struct {
	// Seq is the record's position in the store's log (set by
	// DecodeChange, not stored).
	Seq          uint64    `json:"-"`
	Type         string    `json:"type"`
	Conversation string    `json:"conversation"`
	Actor        string    `json:"actor"`
	At           time.Time `json:"at"`
	// MessageID and Root name the message (and its thread root) changed.
	MessageID string `json:"messageId,omitempty"`
	Root      string `json:"root,omitempty"`
	// Message is the message as readers see it after the change, for
	// message.created, message.edited and message.deleted.
	Message *Message `json:"message,omitempty"`
	// Info is the conversation after conversation.* changes.
	Info *Conversation `json:"info,omitempty"`
	// User is the member concerned by member.*, read.* and thread.*
	// changes; Users the members of a new conversation.
	User  string   `json:"user,omitempty"`
	Users []string `json:"users,omitempty"`
	Role  Role     `json:"role,omitempty"`
	Emoji string   `json:"emoji,omitempty"`
	// ReadSeq is the new read cursor of read.updated and thread.read.
	ReadSeq uint64 `json:"readSeq,omitempty"`
	// Count is the number of messages removed by messages.purged, or the
	// retention days of retention.set.
	Count int `json:"count,omitempty"`
	// On is the new state of a legal hold.
	On bool `json:"on,omitempty"`
}

// DecodeChange decodes a chat record of the log. ok is false (and err
// nil) when the record is not chat's (c.Kind != Kind).
func DecodeChange(c store.Change) (ch Change, ok bool, err error) {
	if c.Kind != Kind {
		return Change{}, false, nil
	}
	if err := json.Unmarshal(c.Data, &ch); err != nil {
		return Change{}, false, fmt.Errorf("chat: decode change %d: %v: %w", c.Seq, err, ErrInvalid)
	}
	ch.Seq = c.Seq
	return ch, true, nil
}

// private reports whether only c.User should see the change: read cursors
// and thread follows are the user's own business.
func (c Change) private() bool {
	switch c.Type {
	case ReadUpdated, ThreadRead, ThreadFollowed, ThreadUnfollowed:
		return true
	}
	return false
}

// Subscribe delivers the changes that concern user, from now on, on the
// returned channel: messages created, edited and deleted, reactions, pins,
// membership and conversation changes in the user's conversations, and
// the user's own read and follow changes (so other devices stay in step).
// Governance changes are not delivered.
//
// It follows the store's change log, so it sees writes made by any
// Service over the same store, in this process or another. Delivery is
// in log order; a slow reader slows only its own subscription.
//
// The subscription runs on one goroutine, which stops and closes the
// channel when ctx ends or the store is closed; the caller should drain
// the channel or cancel ctx.
func (s *Service) Subscribe(ctx context.Context, user string) (<-chan Change, error) {
	if err := checkActor("subscribe", user); err != nil {
		return nil, err
	}
	from, err := s.st.Last(ctx)
	if err != nil {
		return nil, fmt.Errorf("chat: subscribe %q: %w", user, err)
	}
	out := make(chan Change, 64)
	go func() {
		defer close(out)
		_ = store.Follow(ctx, s.st, from, func(rec store.Change) error {
			c, ok, err := DecodeChange(rec)
			if err != nil || !ok {
				return nil // not ours, or unreadable: skip it
			}
			deliver, err := s.concerns(ctx, c, user)
			if err != nil {
				return err
			}
			if !deliver {
				return nil
			}
			select {
			case out <- c:
				return nil
			case <-ctx.Done():
				return ctx.Err()
			}
		})
	}()
	return out, nil
}

// concerns reports whether change c should be delivered to user.
func (s *Service) concerns(ctx context.Context, c Change, user string) (bool, error) {
	switch {
	case c.private():
		return c.User == user, nil
	case c.Type == RetentionSet || c.Type == LegalHoldSet || c.Type == MessagesPurged:
		return false, nil
	case c.User == user: // added, removed, left: tell the user even now they are out
		return true, nil
	}
	member := false
	err := s.st.View(ctx, func(tx store.Tx) error {
		_, err := tx.Get(kMember(c.Conversation, user))
		if err == nil {
			member = true
			return nil
		}
		if errors.Is(err, store.ErrNotFound) {
			return nil
		}
		return err
	})
	return member, err
}
