package chat

import (
	"context"
	"fmt"

	"github.com/workspace-go/workspace/internal/actorcheck"
)

// WithActorCheck sets a check of every acting user, run in the prologue
// of every call that takes an actor, before anything is read or written:
// a non-nil error refuses the call. An error wrapping store.ErrPermission
// (an unknown, suspended or departed user) is reported wrapping
// [ErrPermission] as well; any other error (a store that is unavailable)
// is passed on as it is. The Workspace checks that the actor is an active
// user of its directory. The default is none: any well-formed user id may
// act. check must be safe for concurrent use.
func WithActorCheck(check func(ctx context.Context, actor string) error) Option {
	return func(o *options) error {
		if check == nil {
			return fmt.Errorf("chat: with actor check: nil check: %w", ErrInvalid)
		}
		o.actorCheck = check
		return nil
	}
}

// checkActor checks the acting user of op: a well-formed id, admitted by
// the actor check when there is one.
func (s *Service) checkActor(ctx context.Context, op, actor string) error {
	if err := checkUser(actor); err != nil {
		return fmt.Errorf("chat: %s: acting user: %w", op, err)
	}
	return actorcheck.Run(ctx, s.actorCheck, actor, "chat: "+op+": acting user", ErrPermission)
}
