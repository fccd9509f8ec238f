package calendar

// Reminder keys (under "calendar"):
//
//	rm/<due>/<event>                       the event's next reminder check
//	rn/<event>                             that due (8 bytes), to move it
//	rs/<event>/<instance>/<user>/<trigger> a reminder emitted (Sweep)
//
// The rm and rn entries are written in the event's own transactions
// (writeEvent, removeEvent) and moved by Sweep; rs entries only by Sweep.

import (
	"encoding/binary"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/workspace-go/workspace/internal/keys"
	"github.com/workspace-go/workspace/store"
)

var remindPrefix = keys.New("calendar", "rm")

func remindKey(due time.Time, id string) []byte {
	return keys.Append(keys.AppendTime(keys.New("calendar", "rm"), due), id)
}
func remindNextKey(id string) []byte { return keys.New("calendar", "rn", id) }
func sentPrefix(id string) []byte    { return keys.New("calendar", "rs", id) }
func sentKey(id string, inst time.Time, user, trigger string) []byte {
	return keys.Append(keys.Append(keys.AppendTime(sentPrefix(id), inst), user), trigger)
}

// planInstances is how many instances of a series one plan looks at; a
// denser series is planned again from where it was cut.
const planInstances = 64

// zoneSlack is the most a date's midnight in some zone is before its
// midnight in UTC (UTC+14), plus a DST hour.
const zoneSlack = 15 * time.Hour

// earliestZone is the zone where a date starts first: arming an all-day
// event uses it, so that its index entry is never later than the
// reminder of an attendee anywhere.
var earliestZone = time.FixedZone("UTC+14", 14*3600)

// firing is one reminder of one instance for one user.
type firing struct {
	orig, start, end time.Time
	exc              *Exception
	user             string
	rem              Reminder
	due              time.Time
}

func (f *firing) trigger() string {
	if !f.rem.At.IsZero() {
		return "at" + strconv.FormatInt(f.rem.At.UnixNano(), 10)
	}
	return "m" + strconv.Itoa(f.rem.Minutes)
}

type recipient struct {
	user string
	rems []Reminder
}

// recipients returns the organizer and the attendees who have not
// declined the series, with their reminders; none when nobody has any.
func recipients(ev *Event, cal *Calendar) []recipient {
	var out []recipient
	seen := map[string]bool{}
	add := func(u string) {
		if u == "" || seen[u] {
			return
		}
		seen[u] = true
		if rs := remindersFor(ev, cal, u); len(rs) > 0 {
			out = append(out, recipient{u, rs})
		}
	}
	for _, a := range ev.Attendees {
		if a.Status == Declined {
			seen[a.User] = true
		}
	}
	add(ev.Organizer)
	for _, a := range ev.Attendees {
		add(a.User)
	}
	return out
}

// plan returns the reminders of c due at now whose instance has not
// ended (at most planInstances instances of a series), and the next time
// a reminder may be due after now (zero: never). zone gives a user's zone
// for all-day events.
func plan(c *compiled, rs []recipient, now time.Time, zone func(string) *time.Location) (due []firing, next time.Time) {
	if len(rs) == 0 {
		return nil, time.Time{}
	}
	maxOff := 0
	var abs bool
	for _, r := range rs {
		for _, m := range r.rems {
			if m.At.IsZero() {
				maxOff = max(maxOff, m.Minutes)
			} else {
				abs = true
			}
		}
	}
	lead := time.Duration(maxOff)*time.Minute + zoneSlack + 48*time.Hour
	consider := func(t time.Time) {
		if t.After(now) && (next.IsZero() || t.Before(next)) {
			next = t
		}
	}
	win := now.Add(lead)
	occs, cut := c.occurrencesN(now, win, time.Time{}, planInstances)
	for _, o := range occs {
		for _, r := range rs {
			for _, m := range r.rems {
				if !m.At.IsZero() {
					continue
				}
				var d time.Time
				if c.ev.AllDay {
					y, mo, dd := o.start.In(c.loc).Date()
					d = time.Date(y, mo, dd, 0, 0, 0, 0, zone(r.user))
				} else {
					d = o.start
				}
				d = d.Add(-time.Duration(m.Minutes) * time.Minute)
				if d.After(now) {
					consider(d)
					continue
				}
				due = append(due, firing{orig: o.orig, start: o.start, end: o.end, exc: o.exc, user: r.user, rem: m, due: d})
			}
		}
	}
	if abs {
		firstEnd := c.endOf(c.ev.Start)
		for _, r := range rs {
			for _, m := range r.rems {
				if m.At.IsZero() || !firstEnd.After(now) {
					continue
				}
				if m.At.After(now) {
					consider(m.At)
					continue
				}
				due = append(due, firing{orig: c.ev.Start, start: c.ev.Start, end: firstEnd, exc: c.exc[c.ev.Start.UnixNano()], user: r.user, rem: m, due: m.At})
			}
		}
	}
	if !cut.IsZero() {
		t := cut.Add(-lead + 48*time.Hour)
		if !t.After(now) {
			t = now.Add(time.Second)
		}
		consider(t)
	} else if c.set == nil && !c.ev.Start.Before(win) {
		consider(c.ev.Start.Add(-lead + 48*time.Hour))
	} else if c.set != nil && c.last.After(win) {
		if later, _ := c.occurrencesN(win, win.Add(10*366*24*time.Hour), win, 1); len(later) > 0 {
			consider(later[0].start.Add(-lead + 48*time.Hour))
		}
	}
	slices.SortStableFunc(due, func(a, b firing) int { return a.due.Compare(b.due) })
	return due, next
}

// arm writes c's reminder index entry for the time its next reminder may
// be due (now, when one is due already), replacing the old one.
func (s *Service) arm(tx store.Tx, c *compiled, cal *Calendar) error {
	if err := disarm(tx, c.ev.ID); err != nil {
		return err
	}
	now := s.now()
	due, next := plan(c, recipients(c.ev, cal), now, func(string) *time.Location { return earliestZone })
	if len(due) > 0 {
		next = now
	}
	return setNext(tx, c.ev.ID, next)
}

func setNext(tx store.Tx, id string, next time.Time) error {
	if next.IsZero() {
		return nil
	}
	var b [8]byte
	binary.BigEndian.PutUint64(b[:], uint64(next.UnixNano()))
	if err := tx.Put(remindNextKey(id), b[:]); err != nil {
		return err
	}
	return tx.Put(remindKey(next, id), []byte{1})
}

// disarm removes event id's reminder index entry.
func disarm(tx store.Tx, id string) error {
	v, err := tx.Get(remindNextKey(id))
	switch {
	case errors.Is(err, store.ErrNotFound):
		return nil
	case err != nil:
		return err
	case len(v) != 8:
		return fmt.Errorf("malformed reminder entry of %q: %w", id, store.ErrInvalid)
	}
	if err := tx.Delete(remindKey(time.Unix(0, int64(binary.BigEndian.Uint64(v))), id)); err != nil {
		return err
	}
	return tx.Delete(remindNextKey(id))
}
