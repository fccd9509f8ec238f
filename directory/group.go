package directory

import (
	"context"
	"fmt"
	"time"

	"github.com/workspace-go/workspace/internal/keys"
	"github.com/workspace-go/workspace/internal/record"
	"github.com/workspace-go/workspace/store"
)

// MaxGroupMembers is the most direct members one group holds.
const MaxGroupMembers = 10000

// Group is a named set of users and other groups (nested, never in a
// cycle): a mailing list, a project team, the approvers of a workflow.
type Group struct {
	// ID identifies the group; when empty on create, the Service names it.
	ID string `json:"id"`
	// Name is the group's name. Required.
	Name string `json:"name"`
	// Members is the number of direct members (set by the Service).
	Members int `json:"members"`
	// ClientKey makes a create safe to retry (see User.ClientKey).
	ClientKey string `json:"client_key,omitempty"`
	// Created and Updated are set by the Service.
	Created time.Time `json:"created"`
	Updated time.Time `json:"updated"`
}

// MemberKind says what a group member is. It encodes as its string.
type MemberKind string

// The kinds of group member.
const (
	MemberUser  MemberKind = "user"
	MemberGroup MemberKind = "group"
)

// Member is a direct member of a group: a user or a group.
type Member struct {
	Kind MemberKind `json:"kind"`
	ID   string     `json:"id"`
}

func (m Member) check() error {
	if m.Kind != MemberUser && m.Kind != MemberGroup {
		return fmt.Errorf("member kind %q: %w", m.Kind, ErrInvalid)
	}
	return checkID(string(m.Kind), m.ID)
}

// CreateGroup adds group g and returns it as stored. With g.ClientKey set,
// a retried create returns the first group. Only admins may create groups.
func (s *Service) CreateGroup(ctx context.Context, actor string, g Group) (Group, error) {
	if g.ID == "" {
		g.ID = s.o.newID()
	}
	what := fmt.Sprintf("create group %q", g.ID)
	if err := checkGroup(g); err != nil {
		return Group{}, fmt.Errorf("directory: %s: %w", what, err)
	}
	var out Group
	err := s.update(ctx, actor, what, func(w *writer) error {
		if id, err := replay(w.tx, actor, g.ClientKey, 'g'); err != nil || id != "" {
			if err == nil {
				out, err = getGroup(w.tx, id)
			}
			return err
		}
		if ok, err := exists(w.tx, kGroup(g.ID)); err != nil {
			return err
		} else if ok {
			return fmt.Errorf("group %q: id in use: %w", g.ID, ErrConflict)
		}
		n := g
		n.Members, n.Created, n.Updated = 0, w.now, w.now
		if err := record.Put(w.tx, kGroup(n.ID), n); err != nil {
			return err
		}
		if err := w.putClientKey(g.ClientKey, "g"+g.ID); err != nil {
			return err
		}
		out = n
		return w.emit(Change{Type: GroupCreated, Group: &n})
	})
	return out, err
}

func checkGroup(g Group) error {
	if err := checkID("group", g.ID); err != nil {
		return err
	}
	if err := checkText("group name", g.Name, MaxNameLen, true); err != nil {
		return err
	}
	return checkClientKey(g.ClientKey)
}

// RenameGroup sets the name of group id. Only admins may rename groups.
func (s *Service) RenameGroup(ctx context.Context, actor, id, name string) (Group, error) {
	what := fmt.Sprintf("rename group %q", id)
	if err := checkGroup(Group{ID: id, Name: name}); err != nil {
		return Group{}, fmt.Errorf("directory: %s: %w", what, err)
	}
	var out Group
	err := s.update(ctx, actor, what, func(w *writer) error {
		g, err := getGroup(w.tx, id)
		if err != nil {
			return err
		}
		out = g
		if g.Name == name {
			return nil
		}
		g.Name, g.Updated = name, w.now
		if err := record.Put(w.tx, kGroup(id), g); err != nil {
			return err
		}
		out = g
		return w.emit(Change{Type: GroupUpdated, Group: &g})
	})
	return out, err
}

// DeleteGroup removes group id and its memberships (its members are no
// longer in it; it is no longer in the groups that held it). Only admins
// may delete groups.
func (s *Service) DeleteGroup(ctx context.Context, actor, id string) error {
	what := fmt.Sprintf("delete group %q", id)
	if err := checkID("group", id); err != nil {
		return fmt.Errorf("directory: %s: %w", what, err)
	}
	return s.update(ctx, actor, what, func(w *writer) error {
		g, err := getGroup(w.tx, id)
		if err != nil {
			return err
		}
		var members []Member
		for k := range w.tx.Scan(store.Prefix(key(pMember, id))) {
			m, err := memberFromKey(k, 3)
			if err != nil {
				return err
			}
			members = append(members, m)
		}
		var parents []string
		self := Member{Kind: MemberGroup, ID: id}
		for k := range w.tx.Scan(store.Prefix(key(pMemberOf, string(MemberGroup), id))) {
			p, err := keys.Last(k)
			if err != nil {
				return fmt.Errorf("group index: %w", err)
			}
			parents = append(parents, p)
		}
		for _, m := range members {
			if err := w.tx.Delete(kMember(id, m)); err != nil {
				return err
			}
			if err := w.tx.Delete(kMemberOf(m, id)); err != nil {
				return err
			}
		}
		for _, p := range parents {
			pg, err := getGroup(w.tx, p)
			if err != nil {
				return err
			}
			pg.Members--
			if err := record.Put(w.tx, kGroup(p), pg); err != nil {
				return err
			}
			if err := w.tx.Delete(kMember(p, self)); err != nil {
				return err
			}
			if err := w.tx.Delete(kMemberOf(self, p)); err != nil {
				return err
			}
		}
		if err := w.tx.Delete(kGroup(id)); err != nil {
			return err
		}
		return w.emit(Change{Type: GroupDeleted, Group: &g})
	})
}

