package calendar

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/workspace-go/workspace/internal/recur"
)

// maxTime stands for "no end" in series spans.
var maxTime = time.Unix(0, math.MaxInt64).UTC()

// compiled is an event ready to expand: its zone, its rule compiled, its
// exceptions by original start, and the span its instances cover.
type compiled struct {
	ev   *Event
	loc  *time.Location
	set  *recur.Set // nil for a single event
	dur  time.Duration
	days int // all-day length in days
	exc  map[int64]*Exception
	// answers is set when some instance has its own RSVPs.
	answers bool
	// partial is set when ev holds only the timing (see timing.go).
	partial bool
	// booking is the room check's plan (see prepareBooking); only a
	// compiled event of one call's own has one, never a cached one.
	booking *booking
	// first is the earliest instance start, last the latest instance end
	// (maxTime when the series never ends).
	first, last time.Time

	// blocks memoises the rule's instance starts (Unix ns) per block of
	// blockSpan, so repeated window queries over the same weeks (free/busy,
	// find-a-time) cost a binary search instead of an expansion.
	mu     sync.Mutex
	blocks map[int64][]int64
	uses   int
}

const (
	blockSpan      = 14 * 24 * time.Hour
	maxBlocks      = 52   // per series (two years); then the memo starts over
	maxBlockStarts = 2048 // denser blocks are not memoised
)

// starts returns the instance starts t with lo <= t < to, the first limit
// of them.
func (c *compiled) starts(lo, to time.Time, limit int) []time.Time {
	if to.Sub(lo) > 4*blockSpan || lo.Year() < 1700 || to.Year() > 2200 { // UnixNano's range
		return c.set.Between(lo, to, limit)
	}
	// A series read once (a cold cache, a write path) expands just the
	// window; memoising blocks pays from the second read on.
	c.mu.Lock()
	c.uses++
	first := c.uses == 1
	c.mu.Unlock()
	if first {
		return c.set.Between(lo, to, limit)
	}
	loN, toN := lo.UnixNano(), to.UnixNano()
	var out []time.Time
	for b := floorDiv(loN, int64(blockSpan)); b*int64(blockSpan) < toN; b++ {
		starts, ok := c.block(b)
		if !ok {
			return c.set.Between(lo, to, limit)
		}
		i, _ := slices.BinarySearch(starts, loN)
		for ; i < len(starts) && starts[i] < toN; i++ {
			if len(out) == limit {
				return out
			}
			out = append(out, time.Unix(0, starts[i]).In(c.loc))
		}
	}
	return out
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && a < 0 {
		q--
	}
	return q
}

// block returns the memoised starts of block b, computing them once.
func (c *compiled) block(b int64) ([]int64, bool) {
	c.mu.Lock()
	starts, ok := c.blocks[b]
	c.mu.Unlock()
	if ok {
		return starts, starts != nil
	}
	from := time.Unix(0, b*int64(blockSpan))
	ts := c.set.Between(from, from.Add(blockSpan), maxBlockStarts+1)
	if len(ts) <= maxBlockStarts {
		starts = make([]int64, len(ts))
		for i, t := range ts {
			starts[i] = t.UnixNano()
		}
	}
	c.mu.Lock()
	if c.blocks == nil || len(c.blocks) >= maxBlocks {
		c.blocks = make(map[int64][]int64)
	}
	c.blocks[b] = starts
	c.mu.Unlock()
	return starts, starts != nil
}

// occurrence is one instance of an event.
type occurrence struct {
	orig, start, end time.Time
	exc              *Exception
}

func compile(ev *Event) (*compiled, error) { return compileSpan(ev, nil) }

// compileSpan is compile with the span already known (from the index),
// which saves searching for the last instance.
func compileSpan(ev *Event, known *span) (*compiled, error) {
	loc, err := loadZone(ev.TimeZone)
	if err != nil {
		return nil, err
	}
	c := &compiled{ev: ev, loc: loc, dur: ev.End.Sub(ev.Start)}
	if ev.AllDay {
		c.days = int(math.Round(c.dur.Hours() / 24))
		if c.days < 1 {
			c.days = 1
		}
	}
	c.first, c.last = ev.Start, ev.End
	if ev.Recurrence == nil {
		return c, nil
	}
	set, err := recur.Compile(recur.Series{
		Start: ev.Start, AllDay: ev.AllDay, RRule: ev.Recurrence.RRule,
		RDates: ev.Recurrence.RDates, ExDates: ev.Recurrence.ExDates,
	})
	if err != nil {
		return nil, recurError(err)
	}
	c.set = set
	switch {
	case known != nil:
		c.first, c.last = known.start, known.end
	case set.Finite():
		c.last = c.endOf(ev.Start)
		if lastStart, ok := set.Last(); ok {
			c.last = c.endOf(lastStart)
		}
	default:
		c.last = maxTime
	}
	if len(ev.Exceptions) > 0 {
		c.exc = make(map[int64]*Exception, len(ev.Exceptions))
	}
	for i := range ev.Exceptions {
		x := &ev.Exceptions[i]
		c.exc[x.OriginalStart.UnixNano()] = x
		if len(x.Responses) > 0 {
			c.answers = true
		}
		if x.Cancelled || known != nil {
			continue
		}
		s, e := c.times(x.OriginalStart, x)
		if s.Before(c.first) {
			c.first = s
		}
		if e.After(c.last) {
			c.last = e
		}
	}
	return c, nil
}

