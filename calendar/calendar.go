package calendar

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/workspace-go/workspace/internal/keys"
	"github.com/workspace-go/workspace/internal/record"
	"github.com/workspace-go/workspace/store"
)

// CalendarKind says what a calendar is for.
type CalendarKind string

// Calendar kinds.
const (
	// Personal is a person's own calendar.
	Personal CalendarKind = "personal"
	// Shared is a calendar kept by a team (trips, holidays, on-call).
	Shared CalendarKind = "shared"
	// Resource is a meeting room's calendar: events land on it by booking
	// the room, never directly.
	Resource CalendarKind = "resource"
)

// Role is an access level on a calendar. Roles are ordered: a higher role
// can do everything a lower one can.
type Role int

// Roles, lowest first.
const (
	// NoRole is no access at all.
	NoRole Role = iota
	// FreeBusy sees only when the calendar is busy: never titles,
	// descriptions, locations or attendees.
	FreeBusy
	// Reader sees event details, except private events' details.
	Reader
	// Writer creates, changes and deletes events and sees everything.
	Writer
	// Owner also shares the calendar and changes its settings.
	Owner
)

var roleNames = [...]string{"none", "freebusy", "reader", "writer", "owner"}

// String returns the role's name ("freebusy", "reader", ...).
func (r Role) String() string {
	if r < 0 || int(r) >= len(roleNames) {
		return fmt.Sprintf("role(%d)", int(r))
	}
	return roleNames[r]
}

func (r Role) valid() bool { return r >= NoRole && r <= Owner }

// MarshalText encodes the role as its name, so that it is a string in
// JSON ("reader").
func (r Role) MarshalText() ([]byte, error) {
	if !r.valid() {
		return nil, fmt.Errorf("calendar: role %d: %w", int(r), ErrInvalid)
	}
	return []byte(r.String()), nil
}

// UnmarshalText decodes a role's name.
func (r *Role) UnmarshalText(b []byte) error {
	i := slices.Index(roleNames[:], string(b))
	if i < 0 {
		return fmt.Errorf("calendar: role %q: %w", b, ErrInvalid)
	}
	*r = Role(i)
	return nil
}

// UnmarshalJSON decodes a role's name, or the number calendars stored
// before roles were strings.
func (r *Role) UnmarshalJSON(b []byte) error {
	if len(b) > 0 && b[0] != '"' {
		var n int
		if err := json.Unmarshal(b, &n); err != nil || !Role(n).valid() {
			return fmt.Errorf("calendar: role %s: %w", b, ErrInvalid)
		}
		*r = Role(n)
		return nil
	}
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("calendar: role %s: %w", b, ErrInvalid)
	}
	return r.UnmarshalText([]byte(s))
}

// Room describes a meeting room; it is set on resource calendars.
type Room struct {
	Name      string   `json:"name"`
	Building  string   `json:"building,omitempty"`
	Floor     string   `json:"floor,omitempty"`
	Capacity  int      `json:"capacity,omitempty"`
	Equipment []string `json:"equipment,omitempty"` // "projector", "video", "whiteboard", ...
}

// Has reports whether the room has every piece of equipment in need
// (compared case-insensitively).
func (r *Room) Has(need []string) bool {
	for _, n := range need {
		if !slices.ContainsFunc(r.Equipment, func(e string) bool { return strings.EqualFold(e, n) }) {
			return false
		}
	}
	return true
}

