package docacl

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/json"
	"fmt"
	"sort"
	"time"

	"golang.org/x/crypto/argon2"

	"github.com/workspace-go/workspace/store"
)

// MaxPasswordLen is the longest link password, in bytes.
const MaxPasswordLen = 256

// argonParams is an argon2id cost, stored with each hash so that changing
// the default never breaks existing links.
type argonParams struct {
	Time    uint32 `json:"t"`
	Memory  uint32 `json:"m"` // KiB
	Threads uint8  `json:"p"`
}

var defaultArgon = argonParams{Time: 2, Memory: 19 * 1024, Threads: 1}

func (a argonParams) hash(password string, salt []byte) []byte {
	return argon2.IDKey([]byte(password), salt, a.Time, a.Memory, a.Threads, 32)
}

// linkRecord is a stored link with its password hash.
type linkRecord struct {
	Link
	Salt  []byte       `json:"salt,omitempty"`
	Hash  []byte       `json:"hash,omitempty"`
	Argon *argonParams `json:"argon,omitempty"`
}

// LinkOptions configure a new share link.
type LinkOptions struct {
	Scope    LinkScope `json:"scope"`              // required
	Expires  time.Time `json:"expires,omitzero"`   // zero: never; otherwise in the future, within years MinYear–MaxYear
	Password string    `json:"password,omitempty"` // "": none; otherwise hashed with argon2id
	// ClientKey, when set, makes CreateLink idempotent: a second call by
	// the same actor with the same key returns the first link and creates
	// no other.
	ClientKey string `json:"client_key,omitempty"`
}

// CreateLink makes a share link to resource (and, through inheritance,
// everything below it). actor needs Manager. The "anyone" scopes need the
// tenant to allow external access (SetSettings). The returned Link.ID is
// the secret token to put in the link's URL.
func (s *Service) CreateLink(ctx context.Context, actor, resource string, opts LinkOptions) (Link, error) {
	what := fmt.Sprintf("create %s link on %q", opts.Scope, resource)
	if err := checkExpiry(opts.Expires); err != nil {
		return Link{}, fmt.Errorf("docacl: %s: expiry: %w", what, err)
	}
	_, _, external, ok := opts.Scope.role()
	if !ok {
		return Link{}, fmt.Errorf("docacl: %s: unknown scope: %w", what, ErrInvalidRole)
	}
	if len(opts.Password) > MaxPasswordLen {
		return Link{}, fmt.Errorf("docacl: %s: password longer than %d bytes: %w", what, MaxPasswordLen, ErrTooLarge)
	}
	once, err := onceKey(onceLink, actor, opts.ClientKey)
	if err != nil {
		return Link{}, fmt.Errorf("docacl: %s: %w", what, err)
	}
	var first Link
	if ok, err := s.prior(ctx, once, &first); ok || err != nil {
		return first, err
	}
	var salt, hash []byte
	var params *argonParams
	if opts.Password != "" {
		salt = make([]byte, 16)
		_, _ = rand.Read(salt)
		a := s.cfg.argon
		params = &a
		hash = a.hash(opts.Password, salt)
	}
	p, err := s.write(ctx, func(m *model, now time.Time) (*plan, error) {
		if _, err := s.need(ctx, m, actor, resource, Manager, what); err != nil {
			return nil, err
		}
		if external && !m.settings.ExternalAccess {
			return nil, fmt.Errorf("docacl: %s: the tenant does not allow external access: %w", what, ErrPermission)
		}
		if !opts.Expires.IsZero() && !opts.Expires.After(now) {
			return nil, fmt.Errorf("docacl: %s: expiry is not in the future: %w", what, ErrInvalid)
		}
		id := s.cfg.tokens()
		if err := checkID(id); err != nil || m.links[id] != nil {
			return nil, fmt.Errorf("docacl: %s: token generator gave unusable id: %w", what, ErrExists)
		}
		rec := linkRecord{
			Link:  Link{ID: id, Resource: resource, Scope: opts.Scope, Expires: opts.Expires, HasPassword: hash != nil, By: actor, At: now},
			Salt:  salt,
			Hash:  hash,
			Argon: params,
		}
		p := &plan{result: rec.Link}
		p.putLink(rec)
		p.remember(once, rec.Link)
		p.change = Change{Type: LinkCreated, Actor: actor, Resource: resource, Principal: LinkKey(id), After: string(opts.Scope), Resources: []string{resource}}
		s.audit(p, AuditEntry{At: now, Actor: actor, Type: LinkCreated, Resource: resource, Principal: LinkKey(id), After: string(opts.Scope)})
		return p, nil
	})
	if err != nil {
		return Link{}, err
	}
	if p.prior != nil {
		if err := json.Unmarshal(p.prior, &first); err != nil {
			return Link{}, fmt.Errorf("docacl: %s: client key result: %w: %w", what, ErrInvalid, err)
		}
		return first, nil
	}
	return p.result.(Link), nil
}

