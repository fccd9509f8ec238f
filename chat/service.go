package chat

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/workspace-go/workspace/internal/ids"
	"github.com/workspace-go/workspace/store"
)

// Kind is the change-log kind of every record the chat package appends.
const Kind = "chat"

// Service is the chat service over one store. It keeps no state of its own
// beyond its options: every call reads and writes the store, so several
// Services (in one process or many) over the same store see each other's
// writes.
//
// A Service is safe for concurrent use by multiple goroutines.
type Service struct {
	st       store.Store
	now      func() time.Time
	newID    func() string
	officers func(actor string) bool
	backoff  *store.Backoff
	// actorCheck admits acting users (WithActorCheck); nil: any.
	actorCheck func(ctx context.Context, actor string) error
}

// options is what the Options of New set.
type options struct {
	now        func() time.Time
	newID      func() string
	officers   func(actor string) bool
	backoff    *store.Backoff
	actorCheck func(ctx context.Context, actor string) error
}

// Option configures a Service. New skips nil options and fails with an
// error wrapping [ErrInvalid] when an option's argument is bad.
type Option func(*options) error

// WithClock sets the clock that stamps messages and drives retention. The
// default is time.Now. A nil clock is refused; a clock that reads a time
// outside years 1–9999 makes the mutations that read it fail with
// [ErrInvalid].
func WithClock(now func() time.Time) Option {
	return func(o *options) error {
		if now == nil {
			return fmt.Errorf("chat: with clock: nil clock: %w", ErrInvalid)
		}
		o.now = now
		return nil
	}
}

// WithIDs sets the generator of conversation and message ids. Ids should be
// unique and increase over time. The default is ids.New over the
// Service's clock (UUIDv7). A nil generator is refused.
func WithIDs(gen func() string) Option {
	return func(o *options) error {
		if gen == nil {
			return fmt.Errorf("chat: with ids: nil generator: %w", ErrInvalid)
		}
		o.newID = gen
		return nil
	}
}

// WithCompliance names the compliance officers: users for whom isOfficer
// reports true may set retention and legal holds, purge and export any
// conversation, whether or not they are members. The default is nobody, so
// governance calls fail with ErrPermission until the application says who
// speaks for the enterprise. A nil function is refused.
func WithCompliance(isOfficer func(actor string) bool) Option {
	return func(o *options) error {
		if isOfficer == nil {
			return fmt.Errorf("chat: with compliance: nil function: %w", ErrInvalid)
		}
		o.officers = isOfficer
		return nil
	}
}

// WithBackoff sets how subscriptions wait before retrying after a
// transient store error (see [store.Backoff]). The default, and nil, is a
// zero Backoff: 50 ms doubling up to 5 s, with jitter.
func WithBackoff(b *store.Backoff) Option {
	return func(o *options) error {
		o.backoff = b
		return nil
	}
}

// New returns a Service over st. Without options it uses the real clock,
// UUIDv7 ids and no compliance officers. New reads nothing from the store;
// ctx is checked only for being done already.
func New(ctx context.Context, st store.Store, opts ...Option) (*Service, error) {
	if st == nil {
		return nil, fmt.Errorf("chat: new: nil store: %w", ErrInvalid)
	}
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("chat: new: %w", err)
	}
	var o options
	for _, opt := range opts {
		if opt == nil {
			continue
		}
		if err := opt(&o); err != nil {
			return nil, err
		}
	}
	s := &Service{st: st, now: o.now, newID: o.newID, officers: o.officers, backoff: o.backoff, actorCheck: o.actorCheck}
	if s.now == nil {
		s.now = time.Now
	}
	if s.newID == nil {
		s.newID = ids.New(s.now)
	}
	if s.officers == nil {
		s.officers = func(string) bool { return false }
	}
	return s, nil
}

// MinYear and MaxYear bound every time the package takes or stamps: a
// clock reading outside them is refused with [ErrInvalid].
const (
	MinYear = 1
	MaxYear = 9999
)

// checkTime refuses a time outside years MinYear–MaxYear.
func checkTime(what string, t time.Time) error {
	if y := t.Year(); y < MinYear || y > MaxYear {
		return fmt.Errorf("%s %s: year outside %d–%d: %w", what, t.Format(time.RFC3339), MinYear, MaxYear, ErrInvalid)
	}
	return nil
}

// clock reads the Service's clock for op, in UTC, refusing an impossible
// time.
func (s *Service) clock() (time.Time, error) {
	now := s.now().UTC()
	if err := checkTime("clock reads", now); err != nil {
		return time.Time{}, err
	}
	return now, nil
}

// mutate is the prologue of every mutation: it checks the acting user,
// reads the clock once, runs fn in one store transaction (so the change,
// its indexes and its change record commit together or not at all) and
// names the operation in the error.
func (s *Service) mutate(ctx context.Context, op, actor string, fn func(tx store.Tx, now time.Time) error) error {
	if err := s.checkActor(ctx, op, actor); err != nil {
		return err
	}
	now, err := s.clock()
	if err != nil {
		return fmt.Errorf("chat: %s: %w", op, err)
	}
	if err := s.st.Update(ctx, func(tx store.Tx) error { return fn(tx, now) }); err != nil {
		return fmt.Errorf("chat: %s: %w", op, err)
	}
	return nil
}

// mutateConv is mutate for a change to conversation conv by one of its
// members: fn gets the conversation and the actor's membership.
func (s *Service) mutateConv(ctx context.Context, op, actor, conv string,
	fn func(tx store.Tx, c *Conversation, m Member, now time.Time) error) error {
	return s.mutate(ctx, op, actor, func(tx store.Tx, now time.Time) error {
		c, m, err := access(tx, conv, actor)
		if err != nil {
			return err
		}
		return fn(tx, &c, m, now)
	})
}

// mutateMsg is mutate for a change to message id by a member of its
// conversation: fn gets the message, its conversation and the actor's
// membership.
func (s *Service) mutateMsg(ctx context.Context, op, actor, id string,
	fn func(tx store.Tx, m *Message, c *Conversation, mem Member, now time.Time) error) error {
	return s.mutate(ctx, op, actor, func(tx store.Tx, now time.Time) error {
		m, _, err := loadMsg(tx, id)
		if err != nil {
			return err
		}
		c, mem, err := access(tx, m.Conversation, actor)
		if err != nil {
			return err
		}
		return fn(tx, &m, &c, mem, now)
	})
}

// view runs fn in one read-only transaction after checking the acting
// user, naming the operation in the error.
func (s *Service) view(ctx context.Context, op, actor string, fn func(tx store.Tx) error) error {
	if err := s.checkActor(ctx, op, actor); err != nil {
		return err
	}
	if err := s.st.View(ctx, fn); err != nil {
		return fmt.Errorf("chat: %s: %w", op, err)
	}
	return nil
}

func isNotFound(err error) bool { return errors.Is(err, store.ErrNotFound) }