// Calendar is a named set of events with an owner and access roles.
type Calendar struct {
	ID          string       `json:"id"`
	Kind        CalendarKind `json:"kind"`
	Name        string       `json:"name"`
	Description string       `json:"description,omitempty"`
	Owner       string       `json:"owner"`
	// TimeZone is the IANA zone new events default to ("UTC" when empty).
	TimeZone string `json:"tz"`
	// Public makes the calendar discoverable by everyone in the tenant
	// (Discover) and lets them subscribe with DefaultRole.
	Public bool `json:"public,omitempty"`
	// DefaultRole is what everyone in the tenant gets without a grant.
	// Zero means: FreeBusy for personal and resource calendars (so
	// colleagues and find-a-time see when people and rooms are busy),
	// Reader for public shared calendars, nothing for private shared ones.
	DefaultRole Role `json:"default_role"`
	// Room is set on resource calendars only.
	Room *Room `json:"room,omitempty"`
	// DefaultReminders and DefaultAllDayReminders are the reminders of
	// the calendar's timed and all-day events that set none of their own
	// (at most [MaxReminders] each; see [Service.SetDefaultReminders]).
	DefaultReminders       []Reminder `json:"default_reminders,omitempty"`
	DefaultAllDayReminders []Reminder `json:"default_all_day_reminders,omitempty"`
	Created                time.Time  `json:"created"`
	// ClientKey, when set, makes CreateCalendar idempotent: a second
	// create by the same actor with the same key returns the first
	// calendar, unchanged, and writes nothing. At most [MaxClientKey]
	// bytes.
	ClientKey string `json:"client_key,omitempty"`
}

// CreateCalendar creates a calendar owned by actor and adds it to actor's
// calendar list. ID, Owner and Created are set by the service. A Resource
// calendar needs Room with a name.
func (s *Service) CreateCalendar(ctx context.Context, actor string, c Calendar) (Calendar, error) {
	if err := s.checkActor(ctx, actor); err != nil {
		return Calendar{}, err
	}
	if actor == "" {
		return Calendar{}, fmt.Errorf("calendar: create calendar: empty actor: %w", ErrInvalid)
	}
	if c.Kind == "" {
		c.Kind = Personal
	}
	switch c.Kind {
	case Personal, Shared:
		c.Room = nil
	case Resource:
		if c.Room == nil || strings.TrimSpace(c.Room.Name) == "" {
			return Calendar{}, fmt.Errorf("calendar: create room calendar: room needs a name: %w", ErrInvalid)
		}
		if c.Room.Capacity < 0 {
			return Calendar{}, fmt.Errorf("calendar: create room %q: capacity %d: %w", c.Room.Name, c.Room.Capacity, ErrInvalid)
		}
		if c.Name == "" {
			c.Name = c.Room.Name
		}
	default:
		return Calendar{}, fmt.Errorf("calendar: create calendar: kind %q: %w", c.Kind, ErrInvalid)
	}
	if strings.TrimSpace(c.Name) == "" {
		return Calendar{}, fmt.Errorf("calendar: create calendar: empty name: %w", ErrInvalid)
	}
	if c.TimeZone == "" {
		c.TimeZone = "UTC"
	}
	if _, err := loadZone(c.TimeZone); err != nil {
		return Calendar{}, fmt.Errorf("calendar: create calendar %q: %w", c.Name, err)
	}
	if !c.DefaultRole.valid() || c.DefaultRole == Owner {
		return Calendar{}, fmt.Errorf("calendar: create calendar %q: default role %v: %w", c.Name, c.DefaultRole, ErrInvalid)
	}
	if c.DefaultRole == NoRole {
		switch {
		case c.Kind != Shared:
			c.DefaultRole = FreeBusy
		case c.Public:
			c.DefaultRole = Reader
		}
	}
	if err := checkClientKey(c.ClientKey); err != nil {
		return Calendar{}, fmt.Errorf("calendar: create calendar %q: %w", c.Name, err)
	}
	if err := checkCalendarReminders(&c); err != nil {
		return Calendar{}, fmt.Errorf("calendar: create calendar %q: %w", c.Name, err)
	}
	c.ID = s.newID()
	c.Owner = actor
	c.Created = s.now().UTC()
	var first *Calendar
	err := s.st.Update(ctx, func(tx store.Tx) error {
		first = nil
		if c.ClientKey != "" {
			if id, ok, err := clientKeyID(tx, actor, "cal", c.ClientKey); err != nil {
				return err
			} else if ok {
				if prev, err := getCalendar(tx, id); err == nil {
					first = prev // a retry: the first result, nothing written
					return nil
				} else if !errors.Is(err, store.ErrNotFound) {
					return err
				}
			}
			if err := tx.Put(ckKey(actor, "cal", c.ClientKey), []byte(c.ID)); err != nil {
				return err
			}
		}
		if err := checkListRoom(tx, actor); err != nil {
			return err
		}
		if err := record.Put(tx, calKey(c.ID), c); err != nil {
			return err
		}
		if err := tx.Put(listKey(actor, c.ID), []byte(listOwned)); err != nil {
			return err
		}
		if c.Public {
			if err := tx.Put(keys.New("calendar", "pub", c.ID), []byte{1}); err != nil {
				return err
			}
		}
		if c.Kind == Resource {
			if err := tx.Put(keys.New("calendar", "room", c.ID), []byte{1}); err != nil {
				return err
			}
		}
		return appendChange(tx, Change{Type: CalendarCreated, CalendarID: c.ID, Actor: actor, At: c.Created})
	})
	if err != nil {
		return Calendar{}, fmt.Errorf("calendar: create calendar %q: %w", c.Name, err)
	}
	if first != nil {
		return *first, nil
	}
	return c, nil
}

