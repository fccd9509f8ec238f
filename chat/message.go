package chat

import (
	"context"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/workspace-go/workspace/internal/keys"
	"github.com/workspace-go/workspace/internal/record"
	"github.com/workspace-go/workspace/store"
)

// MaxTextLength is the longest message text, in characters (Unicode code
// points).
const MaxTextLength = 40000

// maxClientIDLength is the longest client message id, in bytes.
const maxClientIDLength = 128

// maxParticipants caps the participants a root message lists.
const maxParticipants = 100

// Priority marks how urgent a message is.
type Priority string

// Priorities. The zero value means PriorityNormal.
const (
	PriorityNormal    Priority = "normal"
	PriorityImportant Priority = "important"
	PriorityUrgent    Priority = "urgent"
)

// Message is a message in a conversation's timeline or in a thread.
//
// A reply has Root set to the id of its thread's root and ThreadSeq to its
// position in the thread; it has a Seq (a place in the conversation's
// timeline) only when it was also sent to the conversation.
type Message struct {
	ID           string `json:"id"`
	Conversation string `json:"conversation"`
	Author       string `json:"author"`
	// Seq is the message's position in the conversation timeline: 1, 2, ...
	// in posting order. Zero for a reply that stays in its thread.
	Seq uint64 `json:"seq,omitempty"`
	// ClientID is the client's id for the send, which makes retries safe.
	ClientID string   `json:"client_id,omitempty"`
	Text     string   `json:"text"`
	Mentions []string `json:"mentions,omitempty"`
	// MentionAll reports an @all mention.
	MentionAll bool      `json:"mention_all,omitempty"`
	Priority   Priority  `json:"priority,omitempty"`
	CreatedAt  time.Time `json:"created_at"`
	// EditedAt is when the text was last changed; Version counts the
	// versions (1 until the first edit).
	EditedAt  time.Time  `json:"edited_at,omitzero"`
	Version   int        `json:"version"`
	Deleted   bool       `json:"deleted,omitempty"`
	DeletedAt time.Time  `json:"deleted_at,omitzero"`
	DeletedBy string     `json:"deleted_by,omitempty"`
	Reactions []Reaction `json:"reactions,omitempty"`
	Pinned    bool       `json:"pinned,omitempty"`
	PinnedBy  string     `json:"pinned_by,omitempty"`

	// Root is the id of the thread's root message, for a reply.
	Root string `json:"root,omitempty"`
	// ThreadSeq is the reply's position in its thread: 1, 2, ...
	ThreadSeq uint64 `json:"thread_seq,omitempty"`
	// AlsoInConversation reports a reply also sent to the conversation.
	AlsoInConversation bool `json:"also_in_conversation,omitempty"`

	// ReplyCount, LastReplyAt and Participants summarise a root's thread:
	// replies that are not deleted, the time of the newest reply, and the
	// repliers in order of first reply (at most 100).
	ReplyCount   int       `json:"reply_count,omitempty"`
	LastReplyAt  time.Time `json:"last_reply_at,omitzero"`
	Participants []string  `json:"participants,omitempty"`
	// LastReplySeq is the ThreadSeq of the newest reply, deleted or not.
	LastReplySeq uint64 `json:"last_reply_seq,omitempty"`
}

// Reaction is one emoji on a message: how many users reacted with it and
// the first of them, in order (at most MaxReactionUsers; Service.Reactors
// lists them all).
type Reaction struct {
	Emoji string   `json:"emoji"`
	Count int      `json:"count"`
	Users []string `json:"users"`
}

// Version is an earlier text of an edited message.
type Version struct {
	Version  int       `json:"version"`
	Text     string    `json:"text"`
	Mentions []string  `json:"mentions,omitempty"`
	At       time.Time `json:"at"` // when this version was written
}

// Draft is a message to post.
type Draft struct {
	Text string `json:"text"`
	// ClientID, when set, makes the send idempotent: a second Post by the
	// same author in the same conversation with the same ClientID returns
	// the first message and writes nothing.
	ClientID string   `json:"client_id,omitempty"`
	Priority Priority `json:"priority,omitempty"`
	// ReplyTo makes the message a reply in the thread of that message. A
	// reply to a reply joins the thread of the replied-to message's root:
	// threads are one level deep, as in Slack and Mattermost. A reply to a
	// deleted root is refused with ErrDeleted.
	ReplyTo string `json:"reply_to,omitempty"`
	// AlsoToConversation sends a reply to the conversation's timeline too.
	AlsoToConversation bool `json:"also_to_conversation,omitempty"`
}

