package chat

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/workspace-go/workspace/internal/keys"
	"github.com/workspace-go/workspace/store"
)

// Receipt is who has read a message and who has not: the "已读 3 · 未读 5"
// that DingTalk, Feishu and WeCom show the sender of a group message.
type Receipt struct {
	MessageID    string `json:"message_id"`
	Conversation string `json:"conversation"`
	// Thread reports a reply that stays in its thread: it has no place in
	// the timeline, so its readers are the thread's followers, by their
	// thread read cursors.
	Thread bool `json:"thread,omitempty"`
	// Read and Unread are the users who have read the message and those
	// who have not, sorted. The author is in neither; see Receipts for
	// who is counted.
	Read   []string `json:"read"`
	Unread []string `json:"unread"`
	// ReadCount and UnreadCount are len(Read) and len(Unread).
	ReadCount   int `json:"read_count"`
	UnreadCount int `json:"unread_count"`
}

// Receipts returns the read receipt of message id: which members have read
// it and which have not.
//
// Who is counted: for a message in the conversation's timeline (a
// top-level message, or a reply also sent to the conversation), the
// current members who were already members when it was posted, as
// DingTalk counts them. Someone who left is in neither list, and neither
// is someone who joined after the message (even if they left and came
// back). A member has read the message when their read cursor is at or
// past its position; for a reply also sent to the conversation, reading
// it in the thread (a follower's thread cursor at or past it) counts too.
// For a reply that stays in its thread, the counted users are the
// thread's current followers who are still members, by their thread read
// cursors; a user who starts following later has had the earlier replies
// marked read by following, so counts as having read it.
//
// Who may ask: the message's author, while a member of the conversation,
// and compliance officers (see [WithCompliance]). Anyone else, members
// included, gets an error wrapping [ErrPermission]: as in Feishu and
// DingTalk, receipts are the sender's, and other members see neither
// lists nor counts. Receipts of a deleted (recalled) message are hidden
// from its author, who gets [ErrDeleted]; compliance officers still see
// them, as they see deleted content in [Service.Export]. An unknown id
// gets [ErrNotFound], as does a message of a conversation the actor may not see.
//
// It costs one range scan over the conversation's read cursors and one
// over the positions of members who joined after the conversation was
// created: O(members), whatever the history's length. For a thread
// reply it costs two lookups per follower.
func (s *Service) Receipts(ctx context.Context, actor, id string) (Receipt, error) {
	op := fmt.Sprintf("read receipts of message %q", id)
	if id == "" {
		return Receipt{}, fmt.Errorf("chat: %s: empty message id: %w", op, ErrInvalid)
	}
	officer := s.officers(actor)
	var r Receipt
	err := s.view(ctx, op, actor, func(tx store.Tx) error {
		m, _, err := loadMsg(tx, id)
		if err != nil {
			return err
		}
		if !officer {
			if err := canRead(tx, m.Conversation, actor); err != nil {
				return err
			}
			if m.Author != actor {
				return fmt.Errorf("only the author or a compliance officer sees who read a message: %w", ErrPermission)
			}
			if _, err := readCursor(tx, m.Conversation, actor); err != nil {
				return err
			}
			if m.Deleted {
				return ErrDeleted
			}
		}
		r, err = receipt(tx, m)
		return err
	})
	if err != nil {
		return Receipt{}, err
	}
	return r, nil
}

// receipt computes m's read receipt.
func receipt(tx store.Tx, m Message) (Receipt, error) {
	r := Receipt{MessageID: m.ID, Conversation: m.Conversation, Read: []string{}, Unread: []string{}}
	var err error
	if m.Seq == 0 {
		r.Thread = true
		err = threadReceipt(tx, m, &r)
	} else {
		err = timelineReceipt(tx, m, &r)
	}
	r.ReadCount, r.UnreadCount = len(r.Read), len(r.Unread)
	return r, err
}

// timelineReceipt fills r for m, a message at a timeline position, from
// the read cursors of the members who were members when it was posted.
func timelineReceipt(tx store.Tx, m Message, r *Receipt) error {
	conv := m.Conversation
	// The members who joined at or after m's position. Their keys end
	// with the same user part as the read cursors' and so come in the
	// same order: one pass over both lists.
	var late [][]byte
	jp := kJoineds(conv)
	for k, v := range tx.Scan(store.Prefix(jp)) {
		if decodeSeq(v) >= m.Seq {
			late = append(late, slices.Clone(k[len(jp):]))
		}
	}
	rp := kReads(conv)
	for k, v := range tx.Scan(store.Prefix(rp)) {
		part := k[len(rp):]
		for len(late) > 0 && bytes.Compare(late[0], part) < 0 {
			late = late[1:]
		}
		if len(late) > 0 && bytes.Equal(late[0], part) {
			continue // joined after the message
		}
		user, err := userPart(part)
		if err != nil {
			return fmt.Errorf("malformed key %q: %w", k, err)
		}
		switch {
		case user == m.Author:
		case decodeSeq(v) >= m.Seq:
			r.Read = append(r.Read, user)
		default:
			r.Unread = append(r.Unread, user)
		}
	}
	if m.Root == "" || len(r.Unread) == 0 {
		return nil
	}
	// A reply also sent to the conversation may have been read in its
	// thread instead.
	st, err := loadThreadState(tx, conv, m.Root)
	if err != nil {
		return err
	}
	unread := r.Unread[:0]
	moved := false
	for _, u := range r.Unread {
		if _, ok := slices.BinarySearch(st.Followers, u); ok {
			f, _, err := loadFollow(tx, u, conv, m.Root)
			if err != nil {
				return err
			}
			if f.ReadSeq >= m.ThreadSeq {
				r.Read = append(r.Read, u)
				moved = true
				continue
			}
		}
		unread = append(unread, u)
	}
	r.Unread = unread
	if moved {
		slices.Sort(r.Read)
	}
	return nil
}

// threadReceipt fills r for m, a reply that stays in its thread, from the
// thread read cursors of the thread's followers who are still members.
func threadReceipt(tx store.Tx, m Message, r *Receipt) error {
	conv := m.Conversation
	st, err := loadThreadState(tx, conv, m.Root)
	if err != nil {
		return err
	}
	for _, u := range st.Followers { // sorted
		if u == m.Author {
			continue
		}
		if _, err := readCursor(tx, conv, u); errors.Is(err, ErrNotMember) || errors.Is(err, ErrNotFound) {
			continue // left the conversation
		} else if err != nil {
			return err
		}
		f, _, err := loadFollow(tx, u, conv, m.Root)
		if err != nil {
			return err
		}
		if f.ReadSeq >= m.ThreadSeq {
			r.Read = append(r.Read, u)
		} else {
			r.Unread = append(r.Unread, u)
		}
	}
	return nil
}

// userPart decodes a key's last part, a user id. User ids hold no zero
// byte (checkUser rejects control characters), so the part is the id and
// its terminator; anything else takes the general decoder.
func userPart(part []byte) (string, error) {
	if n := len(part) - 2; n >= 0 && part[n] == 0 && part[n+1] == 1 && bytes.IndexByte(part[:n], 0) < 0 {
		return string(part[:n]), nil
	}
	parts, err := keys.Split(part)
	if err != nil {
		return "", err
	}
	if len(parts) != 1 {
		return "", keys.ErrMalformed
	}
	return string(parts[0]), nil
}
