package docacl

import (
	"context"
	"encoding/json"
	"fmt"
	"time"
)

// MaxNameLen is the longest resource name, in bytes.
const MaxNameLen = 1024

// Create adds a folder or document owned by actor, at the top level or
// in folder r.Parent (where actor needs Editor). Only r.Kind, r.Name,
// r.Parent, r.Limited and r.ClientKey are read; the id is generated. It
// returns the stored resource.
//
// With a ClientKey, Create is idempotent: a second Create by the same
// actor with the same key returns the first one's resource, unchanged, and
// writes nothing, so a client may retry it over a network.
func (s *Service) Create(ctx context.Context, actor string, r Resource) (Resource, error) {
	if r.Kind != Folder && r.Kind != Document {
		return Resource{}, fmt.Errorf("docacl: create: kind %q: want folder or document: %w", r.Kind, ErrInvalid)
	}
	if len(r.Name) > MaxNameLen {
		return Resource{}, fmt.Errorf("docacl: create: name of %d bytes exceeds %d: %w", len(r.Name), MaxNameLen, ErrTooLarge)
	}
	once, err := onceKey(onceCreate, actor, r.ClientKey)
	if err != nil {
		return Resource{}, fmt.Errorf("docacl: create: %w", err)
	}
	var first Resource
	if ok, err := s.prior(ctx, once, &first); ok || err != nil {
		return first, err
	}
	p, err := s.write(ctx, func(m *model, now time.Time) (*plan, error) {
		if ok, err := s.active(ctx, m, actor); err != nil || !ok {
			return nil, fmt.Errorf("docacl: create: actor %q: %w", actor, cmpErr(err, s.notActive()))
		}
		if r.Parent != "" {
			if _, err := s.need(ctx, m, actor, r.Parent, Editor, "create"); err != nil {
				return nil, err
			}
			if m.res[r.Parent].Kind != Folder {
				return nil, fmt.Errorf("docacl: create in %q: not a folder: %w", r.Parent, ErrInvalid)
			}
		}
		nr := Resource{ID: s.cfg.ids(), Kind: r.Kind, Name: r.Name, Parent: r.Parent, Owner: actor, Limited: r.Limited, Created: now}
		if m.res[nr.ID] != nil {
			return nil, fmt.Errorf("docacl: create: id %q: %w", nr.ID, ErrExists)
		}
		p := &plan{result: nr}
		p.put(resKey(nr.ID), nr)
		p.remember(once, nr)
		p.change = Change{Type: ResourceCreated, Actor: actor, Resource: nr.ID, After: actor, Resources: []string{nr.ID}}
		s.audit(p, AuditEntry{At: now, Actor: actor, Type: ResourceCreated, Resource: nr.ID, After: nr.Parent})
		return p, nil
	})
	if err != nil {
		return Resource{}, err
	}
	if p.prior != nil {
		if err := json.Unmarshal(p.prior, &first); err != nil {
			return Resource{}, fmt.Errorf("docacl: create: client key result: %w: %w", ErrInvalid, err)
		}
		return first, nil
	}
	return p.result.(Resource), nil
}

// Resource returns resource id as actor may see it: actor needs Viewer.
func (s *Service) Resource(ctx context.Context, actor, id string) (Resource, error) {
	var r Resource
	err := s.read(ctx, func(m *model) error {
		if _, err := s.need(ctx, m, actor, id, Viewer, "get"); err != nil {
			return err
		}
		r = m.res[id].Resource
		return nil
	})
	return r, err
}

