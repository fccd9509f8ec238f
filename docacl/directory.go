package docacl

import (
	"context"
	"fmt"
	"sort"
	"time"
)

// The directory (users, groups, departments) and tenant settings are
// managed by tenant admins: the users named with WithAdmins and directory
// users marked Admin. docacl's own directory is used only when no
// Directory is given (WithDirectory); with one, the methods below that
// manage or read it fail with ErrExternalDirectory.

func (s *Service) needAdmin(m *model, actor, what string) error {
	if !s.isAdmin(m, actor) {
		return fmt.Errorf("docacl: %s by %q: %w", what, actor, ErrNotAdmin)
	}
	return nil
}

// PutUser adds or updates a user of the directory. u.Dept and u.Manager,
// when set, must exist. Putting a user who left brings them back (with no
// access but what is granted anew). Only admins may call it.
func (s *Service) PutUser(ctx context.Context, actor string, u User) error {
	if err := s.external("put user"); err != nil {
		return err
	}
	what := fmt.Sprintf("put user %q", u.ID)
	if err := checkID(u.ID); err != nil {
		return fmt.Errorf("docacl: %s: %w", what, err)
	}
	if len(u.Name) > MaxNameLen {
		return fmt.Errorf("docacl: %s: name of %d bytes exceeds %d: %w", what, len(u.Name), MaxNameLen, ErrTooLarge)
	}
	u.Left = false
	_, err := s.write(ctx, func(m *model, now time.Time) (*plan, error) {
		if err := s.needAdmin(m, actor, what); err != nil {
			return nil, err
		}
		if u.Dept != "" && m.depts[u.Dept] == nil {
			return nil, fmt.Errorf("docacl: %s: department %q: %w", what, u.Dept, ErrNotFound)
		}
		if u.Manager != "" && (u.Manager == u.ID || m.activeUser(u.Manager) == nil) {
			return nil, fmt.Errorf("docacl: %s: manager %q: %w", what, u.Manager, ErrNotFound)
		}
		if old := m.users[u.ID]; old != nil && *old == u {
			return nil, nil
		}
		p := &plan{}
		p.put(userKey(u.ID), u)
		p.change = Change{Type: UserSet, Actor: actor, Principal: UserKey(u.ID), Users: []string{u.ID}}
		s.audit(p, AuditEntry{At: now, Actor: actor, Type: UserSet, Principal: UserKey(u.ID), After: u.Dept}, u.ID)
		return p, nil
	})
	return err
}

// User returns a user of the directory. Any active user or admin may read
// the directory.
func (s *Service) User(ctx context.Context, actor, id string) (User, error) {
	if err := s.external("get user"); err != nil {
		return User{}, err
	}
	var u User
	err := s.read(ctx, func(m *model) error {
		if m.activeUser(actor) == nil && !s.isAdmin(m, actor) {
			return fmt.Errorf("docacl: user %q read by %q: %w", id, actor, ErrNotFound)
		}
		p := m.users[id]
		if p == nil {
			return fmt.Errorf("docacl: user %q: %w", id, ErrNotFound)
		}
		u = *p
		return nil
	})
	return u, err
}

// PutGroup creates group id or renames it. Only admins may call it.
func (s *Service) PutGroup(ctx context.Context, actor, id, name string) error {
	if err := s.external("put group"); err != nil {
		return err
	}
	what := fmt.Sprintf("put group %q", id)
	if err := checkID(id); err != nil {
		return fmt.Errorf("docacl: %s: %w", what, err)
	}
	_, err := s.write(ctx, func(m *model, now time.Time) (*plan, error) {
		if err := s.needAdmin(m, actor, what); err != nil {
			return nil, err
		}
		if g := m.groups[id]; g != nil && g.Name == name {
			return nil, nil
		}
		p := &plan{}
		p.put(groupKey(id), Group{ID: id, Name: name})
		p.change = Change{Type: GroupSet, Actor: actor, Principal: GroupKey(id), Groups: []string{id}}
		s.audit(p, AuditEntry{At: now, Actor: actor, Type: GroupSet, Principal: GroupKey(id), After: name})
		return p, nil
	})
	return err
}

