package calendar

import (
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

	mu    sync.Mutex
	cache map[string]*compiled // event id -> expander of its current revision
}

// Option configures a Service.
type Option func(*Service)

// WithClock sets the clock (default time.Now).
func WithClock(now func() time.Time) Option { return func(s *Service) { s.now = now } }

// WithIDs sets the id generator for calendars and events (default UUIDv7
// from internal/ids, on the service clock).
func WithIDs(gen func() string) Option { return func(s *Service) { s.newID = gen } }

// WithBookingHorizon sets how far ahead recurring room bookings are checked
// for clashes (default [DefaultBookingHorizon]).
func WithBookingHorizon(d time.Duration) Option { return func(s *Service) { s.horizon = d } }

// New returns a calendar Service over st.
func New(st store.Store, opts ...Option) (*Service, error) {
	if st == nil {
		return nil, fmt.Errorf("calendar: new: nil store: %w", ErrInvalid)
	}
	s := &Service{st: st, horizon: DefaultBookingHorizon, cache: map[string]*compiled{}}
	for _, o := range opts {
		o(s)
	}
	if s.now == nil {
		s.now = time.Now
	}
	if s.newID == nil {
		s.newID = ids.New(s.now)
	}
	if s.horizon <= 0 {
		return nil, fmt.Errorf("calendar: new: booking horizon %v: %w", s.horizon, ErrInvalid)
	}
	return s, nil
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
