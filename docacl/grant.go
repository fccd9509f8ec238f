package docacl

import (
	"context"
	"fmt"
	"sort"
	"time"

	"github.com/workspace-go/workspace/store"
)

// GrantOptions refine Grant.
type GrantOptions struct {
	// Expires is when the grant stops applying; zero for never. It must be
	// in the future, and within years MinYear–MaxYear.
	Expires time.Time `json:"expires,omitzero"`
	// ClientKey, when set, makes the grant idempotent: a second Grant by
	// the same actor with the same key changes nothing and succeeds, even
	// if the grant was changed in between, so a client may retry it.
	ClientKey string `json:"client_key,omitempty"`
}

// Grant gives principal (a key from UserKey, GroupKey, DeptKey or
// TenantKey) role on resource and, through inheritance, on everything
// below it. A second grant to the same principal replaces the first.
//
// actor needs Manager on the resource (or Editor, for new grants of up to
// Editor, under WithEditorsCanShare) and cannot grant more than their own
// role. Owner is not grantable (use Transfer); the owner's own access
// cannot be changed (ErrOwner).
func (s *Service) Grant(ctx context.Context, actor, resource, principal string, role Role, opts GrantOptions) error {
	what := fmt.Sprintf("grant %s on %q to %q", role, resource, principal)
	if err := checkExpiry(opts.Expires); err != nil {
		return fmt.Errorf("docacl: %s: expiry: %w", what, err)
	}
	if role == Owner {
		return fmt.Errorf("docacl: %s: use Transfer to change the owner: %w", what, ErrInvalidRole)
	}
	if !role.Valid() {
		return fmt.Errorf("docacl: %s: %w", what, ErrInvalidRole)
	}
	pr, err := ParseKey(principal)
	if err != nil {
		return fmt.Errorf("docacl: %s: %w", what, err)
	}
	if pr.Kind == KindLink {
		return fmt.Errorf("docacl: %s: links are made with CreateLink: %w", what, ErrInvalid)
	}
	once, err := onceKey(onceGrant, actor, opts.ClientKey)
	if err != nil {
		return fmt.Errorf("docacl: %s: %w", what, err)
	}
	var first Grant
	if ok, err := s.prior(ctx, once, &first); ok || err != nil {
		return err
	}
	_, err = s.write(ctx, func(m *model, now time.Time) (*plan, error) {
		need := Manager
		if s.cfg.editorsCanShare && role <= Editor {
			need = Editor
		}
		a, err := s.need(ctx, m, actor, resource, need, what)
		if err != nil {
			return nil, err
		}
		n := m.res[resource]
		stored := m.grant(n, principal)
		old := stored
		if old != nil && !old.active(now) {
			old = nil // expired, not yet swept: replaced as if absent
		}
		if a.Role < Manager && old != nil {
			return nil, fmt.Errorf("docacl: %s: changing others' access needs manager: %w", what, ErrPermission)
		}
		if role > a.Role {
			return nil, fmt.Errorf("docacl: %s: %q holds only %s: %w", what, actor, a.Role, ErrPermission)
		}
		if err := s.checkPrincipal(ctx, m, pr); err != nil {
			return nil, fmt.Errorf("docacl: %s: %w", what, err)
		}
		if pr.Kind == KindUser && pr.ID == n.Owner {
			return nil, fmt.Errorf("docacl: %s: %w", what, ErrOwner)
		}
		if !opts.Expires.IsZero() && !opts.Expires.After(now) {
			return nil, fmt.Errorf("docacl: %s: expiry %s is not in the future: %w", what, opts.Expires.Format(time.RFC3339), ErrInvalid)
		}
		if old != nil && old.Role == role && old.Expires.Equal(opts.Expires) {
			return nil, nil
		}
		g := Grant{Resource: resource, Principal: principal, Role: role, Expires: opts.Expires, By: actor, At: now}
		p := &plan{}
		p.putGrant(stored, g)
		p.remember(once, g)
		before := ""
		if old != nil {
			before = old.Role.String()
		}
		p.change = Change{Type: GrantSet, Actor: actor, Resource: resource, Principal: principal, Before: before, After: role.String(), Resources: []string{resource}}
		e := AuditEntry{At: now, Actor: actor, Type: GrantSet, Resource: resource, Principal: principal, Before: before, After: role.String()}
		if !opts.Expires.IsZero() {
			e.Note = "expires " + opts.Expires.UTC().Format(time.RFC3339)
		}
		s.audit(p, e, userOf(pr))
		return p, nil
	})
	return err
}