// AddMember adds member (a UserKey or GroupKey) to group. Adding a group
// that contains group, at any depth, fails with ErrCycle. Only admins may
// call it.
func (s *Service) AddMember(ctx context.Context, actor, group, member string) error {
	if err := s.external("add member"); err != nil {
		return err
	}
	what := fmt.Sprintf("add %q to group %q", member, group)
	pr, err := ParseKey(member)
	if err != nil {
		return fmt.Errorf("docacl: %s: %w", what, err)
	}
	if pr.Kind != KindUser && pr.Kind != KindGroup {
		return fmt.Errorf("docacl: %s: members are users and groups: %w", what, ErrInvalid)
	}
	_, err = s.write(ctx, func(m *model, now time.Time) (*plan, error) {
		if err := s.needAdmin(m, actor, what); err != nil {
			return nil, err
		}
		g := m.groups[group]
		if g == nil {
			return nil, fmt.Errorf("docacl: %s: group %q: %w", what, group, ErrNotFound)
		}
		if err := m.checkPrincipal(pr); err != nil {
			return nil, fmt.Errorf("docacl: %s: %w", what, err)
		}
		if pr.Kind == KindGroup && m.groupContains(pr.ID, group) {
			return nil, fmt.Errorf("docacl: %s: %w", what, ErrCycle)
		}
		if _, ok := g.members[member]; ok {
			return nil, nil
		}
		p := &plan{}
		p.putRaw(memberKey(group, member), empty)
		p.change = Change{Type: GroupMemberAdded, Actor: actor, Principal: member, After: GroupKey(group), Groups: []string{group}}
		s.audit(p, AuditEntry{At: now, Actor: actor, Type: GroupMemberAdded, Principal: member, After: GroupKey(group)}, userOf(pr))
		return p, nil
	})
	return err
}

// groupContains reports whether group outer is, or contains at any depth,
// group inner. It searches iteratively with a visited set.
func (m *model) groupContains(outer, inner string) bool {
	seen := set{outer: {}}
	queue := []string{outer}
	for len(queue) > 0 {
		g := queue[0]
		queue = queue[1:]
		if g == inner {
			return true
		}
		gn := m.groups[g]
		if gn == nil {
			continue
		}
		for mem := range gn.members {
			if pr, err := ParseKey(mem); err == nil && pr.Kind == KindGroup {
				if _, ok := seen[pr.ID]; !ok {
					seen[pr.ID] = struct{}{}
					queue = append(queue, pr.ID)
				}
			}
		}
	}
	return false
}

// RemoveMember removes member from group. Only admins may call it.
func (s *Service) RemoveMember(ctx context.Context, actor, group, member string) error {
	if err := s.external("remove member"); err != nil {
		return err
	}
	what := fmt.Sprintf("remove %q from group %q", member, group)
	_, err := s.write(ctx, func(m *model, now time.Time) (*plan, error) {
		if err := s.needAdmin(m, actor, what); err != nil {
			return nil, err
		}
		g := m.groups[group]
		if g == nil {
			return nil, fmt.Errorf("docacl: %s: group %q: %w", what, group, ErrNotFound)
		}
		if _, ok := g.members[member]; !ok {
			return nil, fmt.Errorf("docacl: %s: not a member: %w", what, ErrNotFound)
		}
		pr, _ := ParseKey(member)
		p := &plan{}
		p.del(memberKey(group, member))
		p.change = Change{Type: GroupMemberRemoved, Actor: actor, Principal: member, Before: GroupKey(group), Groups: []string{group}}
		s.audit(p, AuditEntry{At: now, Actor: actor, Type: GroupMemberRemoved, Principal: member, Before: GroupKey(group)}, userOf(pr))
		return p, nil
	})
	return err
}

// Group returns group id with its direct members, sorted.
func (s *Service) Group(ctx context.Context, actor, id string) (Group, error) {
	if err := s.external("get group"); err != nil {
		return Group{}, err
	}
	var g Group
	err := s.read(ctx, func(m *model) error {
		if m.activeUser(actor) == nil && !s.isAdmin(m, actor) {
			return fmt.Errorf("docacl: group %q read by %q: %w", id, actor, ErrNotFound)
		}
		gn := m.groups[id]
		if gn == nil {
			return fmt.Errorf("docacl: group %q: %w", id, ErrNotFound)
		}
		g = gn.Group
		g.Members = sortedKeys(gn.members)
		return nil
	})
	return g, err
}

