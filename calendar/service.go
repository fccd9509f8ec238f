package calendar

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/workspace-go/workspace/internal/ids"
	"github.com/workspace-go/workspace/store"
)

// Kind tags this package's records in the store's change log.
const Kind = "calendar"

// Defaults used when no option says otherwise.
const (
	// DefaultBookingHorizon is how far ahead the instances of a recurring
	// room booking are checked for clashes: from the later of now and the
	// series' first start.
	DefaultBookingHorizon = 2 * 365 * 24 * time.Hour
	// MaxWindow is the longest window an instance, free/busy or
	// find-a-time query may ask for.
	MaxWindow = 366 * 24 * time.Hour
)

// Service is the calendar service over one store (one tenant's namespace).
//
// A Service is safe for concurrent use by multiple goroutines. It starts no
// goroutines and holds no resources besides a cache of compiled recurrence
// rules; Close is not needed.
type Service struct {
	st      store.Store
	now     func() time.Time
	newID   func() string
	horizon time.Duration
	// actorCheck admits acting users (WithActorCheck); nil: any.
	actorCheck func(ctx context.Context, actor string) error

	mu    sync.Mutex
	cache map[string]*compiled // event id -> expander of its current revision
}

// Option configures a Service; see the With functions. A nil Option is
// skipped.
type Option func(*options) error

type options struct {
	now        func() time.Time
	newID      func() string
	horizon    time.Duration
	actorCheck func(ctx context.Context, actor string) error
}

// WithClock sets the clock (default time.Now). A nil clock is invalid.
func WithClock(now func() time.Time) Option {
	return func(o *options) error {
		if now == nil {
			return fmt.Errorf("clock is nil: %w", ErrInvalid)
		}
		o.now = now
		return nil
	}
}

// WithIDs sets the id generator for calendars and events (default UUIDv7
// from internal/ids, on the service clock). A nil generator is invalid.
func WithIDs(gen func() string) Option {
	return func(o *options) error {
		if gen == nil {
			return fmt.Errorf("id generator is nil: %w", ErrInvalid)
		}
		o.newID = gen
		return nil
	}
}

// WithBookingHorizon sets how far ahead recurring room bookings are checked
// for clashes (default [DefaultBookingHorizon]); it must be positive and
// at most ten years.
func WithBookingHorizon(d time.Duration) Option {
	return func(o *options) error {
		if d <= 0 || d > 10*366*24*time.Hour {
			return fmt.Errorf("booking horizon %v: %w", d, ErrInvalid)
		}
		o.horizon = d
		return nil
	}
}

// New returns a calendar Service over st. It reads nothing from the store
// today; ctx bounds whatever a later version reads or migrates there. It
// fails with an error wrapping ErrInvalid for a nil store or a bad option.
func New(ctx context.Context, st store.Store, opts ...Option) (*Service, error) {
	if st == nil {
		return nil, fmt.Errorf("calendar: new: nil store: %w", ErrInvalid)
	}
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("calendar: new: %w", err)
	}
	o := options{now: time.Now, horizon: DefaultBookingHorizon}
	for _, opt := range opts {
		if opt == nil {
			continue
		}
		if err := opt(&o); err != nil {
			return nil, fmt.Errorf("calendar: new: %w", err)
		}
	}
	if o.newID == nil {
		o.newID = ids.New(o.now)
	}
	return &Service{st: st, now: o.now, newID: o.newID, horizon: o.horizon, actorCheck: o.actorCheck, cache: map[string]*compiled{}}, nil
}

// System returns the handle for trusted code acting for the system (such
// as a search indexer), whose reads skip the actor check. Never hand what
// it returns to a user without checking their access.
func (s *Service) System() *System { return &System{s: s} }

// System reads the calendar without an actor check. Get it from
// [Service.System]; it is safe for concurrent use.
type System struct{ s *Service }

// Event returns the stored event with id and all its details, with no
// access check: the indexer must index every event whatever the author of
// a change may still see by the time the change is processed.
func (y *System) Event(ctx context.Context, id string) (Event, error) {
	var out Event
	err := y.s.st.View(ctx, func(tx store.Tx) error {
		ev, err := getEvent(tx, id)
		if err != nil {
			return err
		}
		out = *ev
		return nil
	})
	if err != nil {
		return Event{}, fmt.Errorf("calendar: system: get event %q: %w", id, err)
	}
	return out, nil
}

// Calendar returns the stored calendar with id, with no access check: the
// indexer names an event's calendar in search results whoever wrote the
// change.
func (y *System) Calendar(ctx context.Context, id string) (Calendar, error) {
	var out Calendar
	err := y.s.st.View(ctx, func(tx store.Tx) error {
		c, err := getCalendar(tx, id)
		if err != nil {
			return err
		}
		out = *c
		return nil
	})
	if err != nil {
		return Calendar{}, fmt.Errorf("calendar: system: get calendar %q: %w", id, err)
	}
	return out, nil
}

const maxCache = 1 << 16

// cached returns the compiled event id at revision rev, if cached; a
// timing-only one (see timing.go) only when full is false.
func (s *Service) cached(id string, rev uint64, full bool) *compiled {
	s.mu.Lock()
	defer s.mu.Unlock()
	if c := s.cache[id]; c != nil && c.ev.Revision == rev && !(full && c.partial) {
		return c
	}
	return nil
}

func (s *Service) remember(c *compiled) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.cache) >= maxCache {
		clear(s.cache)
	}
	if old := s.cache[c.ev.ID]; old != nil && old.ev.Revision == c.ev.Revision && !old.partial && c.partial {
		return // keep the full one
	}
	s.cache[c.ev.ID] = c
}
