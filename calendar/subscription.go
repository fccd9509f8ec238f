package calendar

import (
	"context"
	"fmt"

	"github.com/workspace-go/workspace/internal/keys"
	"github.com/workspace-go/workspace/store"
)

// Values of a calendar-list entry.
const (
	listOwned      = "owned"
	listSubscribed = "subscribed"
)

// ListEntry is one calendar in a user's calendar list, with the user's
// current role on it.
type ListEntry struct {
	Calendar   Calendar `json:"calendar"`
	Role       Role     `json:"role"`
	Subscribed bool     `json:"subscribed,omitempty"` // false: the user owns it
}

// Subscribe adds calendar id (a colleague's, a public one, a room) to
// actor's calendar list, so Instances shows it. Actor needs at least
// FreeBusy on it; what Instances shows follows actor's role at read time.
func (s *Service) Subscribe(ctx context.Context, actor, id string) error {
	if err := s.checkActor(ctx, actor); err != nil {
		return err
	}
	err := s.st.Update(ctx, func(tx store.Tx) error {
		_, role, err := s.access(tx, actor, id)
		if err != nil {
			return err
		}
		if role < FreeBusy {
			return fmt.Errorf("calendar %q: %w", id, ErrNotFound)
		}
		if v, err := tx.Get(listKey(actor, id)); err == nil {
			if string(v) == listOwned {
				return nil
			}
		} else if err := checkListRoom(tx, actor); err != nil {
			return err
		}
		if err := tx.Put(listKey(actor, id), []byte(listSubscribed)); err != nil {
			return err
		}
		return appendChange(tx, Change{Type: CalendarSubscribed, CalendarID: id, User: actor, Actor: actor, At: s.now().UTC()})
	})
	if err != nil {
		return fmt.Errorf("calendar: subscribe %q to %q: %w", actor, id, err)
	}
	return nil
}

// Unsubscribe removes calendar id from actor's list (owned calendars stay).
func (s *Service) Unsubscribe(ctx context.Context, actor, id string) error {
	if err := s.checkActor(ctx, actor); err != nil {
		return err
	}
	err := s.st.Update(ctx, func(tx store.Tx) error {
		v, err := tx.Get(listKey(actor, id))
		if err != nil || string(v) != listSubscribed {
			return nil
		}
		if err := tx.Delete(listKey(actor, id)); err != nil {
			return err
		}
		return appendChange(tx, Change{Type: CalendarUnsubscribed, CalendarID: id, User: actor, Actor: actor, At: s.now().UTC()})
	})
	if err != nil {
		return fmt.Errorf("calendar: unsubscribe %q from %q: %w", actor, id, err)
	}
	return nil
}

func calendarList(tx store.Tx, actor string) ([]ListEntry, error) {
	var ids []string
	var subs []bool
	for k, v := range tx.Scan(store.Prefix(keys.New("calendar", "list", actor))) {
		id, err := keys.Last(k)
		if err != nil {
			return nil, err
		}
		ids = append(ids, id)
		subs = append(subs, string(v) == listSubscribed)
	}
	var out []ListEntry
	for i, id := range ids {
		c, err := getCalendar(tx, id)
		if err != nil {
			continue // deleted since
		}
		r := roleOn(tx, c, actor)
		if r < FreeBusy {
			continue
		}
		out = append(out, ListEntry{Calendar: *c, Role: r, Subscribed: subs[i]})
	}
	return out, nil
}
