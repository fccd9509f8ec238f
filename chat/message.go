package chat

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

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
	ClientID string   `json:"clientId,omitempty"`
	Text     string   `json:"text"`
	Mentions []string `json:"mentions,omitempty"`
	// MentionAll reports an @all mention.
	MentionAll bool      `json:"mentionAll,omitempty"`
	Priority   Priority  `json:"priority,omitempty"`
	CreatedAt  time.Time `json:"createdAt"`
	// EditedAt is when the text was last changed; Version counts the
	// versions (1 until the first edit).
	EditedAt  time.Time  `json:"editedAt,omitzero"`
	Version   int        `json:"version"`
	Deleted   bool       `json:"deleted,omitempty"`
	DeletedAt time.Time  `json:"deletedAt,omitzero"`
	DeletedBy string     `json:"deletedBy,omitempty"`
	Reactions []Reaction `json:"reactions,omitempty"`
	Pinned    bool       `json:"pinned,omitempty"`
	PinnedBy  string     `json:"pinnedBy,omitempty"`

	// Root is the id of the thread's root message, for a reply.
	Root string `json:"root,omitempty"`
	// ThreadSeq is the reply's position in its thread: 1, 2, ...
	ThreadSeq uint64 `json:"threadSeq,omitempty"`
	// AlsoInConversation reports a reply also sent to the conversation.
	AlsoInConversation bool `json:"alsoInConversation,omitempty"`

	// ReplyCount, LastReplyAt and Participants summarise a root's thread:
	// replies that are not deleted, the time of the newest reply, and the
	// repliers in order of first reply (at most 100).
	ReplyCount   int       `json:"replyCount,omitempty"`
	LastReplyAt  time.Time `json:"lastReplyAt,omitzero"`
	Participants []string  `json:"participants,omitempty"`
	// LastReplySeq is the ThreadSeq of the newest reply, deleted or not.
	LastReplySeq uint64 `json:"lastReplySeq,omitempty"`
}

