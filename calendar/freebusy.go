package calendar

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/workspace-go/workspace/store"
)

// Interval is a span of time [Start, End).
type Interval struct {
	Start time.Time `json:"start"`
	End   time.Time `json:"end"`
}

// FreeBusyQuery asks when people and rooms are busy in [From, To).
type FreeBusyQuery struct {
	From  time.Time `json:"from"`
	To    time.Time `json:"to"`
	Users []string  `json:"users,omitempty"`
	Rooms []string  `json:"rooms,omitempty"` // room calendar ids
}

// Availability holds merged busy intervals, clipped to the query's window, per
// user and per room. Everyone asked about has an entry (empty when free).
type Availability struct {
	Users map[string][]Interval `json:"users"`
	Rooms map[string][]Interval `json:"rooms"`
}

// FreeBusy returns when the users and rooms in q are busy. A person is busy
// during the opaque events of their personal calendars and the opaque
// events they are invited to and have not declined; a room during every
// event that books it. As in Google Workspace and Feishu, anyone in the
// tenant may ask; only times are returned.
func (s *Service) FreeBusy(ctx context.Context, actor string, q FreeBusyQuery) (Availability, error) {
	if err := s.checkActor(ctx, actor); err != nil {
		return Availability{}, err
	}
	if err := checkWindow(q.From, q.To); err != nil {
		return Availability{}, fmt.Errorf("calendar: free/busy: %w", err)
	}
	if actor == "" {
		return Availability{}, fmt.Errorf("calendar: free/busy: empty actor: %w", ErrInvalid)
	}
	if n := len(q.Users) + len(q.Rooms); n > MaxFreeBusyTargets {
		return Availability{}, fmt.Errorf("calendar: free/busy: %d users and rooms, at most %d: %w", n, MaxFreeBusyTargets, ErrTooLarge)
	}
	fb := Availability{Users: make(map[string][]Interval, len(q.Users)), Rooms: make(map[string][]Interval, len(q.Rooms))}
	err := s.st.View(ctx, func(tx store.Tx) error {
		for _, r := range q.Rooms {
			if c, err := getCalendar(tx, r); err != nil || c.Kind != Resource {
				return fmt.Errorf("room %q: %w", r, ErrNotFound)
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
	lo, hi := from.UnixNano(), to.UnixNano()
	var spans [][2]int64
	next := 4096
	err := s.eachBusy(tx, sl, from, to, "", true, func(st, en time.Time, _ string, _ time.Time) {
		a, b := max(st.UnixNano(), lo), min(en.UnixNano(), hi)
		if b > a {
			spans = append(spans, [2]int64{a, b})
		}
		if len(spans) == next {
			// Dense series mostly touch or overlap: merging as they come
			// keeps memory to the busy blocks, not the instances.
			spans = mergeSpans(spans)
			next = 2*len(spans) + 4096
		}
	})
	if err != nil {
		return nil, err
	}
	return merge(spans), nil
}

// mergeSpans sorts and joins overlapping or touching spans in place.
func mergeSpans(spans [][2]int64) [][2]int64 {
	slices.SortFunc(spans, func(x, y [2]int64) int { return cmp.Compare(x[0], y[0]) })
	out := spans[:0]
	for _, x := range spans {
		if n := len(out); n > 0 && x[0] <= out[n-1][1] {
			out[n-1][1] = max(out[n-1][1], x[1])
			continue
		}
		out = append(out, x)
	}
	return out
}

// merge sorts and joins overlapping or touching spans (Unix ns).
func merge(spans [][2]int64) []Interval {
	slices.SortFunc(spans, func(x, y [2]int64) int { return cmp.Compare(x[0], y[0]) })
	out := make([]Interval, 0, len(spans))
	var cur [2]int64
	for i, x := range spans {
		if i > 0 && x[0] <= cur[1] {
			cur[1] = max(cur[1], x[1])
			continue
		}
		if i > 0 {
			out = append(out, Interval{time.Unix(0, cur[0]).UTC(), time.Unix(0, cur[1]).UTC()})
		}
		cur = x
	}
	if len(spans) > 0 {
		out = append(out, Interval{time.Unix(0, cur[0]).UTC(), time.Unix(0, cur[1]).UTC()})
	}
	return out
}
