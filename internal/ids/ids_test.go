package ids

import (
	"regexp"
	"sync"
	"testing"
	"time"
)

var uuidv7 = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)

func TestNewIsOrderedUnderAFrozenClock(t *testing.T) {
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	gen := New(func() time.Time { return t0 })
	prev := ""
	for range 10000 { // more than the 4096 a millisecond's counter holds
		id := gen()
		if !uuidv7.MatchString(id) {
			t.Fatalf("%q is not a UUIDv7", id)
		}
		if id <= prev {
			t.Fatalf("%q does not sort after %q", id, prev)
		}
		prev = id
	}
}

func TestNewFollowsTheClock(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	gen := New(func() time.Time { return now })
	a := gen()
	now = now.Add(-time.Hour) // a clock stepping back must not reorder ids
	b := gen()
	now = now.Add(2 * time.Hour)
	c := gen()
	if !(a < b && b < c) {
		t.Errorf("ids out of order: %s %s %s", a, b, c)
	}
}

func TestConcurrentIDsAreUnique(t *testing.T) {
	gen := New(nil)
	var mu sync.Mutex
	seen := map[string]bool{}
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 1000 {
				id := gen()
				mu.Lock()
				if seen[id] {
					t.Errorf("duplicate id %s", id)
				}
				seen[id] = true
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
}

func TestSequential(t *testing.T) {
	gen := Sequential("m_")
	if a, b := gen(), gen(); a != "m_000000001" || b != "m_000000002" {
		t.Errorf("Sequential gave %q, %q", a, b)
	}
}
