package chat

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/workspace-go/workspace/internal/keys"
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
	CreatedBy    string           `json:"createdBy"`
	CreatedAt    time.Time        `json:"createdAt"`
	// Members is the number of members.
	Members int `json:"members"`
	// RetentionDays, when positive, makes Purge remove messages older
	// than that many days.
	RetentionDays int `json:"retentionDays,omitempty"`
	// LegalHold blocks deleting and purging the conversation's messages.
	LegalHold bool `json:"legalHold,omitempty"`
}

// ChannelOptions describe a new channel.
type ChannelOptions struct {
	Name         string
	Topic        string
	Announcement string
	// Private channels are not listed by Channels and are joined only by
	// being added.
	Private bool
	// Members are added as members besides the creator, who is the owner.
	Members []string
}

// ConversationPatch changes a conversation's settings; nil fields are left
// alone.
type ConversationPatch struct {
	Name         *string
	Topic        *string
	Announcement *string
}

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
	var c Conversation
	if err := getJSON(tx, kConv(id), &c); err != nil {
		if isNotFound(err) {
			return c, ErrNoConversation
		}
		return c, err
	}
	return c, nil
}

// create writes a new conversation with its members: owner first.
func (s *Service) create(tx store.Tx, c Conversation, owner Role, members []string) error {
	c.Members = 1 + len(members)
	if err := putJSON(tx, kConv(c.ID), c); err != nil {
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
	return appendChange(tx, Change{Type: ConversationCreated, Conversation: c.ID, Actor: c.CreatedBy, At: c.CreatedAt,
		Info: &cc, Users: append([]string{c.CreatedBy}, members...)})
}

// CreateGroup creates a group conversation with actor as its owner and the
// given members.
func (s *Service) CreateGroup(ctx context.Context, actor, name string, members []string) (Conversation, error) {
	op := "create group"
	if err := checkActor(op, actor); err != nil {
		return Conversation{}, err
	}
	if err := checkShort("name", name, MaxNameLength, true); err != nil {
		return Conversation{}, fmt.Errorf("chat: %s: %w", op, err)
	}
	others, err := uniqueUsers(members, actor)
	if err != nil {
		return Conversation{}, fmt.Errorf("chat: %s: %w", op, err)
	}
	c := Conversation{ID: s.newID(), Kind: Group, Name: name, CreatedBy: actor, CreatedAt: s.now().UTC()}
	err = s.st.Update(ctx, func(tx store.Tx) error { return s.create(tx, c, RoleOwner, others) })
	if err != nil {
		return Conversation{}, fmt.Errorf("chat: %s: %w", op, err)
	}
	c.Members = 1 + len(others)
	return c, nil
}

// CreateChannel creates a channel with actor as its owner.
func (s *Service) CreateChannel(ctx context.Context, actor string, o ChannelOptions) (Conversation, error) {
	op := "create channel"
	if err := checkActor(op, actor); err != nil {
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
	others, err := uniqueUsers(o.Members, actor)
	if err != nil {
		return Conversation{}, fmt.Errorf("chat: %s: %w", op, err)
	}
	c := Conversation{ID: s.newID(), Kind: Channel, Name: o.Name, Topic: o.Topic, Announcement: o.Announcement,
		Private: o.Private, CreatedBy: actor, CreatedAt: s.now().UTC()}
	err = s.st.Update(ctx, func(tx store.Tx) error { return s.create(tx, c, RoleOwner, others) })
	if err != nil {
		return Conversation{}, fmt.Errorf("chat: %s: %w", op, err)
	}
	c.Members = 1 + len(others)
	return c, nil
}

// OpenDirect returns the direct conversation between actor and other,
// creating it on first use. Both are plain members; a direct conversation
// cannot be left and takes no other members.
func (s *Service) OpenDirect(ctx context.Context, actor, other string) (Conversation, error) {
	op := fmt.Sprintf("open direct conversation with %q", other)
	if err := checkActor(op, actor); err != nil {
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
	now := s.now().UTC()
	err := s.st.Update(ctx, func(tx store.Tx) error {
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
		return Conversation{}, fmt.Errorf("chat: %s: %w", op, err)
	}
	return out, nil
}

// Conversation returns a conversation the actor belongs to, or a public
// channel.
func (s *Service) Conversation(ctx context.Context, actor, id string) (Conversation, error) {
	op := fmt.Sprintf("get conversation %q", id)
	if err := checkActor(op, actor); err != nil {
		return Conversation{}, err
	}
	var c Conversation
	err := s.st.View(ctx, func(tx store.Tx) error {
		var err error
		if c, err = loadConv(tx, id); err != nil {
			return err
		}
		if c.Kind == Channel && !c.Private {
			return nil
		}
		_, err = loadMember(tx, id, actor)
		return err
	})
	if err != nil {
		return Conversation{}, fmt.Errorf("chat: %s: %w", op, err)
	}
	return c, nil
}

// Conversations lists the conversations actor is a member of, in order of
// creation (ids are time-ordered).
func (s *Service) Conversations(ctx context.Context, actor string) ([]Conversation, error) {
	op := "list conversations"
	if err := checkActor(op, actor); err != nil {
		return nil, err
	}
	var out []Conversation
	err := s.st.View(ctx, func(tx store.Tx) error {
		return eachConversation(tx, actor, func(c Conversation) error {
			out = append(out, c)
			return nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("chat: %s: %w", op, err)
	}
	return out, nil
}

// eachConversation calls fn with each conversation user is a member of,
// in order of creation.
func eachConversation(tx store.Tx, user string, fn func(Conversation) error) error {
	for k := range tx.Scan(store.Prefix(kUserConvs(user))) {
		id, err := lastPart(k)
		if err != nil {
			return err
		}
		c, err := loadConv(tx, id)
		if err != nil {
			return err
		}
		if err := fn(c); err != nil {
			return err
		}
	}
	return nil
}

// Channels lists the public channels, which any user may join.
func (s *Service) Channels(ctx context.Context, actor string) ([]Conversation, error) {
	op := "list channels"
	if err := checkActor(op, actor); err != nil {
		return nil, err
	}
	var out []Conversation
	err := s.st.View(ctx, func(tx store.Tx) error {
		for k := range tx.Scan(store.Prefix(kPublics())) {
			id, err := lastPart(k)
			if err != nil {
				return err
			}
			c, err := loadConv(tx, id)
			if err != nil {
				return err
			}
			out = append(out, c)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("chat: %s: %w", op, err)
	}
	return out, nil
}

// UpdateConversation changes a group's name or a channel's name, topic or
// announcement. Owners and admins may change a channel; any member may
// rename a group. Direct conversations have nothing to change.
func (s *Service) UpdateConversation(ctx context.Context, actor, id string, p ConversationPatch) (Conversation, error) {
	op := fmt.Sprintf("update conversation %q", id)
	if err := checkActor(op, actor); err != nil {
		return Conversation{}, err
	}
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
	now := s.now().UTC()
	err := s.st.Update(ctx, func(tx store.Tx) error {
		c, m, err := access(tx, id, actor)
		if err != nil {
			return err
		}
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
		if err := putJSON(tx, kConv(id), c); err != nil {
			return err
		}
		out = c
		cc := c
		return appendChange(tx, Change{Type: ConversationUpdated, Conversation: id, Actor: actor, At: now, Info: &cc})
	})
	if err != nil {
		return Conversation{}, fmt.Errorf("chat: %s: %w", op, err)
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
