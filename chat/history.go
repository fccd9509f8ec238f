package chat

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/workspace-go/workspace/internal/keys"
	"github.com/workspace-go/workspace/store"
)

// Order is the order of messages in a Page.
type Order int

// Orders. The zero value means the call's default: NewestFirst for
// History, OldestFirst for Replies.
const (
	NewestFirst Order = iota + 1
	OldestFirst
)

// Paging limits.
const (
	defaultLimit = 50
	maxLimit     = 200
)

// Query selects a page of a conversation's history or of a thread. Cursors
// are message ids. With neither Before, After nor an anchor, the page holds
// the newest messages.
type Query struct {
	// Before keeps messages posted before this one; After, those posted
	// after it. Both may be set.
	Before, After string
	// Around centres the page on this message, which it includes: up to
	// half the limit before it and the rest from it on.
	Around string
	// AroundFirstUnread centres the page on the actor's first unread
	// message (or the newest messages when nothing is unread).
	AroundFirstUnread bool
	// Limit is the most messages returned: <= 0 means 50, at most 200.
	Limit int
	// Order of Page.Messages.
	Order Order
}

// Page is a page of messages.
type Page struct {
	Messages []Message
	// MoreBefore reports older messages before the page; MoreAfter, newer
	// ones after it. Use the first and last ids as cursors to fetch them.
	MoreBefore, MoreAfter bool
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
	for _, v := range tx.Scan(r) {
		var m Message
		if err := decodeJSON(v, &m); err != nil {
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
func (l line) page(tx store.Tx, q Query) (Page, error) {
	limit := q.Limit
	switch {
	case limit <= 0:
		limit = defaultLimit
	case limit > maxLimit:
		limit = maxLimit
	}
	lo, hi := uint64(1), ^uint64(0) // [lo, hi)
	if q.After != "" {
		s, err := l.seqOf(tx, q.After)
		if err != nil {
			return Page{}, err
		}
		lo = s + 1
	}
	if q.Before != "" {
		s, err := l.seqOf(tx, q.Before)
		if err != nil {
			return Page{}, err
		}
		hi = s
	}
	var anchor uint64
	switch {
	case q.Around != "":
		s, err := l.seqOf(tx, q.Around)
		if err != nil {
			return Page{}, err
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
			return Page{}, err
		}
		newer, err := l.scan(tx, max(anchor, lo), hi, false, limit-len(older))
		if err != nil {
			return Page{}, err
		}
		slices.Reverse(older)
		msgs = append(older, newer...)
		if len(newer) == 0 && q.AroundFirstUnread && q.Before == "" {
			// Nothing unread: show the newest messages instead.
			if msgs, err = l.scan(tx, lo, hi, true, limit); err != nil {
				return Page{}, err
			}
			slices.Reverse(msgs)
		}
	case q.After != "" && q.Before == "":
		var err error
		if msgs, err = l.scan(tx, lo, hi, false, limit); err != nil {
			return Page{}, err
		}
	default:
		var err error
		if msgs, err = l.scan(tx, lo, hi, true, limit); err != nil {
			return Page{}, err
		}
		slices.Reverse(msgs)
	}
	p := Page{Messages: msgs}
	first, last := lo, hi
	if len(msgs) > 0 {
		first, _ = l.anchor(msgs[0])
		last, _ = l.anchor(msgs[len(msgs)-1])
		last++
	}
	p.MoreBefore = l.exists(tx, 1, first)
	p.MoreAfter = l.exists(tx, last, ^uint64(0))
	if q.Order != OldestFirst {
		slices.Reverse(p.Messages)
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
// channel's.
func (s *Service) History(ctx context.Context, actor, conv string, q Query) (Page, error) {
	op := fmt.Sprintf("read history of conversation %q", conv)
	if err := checkActor(op, actor); err != nil {
		return Page{}, err
	}
	var p Page
	err := s.st.View(ctx, func(tx store.Tx) error {
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
	if err != nil {
		return Page{}, fmt.Errorf("chat: %s: %w", op, err)
	}
	return p, nil
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
