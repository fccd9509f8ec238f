package docacl

import (
	"context"
	"fmt"
)

// Lookup returns the resource with id, with no access check. It is for
// trusted code acting for the system, such as a search indexer, which must
// index every resource whatever the author of a change may still see by
// the time the change is processed (an offboarded owner sees nothing).
// Never hand its result to a user without checking their access (Resource
// and Check do).
func (s *Service) Lookup(ctx context.Context, id string) (Resource, error) {
	var r Resource
	err := s.read(ctx, func(m *model) error {
		n, ok := m.res[id]
		if !ok {
			return fmt.Errorf("docacl: lookup %q: %w", id, ErrNotFound)
		}
		r = n.Resource
		return nil
	})
	return r, err
}
