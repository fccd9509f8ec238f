package docacl

import (
	"context"
	"fmt"
)

// Check reports whether user may perform action on resource: nil when
// allowed; an error wrapping ErrPermission (store.ErrPermission) when the
// user can view the resource but not do this; ErrNotFound
// (store.ErrNotFound) when the resource does not exist or the user cannot
// view it, so a check never reveals a resource to someone who cannot see
// it; ErrNotFound for a user not in the directory (or who left);
// ErrInvalidRole for an unknown action.
//
// Check sees every change committed before it was called, by any Service
// on the same store.
func (s *Service) Check(ctx context.Context, user, resource string, action Action) error {
	need, ok := action.Needs()
	if !ok {
		return fmt.Errorf("docacl: check %q on %q: action %q: %w", user, resource, action, ErrInvalidRole)
	}
	a, err := s.Role(ctx, user, resource)
	if err != nil {
		return err
	}
	if a.Role < need {
		return &fastError{kind: errNoAccess, user: user, resource: resource, action: action, have: a.Role, need: need}
	}
	return nil
}

// Role returns user's effective role on resource and why: the grant that
// gives it, on the resource or inherited from which folder. The highest
// applicable role wins. It fails like Check when the user has no access at
// all.
func (s *Service) Role(ctx context.Context, user, resource string) (Access, error) {
	var a Access
	err := s.read(ctx, func(m *model) error {
		var err error
		a, err = s.roleLocked(ctx, m, user, resource)
		return err
	})
	return a, err
}

// roleLocked is Role on a model already read-locked.
func (s *Service) roleLocked(ctx context.Context, m *model, user, resource string) (Access, error) {
	ks, err := s.keysFor(ctx, m, user)
	if err != nil {
		return Access{}, err
	}
	if !ks.member {
		return Access{}, &fastError{kind: errNoUser, user: user}
	}
	a, err := m.role(ks, user, resource, s.cfg.now(), nil)
	if err != nil {
		return Access{}, err
	}
	if a.Role == None {
		return Access{}, &fastError{kind: errNoResource, resource: resource}
	}
	return a, nil
}

// need returns the actor's access to resource if it is at least r. A
// resource the actor cannot view is reported as not found.
func (s *Service) need(ctx context.Context, m *model, actor, resource string, r Role, what string) (Access, error) {
	ks, err := s.keysFor(ctx, m, actor)
	if err != nil {
		return Access{}, fmt.Errorf("docacl: %s: %w", what, err)
	}
	if !ks.member {
		if s.cfg.dir != nil {
			return Access{}, fmt.Errorf("docacl: %s: actor %q is not an active user of the directory: %w", what, actor, ErrPermission)
		}
		return Access{}, fmt.Errorf("docacl: %s: user %q: %w", what, actor, ErrNotFound)
	}
	a, err := m.role(ks, actor, resource, s.cfg.now(), nil)
	if err != nil {
		return Access{}, fmt.Errorf("docacl: %s: %w", what, err)
	}
	if a.Role == None {
		return Access{}, fmt.Errorf("docacl: %s: resource %q: %w", what, resource, ErrNotFound)
	}
	if a.Role < r {
		return a, fmt.Errorf("docacl: %s: %q is %s on %q, needs %s: %w", what, actor, a.Role, resource, r, ErrPermission)
	}
	return a, nil
}
