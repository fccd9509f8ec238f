package docacl

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/workspace-go/workspace/store"
)

// Directory is where a Service reads who a user is when the tenant's
// people, groups and departments are kept outside docacl (the workspace's
// directory service). docacl imports only store, so the root package
// adapts its directory to this interface and passes it with
// WithDirectory.
//
// Implementations must be safe for concurrent use, must not call the
// Service, and must read each answer from one consistent snapshot.
type Directory interface {
	// Memberships returns what user acts as. An unknown user fails with
	// an error wrapping store.ErrNotFound; any other error (a transient
	// store error) is passed on to the caller of Check.
	Memberships(ctx context.Context, user string) (Membership, error)
	// Exists reports whether the group or department p names exists: nil
	// when it does, an error wrapping store.ErrNotFound when it does not.
	// It is asked only for KindGroup and KindDept principals, before a
	// grant to them is written.
	Exists(ctx context.Context, p Principal) error
	// Members returns the active users p stands for: a group's members at
	// any depth, a department's and its sub-departments', or every active
	// user for TenantKey. Who asks it to expand the grants of a resource.
	Members(ctx context.Context, p Principal) ([]string, error)
	// Version returns the directory's version: a number every change to
	// users, groups or departments increases, and that an unchanged
	// directory keeps.
	Version(ctx context.Context) (uint64, error)
}

// Membership is one user as a Directory reports them.
type Membership struct {
	// Active is true for a user (or bot) who may act and hold access:
	// not suspended, not departed. An inactive user has no access at all.
	Active bool `json:"active"`
	// Manager is the user's direct manager, the default recipient of
	// Offboard; "" for none.
	Manager string `json:"manager,omitempty"`
	// Departments are the user's departments and every department above
	// them.
	Departments []string `json:"departments,omitempty"`
	// Groups are the user's groups, directly or through nesting.
	Groups []string `json:"groups,omitempty"`
	// Version is the directory's version the answer was read at.
	Version uint64 `json:"version"`
}

// WithDirectory makes the Service read users, groups and departments
// from dir instead of keeping its own. Check, listings and every write
// that names a user ask dir. An actor dir does not report active is
// refused with an error wrapping ErrPermission (Check and Role, whose
// user is the subject, still answer ErrNotFound for them). docacl's own
// directory methods (PutUser, PutGroup, AddMember, RemoveMember,
// DeleteGroup, PutDept, DeleteDept and the reads User, Group, Dept)
// refuse with ErrExternalDirectory. The default is none: the Service
// keeps its own directory, managed with those methods.
//
// A user's keys are cached per Service and tagged with the directory
// version they were read at; every read that finds the store's change
// log moved asks dir for its version and drops older answers, so a user
// added to a group or moved to another department is honoured by the
// very next Check on any Service over the same store.
func WithDirectory(dir Directory) Option {
	return func(c *options) error {
		if dir == nil {
			return fmt.Errorf("docacl: WithDirectory(nil): %w", ErrInvalid)
		}
		c.dir = dir
		return nil
	}
}

// external reports, for one of docacl's own directory methods, that the
// directory is kept elsewhere.
func (s *Service) external(what string) error {
	if s.cfg.dir == nil {
		return nil
	}
	return fmt.Errorf("docacl: %s: %w", what, ErrExternalDirectory)
}

// checkDirectory learns the directory's current version, so that key
// sets read at an older one are no longer used. Callers read the store's
// Last position first: every directory change at or below it is then
// reflected.
func (s *Service) checkDirectory(ctx context.Context) error {
	if s.cfg.dir == nil {
		return nil
	}
	v, err := s.cfg.dir.Version(ctx)
	if err != nil {
		return fmt.Errorf("docacl: directory version: %w", err)
	}
	for {
		old := s.dirVer.Load()
		if v <= old || s.dirVer.CompareAndSwap(old, v) {
			return nil
		}
	}
}

