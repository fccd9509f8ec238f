package chat

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/workspace-go/workspace/internal/keys"
	"github.com/workspace-go/workspace/internal/record"
	"github.com/workspace-go/workspace/store"
)

// ConversationKind says what sort of conversation it is.
type ConversationKind string

// Conversation kinds.
const (
	// Direct is a conversation between exactly two people. Opening it
	// again finds the existing one.
	Direct ConversationKind = "direct"
	// Group is a named conversation of invited people.
	Group ConversationKind = "group"
	// Channel is a named conversation with a topic and announcement;
	// public channels are listed and open to anyone, private ones are
	// joined by invitation.
	Channel ConversationKind = "channel"
)

// Limits on names and other short fields, in characters.
const (
	// MaxNameLength is the longest conversation name.
	MaxNameLength = 200
	// MaxTopicLength is the longest topic or announcement.
	MaxTopicLength = 4000
	// maxUserLength is the longest user id, in bytes.
	maxUserLength = 256
)

// Conversation is a direct conversation, a group or a channel.
type Conversation struct {
	ID           string           `json:"id"`
	Kind         ConversationKind `json:"kind"`
	Name         string           `json:"name,omitempty"`
	Topic        string           `json:"topic,omitempty"`
	Announcement string           `json:"announcement,omitempty"`
	Private      bool             `json:"private,omitempty"`
	CreatedBy    string           `json:"created_by"`
	CreatedAt    time.Time        `json:"created_at"`
	// Members is the number of members.
	Members int `json:"members"`
	// RetentionDays, when positive, makes Purge remove messages older
	// than that many days.
	RetentionDays int `json:"retention_days,omitempty"`
	// LegalHold blocks deleting and purging the conversation's messages.
	LegalHold bool `json:"legal_hold,omitempty"`
}

// GroupOptions describe a new group.
type GroupOptions struct {
	Name string `json:"name"`
	// Members are added as members besides the creator, who is the owner.
	Members []string `json:"members,omitempty"`
	// ClientKey, when set, makes the create idempotent: a second create by
	// the same actor with the same key returns the first conversation,
	// unchanged, and writes nothing. At most 128 bytes.
	ClientKey string `json:"client_key,omitempty"`
}

// ChannelOptions describe a new channel.
type ChannelOptions struct {
	Name         string `json:"name"`
	Topic        string `json:"topic,omitempty"`
	Announcement string `json:"announcement,omitempty"`
	// Private channels are not listed by Channels and are joined only by
	// being added.
	Private bool `json:"private,omitempty"`
	// Members are added as members besides the creator, who is the owner.
	Members []string `json:"members,omitempty"`
	// ClientKey makes the create idempotent, as GroupOptions.ClientKey.
	ClientKey string `json:"client_key,omitempty"`
}

// ConversationPatch changes a conversation's settings; nil fields are left
// alone.
type ConversationPatch struct {
	Name         *string `json:"name,omitempty"`
	Topic        *string `json:"topic,omitempty"`
	Announcement *string `json:"announcement,omitempty"`
}

// MaxMembers is the most members a new group or channel is created with
// (Members of GroupOptions and ChannelOptions); more are added one by one.
const MaxMembers = 1000

func checkUser(u string) error {
	if u == "" || len(u) > maxUserLength || !utf8.ValidString(u) {
		return fmt.Errorf("user id %q: must be 1 to %d bytes of UTF-8: %w", u, maxUserLength, ErrInvalid)
	}
	for _, r := range u {
		if unicode.IsSpace(r) || unicode.IsControl(r) {
			return fmt.Errorf("user id %q: contains space or control characters: %w", u, ErrInvalid)
		}
	}
	return nil
}

func checkShort(what, s string, max int, required bool) error {
	if !utf8.ValidString(s) {
		return fmt.Errorf("%s: invalid UTF-8: %w", what, ErrInvalid)
	}
	if required && strings.TrimSpace(s) == "" {
		return fmt.Errorf("%s: empty: %w", what, ErrInvalid)
	}
	if n := utf8.RuneCountInString(s); n > max {
		return fmt.Errorf("%s: %d characters, more than %d: %w", what, n, max, ErrInvalid)
	}
	return nil
}

