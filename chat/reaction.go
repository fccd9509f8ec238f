package chat

import (
	"context"
	"fmt"
	"slices"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/workspace-go/workspace/store"
)

// maxEmojiLength is the longest emoji name or character sequence, in bytes.
const maxEmojiLength = 64

// Limits on reactions.
const (
	// MaxReactions is the most distinct emoji on one message: a new emoji
	// past it is refused with ErrTooLarge (reacting with one already
	// there is not).
	MaxReactions = 50
	// MaxReactionUsers is how many reactors of each emoji a Message
	// carries (the first ones); Count counts them all and
	// Service.Reactors lists them all.
	MaxReactionUsers = 20
)

func checkEmoji(e string) error {
	if e == "" || len(e) > maxEmojiLength || !utf8.ValidString(e) {
		return fmt.Errorf("emoji %q: must be 1 to %d bytes of UTF-8: %w", e, maxEmojiLength, ErrInvalid)
	}
	for _, r := range e {
		if unicode.IsSpace(r) || unicode.IsControl(r) {
			return fmt.Errorf("emoji %q: contains space or control characters: %w", e, ErrInvalid)
		}
	}
	return nil
}

// React adds actor's reaction emoji (a character like "👍" or a name like
// ":+1:") to a message. Each user reacts with a given emoji once: a second
// time fails with ErrConflict. A message takes at most MaxReactions
// distinct emoji. A React costs a few key lookups and rewrites a message
// record of bounded size, however many reacted before.
func (s *Service) React(ctx context.Context, actor, id, emoji string) error {
	return s.react(ctx, actor, id, emoji, true)
}

// Unreact removes actor's reaction emoji from a message, or fails with
// ErrNotFound.
func (s *Service) Unreact(ctx context.Context, actor, id, emoji string) error {
	return s.react(ctx, actor, id, emoji, false)
}

func (s *Service) react(ctx context.Context, actor, id, emoji string, add bool) error {
	op := fmt.Sprintf("react %q to message %q", emoji, id)
	if !add {
		op = fmt.Sprintf("remove reaction %q from message %q", emoji, id)
	}
	if err := checkEmoji(emoji); err != nil {
		return fmt.Errorf("chat: %s: %w", op, err)
	}
	return s.mutateMsg(ctx, op, actor, id, func(tx store.Tx, m *Message, _ *Conversation, _ Member, now time.Time) error {
		if m.Deleted {
			return ErrDeleted
		}
		typ := ReactionAdded
		var err error
		if add {
			err = addReaction(tx, m, emoji, actor)
		} else {
			typ = ReactionRemoved
			err = removeReaction(tx, m, emoji, actor)
		}
		if err != nil {
			return err
		}
		if err := saveMsg(tx, m); err != nil {
			return err
		}
		return appendContent(tx, id, Change{Type: typ, Conversation: m.Conversation, Actor: actor, At: now,
			MessageID: id, Root: m.Root, Emoji: emoji})
	})
}

// reacted reports whether user reacted with r's emoji to message id: a
// reactor key, or (for a record written before reactor keys were kept,
// which lists every reactor) a name in r.Users.
func reacted(tx store.Tx, id string, r *Reaction, user string) (bool, error) {
	if _, err := tx.Get(kReactor(id, r.Emoji, user)); err == nil {
		return true, nil
	} else if !isNotFound(err) {
		return false, err
	}
	return slices.Contains(r.Users, user), nil
}

func addReaction(tx store.Tx, m *Message, emoji, user string) error {
	i := slices.IndexFunc(m.Reactions, func(r Reaction) bool { return r.Emoji == emoji })
	if i < 0 {
		if len(m.Reactions) >= MaxReactions {
			return fmt.Errorf("%d distinct reactions already, the most a message takes: %w", MaxReactions, ErrTooLarge)
		}
		m.Reactions = append(m.Reactions, Reaction{Emoji: emoji, Users: []string{}})
		i = len(m.Reactions) - 1
	}
	r := &m.Reactions[i]
	if ok, err := reacted(tx, m.ID, r, user); err != nil {
		return err
	} else if ok {
		return fmt.Errorf("already reacted: %w", ErrConflict)
	}
	if err := tx.Put(kReactor(m.ID, emoji, user), []byte{}); err != nil {
		return err
	}
	r.Count++
	if len(r.Users) < MaxReactionUsers {
		r.Users = append(r.Users, user)
	}
	return nil
}

func removeReaction(tx store.Tx, m *Message, emoji, user string) error {
	i := slices.IndexFunc(m.Reactions, func(r Reaction) bool { return r.Emoji == emoji })
	if i < 0 {
		return ErrNotFound
	}
	r := &m.Reactions[i]
	if ok, err := reacted(tx, m.ID, r, user); err != nil {
		return err
	} else if !ok {
		return ErrNotFound
	}
	if err := tx.Delete(kReactor(m.ID, emoji, user)); err != nil {
		return err
	}
	r.Count--
	if j := slices.Index(r.Users, user); j >= 0 {
		r.Users = slices.Delete(r.Users, j, j+1)
	}
	if r.Count <= 0 {
		m.Reactions = slices.Delete(m.Reactions, i, i+1)
		return nil
	}
	if len(r.Users) < min(r.Count, MaxReactionUsers) {
		return refillReactors(tx, m.ID, r)
	}
	return nil
}

