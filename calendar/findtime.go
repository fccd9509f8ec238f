package calendar

import (
	"cmp"
	"container/heap"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/workspace-go/workspace/internal/keys"
	"github.com/workspace-go/workspace/internal/record"
	"github.com/workspace-go/workspace/store"
)

// Period is a span of a day, as offsets from local midnight.
type Period struct {
	Start time.Duration `json:"start"`
	End   time.Duration `json:"end"`
}

// WorkingHours are the hours a person can be booked, in their own zone.
type WorkingHours struct {
	TimeZone string `json:"tz"`
	// Week holds each weekday's period, indexed by time.Weekday; a zero
	// Period is a day off.
	Week [7]Period `json:"week"`
}

// DefaultWorkingHours returns Monday to Friday, 09:00 to 18:00 in tz: what
// find-a-time assumes for someone who has not set their hours.
func DefaultWorkingHours(tz string) WorkingHours {
	wh := WorkingHours{TimeZone: tz}
	for d := time.Monday; d <= time.Friday; d++ {
		wh.Week[d] = Period{9 * time.Hour, 18 * time.Hour}
	}
	return wh
}

func (wh *WorkingHours) check() error {
	if _, err := loadZone(wh.TimeZone); err != nil {
		return err
	}
	for d, p := range wh.Week {
		if p == (Period{}) {
			continue
		}
		if p.Start < 0 || p.End > 24*time.Hour || p.End <= p.Start {
			return fmt.Errorf("working hours on %v: %v to %v: %w", time.Weekday(d), p.Start, p.End, ErrInvalid)
		}
	}
	return nil
}

func whKey(user string) []byte { return keys.New("calendar", "wh", user) }

// SetWorkingHours sets actor's own working hours.
func (s *Service) SetWorkingHours(ctx context.Context, actor string, wh WorkingHours) error {
	if err := s.checkActor(ctx, actor); err != nil {
		return err
	}
	if actor == "" {
		return fmt.Errorf("calendar: set working hours: empty actor: %w", ErrInvalid)
	}
	if wh.TimeZone == "" {
		wh.TimeZone = "UTC"
	}
	if err := wh.check(); err != nil {
		return fmt.Errorf("calendar: set working hours of %q: %w", actor, err)
	}
	err := s.st.Update(ctx, func(tx store.Tx) error {
		if err := record.Put(tx, whKey(actor), wh); err != nil {
			return err
		}
		return appendChange(tx, Change{Type: WorkingHoursSet, User: actor, Actor: actor, At: s.now().UTC()})
	})
	if err != nil {
		return fmt.Errorf("calendar: set working hours of %q: %w", actor, err)
	}
	return nil
}

// WorkingHours returns user's working hours: the ones they set, or
// DefaultWorkingHours in the zone of their first personal calendar (UTC
// when they have none). Everyone in the tenant may read them, as
// find-a-time does.
func (s *Service) WorkingHours(ctx context.Context, actor, user string) (WorkingHours, error) {
	if err := s.checkActor(ctx, actor); err != nil {
		return WorkingHours{}, err
	}
	if actor == "" {
		return WorkingHours{}, fmt.Errorf("calendar: working hours of %q: empty actor: %w", user, ErrInvalid)
	}
	var wh WorkingHours
	err := s.st.View(ctx, func(tx store.Tx) error {
		var err error
		wh, err = workingHours(tx, user)
		return err
	})
	if err != nil {
		return WorkingHours{}, fmt.Errorf("calendar: working hours of %q: %w", user, err)
	}
	return wh, nil
}

func workingHours(tx store.Tx, user string) (WorkingHours, error) {
	var wh WorkingHours
	err := record.Get(tx, whKey(user), &wh)
	if err == nil {
		return wh, nil
	}
	if !errors.Is(err, store.ErrNotFound) {
		return wh, err
	}
	tz := "UTC"
	for k, v := range tx.Scan(store.Prefix(keys.New("calendar", "list", user))) {
		if string(v) != listOwned {
			continue
		}
		id, err := keys.Last(k)
		if err != nil {
			return wh, err
		}
		if c, err := getCalendar(tx, id); err == nil && c.Kind == Personal {
			tz = c.TimeZone
			break
		}
	}
	return DefaultWorkingHours(tz), nil
}

// intervals returns the working periods overlapping [from, to).
func (wh *WorkingHours) intervals(from, to time.Time) []Interval {
	loc, err := loadZone(wh.TimeZone)
	if err != nil {
		loc = time.UTC
	}
	var out []Interval
	day := dateIn(from.In(loc), loc).AddDate(0, 0, -1)
	for ; day.Before(to); day = day.AddDate(0, 0, 1) {
		p := wh.Week[day.Weekday()]
		if p == (Period{}) {
			continue
		}
		// Wall-clock hours, so a DST change does not shift the day.
		y, m, d := day.Date()
		at := func(off time.Duration) time.Time {
			return time.Date(y, m, d, int(off/time.Hour), int(off%time.Hour/time.Minute), 0, 0, loc)
		}
		s, e := at(p.Start), at(p.End)
		if e.After(from) && s.Before(to) {
			out = append(out, Interval{s.UTC(), e.UTC()})
		}
	}
	return out
}

