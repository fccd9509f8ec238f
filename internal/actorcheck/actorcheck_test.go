package actorcheck

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/workspace-go/workspace/store"
)

var errPkgPermission = fmt.Errorf("pkg: %w", store.ErrPermission)

func TestRun(t *testing.T) {
	ctx := context.Background()
	if err := Run(ctx, nil, "u1", "pkg: acting user", errPkgPermission); err != nil {
		t.Errorf("no check: %v, want nil", err)
	}
	refuse := func(context.Context, string) error {
		return fmt.Errorf("directory: not a user: %w", store.ErrPermission)
	}
	err := Run(ctx, refuse, "u1", "pkg: acting user", errPkgPermission)
	if !errors.Is(err, errPkgPermission) || !errors.Is(err, store.ErrPermission) {
		t.Errorf("refused: %v, want the package's ErrPermission and the store's", err)
	}
	down := func(context.Context, string) error { return fmt.Errorf("pg: %w", store.ErrUnavailable) }
	err = Run(ctx, down, "u1", "pkg: acting user", errPkgPermission)
	if errors.Is(err, errPkgPermission) || !store.Transient(err) {
		t.Errorf("unavailable: %v, want the transient error as it is, not a permission error", err)
	}
}