// DeleteGroup deletes group id, its memberships (in both directions) and
// the grants made to it. Only admins may call it.
func (s *Service) DeleteGroup(ctx context.Context, actor, id string) error {
	if err := s.external("delete group"); err != nil {
		return err
	}
	what := fmt.Sprintf("delete group %q", id)
	_, err := s.write(ctx, func(m *model, now time.Time) (*plan, error) {
		if err := s.needAdmin(m, actor, what); err != nil {
			return nil, err
		}
		g := m.groups[id]
		if g == nil {
			return nil, fmt.Errorf("docacl: %s: group %q: %w", what, id, ErrNotFound)
		}
		p := &plan{}
		p.del(groupKey(id))
		ch := Change{Type: GroupDeleted, Actor: actor, Principal: GroupKey(id), Groups: []string{id}}
		for mem := range g.members {
			p.del(memberKey(id, mem))
		}
		for _, outer := range m.memberOf[GroupKey(id)] {
			p.del(memberKey(outer, GroupKey(id)))
			ch.Groups = append(ch.Groups, outer)
		}
		for r := range m.byPrincipal[GroupKey(id)] {
			p.delGrant(m.grant(m.res[r], GroupKey(id)))
			ch.Resources = append(ch.Resources, r)
		}
		sort.Strings(ch.Resources)
		p.change = ch
		s.audit(p, AuditEntry{At: now, Actor: actor, Type: GroupDeleted, Principal: GroupKey(id), Before: g.Name})
		return p, nil
	})
	return err
}

// PutDept adds or updates a department. d.Parent and d.Manager, when set,
// must exist; a parent below d itself fails with ErrCycle. Only admins may
// call it.
func (s *Service) PutDept(ctx context.Context, actor string, d Dept) error {
	if err := s.external("put department"); err != nil {
		return err
	}
	what := fmt.Sprintf("put department %q", d.ID)
	if err := checkID(d.ID); err != nil {
		return fmt.Errorf("docacl: %s: %w", what, err)
	}
	_, err := s.write(ctx, func(m *model, now time.Time) (*plan, error) {
		if err := s.needAdmin(m, actor, what); err != nil {
			return nil, err
		}
		if d.Parent != "" {
			if m.depts[d.Parent] == nil {
				return nil, fmt.Errorf("docacl: %s: parent %q: %w", what, d.Parent, ErrNotFound)
			}
			seen := set{}
			for cur := d.Parent; cur != ""; {
				if _, ok := seen[cur]; ok || cur == d.ID {
					return nil, fmt.Errorf("docacl: %s: parent %q: %w", what, d.Parent, ErrCycle)
				}
				seen[cur] = struct{}{}
				c := m.depts[cur]
				if c == nil {
					break
				}
				cur = c.Parent
			}
		}
		if d.Manager != "" && m.activeUser(d.Manager) == nil {
			return nil, fmt.Errorf("docacl: %s: manager %q: %w", what, d.Manager, ErrNotFound)
		}
		if old := m.depts[d.ID]; old != nil && *old == d {
			return nil, nil
		}
		p := &plan{}
		p.put(deptKey(d.ID), d)
		p.change = Change{Type: DeptSet, Actor: actor, Principal: DeptKey(d.ID), Depts: []string{d.ID}}
		s.audit(p, AuditEntry{At: now, Actor: actor, Type: DeptSet, Principal: DeptKey(d.ID), After: d.Parent})
		return p, nil
	})
	return err
}

