package docacl

import (
	"context"
	"fmt"
	"sort"
	"time"
)

// TransferOptions refine Transfer.
type TransferOptions struct {
	// RemoveOldOwner leaves the old owner with no grant on the resource
	// (Feishu's remove_old_owner).
	RemoveOldOwner bool `json:"remove_old_owner,omitempty"`
	// OldOwnerRole is the role the old owner keeps (Feishu's
	// old_owner_perm); None means Editor, Google Drive's rule. Ignored
	// with RemoveOldOwner; Owner is invalid.
	OldOwnerRole Role `json:"old_owner_role,omitempty"`
	// Recursive also transfers everything below a folder that the old
	// owner owns, in the same step.
	Recursive bool `json:"recursive,omitempty"`
}

// Transfer makes newOwner the owner of resource. Only the owner or a
// tenant admin may; newOwner must be an active user of the tenant's
// directory (ErrNotFound otherwise). By default the old owner keeps Editor;
// the new owner's own grant on the resource, now redundant, is removed.
// Transferring to the current owner changes nothing.
func (s *Service) Transfer(ctx context.Context, actor, resource, newOwner string, opts TransferOptions) error {
	what := fmt.Sprintf("transfer %q to %q", resource, newOwner)
	keep := opts.OldOwnerRole
	if keep == None {
		keep = Editor
	}
	if !keep.Valid() || keep == Owner {
		return fmt.Errorf("docacl: %s: old owner role %s: %w", what, keep, ErrInvalidRole)
	}
	if opts.RemoveOldOwner {
		keep = None
	}
	_, err := s.write(ctx, func(m *model, now time.Time) (*plan, error) {
		if !s.isAdmin(m, actor) {
			if _, err := s.need(ctx, m, actor, resource, Owner, what); err != nil {
				return nil, err
			}
		} else if m.res[resource] == nil {
			return nil, fmt.Errorf("docacl: %s: resource %q: %w", what, resource, ErrNotFound)
		}
		if ok, err := s.active(ctx, m, newOwner); err != nil || !ok {
			return nil, fmt.Errorf("docacl: %s: new owner %q: %w", what, newOwner, cmpErr(err, ErrNotFound))
		}
		n := m.res[resource]
		old := n.Owner
		if old == newOwner {
			return nil, nil
		}
		oldActive, err := s.active(ctx, m, old)
		if err != nil {
			return nil, fmt.Errorf("docacl: %s: %w", what, err)
		}
		if !oldActive {
			keep = None // an owner who left keeps nothing
		}
		ids := []string{resource}
		if opts.Recursive {
			ids = append(ids, m.ownedBelow(resource, old)...)
		}
		p := &plan{}
		ch := Change{Type: OwnerTransferred, Actor: actor, Resource: resource, Before: old, After: newOwner, Users: nil}
		for _, id := range ids {
			s.planTransfer(p, m, id, newOwner, keep, actor, now, "")
			ch.Resources = append(ch.Resources, id)
		}
		ch.Count = len(ids)
		p.change = ch
		return p, nil
	})
	return err
}

// planTransfer adds the writes that give resource id to newOwner, leaving
// the old owner with keep (None: nothing; callers pass None for an owner
// who left).
func (s *Service) planTransfer(p *plan, m *model, id, newOwner string, keep Role, actor string, now time.Time, note string) {
	n := m.res[id]
	old := n.Owner
	nr := n.Resource
	nr.Owner = newOwner
	p.put(resKey(id), nr)
	if g := m.grant(n, UserKey(newOwner)); g != nil {
		p.delGrant(g)
	}
	if keep != None {
		p.putGrant(m.grant(n, UserKey(old)), Grant{Resource: id, Principal: UserKey(old), Role: keep, By: actor, At: now})
	} else if g := m.grant(n, UserKey(old)); g != nil {
		p.delGrant(g)
	}
	e := AuditEntry{At: now, Actor: actor, Type: OwnerTransferred, Resource: id, Before: old, After: newOwner, Note: note}
	if note == "" {
		s.audit(p, e, old, newOwner)
	} else {
		s.audit(p, e) // offboarding: the users are indexed on its summary entry
	}
}

// ownedBelow lists the resources below folder root owned by user, walking
// iteratively.
func (m *model) ownedBelow(root, user string) []string {
	var out []string
	stack := []string{root}
	seen := set{root: {}}
	for len(stack) > 0 {
		id := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		n := m.res[id]
		if n == nil {
			continue
		}
		for _, k := range n.kids {
			c := k.ID
			if _, ok := seen[c]; ok {
				continue
			}
			seen[c] = struct{}{}
			if k.Owner == user {
				out = append(out, c)
			}
			stack = append(stack, c)
		}
	}
	sort.Strings(out)
	return out
}