// RevokeLink deletes share link id. actor needs Manager on the link's
// resource, or to be the link's creator. An unknown link fails with
// ErrLinkDenied. Once RevokeLink returns, the link grants nothing.
func (s *Service) RevokeLink(ctx context.Context, actor, id string) error {
	_, err := s.write(ctx, func(m *model, now time.Time) (*plan, error) {
		rec := m.links[id]
		if rec == nil {
			return nil, fmt.Errorf("docacl: revoke link: %w", ErrLinkDenied)
		}
		if rec.By != actor {
			if _, err := s.need(ctx, m, actor, rec.Resource, Manager, "revoke link"); err != nil {
				if isNotFound(err) { // not even a viewer: do not confirm the link exists
					return nil, fmt.Errorf("docacl: revoke link: %w", ErrLinkDenied)
				}
				return nil, err
			}
		}
		p := &plan{}
		p.delLink(rec)
		p.change = Change{Type: LinkRevoked, Actor: actor, Resource: rec.Resource, Principal: LinkKey(id), Before: string(rec.Scope), Resources: []string{rec.Resource}}
		s.audit(p, AuditEntry{At: now, Actor: actor, Type: LinkRevoked, Resource: rec.Resource, Principal: LinkKey(id), Before: string(rec.Scope)})
		return p, nil
	})
	return err
}

// Links returns a page of the share links on resource itself, ordered by
// id. Expired links are left out from their expiry on, whether or not
// Sweep has recorded it yet. actor needs Manager.
func (s *Service) Links(ctx context.Context, actor, resource string, po PageOptions) (store.Page[Link], error) {
	c, err := parsePage("links", po)
	if err != nil {
		return store.Page[Link]{}, err
	}
	var out []Link
	err = s.read(ctx, func(m *model) error {
		if _, err := s.need(ctx, m, actor, resource, Manager, "list links"); err != nil {
			return err
		}
		now := s.cfg.now()
		for _, l := range m.res[resource].links {
			if l.Expires.IsZero() || now.Before(l.Expires) {
				out = append(out, l.Link)
			}
		}
		return nil
	})
	if err != nil {
		return store.Page[Link]{}, err
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return pageOf("links", out, func(l *Link) string { return l.ID }, c), nil
}

// OpenLink returns what holding share link id gives user on the link's
// resource: the higher of the link's role and the user's own. user may be
// "" (or anyone outside the directory) for an external visitor, who can
// use only "anyone" links. Every failure — unknown, revoked, expired or
// closed link, a scope the user is outside of, a wrong or missing
// password — is the same ErrLinkDenied, after the same password-hashing
// work, so the answer never reveals whether a link exists.
func (s *Service) OpenLink(ctx context.Context, user, id, password string) (Access, error) {
	return s.linkAccess(ctx, user, id, password, "")
}

// CheckLink is Check for someone holding share link id, on resource
// (the link's resource or anything below it that inherits from it).
func (s *Service) CheckLink(ctx context.Context, user, id, password, resource string, action Action) error {
	need, ok := action.Needs()
	if !ok {
		return fmt.Errorf("docacl: check link: action %q: %w", action, ErrInvalidRole)
	}
	a, err := s.linkAccess(ctx, user, id, password, resource)
	if err != nil {
		return err
	}
	if a.Role < need {
		return fmt.Errorf("docacl: %s %q through a link: role %s, needs %s: %w", action, resource, a.Role, need, ErrPermission)
	}
	return nil
}

var dummySalt = make([]byte, 16)

func (s *Service) linkAccess(ctx context.Context, user, id, password, resource string) (Access, error) {
	denied := fmt.Errorf("docacl: open link: %w", ErrLinkDenied)
	var rec linkRecord
	found := false
	err := s.read(ctx, func(m *model) error {
		if r := m.links[id]; r != nil {
			rec, found = *r, true
		}
		return nil
	})
	if err != nil {
		return Access{}, err
	}
	// Hash outside the lock; an unknown link costs the same as a wrong
	// password.
	switch {
	case !found:
		s.cfg.argon.hash(password, dummySalt)
		return Access{}, denied
	case rec.Hash != nil:
		a := defaultArgon
		if rec.Argon != nil {
			a = *rec.Argon
		}
		if subtle.ConstantTimeCompare(a.hash(password, rec.Salt), rec.Hash) != 1 {
			return Access{}, denied
		}
	}
	var out Access
	err = s.read(ctx, func(m *model) error {
		cur := m.links[id]
		if cur == nil || !cur.At.Equal(rec.At) { // revoked while hashing
			return denied
		}
		now := s.cfg.now()
		role, tenantOnly, external, _ := cur.Scope.role()
		ks, err := s.keysFor(ctx, m, user)
		if err != nil {
			return err
		}
		switch {
		case role == None,
			!cur.Expires.IsZero() && !now.Before(cur.Expires),
			tenantOnly && !ks.member,
			external && !m.settings.ExternalAccess:
			return denied
		}
		target := resource
		if target == "" {
			target = cur.Resource
		}
		a, err := m.role(ks, user, target, now, &openLink{rec: cur, role: role})
		if err != nil || a.Role == None {
			return fmt.Errorf("docacl: resource %q: %w", target, ErrNotFound)
		}
		out = a
		return nil
	})
	return out, err
}
