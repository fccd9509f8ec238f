package docacl

import (
	"context"
	"fmt"
	"sort"
	"time"
)

// OwnDirectory is docacl's own directory as stored: the users, groups and
// departments that a store written without a Directory holds (every store
// written before WithDirectory existed). An application that moves to an
// external directory reads it with System.OwnDirectory, imports it there
// (the root package does this when a Workspace opens) and then drops it
// with System.DropOwnDirectory. The ids do not change, so the grants made
// to users, groups and departments keep their meaning.
type OwnDirectory struct {
	Users  []User  `json:"users"`  // by id
	Groups []Group `json:"groups"` // by id, each with its direct members
	Depts  []Dept  `json:"depts"`  // parents before children, then by id
}

// Empty reports whether there is nothing to migrate.
func (d OwnDirectory) Empty() bool {
	return len(d.Users) == 0 && len(d.Groups) == 0 && len(d.Depts) == 0
}

// OwnDirectory returns docacl's own directory as stored, whether or not
// the Service reads another (WithDirectory).
func (sys *System) OwnDirectory(ctx context.Context) (OwnDirectory, error) {
	var d OwnDirectory
	err := sys.s.read(ctx, func(m *model) error {
		for _, u := range m.users {
			d.Users = append(d.Users, *u)
		}
		for _, g := range m.groups {
			gr := g.Group
			gr.Members = sortedKeys(g.members)
			d.Groups = append(d.Groups, gr)
		}
		depth := map[string]int{}
		for id := range m.depts {
			n, seen := 0, set{}
			for cur := m.depts[id]; cur != nil && cur.Parent != ""; cur = m.depts[cur.Parent] {
				if _, ok := seen[cur.Parent]; ok {
					break
				}
				seen[cur.Parent] = struct{}{}
				n++
			}
			depth[id] = n
			d.Depts = append(d.Depts, *m.depts[id])
		}
		sort.Slice(d.Users, func(i, j int) bool { return d.Users[i].ID < d.Users[j].ID })
		sort.Slice(d.Groups, func(i, j int) bool { return d.Groups[i].ID < d.Groups[j].ID })
		sort.Slice(d.Depts, func(i, j int) bool {
			a, b := d.Depts[i], d.Depts[j]
			if depth[a.ID] != depth[b.ID] {
				return depth[a.ID] < depth[b.ID]
			}
			return a.ID < b.ID
		})
		return nil
	})
	return d, err
}

// DropOwnDirectory deletes docacl's own directory (users, groups, group
// memberships, departments) in one transaction, once it has been moved
// to the Directory the Service reads, and appends a DirectoryDropped
// change. Grants, resources, links and the audit trail are kept. It
// returns the number of records deleted; with nothing left to drop it
// writes nothing and returns 0. actor must be an admin named with
// WithAdmins, and the Service must read a Directory (otherwise it would
// lose its only directory): ErrInvalid.
//
// Its transaction deletes one record per user, group, membership and
// department: about 30,000 records for 10,000 users, well within the
// commit budget of a store.
func (sys *System) DropOwnDirectory(ctx context.Context, actor string) (int, error) {
	s := sys.s
	if s.cfg.dir == nil {
		return 0, fmt.Errorf("docacl: drop own directory: no Directory to read instead: %w", ErrInvalid)
	}
	p, err := s.write(ctx, func(m *model, now time.Time) (*plan, error) {
		if err := s.needAdmin(m, actor, "drop own directory"); err != nil {
			return nil, err
		}
		p := &plan{}
		ch := Change{Type: DirectoryDropped, Actor: actor}
		for id := range m.users {
			p.del(userKey(id))
			ch.Users = append(ch.Users, id)
		}
		for id, g := range m.groups {
			p.del(groupKey(id))
			for mem := range g.members {
				p.del(memberKey(id, mem))
			}
			ch.Groups = append(ch.Groups, id)
		}
		for id := range m.depts {
			p.del(deptKey(id))
			ch.Depts = append(ch.Depts, id)
		}
		if len(p.dels) == 0 {
			return nil, nil
		}
		sort.Strings(ch.Users)
		sort.Strings(ch.Groups)
		sort.Strings(ch.Depts)
		ch.Count = len(p.dels)
		p.change = ch
		s.audit(p, AuditEntry{At: now, Actor: actor, Type: DirectoryDropped,
			Note: fmt.Sprintf("%d users, %d groups, %d departments moved to the directory", len(ch.Users), len(ch.Groups), len(ch.Depts))})
		p.result = len(p.dels)
		return p, nil
	})
	if err != nil || p == nil {
		return 0, err
	}
	return p.result.(int), nil
}