// visible returns m as readers see it: a deleted message keeps its
// identity and position but not its content.
// visible returns m as readers see it: a deleted message keeps its
// identity and position but not its content.
func (m Message) visible() Message {
	if m.Deleted {
		m.Text, m.Mentions, m.MentionAll, m.Reactions = "", nil, false, nil
	}
	return m
}

func checkText(text string) error {
	switch {
	case !utf8.ValidString(text):
		return fmt.Errorf("text is not valid UTF-8: %w", ErrBadText)
	case strings.TrimSpace(text) == "":
		return fmt.Errorf("text is empty: %w", ErrBadText)
	}
	if len(text) > MaxTextLength {
		if n := utf8.RuneCountInString(text); n > MaxTextLength {
			return fmt.Errorf("text of %d characters exceeds %d: %w", n, MaxTextLength, ErrTooLarge)
		}
	}
	return nil
}

func checkPriority(p Priority) (Priority, error) {
	switch p {
	case "":
		return PriorityNormal, nil
	case PriorityNormal, PriorityImportant, PriorityUrgent:
		return p, nil
	}
	return "", fmt.Errorf("priority %q: %w", p, ErrInvalid)
}

// checkID refuses an empty or oversized id before it reaches a key.
func checkID(what, id string) error {
	if id == "" || len(id) > maxIDLength {
		return fmt.Errorf("%s id %q: must be 1 to %d bytes: %w", what, id, maxIDLength, ErrInvalid)
	}
	return nil
}

// maxIDLength is the longest conversation or message id, in bytes.
const maxIDLength = 256

// loadMsg returns the message with the given id and the key of its record.
func loadMsg(tx store.Tx, id string) (Message, []byte, error) {
	if err := checkID("message", id); err != nil {
		return Message{}, nil, err
	}
	pk, err := tx.Get(kID(id))
	if err != nil {
		if isNotFound(err) {
			return Message{}, nil, ErrNotFound
		}
		return Message{}, nil, err
	}
	pk = slices.Clone(pk)
	m, err := getMessage(tx, pk)
	if err != nil {
		return Message{}, nil, err
	}
	return m, pk, nil
}

// saveMsg writes m to every place it lives: its thread and/or timeline.
func saveMsg(tx store.Tx, m *Message) error {
	b, err := json.Marshal(m)
	if err != nil {
		return err
	}
	if m.Root != "" {
		if err := tx.Put(kReply(m.Conversation, m.Root, m.ThreadSeq), b); err != nil {
			return err
		}
	}
	if m.Seq != 0 {
		return tx.Put(kMsg(m.Conversation, m.Seq), b)
	}
	return nil
}

// primaryKey is the key kID points to.
func primaryKey(m *Message) []byte {
	if m.Root != "" {
		return kReply(m.Conversation, m.Root, m.ThreadSeq)
	}
	return kMsg(m.Conversation, m.Seq)
}

