package chat

import (
	"context"
	"fmt"
	"time"

	"github.com/workspace-go/workspace/store"
)

// Role is a member's role in a conversation.
type Role string

// Roles, from most to least powerful.
const (
	// RoleOwner may do everything, including changing roles.
	RoleOwner Role = "owner"
	// RoleAdmin may change a channel's settings, add and remove members
	// (but not owners) and delete other people's messages.
	RoleAdmin Role = "admin"
	// RoleMember may read, post, react and pin.
	RoleMember Role = "member"
)

func (r Role) rank() int {
	switch r {
	case RoleOwner:
		return 3
	case RoleAdmin:
		return 2
	case RoleMember:
		return 1
	}
	return 0
}

func (r Role) atLeast(o Role) bool { return r.rank() >= o.rank() }

// Member is a user's membership of a conversation.
type Member struct {
	User     string    `json:"user"`
	Role     Role      `json:"role"`
	JoinedAt time.Time `json:"joinedAt"`
	// ReadSeq is the timeline position the member has read up to. It is
	// stored apart from the membership, as the hot read cursor.
	ReadSeq uint64 `json:"-"`
}

func putMember(tx store.Tx, conv string, m Member) error {
	if err := putJSON(tx, kMember(conv, m.User), m); err != nil {
		return err
	}
	if err := tx.Put(kRead(conv, m.User), encodeSeq(m.ReadSeq)); err != nil {
		return err
	}
	return tx.Put(kUserConv(m.User, conv), []byte{})
}

// readCursor returns user's read cursor in conv, or ErrNotMember: every
// member has one, so it doubles as the cheapest membership check.
func readCursor(tx store.Tx, conv, user string) (uint64, error) {
	b, err := tx.Get(kRead(conv, user))
	if err != nil {
		if isNotFound(err) {
			return 0, ErrNotMember
		}
		return 0, err
	}
	return decodeSeq(b), nil
}

func loadMember(tx store.Tx, conv, user string) (Member, error) {
	var m Member
	if err := getJSON(tx, kMember(conv, user), &m); err != nil {
		if isNotFound(err) {
			return m, ErrNotMember
		}
		return m, err
	}
	var err error
	m.ReadSeq, err = readCursor(tx, conv, user)
	return m, err
}

// access loads a conversation and the actor's membership of it.
func access(tx store.Tx, conv, actor string) (Conversation, Member, error) {
	c, err := loadConv(tx, conv)
	if err != nil {
		return c, Member{}, err
	}
	m, err := loadMember(tx, conv, actor)
	return c, m, err
}

// dropMember removes user from the conversation. When the last owner
// leaves, the longest-standing admin (or else member) becomes owner, so a
// conversation with members always has one.
func dropMember(tx store.Tx, c *Conversation, m Member) error {
	if err := tx.Delete(kMember(c.ID, m.User)); err != nil {
		return err
	}
	if err := tx.Delete(kUserConv(m.User, c.ID)); err != nil {
		return err
	}
	if err := tx.Delete(kRead(c.ID, m.User)); err != nil {
		return err
	}
	if err := tx.Delete(kJoined(c.ID, m.User)); err != nil {
		return err
	}
	c.Members--
	if m.Role != RoleOwner || c.Kind == Direct {
		return putJSON(tx, kConv(c.ID), c)
	}
	var heir *Member
	for _, v := range tx.Scan(store.Prefix(kMembers(c.ID))) {
		var o Member
		if err := decodeJSON(v, &o); err != nil {
			return err
		}
		if o.Role == RoleOwner {
			return putJSON(tx, kConv(c.ID), c)
		}
		if heir == nil || o.Role.rank() > heir.Role.rank() ||
			o.Role == heir.Role && o.JoinedAt.Before(heir.JoinedAt) {
			oo := o
			heir = &oo
		}
	}
	if heir != nil {
		heir.Role = RoleOwner
		var err error
		if heir.ReadSeq, err = readCursor(tx, c.ID, heir.User); err != nil {
			return err
		}
		if err := putMember(tx, c.ID, *heir); err != nil {
			return err
		}
	}
	return putJSON(tx, kConv(c.ID), c)
}

