package chat

import (
	"context"
	"encoding/binary"
	"fmt"
	"slices"
	"time"

	"github.com/workspace-go/workspace/internal/keys"
	"github.com/workspace-go/workspace/store"
)

// Order is the order of messages in a page. It encodes as its string.
type Order string

// Orders. The zero value means the call's default: NewestFirst for
// History, OldestFirst for Replies.
const (
	NewestFirst Order = "newest_first"
	OldestFirst Order = "oldest_first"
)

// Query selects a page of a conversation's history or of a thread. Anchors
// are message ids. With neither Before, After, an anchor nor a Cursor, the
// page holds the newest messages.
//
// The page's Next continues the listing in its order: older messages for
// NewestFirst, newer ones for OldestFirst. Pass it back as Cursor, alone
// (with Limit and Order): it stands for Before or After.
type Query struct {
	// Before keeps messages posted before this one; After, those posted
	// after it. Both may be set.
	Before string `json:"before,omitempty"`
	After  string `json:"after,omitempty"`
	// Around centres the page on this message, which it includes: up to
	// half the limit before it and the rest from it on.
	Around string `json:"around,omitempty"`
	// AroundFirstUnread centres the page on the actor's first unread
	// message (or the newest messages when nothing is unread).
	AroundFirstUnread bool `json:"around_first_unread,omitempty"`
	// Cursor is the Next of an earlier page.
	Cursor string `json:"cursor,omitempty"`
	// Limit is the most messages returned: <= 0 means DefaultLimit, at
	// most MaxLimit.
	Limit int `json:"limit,omitempty"`
	// Order of the page's items.
	Order Order `json:"order,omitempty"`
}

// lineCursor is a position in a timeline or thread, as a page's Next: the
// listing goes on before (older) or after (newer) seq.
func lineCursor(before bool, seq uint64) string {
	b := make([]byte, 9)
	b[0] = 'a'
	if before {
		b[0] = 'b'
	}
	binary.BigEndian.PutUint64(b[1:], seq)
	return encodeCursor(b)
}

func parseLineCursor(c string) (before bool, seq uint64, err error) {
	b, err := decodeCursor(c)
	if err != nil {
		return false, 0, err
	}
	if len(b) != 9 || b[0] != 'a' && b[0] != 'b' {
		return false, 0, fmt.Errorf("cursor %q: malformed: %w", c, ErrInvalid)
	}
	return b[0] == 'b', binary.BigEndian.Uint64(b[1:]), nil
}

// line is an ordered run of messages under prefix, keyed by sequence
// number: a conversation's timeline or a thread.
type line struct {
	prefix []byte
	// anchor returns a message's position in the line, and false when the
	// message is not in it.
	anchor func(Message) (uint64, bool)
	read   uint64 // the actor's read cursor, for AroundFirstUnread
}

func (l line) key(seq uint64) []byte { return withSeq(l.prefix, seq) }

func (l line) seqOf(tx store.Tx, id string) (uint64, error) {
	m, _, err := loadMsg(tx, id)
	if err != nil {
		return 0, err
	}
	seq, ok := l.anchor(m)
	if !ok || seq == 0 {
		return 0, fmt.Errorf("message %q is not in this timeline or thread: %w", id, ErrInvalid)
	}
	return seq, nil
}

// scan decodes up to limit messages with seq in [lo, hi), ascending or
// descending.
func (l line) scan(tx store.Tx, lo, hi uint64, reverse bool, limit int) ([]Message, error) {
	if lo >= hi {
		return nil, nil
	}
	r := store.Range{Start: l.key(lo), Reverse: reverse, Limit: limit}
	if hi != ^uint64(0) {
		r.End = l.key(hi)
	} else {
		r.End = store.PrefixEnd(l.prefix)
	}
	out := make([]Message, 0, limit)
	for k, v := range tx.Scan(r) {
		m, err := decodeMessage(k, v)
		if err != nil {
			return nil, err
		}
		out = append(out, m.visible())
	}
	return out, nil
}

func (l line) exists(tx store.Tx, lo, hi uint64) bool {
	if lo >= hi {
		return false
	}
	r := store.Range{Start: l.key(lo), End: l.key(hi), Limit: 1}
	if hi == ^uint64(0) {
		r.End = store.PrefixEnd(l.prefix)
	}
	for range tx.Scan(r) {
		return true
	}
	return false
}