// keysFromDirectory asks the Directory for user's keys.
func (s *Service) keysFromDirectory(ctx context.Context, m *model, user string) (*keySet, error) {
	mem, err := s.cfg.dir.Memberships(ctx, user)
	if errors.Is(err, store.ErrNotFound) {
		return noKeys, nil
	}
	if err != nil {
		return nil, fmt.Errorf("docacl: memberships of %q: %w", user, err)
	}
	if !mem.Active {
		return noKeys, nil
	}
	ks := &keySet{has: set{}, member: true, dirVer: mem.Version}
	ks.add(UserKey(user))
	for _, d := range mem.Departments {
		ks.add(DeptKey(d))
	}
	for _, g := range mem.Groups {
		ks.add(GroupKey(g))
	}
	ks.add(TenantKey)
	ks.intern(m)
	return ks, nil
}

// add adds key k to the set; false when it was there.
func (ks *keySet) add(k string) bool {
	if _, ok := ks.has[k]; ok {
		return false
	}
	ks.has[k] = struct{}{}
	ks.list = append(ks.list, k)
	return true
}

// intern records the ids of the keys that appear in some grant.
func (ks *keySet) intern(m *model) {
	for _, k := range ks.list {
		if id, ok := m.pids[k]; ok {
			ks.pids = append(ks.pids, id)
		}
	}
	slices.Sort(ks.pids)
}

// active reports whether id is an active user of the tenant. Call with
// the read lock held.
func (s *Service) active(ctx context.Context, m *model, id string) (bool, error) {
	ks, err := s.keysFor(ctx, m, id)
	if err != nil {
		return false, err
	}
	return ks.member, nil
}

// managerFor returns user's direct manager: from the Directory when there
// is one, else from docacl's own directory.
func (s *Service) managerFor(ctx context.Context, m *model, user string) (string, error) {
	if s.cfg.dir == nil {
		return m.managerOf(user), nil
	}
	mem, err := s.cfg.dir.Memberships(ctx, user)
	if errors.Is(err, store.ErrNotFound) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("docacl: manager of %q: %w", user, err)
	}
	return mem.Manager, nil
}

// checkPrincipal reports whether p names something that exists, asking
// the Directory when there is one.
func (s *Service) checkPrincipal(ctx context.Context, m *model, p Principal) error {
	if s.cfg.dir == nil {
		return m.checkPrincipal(p)
	}
	switch p.Kind {
	case KindUser:
		ok, err := s.active(ctx, m, p.ID)
		if err != nil {
			return err
		}
		if !ok {
			return fmt.Errorf("user %q: %w", p.ID, ErrNotFound)
		}
	case KindGroup, KindDept:
		if err := s.cfg.dir.Exists(ctx, p); err != nil {
			if errors.Is(err, store.ErrNotFound) {
				return fmt.Errorf("%s %q: %w", p.Kind, p.ID, ErrNotFound)
			}
			return err
		}
	case KindTenant:
	default:
		return fmt.Errorf("principal %q: %w", p.Key(), ErrInvalid)
	}
	return nil
}

// expander returns how Who expands a principal key into users and
// filters them to active ones: docacl's own directory, or the Directory.
// The first error the Directory gives is kept in *errp.
func (s *Service) expander(ctx context.Context, m *model, errp *error) (expand func(string) []string, active func(string) bool) {
	if s.cfg.dir == nil {
		return m.expand, func(u string) bool { return m.activeUser(u) != nil }
	}
	expand = func(key string) []string {
		p, err := ParseKey(key)
		if err != nil {
			return nil
		}
		if p.Kind == KindUser {
			return []string{p.ID}
		}
		out, err := s.cfg.dir.Members(ctx, p)
		if err != nil && *errp == nil {
			*errp = fmt.Errorf("docacl: members of %q: %w", key, err)
		}
		return out
	}
	active = func(u string) bool {
		ok, err := s.active(ctx, m, u)
		if err != nil && *errp == nil {
			*errp = err
		}
		return ok
	}
	return expand, active
}

// cmpErr returns err when it is not nil, else def.
func cmpErr(err, def error) error {
	if err != nil {
		return err
	}
	return def
}

// notActive is the error for an actor who is not an active user: with a
// Directory, the workspace's one identity, ErrPermission (the caller is
// the one acting); with docacl's own directory, ErrNotFound as always.
func (s *Service) notActive() error {
	if s.cfg.dir != nil {
		return fmt.Errorf("not an active user of the directory: %w", ErrPermission)
	}
	return ErrNotFound
}
