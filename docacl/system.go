package docacl

import (
	"context"
	"fmt"
	"sort"
)

// System is the trusted side of a Service: reads that skip the actor
// check, for code acting for the system, such as a search indexer, which
// must see every resource whatever the author of a change may still see
// by the time the change is processed (an offboarded owner sees nothing).
// Never hand what it returns to a user without checking their access
// (Service.Resource and Service.Check do).
//
// A System is safe for concurrent use; it shares its Service's state.
type System struct{ s *Service }

// System returns the Service's trusted reads. Its type says what it is:
// code given only a *Service cannot skip an access check.
func (s *Service) System() *System { return &System{s: s} }

// Lookup returns the resource with id, with no access check; an unknown id
// fails with ErrNotFound.
func (sys *System) Lookup(ctx context.Context, id string) (Resource, error) {
	var r Resource
	err := sys.s.read(ctx, func(m *model) error {
		n, ok := m.res[id]
		if !ok {
			return fmt.Errorf("docacl: lookup resource %q: %w", id, ErrNotFound)
		}
		r = n.Resource
		return nil
	})
	return r, err
}

// AccessKeys returns the principal keys user holds, sorted: their
// UserKey, a GroupKey for every group they belong to at any depth, a
// DeptKey for their department and each department above it, and
// TenantKey. A search index that stores, for each document, the keys
// granted at least Viewer filters results to those sharing a key with
// this set. A user not in the directory (or who left) fails with
// ErrNotFound.
func (sys *System) AccessKeys(ctx context.Context, user string) ([]string, error) {
	var out []string
	s := sys.s
	err := s.read(ctx, func(m *model) error {
		ks, err := s.keysFor(ctx, m, user)
		if err != nil {
			return err
		}
		if !ks.member {
			return fmt.Errorf("docacl: access keys of %q: %w", user, ErrNotFound)
		}
		out = append([]string(nil), ks.list...)
		return nil
	})
	sort.Strings(out)
	return out, err
}

// ViewerKeys returns the principal keys that can view resource, sorted:
// the keys of unexpired grants on it and on the folders it inherits from,
// and the user keys of its owner and of the owners of those folders. A
// user may view the resource exactly when ViewerKeys and their AccessKeys
// share a key, so a search index stores ViewerKeys with each document and
// filters queries by AccessKeys. Share links are not included. Grants
// that expire later are included until they expire; Sweep then appends a
// GrantExpired change for the resource, the cue to re-index it.
func (sys *System) ViewerKeys(ctx context.Context, resource string) ([]string, error) {
	var out []string
	s := sys.s
	err := s.read(ctx, func(m *model) error {
		n := m.res[resource]
		if n == nil {
			return fmt.Errorf("docacl: viewer keys of %q: %w", resource, ErrNotFound)
		}
		now := s.cfg.now()
		seen := set{}
		addKey := func(k string) {
			if _, ok := seen[k]; !ok {
				seen[k] = struct{}{}
				out = append(out, k)
			}
		}
		for cur, steps := n, 0; cur != nil && steps <= len(m.res); steps++ {
			addKey(UserKey(cur.Owner))
			for _, ge := range cur.gl {
				if ge.g.active(now) {
					addKey(ge.g.Principal)
				}
			}
			if cur.Limited {
				break
			}
			cur = cur.parent
		}
		return nil
	})
	sort.Strings(out)
	return out, err
}
