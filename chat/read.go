package chat

import (
	"context"
	"fmt"
	"time"

	"github.com/workspace-go/workspace/store"
)

// Unread is a member's unread state in a conversation.
type Unread struct {
	// Messages counts timeline messages after the read cursor that are
	// not deleted (and not purged).
	Messages int `json:"messages"`
	// Mentions counts those of them that mention the member by name or
	// @all.
	Mentions int `json:"mentions"`
	// ReadSeq is the timeline position the member has read up to.
	ReadSeq uint64 `json:"read_seq"`
}

// Unread returns actor's unread count and unread mentions in a
// conversation. It costs a few key lookups whatever the history's length:
// the count is the distance from the read cursor to the newest position,
// less the tombstones after the cursor (a range count), and mentions are
// range counts over the mention keys after the cursor.
func (s *Service) Unread(ctx context.Context, actor, conv string) (Unread, error) {
	var u Unread
	err := s.view(ctx, fmt.Sprintf("unread in conversation %q", conv), actor, func(tx store.Tx) error {
		var err error
		u, err = unread(tx, conv, actor)
		return err
	})
	if err != nil {
		return Unread{}, err
	}
	return u, nil
}

func unread(tx store.Tx, conv, actor string) (Unread, error) {
	if err := checkID("conversation", conv); err != nil {
		return Unread{}, err
	}
	cb, err := tx.Get(kCounters(conv))
	if err != nil {
		if isNotFound(err) {
			return Unread{}, ErrNotFound
		}
		return Unread{}, err
	}
	cnt := decodeCounters(cb)
	read, err := readCursor(tx, conv, actor)
	if err != nil {
		return Unread{}, err
	}
	u := Unread{ReadSeq: read}
	from := max(read, cnt.purged)
	last := lastSeq(tx, conv, cnt)
	if last <= from {
		return u, nil
	}
	u.Messages = int(last-from) - countAfter(tx, kDels(conv), from)
	u.Mentions = countAfter(tx, kMentions(conv, actor), from) + countAfter(tx, kMentionsAll(conv), from)
	return u, nil
}

// MarkRead moves actor's read cursor in a conversation to the message upTo
// (empty: the newest message). Moving it back marks messages unread again.
func (s *Service) MarkRead(ctx context.Context, actor, conv, upTo string) error {
	return s.mutate(ctx, fmt.Sprintf("mark conversation %q read", conv), actor, func(tx store.Tx, now time.Time) error {
		if err := checkID("conversation", conv); err != nil {
			return err
		}
		cb, err := tx.Get(kCounters(conv))
		if err != nil {
			if isNotFound(err) {
				return ErrNotFound
			}
			return err
		}
		prev, err := readCursor(tx, conv, actor)
		if err != nil {
			return err
		}
		seq := lastSeq(tx, conv, decodeCounters(cb))
		if upTo != "" {
			msg, _, err := loadMsg(tx, upTo)
			if err != nil {
				return fmt.Errorf("message %q: %w", upTo, err)
			}
			if msg.Conversation != conv || msg.Seq == 0 {
				return fmt.Errorf("message %q is not in the conversation's timeline: %w", upTo, ErrInvalid)
			}
			seq = msg.Seq
		}
		if err := tx.Put(kRead(conv, actor), encodeSeq(seq)); err != nil {
			return err
		}
		_, err = appendChange(tx, Change{Type: ReadUpdated, Conversation: conv, Actor: actor, At: now, User: actor, ReadSeq: seq, PrevReadSeq: prev})
		return err
	})
}

// ConversationUnread is one conversation's line in a user's sidebar.
type ConversationUnread struct {
	Conversation Conversation `json:"conversation"`
	Unread       Unread       `json:"unread"`
}

// UnreadCounts returns a page of the conversations actor belongs to (in
// order of creation) with their unread counts and unread mentions: what a
// sidebar shows. It costs one Unread per conversation.
func (s *Service) UnreadCounts(ctx context.Context, actor string, o ListOptions) (store.Page[ConversationUnread], error) {
	var p store.Page[ConversationUnread]
	err := s.view(ctx, "unread counts", actor, func(tx store.Tx) error {
		var err error
		p, err = conversationPage(tx, actor, o, func(c Conversation) (ConversationUnread, error) {
			u, err := unread(tx, c.ID, actor)
			return ConversationUnread{Conversation: c, Unread: u}, err
		})
		return err
	})
	return p, err
}