// Post posts a message (or, with d.ReplyTo, a thread reply) to a
// conversation the actor belongs to. Posting marks the conversation (or
// thread) read up to the new message for its author.
//
// A conversation the actor may not see is [ErrNotFound]; a public channel
// they have not joined is [ErrNotMember]. Text over MaxTextLength is
// [ErrTooLarge]; a reply to a deleted root is [ErrDeleted].
func (s *Service) Post(ctx context.Context, actor, conv string, d Draft) (Message, error) {
	fail := func(err error) (Message, error) {
		return Message{}, fmt.Errorf("chat: post to conversation %q: %w", conv, err)
	}
	if err := s.checkActor(ctx, "post to conversation "+strconv.Quote(conv), actor); err != nil {
		return Message{}, err
	}
	if err := checkID("conversation", conv); err != nil {
		return fail(err)
	}
	if err := checkText(d.Text); err != nil {
		return fail(err)
	}
	prio, err := checkPriority(d.Priority)
	if err != nil {
		return fail(err)
	}
	if len(d.ClientID) > maxClientIDLength || !utf8.ValidString(d.ClientID) {
		return fail(fmt.Errorf("client id: must be at most %d bytes of UTF-8: %w", maxClientIDLength, ErrInvalid))
	}
	if d.AlsoToConversation && d.ReplyTo == "" {
		return fail(fmt.Errorf("also-to-conversation without a thread: %w", ErrInvalid))
	}
	now, err := s.clock()
	if err != nil {
		return fail(err)
	}
	users, all := ParseMentions(d.Text)
	m := Message{
		ID: s.newID(), Conversation: conv, Author: actor, ClientID: d.ClientID, Text: d.Text,
		Mentions: capMentions(users), MentionAll: all, Priority: prio, CreatedAt: now, Version: 1,
	}
	// A top-level message is prepared here, outside the transaction: the
	// function of a store with one writer is its critical section, so it
	// only looks up, splices in the position and writes.
	if d.ReplyTo == "" {
		p, err := prepareTop(&m)
		if err != nil {
			return fail(err)
		}
		err = s.st.Update(ctx, p.write)
		seq, orig := p.postedSeq, p.orig
		p.release()
		switch {
		case err != nil:
			return fail(err)
		case orig != nil:
			return orig.visible(), nil
		}
		m.Seq = seq
		return m, nil
	}
	out, err := s.reply(ctx, m, d)
	if err != nil {
		return fail(err)
	}
	return out.visible(), nil
}

// reply posts m, a reply, in a transaction of its own.
func (s *Service) reply(ctx context.Context, m Message, d Draft) (Message, error) {
	var out Message
	err := s.st.Update(ctx, func(tx store.Tx) error {
		out = m // a re-run starts from the draft again
		return s.postReply(tx, &out, d)
	})
	return out, err
}

// clientPost returns the message an earlier post with m's client id made,
// if there was one. Otherwise it records that m is the message for the
// client id.
func clientPost(tx store.Tx, m *Message) (orig *Message, err error) {
	return clientPostOf(tx, m.Conversation, m.Author, m.ClientID, m.ID)
}

// clientPostOf is clientPost for a message with the given conversation,
// author, client id and id.
func clientPostOf(tx store.Tx, conv, author, client, id string) (orig *Message, err error) {
	if client == "" {
		return nil, nil
	}
	k := kClient(conv, author, client)
	if origID, err := tx.Get(k); err == nil {
		o, _, err := loadMsg(tx, string(origID))
		if err != nil {
			return nil, err
		}
		return &o, nil
	} else if !isNotFound(err) {
		return nil, err
	}
	return nil, tx.Put(k, []byte(id))
}

// topPost is a new top-level message made ready to write: its keys and
// JSON, less the position only the transaction knows. Its keys share one
// buffer, as do the change record and the message inside it.
type topPost struct {
	conv, author, client, msgID                     string
	counters, read, id, timeline, timelineEnd, cseq []byte
	mentions                                        [][]byte // mention key prefixes
	// rec is the change record up to the message's position, with room
	// for the rest: `"seq":N,`, tail and "}".
	rec, tail []byte
	recAt     int    // where the message starts in rec
	key, seq  []byte // room for a key with a position, and the position

	// What write did: the message's position, or the original message of
	// a retried send.
	postedSeq uint64
	orig      *Message

	// The buffers the slices above live in, kept for reuse.
	kbuf, rbuf, tbuf []byte
}

// topPosts recycles topPosts: a post's buffers are free once Update
// returns, since stores copy what they keep.
var topPosts = sync.Pool{New: func() any { return new(topPost) }}

// release returns p to topPosts, unless its buffers grew big.
func (p *topPost) release() {
	if cap(p.rbuf) > 64<<10 {
		return
	}
	p.orig = nil
	p.mentions = p.mentions[:0]
	topPosts.Put(p)
}

// appendKey appends the key made of parts to b and returns b and the key.
func appendKey(b []byte, parts ...string) (_, key []byte) {
	start := len(b)
	for _, p := range parts {
		b = keys.Append(b, p)
	}
	return b, b[start:len(b):len(b)]
}

