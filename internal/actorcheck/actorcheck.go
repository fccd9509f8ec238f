// Package actorcheck runs the check of an acting user that the Workspace
// gives chat, task and calendar (their WithActorCheck option), and wraps
// its refusals the same way in each of them.
package actorcheck

import (
	"context"
	"errors"
	"fmt"

	"github.com/workspace-go/workspace/store"
)

// Check is the check of an acting user: a non-nil error refuses the call.
type Check func(ctx context.Context, actor string) error

// Run runs check for actor, when there is a check. A refusal wrapping
// store.ErrPermission (an unknown, suspended or departed user) is returned
// wrapping permission, the calling package's ErrPermission, as well; any
// other error (a store that is unavailable) is wrapped as it is. prefix
// starts the message ("chat: post: acting user").
func Run(ctx context.Context, check Check, actor, prefix string, permission error) error {
	if check == nil {
		return nil
	}
	err := check(ctx, actor)
	switch {
	case err == nil:
		return nil
	case errors.Is(err, store.ErrPermission):
		return fmt.Errorf("%s %q: %w: %w", prefix, actor, permission, err)
	}
	return fmt.Errorf("%s %q: %w", prefix, actor, err)
}
