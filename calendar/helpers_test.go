package calendar

import (
	"context"
	"testing"
	"time"

	storebackends "github.com/workspace-go/workspace/internal/backends"
	"github.com/workspace-go/workspace/internal/clock"
	"github.com/workspace-go/workspace/internal/ids"
	"github.com/workspace-go/workspace/store"
)

// backends lists the stores every behaviour test runs on: the one table
// of internal/backends (PostgreSQL when WORKSPACE_PG_DSN is set).
var backends = func() []struct {
	name string
	open func(t testing.TB) store.Store
} {
	var out []struct {
		name string
		open func(t testing.TB) store.Store
	}
	for _, b := range storebackends.All() {
		out = append(out, struct {
			name string
			open func(t testing.TB) store.Store
		}{b.Name, b.Open})
	}
	return out
}()

// t0 is the fake clock's start: Monday 2026-03-02 08:00 UTC.
var t0 = time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC)

type fixture struct {
	ctx context.Context
	st  store.Store
	svc *Service
	clk *clock.Fake
}

func newFixture(t testing.TB, open func(testing.TB) store.Store) *fixture {
	t.Helper()
	st := open(t)
	clk := clock.NewFake(t0)
	svc, err := New(context.Background(), st, WithClock(clk.Now), WithIDs(ids.Sequential("id_")))
	if err != nil {
		t.Fatal(err)
	}
	return &fixture{ctx: context.Background(), st: st, svc: svc, clk: clk}
}

// forEachBackend runs fn as a subtest per backend.
func forEachBackend(t *testing.T, fn func(t *testing.T, f *fixture)) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			fn(t, newFixture(t, b.open))
		})
	}
}

func (f *fixture) calendar(t testing.TB, owner string, c Calendar) Calendar {
	t.Helper()
	if c.Name == "" && c.Kind != Resource {
		c.Name = owner + "'s calendar"
	}
	got, err := f.svc.CreateCalendar(f.ctx, owner, c)
	if err != nil {
		t.Fatalf("create calendar: %v", err)
	}
	return got
}

func (f *fixture) room(t testing.TB, name string, capacity int, equipment ...string) Calendar {
	t.Helper()
	return f.calendar(t, "facilities", Calendar{Kind: Resource, Room: &Room{Name: name, Building: "HQ", Floor: "3", Capacity: capacity, Equipment: equipment}})
}

func (f *fixture) event(t testing.TB, actor string, e Event) Event {
	t.Helper()
	got, err := f.svc.CreateEvent(f.ctx, actor, e)
	if err != nil {
		t.Fatalf("create event %q: %v", e.Title, err)
	}
	return got
}

// at returns 2026-03-<day> hh:mm in UTC.
func at(day, hh, mm int) time.Time { return time.Date(2026, 3, day, hh, mm, 0, 0, time.UTC) }

func ptr[T any](v T) *T { return &v }

// changeCount returns how many change records the store holds.
func changeCount(t testing.TB, f *fixture) int {
	t.Helper()
	recs, _, err := f.st.Changes(f.ctx, 0, 100000)
	if err != nil {
		t.Fatal(err)
	}
	return len(recs)
}

// items returns a page's items, for tests whose listings fit one page.
func items[T any](p store.Page[T], err error) ([]T, error) { return p.Items, err }
