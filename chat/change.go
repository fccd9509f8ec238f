package chat

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/workspace-go/workspace/store"
)

// ChangeType is the type of a chat change record. It encodes as its
// string.
type ChangeType string

// Change types: the Type of a Change.
const (
	ConversationCreated ChangeType = "conversation.created"
	ConversationUpdated ChangeType = "conversation.updated"
	MemberJoined        ChangeType = "member.joined"
	MemberAdded         ChangeType = "member.added"
	MemberLeft          ChangeType = "member.left"
	MemberRemoved       ChangeType = "member.removed"
	MemberRole          ChangeType = "member.role"
	MessageCreated      ChangeType = "message.created"
	MessageEdited       ChangeType = "message.edited"
	MessageDeleted      ChangeType = "message.deleted"
	ReactionAdded       ChangeType = "reaction.added"
	ReactionRemoved     ChangeType = "reaction.removed"
	MessagePinned       ChangeType = "message.pinned"
	MessageUnpinned     ChangeType = "message.unpinned"
	ReadUpdated         ChangeType = "read.updated"
	ThreadRead          ChangeType = "thread.read"
	ThreadFollowed      ChangeType = "thread.followed"
	ThreadUnfollowed    ChangeType = "thread.unfollowed"
	RetentionSet        ChangeType = "retention.set"
	LegalHoldSet        ChangeType = "legalhold.set"
	MessagesPurged      ChangeType = "messages.purged"
	// ReceiptsChanged is never in the log: Subscribe derives it for the
	// author of messages whose read receipts another member's reading,
	// posting or leaving may have changed (see Subscribe).
	ReceiptsChanged ChangeType = "receipts.changed"
)

// Change is a chat record of the store's change log, as written by every
// mutation of the Service (JSON-encoded, kind Kind). Apps, the search
// indexer and Subscribe read it with DecodeChange. It is also the wire
// form of a live event.
type Change struct {
	// Seq is the record's position in the store's log (set by
	// DecodeChange, not stored).
	Seq          uint64     `json:"seq,omitempty"`
	Type         ChangeType `json:"type"`
	Conversation string     `json:"conversation"`
	Actor        string     `json:"actor"`
	At           time.Time  `json:"at"`
	// MessageID and Root name the message (and its thread root) changed.
	MessageID string `json:"message_id,omitempty"`
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
	// ReadSeq is the new read cursor of read.updated and thread.read;
	// PrevReadSeq the cursor it replaced. Messages between the two
	// changed between read and unread for User.
	ReadSeq     uint64 `json:"read_seq,omitempty"`
	PrevReadSeq uint64 `json:"prev_read_seq,omitempty"`
	// Count is the number of messages removed by messages.purged, or the
	// retention days of retention.set.
	Count int `json:"count,omitempty"`
	// MessageIDs are the ids of the messages removed by messages.purged
	// (a root and its replies), so that indexes and caches drop them too;
	// for receipts.changed, the subscriber's messages whose receipts may
	// have changed.
	MessageIDs []string `json:"message_ids,omitempty"`
	// On is the new state of a legal hold.
	On bool `json:"on,omitempty"`
	// Redacted reports a record whose content (text, mentions, emoji,
	// edit history) was removed when its message was purged: the record
	// keeps its type, ids and times.
	Redacted bool `json:"redacted,omitempty"`
}

// DecodeChange decodes a record of the log. For another package's record
// (c.Kind != Kind) it returns ok == false and a nil error. For a chat
// record it returns ok == true and the change, or an error wrapping
// [ErrInvalid] (and so store.ErrInvalid) when the record is malformed: not
// JSON, or without a type. Records written in the older camelCase
// encoding decode too.
func DecodeChange(c store.Change) (ch Change, ok bool, err error) {
	if c.Kind != Kind {
		return Change{}, false, nil
	}
	ch, err = decodeChangeData(c.Data)
	if err != nil {
		return Change{}, true, decodeErr(c.Seq, err)
	}
	if ch.Type == "" {
		return Change{}, true, decodeErr(c.Seq, fmt.Errorf("no type"))
	}
	ch.Seq = c.Seq
	return ch, true, nil
}

