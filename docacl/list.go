package docacl

import (
	"context"
	"fmt"
	"sort"
	"time"
)

// AccessKeys returns the principal keys user holds, sorted: their
// UserKey, a GroupKey for every group they belong to at any depth, a
// DeptKey for their department and each department above it, and
// TenantKey. A search index that stores, for each document, the keys
// granted at least Viewer filters results to those sharing a key with
// this set. A user not in the directory (or who left) fails with
// ErrNoUser.
func (s *Service) AccessKeys(ctx context.Context, user string) ([]string, error) {
	var out []string
	err := s.read(ctx, func(m *model) error {
		ks := s.keysFor(m, user)
		if !ks.member {
			return fmt.Errorf("docacl: access keys of %q: %w", user, ErrNoUser)
		}
		out = append([]string(nil), ks.list...)
		return nil
	})
	sort.Strings(out)
	return out, err
}

// ListOptions narrow Accessible.
type ListOptions struct {
	Under   string // only this folder and what is below it; "" for everything
	MinRole Role   // only resources where the user has at least this; None means Viewer
}

// Entry is one resource in a listing with the user's role on it.
type Entry struct {
	Resource string `json:"resource"`
	Role     Role   `json:"role"`
}

// Accessible lists the resources user can access, sorted by id, with their
// effective roles. It starts from the user's own grants and owned
// resources and walks down the tree, so its cost follows what the user can
// see, not the size of the tenant.
func (s *Service) Accessible(ctx context.Context, user string, opts ListOptions) ([]Entry, error) {
	min := max(opts.MinRole, Viewer)
	var out []Entry
	err := s.read(ctx, func(m *model) error {
		ks := s.keysFor(m, user)
		if !ks.member {
			return fmt.Errorf("docacl: list for %q: %w", user, ErrNoUser)
		}
		now := s.cfg.now()
		if opts.Under != "" {
			a, err := m.role(ks, user, opts.Under, now, nil)
			if err != nil {
				return err
			}
			if a.Role == None && !m.hasSeedBelow(ks, user, opts.Under, now) {
				return fmt.Errorf("docacl: list under %q: %w", opts.Under, ErrNoResource)
			}
		}
		out = m.accessible(ks, user, opts.Under, min, now)
		return nil
	})
	sort.Slice(out, func(i, j int) bool { return out[i].Resource < out[j].Resource })
	return out, err
}

// seed is what a user holds directly on one resource.
type seed struct {
	self Role // on the resource
	down Role // passed to what inherits from it
}

func (m *model) seeds(ks *keySet, user string, now time.Time) map[string]seed {
	seeds := map[string]seed{}
	for id := range m.owned[user] {
		seeds[id] = seed{self: Owner, down: Manager}
	}
	for _, k := range ks.list {
		for id := range m.byPrincipal[k] {
			g := m.res[id].grants[k]
			if !g.active(now) {
				continue
			}
			sd := seeds[id]
			sd.self, sd.down = max(sd.self, g.Role), max(sd.down, g.Role)
			seeds[id] = sd
		}
	}
	return seeds
}

// hasSeedBelow reports whether the user holds anything at or below root,
// so that listing a folder the user can only reach through its contents
// is not reported as not found.
func (m *model) hasSeedBelow(ks *keySet, user, root string, now time.Time) bool {
	if m.res[root] == nil {
		return false
	}
	for id := range m.seeds(ks, user, now) {
		if m.isUnder(id, root) {
			return true
		}
	}
	return false
}

// isUnder reports whether id is root or below it.
func (m *model) isUnder(id, root string) bool {
	for cur, steps := id, 0; cur != "" && steps <= len(m.res); steps++ {
		if cur == root {
			return true
		}
		n := m.res[cur]
		if n == nil {
			return false
		}
		cur = n.Parent
	}
	return false
}

