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
	JoinedAt time.Time `json:"joined_at"`
	// ReadSeq is the timeline position the member has read up to. It is
	// stored apart from the membership, as the hot read cursor.
	ReadSeq uint64 `json:"read_seq,omitempty"`
}

func putMember(tx store.Tx, conv string, m Member) error {
	if err := putMemberRecord(tx, kMember(conv, m.User), m); err != nil {
		return err
	}
	if err := tx.Put(kRead(conv, m.User), encodeSeq(m.ReadSeq)); err != nil {
		return err
	}
	return tx.Put(kUserConv(m.User, conv), []byte{})
}

// readCursor returns user's read cursor in conv, or, for a user who is not
// a member, ErrNotMember if they may read conv (a public channel) and
// ErrNotFound if not: every member has a cursor, so it doubles as the
// cheapest membership check.
func readCursor(tx store.Tx, conv, user string) (uint64, error) {
	b, err := tx.Get(kRead(conv, user))
	if err != nil {
		if isNotFound(err) {
			return 0, notMember(tx, conv)
		}
		return 0, err
	}
	return decodeSeq(b), nil
}

// memberOf returns user's membership of conv, or ok == false when they
// are not a member.
func memberOf(tx store.Tx, conv, user string) (Member, bool, error) {
	k := kMember(conv, user)
	b, err := tx.Get(k)
	if err != nil {
		if isNotFound(err) {
			return Member{}, false, nil
		}
		return Member{}, false, err
	}
	m, err := decodeMember(k, b)
	if err != nil {
		return Member{}, false, err
	}
	rb, err := tx.Get(kRead(conv, user))
	if err != nil && !isNotFound(err) {
		return Member{}, false, err
	}
	m.ReadSeq = decodeSeq(rb)
	return m, true, nil
}

// loadMember returns the actor's membership of conv, or the error of a
// non-member (see readCursor).
func loadMember(tx store.Tx, conv, user string) (Member, error) {
	m, ok, err := memberOf(tx, conv, user)
	if err != nil {
		return Member{}, err
	}
	if !ok {
		return Member{}, notMember(tx, conv)
	}
	return m, nil
}

// access loads a conversation and the actor's membership of it: the
// prologue of every change by a member. A conversation the actor may not
// see is ErrNotFound; a public channel they have not joined ErrNotMember.
func access(tx store.Tx, conv, actor string) (Conversation, Member, error) {
	c, err := loadConv(tx, conv)
	if err != nil {
		return c, Member{}, err
	}
	m, err := loadMember(tx, conv, actor)
	return c, m, err
}

// target loads user, the member an owner or admin acts on.
func target(tx store.Tx, conv, user string) (Member, error) {
	m, ok, err := memberOf(tx, conv, user)
	if err != nil {
		return Member{}, err
	}
	if !ok {
		return Member{}, fmt.Errorf("%q is not a member: %w", user, ErrNotFound)
	}
	return m, nil
}

// dropMember removes user from the conversation. When the last owner
// leaves, the longest-standing admin (or else member) becomes owner, so a
// conversation with members always has one.
func dropMember(tx store.Tx, c *Conversation, m Member) error {
	for _, k := range [][]byte{kMember(c.ID, m.User), kUserConv(m.User, c.ID), kRead(c.ID, m.User), kJoined(c.ID, m.User)} {
		if err := tx.Delete(k); err != nil {
			return err
		}
	}
	c.Members--
	if m.Role != RoleOwner || c.Kind == Direct {
		return putConv(tx, c)
	}
	var heir *Member
	for k, v := range tx.Scan(store.Prefix(kMembers(c.ID))) {
		o, err := decodeMember(k, v)
		if err != nil {
			return err
		}
		if o.Role == RoleOwner {
			return putConv(tx, c)
		}
		if heir == nil || o.Role.rank() > heir.Role.rank() ||
			o.Role == heir.Role && o.JoinedAt.Before(heir.JoinedAt) {
			oo := o
			heir = &oo
		}
	}
	if heir != nil {
		heir.Role = RoleOwner
		if err := putMemberRecord(tx, kMember(c.ID, heir.User), *heir); err != nil {
			return err
		}
	}
	return putConv(tx, c)
}