// Move re-parents resource id under folder parent ("" for the top level),
// in one step. actor needs Owner on the resource and Editor on the
// destination. What the resource and everything below it inherit is
// re-evaluated from the new place. Moving a folder into itself or below
// itself fails with ErrCycle.
//
// Moving decides who inherits access to the resource (the destination's
// grants, and its owner as a manager), which is the owner's decision, as
// in Google Drive, where only a file's owner moves it: a manager who could
// move a document under a folder of their own would keep Manager there,
// as the folder's owner, after the document's owner revoked them.
func (s *Service) Move(ctx context.Context, actor, id, parent string) error {
	_, err := s.write(ctx, func(m *model, now time.Time) (*plan, error) {
		if _, err := s.need(ctx, m, actor, id, Owner, "move"); err != nil {
			return nil, err
		}
		n := m.res[id]
		if parent != "" {
			if _, err := s.need(ctx, m, actor, parent, Editor, "move"); err != nil {
				return nil, err
			}
			if m.res[parent].Kind != Folder {
				return nil, fmt.Errorf("docacl: move %q into %q: not a folder: %w", id, parent, ErrInvalid)
			}
			for cur, steps := parent, 0; cur != "" && steps <= len(m.res); steps++ {
				if cur == id {
					return nil, fmt.Errorf("docacl: move %q into %q: %w", id, parent, ErrCycle)
				}
				c := m.res[cur]
				if c == nil {
					break
				}
				cur = c.Parent
			}
		}
		if n.Parent == parent {
			return nil, nil
		}
		nr := n.Resource
		nr.Parent = parent
		p := &plan{}
		p.put(resKey(id), nr)
		p.change = Change{Type: ResourceMoved, Actor: actor, Resource: id, Before: n.Parent, After: parent, Resources: []string{id}}
		s.audit(p, AuditEntry{At: now, Actor: actor, Type: ResourceMoved, Resource: id, Before: n.Parent, After: parent})
		return p, nil
	})
	return err
}

// SetLimited turns "limited access" on or off for resource id: while on,
// the resource stops inheriting grants from its folders and only its own
// grants (and its owner) apply, to it and to everything below it that
// inherits from it. actor needs Manager.
func (s *Service) SetLimited(ctx context.Context, actor, id string, limited bool) error {
	_, err := s.write(ctx, func(m *model, now time.Time) (*plan, error) {
		if _, err := s.need(ctx, m, actor, id, Manager, "set limited access"); err != nil {
			return nil, err
		}
		n := m.res[id]
		if n.Limited == limited {
			return nil, nil
		}
		nr := n.Resource
		nr.Limited = limited
		p := &plan{}
		p.put(resKey(id), nr)
		p.change = Change{Type: ResourceInherit, Actor: actor, Resource: id, Before: fmt.Sprint(!limited), After: fmt.Sprint(limited), Resources: []string{id}}
		s.audit(p, AuditEntry{At: now, Actor: actor, Type: ResourceInherit, Resource: id, Before: limitedName(n.Limited), After: limitedName(limited)})
		return p, nil
	})
	return err
}

func limitedName(l bool) string {
	if l {
		return "limited"
	}
	return "inherit"
}

// Delete removes resource id with its grants and links; only its owner
// may. A folder must be empty first (ErrNotEmpty). The audit trail of the
// resource is kept.
func (s *Service) Delete(ctx context.Context, actor, id string) error {
	_, err := s.write(ctx, func(m *model, now time.Time) (*plan, error) {
		if _, err := s.need(ctx, m, actor, id, Owner, "delete"); err != nil {
			return nil, err
		}
		if len(m.res[id].kids) > 0 {
			return nil, fmt.Errorf("docacl: delete %q: %w", id, ErrNotEmpty)
		}
		n := m.res[id]
		p := &plan{}
		p.del(resKey(id))
		for _, ge := range n.gl {
			p.delGrant(ge.g)
		}
		for _, l := range n.links {
			p.delLink(l)
		}
		p.change = Change{Type: ResourceDeleted, Actor: actor, Resource: id, Resources: []string{id}}
		s.audit(p, AuditEntry{At: now, Actor: actor, Type: ResourceDeleted, Resource: id, Before: n.Owner})
		return p, nil
	})
	return err
}
