package calendar

// Key layout (all under "calendar", built with internal/keys):
//
//	cal/<cal>                      Calendar (JSON)
//	acl/<cal>/<user>               role granted (1 byte)
//	list/<user>/<cal>              "owned" or "subscribed"
//	pub/<cal>, room/<cal>          discoverable calendars, rooms
//	ev/<event>                     Event (JSON)
//	uid/<cal>/<uid>                event id of an iCalendar UID
//	tm/<event>                     a series' timing, for free/busy (timing.go)
//	ix/<scope>/<owner>/s/<start>/<event>   single event span
//	ix/<scope>/<owner>/r/<event>           series span
//	md/<scope>/<owner>             longest single event in that index
//	ck/<actor>/<what>/<key>        id created with a client key ("cal", "ev")
//
// scope is "c" (a calendar's events), "u" (a person's: invitations and
// their personal calendars' events) or "r" (a room's bookings). Span values
// are fixed-width binary (start, end, flags, revision) so free/busy reads
// them without decoding events; series are expanded from the event record,
// compiled once per revision and cached.

import (
	"bytes"
	"encoding/binary"
	"errors"
	"math"
	"slices"
	"time"

	"github.com/workspace-go/workspace/internal/keys"
	"github.com/workspace-go/workspace/internal/record"
	"github.com/workspace-go/workspace/store"
)

func calKey(id string) []byte         { return keys.New("calendar", "cal", id) }
func aclKey(cal, user string) []byte  { return keys.New("calendar", "acl", cal, user) }
func listKey(user, cal string) []byte { return keys.New("calendar", "list", user, cal) }
func evKey(id string) []byte          { return keys.New("calendar", "ev", id) }
func uidKey(cal, uid string) []byte   { return keys.New("calendar", "uid", cal, uid) }
func ckKey(actor, what, key string) []byte {
	return keys.New("calendar", "ck", actor, what, key)
}

// clientKeyID returns the id an earlier create by actor made with key.
func clientKeyID(tx store.Tx, actor, what, key string) (string, bool, error) {
	v, err := tx.Get(ckKey(actor, what, key))
	switch {
	case err == nil:
		return string(v), true, nil
	case errors.Is(err, store.ErrNotFound):
		return "", false, nil
	}
	return "", false, err
}

// Index scopes.
const (
	scopeCal  = "c"
	scopeUser = "u"
	scopeRoom = "r"
)

func singlePrefix(scope, owner string) []byte {
	return keys.New("calendar", "ix", scope, owner, "s")
}

func singleKey(scope, owner string, start time.Time, id string) []byte {
	return keys.Append(keys.AppendTime(singlePrefix(scope, owner), start), id)
}

func seriesPrefix(scope, owner string) []byte {
	return keys.New("calendar", "ix", scope, owner, "r")
}

func mdKey(scope, owner string) []byte { return keys.New("calendar", "md", scope, owner) }

// Span flags.
const (
	flagTransparent = 1 << iota
	flagDeclined
)

type span struct {
	start, end time.Time
	flags      byte
	rev        uint64
}

// nanos is t in Unix nanoseconds, clamped to the representable years
// (1678 to 2262): a series ending later is indexed as never ending.
func nanos(t time.Time) int64 {
	switch {
	case t.After(maxTime):
		return math.MaxInt64
	case t.Before(minTime):
		return math.MinInt64
	}
	return t.UnixNano()
}

var minTime = time.Unix(0, math.MinInt64).UTC()

func (s span) encode() []byte {
	b := make([]byte, 25)
	binary.BigEndian.PutUint64(b[0:], uint64(nanos(s.start)))
	binary.BigEndian.PutUint64(b[8:], uint64(nanos(s.end)))
	b[16] = s.flags
	binary.BigEndian.PutUint64(b[17:], s.rev)
	return b
}

func decodeSpan(b []byte) (span, bool) {
	if len(b) != 25 {
		return span{}, false
	}
	return span{
		start: time.Unix(0, int64(binary.BigEndian.Uint64(b[0:]))).UTC(),
		end:   time.Unix(0, int64(binary.BigEndian.Uint64(b[8:]))).UTC(),
		flags: b[16],
		rev:   binary.BigEndian.Uint64(b[17:]),
	}, true
}

type slot struct{ scope, owner string }

// participants returns the indexes an event belongs to, with their flags.
func participants(ev *Event, cal *Calendar) map[slot]byte {
	var tr byte
	if ev.Transparency == Transparent {
		tr = flagTransparent
	}
	m := map[slot]byte{{scopeCal, ev.CalendarID}: tr}
	if cal.Kind == Personal {
		m[slot{scopeUser, cal.Owner}] = tr
	}
	for _, a := range ev.Attendees {
		f := tr
		if a.Status == Declined {
			f |= flagDeclined
		}
		m[slot{scopeUser, a.User}] = f
	}
	for _, r := range ev.Rooms {
		m[slot{scopeRoom, r}] = 0
	}
	return m
}