// prepareTop makes m, a new top-level message, ready to write: its keys
// and JSON in a recycled topPost. Call release when the post is done.
func prepareTop(m *Message) (*topPost, error) {
	conv := m.Conversation
	p := topPosts.Get().(*topPost)
	p.conv, p.author, p.client, p.msgID = conv, m.Author, m.ClientID, m.ID
	n := 6*len(conv) + len(m.Author) + 2*len(m.ID) + 144
	for _, u := range m.Mentions {
		n += len(conv) + len(u) + 32
	}
	kb := slices.Grow(p.kbuf[:0], n)
	kb, p.counters = appendKey(kb, "chat", "cnt", conv)
	kb, p.read = appendKey(kb, "chat", "read", conv, m.Author)
	kb, p.id = appendKey(kb, "chat", "id", m.ID)
	kb, p.timeline = appendKey(kb, "chat", "msg", conv)
	kb, p.cseq = appendKey(kb, "chat", "cseq", m.ID)
	long := max(len(p.timeline), len(p.cseq))
	for _, u := range m.Mentions {
		if u != m.Author { // as mentionKeys
			var k []byte
			kb, k = appendKey(kb, "chat", "men", conv, u)
			p.mentions = append(p.mentions, k)
			long = max(long, len(k))
		}
	}
	if m.MentionAll {
		var k []byte
		kb, k = appendKey(kb, "chat", "menall", conv)
		p.mentions = append(p.mentions, k)
		long = max(long, len(k))
	}
	// The end of the timeline's range, as store.PrefixEnd makes it: a
	// part ends with a terminator below 0xff, so the last byte goes up.
	start := len(kb)
	kb = append(kb, p.timeline...)
	kb[len(kb)-1]++
	p.timelineEnd = kb[start:len(kb):len(kb)]
	kb = append(kb, make([]byte, 8)...)
	p.seq = kb[len(kb)-8 : len(kb) : len(kb)]
	const seqRoom = 2*8 + 2 // an escaped fixed-width part, at most
	kb = slices.Grow(kb, long+seqRoom)
	p.key, p.kbuf = kb[len(kb):], kb

	tail, err := appendNewMessageTail(p.tbuf[:0], m)
	if err != nil {
		return nil, err
	}
	p.tail, p.tbuf = tail, tail
	const seqLen = len(`"seq":,`) + 20
	rec := slices.Grow(p.rbuf[:0], 192+2*(len(conv)+len(m.Author)+len(m.ID))+seqLen+len(tail)+1)
	rec = appendNewMessageChange(rec, m)
	p.recAt = len(rec)
	rec = appendNewMessageHead(rec, m)
	rec = slices.Grow(rec, seqLen+len(tail)+1)
	p.rec, p.rbuf = rec, rec
	return p, nil
}

// write is the transaction of a post: it writes p's message, or, when its
// client id was used before, finds the original and writes nothing.
func (p *topPost) write(tx store.Tx) error {
	p.postedSeq, p.orig = 0, nil
	cb, err := tx.Get(p.counters)
	if err != nil {
		if isNotFound(err) {
			return ErrNotFound
		}
		return err
	}
	if _, err := tx.Get(p.read); err != nil {
		if isNotFound(err) {
			return notMember(tx, p.conv)
		}
		return err
	}
	if p.orig, err = clientPostOf(tx, p.conv, p.author, p.client, p.msgID); err != nil || p.orig != nil {
		return err
	}
	seq := lastSeqIn(tx, p.timeline, p.timelineEnd, decodeCounters(cb)) + 1
	binary.BigEndian.PutUint64(p.seq, seq)
	if err := tx.Put(p.read, p.seq); err != nil {
		return err
	}
	for _, prefix := range p.mentions {
		if err := tx.Put(keys.AppendUint64(append(p.key[:0], prefix...), seq), []byte{}); err != nil {
			return err
		}
	}
	key := keys.AppendUint64(append(p.key[:0], p.timeline...), seq)
	if err := tx.Put(p.id, key); err != nil {
		return err
	}
	rec := append(p.rec, `"seq":`...)
	rec = strconv.AppendUint(rec, seq, 10)
	rec = append(rec, ',')
	rec = append(rec, p.tail...)
	if err := tx.Put(key, rec[p.recAt:]); err != nil {
		return err
	}
	logSeq, err := tx.Append(Kind, append(rec, '}'))
	if err != nil {
		return err
	}
	if err := tx.Put(keys.AppendUint64(append(p.key[:0], p.cseq...), logSeq), []byte{}); err != nil {
		return err
	}
	p.postedSeq = seq
	return nil
}

