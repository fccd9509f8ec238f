package chat

import (
	"context"
	"fmt"

	"github.com/workspace-go/workspace/store"
)

// System is the trusted side of a Service: reads that skip the actor
// check, for the application's own machinery (a search indexer, a mapper
// of change records, an export job), never to serve a user's request. It
// is reachable only through [Service.System], so a read that bypasses
// the check says so in its type.
//
// A System is safe for concurrent use by multiple goroutines.
type System struct{ s *Service }

// System returns the Service's trusted reads.
func (s *Service) System() *System { return &System{s: s} }

// view runs fn in one read-only transaction, naming op in the error.
func (y *System) view(ctx context.Context, op string, fn func(tx store.Tx) error) error {
	if err := y.s.st.View(ctx, fn); err != nil {
		return fmt.Errorf("chat: system: %s: %w", op, err)
	}
	return nil
}

// Message returns message id as readers see it (a deleted one without its
// content), whoever may read it, or [ErrNotFound].
func (y *System) Message(ctx context.Context, id string) (Message, error) {
	var m Message
	err := y.view(ctx, fmt.Sprintf("get message %q", id), func(tx store.Tx) error {
		var err error
		m, _, err = loadMsg(tx, id)
		return err
	})
	if err != nil {
		return Message{}, err
	}
	return m.visible(), nil
}

// Conversation returns conversation id, whoever belongs to it, or
// [ErrNotFound]. Its Kind and Private say who may read it: the members,
// and for a public channel (Kind Channel, not Private) anyone.
func (y *System) Conversation(ctx context.Context, id string) (Conversation, error) {
	var c Conversation
	err := y.view(ctx, fmt.Sprintf("get conversation %q", id), func(tx store.Tx) error {
		var err error
		c, err = loadConv(tx, id)
		return err
	})
	if err != nil {
		return Conversation{}, err
	}
	return c, nil
}

// Members returns a page of the members of conversation id, ordered by
// user id, or [ErrNotFound].
func (y *System) Members(ctx context.Context, id string, o ListOptions) (store.Page[Member], error) {
	var p store.Page[Member]
	err := y.view(ctx, fmt.Sprintf("list members of conversation %q", id), func(tx store.Tx) error {
		if _, err := loadConv(tx, id); err != nil {
			return err
		}
		var err error
		p, err = memberPage(tx, id, o)
		return err
	})
	return p, err
}
