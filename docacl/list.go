package docacl

import (
	"context"
	"fmt"
	"sort"
	"sync"
	"time"

	"github.com/workspace-go/workspace/store"
)

// ListOptions narrow Accessible and select a page of it.
type ListOptions struct {
	Under   string `json:"under,omitempty"`    // only this folder and what is below it; "" for everything
	MinRole Role   `json:"min_role,omitempty"` // only resources where the user has at least this; None means Viewer
	Limit   int    `json:"limit,omitempty"`    // the most entries on the page: 0 means DefaultPageSize; at most MaxPageSize
	Cursor  string `json:"cursor,omitempty"`   // the Next of the previous page; "" for the first
}

// Entry is one resource in a listing with the user's role on it.
type Entry struct {
	Resource string `json:"resource"`
	Role     Role   `json:"role"`
}

// Accessible returns a page of the resources user can access, ordered by
// resource id, with their effective roles. It starts from the user's own
// grants and owned resources and walks down the tree, so its cost follows
// what the user can see, not the size of the tenant.
func (s *Service) Accessible(ctx context.Context, user string, opts ListOptions) (store.Page[Entry], error) {
	if opts.MinRole > Owner {
		return store.Page[Entry]{}, fmt.Errorf("docacl: list for %q: minimum role %s: %w", user, opts.MinRole, ErrInvalidRole)
	}
	c, err := parsePage("accessible", PageOptions{Limit: opts.Limit, Cursor: opts.Cursor})
	if err != nil {
		return store.Page[Entry]{}, err
	}
	min := max(opts.MinRole, Viewer)
	var out []Entry
	err = s.read(ctx, func(m *model) error {
		ks, err := s.keysFor(ctx, m, user)
		if err != nil {
			return err
		}
		if !ks.member {
			return fmt.Errorf("docacl: list for %q: %w", user, ErrNotFound)
		}
		now := s.cfg.now()
		if opts.Under != "" {
			a, err := m.role(ks, user, opts.Under, now, nil)
			if err != nil {
				return err
			}
			if a.Role == None && !m.hasSeedBelow(ks, user, opts.Under, now) {
				return fmt.Errorf("docacl: list under %q: %w", opts.Under, ErrNotFound)
			}
		}
		out = m.accessible(ks, user, opts.Under, min, now)
		return nil
	})
	if err != nil {
		return store.Page[Entry]{}, err
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Resource < out[j].Resource })
	return pageOf("accessible", out, func(e *Entry) string { return e.Resource }, c), nil
}

// seed is what a user holds directly on one resource.
type seed struct {
	self Role // on the resource
	down Role // passed to what inherits from it
}

func (m *model) seeds(ks *keySet, user string, now time.Time) map[*node]seed {
	seeds := map[*node]seed{}
	for id := range m.owned[user] {
		if n := m.res[id]; n != nil {
			seeds[n] = seed{self: Owner, down: Manager}
		}
	}
	for _, k := range ks.list {
		for id := range m.byPrincipal[k] {
			n := m.res[id]
			g := m.grant(n, k)
			if !g.active(now) {
				continue
			}
			sd := seeds[n]
			sd.self, sd.down = max(sd.self, g.Role), max(sd.down, g.Role)
			seeds[n] = sd
		}
	}
	return seeds
}

// hasSeedBelow reports whether the user holds anything at or below root,
// so that listing a folder the user can only reach through its contents
// is not reported as not found.
func (m *model) hasSeedBelow(ks *keySet, user, root string, now time.Time) bool {
	r := m.res[root]
	if r == nil {
		return false
	}
	for n := range m.seeds(ks, user, now) {
		if m.isUnder(n, r) {
			return true
		}
	}
	return false
}

// isUnder reports whether n is root or below it.
func (m *model) isUnder(n, root *node) bool {
	for steps := 0; n != nil && steps <= len(m.res); steps++ {
		if n == root {
			return true
		}
		n = n.parent
	}
	return false
}

// accessible finds the topmost resources where the user holds something
// (those whose inheritance chain has no other such resource), then walks
// down from each, passing the inherited role along and stopping at
// resources that limit access (those start walks of their own).
func (m *model) accessible(ks *keySet, user, under string, min Role, now time.Time) []Entry {
	seeds := m.seeds(ks, user, now)
	var root *node
	if under != "" {
		root = m.res[under]
		for n := range seeds {
			if !m.isUnder(n, root) {
				delete(seeds, n)
			}
		}
		if a, _ := m.role(ks, user, under, now, nil); a.Role != None {
			sd := seeds[root]
			down := a.Role
			if a.Owner {
				down = Manager // every other source is at most Manager
			}
			sd.self, sd.down = max(sd.self, a.Role), max(sd.down, down)
			seeds[root] = sd
		}
	}
	buf := entryPool.Get().(*[]Entry)
	out := (*buf)[:0]
	defer func() {
		if cap(out) <= 1<<20 {
			*buf = out[:0]
			entryPool.Put(buf)
		}
	}()
	type item struct {
		n       *node
		inherit Role
	}
	var stack []item
	for top := range seeds {
		isTop := true
		for cur, steps := top, 0; cur != root && !cur.Limited && cur.parent != nil && steps <= len(m.res); steps++ {
			if _, ok := seeds[cur.parent]; ok {
				isTop = false
				break
			}
			cur = cur.parent
		}
		if !isTop {
			continue
		}
		stack = append(stack[:0], item{n: top})
		for len(stack) > 0 {
			it := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			role, down := it.inherit, it.inherit
			if sd, ok := seeds[it.n]; ok {
				role, down = max(role, sd.self), max(down, sd.down)
			}
			if role >= min {
				out = append(out, Entry{Resource: it.n.ID, Role: role})
			}
			if down == None {
				continue
			}
			for _, c := range it.n.kids {
				if !c.Limited {
					stack = append(stack, item{n: c, inherit: down})
				}
			}
		}
	}
	return append([]Entry(nil), out...)
}

// entryPool keeps listing buffers, so that a large listing grows its
// result once rather than on every call.
var entryPool = sync.Pool{New: func() any { return new([]Entry) }}

// Who returns a page of the users who can access resource, expanded
// through groups, departments and the tenant, each with their effective
// role and why, ordered by user id. Users who left are not listed; share
// links are not users (see Links). actor needs Viewer.
func (s *Service) Who(ctx context.Context, actor, resource string, po PageOptions) (store.Page[UserAccess], error) {
	c, err := parsePage("who", po)
	if err != nil {
		return store.Page[UserAccess]{}, err
	}
	var out []UserAccess
	err = s.read(ctx, func(m *model) error {
		if _, err := s.need(ctx, m, actor, resource, Viewer, "list who has access"); err != nil {
			return err
		}
		var derr error
		expand, active := s.expander(ctx, m, &derr)
		out = m.who(resource, s.cfg.now(), expand, active)
		return derr
	})
	if err != nil {
		return store.Page[UserAccess]{}, err
	}
	return pageOf("who", out, func(u *UserAccess) string { return u.User }, c), nil
}

// UserAccess is one user's access in Who.
type UserAccess struct {
	User string `json:"user"`
	Access
}

func (m *model) who(resource string, now time.Time, expand func(string) []string, active func(string) bool) []UserAccess {
	best := map[string]Access{}
	consider := func(user string, a Access) {
		if !active(user) {
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
		for _, ge := range cur.gl {
			g, p := ge.g, ge.g.Principal
			if !g.active(now) {
				continue
			}
			a := Access{Resource: resource, Role: g.Role, Principal: p, From: cur.ID, Inherited: inh, Expires: g.Expires}
			for _, u := range expand(p) {
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