// postReply writes m, a new reply, inside tx. When the client id was used
// before, it replaces m with the original and writes nothing.
func (s *Service) postReply(tx store.Tx, m *Message, d Draft) error {
	conv, actor := m.Conversation, m.Author
	cb, err := tx.Get(kCounters(conv))
	if err != nil {
		if isNotFound(err) {
			return ErrNotFound
		}
		return err
	}
	cnt := decodeCounters(cb)
	if _, err := readCursor(tx, conv, actor); err != nil {
		return err
	}
	if orig, err := clientPost(tx, m); err != nil || orig != nil {
		if orig != nil {
			*m = *orig
		}
		return err
	}
	r, _, err := loadMsg(tx, d.ReplyTo)
	if err != nil {
		return fmt.Errorf("reply to %q: %w", d.ReplyTo, err)
	}
	if r.Conversation != conv {
		return fmt.Errorf("reply to %q: in another conversation: %w", d.ReplyTo, ErrNotFound)
	}
	if r.Root != "" { // a reply to a reply joins the root's thread
		if r, _, err = loadMsg(tx, r.Root); err != nil {
			return err
		}
	}
	if r.Deleted {
		return fmt.Errorf("reply to %q: %w", r.ID, ErrDeleted)
	}
	m.Root = r.ID
	m.AlsoInConversation = d.AlsoToConversation
	m.ThreadSeq = r.LastReplySeq + 1
	if d.AlsoToConversation {
		m.Seq = lastSeq(tx, conv, cnt) + 1
		if err := tx.Put(kRead(conv, actor), encodeSeq(m.Seq)); err != nil {
			return err
		}
		if err := putMentions(tx, conv, "", m.Seq, m.Mentions, m.MentionAll, actor); err != nil {
			return err
		}
	}
	if err := tx.Put(kID(m.ID), primaryKey(m)); err != nil {
		return err
	}
	if err := s.addReply(tx, &r, m); err != nil {
		return err
	}
	if err := saveMsg(tx, m); err != nil {
		return err
	}
	mm := m.visible()
	return appendContent(tx, m.ID, Change{Type: MessageCreated, Conversation: conv, Actor: actor, At: m.CreatedAt,
		MessageID: m.ID, Root: m.Root, Message: &mm})
}

// putMentions records the mention keys of a message at position seq of the
// timeline (root == "") or of a thread. Self-mentions are not recorded.
func putMentions(tx store.Tx, conv, root string, seq uint64, users []string, all bool, author string) error {
	return mentionKeys(conv, root, seq, users, all, author, func(k []byte) error { return tx.Put(k, []byte{}) })
}

func deleteMentions(tx store.Tx, conv, root string, seq uint64, users []string, all bool, author string) error {
	return mentionKeys(conv, root, seq, users, all, author, tx.Delete)
}

func mentionKeys(conv, root string, seq uint64, users []string, all bool, author string, fn func([]byte) error) error {
	for _, u := range users {
		if u == author {
			continue
		}
		var k []byte
		if root == "" {
			k = withSeq(kMentions(conv, u), seq)
		} else {
			k = withSeq(kThreadMentions(conv, root, u), seq)
		}
		if err := fn(k); err != nil {
			return err
		}
	}
	if !all {
		return nil
	}
	if root == "" {
		return fn(withSeq(kMentionsAll(conv), seq))
	}
	return fn(withSeq(kThreadMentionsAll(conv, root), seq))
}

