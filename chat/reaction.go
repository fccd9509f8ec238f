package chat

import (
	"context"
	"fmt"
	"slices"
	"unicode"
	"unicode/utf8"

	"github.com/workspace-go/workspace/store"
)

// maxEmojiLength is the longest emoji name or character sequence, in bytes.
const maxEmojiLength = 64

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
// time fails with ErrConflict.
func (s *Service) React(ctx context.Context, actor, id, emoji string) error {
	return s.react(ctx, actor, id, emoji, true)
}

// Unreact removes actor's reaction emoji from a message, or fails with
// ErrNotReacted.
func (s *Service) Unreact(ctx context.Context, actor, id, emoji string) error {
	return s.react(ctx, actor, id, emoji, false)
}

func (s *Service) react(ctx context.Context, actor, id, emoji string, add bool) error {
	op := fmt.Sprintf("react %q to message %q", emoji, id)
	if !add {
		op = fmt.Sprintf("remove reaction %q from message %q", emoji, id)
	}
	if err := checkActor(op, actor); err != nil {
		return err
	}
	if err := checkEmoji(emoji); err != nil {
		return fmt.Errorf("chat: %s: %w", op, err)
	}
	now := s.now().UTC()
	err := s.st.Update(ctx, func(tx store.Tx) error {
		m, _, err := loadMsg(tx, id)
		if err != nil {
			return err
		}
		if _, err := loadMember(tx, m.Conversation, actor); err != nil {
			return err
		}
		if m.Deleted {
			return ErrDeleted
		}
		i := slices.IndexFunc(m.Reactions, func(r Reaction) bool { return r.Emoji == emoji })
		typ := ReactionAdded
		if add {
			if i < 0 {
				m.Reactions = append(m.Reactions, Reaction{Emoji: emoji})
				i = len(m.Reactions) - 1
			}
			if slices.Contains(m.Reactions[i].Users, actor) {
				return fmt.Errorf("already reacted: %w", ErrConflict)
			}
			m.Reactions[i].Users = append(m.Reactions[i].Users, actor)
		} else {
			typ = ReactionRemoved
			j := -1
			if i >= 0 {
				j = slices.Index(m.Reactions[i].Users, actor)
			}
			if j < 0 {
				return ErrNotReacted
			}
			m.Reactions[i].Users = slices.Delete(m.Reactions[i].Users, j, j+1)
			if len(m.Reactions[i].Users) == 0 {
				m.Reactions = slices.Delete(m.Reactions, i, i+1)
			}
		}
		if err := saveMsg(tx, &m); err != nil {
			return err
		}
		return appendChange(tx, Change{Type: typ, Conversation: m.Conversation, Actor: actor, At: now,
			MessageID: id, Root: m.Root, Emoji: emoji})
	})
	if err != nil {
		return fmt.Errorf("chat: %s: %w", op, err)
	}
	return nil
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
	if err := checkActor(op, actor); err != nil {
		return err
	}
	now := s.now().UTC()
	err := s.st.Update(ctx, func(tx store.Tx) error {
		m, pk, err := loadMsg(tx, id)
		if err != nil {
			return err
		}
		if _, err := loadMember(tx, m.Conversation, actor); err != nil {
			return err
		}
		switch {
		case m.Deleted:
			return ErrDeleted
		case m.Pinned == pin && pin:
			return fmt.Errorf("already pinned: %w", ErrConflict)
		case m.Pinned == pin:
			return fmt.Errorf("not pinned: %w", ErrConflict)
		}
		typ := MessagePinned
		if pin {
			m.Pinned, m.PinnedBy = true, actor
			err = tx.Put(kPin(m.Conversation, id), pk)
		} else {
			typ = MessageUnpinned
			m.Pinned, m.PinnedBy = false, ""
			err = tx.Delete(kPin(m.Conversation, id))
		}
		if err != nil {
			return err
		}
		if err := saveMsg(tx, &m); err != nil {
			return err
		}
		return appendChange(tx, Change{Type: typ, Conversation: m.Conversation, Actor: actor, At: now,
			MessageID: id, Root: m.Root})
	})
	if err != nil {
		return fmt.Errorf("chat: %s: %w", op, err)
	}
	return nil
}

// Pinned lists the pinned messages of a conversation, oldest message first.
func (s *Service) Pinned(ctx context.Context, actor, conv string) ([]Message, error) {
	op := fmt.Sprintf("list pins of conversation %q", conv)
	if err := checkActor(op, actor); err != nil {
		return nil, err
	}
	var out []Message
	err := s.st.View(ctx, func(tx store.Tx) error {
		if err := canRead(tx, conv, actor); err != nil {
			return err
		}
		for _, pk := range tx.Scan(store.Prefix(kPins(conv))) {
			var m Message
			if err := getJSON(tx, slices.Clone(pk), &m); err != nil {
				return err
			}
			out = append(out, m.visible())
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("chat: %s: %w", op, err)
	}
	return out, nil
}