func userOf(p Principal) string {
	if p.Kind == KindUser {
		return p.ID
	}
	return ""
}

// checkPrincipal reports whether p names something that exists.
func (m *model) checkPrincipal(p Principal) error {
	switch p.Kind {
	case KindUser:
		if m.activeUser(p.ID) == nil {
			return fmt.Errorf("user %q: %w", p.ID, ErrNotFound)
		}
	case KindGroup:
		if m.groups[p.ID] == nil {
			return fmt.Errorf("group %q: %w", p.ID, ErrNotFound)
		}
	case KindDept:
		if m.depts[p.ID] == nil {
			return fmt.Errorf("department %q: %w", p.ID, ErrNotFound)
		}
	case KindTenant:
	default:
		return fmt.Errorf("principal %q: %w", p.Key(), ErrInvalid)
	}
	return nil
}

// Revoke removes the grant to principal on resource. actor needs Manager,
// except that anyone may remove their own user grant ("remove me"). The
// owner cannot be removed (ErrOwner); a grant that does not exist fails
// with ErrNotFound. Once Revoke returns, no Check by any Service on the
// store grants the removed access. A grant that has expired but that
// Sweep has not yet recorded may still be revoked; the revoke is then
// recorded instead of the expiry.
func (s *Service) Revoke(ctx context.Context, actor, resource, principal string) error {
	what := fmt.Sprintf("revoke %q on %q", principal, resource)
	pr, err := ParseKey(principal)
	if err != nil {
		return fmt.Errorf("docacl: %s: %w", what, err)
	}
	_, err = s.write(ctx, func(m *model, now time.Time) (*plan, error) {
		need := Manager
		if pr.Kind == KindUser && pr.ID == actor {
			need = Viewer
		}
		if _, err := s.need(ctx, m, actor, resource, need, what); err != nil {
			return nil, err
		}
		n := m.res[resource]
		if pr.Kind == KindUser && pr.ID == n.Owner {
			return nil, fmt.Errorf("docacl: %s: %w", what, ErrOwner)
		}
		old := m.grant(n, principal)
		if old == nil {
			return nil, fmt.Errorf("docacl: %s: no such grant: %w", what, ErrNotFound)
		}
		p := &plan{}
		p.delGrant(old)
		p.change = Change{Type: GrantRevoked, Actor: actor, Resource: resource, Principal: principal, Before: old.Role.String(), Resources: []string{resource}}
		s.audit(p, AuditEntry{At: now, Actor: actor, Type: GrantRevoked, Resource: resource, Principal: principal, Before: old.Role.String()}, userOf(pr))
		return p, nil
	})
	return err
}

// Grants returns a page of the grants on resource itself (not inherited
// ones), ordered by principal key. Expired grants are left out from their
// expiry on, whether or not Sweep has recorded it yet, so the list is what
// applies now, as in Google Drive's sharing list. actor needs Viewer.
func (s *Service) Grants(ctx context.Context, actor, resource string, po PageOptions) (store.Page[Grant], error) {
	c, err := parsePage("grants", po)
	if err != nil {
		return store.Page[Grant]{}, err
	}
	var out []Grant
	err = s.read(ctx, func(m *model) error {
		if _, err := s.need(ctx, m, actor, resource, Viewer, "list grants"); err != nil {
			return err
		}
		now := s.cfg.now()
		for _, ge := range m.res[resource].gl {
			if g := ge.g; g.active(now) {
				out = append(out, *g)
			}
		}
		return nil
	})
	if err != nil {
		return store.Page[Grant]{}, err
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Principal < out[j].Principal })
	return pageOf("grants", out, func(g *Grant) string { return g.Principal }, c), nil
}