// Message returns one message of a conversation actor may read: a
// conversation they belong to, or a public channel. Any other is
// [ErrNotFound].
func (s *Service) Message(ctx context.Context, actor, id string) (Message, error) {
	var m Message
	err := s.view(ctx, fmt.Sprintf("get message %q", id), actor, func(tx store.Tx) error {
		var err error
		if m, _, err = loadMsg(tx, id); err != nil {
			return err
		}
		return canRead(tx, m.Conversation, actor)
	})
	if err != nil {
		return Message{}, err
	}
	return m.visible(), nil
}

// canRead reports whether actor may read the conversation: members may,
// and anyone may read a public channel. Anyone else may not know that it
// exists: ErrNotFound.
func canRead(tx store.Tx, conv, actor string) error {
	if _, err := tx.Get(kRead(conv, actor)); err == nil {
		return nil
	} else if !isNotFound(err) {
		return err
	}
	if _, err := tx.Get(kPublic(conv)); err == nil {
		return nil
	} else if !isNotFound(err) {
		return err
	}
	return ErrNotFound
}

// notMember is the error for an actor who is not a member of conv:
// ErrNotMember when they may read it (a public channel), ErrNotFound
// otherwise.
func notMember(tx store.Tx, conv string) error {
	if _, err := tx.Get(kPublic(conv)); err == nil {
		return ErrNotMember
	} else if !isNotFound(err) {
		return err
	}
	return ErrNotFound
}

// Edit replaces the text of actor's own message, keeping the previous
// version (see Versions). Mentions are parsed again; an edit notifies no
// one and makes no one follow a thread.
func (s *Service) Edit(ctx context.Context, actor, id, text string) (Message, error) {
	op := fmt.Sprintf("edit message %q", id)
	if err := checkText(text); err != nil {
		return Message{}, fmt.Errorf("chat: %s: %w", op, err)
	}
	users, all := ParseMentions(text)
	users = capMentions(users)
	var out Message
	err := s.mutateMsg(ctx, op, actor, id, func(tx store.Tx, m *Message, _ *Conversation, _ Member, now time.Time) error {
		switch {
		case m.Author != actor:
			return fmt.Errorf("only the author edits a message: %w", ErrPermission)
		case m.Deleted:
			return ErrDeleted
		}
		at := m.EditedAt
		if at.IsZero() {
			at = m.CreatedAt
		}
		if err := record.Put(tx, kVersion(id, uint64(m.Version)), Version{Version: m.Version, Text: m.Text, Mentions: m.Mentions, At: at}); err != nil {
			return err
		}
		if err := s.remention(tx, m, deleteMentions); err != nil {
			return err
		}
		m.Text, m.Mentions, m.MentionAll = text, users, all
		if err := s.remention(tx, m, putMentions); err != nil {
			return err
		}
		m.Version++
		m.EditedAt = now
		if err := saveMsg(tx, m); err != nil {
			return err
		}
		out = *m
		mm := m.visible()
		return appendContent(tx, id, Change{Type: MessageEdited, Conversation: m.Conversation, Actor: actor, At: now,
			MessageID: id, Root: m.Root, Message: &mm})
	})
	if err != nil {
		return Message{}, err
	}
	return out.visible(), nil
}

type mentionFunc func(tx store.Tx, conv, root string, seq uint64, users []string, all bool, author string) error

// remention applies fn to the mention keys of m's current mentions, in the
// timeline and the thread as the message lives in them.
func (s *Service) remention(tx store.Tx, m *Message, fn mentionFunc) error {
	if m.Seq != 0 {
		if err := fn(tx, m.Conversation, "", m.Seq, m.Mentions, m.MentionAll, m.Author); err != nil {
			return err
		}
	}
	if m.Root != "" {
		return fn(tx, m.Conversation, m.Root, m.ThreadSeq, m.Mentions, m.MentionAll, m.Author)
	}
	return nil
}

// Versions returns a page of the earlier versions of an edited message,
// oldest first. A deleted message has none.
func (s *Service) Versions(ctx context.Context, actor, id string, o ListOptions) (store.Page[Version], error) {
	var p store.Page[Version]
	err := s.view(ctx, fmt.Sprintf("list versions of message %q", id), actor, func(tx store.Tx) error {
		m, _, err := loadMsg(tx, id)
		if err != nil {
			return err
		}
		if err := canRead(tx, m.Conversation, actor); err != nil {
			return err
		}
		if m.Deleted {
			p = store.Page[Version]{Items: []Version{}}
			return nil
		}
		p, err = listPage(tx, kVersions(id), o, false, func(k, v []byte) (Version, bool, error) {
			var ver Version
			err := record.Decode(k, v, &ver)
			return ver, err == nil, err
		})
		return err
	})
	return p, err
}