func indexKey(sl slot, ev *Event) []byte {
	if ev.Recurrence == nil {
		return singleKey(sl.scope, sl.owner, ev.Start, ev.ID)
	}
	return keys.Append(seriesPrefix(sl.scope, sl.owner), ev.ID)
}

func (s *Service) removeEvent(tx store.Tx, ev *Event, cal *Calendar) error {
	for sl := range participants(ev, cal) {
		if err := tx.Delete(indexKey(sl, ev)); err != nil {
			return err
		}
	}
	if err := tx.Delete(uidKey(ev.CalendarID, ev.UID)); err != nil {
		return err
	}
	if err := tx.Delete(tmKey(ev.ID)); err != nil {
		return err
	}
	if err := disarm(tx, ev.ID); err != nil {
		return err
	}
	return tx.Delete(evKey(ev.ID))
}

// writeEvent stores c's event and its index entries, replacing old's.
func (s *Service) writeEvent(tx store.Tx, old *Event, c *compiled, cal *Calendar) error {
	if old != nil {
		if err := s.removeEvent(tx, old, cal); err != nil {
			return err
		}
	}
	ev := c.ev
	if err := record.Put(tx, evKey(ev.ID), ev); err != nil {
		return err
	}
	if err := tx.Put(uidKey(ev.CalendarID, ev.UID), []byte(ev.ID)); err != nil {
		return err
	}
	if ev.Recurrence != nil {
		if err := record.Put(tx, tmKey(ev.ID), timingOf(ev)); err != nil {
			return err
		}
	}
	if err := s.arm(tx, c, cal); err != nil {
		return err
	}
	sp := span{start: c.first, end: c.last, rev: ev.Revision}
	for sl, f := range participants(ev, cal) {
		sp.flags = f
		if err := tx.Put(indexKey(sl, ev), sp.encode()); err != nil {
			return err
		}
		if ev.Recurrence == nil {
			if err := raiseMaxDur(tx, sl, c.last.Sub(c.first)); err != nil {
				return err
			}
		}
	}
	return nil
}

func raiseMaxDur(tx store.Tx, sl slot, d time.Duration) error {
	k := mdKey(sl.scope, sl.owner)
	if cur := maxDur(tx, sl); cur >= d {
		return nil
	}
	var b [8]byte
	binary.BigEndian.PutUint64(b[:], uint64(d))
	return tx.Put(k, b[:])
}

func maxDur(tx store.Tx, sl slot) time.Duration {
	v, err := tx.Get(mdKey(sl.scope, sl.owner))
	if err != nil || len(v) != 8 {
		return 0
	}
	return time.Duration(binary.BigEndian.Uint64(v))
}

// entry is an index entry read back: a single event's span, or a series.
type entry struct {
	id     string
	span   span
	series bool
}

// scanIndex returns the index entries of sl that may overlap [from, to):
// singles by a range scan on start (back by the longest single event), all
// series whose span overlaps.
func scanIndex(tx store.Tx, sl slot, from, to time.Time) ([]entry, error) {
	var out []entry
	p := singlePrefix(sl.scope, sl.owner)
	lo := keys.AppendTime(slices.Clip(p), from.Add(-maxDur(tx, sl)))
	hi := keys.AppendTime(slices.Clip(p), to)
	for k, v := range tx.Scan(store.Range{Start: lo, End: hi}) {
		sp, ok := decodeSpan(v)
		if !ok || !sp.end.After(from) && !(sp.end.Equal(sp.start) && !sp.start.Before(from)) {
			continue
		}
		id, err := lastPart(k)
		if err != nil {
			return nil, err
		}
		out = append(out, entry{id: id, span: sp})
	}
	for k, v := range tx.Scan(store.Prefix(seriesPrefix(sl.scope, sl.owner))) {
		sp, ok := decodeSpan(v)
		if !ok || !sp.start.Before(to) || sp.end.Before(from) {
			continue
		}
		id, err := lastPart(k)
		if err != nil {
			return nil, err
		}
		out = append(out, entry{id: id, span: sp, series: true})
	}
	return out, nil
}

// indexPrefix is the prefix of every entry (single and series) of sl.
func indexPrefix(sl slot) []byte { return keys.New("calendar", "ix", sl.scope, sl.owner) }

// lastPart returns the last part of a key built by internal/keys. Fast
// path: a last part without 0x00 bytes (ids never hold one) is the bytes
// between the last two terminators.
func lastPart(k []byte) (string, error) {
	n := len(k)
	if n >= 2 && k[n-2] == 0 && k[n-1] == 1 {
		i := bytes.LastIndexByte(k[:n-2], 0)
		if i >= 0 && i+1 < n-2 && k[i+1] == 1 {
			return string(k[i+2 : n-2]), nil
		}
	}
	return keys.Last(k)
}
