package calendar

import (
	"errors"
	"time"

	"github.com/workspace-go/workspace/internal/keys"
	"github.com/workspace-go/workspace/store"
)

// timing is what free/busy and room checks need of a series, stored
// beside the event ("tm/<event>") in a form that decodes several times
// faster than the event: times as Unix nanoseconds, no text.
type timing struct {
	Start  int64     `json:"s"`
	End    int64     `json:"e"`
	Zone   string    `json:"z"`
	AllDay bool      `json:"a,omitempty"`
	Free   bool      `json:"f,omitempty"`
	RRule  string    `json:"r,omitempty"`
	RDates []int64   `json:"rd,omitempty"`
	ExDate []int64   `json:"xd,omitempty"`
	Exc    []xtiming `json:"x,omitempty"`
	Rev    uint64    `json:"v"`
}

type xtiming struct {
	Orig      int64           `json:"o"`
	Cancelled bool            `json:"c,omitempty"`
	Start     *int64          `json:"s,omitempty"`
	End       *int64          `json:"e,omitempty"`
	Free      *bool           `json:"f,omitempty"`
	Responses map[string]RSVP `json:"r,omitempty"`
}

func tmKey(id string) []byte { return keys.New("calendar", "tm", id) }

func nanosOf(ts []time.Time) []int64 {
	if len(ts) == 0 {
		return nil
	}
	out := make([]int64, len(ts))
	for i, t := range ts {
		out[i] = t.UnixNano()
	}
	return out
}

func timingOf(ev *Event) timing {
	tm := timing{
		Start: ev.Start.UnixNano(), End: ev.End.UnixNano(), Zone: ev.TimeZone, AllDay: ev.AllDay,
		Free: ev.Transparency == Transparent, RRule: ev.Recurrence.RRule,
		RDates: nanosOf(ev.Recurrence.RDates), ExDate: nanosOf(ev.Recurrence.ExDates), Rev: ev.Revision,
	}
	for _, x := range ev.Exceptions {
		xt := xtiming{Orig: x.OriginalStart.UnixNano(), Cancelled: x.Cancelled, Responses: x.Responses}
		if x.Start != nil {
			n := x.Start.UnixNano()
			xt.Start = &n
		}
		if x.End != nil {
			n := x.End.UnixNano()
			xt.End = &n
		}
		if x.Transparency != nil {
			f := *x.Transparency == Transparent
			xt.Free = &f
		}
		tm.Exc = append(tm.Exc, xt)
	}
	return tm
}

// event rebuilds the timing part of the event (no text, no people).
func (tm *timing) event(id string) (*Event, error) {
	loc, err := loadZone(tm.Zone)
	if err != nil {
		return nil, err
	}
	at := func(n int64) time.Time { return time.Unix(0, n).In(loc) }
	times := func(ns []int64) []time.Time {
		if len(ns) == 0 {
			return nil
		}
		out := make([]time.Time, len(ns))
		for i, n := range ns {
			out[i] = at(n)
		}
		return out
	}
	ev := &Event{
		ID: id, Start: at(tm.Start), End: at(tm.End), TimeZone: tm.Zone, AllDay: tm.AllDay,
		Transparency: Opaque, Revision: tm.Rev,
		Recurrence: &Recurrence{RRule: tm.RRule, RDates: times(tm.RDates), ExDates: times(tm.ExDate)},
	}
	if tm.Free {
		ev.Transparency = Transparent
	}
	for _, xt := range tm.Exc {
		x := Exception{OriginalStart: at(xt.Orig), Cancelled: xt.Cancelled, Responses: xt.Responses}
		if xt.Start != nil {
			t := at(*xt.Start)
			x.Start = &t
		}
		if xt.End != nil {
			t := at(*xt.End)
			x.End = &t
		}
		if xt.Free != nil {
			tr := Opaque
			if *xt.Free {
				tr = Transparent
			}
			x.Transparency = &tr
		}
		ev.Exceptions = append(ev.Exceptions, x)
	}
	return ev, nil
}

// loadTiming returns series id compiled for free/busy: from the cache
// (full or timing-only) when its revision is rev, else from its timing
// record, else from the event.
func (s *Service) loadTiming(tx store.Tx, id string, rev uint64, sp *span, cache bool) (*compiled, error) {
	if c := s.cached(id, rev, false); c != nil {
		return c, nil
	}
	v, err := tx.Get(tmKey(id))
	if errors.Is(err, store.ErrNotFound) {
		return s.load(tx, id, rev, sp, cache)
	}
	if err != nil {
		return nil, err
	}
	var tm timing
	if err := decodeTiming(v, &tm); err != nil {
		return nil, err
	}
	if tm.Rev != rev {
		return s.load(tx, id, rev, sp, cache)
	}
	ev, err := tm.event(id)
	if err != nil {
		return nil, err
	}
	c, err := compileSpan(ev, sp)
	if err != nil {
		return nil, err
	}
	c.partial = true
	if cache {
		s.remember(c)
	}
	return c, nil
}