// DeleteDept deletes department id, which must have no users and no
// departments below it (ErrNotEmpty), and the grants made to it. Only
// admins may call it.
func (s *Service) DeleteDept(ctx context.Context, actor, id string) error {
	if err := s.external("delete department"); err != nil {
		return err
	}
	what := fmt.Sprintf("delete department %q", id)
	_, err := s.write(ctx, func(m *model, now time.Time) (*plan, error) {
		if err := s.needAdmin(m, actor, what); err != nil {
			return nil, err
		}
		d := m.depts[id]
		if d == nil {
			return nil, fmt.Errorf("docacl: %s: department %q: %w", what, id, ErrNotFound)
		}
		if len(m.deptMembers[id]) > 0 || len(m.deptKids[id]) > 0 {
			return nil, fmt.Errorf("docacl: %s: it still has users or departments: %w", what, ErrNotEmpty)
		}
		p := &plan{}
		p.del(deptKey(id))
		ch := Change{Type: DeptDeleted, Actor: actor, Principal: DeptKey(id), Depts: []string{id}}
		for r := range m.byPrincipal[DeptKey(id)] {
			p.delGrant(m.grant(m.res[r], DeptKey(id)))
			ch.Resources = append(ch.Resources, r)
		}
		sort.Strings(ch.Resources)
		p.change = ch
		s.audit(p, AuditEntry{At: now, Actor: actor, Type: DeptDeleted, Principal: DeptKey(id), Before: d.Parent})
		return p, nil
	})
	return err
}

// Dept returns department id.
func (s *Service) Dept(ctx context.Context, actor, id string) (Dept, error) {
	if err := s.external("get department"); err != nil {
		return Dept{}, err
	}
	var d Dept
	err := s.read(ctx, func(m *model) error {
		if m.activeUser(actor) == nil && !s.isAdmin(m, actor) {
			return fmt.Errorf("docacl: department %q read by %q: %w", id, actor, ErrNotFound)
		}
		p := m.depts[id]
		if p == nil {
			return fmt.Errorf("docacl: department %q: %w", id, ErrNotFound)
		}
		d = *p
		return nil
	})
	return d, err
}

// SetSettings changes the tenant settings. Only admins may call it.
// Turning external access off stops every "anyone" link at once.
func (s *Service) SetSettings(ctx context.Context, actor string, st Settings) error {
	_, err := s.write(ctx, func(m *model, now time.Time) (*plan, error) {
		if err := s.needAdmin(m, actor, "set settings"); err != nil {
			return nil, err
		}
		if m.settings == st {
			return nil, nil
		}
		p := &plan{}
		p.put(settingsKey, st)
		p.change = Change{Type: SettingsSet, Actor: actor, Before: fmt.Sprint(m.settings.ExternalAccess), After: fmt.Sprint(st.ExternalAccess), Settings: true}
		s.audit(p, AuditEntry{At: now, Actor: actor, Type: SettingsSet, Note: fmt.Sprintf("external access %v", st.ExternalAccess)})
		return p, nil
	})
	return err
}

// managerOf returns user's direct manager from the directory: the user's
// own Manager, else the manager of their department, else of the nearest
// department above with a manager other than the user. Managers who left
// are skipped.
func (m *model) managerOf(user string) string {
	u := m.users[user]
	if u == nil {
		return ""
	}
	if u.Manager != "" && u.Manager != user && m.activeUser(u.Manager) != nil {
		return u.Manager
	}
	seen := set{}
	for d := u.Dept; d != ""; {
		if _, ok := seen[d]; ok {
			break
		}
		seen[d] = struct{}{}
		dep := m.depts[d]
		if dep == nil {
			break
		}
		if dep.Manager != "" && dep.Manager != user && m.activeUser(dep.Manager) != nil {
			return dep.Manager
		}
		d = dep.Parent
	}
	return ""
}

func sortedKeys(s set) []string {
	out := make([]string, 0, len(s))
	for k := range s {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// Settings returns the tenant settings. Any active user or admin may read
// them.
func (s *Service) Settings(ctx context.Context, actor string) (Settings, error) {
	var st Settings
	err := s.read(ctx, func(m *model) error {
		ok, err := s.active(ctx, m, actor)
		if err != nil {
			return err
		}
		if !ok && !s.isAdmin(m, actor) {
			return fmt.Errorf("docacl: settings read by %q: %w", actor, ErrNotFound)
		}
		st = m.settings
		return nil
	})
	return st, err
}