// uniqueUsers validates users and returns them without duplicates or skip.
func uniqueUsers(users []string, skip string) ([]string, error) {
	if len(users) > MaxMembers {
		return nil, fmt.Errorf("%d members, more than %d: %w", len(users), MaxMembers, ErrTooLarge)
	}
	seen := map[string]bool{skip: true}
	var out []string
	for _, u := range users {
		if err := checkUser(u); err != nil {
			return nil, err
		}
		if !seen[u] {
			seen[u] = true
			out = append(out, u)
		}
	}
	return out, nil
}

func loadConv(tx store.Tx, id string) (Conversation, error) {
	if err := checkID("conversation", id); err != nil {
		return Conversation{}, err
	}
	k := kConv(id)
	b, err := tx.Get(k)
	if err != nil {
		if isNotFound(err) {
			return Conversation{}, ErrNotFound
		}
		return Conversation{}, err
	}
	return decodeConversation(k, b)
}

func putConv(tx store.Tx, c *Conversation) error { return record.Put(tx, kConv(c.ID), c) }

// create writes a new conversation with its members: owner first.
func (s *Service) create(tx store.Tx, c Conversation, owner Role, members []string) error {
	c.Members = 1 + len(members)
	if err := putConv(tx, &c); err != nil {
		return err
	}
	if err := tx.Put(kCounters(c.ID), counters{}.encode()); err != nil {
		return err
	}
	if c.Kind == Channel && !c.Private {
		if err := tx.Put(kPublic(c.ID), []byte{}); err != nil {
			return err
		}
	}
	if err := putMember(tx, c.ID, Member{User: c.CreatedBy, Role: owner, JoinedAt: c.CreatedAt}); err != nil {
		return err
	}
	for _, u := range members {
		if err := putMember(tx, c.ID, Member{User: u, Role: RoleMember, JoinedAt: c.CreatedAt}); err != nil {
			return err
		}
	}
	cc := c
	_, err := appendChange(tx, Change{Type: ConversationCreated, Conversation: c.ID, Actor: c.CreatedBy, At: c.CreatedAt,
		Info: &cc, Users: append([]string{c.CreatedBy}, members...)})
	return err
}

// maxClientKeyLength is the longest ClientKey, in bytes.
const maxClientKeyLength = 128

func checkClientKey(k string) error {
	if len(k) > maxClientKeyLength || !utf8.ValidString(k) {
		return fmt.Errorf("client key: must be at most %d bytes of UTF-8: %w", maxClientKeyLength, ErrInvalid)
	}
	return nil
}

// createWith creates c (with its owner and members) in one transaction,
// unless actor's client key made a conversation before: then it returns
// that one and writes nothing.
func (s *Service) createWith(ctx context.Context, op, actor, clientKey string, c Conversation, others []string) (Conversation, error) {
	out := c
	err := s.mutate(ctx, op, actor, func(tx store.Tx, now time.Time) error {
		out = c
		out.CreatedAt = now
		if clientKey != "" {
			k := kConvKey(actor, clientKey)
			if id, err := tx.Get(k); err == nil {
				out, err = loadConv(tx, string(id))
				return err
			} else if !isNotFound(err) {
				return err
			}
			if err := tx.Put(k, []byte(c.ID)); err != nil {
				return err
			}
		}
		out.Members = 1 + len(others)
		return s.create(tx, out, RoleOwner, others)
	})
	if err != nil {
		return Conversation{}, err
	}
	return out, nil
}