// refillReactors tops r.Users up to MaxReactionUsers from the reactor
// keys, after one of the users it showed took their reaction back. It
// reads at most 2·MaxReactionUsers keys.
func refillReactors(tx store.Tx, id string, r *Reaction) error {
	p := kReactors(id, r.Emoji)
	for k := range tx.Scan(store.Range{Start: p, End: store.PrefixEnd(p), Limit: 2 * MaxReactionUsers}) {
		if len(r.Users) >= MaxReactionUsers {
			break
		}
		u, err := lastPart(k)
		if err != nil {
			return err
		}
		if !slices.Contains(r.Users, u) {
			r.Users = append(r.Users, u)
		}
	}
	return nil
}

// Reactors returns a page of the users who reacted to message id with
// emoji, ordered by user id.
func (s *Service) Reactors(ctx context.Context, actor, id, emoji string, o ListOptions) (store.Page[string], error) {
	op := fmt.Sprintf("list reactors %q of message %q", emoji, id)
	if err := checkEmoji(emoji); err != nil {
		return store.Page[string]{}, fmt.Errorf("chat: %s: %w", op, err)
	}
	var p store.Page[string]
	err := s.view(ctx, op, actor, func(tx store.Tx) error {
		m, _, err := loadMsg(tx, id)
		if err != nil {
			return err
		}
		if err := canRead(tx, m.Conversation, actor); err != nil {
			return err
		}
		i := slices.IndexFunc(m.Reactions, func(r Reaction) bool { return r.Emoji == emoji })
		if m.Deleted || i < 0 {
			p = store.Page[string]{Items: []string{}}
			return nil
		}
		if r := m.Reactions[i]; r.Count == len(r.Users) && o.Cursor == "" && len(r.Users) <= pageLimit(o.Limit) {
			// All of them are on the message (and maybe not in keys,
			// for a record older than reactor keys).
			users := slices.Sorted(slices.Values(r.Users))
			p = store.Page[string]{Items: users}
			return nil
		}
		p, err = listPage(tx, kReactors(id, emoji), o, false, func(k, _ []byte) (string, bool, error) {
			u, err := lastPart(k)
			return u, err == nil, err
		})
		return err
	})
	return p, err
}

// Pin pins a message to its conversation; any member may pin. Pinning a
// pinned message fails with ErrConflict.
func (s *Service) Pin(ctx context.Context, actor, id string) error {
	return s.pin(ctx, actor, id, true)
}

// Unpin unpins a message; unpinning one that is not pinned fails with
// ErrConflict.
func (s *Service) Unpin(ctx context.Context, actor, id string) error {
	return s.pin(ctx, actor, id, false)
}

func (s *Service) pin(ctx context.Context, actor, id string, pin bool) error {
	op := fmt.Sprintf("pin message %q", id)
	if !pin {
		op = fmt.Sprintf("unpin message %q", id)
	}
	return s.mutateMsg(ctx, op, actor, id, func(tx store.Tx, m *Message, _ *Conversation, _ Member, now time.Time) error {
		switch {
		case m.Deleted:
			return ErrDeleted
		case m.Pinned == pin && pin:
			return fmt.Errorf("already pinned: %w", ErrConflict)
		case m.Pinned == pin:
			return fmt.Errorf("not pinned: %w", ErrConflict)
		}
		typ := MessagePinned
		var err error
		if pin {
			m.Pinned, m.PinnedBy = true, actor
			err = tx.Put(kPin(m.Conversation, id), primaryKey(m))
		} else {
			typ = MessageUnpinned
			m.Pinned, m.PinnedBy = false, ""
			err = tx.Delete(kPin(m.Conversation, id))
		}
		if err != nil {
			return err
		}
		if err := saveMsg(tx, m); err != nil {
			return err
		}
		_, err = appendChange(tx, Change{Type: typ, Conversation: m.Conversation, Actor: actor, At: now,
			MessageID: id, Root: m.Root})
		return err
	})
}

// Pinned returns a page of the pinned messages of a conversation, oldest
// message first.
func (s *Service) Pinned(ctx context.Context, actor, conv string, o ListOptions) (store.Page[Message], error) {
	var p store.Page[Message]
	err := s.view(ctx, fmt.Sprintf("list pins of conversation %q", conv), actor, func(tx store.Tx) error {
		if _, err := loadConv(tx, conv); err != nil {
			return err
		}
		if err := canRead(tx, conv, actor); err != nil {
			return err
		}
		var err error
		p, err = listPage(tx, kPins(conv), o, false, func(_, pk []byte) (Message, bool, error) {
			m, err := getMessage(tx, slices.Clone(pk))
			return m.visible(), err == nil, err
		})
		return err
	})
	return p, err
}