// Join makes actor a member of a public channel.
func (s *Service) Join(ctx context.Context, actor, conv string) error {
	op := fmt.Sprintf("join conversation %q", conv)
	if err := checkActor(op, actor); err != nil {
		return err
	}
	now := s.now().UTC()
	err := s.st.Update(ctx, func(tx store.Tx) error {
		c, err := loadConv(tx, conv)
		if err != nil {
			return err
		}
		if c.Kind != Channel || c.Private {
			return fmt.Errorf("only public channels can be joined: %w", ErrPermission)
		}
		if _, err := loadMember(tx, conv, actor); err == nil {
			return fmt.Errorf("already a member: %w", ErrConflict)
		}
		return addMember(tx, &c, actor, now, actor, MemberJoined)
	})
	if err != nil {
		return fmt.Errorf("chat: %s: %w", op, err)
	}
	return nil
}

// addMember adds user; new members have read nothing before joining: their
// cursor starts at the conversation's latest message. That position is
// also kept apart (kJoined), since the cursor moves on: read receipts of
// messages up to it leave the member out.
func addMember(tx store.Tx, c *Conversation, user string, now time.Time, actor, typ string) error {
	b, err := tx.Get(kCounters(c.ID))
	if err != nil {
		return err
	}
	cnt := decodeCounters(b)
	last := lastSeq(tx, c.ID, cnt)
	if err := putMember(tx, c.ID, Member{User: user, Role: RoleMember, JoinedAt: now, ReadSeq: last}); err != nil {
		return err
	}
	if err := tx.Put(kJoined(c.ID, user), encodeSeq(last)); err != nil {
		return err
	}
	c.Members++
	if err := putJSON(tx, kConv(c.ID), c); err != nil {
		return err
	}
	return appendChange(tx, Change{Type: typ, Conversation: c.ID, Actor: actor, At: now, User: user, Role: RoleMember})
}

// Leave removes actor from a group or channel. Direct conversations cannot
// be left.
func (s *Service) Leave(ctx context.Context, actor, conv string) error {
	op := fmt.Sprintf("leave conversation %q", conv)
	if err := checkActor(op, actor); err != nil {
		return err
	}
	now := s.now().UTC()
	err := s.st.Update(ctx, func(tx store.Tx) error {
		c, m, err := access(tx, conv, actor)
		if err != nil {
			return err
		}
		if c.Kind == Direct {
			return fmt.Errorf("a direct conversation cannot be left: %w", ErrInvalid)
		}
		if err := dropMember(tx, &c, m); err != nil {
			return err
		}
		return appendChange(tx, Change{Type: MemberLeft, Conversation: conv, Actor: actor, At: now, User: actor})
	})
	if err != nil {
		return fmt.Errorf("chat: %s: %w", op, err)
	}
	return nil
}

// AddMember adds user to a group or channel. Any member may add people to a
// group or public channel; private channels need an owner or admin.
func (s *Service) AddMember(ctx context.Context, actor, conv, user string) error {
	op := fmt.Sprintf("add %q to conversation %q", user, conv)
	if err := checkActor(op, actor); err != nil {
		return err
	}
	if err := checkUser(user); err != nil {
		return fmt.Errorf("chat: %s: %w", op, err)
	}
	now := s.now().UTC()
	err := s.st.Update(ctx, func(tx store.Tx) error {
		c, m, err := access(tx, conv, actor)
		if err != nil {
			return err
		}
		switch {
		case c.Kind == Direct:
			return fmt.Errorf("a direct conversation takes no other members: %w", ErrInvalid)
		case c.Kind == Channel && c.Private && !m.Role.atLeast(RoleAdmin):
			return fmt.Errorf("only owners and admins add to a private channel: %w", ErrPermission)
		}
		if _, err := loadMember(tx, conv, user); err == nil {
			return fmt.Errorf("already a member: %w", ErrConflict)
		}
		return addMember(tx, &c, user, now, actor, MemberAdded)
	})
	if err != nil {
		return fmt.Errorf("chat: %s: %w", op, err)
	}
	return nil
}

