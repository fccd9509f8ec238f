package chat

import (
	"cmp"
	"slices"
)

// Limits on what one subscription watches for receipts.changed.
const (
	// watchPerLine is how many of the subscriber's newest messages are
	// watched per timeline or thread.
	watchPerLine = 64
	// watchLines is how many timelines and threads are watched; the one
	// with the oldest watched message makes room for a new one.
	watchLines = 64
)

// lineKey names a timeline (root "") or a thread.
type lineKey struct{ conv, root string }

// ownMsg is one of the subscriber's messages, at its position in a line
// (Seq in the timeline, ThreadSeq in a thread).
type ownMsg struct {
	pos uint64
	id  string
}

// watchedLine is what a subscription knows of one line.
type watchedLine struct {
	msgs []ownMsg // by position
	// seen is the newest cursor of other members the log has shown
	// since the line was watched, so that a post (which moves its
	// author's cursor, but says not from where) reports only what it
	// passed.
	seen map[string]uint64
	last uint64 // log position of the newest watched message
}

// receiptWatch derives receipts.changed for one subscriber from the log
// records the subscription reads anyway: no store read, no write on the
// reading side. It watches the subscriber's messages posted while the
// subscription runs (the ones a sender's screen shows), the newest
// watchPerLine per line, in at most watchLines lines.
type receiptWatch struct {
	user  string
	lines map[lineKey]*watchedLine
}

func newReceiptWatch(user string) *receiptWatch {
	return &receiptWatch{user: user, lines: map[lineKey]*watchedLine{}}
}

// changes returns the receipts.changed records that c makes for the
// subscriber, a member of c's conversation when member is true.
func (w *receiptWatch) changes(c Change, member bool) []Change {
	if !member {
		if c.User == w.user && (c.Type == MemberLeft || c.Type == MemberRemoved) {
			w.drop(c.Conversation)
		}
		return nil
	}
	switch c.Type {
	case MessageCreated:
		if c.Message == nil {
			return nil
		}
		if c.Actor == w.user {
			w.track(c)
			return nil
		}
		return w.posted(c)
	case MessageDeleted:
		if c.Message != nil {
			w.untrack(c.Message)
		}
	case ReadUpdated, ThreadRead:
		if c.User != w.user {
			if l := w.lines[lineKey{c.Conversation, c.Root}]; l != nil {
				l.seen[c.User] = c.ReadSeq
				lo, hi := min(c.PrevReadSeq, c.ReadSeq), max(c.PrevReadSeq, c.ReadSeq)
				return w.emit(nil, c, c.Root, l.between(lo, hi))
			}
		}
	case ThreadFollowed, ThreadUnfollowed:
		// The thread's audience changed.
		if l := w.lines[lineKey{c.Conversation, c.Root}]; c.User != w.user && l != nil {
			return w.emit(nil, c, c.Root, l.ids())
		}
	case MemberLeft, MemberRemoved:
		// Someone who left is counted no more, wherever they were.
		var out []Change
		for k, l := range w.lines {
			if k.conv == c.Conversation {
				out = w.emit(out, c, k.root, l.ids())
			}
		}
		slices.SortFunc(out, func(a, b Change) int { return cmp.Compare(a.Root, b.Root) })
		return out
	}
	return nil
}

// track watches the subscriber's new message.
func (w *receiptWatch) track(c Change) {
	m := c.Message
	if m.Seq != 0 {
		w.line(lineKey{m.Conversation, ""}, c.Seq).add(ownMsg{m.Seq, m.ID})
	}
	if m.Root != "" {
		w.line(lineKey{m.Conversation, m.Root}, c.Seq).add(ownMsg{m.ThreadSeq, m.ID})
	}
}

// posted reports the subscriber's messages another member's post passed:
// a post marks its line read up to it for its author. A thread reply
// that mentions people by name makes them follow: the thread's audience
// changed, so it reports every watched reply before it.
func (w *receiptWatch) posted(c Change) []Change {
	m := c.Message
	var out []Change
	if l := w.lines[lineKey{m.Conversation, ""}]; l != nil && m.Seq != 0 {
		prev := l.seen[m.Author]
		l.seen[m.Author] = m.Seq
		out = w.emit(out, c, "", l.between(prev, m.Seq))
	}
	if l := w.lines[lineKey{m.Conversation, m.Root}]; l != nil && m.Root != "" {
		prev := l.seen[m.Author]
		if len(m.Mentions) > 0 {
			prev = 0
		}
		l.seen[m.Author] = m.ThreadSeq
		out = w.emit(out, c, m.Root, l.between(prev, m.ThreadSeq))
	}
	return out
}

// untrack stops watching a deleted message: its receipts are hidden.
func (w *receiptWatch) untrack(m *Message) {
	for _, k := range []lineKey{{m.Conversation, ""}, {m.Conversation, m.Root}} {
		if l := w.lines[k]; l != nil {
			l.msgs = slices.DeleteFunc(l.msgs, func(o ownMsg) bool { return o.id == m.ID })
			if len(l.msgs) == 0 {
				delete(w.lines, k)
			}
		}
	}
}

// drop forgets a conversation the subscriber left.
func (w *receiptWatch) drop(conv string) {
	for k := range w.lines {
		if k.conv == conv {
			delete(w.lines, k)
		}
	}
}

// line returns the watched line k, making room for it if it is new.
func (w *receiptWatch) line(k lineKey, logSeq uint64) *watchedLine {
	l := w.lines[k]
	if l == nil {
		if len(w.lines) >= watchLines {
			var oldest lineKey
			var at uint64
			for ok, ol := range w.lines {
				if at == 0 || ol.last < at {
					oldest, at = ok, ol.last
				}
			}
			delete(w.lines, oldest)
		}
		l = &watchedLine{seen: map[string]uint64{}}
		w.lines[k] = l
	}
	l.last = logSeq
	return l
}

func (l *watchedLine) add(m ownMsg) {
	i, _ := slices.BinarySearchFunc(l.msgs, m.pos, func(o ownMsg, p uint64) int { return cmp.Compare(o.pos, p) })
	l.msgs = slices.Insert(l.msgs, i, m)
	if len(l.msgs) > watchPerLine {
		l.msgs = slices.Delete(l.msgs, 0, len(l.msgs)-watchPerLine)
	}
}

// between returns the ids of the watched messages at positions in
// (lo, hi].
func (l *watchedLine) between(lo, hi uint64) []string {
	var ids []string
	for _, m := range l.msgs {
		if m.pos > lo && m.pos <= hi {
			ids = append(ids, m.id)
		}
	}
	return ids
}

// emit appends to out the receipts.changed that c makes for ids in the
// line of root, if there are any.
func (w *receiptWatch) emit(out []Change, c Change, root string, ids []string) []Change {
	if len(ids) == 0 {
		return out
	}
	user := c.User
	if c.Type == MessageCreated {
		user = c.Actor
	}
	return append(out, Change{Seq: c.Seq, Type: ReceiptsChanged, Conversation: c.Conversation, Actor: c.Actor,
		At: c.At, User: user, Root: root, MessageIDs: ids, ReadSeq: c.ReadSeq, PrevReadSeq: c.PrevReadSeq})
}

// ids returns the ids of every watched message of the line.
func (l *watchedLine) ids() []string { return l.between(0, l.msgs[len(l.msgs)-1].pos) }
