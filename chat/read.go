package chat

import (
	"context"
	"fmt"

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
	ReadSeq uint64 `json:"readSeq"`
}

// Unread returns actor's unread count and unread mentions in a
// conversation. It costs a few key lookups whatever the history's length:
// the count is the distance from the read cursor to the newest position,
// less the tombstones after the cursor (a range count), and mentions are
// range counts over the mention keys after the cursor.
func (s *Service) Unread(ctx context.Context, actor, conv string) (Unread, error) {
	if err := checkUser(actor); err != nil {
		return Unread{}, fmt.Errorf("chat: unread in conversation %q: acting user: %w", conv, err)
	}
	var u Unread
	err := s.st.View(ctx, func(tx store.Tx) error {
		var err error
		u, err = unread(tx, conv, actor)
		return err
	})
	if err != nil {
		return Unread{}, fmt.Errorf("chat: unread in conversation %q: %w", conv, err)
	}
	return u, nil
}

func unread(tx store.Tx, conv, actor string) (Unread, error) {
	cb, err := tx.Get(kCounters(conv))
	if err != nil {
		if isNotFound(err) {
			return Unread{}, ErrNoConversation
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
	op := fmt.Sprintf("mark conversation %q read", conv)
	if err := checkActor(op, actor); err != nil {
		return err
	}
	now := s.now().UTC()
	err := s.st.Update(ctx, func(tx store.Tx) error {
		cb, err := tx.Get(kCounters(conv))
		if err != nil {
			if isNotFound(err) {
				return ErrNoConversation
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
				return err
			}
			if msg.Conversation != conv || msg.Seq == 0 {
				return fmt.Errorf("message %q is not in the conversation's timeline: %w", upTo, ErrInvalid)
			}
			seq = msg.Seq
		}
		if err := tx.Put(kRead(conv, actor), encodeSeq(seq)); err != nil {
			return err
		}
		return appendChange(tx, Change{Type: ReadUpdated, Conversation: conv, Actor: actor, At: now, User: actor, ReadSeq: seq, PrevReadSeq: prev})
	})
	if err != nil {
		return fmt.Errorf("chat: %s: %w", op, err)
	}
	return nil
}

// ConversationUnread is one conversation's line in a user's sidebar.
type ConversationUnread struct {
	Conversation Conversation `json:"conversation"`
	Unread       Unread       `json:"unread"`
}

// UnreadCounts returns, for every conversation actor belongs to (in order
// of creation), its unread count and unread mentions: what a sidebar
// shows. It costs one Unread per conversation.
func (s *Service) UnreadCounts(ctx context.Context, actor string) ([]ConversationUnread, error) {
	op := "unread counts"
	if err := checkActor(op, actor); err != nil {
		return nil, err
	}
	var out []ConversationUnread
	err := s.st.View(ctx, func(tx store.Tx) error {
		return eachConversation(tx, actor, func(c Conversation) error {
			u, err := unread(tx, c.ID, actor)
			if err != nil {
				return err
			}
			out = append(out, ConversationUnread{Conversation: c, Unread: u})
			return nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("chat: %s: %w", op, err)
	}
	return out, nil
}