// RemoveMember removes user from a group or channel. Owners and admins may
// remove members; only owners may remove admins and owners.
func (s *Service) RemoveMember(ctx context.Context, actor, conv, user string) error {
	op := fmt.Sprintf("remove %q from conversation %q", user, conv)
	if err := checkActor(op, actor); err != nil {
		return err
	}
	if err := checkUser(user); err != nil {
		return fmt.Errorf("chat: %s: %w", op, err)
	}
	now := s.now().UTC()
	err := s.st.Update(ctx, func(tx store.Tx) error {
		c, m, err := access(tx, conv, actor)
		if err != nil {
			return err
		}
		if c.Kind == Direct {
			return fmt.Errorf("a direct conversation keeps its two members: %w", ErrInvalid)
		}
		target, err := loadMember(tx, conv, user)
		if err != nil {
			return fmt.Errorf("%q: %w", user, err)
		}
		if !m.Role.atLeast(RoleAdmin) || target.Role.atLeast(RoleAdmin) && m.Role != RoleOwner {
			return fmt.Errorf("role %s may not remove a %s: %w", m.Role, target.Role, ErrPermission)
		}
		if err := dropMember(tx, &c, target); err != nil {
			return err
		}
		return appendChange(tx, Change{Type: MemberRemoved, Conversation: conv, Actor: actor, At: now, User: user})
	})
	if err != nil {
		return fmt.Errorf("chat: %s: %w", op, err)
	}
	return nil
}

// SetRole changes user's role. Only owners change roles, in groups and
// channels.
func (s *Service) SetRole(ctx context.Context, actor, conv, user string, role Role) error {
	op := fmt.Sprintf("set role of %q in conversation %q", user, conv)
	if err := checkActor(op, actor); err != nil {
		return err
	}
	if err := checkUser(user); err != nil {
		return fmt.Errorf("chat: %s: %w", op, err)
	}
	if role.rank() == 0 {
		return fmt.Errorf("chat: %s: role %q: %w", op, role, ErrInvalid)
	}
	now := s.now().UTC()
	err := s.st.Update(ctx, func(tx store.Tx) error {
		c, m, err := access(tx, conv, actor)
		if err != nil {
			return err
		}
		if c.Kind == Direct {
			return fmt.Errorf("a direct conversation has no roles: %w", ErrInvalid)
		}
		if m.Role != RoleOwner {
			return fmt.Errorf("only owners change roles: %w", ErrPermission)
		}
		target, err := loadMember(tx, conv, user)
		if err != nil {
			return fmt.Errorf("%q: %w", user, err)
		}
		if target.Role == role {
			return fmt.Errorf("already %s: %w", role, ErrConflict)
		}
		if target.User == actor && role != RoleOwner && !hasOtherOwner(tx, conv, actor) {
			return fmt.Errorf("the last owner cannot step down: %w", ErrConflict)
		}
		target.Role = role
		if err := putMember(tx, conv, target); err != nil {
			return err
		}
		return appendChange(tx, Change{Type: MemberRole, Conversation: conv, Actor: actor, At: now, User: user, Role: role})
	})
	if err != nil {
		return fmt.Errorf("chat: %s: %w", op, err)
	}
	return nil
}

func hasOtherOwner(tx store.Tx, conv, user string) bool {
	for _, v := range tx.Scan(store.Prefix(kMembers(conv))) {
		var o Member
		if decodeJSON(v, &o) == nil && o.Role == RoleOwner && o.User != user {
			return true
		}
	}
	return false
}

// Members lists the members of a conversation actor belongs to (or of a
// public channel), ordered by user id.
func (s *Service) Members(ctx context.Context, actor, conv string) ([]Member, error) {
	op := fmt.Sprintf("list members of conversation %q", conv)
	if err := checkActor(op, actor); err != nil {
		return nil, err
	}
	var out []Member
	err := s.st.View(ctx, func(tx store.Tx) error {
		c, err := loadConv(tx, conv)
		if err != nil {
			return err
		}
		if c.Kind != Channel || c.Private {
			if _, err := loadMember(tx, conv, actor); err != nil {
				return err
			}
		}
		for _, v := range tx.Scan(store.Prefix(kMembers(conv))) {
			var m Member
			if err := decodeJSON(v, &m); err != nil {
				return err
			}
			var err error
			if m.ReadSeq, err = readCursor(tx, conv, m.User); err != nil {
				return err
			}
			out = append(out, m)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("chat: %s: %w", op, err)
	}
	return out, nil
}
