package docacl

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/workspace-go/workspace/internal/keys"
	"github.com/workspace-go/workspace/store"
)

// AuditEntry records one permission change: who did what, when, and the
// state before and after.
type AuditEntry struct {
	ID        string     `json:"id"` // time-ordered
	At        time.Time  `json:"at"`
	Actor     string     `json:"actor"` // "" for the system: an expiry recorded by Sweep
	Type      ChangeType `json:"type"`  // "grant.set", "ownership.transferred", ...
	Resource  string     `json:"resource,omitempty"`
	Principal string     `json:"principal,omitempty"`
	Before    string     `json:"before,omitempty"` // previous role, owner, parent, ...; "" for none
	After     string     `json:"after,omitempty"`  // new role, owner, parent, ...; "" for none
	Note      string     `json:"note,omitempty"`
}

// audit adds entry e to the plan, stored under its resource and under
// each of users (the actor is always included). Each index key holds the
// whole entry, so a query is one range scan and an offboarding writes one
// new key per resource.
func (s *Service) audit(p *plan, e AuditEntry, users ...string) {
	e.ID = s.cfg.ids()
	b, err := json.Marshal(e)
	if err != nil {
		p.fail(fmt.Errorf("encode audit entry: %w: %w", ErrInvalid, err))
		return
	}
	if e.Resource != "" {
		p.putRaw(auditResKey(e.Resource, e.ID), b)
	}
	seen := map[string]bool{}
	for _, u := range append([]string{e.Actor}, users...) {
		if u != "" && !seen[u] {
			seen[u] = true
			p.putRaw(auditUserKey(u, e.ID), b)
		}
	}
}

// ResourceAudit returns a page of the audit trail of a resource, newest
// first. The actor must be a manager of the resource or a tenant admin
// (admins may also read the trail of a deleted resource).
func (s *Service) ResourceAudit(ctx context.Context, actor, resource string, po PageOptions) (store.Page[AuditEntry], error) {
	c, err := parsePage("audit", po)
	if err != nil {
		return store.Page[AuditEntry]{}, err
	}
	err = s.read(ctx, func(m *model) error {
		if s.isAdmin(m, actor) {
			return nil
		}
		_, err := s.need(ctx, m, actor, resource, Manager, "read audit trail")
		return err
	})
	if err != nil {
		return store.Page[AuditEntry]{}, err
	}
	return s.auditScan(ctx, auditResPrefix(resource), c)
}

// UserAudit returns a page of the audit entries a user took part in (as
// actor, subject, old or new owner), newest first. Users read their own;
// tenant admins read anyone's.
func (s *Service) UserAudit(ctx context.Context, actor, user string, po PageOptions) (store.Page[AuditEntry], error) {
	c, err := parsePage("audit", po)
	if err != nil {
		return store.Page[AuditEntry]{}, err
	}
	err = s.read(ctx, func(m *model) error {
		if actor != user && !s.isAdmin(m, actor) {
			return fmt.Errorf("docacl: audit trail of %q read by %q: %w", user, actor, ErrNotAdmin)
		}
		return nil
	})
	if err != nil {
		return store.Page[AuditEntry]{}, err
	}
	return s.auditScan(ctx, auditUserPrefix(user), c)
}

// auditScan reads a page of the entries under prefix, newest first: one
// more than the page holds, to know whether there is a next.
func (s *Service) auditScan(ctx context.Context, prefix []byte, c cursor) (store.Page[AuditEntry], error) {
	r := store.Prefix(prefix)
	r.Reverse, r.Limit = true, c.limit+1
	if c.after != "" {
		r.End = keys.Append(append([]byte(nil), prefix...), c.after)
	}
	var out []AuditEntry
	err := s.st.View(ctx, func(tx store.Tx) error {
		for k, v := range tx.Scan(r) {
			var e AuditEntry
			if err := json.Unmarshal(v, &e); err != nil {
				return fmt.Errorf("docacl: audit entry %q: %w", k, err)
			}
			out = append(out, e)
		}
		return nil
	})
	if err != nil {
		return store.Page[AuditEntry]{}, fmt.Errorf("docacl: audit: %w", err)
	}
	pg := store.Page[AuditEntry]{Items: out}
	if len(out) > c.limit {
		pg.Items = out[:c.limit]
		pg.Next = nextCursor("audit", out[c.limit-1].ID)
	}
	if pg.Items == nil {
		pg.Items = []AuditEntry{}
	}
	return pg, nil
}
