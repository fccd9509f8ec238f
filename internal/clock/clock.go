// Package clock provides a settable clock for deterministic tests.
package clock

import (
	"sync"
	"time"
)

// Fake is a clock that moves only when told to. Its zero value reads the
// zero time; it is safe for concurrent use. Pass its Now method wherever a
// package takes a clock function (chat.WithClock(f.Now)).
type Fake struct {
	mu sync.Mutex
	t  time.Time
}

// NewFake returns a Fake reading t.
func NewFake(t time.Time) *Fake { return &Fake{t: t} }

// Now returns the clock's current time.
func (f *Fake) Now() time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.t
}

// Set moves the clock to t.
func (f *Fake) Set(t time.Time) {
	f.mu.Lock()
	f.t = t
	f.mu.Unlock()
}

// Advance moves the clock forward by d and returns the new time.
func (f *Fake) Advance(d time.Duration) time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.t = f.t.Add(d)
	return f.t
}