// Reaction is one emoji and the users who reacted with it, in order.
type Reaction struct {
	Emoji string   `json:"emoji"`
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
	Text string
	// ClientID, when set, makes the send idempotent: a second Post by the
	// same author in the same conversation with the same ClientID returns
	// the first message and writes nothing.
	ClientID string
	Priority Priority
	// ReplyTo makes the message a reply in the thread of that message. A
	// reply to a reply joins the thread of the replied-to message's root:
	// threads are one level deep, as in Slack and Mattermost.
	ReplyTo string
	// AlsoToConversation sends a reply to the conversation's timeline too.
	AlsoToConversation bool
}

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
	if n := utf8.RuneCountInString(text); n > MaxTextLength {
		return fmt.Errorf("text of %d characters exceeds %d: %w", n, MaxTextLength, ErrBadText)
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

// loadMsg returns the message with the given id and the key of its record.
func loadMsg(tx store.Tx, id string) (Message, []byte, error) {
	var m Message
	pk, err := tx.Get(kID(id))
	if err != nil {
		if isNotFound(err) {
			return m, nil, fmt.Errorf("message %q: %w", id, ErrNoMessage)
		}
		return m, nil, err
	}
	pk = slices.Clone(pk)
	if err := getJSON(tx, pk, &m); err != nil {
		return m, nil, err
	}
	return m, pk, nil
}

// saveMsg writes m to every place it lives: its thread and/or timeline.
func saveMsg(tx store.Tx, m *Message) error {
	b, err := marshal(m)
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
func (s *Service) Post(ctx context.Context, actor, conv string, d Draft) (Message, error) {
	fail := func(err error) (Message, error) {
		return Message{}, fmt.Errorf("chat: post to conversation %q: %w", conv, err)
	}
	if err := checkUser(actor); err != nil {
		return fail(fmt.Errorf("acting user: %w", err))
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
	users, all := ParseMentions(d.Text)
	m := Message{
		ID: s.newID(), Conversation: conv, Author: actor, ClientID: d.ClientID, Text: d.Text,
		Mentions: users, MentionAll: all, Priority: prio, CreatedAt: s.now().UTC(), Version: 1,
	}
	// A top-level message is encoded here, outside the transaction, with
	// its position spliced in inside: the transaction function of a store
	// with one writer is the critical section, so keep it short.
	var enc *preEncoded
	if d.ReplyTo == "" {
		if enc, err = preEncode(&m); err != nil {
			return fail(err)
		}
	}
	var out Message
	err = s.st.Update(ctx, func(tx store.Tx) error {
		out = m // a re-run starts from the draft again
		return s.post(tx, &out, d, enc)
	})
	if err != nil {
		return fail(err)
	}
	return out.visible(), nil
}

// post writes m, a new message, inside tx. When the client id was used
// before, it replaces m with the original and writes nothing.
func (s *Service) post(tx store.Tx, m *Message, d Draft, enc *preEncoded) error {
	conv, actor := m.Conversation, m.Author
	cb, err := tx.Get(kCounters(conv))
	if err != nil {
		if isNotFound(err) {
			return ErrNoConversation
		}
		return err
	}
	cnt := decodeCounters(cb)
	if _, err := readCursor(tx, conv, actor); err != nil {
		return err
	}
	if m.ClientID != "" {
		if id, err := tx.Get(kClient(conv, actor, m.ClientID)); err == nil {
			orig, _, err := loadMsg(tx, string(id))
			if err != nil {
				return err
			}
			*m = orig
			return nil
		} else if !isNotFound(err) {
			return err
		}
		if err := tx.Put(kClient(conv, actor, m.ClientID), []byte(m.ID)); err != nil {
			return err
		}
	}
	var root *Message
	if d.ReplyTo != "" {
		r, _, err := loadMsg(tx, d.ReplyTo)
		if err != nil {
			return err
		}
		if r.Conversation != conv {
			return fmt.Errorf("message %q is in another conversation: %w", d.ReplyTo, ErrNoMessage)
		}
		if r.Root != "" { // a reply to a reply joins the root's thread
			if r, _, err = loadMsg(tx, r.Root); err != nil {
				return err
			}
		}
		root = &r
		m.Root = r.ID
		m.AlsoInConversation = d.AlsoToConversation
		m.ThreadSeq = r.LastReplySeq + 1
	}
	if root == nil || d.AlsoToConversation {
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
	if enc != nil {
		b := enc.message(m.Seq)
		if err := tx.Put(kMsg(conv, m.Seq), b); err != nil {
			return err
		}
		_, err := tx.Append(Kind, enc.change(b))
		return err
	}
	if err := s.addReply(tx, root, m); err != nil {
		return err
	}
	if err := saveMsg(tx, m); err != nil {
		return err
	}
	mm := m.visible()
	return appendChange(tx, Change{Type: MessageCreated, Conversation: conv, Actor: actor, At: m.CreatedAt,
		MessageID: m.ID, Root: m.Root, Message: &mm})
}

// preEncoded is a new top-level message and its change record, encoded
// without the message's position.
type preEncoded struct {
	msg, chg []byte
}

func preEncode(m *Message) (*preEncoded, error) {
	msg, err := marshal(m) // Seq is zero, so omitted
	if err != nil {
		return nil, err
	}
	chg, err := marshal(Change{Type: MessageCreated, Conversation: m.Conversation, Actor: m.Author, At: m.CreatedAt, MessageID: m.ID})
	if err != nil {
		return nil, err
	}
	return &preEncoded{msg: msg, chg: chg}, nil
}

// message returns the message's JSON with "seq" added.
func (p *preEncoded) message(seq uint64) []byte {
	b := make([]byte, 0, len(p.msg)+28)
	b = append(b, `{"seq":`...)
	b = strconv.AppendUint(b, seq, 10)
	b = append(b, ',')
	return append(b, p.msg[1:]...)
}

// change returns the change record's JSON with "message" added.
func (p *preEncoded) change(msg []byte) []byte {
	b := make([]byte, 0, len(p.chg)+len(msg)+12)
	b = append(b, p.chg[:len(p.chg)-1]...)
	b = append(b, `,"message":`...)
	b = append(b, msg...)
	return append(b, '}')
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

// Message returns one message of a conversation actor may read.
func (s *Service) Message(ctx context.Context, actor, id string) (Message, error) {
	op := fmt.Sprintf("get message %q", id)
	if err := checkActor(op, actor); err != nil {
		return Message{}, err
	}
	var m Message
	err := s.st.View(ctx, func(tx store.Tx) error {
		var err error
		if m, _, err = loadMsg(tx, id); err != nil {
			return err
		}
		return canRead(tx, m.Conversation, actor)
	})
	if err != nil {
		return Message{}, fmt.Errorf("chat: %s: %w", op, err)
	}
	return m.visible(), nil
}

// canRead reports whether actor may read the conversation: members may,
// and anyone may read a public channel.
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
	if _, err := tx.Get(kConv(conv)); isNotFound(err) {
		return ErrNoConversation
	}
	return ErrNotMember
}

// Edit replaces the text of actor's own message, keeping the previous
// version (see Versions). Mentions are parsed again; an edit notifies no
// one and makes no one follow a thread.
func (s *Service) Edit(ctx context.Context, actor, id, text string) (Message, error) {
	op := fmt.Sprintf("edit message %q", id)
	if err := checkActor(op, actor); err != nil {
		return Message{}, err
	}
	if err := checkText(text); err != nil {
		return Message{}, fmt.Errorf("chat: %s: %w", op, err)
	}
	users, all := ParseMentions(text)
	now := s.now().UTC()
	var out Message
	err := s.st.Update(ctx, func(tx store.Tx) error {
		m, _, err := loadMsg(tx, id)
		if err != nil {
			return err
		}
		if _, err := loadMember(tx, m.Conversation, actor); err != nil {
			return err
		}
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
		if err := putJSON(tx, kVersion(id, uint64(m.Version)), Version{Version: m.Version, Text: m.Text, Mentions: m.Mentions, At: at}); err != nil {
			return err
		}
		if err := s.remention(tx, &m, deleteMentions); err != nil {
			return err
		}
		m.Text, m.Mentions, m.MentionAll = text, users, all
		if err := s.remention(tx, &m, putMentions); err != nil {
			return err
		}
		m.Version++
		m.EditedAt = now
		if err := saveMsg(tx, &m); err != nil {
			return err
		}
		out = m
		mm := m.visible()
		return appendChange(tx, Change{Type: MessageEdited, Conversation: m.Conversation, Actor: actor, At: now,
			MessageID: id, Root: m.Root, Message: &mm})
	})
	if err != nil {
		return Message{}, fmt.Errorf("chat: %s: %w", op, err)
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

// Versions returns the earlier versions of an edited message, oldest first.
func (s *Service) Versions(ctx context.Context, actor, id string) ([]Version, error) {
	op := fmt.Sprintf("list versions of message %q", id)
	if err := checkActor(op, actor); err != nil {
		return nil, err
	}
	var out []Version
	err := s.st.View(ctx, func(tx store.Tx) error {
		m, _, err := loadMsg(tx, id)
		if err != nil {
			return err
		}
		if err := canRead(tx, m.Conversation, actor); err != nil {
			return err
		}
		if m.Deleted {
			return nil
		}
		out, err = versions(tx, id)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("chat: %s: %w", op, err)
	}
	return out, nil
}

func versions(tx store.Tx, id string) ([]Version, error) {
	var out []Version
	for _, v := range tx.Scan(store.Prefix(kVersions(id))) {
		var ver Version
		if err := decodeJSON(v, &ver); err != nil {
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
	op := fmt.Sprintf("delete message %q", id)
	if err := checkActor(op, actor); err != nil {
		return err
	}
	now := s.now().UTC()
	err := s.st.Update(ctx, func(tx store.Tx) error {
		m, _, err := loadMsg(tx, id)
		if err != nil {
			return err
		}
		c, mem, err := access(tx, m.Conversation, actor)
		if err != nil {
			return err
		}
		switch {
		case m.Author != actor && !mem.Role.atLeast(RoleAdmin):
			return fmt.Errorf("only the author or an admin deletes a message: %w", ErrPermission)
		case m.Deleted:
			return ErrDeleted
		case c.LegalHold:
			return ErrLegalHold
		}
		if err := s.remention(tx, &m, deleteMentions); err != nil {
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
		if err := saveMsg(tx, &m); err != nil {
			return err
		}
		mm := m.visible()
		return appendChange(tx, Change{Type: MessageDeleted, Conversation: m.Conversation, Actor: actor, At: now,
			MessageID: id, Root: m.Root, Message: &mm})
	})
	if err != nil {
		return fmt.Errorf("chat: %s: %w", op, err)
	}
	return nil
}