// CreateGroup creates a group conversation with actor as its owner and the
// given members.
func (s *Service) CreateGroup(ctx context.Context, actor string, o GroupOptions) (Conversation, error) {
	op := "create group"
	if err := s.checkActor(ctx, op, actor); err != nil {
		return Conversation{}, err
	}
	if err := checkShort("name", o.Name, MaxNameLength, true); err != nil {
		return Conversation{}, fmt.Errorf("chat: %s: %w", op, err)
	}
	if err := checkClientKey(o.ClientKey); err != nil {
		return Conversation{}, fmt.Errorf("chat: %s: %w", op, err)
	}
	others, err := uniqueUsers(o.Members, actor)
	if err != nil {
		return Conversation{}, fmt.Errorf("chat: %s: %w", op, err)
	}
	c := Conversation{ID: s.newID(), Kind: Group, Name: o.Name, CreatedBy: actor}
	return s.createWith(ctx, op, actor, o.ClientKey, c, others)
}

// CreateChannel creates a channel with actor as its owner.
func (s *Service) CreateChannel(ctx context.Context, actor string, o ChannelOptions) (Conversation, error) {
	op := "create channel"
	if err := s.checkActor(ctx, op, actor); err != nil {
		return Conversation{}, err
	}
	if err := checkShort("name", o.Name, MaxNameLength, true); err != nil {
		return Conversation{}, fmt.Errorf("chat: %s: %w", op, err)
	}
	if err := checkShort("topic", o.Topic, MaxTopicLength, false); err != nil {
		return Conversation{}, fmt.Errorf("chat: %s: %w", op, err)
	}
	if err := checkShort("announcement", o.Announcement, MaxTopicLength, false); err != nil {
		return Conversation{}, fmt.Errorf("chat: %s: %w", op, err)
	}
	if err := checkClientKey(o.ClientKey); err != nil {
		return Conversation{}, fmt.Errorf("chat: %s: %w", op, err)
	}
	others, err := uniqueUsers(o.Members, actor)
	if err != nil {
		return Conversation{}, fmt.Errorf("chat: %s: %w", op, err)
	}
	c := Conversation{ID: s.newID(), Kind: Channel, Name: o.Name, Topic: o.Topic, Announcement: o.Announcement,
		Private: o.Private, CreatedBy: actor}
	return s.createWith(ctx, op, actor, o.ClientKey, c, others)
}

// OpenDirect returns the direct conversation between actor and other,
// creating it on first use. Both are plain members; a direct conversation
// cannot be left and takes no other members. It is idempotent by nature.
func (s *Service) OpenDirect(ctx context.Context, actor, other string) (Conversation, error) {
	op := fmt.Sprintf("open direct conversation with %q", other)
	if err := s.checkActor(ctx, op, actor); err != nil {
		return Conversation{}, err
	}
	if err := checkUser(other); err != nil {
		return Conversation{}, fmt.Errorf("chat: %s: %w", op, err)
	}
	if other == actor {
		return Conversation{}, fmt.Errorf("chat: %s: a direct conversation needs two people: %w", op, ErrInvalid)
	}
	a, b := min(actor, other), max(actor, other)
	var out Conversation
	id := s.newID()
	err := s.mutate(ctx, op, actor, func(tx store.Tx, now time.Time) error {
		v, err := tx.Get(kDirect(a, b))
		if err == nil {
			out, err = loadConv(tx, string(v))
			return err
		}
		if !isNotFound(err) {
			return err
		}
		out = Conversation{ID: id, Kind: Direct, CreatedBy: actor, CreatedAt: now}
		if err := tx.Put(kDirect(a, b), []byte(id)); err != nil {
			return err
		}
		if err := s.create(tx, out, RoleMember, []string{other}); err != nil {
			return err
		}
		out.Members = 2
		return nil
	})
	if err != nil {
		return Conversation{}, err
	}
	return out, nil
}

// Conversation returns a conversation the actor belongs to, or a public
// channel. Any other is [ErrNotFound].
func (s *Service) Conversation(ctx context.Context, actor, id string) (Conversation, error) {
	var c Conversation
	err := s.view(ctx, fmt.Sprintf("get conversation %q", id), actor, func(tx store.Tx) error {
		var err error
		if c, err = loadConv(tx, id); err != nil {
			return err
		}
		return canRead(tx, id, actor)
	})
	if err != nil {
		return Conversation{}, err
	}
	return c, nil
}