// accessible finds the topmost resources where the user holds something
// (those whose inheritance chain has no other such resource), then walks
// down from each, passing the inherited role along and stopping at
// resources that limit access (those start walks of their own).
func (m *model) accessible(ks *keySet, user, under string, min Role, now time.Time) []Entry {
	seeds := m.seeds(ks, user, now)
	if under != "" {
		for id := range seeds {
			if !m.isUnder(id, under) {
				delete(seeds, id)
			}
		}
		if a, _ := m.role(ks, user, under, now, nil); a.Role != None {
			sd := seeds[under]
			down := a.Role
			if a.Owner {
				down = Manager // every other source is at most Manager
			}
			sd.self, sd.down = max(sd.self, a.Role), max(sd.down, down)
			seeds[under] = sd
		}
	}
	var out []Entry
	type item struct {
		id      string
		inherit Role
	}
	var stack []item
	for id := range seeds {
		top := true
		for cur := m.res[id]; cur != nil && !cur.Limited && cur.Parent != "" && cur.ID != under; {
			if _, ok := seeds[cur.Parent]; ok {
				top = false
				break
			}
			cur = m.res[cur.Parent]
		}
		if !top {
			continue
		}
		stack = append(stack[:0], item{id: id})
		for len(stack) > 0 {
			it := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			sd := seeds[it.id]
			role := max(it.inherit, sd.self)
			down := max(it.inherit, sd.down)
			if role >= min {
				out = append(out, Entry{Resource: it.id, Role: role})
			}
			if down == None {
				continue
			}
			for c := range m.children[it.id] {
				if cn := m.res[c]; cn != nil && !cn.Limited {
					stack = append(stack, item{id: c, inherit: down})
				}
			}
		}
	}
	return out
}

// Who lists the users who can access resource, expanded through groups,
// departments and the tenant, each with their effective role and why,
// sorted by user id. Users who left are not listed; share links are not
// users (see Links). actor needs Viewer.
func (s *Service) Who(ctx context.Context, actor, resource string) ([]UserAccess, error) {
	var out []UserAccess
	err := s.read(ctx, func(m *model) error {
		if _, err := s.need(m, actor, resource, Viewer, "list who has access"); err != nil {
			return err
		}
		out = m.who(resource, s.cfg.now())
		return nil
	})
	return out, err
}

// UserAccess is one user's access in Who.
type UserAccess struct {
	User string `json:"user"`
	Access
}

func (m *model) who(resource string, now time.Time) []UserAccess {
	best := map[string]Access{}
	consider := func(user string, a Access) {
		if m.activeUser(user) == nil {
			return
		}
		if a.Role > best[user].Role {
			best[user] = a
		}
	}
	n := m.res[resource]
	consider(n.Owner, Access{Resource: resource, Role: Owner, Owner: true, Principal: UserKey(n.Owner), From: resource})
	for cur, steps := n, 0; cur != nil && steps <= len(m.res); steps++ {
		inh := cur != n
		if inh {
			consider(cur.Owner, Access{Resource: resource, Role: Manager, FolderOwner: true, Principal: UserKey(cur.Owner), From: cur.ID, Inherited: true})
		}
		for p, g := range cur.grants {
			if !g.active(now) {
				continue
			}
			a := Access{Resource: resource, Role: g.Role, Principal: p, From: cur.ID, Inherited: inh, Expires: g.Expires}
			for _, u := range m.expand(p) {
				consider(u, a)
			}
		}
		if cur.Limited || cur.Parent == "" {
			break
		}
		cur = m.res[cur.Parent]
	}
	out := make([]UserAccess, 0, len(best))
	for u, a := range best {
		out = append(out, UserAccess{User: u, Access: a})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].User < out[j].User })
	return out
}

// expand returns the users a principal key stands for.
func (m *model) expand(key string) []string {
	p, err := ParseKey(key)
	if err != nil {
		return nil
	}
	var out []string
	switch p.Kind {
	case KindUser:
		out = append(out, p.ID)
	case KindTenant:
		for u := range m.users {
			out = append(out, u)
		}
	case KindGroup:
		seen := set{p.ID: {}}
		queue := []string{p.ID}
		for len(queue) > 0 {
			g := m.groups[queue[0]]
			queue = queue[1:]
			if g == nil {
				continue
			}
			for mem := range g.members {
				mp, err := ParseKey(mem)
				switch {
				case err != nil:
				case mp.Kind == KindUser:
					out = append(out, mp.ID)
				case mp.Kind == KindGroup:
					if _, ok := seen[mp.ID]; !ok {
						seen[mp.ID] = struct{}{}
						queue = append(queue, mp.ID)
					}
				}
			}
		}
	case KindDept:
		seen := set{p.ID: {}}
		queue := []string{p.ID}
		for len(queue) > 0 {
			d := queue[0]
			queue = queue[1:]
			for u := range m.deptMembers[d] {
				out = append(out, u)
			}
			for c := range m.deptKids[d] {
				if _, ok := seen[c]; !ok {
					seen[c] = struct{}{}
					queue = append(queue, c)
				}
			}
		}
	}
	return out
}
