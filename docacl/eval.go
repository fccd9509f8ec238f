package docacl

import (
	"context"
	"fmt"
	"slices"
	"time"
)

// fastError is an error formatted only when read: Check's denials happen
// far more often than anyone reads their message, and fmt.Errorf would
// cost more than the check itself.
type fastError struct {
	kind           uint8
	user, resource string
	action         Action
	have, need     Role
}

const (
	errNoUser uint8 = iota
	errNoResource
	errNoAccess
)

func (e *fastError) Error() string {
	switch e.kind {
	case errNoUser:
		return fmt.Sprintf("docacl: user %q: %v", e.user, ErrNotFound)
	case errNoResource:
		return fmt.Sprintf("docacl: resource %q: %v", e.resource, ErrNotFound)
	}
	return fmt.Sprintf("docacl: %s %q: user %q is %s, needs %s: %v", e.action, e.resource, e.user, e.have, e.need, ErrPermission)
}

func (e *fastError) Unwrap() error {
	switch e.kind {
	case errNoUser:
		return ErrNotFound
	case errNoResource:
		return ErrNotFound
	}
	return ErrPermission
}

// Access is a user's effective role on a resource and why they have it.
type Access struct {
	Resource string `json:"resource"`
	Role     Role   `json:"role"` // None: no access

	// Owner is true when the role comes from owning the resource.
	Owner bool `json:"owner,omitempty"`
	// FolderOwner is true when the role (Manager) comes from owning the
	// folder From.
	FolderOwner bool `json:"folder_owner,omitempty"`
	// Principal is the key of the grant that gives the role: the user,
	// one of their groups or departments, the tenant or a link.
	Principal string `json:"principal,omitempty"`
	// From is the resource the grant (or owned folder) is on: Resource
	// itself, or the folder it is inherited from.
	From string `json:"from,omitempty"`
	// Inherited is true when From is an ancestor folder.
	Inherited bool `json:"inherited,omitempty"`
	// Expires is when the grant stops applying; zero for never.
	Expires time.Time `json:"expires,omitzero"`
}

// keySet is the set of principal keys a user holds.
type keySet struct {
	list   []string
	has    set
	pids   []int32 // the keys that appear in some grant, interned, ascending
	member bool    // an active user of the tenant
	dirVer uint64  // the Directory version it was read at (WithDirectory)
}

var noKeys = &keySet{has: set{}}

// keysFor returns the principal keys of user. Call with the read lock
// held; the result is cached until the directory changes. With a
// Directory, a cached set is used only if it was read at the directory
// version last seen (see checkDirectory) or later; an error is the
// Directory's.
func (s *Service) keysFor(ctx context.Context, m *model, user string) (*keySet, error) {
	c := s.keyCache.Load()
	if v, ok := c.Load(user); ok {
		if ks := v.(*keySet); s.cfg.dir == nil || ks.dirVer >= s.dirVer.Load() {
			return ks, nil
		}
	}
	var ks *keySet
	if s.cfg.dir == nil {
		ks = m.computeKeys(user)
	} else {
		var err error
		if ks, err = s.keysFromDirectory(ctx, m, user); err != nil {
			return nil, err
		}
	}
	if ks.member { // never cache strangers: any string may be passed as a user
		c.Store(user, ks)
	}
	return ks, nil
}

// computeKeys walks the user's department chain and group memberships
// iteratively, with visited sets, so that no data can make it loop.
func (m *model) computeKeys(user string) *keySet {
	u := m.activeUser(user)
	if u == nil {
		return noKeys
	}
	ks := &keySet{has: set{}, member: true}
	addKey := func(k string) bool {
		if _, ok := ks.has[k]; ok {
			return false
		}
		ks.has[k] = struct{}{}
		ks.list = append(ks.list, k)
		return true
	}
	addKey(UserKey(user))
	for d := u.Dept; d != ""; {
		dep := m.depts[d]
		if dep == nil || !addKey(DeptKey(d)) {
			break
		}
		d = dep.Parent
	}
	queue := []string{UserKey(user)}
	for len(queue) > 0 {
		k := queue[0]
		queue = queue[1:]
		for _, g := range m.memberOf[k] {
			if m.groups[g] == nil {
				continue
			}
			gk := GroupKey(g)
			if addKey(gk) {
				queue = append(queue, gk)
			}
		}
	}
	addKey(TenantKey)
	for _, k := range ks.list {
		if id, ok := m.pids[k]; ok {
			ks.pids = append(ks.pids, id)
		}
	}
	slices.Sort(ks.pids)
	return ks
}

// openLink is a share link presented (and already verified) by the user.
type openLink struct {
	rec  *linkRecord
	role Role
}

// role evaluates user's effective role on resource id. It walks from the
// resource up to the top (or to the first folder that stops inheriting),
// taking the highest applicable role. The walk is bounded by the number
// of resources, so even corrupt data cannot make it loop.
func (m *model) role(ks *keySet, user, id string, now time.Time, link *openLink) (Access, error) {
	n := m.res[id]
	if n == nil {
		return Access{}, &fastError{kind: errNoResource, resource: id}
	}
	nowN := now.UnixNano()
	best := Access{Resource: id}
	if ks.member && n.Owner == user {
		best.Role, best.Owner, best.Principal, best.From = Owner, true, UserKey(user), id
		return best, nil
	}
	consider := func(r Role, cur *node, principal string, exp time.Time) {
		if r > best.Role {
			best.Role, best.Principal, best.From, best.Inherited, best.Expires = r, principal, cur.ID, cur.ID != id, exp
			best.Owner, best.FolderOwner = false, false
		}
	}
	for cur, steps := n, 0; cur != nil; steps++ {
		if steps > len(m.res) {
			return Access{}, fmt.Errorf("docacl: resource %q: parent chain loops", id)
		}
		if cur != n && ks.member && cur.Owner == user && best.Role < Manager {
			consider(Manager, cur, UserKey(user), time.Time{})
			best.FolderOwner = true
		}
		switch {
		case len(ks.pids) == 0 || len(cur.gl) == 0:
		case len(cur.gl) <= 4*len(ks.pids):
			// Both lists are sorted by pid: walk them together.
			for i, j := 0, 0; i < len(cur.gl) && j < len(ks.pids); {
				switch ge, p := &cur.gl[i], ks.pids[j]; {
				case ge.pid < p:
					i++
				case ge.pid > p:
					j++
				default:
					if ge.role > best.Role && (ge.exp == 0 || nowN < ge.exp) {
						consider(ge.role, cur, ge.g.Principal, ge.g.Expires)
					}
					i, j = i+1, j+1
				}
			}
		default:
			for _, pid := range ks.pids {
				if i, ok := cur.find(pid); ok {
					if ge := &cur.gl[i]; ge.role > best.Role && (ge.exp == 0 || nowN < ge.exp) {
						consider(ge.role, cur, ge.g.Principal, ge.g.Expires)
					}
				}
			}
		}
		if link != nil && link.rec.Resource == cur.ID && link.role > best.Role {
			consider(link.role, cur, LinkKey(link.rec.ID), link.rec.Expires)
		}
		if cur.Limited || cur.Parent == "" {
			break
		}
		if cur.parent != nil {
			cur = cur.parent
		} else {
			cur = m.res[cur.Parent]
		}
	}
	return best, nil
}
