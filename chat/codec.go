package chat

import (
	"bytes"
	"encoding/json"
	"fmt"
	"time"

	"github.com/workspace-go/workspace/internal/record"
	"github.com/workspace-go/workspace/store"
)

// Stored records are the wire types, JSON-encoded with their snake_case
// tags, except the per-thread records (threadState, follow), which are
// the package's own. Stores written before the switch hold camelCase
// records ("createdAt", "messageId"); the decoders here read both, so an
// existing store and change log keep working with no migration. Old
// records are rewritten in the new encoding when they next change.

// legacyMessage is a Message as stored in camelCase.
type legacyMessage struct {
	Message
	ClientID           string
	MentionAll         bool
	CreatedAt          time.Time
	EditedAt           time.Time
	DeletedAt          time.Time
	DeletedBy          string
	PinnedBy           string
	ThreadSeq          uint64
	AlsoInConversation bool
	ReplyCount         int
	LastReplyAt        time.Time
	LastReplySeq       uint64
}

func (l *legacyMessage) message() Message {
	m := l.Message
	m.ClientID, m.MentionAll, m.CreatedAt, m.EditedAt = l.ClientID, l.MentionAll, l.CreatedAt, l.EditedAt
	m.DeletedAt, m.DeletedBy, m.PinnedBy, m.ThreadSeq = l.DeletedAt, l.DeletedBy, l.PinnedBy, l.ThreadSeq
	m.AlsoInConversation, m.ReplyCount, m.LastReplyAt, m.LastReplySeq = l.AlsoInConversation, l.ReplyCount, l.LastReplyAt, l.LastReplySeq
	fixReactions(&m)
	return m
}

// fixReactions gives reactions stored before counts were kept their count:
// those records list every reactor.
func fixReactions(m *Message) {
	for i := range m.Reactions {
		if m.Reactions[i].Count == 0 {
			m.Reactions[i].Count = len(m.Reactions[i].Users)
		}
	}
}

// decodeCompat decodes the record b, read at key, as a T; when old says
// the result lacks what every new record has, b is camelCase and is
// decoded again as an L, which conv makes into a T.
func decodeCompat[T, L any](key, b []byte, old func(*T) bool, conv func(*L) T) (T, error) {
	var v T
	if err := record.Decode(key, b, &v); err != nil {
		return v, err
	}
	if !old(&v) {
		return v, nil
	}
	var l L
	if err := record.Decode(key, b, &l); err != nil {
		return v, err
	}
	return conv(&l), nil
}

// decodeMessage decodes the message record b, read at key. Every message
// has a creation time, so a record without "created_at" is camelCase.
func decodeMessage(key, b []byte) (Message, error) {
	return decodeCompat(key, b, func(m *Message) bool { return m.CreatedAt.IsZero() }, (*legacyMessage).message)
}

// getMessage reads and decodes the message record at key.
func getMessage(tx store.Tx, key []byte) (Message, error) {
	b, err := tx.Get(key)
	if err != nil {
		return Message{}, err
	}
	return decodeMessage(key, b)
}

// legacyConversation is a Conversation as stored in camelCase.
type legacyConversation struct {
	Conversation
	CreatedBy     string
	CreatedAt     time.Time
	RetentionDays int
	LegalHold     bool
}

func (l *legacyConversation) conversation() Conversation {
	c := l.Conversation
	c.CreatedBy, c.CreatedAt, c.RetentionDays, c.LegalHold = l.CreatedBy, l.CreatedAt, l.RetentionDays, l.LegalHold
	return c
}

// decodeConversation decodes the conversation record b, read at key.
func decodeConversation(key, b []byte) (Conversation, error) {
	return decodeCompat(key, b, func(c *Conversation) bool { return c.CreatedAt.IsZero() }, (*legacyConversation).conversation)
}

// legacyMember is a Member as stored in camelCase.
type legacyMember struct {
	Member
	JoinedAt time.Time
}

func (l *legacyMember) member() Member {
	m := l.Member
	m.JoinedAt = l.JoinedAt
	return m
}

// decodeMember decodes the member record b, read at key.
func decodeMember(key, b []byte) (Member, error) {
	return decodeCompat(key, b, func(m *Member) bool { return m.JoinedAt.IsZero() }, (*legacyMember).member)
}

// putMemberRecord stores m at key, without the read cursor (kept apart).
func putMemberRecord(tx store.Tx, key []byte, m Member) error {
	m.ReadSeq = 0
	return record.Put(tx, key, m)
}

// legacyChange is a Change as logged in camelCase.
type legacyChange struct {
	Change
	MessageID   string
	ReadSeq     uint64
	PrevReadSeq uint64
	MessageIDs  []string
	Message     *legacyMessage      `json:"message"`
	Info        *legacyConversation `json:"info"`
}

// legacyKeys are keys only camelCase change records have. A key with its
// quotes and colon can only be a key: a quote inside a string is escaped.
var legacyKeys = [][]byte{
	[]byte(`"createdAt":`), []byte(`"messageId":`), []byte(`"readSeq":`),
	[]byte(`"prevReadSeq":`), []byte(`"messageIds":`),
}

func isLegacyChange(b []byte) bool {
	for _, k := range legacyKeys {
		if bytes.Contains(b, k) {
			return true
		}
	}
	return false
}

// decodeChangeData decodes a chat change record.
func decodeChangeData(b []byte) (Change, error) {
	var ch Change
	if !isLegacyChange(b) {
		if err := json.Unmarshal(b, &ch); err != nil {
			return Change{}, err
		}
		if ch.Message != nil {
			fixReactions(ch.Message)
		}
		return ch, nil
	}
	var l legacyChange
	if err := json.Unmarshal(b, &l); err != nil {
		return Change{}, err
	}
	ch = l.Change
	ch.MessageID, ch.ReadSeq, ch.PrevReadSeq, ch.MessageIDs = l.MessageID, l.ReadSeq, l.PrevReadSeq, l.MessageIDs
	ch.Message, ch.Info = nil, nil
	if l.Message != nil {
		m := l.Message.message()
		ch.Message = &m
	}
	if l.Info != nil {
		c := l.Info.conversation()
		ch.Info = &c
	}
	return ch, nil
}

// appendChange records c in the change log of tx and returns its position.
func appendChange(tx store.Tx, c Change) (uint64, error) {
	return record.Append(tx, Kind, c)
}

// decodeErr names a malformed change record.
func decodeErr(seq uint64, err error) error {
	return fmt.Errorf("chat: decode change %d: %v: %w", seq, err, ErrInvalid)
}