// Subscribe delivers the changes that concern user, from now on, on the
// returned channel: messages created, edited and deleted, reactions, pins,
// membership and conversation changes in the user's conversations, and
// the user's own read and follow changes (so other devices stay in step).
// Governance changes are not delivered.
//
// Other members' read changes are not delivered as such; instead, when
// another member's reading moves past messages the user posted while the
// subscription runs, the user gets a receipts.changed [Change] (type
// [ReceiptsChanged]) naming those messages in MessageIDs, the reader in
// User, and the log position of the record it derives from in Seq, so a
// client showing "已读 3 · 未读 5" calls [Service.Receipts] again. Reading
// is a member's read.updated or thread.read, a post (which marks
// everything before it read for its author), a follow or unfollow of the
// thread, or a member leaving. It is cheap: it is worked out from the
// records the subscription reads anyway, with no store read, and reading
// writes nothing more. It is "may have changed": a member who joined
// after the message, or whose earlier cursor the subscription never saw,
// can make one that changes nothing. It covers the newest 64 messages
// the user posted in each of at most 64 timelines and threads; receipts
// of older messages are fetched when shown.
//
// It follows the store's change log, so it sees writes made by any
// Service over the same store, in this process or another. Delivery is
// in log order; a slow reader slows only its own subscription.
//
// The subscription follows the log with [store.Backoff.Follow] (see
// [WithBackoff]): a transient store error (a lost connection, a database
// restart) is retried with capped backoff from the last change it
// delivered, so nothing is lost or delivered twice. It runs on one
// goroutine, which ends when ctx ends, the store is closed, or an error
// that is not transient happens (a malformed chat record, for one); it
// then closes C, and Err says why.
func (s *Service) Subscribe(ctx context.Context, user string) (*Subscription, error) {
	if err := s.checkActor(ctx, "subscribe", user); err != nil {
		return nil, err
	}
	from, err := s.st.Last(ctx)
	if err != nil {
		return nil, fmt.Errorf("chat: subscribe %q: %w", user, err)
	}
	// The user's conversations, read after from: membership changes in
	// the log after from are replayed onto it, so it tracks membership as
	// of each change without a read per change.
	convs := map[string]bool{}
	err = s.st.View(ctx, func(tx store.Tx) error {
		for k := range tx.Scan(store.Prefix(kUserConvs(user))) {
			id, err := lastPart(k)
			if err != nil {
				return err
			}
			convs[id] = true
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("chat: subscribe %q: %w", user, err)
	}
	sub := &Subscription{c: make(chan Change, 64), done: make(chan struct{})}
	send := func(c Change) error {
		select {
		case sub.c <- c:
			return nil
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	watch := newReceiptWatch(user)
	go func() {
		err := s.backoff.Follow(ctx, s.st, from, func(rec store.Change) error {
			c, ok, err := DecodeChange(rec)
			if err != nil {
				return err
			}
			if !ok {
				return nil // not ours
			}
			if concerns(c, user, convs) {
				if err := send(c); err != nil {
					return err
				}
			}
			for _, r := range watch.changes(c, convs[c.Conversation]) {
				if err := send(r); err != nil {
					return err
				}
			}
			return nil
		})
		sub.end(fmt.Errorf("chat: subscription of %q: %w", user, err))
	}()
	return sub, nil
}

// Subscription is a live feed of changes for one user, made by
// [Service.Subscribe]. Receive from C until it is closed; Err then says
// why the subscription ended.
//
// A Subscription is safe for concurrent use: C may be read by one
// goroutine while others call Err.
type Subscription struct {
	c    chan Change
	done chan struct{}
	err  error // set before done is closed
}

// C returns the channel the changes arrive on. It is closed when the
// subscription ends.
func (s *Subscription) C() <-chan Change { return s.c }

// Done returns a channel that is closed when the subscription has ended.
func (s *Subscription) Done() <-chan struct{} { return s.done }

// Err returns nil while the subscription runs; once it has ended (C is
// closed), the reason: an error wrapping the subscription's context's
// error when it was cancelled, [store.ErrClosed] when the store was
// closed, or the error that stopped it (a malformed record, a store
// failure that is not transient).
func (s *Subscription) Err() error {
	select {
	case <-s.done:
		return s.err
	default:
		return nil
	}
}

func (s *Subscription) end(err error) {
	s.err = err
	close(s.done)
	close(s.c)
}

// concerns reports whether change c should be delivered to user, whose
// conversations are convs, and keeps convs up to date.
func concerns(c Change, user string, convs map[string]bool) bool {
	switch c.Type {
	case ReadUpdated, ThreadRead, ThreadFollowed, ThreadUnfollowed:
		return c.User == user // the user's own business
	case RetentionSet, LegalHoldSet, MessagesPurged:
		return false
	case ConversationCreated:
		if c.Actor == user || slices.Contains(c.Users, user) {
			convs[c.Conversation] = true
		}
	case MemberJoined, MemberAdded:
		if c.User == user {
			convs[c.Conversation] = true
		}
	case MemberLeft, MemberRemoved:
		if c.User == user {
			delete(convs, c.Conversation)
			return true // tell the user, now they are out
		}
	}
	return convs[c.Conversation]
}
