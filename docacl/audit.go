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
	ID        string    `json:"id"` // time-ordered
	At        time.Time `json:"at"`
	Actor     string    `json:"actor"` // "" for the system: an expiry recorded by Sweep
	Type      string    `json:"type"`  // a Change type: "grant.set", "ownership.transferred", ...
	Resource  string    `json:"resource,omitempty"`
	Principal string    `json:"principal,omitempty"`
	Before    string    `json:"before,omitempty"` // previous role, owner, parent, ...; "" for none
	After     string    `json:"after,omitempty"`  // new role, owner, parent, ...; "" for none
	Note      string    `json:"note,omitempty"`
}

// AuditQuery pages through an audit trail, newest first.
type AuditQuery struct {
	Limit  int    // at most this many entries; <= 0 means 100
	Before string // only entries older than this entry id (a cursor); "" for the newest
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

// ResourceAudit returns the audit trail of a resource, newest first. The
// actor must be a manager of the resource or a tenant admin (admins may
// also read the trail of a deleted resource).
func (s *Service) ResourceAudit(ctx context.Context, actor, resource string, q AuditQuery) ([]AuditEntry, error) {
	err := s.read(ctx, func(m *model) error {
		if s.isAdmin(m, actor) {
			return nil
		}
		_, err := s.need(m, actor, resource, Manager, "read audit trail")
		return err
	})
	if err != nil {
		return nil, err
	}
	return s.auditScan(ctx, auditResPrefix(resource), q)
}

// UserAudit returns the audit entries a user took part in (as actor,
// subject, old or new owner), newest first. Users read their own; tenant
// admins read anyone's.
func (s *Service) UserAudit(ctx context.Context, actor, user string, q AuditQuery) ([]AuditEntry, error) {
	err := s.read(ctx, func(m *model) error {
		if actor != user && !s.isAdmin(m, actor) {
			return fmt.Errorf("docacl: audit trail of %q read by %q: %w", user, actor, ErrNotAdmin)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return s.auditScan(ctx, auditUserPrefix(user), q)
}

func (s *Service) auditScan(ctx context.Context, prefix []byte, q AuditQuery) ([]AuditEntry, error) {
	limit := q.Limit
	if limit <= 0 {
		limit = 100
	}
	r := store.Prefix(prefix)
	r.Reverse, r.Limit = true, limit
	if q.Before != "" {
		r.End = keys.Append(append([]byte(nil), prefix...), q.Before)
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
		return nil, fmt.Errorf("docacl: audit: %w", err)
	}
	return out, nil
}