// subtract returns the parts of free not covered by busy (both sorted,
// busy merged).
func subtract(free, busy []Interval) []Interval {
	var out []Interval
	j := 0
	for _, f := range free {
		s := f.Start
		for j < len(busy) && !busy[j].End.After(s) {
			j++
		}
		k := j
		for k < len(busy) && busy[k].Start.Before(f.End) {
			if busy[k].Start.After(s) {
				out = append(out, Interval{s, busy[k].Start})
			}
			if busy[k].End.After(s) {
				s = busy[k].End
			}
			k++
		}
		if f.End.After(s) {
			out = append(out, Interval{s, f.End})
		}
	}
	return out
}

// RoomNeed asks find-a-time for a room.
type RoomNeed struct {
	// MinCapacity defaults to the number of attendees asked about.
	MinCapacity int      `json:"min_capacity,omitempty"`
	Equipment   []string `json:"equipment,omitempty"`
	Building    string   `json:"building,omitempty"` // "" for any
	// Rooms, when set, limits the choice to these room ids.
	Rooms []string `json:"rooms,omitempty"`
}

// FindTimeRequest asks for meeting times.
type FindTimeRequest struct {
	Required []string `json:"required,omitempty"`
	Optional []string `json:"optional,omitempty"`
	// Duration of the meeting (in JSON, nanoseconds as in time.Duration).
	Duration time.Duration `json:"duration"`
	From     time.Time     `json:"from"`
	To       time.Time     `json:"to"`
	// Step between candidate starts (default 30 minutes); starts are
	// aligned to it.
	Step time.Duration `json:"step,omitempty"`
	// Room, when set, makes a free matching room a requirement.
	Room *RoomNeed `json:"room,omitempty"`
	// Limit caps the candidates returned (default 10, at most
	// [MaxCandidates]).
	Limit int `json:"limit,omitempty"`
}

// Candidate is a proposed meeting time.
type Candidate struct {
	Start        time.Time `json:"start"`
	End          time.Time `json:"end"`
	OptionalFree []string  `json:"optional_free"`
	OptionalBusy []string  `json:"optional_busy"`
	// Rooms are the matching rooms free for the whole slot, smallest
	// first (then by name).
	Rooms []string `json:"rooms,omitempty"`
}