// Calendar returns a calendar actor has any role on.
func (s *Service) Calendar(ctx context.Context, actor, id string) (Calendar, error) {
	if err := s.checkActor(ctx, actor); err != nil {
		return Calendar{}, err
	}
	var c Calendar
	err := s.st.View(ctx, func(tx store.Tx) error {
		cal, role, err := s.access(tx, actor, id)
		if err != nil {
			return err
		}
		if role < FreeBusy {
			return fmt.Errorf("calendar %q: %w", id, ErrNotFound)
		}
		c = *cal
		return nil
	})
	if err != nil {
		return Calendar{}, fmt.Errorf("calendar: get: %w", err)
	}
	return c, nil
}

// Share grants user a role on calendar id (NoRole revokes the grant).
// Only an owner may share.
func (s *Service) Share(ctx context.Context, actor, id, user string, role Role) error {
	if err := s.checkActor(ctx, actor); err != nil {
		return err
	}
	if user == "" || !role.valid() {
		return fmt.Errorf("calendar: share %q with %q as %v: %w", id, user, role, ErrInvalid)
	}
	err := s.st.Update(ctx, func(tx store.Tx) error {
		cal, r, err := s.access(tx, actor, id)
		if err != nil {
			return err
		}
		if r < Owner {
			return denied(id, actor, r, Owner)
		}
		if user == cal.Owner {
			return fmt.Errorf("calendar %q: %q is its owner: %w", id, user, ErrInvalid)
		}
		k := aclKey(id, user)
		if role == NoRole {
			if err := tx.Delete(k); err != nil {
				return err
			}
		} else if err := tx.Put(k, []byte{byte(role)}); err != nil {
			return err
		}
		return appendChange(tx, Change{Type: CalendarShared, CalendarID: id, User: user, Role: role.String(), Actor: actor, At: s.now().UTC()})
	})
	if err != nil {
		return fmt.Errorf("calendar: share: %w", err)
	}
	return nil
}

// Role returns actor's effective role on calendar id: the highest of
// ownership, a grant and the calendar's DefaultRole.
// A calendar actor has no role on is not found, like one that does not
// exist.
func (s *Service) Role(ctx context.Context, actor, id string) (Role, error) {
	if err := s.checkActor(ctx, actor); err != nil {
		return 0, err
	}
	var role Role
	err := s.st.View(ctx, func(tx store.Tx) error {
		_, r, err := s.access(tx, actor, id)
		if err == nil && r == NoRole {
			return fmt.Errorf("calendar %q: %w", id, ErrNotFound) // existence does not leak
		}
		role = r
		return err
	})
	if err != nil {
		return NoRole, fmt.Errorf("calendar: role: %w", err)
	}
	return role, nil
}