// versions returns every earlier version of message id, oldest first.
func versions(tx store.Tx, id string) ([]Version, error) {
	var out []Version
	for k, v := range tx.Scan(store.Prefix(kVersions(id))) {
		var ver Version
		if err := record.Decode(k, v, &ver); err != nil {
			return nil, err
		}
		out = append(out, ver)
	}
	return out, nil
}

// Delete turns a message into a tombstone: the record stays (the
// enterprise keeps it, Export shows it) but readers see it as deleted and
// unread counts and reply counts leave it out. Authors delete their own
// messages; owners and admins delete anyone's. A legal hold on the
// conversation blocks deletion.
func (s *Service) Delete(ctx context.Context, actor, id string) error {
	return s.mutateMsg(ctx, fmt.Sprintf("delete message %q", id), actor, id, func(tx store.Tx, m *Message, c *Conversation, mem Member, now time.Time) error {
		switch {
		case m.Author != actor && !mem.Role.atLeast(RoleAdmin):
			return fmt.Errorf("only the author or an admin deletes a message: %w", ErrPermission)
		case m.Deleted:
			return ErrDeleted
		case c.LegalHold:
			return ErrLegalHold
		}
		if err := s.remention(tx, m, deleteMentions); err != nil {
			return err
		}
		if m.Seq != 0 {
			if err := tx.Put(withSeq(kDels(m.Conversation), m.Seq), []byte{}); err != nil {
				return err
			}
		}
		if m.Root != "" {
			if err := tx.Put(withSeq(kThreadDels(m.Conversation, m.Root), m.ThreadSeq), []byte{}); err != nil {
				return err
			}
			root, _, err := loadMsg(tx, m.Root)
			if err != nil {
				return err
			}
			root.ReplyCount--
			if err := saveMsg(tx, &root); err != nil {
				return err
			}
		}
		if m.Pinned {
			if err := tx.Delete(kPin(m.Conversation, m.ID)); err != nil {
				return err
			}
			m.Pinned, m.PinnedBy = false, ""
		}
		m.Deleted, m.DeletedAt, m.DeletedBy = true, now, actor
		if err := saveMsg(tx, m); err != nil {
			return err
		}
		mm := m.visible()
		_, err := appendChange(tx, Change{Type: MessageDeleted, Conversation: m.Conversation, Actor: actor, At: now,
			MessageID: id, Root: m.Root, Message: &mm})
		return err
	})
}

// appendContent appends c, a change record that carries content of
// message id (its text, mentions or a reaction), and keeps its position
// with its redacted form (empty for the creation, which the message
// itself gives), so that a purge of the message can rewrite it (see
// redact).
func appendContent(tx store.Tx, id string, c Change) error {
	seq, err := appendChange(tx, c)
	if err != nil {
		return err
	}
	b := []byte{} // a creation is redacted from the message itself
	if c.Type != MessageCreated {
		if b, err = json.Marshal(redacted(c)); err != nil {
			return err
		}
	}
	return tx.Put(withSeq(kContentSeqs(id), seq), b)
}

// redacted returns c without its content: its type, conversation, actor,
// time and message ids, marked Redacted.
func redacted(c Change) Change {
	return Change{Type: c.Type, Conversation: c.Conversation, Actor: c.Actor, At: c.At,
		MessageID: c.MessageID, Root: c.Root, Redacted: true}
}

// MaxMentions is the most users one message mentions by name: the first
// MaxMentions distinct @names of its text are its Mentions (they get
// unread mentions and, in a reply, follow the thread); later ones are
// plain text. @all is not counted.
const MaxMentions = 50

// capMentions keeps the first MaxMentions users.
func capMentions(users []string) []string {
	if len(users) > MaxMentions {
		return users[:MaxMentions:MaxMentions]
	}
	return users
}