// FindTime proposes slots of q.Duration in [q.From, q.To) when every
// required attendee is free and within their working hours (in their own
// zone) and, when q.Room is set, a matching room is free. Candidates are
// ranked by how many optional attendees are free (outside working hours
// counts as busy), then by start.
func (s *Service) FindTime(ctx context.Context, actor string, q FindTimeRequest) ([]Candidate, error) {
	if err := s.checkActor(ctx, actor); err != nil {
		return nil, err
	}
	if err := checkWindow(q.From, q.To); err != nil {
		return nil, fmt.Errorf("calendar: find a time: %w", err)
	}
	if q.Duration <= 0 || q.Duration > 24*time.Hour {
		return nil, fmt.Errorf("calendar: find a time: duration %v: %w", q.Duration, ErrInvalid)
	}
	if len(q.Required) == 0 && len(q.Optional) == 0 && q.Room == nil {
		return nil, fmt.Errorf("calendar: find a time: nobody and no room asked about: %w", ErrInvalid)
	}
	if q.Step == 0 {
		q.Step = 30 * time.Minute
	}
	if q.Step < time.Minute {
		return nil, fmt.Errorf("calendar: find a time: step %v: %w", q.Step, ErrInvalid)
	}
	if q.Limit <= 0 {
		q.Limit = 10
	}
	if q.Limit > MaxCandidates {
		return nil, fmt.Errorf("calendar: find a time: limit %d, at most %d: %w", q.Limit, MaxCandidates, ErrTooLarge)
	}
	if n := len(q.Required) + len(q.Optional); n > MaxFindTimePeople {
		return nil, fmt.Errorf("calendar: find a time: %d people, at most %d: %w", n, MaxFindTimePeople, ErrTooLarge)
	}
	if q.Room != nil && len(q.Room.Rooms) > MaxFreeBusyTargets {
		return nil, fmt.Errorf("calendar: find a time: %d rooms, at most %d: %w", len(q.Room.Rooms), MaxFreeBusyTargets, ErrTooLarge)
	}
	type avail struct {
		name string
		free []Interval
		cap  int
		i    int
	}
	var req, opt, rms []*avail
	err := s.st.View(ctx, func(tx store.Tx) error {
		person := func(u string) (*avail, error) {
			wh, err := workingHours(tx, u)
			if err != nil {
				return nil, err
			}
			b, err := s.busy(tx, slot{scopeUser, u}, q.From, q.To)
			if err != nil {
				return nil, err
			}
			return &avail{name: u, free: subtract(wh.intervals(q.From, q.To), b)}, nil
		}
		for _, u := range q.Required {
			a, err := person(u)
			if err != nil {
				return err
			}
			req = append(req, a)
		}
		for _, u := range q.Optional {
			a, err := person(u)
			if err != nil {
				return err
			}
			opt = append(opt, a)
		}
		if q.Room == nil {
			return nil
		}
		need := q.Room.MinCapacity
		if need == 0 {
			need = len(q.Required) + len(q.Optional)
		}
		cands, err := rooms(tx, need, q.Room.Equipment)
		if err != nil {
			return err
		}
		for _, id := range q.Room.Rooms {
			if c, err := getCalendar(tx, id); err != nil || c.Kind != Resource {
				return fmt.Errorf("room %q: %w", id, ErrNotFound)
			}
		}
		whole := []Interval{{q.From, q.To}}
		for _, c := range cands {
			if q.Room.Building != "" && !strings.EqualFold(c.Room.Building, q.Room.Building) {
				continue
			}
			if len(q.Room.Rooms) > 0 && !slices.Contains(q.Room.Rooms, c.ID) {
				continue
			}
			b, err := s.busy(tx, slot{scopeRoom, c.ID}, q.From, q.To)
			if err != nil {
				return err
			}
			rms = append(rms, &avail{name: c.ID, free: subtract(whole, b), cap: c.Room.Capacity})
		}
		slices.SortStableFunc(rms, func(a, b *avail) int { return cmp.Compare(a.cap, b.cap) })
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("calendar: find a time: %w", err)
	}
	if q.Room != nil && len(rms) == 0 {
		return []Candidate{}, nil
	}
	// fits advances a's cursor (slots only move forward) and reports
	// whether [st, en) lies inside one free interval.
	fits := func(a *avail, st, en time.Time) bool {
		for a.i < len(a.free) && a.free[a.i].End.Before(en) {
			a.i++
		}
		return a.i < len(a.free) && !a.free[a.i].Start.After(st)
	}
	// The best q.Limit candidates so far, in a heap whose root is the
	// worst of them: slots come in start order, so a later slot must have
	// more optional attendees free to replace it. Memory is O(Limit)
	// whatever the window and step.
	best := &candHeap{}
	first := q.From.Truncate(q.Step)
	if first.Before(q.From) {
		first = first.Add(q.Step)
	}
	for st := first; !st.Add(q.Duration).After(q.To); st = st.Add(q.Step) {
		en := st.Add(q.Duration)
		ok := true
		for _, a := range req {
			if !fits(a, st, en) {
				ok = false
				break
			}
		}
		if !ok {
			continue
		}
		nr := 0
		for _, r := range rms {
			if fits(r, st, en) {
				nr++
			}
		}
		if q.Room != nil && nr == 0 {
			continue
		}
		free := 0
		for _, a := range opt {
			if fits(a, st, en) {
				free++
			}
		}
		if best.Len() == q.Limit && free <= best.items[0].free {
			continue
		}
		// fits is idempotent for one slot: build the names now.
		c := Candidate{Start: st, End: en, OptionalFree: []string{}, OptionalBusy: []string{}}
		for _, r := range rms {
			if fits(r, st, en) {
				c.Rooms = append(c.Rooms, r.name)
			}
		}
		for _, a := range opt {
			if fits(a, st, en) {
				c.OptionalFree = append(c.OptionalFree, a.name)
			} else {
				c.OptionalBusy = append(c.OptionalBusy, a.name)
			}
		}
		if best.Len() == q.Limit {
			heap.Pop(best)
		}
		heap.Push(best, ranked{c, free})
	}
	out := make([]Candidate, 0, best.Len())
	slices.SortFunc(best.items, func(a, b ranked) int {
		if a.free != b.free {
			return cmp.Compare(b.free, a.free)
		}
		return a.c.Start.Compare(b.c.Start)
	})
	for _, r := range best.items {
		out = append(out, r.c)
	}
	return out, nil
}

// ranked is a candidate with the number of optional attendees free.
type ranked struct {
	c    Candidate
	free int
}

// candHeap is a min-heap of candidates, the worst at the root: fewer
// optional attendees free, then later.
type candHeap struct{ items []ranked }

func (h *candHeap) Len() int { return len(h.items) }
func (h *candHeap) Less(i, j int) bool {
	a, b := h.items[i], h.items[j]
	if a.free != b.free {
		return a.free < b.free
	}
	return a.c.Start.After(b.c.Start)
}
func (h *candHeap) Swap(i, j int) { h.items[i], h.items[j] = h.items[j], h.items[i] }
func (h *candHeap) Push(x any)    { h.items = append(h.items, x.(ranked)) }
func (h *candHeap) Pop() any {
	x := h.items[len(h.items)-1]
	h.items = h.items[:len(h.items)-1]
	return x
}