// recurError rewraps an internal/recur error (which names the rule) with
// this package's sentinel, dropping the duplicate "invalid argument".
func recurError(err error) error {
	msg := strings.TrimSuffix(err.Error(), ": "+recur.ErrInvalid.Error())
	return fmt.Errorf("%s: %w", msg, ErrBadRecurrence)
}

func (c *compiled) inZone(t time.Time) time.Time {
	if c.ev.AllDay {
		return dateIn(t, c.loc)
	}
	return t.In(c.loc)
}

func (c *compiled) endOf(start time.Time) time.Time {
	if c.ev.AllDay {
		return start.AddDate(0, 0, c.days)
	}
	return start.Add(c.dur)
}

// times returns an instance's start and end after its exception (if any).
func (c *compiled) times(orig time.Time, x *Exception) (time.Time, time.Time) {
	s, e := orig, c.endOf(orig)
	if x != nil {
		if x.Start != nil {
			s = *x.Start
			if x.End == nil {
				e = s.Add(e.Sub(orig))
			}
		}
		if x.End != nil {
			e = *x.End
		}
	}
	return s, e
}

// isInstance reports whether t is the original start of an instance.
func (c *compiled) isInstance(t time.Time) bool {
	if c.set == nil {
		return t.Equal(c.ev.Start)
	}
	return len(c.set.Between(t, t.Add(1), 1)) == 1
}

// checkChange validates an instance change against the event's kind.
func (c *compiled) checkChange(ch *InstanceChange) error {
	if ch.Start != nil {
		t := c.inZone(*ch.Start)
		ch.Start = &t
	}
	if ch.End != nil {
		t := c.inZone(*ch.End)
		ch.End = &t
	}
	if ch.Start != nil && ch.End != nil && ch.End.Before(*ch.Start) || (c.ev.AllDay && ch.Start != nil && ch.End != nil && !ch.End.After(*ch.Start)) {
		return fmt.Errorf("instance end %v before start %v: %w", *ch.End, *ch.Start, ErrBadTime)
	}
	if ch.Transparency != nil && *ch.Transparency != Opaque && *ch.Transparency != Transparent {
		return fmt.Errorf("transparency %q: %w", *ch.Transparency, ErrInvalid)
	}
	if ch.Title != nil && len(*ch.Title) > MaxTitle || ch.Description != nil && len(*ch.Description) > MaxDescription {
		return fmt.Errorf("instance text too long: %w", ErrInvalid)
	}
	return nil
}

// maxInstances bounds one expansion, so a minutely rule over a year-long
// window cannot eat the machine.
const maxInstances = 100_000

// occurrences returns the instances overlapping [from, to), in start order,
// at most maxInstances of the rule's.
func (c *compiled) occurrences(from, to time.Time) []occurrence {
	out, _ := c.occurrencesN(from, to, time.Time{}, maxInstances)
	return out
}

// occurrencesN returns the instances overlapping [from, to), in start
// order, expanding the rule from no earlier than after (zero: the window's
// start) and at most limit instances of it; cut, when not zero, reports
// that the rule has further instances in the window after cut (the last
// rule instance looked at), not returned. Changed instances moved into
// the window are always returned (there are at most MaxExceptions). An
// instance overlaps when it starts before to and ends after from (a
// zero-length instance when it starts in the window).
func (c *compiled) occurrencesN(from, to, after time.Time, limit int) (out []occurrence, cut time.Time) {
	overlaps := func(s, e time.Time) bool {
		if !s.Before(to) {
			return false
		}
		return e.After(from) || (e.Equal(s) && !s.Before(from))
	}
	if c.set == nil {
		if overlaps(c.ev.Start, c.ev.End) {
			return []occurrence{{orig: c.ev.Start, start: c.ev.Start, end: c.ev.End}}, time.Time{}
		}
		return nil, time.Time{}
	}
	if !c.first.Before(to) || c.last.Before(from) {
		return nil, time.Time{}
	}
	lead := c.dur
	if c.ev.AllDay {
		lead = time.Duration(c.days)*24*time.Hour + 2*time.Hour // DST-long days
	}
	lo := from.Add(-lead)
	limit = min(limit, recur.MaxInstances-1) // so that limit+1 can tell "more"
	rlo := lo
	if after.After(rlo) {
		rlo = after
	}
	starts := c.starts(rlo, to, limit+1)
	seenTo := to // rule instances in [rlo, seenTo) are all in starts
	if len(starts) > limit {
		starts, cut = starts[:limit], starts[limit-1]
		seenTo = cut.Add(1)
	}
	out = make([]occurrence, 0, len(starts))
	for _, o := range starts {
		x := c.exc[o.UnixNano()]
		if x != nil && x.Cancelled {
			continue
		}
		s, e := c.times(o, x)
		if overlaps(s, e) {
			out = append(out, occurrence{orig: o, start: s, end: e, exc: x})
		}
	}
	// Instances moved into the window from outside it.
	moved := false
	for _, x := range c.ev.Exceptions {
		if x.Cancelled || x.Start == nil && x.End == nil || !x.changed() {
			continue
		}
		if !x.OriginalStart.Before(rlo) && x.OriginalStart.Before(seenTo) {
			continue // seen above
		}
		s, e := c.times(x.OriginalStart, &x)
		if overlaps(s, e) && c.isInstance(x.OriginalStart) {
			xx := c.exc[x.OriginalStart.UnixNano()]
			out = append(out, occurrence{orig: x.OriginalStart, start: s, end: e, exc: xx})
			moved = true
		}
	}
	if moved {
		slices.SortStableFunc(out, func(a, b occurrence) int { return a.start.Compare(b.start) })
	}
	return out, cut
}
