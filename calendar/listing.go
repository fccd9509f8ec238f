package calendar

import (
	"context"
	"encoding/base64"
	"fmt"
	"slices"
	"strconv"

	"github.com/workspace-go/workspace/internal/keys"
	"github.com/workspace-go/workspace/store"
)

// listPos is where a page of a calendar listing ended: after id in part
// (0 or 1) of the listing.
type listPos struct {
	part int
	id   string
}

func (p listPos) String() string {
	return base64.RawURLEncoding.EncodeToString([]byte("l1." + strconv.Itoa(p.part) + "." + p.id))
}

func parseListPos(tok string) (listPos, error) {
	if tok == "" {
		return listPos{}, nil
	}
	parts, ok := tokenParts(tok, 3)
	if !ok || len(parts) != 3 || parts[0] != "l1" || parts[2] == "" || parts[1] != "0" && parts[1] != "1" {
		return listPos{}, fmt.Errorf("page %q: not a page of calendars: %w", tok, ErrInvalid)
	}
	return listPos{part: int(parts[1][0] - '0'), id: parts[2]}, nil
}

// scanAfter calls fn for each key under prefix whose last part is after
// the id after (all when after is ""), in key order, until fn says stop.
func scanAfter(tx store.Tx, prefix []byte, after string, fn func(id string, v []byte) (stop bool, err error)) error {
	r := store.Prefix(prefix)
	if after != "" {
		r.Start = keys.Append(slices.Clip(prefix), after)
	}
	for k, v := range tx.Scan(r) {
		id, err := keys.Last(k)
		if err != nil {
			return err
		}
		if id == after {
			continue
		}
		stop, err := fn(id, v)
		if err != nil || stop {
			return err
		}
	}
	return nil
}