// OffboardOptions refine Offboard.
type OffboardOptions struct {
	// Recipient receives everything the user owns; "" means their direct
	// manager from the directory (their own Manager, else their
	// department's, else the nearest department above with one; managers
	// who left are skipped).
	Recipient string `json:"recipient,omitempty"`
	// KeepLinks keeps the share links the user created; by default they
	// are revoked.
	KeepLinks bool `json:"keep_links,omitempty"`
	// Progress, when set, is called as resources are written, with the
	// number done and the total, and once more with done == total after
	// the commit. It runs on whatever goroutine the store commits on, and
	// starts again from zero if the store re-runs the transaction. It must
	// be quick and must not call the Service.
	Progress func(done, total int) `json:"-"`
}

// OffboardReport says what an offboarding did.
type OffboardReport struct {
	Recipient string `json:"recipient,omitempty"`
	Resources int    `json:"resources"` // resources whose ownership moved
	Grants    int    `json:"grants"`    // grants to the user removed
	Links     int    `json:"links"`     // links by the user revoked
	Groups    int    `json:"groups"`    // group memberships removed
}

// Offboard handles an employee who leaves: in ONE atomic step, everything
// leavingUser owns moves to the recipient (their direct manager, or
// opts.Recipient), the grants made to them, their group memberships and
// the share links they created are removed, and they are marked as left,
// so they no longer have any access. Either all of it happens or none.
// With no recipient (no manager in the directory, none given) it refuses
// with ErrNoRecipient rather than lose anything. Only tenant admins may
// offboard. Running it again changes nothing and reports zeros.
func (s *Service) Offboard(ctx context.Context, actor, leavingUser string, opts OffboardOptions) (OffboardReport, error) {
	what := fmt.Sprintf("offboard %q", leavingUser)
	p, err := s.write(ctx, func(m *model, now time.Time) (*plan, error) {
		if err := s.needAdmin(m, actor, what); err != nil {
			return nil, err
		}
		u := m.users[leavingUser]
		if s.cfg.dir != nil {
			u = &User{ID: leavingUser} // the Directory marks them left
			if _, err := s.cfg.dir.Memberships(ctx, leavingUser); err != nil {
				return nil, fmt.Errorf("docacl: %s: user %q: %w", what, leavingUser, err)
			}
		}
		if u == nil {
			return nil, fmt.Errorf("docacl: %s: user %q: %w", what, leavingUser, ErrNotFound)
		}
		owned := sortedKeys(m.owned[leavingUser])
		rep := OffboardReport{Resources: len(owned)}
		if len(owned) > 0 {
			rep.Recipient = opts.Recipient
			if rep.Recipient == "" {
				mgr, err := s.managerFor(ctx, m, leavingUser)
				if err != nil {
					return nil, err
				}
				rep.Recipient = mgr
			}
			if rep.Recipient == "" {
				return nil, fmt.Errorf("docacl: %s: %w", what, ErrNoRecipient)
			}
			ok, err := s.active(ctx, m, rep.Recipient)
			if err != nil {
				return nil, fmt.Errorf("docacl: %s: %w", what, err)
			}
			if rep.Recipient == leavingUser || !ok {
				return nil, fmt.Errorf("docacl: %s: recipient %q: %w", what, rep.Recipient, ErrNotFound)
			}
		}
		p := &plan{}
		ch := Change{Type: UserOffboarded, Actor: actor, Principal: UserKey(leavingUser), After: rep.Recipient, Users: []string{leavingUser}}
		touched := set{}
		for _, id := range owned {
			s.planTransfer(p, m, id, rep.Recipient, None, actor, now, "offboarding of "+leavingUser)
			touched[id] = struct{}{}
		}
		uk := UserKey(leavingUser)
		for r := range m.byPrincipal[uk] {
			p.delGrant(m.grant(m.res[r], uk))
			touched[r] = struct{}{}
			rep.Grants++
		}
		for _, g := range m.memberOf[uk] {
			p.del(memberKey(g, uk))
			ch.Groups = append(ch.Groups, g)
			rep.Groups++
		}
		if !opts.KeepLinks {
			for _, l := range m.links {
				if l.By == leavingUser {
					p.delLink(l)
					touched[l.Resource] = struct{}{}
					rep.Links++
				}
			}
		}
		if s.cfg.dir != nil {
			if len(touched) == 0 && rep.Groups == 0 {
				return nil, nil // nothing (left) to hand over
			}
		} else {
			if u.Left && len(touched) == 0 && rep.Groups == 0 {
				return nil, nil // already done
			}
			left := *u
			left.Left = true
			p.put(userKey(leavingUser), left)
		}
		ch.Resources = sortedKeys(touched)
		sort.Strings(ch.Groups)
		ch.Count = rep.Resources
		p.change = ch
		s.audit(p, AuditEntry{At: now, Actor: actor, Type: UserOffboarded, Principal: uk, After: rep.Recipient,
			Note: fmt.Sprintf("%d resources, %d grants, %d links, %d groups", rep.Resources, rep.Grants, rep.Links, rep.Groups)},
			leavingUser, rep.Recipient)
		p.result = rep
		if opts.Progress != nil {
			p.progress, p.units = opts.Progress, rep.Resources
		}
		return p, nil
	})
	if err != nil || p == nil {
		return OffboardReport{}, err
	}
	if opts.Progress != nil {
		opts.Progress(p.units, p.units)
	}
	return p.result.(OffboardReport), nil
}