// Join makes actor a member of a public channel. Any other conversation
// the actor is not in is [ErrNotFound] (a private channel, a group).
func (s *Service) Join(ctx context.Context, actor, conv string) error {
	return s.mutate(ctx, fmt.Sprintf("join conversation %q", conv), actor, func(tx store.Tx, now time.Time) error {
		c, err := loadConv(tx, conv)
		if err != nil {
			return err
		}
		_, ok, err := memberOf(tx, conv, actor)
		switch {
		case err != nil:
			return err
		case ok:
			return fmt.Errorf("already a member: %w", ErrConflict)
		case c.Kind != Channel || c.Private:
			return ErrNotFound // not theirs to see
		}
		return addMember(tx, &c, actor, now, actor, MemberJoined)
	})
}

// addMember adds user; new members have read nothing before joining: their
// cursor starts at the conversation's latest message. That position is
// also kept apart (kJoined), since the cursor moves on: read receipts of
// messages up to it leave the member out.
func addMember(tx store.Tx, c *Conversation, user string, now time.Time, actor string, typ ChangeType) error {
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
	if err := putConv(tx, c); err != nil {
		return err
	}
	_, err = appendChange(tx, Change{Type: typ, Conversation: c.ID, Actor: actor, At: now, User: user, Role: RoleMember})
	return err
}

// Leave removes actor from a group or channel. Direct conversations cannot
// be left.
func (s *Service) Leave(ctx context.Context, actor, conv string) error {
	return s.mutateConv(ctx, fmt.Sprintf("leave conversation %q", conv), actor, conv, func(tx store.Tx, c *Conversation, m Member, now time.Time) error {
		if c.Kind == Direct {
			return fmt.Errorf("a direct conversation cannot be left: %w", ErrInvalid)
		}
		if err := dropMember(tx, c, m); err != nil {
			return err
		}
		_, err := appendChange(tx, Change{Type: MemberLeft, Conversation: conv, Actor: actor, At: now, User: actor})
		return err
	})
}

// mutateMember is mutateConv for an owner or admin acting on user, a
// member or not.
func (s *Service) mutateMember(ctx context.Context, op, actor, conv, user string,
	fn func(tx store.Tx, c *Conversation, m Member, now time.Time) error) error {
	if err := checkUser(user); err != nil {
		return fmt.Errorf("chat: %s: %w", op, err)
	}
	return s.mutateConv(ctx, op, actor, conv, fn)
}

// AddMember adds user to a group or channel. Any member may add people to a
// group or public channel; private channels need an owner or admin.
func (s *Service) AddMember(ctx context.Context, actor, conv, user string) error {
	op := fmt.Sprintf("add %q to conversation %q", user, conv)
	return s.mutateMember(ctx, op, actor, conv, user, func(tx store.Tx, c *Conversation, m Member, now time.Time) error {
		switch {
		case c.Kind == Direct:
			return fmt.Errorf("a direct conversation takes no other members: %w", ErrInvalid)
		case c.Kind == Channel && c.Private && !m.Role.atLeast(RoleAdmin):
			return fmt.Errorf("only owners and admins add to a private channel: %w", ErrPermission)
		}
		if _, ok, err := memberOf(tx, conv, user); err != nil {
			return err
		} else if ok {
			return fmt.Errorf("already a member: %w", ErrConflict)
		}
		return addMember(tx, c, user, now, actor, MemberAdded)
	})
}

