package calendar

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/workspace-go/workspace/store"
)

// Interval is a span of time [Start, End).
type Interval struct {
	Start, End time.Time
}

// FreeBusyQuery asks when people and rooms are busy in [From, To).
type FreeBusyQuery struct {
	From, To time.Time
	Users    []string
	Rooms    []string // room calendar ids
}

// Availability holds merged busy intervals, clipped to the query's window, per
// user and per room. Everyone asked about has an entry (empty when free).
type Availability struct {
	Users map[string][]Interval
	Rooms map[string][]Interval
}

// FreeBusy returns when the users and rooms in q are busy. A person is busy
// during the opaque events of their personal calendars and the opaque
// events they are invited to and have not declined; a room during every
// event that books it. As in Google Workspace and Feishu, anyone in the
// tenant may ask; only times are returned.
func (s *Service) FreeBusy(ctx context.Context, actor string, q FreeBusyQuery) (Availability, error) {
	if err := checkWindow(q.From, q.To); err != nil {
		return Availability{}, fmt.Errorf("calendar: free/busy: %w", err)
	}
	if actor == "" {
		return Availability{}, fmt.Errorf("calendar: free/busy: empty actor: %w", ErrBadInput)
	}
	fb := Availability{Users: make(map[string][]Interval, len(q.Users)), Rooms: make(map[string][]Interval, len(q.Rooms))}
	err := s.st.View(ctx, func(tx store.Tx) error {
		for _, r := range q.Rooms {
			if c, err := getCalendar(tx, r); err != nil || c.Kind != Resource {
				return fmt.Errorf("room %q: %w", r, ErrRoomNotFound)
			}
		}
		var err error
		for _, u := range q.Users {
			if fb.Users[u], err = s.busy(tx, slot{scopeUser, u}, q.From, q.To); err != nil {
				return err
			}
		}
		for _, r := range q.Rooms {
			if fb.Rooms[r], err = s.busy(tx, slot{scopeRoom, r}, q.From, q.To); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return Availability{}, fmt.Errorf("calendar: free/busy: %w", err)
	}
	return fb, nil
}

func (s *Service) busy(tx store.Tx, sl slot, from, to time.Time) ([]Interval, error) {
	b, err := s.busyOf(tx, sl, from, to, "", true)
	if err != nil {
		return nil, err
	}
	return merge(b, from, to), nil
}

// merge sorts, clips to [from, to) and joins overlapping or touching
// intervals; zero-length ones are dropped.
func merge(b []busyInterval, from, to time.Time) []Interval {
	slices.SortFunc(b, func(x, y busyInterval) int { return x.start.Compare(y.start) })
	out := []Interval{}
	for _, x := range b {
		s, e := x.start, x.end
		if s.Before(from) {
			s = from
		}
		if e.After(to) {
			e = to
		}
		if !e.After(s) {
			continue
		}
		s, e = s.UTC(), e.UTC()
		if n := len(out); n > 0 && !s.After(out[n-1].End) {
			if e.After(out[n-1].End) {
				out[n-1].End = e
			}
			continue
		}
		out = append(out, Interval{s, e})
	}
	return out
}