// Discover lists the calendars anyone in the tenant may find, public
// calendars then rooms, a page at a time (in id order within each).
func (s *Service) Discover(ctx context.Context, actor string, p PageQuery) (store.Page[Calendar], error) {
	if err := s.checkActor(ctx, actor); err != nil {
		return store.Page[Calendar]{}, err
	}
	if err := p.check(); err != nil {
		return store.Page[Calendar]{}, fmt.Errorf("calendar: discover: %w", err)
	}
	pos, err := parseListPos(p.Page)
	if err != nil {
		return store.Page[Calendar]{}, fmt.Errorf("calendar: discover: %w", err)
	}
	var out store.Page[Calendar]
	err = s.st.View(ctx, func(tx store.Tx) error {
		out = store.Page[Calendar]{Items: []Calendar{}}
		var last listPos
		for part, name := range []string{"pub", "room"} {
			if part < pos.part {
				continue
			}
			after := ""
			if part == pos.part {
				after = pos.id
			}
			err := scanAfter(tx, keys.New("calendar", name), after, func(id string, _ []byte) (bool, error) {
				c, err := getCalendar(tx, id)
				if err != nil {
					return true, err
				}
				if part == 1 && c.Public {
					return false, nil // listed once, with the public ones
				}
				if len(out.Items) == p.Limit {
					out.Next = last.String()
					return true, nil
				}
				out.Items = append(out.Items, *c)
				last = listPos{part, id}
				return false, nil
			})
			if err != nil || out.Next != "" {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return store.Page[Calendar]{}, fmt.Errorf("calendar: discover: %w", err)
	}
	return out, nil
}

// RoomQuery asks for rooms: those with at least MinCapacity seats and
// every piece of Equipment (compared case-insensitively), a page at a time.
type RoomQuery struct {
	MinCapacity int      `json:"min_capacity,omitempty"`
	Equipment   []string `json:"equipment,omitempty"`
	PageQuery
}

// Rooms lists the room calendars matching q, in id order, a page at a
// time. Everyone in the tenant may list rooms.
func (s *Service) Rooms(ctx context.Context, actor string, q RoomQuery) (store.Page[Calendar], error) {
	if err := s.checkActor(ctx, actor); err != nil {
		return store.Page[Calendar]{}, err
	}
	if actor == "" {
		return store.Page[Calendar]{}, fmt.Errorf("calendar: rooms: empty actor: %w", ErrInvalid)
	}
	if err := q.check(); err != nil {
		return store.Page[Calendar]{}, fmt.Errorf("calendar: rooms: %w", err)
	}
	if len(q.Equipment) > MaxAttendees {
		return store.Page[Calendar]{}, fmt.Errorf("calendar: rooms: %d pieces of equipment, at most %d: %w", len(q.Equipment), MaxAttendees, ErrTooLarge)
	}
	pos, err := parseListPos(q.Page)
	if err != nil {
		return store.Page[Calendar]{}, fmt.Errorf("calendar: rooms: %w", err)
	}
	var out store.Page[Calendar]
	err = s.st.View(ctx, func(tx store.Tx) error {
		out = store.Page[Calendar]{Items: []Calendar{}}
		last := ""
		return scanAfter(tx, keys.New("calendar", "room"), pos.id, func(id string, _ []byte) (bool, error) {
			c, err := getCalendar(tx, id)
			if err != nil {
				return true, err
			}
			if c.Room.Capacity < q.MinCapacity || !c.Room.Has(q.Equipment) {
				return false, nil
			}
			if len(out.Items) == q.Limit {
				out.Next = listPos{0, last}.String()
				return true, nil
			}
			out.Items = append(out.Items, *c)
			last = id
			return false, nil
		})
	})
	if err != nil {
		return store.Page[Calendar]{}, fmt.Errorf("calendar: rooms: %w", err)
	}
	return out, nil
}

// CalendarList returns actor's calendars, owned ones and subscriptions
// actor still has a role on, in id order, a page at a time. A list holds
// at most [MaxListed] calendars.
func (s *Service) CalendarList(ctx context.Context, actor string, p PageQuery) (store.Page[ListEntry], error) {
	if err := s.checkActor(ctx, actor); err != nil {
		return store.Page[ListEntry]{}, err
	}
	if err := p.check(); err != nil {
		return store.Page[ListEntry]{}, fmt.Errorf("calendar: list of %q: %w", actor, err)
	}
	pos, err := parseListPos(p.Page)
	if err != nil {
		return store.Page[ListEntry]{}, fmt.Errorf("calendar: list of %q: %w", actor, err)
	}
	var out store.Page[ListEntry]
	err = s.st.View(ctx, func(tx store.Tx) error {
		out = store.Page[ListEntry]{Items: []ListEntry{}}
		last := ""
		return scanAfter(tx, keys.New("calendar", "list", actor), pos.id, func(id string, v []byte) (bool, error) {
			c, err := getCalendar(tx, id)
			if err != nil {
				return false, nil // deleted since
			}
			r := roleOn(tx, c, actor)
			if r < FreeBusy {
				return false, nil
			}
			if len(out.Items) == p.Limit {
				out.Next = listPos{0, last}.String()
				return true, nil
			}
			out.Items = append(out.Items, ListEntry{Calendar: *c, Role: r, Subscribed: string(v) == listSubscribed})
			last = id
			return false, nil
		})
	})
	if err != nil {
		return store.Page[ListEntry]{}, fmt.Errorf("calendar: list of %q: %w", actor, err)
	}
	return out, nil
}

// listed counts the calendars in user's list.
func listed(tx store.Tx, user string) int {
	n := 0
	for range tx.Scan(store.Prefix(keys.New("calendar", "list", user))) {
		n++
	}
	return n
}

// checkListRoom refuses to add a calendar to a full list.
func checkListRoom(tx store.Tx, user string) error {
	if n := listed(tx, user); n >= MaxListed {
		return fmt.Errorf("%q has %d calendars in their list, at most %d: %w", user, n, MaxListed, ErrTooLarge)
	}
	return nil
}