// page answers q over the line. Sequence numbers start at 1.
func (l line) page(tx store.Tx, q Query) (store.Page[Message], error) {
	limit := pageLimit(q.Limit)
	switch q.Order {
	case NewestFirst, OldestFirst:
	default:
		return store.Page[Message]{}, fmt.Errorf("order %q: %w", q.Order, ErrInvalid)
	}
	lo, hi := uint64(1), ^uint64(0) // [lo, hi)
	forward := q.After != "" && q.Before == ""
	if q.Cursor != "" {
		if q.Before != "" || q.After != "" || q.Around != "" || q.AroundFirstUnread {
			return store.Page[Message]{}, fmt.Errorf("a cursor with an anchor: %w", ErrInvalid)
		}
		before, seq, err := parseLineCursor(q.Cursor)
		if err != nil {
			return store.Page[Message]{}, err
		}
		forward = !before
		if before {
			hi = max(seq, 1)
		} else {
			lo = min(seq, ^uint64(0)-1) + 1
		}
	}
	if q.After != "" {
		s, err := l.seqOf(tx, q.After)
		if err != nil {
			return store.Page[Message]{}, err
		}
		lo = s + 1
	}
	if q.Before != "" {
		s, err := l.seqOf(tx, q.Before)
		if err != nil {
			return store.Page[Message]{}, err
		}
		hi = s
	}
	var anchor uint64
	switch {
	case q.Around != "":
		s, err := l.seqOf(tx, q.Around)
		if err != nil {
			return store.Page[Message]{}, err
		}
		anchor = s
	case q.AroundFirstUnread:
		anchor = l.read + 1
	}
	var msgs []Message // ascending
	switch {
	case anchor != 0:
		older, err := l.scan(tx, lo, min(max(anchor, lo), hi), true, limit/2)
		if err != nil {
			return store.Page[Message]{}, err
		}
		newer, err := l.scan(tx, max(anchor, lo), hi, false, limit-len(older))
		if err != nil {
			return store.Page[Message]{}, err
		}
		slices.Reverse(older)
		msgs = append(older, newer...)
		if len(newer) == 0 && q.AroundFirstUnread && q.Before == "" {
			// Nothing unread: show the newest messages instead.
			if msgs, err = l.scan(tx, lo, hi, true, limit); err != nil {
				return store.Page[Message]{}, err
			}
			slices.Reverse(msgs)
		}
	case forward:
		var err error
		if msgs, err = l.scan(tx, lo, hi, false, limit); err != nil {
			return store.Page[Message]{}, err
		}
	default:
		var err error
		if msgs, err = l.scan(tx, lo, hi, true, limit); err != nil {
			return store.Page[Message]{}, err
		}
		slices.Reverse(msgs)
	}
	if msgs == nil {
		msgs = []Message{}
	}
	p := store.Page[Message]{Items: msgs}
	first, last := lo, hi
	if len(msgs) > 0 {
		first, _ = l.anchor(msgs[0])
		last, _ = l.anchor(msgs[len(msgs)-1])
		last++
	}
	if q.Order == OldestFirst {
		if last != ^uint64(0) && l.exists(tx, last, ^uint64(0)) {
			p.Next = lineCursor(false, last-1)
		}
	} else {
		if l.exists(tx, 1, first) {
			p.Next = lineCursor(true, first)
		}
		slices.Reverse(p.Items)
	}
	return p, nil
}

// countAfter counts the keys prefix/<seq> with seq > after.
func countAfter(tx store.Tx, prefix []byte, after uint64) int {
	n := 0
	for range tx.Scan(store.Range{Start: withSeq(prefix, after+1), End: store.PrefixEnd(prefix)}) {
		n++
	}
	return n
}

// History returns a page of a conversation's timeline: top-level messages
// and replies also sent to the conversation, newest first unless q.Order
// says otherwise. Members may read it, and anyone may read a public
// channel's; any other conversation is [ErrNotFound].
func (s *Service) History(ctx context.Context, actor, conv string, q Query) (store.Page[Message], error) {
	if q.Order == "" {
		q.Order = NewestFirst
	}
	var p store.Page[Message]
	err := s.view(ctx, fmt.Sprintf("read history of conversation %q", conv), actor, func(tx store.Tx) error {
		if err := checkID("conversation", conv); err != nil {
			return err
		}
		read, err := readCursor(tx, conv, actor)
		if err != nil {
			if err := canRead(tx, conv, actor); err != nil {
				return err
			}
		}
		l := line{prefix: kTimeline(conv), anchor: func(m Message) (uint64, bool) {
			return m.Seq, m.Conversation == conv && m.Seq != 0
		}, read: read}
		p, err = l.page(tx, q)
		return err
	})
	return p, err
}

func parseInboxKey(k []byte) (conv, root string, at time.Time, err error) {
	parts, err := keys.Split(k)
	if err != nil || len(parts) != 6 {
		return "", "", at, fmt.Errorf("malformed inbox key %q", k)
	}
	t, err := keys.Time(parts[3])
	if err != nil {
		return "", "", at, fmt.Errorf("malformed inbox key %q", k)
	}
	return string(parts[4]), string(parts[5]), t, nil
}