func rooms(tx store.Tx, minCapacity int, need []string) ([]Calendar, error) {
	var out []Calendar
	for k := range tx.Scan(store.Prefix(keys.New("calendar", "room"))) {
		id, err := keys.Last(k)
		if err != nil {
			return nil, err
		}
		c, err := getCalendar(tx, id)
		if err != nil {
			return nil, err
		}
		if c.Room.Capacity >= minCapacity && c.Room.Has(need) {
			out = append(out, *c)
		}
	}
	return out, nil
}

// access loads calendar id and actor's role on it.
func (s *Service) access(tx store.Tx, actor, id string) (*Calendar, Role, error) {
	c, err := getCalendar(tx, id)
	if err != nil {
		return nil, NoRole, err
	}
	return c, roleOn(tx, c, actor), nil
}

func roleOn(tx store.Tx, c *Calendar, actor string) Role {
	if actor == "" {
		return NoRole
	}
	if c.Owner == actor {
		return Owner
	}
	r := c.DefaultRole
	if v, err := tx.Get(aclKey(c.ID, actor)); err == nil && len(v) == 1 && Role(v[0]) > r {
		r = Role(v[0])
	}
	return r
}

func getCalendar(tx store.Tx, id string) (*Calendar, error) {
	if id == "" {
		return nil, fmt.Errorf("empty calendar id: %w", ErrInvalid)
	}
	var c Calendar
	if err := record.Get(tx, calKey(id), &c); err != nil {
		if errors.Is(err, store.ErrNotFound) {
			return nil, fmt.Errorf("calendar %q: %w", id, ErrNotFound)
		}
		return nil, err
	}
	return &c, nil
}

// DeleteCalendar deletes calendar id with all its events (freeing the
// rooms they booked), its grants and its place in the owner's list; other
// people's subscriptions to it fall away. Only the owner may delete it. A
// room with bookings cannot be deleted: cancel or move them first.
func (s *Service) DeleteCalendar(ctx context.Context, actor, id string) error {
	if err := s.checkActor(ctx, actor); err != nil {
		return err
	}
	now := s.now().UTC()
	err := s.st.Update(ctx, func(tx store.Tx) error {
		cal, role, err := s.access(tx, actor, id)
		if err != nil {
			return err
		}
		if role < Owner {
			return denied(id, actor, role, Owner)
		}
		var evIDs []string
		for k := range tx.Scan(store.Prefix(indexPrefix(sourceOf(cal)))) {
			eid, err := lastPart(k)
			if err != nil {
				return err
			}
			evIDs = append(evIDs, eid)
		}
		if cal.Kind == Resource && len(evIDs) > 0 {
			return fmt.Errorf("room %q has %d bookings: %w", id, len(evIDs), ErrInvalid)
		}
		for _, eid := range evIDs {
			ev, err := getEvent(tx, eid)
			if err != nil {
				return err
			}
			if err := s.removeEvent(tx, ev, cal); err != nil {
				return err
			}
			if err := appendChange(tx, Change{Type: EventDeleted, CalendarID: id, EventID: eid, Actor: actor, At: now}); err != nil {
				return err
			}
		}
		var grants [][]byte
		for k := range tx.Scan(store.Prefix(keys.New("calendar", "acl", id))) {
			grants = append(grants, bytes.Clone(k))
		}
		for _, k := range append(grants, listKey(cal.Owner, id), keys.New("calendar", "pub", id), keys.New("calendar", "room", id),
			mdKey(scopeCal, id), mdKey(scopeRoom, id), calKey(id)) {
			if err := tx.Delete(k); err != nil {
				return err
			}
		}
		return appendChange(tx, Change{Type: CalendarDeleted, CalendarID: id, Actor: actor, At: now})
	})
	if err != nil {
		return fmt.Errorf("calendar: delete calendar %q: %w", id, err)
	}
	return nil
}