// RemoveMember removes user from a group or channel. Owners and admins may
// remove members; only owners may remove admins and owners.
func (s *Service) RemoveMember(ctx context.Context, actor, conv, user string) error {
	op := fmt.Sprintf("remove %q from conversation %q", user, conv)
	return s.mutateMember(ctx, op, actor, conv, user, func(tx store.Tx, c *Conversation, m Member, now time.Time) error {
		if c.Kind == Direct {
			return fmt.Errorf("a direct conversation keeps its two members: %w", ErrInvalid)
		}
		t, err := target(tx, conv, user)
		if err != nil {
			return err
		}
		if !m.Role.atLeast(RoleAdmin) || t.Role.atLeast(RoleAdmin) && m.Role != RoleOwner {
			return fmt.Errorf("role %s may not remove a %s: %w", m.Role, t.Role, ErrPermission)
		}
		if err := dropMember(tx, c, t); err != nil {
			return err
		}
		_, err = appendChange(tx, Change{Type: MemberRemoved, Conversation: conv, Actor: actor, At: now, User: user})
		return err
	})
}

// SetRole changes user's role. Only owners change roles, in groups and
// channels.
func (s *Service) SetRole(ctx context.Context, actor, conv, user string, role Role) error {
	op := fmt.Sprintf("set role of %q in conversation %q", user, conv)
	if role.rank() == 0 {
		return fmt.Errorf("chat: %s: role %q: %w", op, role, ErrInvalid)
	}
	return s.mutateMember(ctx, op, actor, conv, user, func(tx store.Tx, c *Conversation, m Member, now time.Time) error {
		if c.Kind == Direct {
			return fmt.Errorf("a direct conversation has no roles: %w", ErrInvalid)
		}
		if m.Role != RoleOwner {
			return fmt.Errorf("only owners change roles: %w", ErrPermission)
		}
		t, err := target(tx, conv, user)
		if err != nil {
			return err
		}
		if t.Role == role {
			return fmt.Errorf("already %s: %w", role, ErrConflict)
		}
		if t.User == actor && role != RoleOwner {
			other, err := hasOtherOwner(tx, conv, actor)
			if err != nil {
				return err
			}
			if !other {
				return fmt.Errorf("the last owner cannot step down: %w", ErrConflict)
			}
		}
		t.Role = role
		if err := putMemberRecord(tx, kMember(conv, user), t); err != nil {
			return err
		}
		_, err = appendChange(tx, Change{Type: MemberRole, Conversation: conv, Actor: actor, At: now, User: user, Role: role})
		return err
	})
}

func hasOtherOwner(tx store.Tx, conv, user string) (bool, error) {
	for k, v := range tx.Scan(store.Prefix(kMembers(conv))) {
		o, err := decodeMember(k, v)
		if err != nil {
			return false, err
		}
		if o.Role == RoleOwner && o.User != user {
			return true, nil
		}
	}
	return false, nil
}

// Members returns a page of the members of a conversation actor belongs
// to (or of a public channel), ordered by user id.
func (s *Service) Members(ctx context.Context, actor, conv string, o ListOptions) (store.Page[Member], error) {
	var p store.Page[Member]
	err := s.view(ctx, fmt.Sprintf("list members of conversation %q", conv), actor, func(tx store.Tx) error {
		if _, err := loadConv(tx, conv); err != nil {
			return err
		}
		if err := canRead(tx, conv, actor); err != nil {
			return err
		}
		var err error
		p, err = memberPage(tx, conv, o)
		return err
	})
	return p, err
}

// memberPage returns a page of conv's members, ordered by user id.
func memberPage(tx store.Tx, conv string, o ListOptions) (store.Page[Member], error) {
	return listPage(tx, kMembers(conv), o, false, func(k, v []byte) (Member, bool, error) {
		m, err := decodeMember(k, v)
		if err != nil {
			return Member{}, false, err
		}
		rb, err := tx.Get(kRead(conv, m.User))
		if err != nil && !isNotFound(err) {
			return Member{}, false, err
		}
		m.ReadSeq = decodeSeq(rb)
		return m, true, nil
	})
}