// Conversations returns a page of the conversations actor is a member of,
// in order of creation (ids are time-ordered).
func (s *Service) Conversations(ctx context.Context, actor string, o ListOptions) (store.Page[Conversation], error) {
	var p store.Page[Conversation]
	err := s.view(ctx, "list conversations", actor, func(tx store.Tx) error {
		var err error
		p, err = conversationPage(tx, actor, o, func(c Conversation) (Conversation, error) { return c, nil })
		return err
	})
	return p, err
}

// conversationPage returns a page of the conversations user is a member
// of, in order of creation, each made into an item by fn.
func conversationPage[T any](tx store.Tx, user string, o ListOptions, fn func(Conversation) (T, error)) (store.Page[T], error) {
	return listPage(tx, kUserConvs(user), o, false, func(k, _ []byte) (T, bool, error) {
		var zero T
		id, err := lastPart(k)
		if err != nil {
			return zero, false, err
		}
		c, err := loadConv(tx, id)
		if err != nil {
			return zero, false, err
		}
		it, err := fn(c)
		return it, err == nil, err
	})
}

// Channels returns a page of the public channels, which any user may
// join, in order of creation.
func (s *Service) Channels(ctx context.Context, actor string, o ListOptions) (store.Page[Conversation], error) {
	var p store.Page[Conversation]
	err := s.view(ctx, "list channels", actor, func(tx store.Tx) error {
		var err error
		p, err = listPage(tx, kPublics(), o, false, func(k, _ []byte) (Conversation, bool, error) {
			id, err := lastPart(k)
			if err != nil {
				return Conversation{}, false, err
			}
			c, err := loadConv(tx, id)
			return c, err == nil, err
		})
		return err
	})
	return p, err
}

// UpdateConversation changes a group's name or a channel's name, topic or
// announcement. Owners and admins may change a channel; any member may
// rename a group. Direct conversations have nothing to change.
func (s *Service) UpdateConversation(ctx context.Context, actor, id string, p ConversationPatch) (Conversation, error) {
	op := fmt.Sprintf("update conversation %q", id)
	if p.Name != nil {
		if err := checkShort("name", *p.Name, MaxNameLength, true); err != nil {
			return Conversation{}, fmt.Errorf("chat: %s: %w", op, err)
		}
	}
	for what, v := range map[string]*string{"topic": p.Topic, "announcement": p.Announcement} {
		if v != nil {
			if err := checkShort(what, *v, MaxTopicLength, false); err != nil {
				return Conversation{}, fmt.Errorf("chat: %s: %w", op, err)
			}
		}
	}
	var out Conversation
	err := s.mutateConv(ctx, op, actor, id, func(tx store.Tx, c *Conversation, m Member, now time.Time) error {
		switch {
		case c.Kind == Direct:
			return fmt.Errorf("a direct conversation has no settings: %w", ErrInvalid)
		case c.Kind == Group && (p.Topic != nil || p.Announcement != nil):
			return fmt.Errorf("a group has no topic or announcement: %w", ErrInvalid)
		case c.Kind == Channel && !m.Role.atLeast(RoleAdmin):
			return fmt.Errorf("only owners and admins change a channel: %w", ErrPermission)
		}
		if p.Name != nil {
			c.Name = *p.Name
		}
		if p.Topic != nil {
			c.Topic = *p.Topic
		}
		if p.Announcement != nil {
			c.Announcement = *p.Announcement
		}
		if err := putConv(tx, c); err != nil {
			return err
		}
		out = *c
		cc := *c
		_, err := appendChange(tx, Change{Type: ConversationUpdated, Conversation: id, Actor: actor, At: now, Info: &cc})
		return err
	})
	if err != nil {
		return Conversation{}, err
	}
	return out, nil
}

func lastPart(k []byte) (string, error) {
	s, err := keys.Last(k)
	if err != nil {
		return "", fmt.Errorf("malformed key %q: %w", k, err)
	}
	return s, nil
}