// memberFromKey reads the member from the parts of a gm key, which start
// at part index at (after the table and the group).
func memberFromKey(k []byte, at int) (Member, error) {
	parts, err := keys.Split(k)
	if err != nil || len(parts) != at+2 {
		return Member{}, fmt.Errorf("group index: malformed key: %w", ErrInvalid)
	}
	return Member{Kind: MemberKind(parts[at]), ID: string(parts[at+1])}, nil
}

// AddMember adds m to group. A user member must exist and not have left
// (ErrDeparted); a group member must exist and not contain group at any
// depth (ErrCycle). Adding a member already there writes nothing. Only
// admins may change groups.
func (s *Service) AddMember(ctx context.Context, actor, group string, m Member) error {
	what := fmt.Sprintf("add %s %q to group %q", m.Kind, m.ID, group)
	if err := checkID("group", group); err != nil {
		return fmt.Errorf("directory: %s: %w", what, err)
	}
	if err := m.check(); err != nil {
		return fmt.Errorf("directory: %s: %w", what, err)
	}
	if m.Kind == MemberGroup && m.ID == group {
		return fmt.Errorf("directory: %s: a group in itself: %w", what, ErrCycle)
	}
	return s.update(ctx, actor, what, func(w *writer) error {
		g, err := getGroup(w.tx, group)
		if err != nil {
			return err
		}
		if ok, err := exists(w.tx, kMember(group, m)); err != nil || ok {
			return err
		}
		if g.Members >= MaxGroupMembers {
			return fmt.Errorf("group holds %d members (max %d): %w", g.Members, MaxGroupMembers, ErrTooLarge)
		}
		switch m.Kind {
		case MemberUser:
			u, err := getUser(w.tx, m.ID)
			if err != nil {
				return err
			}
			if u.Status == Left {
				return fmt.Errorf("user %q: %w", m.ID, ErrDeparted)
			}
		case MemberGroup:
			if _, err := getGroup(w.tx, m.ID); err != nil {
				return err
			}
			// m contains group iff m is group or one of the groups above it.
			above, err := groupsAbove(w.tx, []string{group})
			if err != nil {
				return err
			}
			if above[m.ID] {
				return fmt.Errorf("group %q contains group %q: %w", m.ID, group, ErrCycle)
			}
		}
		g.Members++
		g.Updated = w.now
		if err := record.Put(w.tx, kGroup(group), g); err != nil {
			return err
		}
		if err := w.tx.Put(kMember(group, m), empty); err != nil {
			return err
		}
		if err := w.tx.Put(kMemberOf(m, group), empty); err != nil {
			return err
		}
		return w.emit(Change{Type: GroupMemberAdded, Group: &g, Member: &m})
	})
}

// RemoveMember removes m from group. Removing a member not there writes
// nothing. Only admins may change groups.
func (s *Service) RemoveMember(ctx context.Context, actor, group string, m Member) error {
	what := fmt.Sprintf("remove %s %q from group %q", m.Kind, m.ID, group)
	if err := checkID("group", group); err != nil {
		return fmt.Errorf("directory: %s: %w", what, err)
	}
	if err := m.check(); err != nil {
		return fmt.Errorf("directory: %s: %w", what, err)
	}
	return s.update(ctx, actor, what, func(w *writer) error {
		g, err := getGroup(w.tx, group)
		if err != nil {
			return err
		}
		if ok, err := exists(w.tx, kMember(group, m)); err != nil || !ok {
			return err
		}
		g.Members--
		g.Updated = w.now
		if err := record.Put(w.tx, kGroup(group), g); err != nil {
			return err
		}
		if err := w.tx.Delete(kMember(group, m)); err != nil {
			return err
		}
		if err := w.tx.Delete(kMemberOf(m, group)); err != nil {
			return err
		}
		return w.emit(Change{Type: GroupMemberRemoved, Group: &g, Member: &m})
	})
}

// groupsAbove returns the groups in start and every group that contains
// one of them at any depth, visiting at most MaxGroupWalk groups.
func groupsAbove(tx store.Tx, start []string) (map[string]bool, error) {
	seen := map[string]bool{}
	queue := append([]string(nil), start...)
	for _, g := range start {
		seen[g] = true
	}
	for len(queue) > 0 {
		g := queue[0]
		queue = queue[1:]
		for k := range tx.Scan(store.Prefix(key(pMemberOf, string(MemberGroup), g))) {
			p, err := keys.Last(k)
			if err != nil {
				return nil, fmt.Errorf("group index: %w", err)
			}
			if seen[p] {
				continue
			}
			if len(seen) >= MaxGroupWalk {
				return nil, fmt.Errorf("groups above %q: over %d: %w", start, MaxGroupWalk, ErrTooLarge)
			}
			seen[p] = true
			queue = append(queue, p)
		}
	}
	return seen, nil
}
