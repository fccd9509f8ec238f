package calendar

import (
	"encoding/json"
	"time"

	"github.com/workspace-go/workspace/store"
)

// Change is one record this package writes to the store's change log.
type Change struct {
	// Type is what happened: "calendar.created", "calendar.deleted",
	// "calendar.shared", "calendar.subscribed", "calendar.unsubscribed",
	// "event.created", "event.updated" (also instance changes and
	// cancellations), "event.moved", "event.deleted", "event.responded",
	// "workinghours.set".
	Type string `json:"type"`
	// CalendarID is the calendar concerned; for "event.moved", the one
	// the event is now on.
	CalendarID string `json:"calendar_id,omitempty"`
	// FromCalendarID is, for "event.moved", the calendar the event left.
	FromCalendarID string    `json:"from_calendar_id,omitempty"`
	EventID        string    `json:"event_id,omitempty"`
	User           string    `json:"user,omitempty"` // the grantee, subscriber or responder
	Role           string    `json:"role,omitempty"`
	Actor          string    `json:"actor"`
	At             time.Time `json:"at"`
}

// DecodeChange decodes a change-log record written by this package;
// ok is false when c was written by another package.
func DecodeChange(c store.Change) (ch Change, ok bool, err error) {
	if c.Kind != Kind {
		return Change{}, false, nil
	}
	if err := json.Unmarshal(c.Data, &ch); err != nil {
		return Change{}, true, err
	}
	return ch, true, nil
}

func appendChange(tx store.Tx, c Change) error {
	b, err := json.Marshal(c)
	if err != nil {
		return err
	}
	_, err = tx.Append(Kind, b)
	return err
}
