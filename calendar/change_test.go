package calendar

import (
	"errors"
	"testing"

	"github.com/workspace-go/workspace/store"
)

func TestChangeLog(t *testing.T) {
	forEachBackend(t, func(t *testing.T, f *fixture) {
		cal := f.calendar(t, "ann", Calendar{})
		ev := f.event(t, "ann", Event{CalendarID: cal.ID, Title: "x", Start: at(3, 9, 0), End: at(3, 10, 0), Attendees: []Attendee{{User: "bob"}}})
		if err := f.svc.Respond(f.ctx, "bob", ev.ID, Accepted); err != nil {
			t.Fatal(err)
		}
		if err := f.svc.DeleteEvent(f.ctx, "ann", ev.ID); err != nil {
			t.Fatal(err)
		}
		recs, _, err := f.st.Changes(f.ctx, 0, 0)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, r := range recs {
			c, ok, err := DecodeChange(r)
			if err != nil || !ok {
				t.Fatalf("decode %+v: ok %v, err %v", r, ok, err)
			}
			got = append(got, string(c.Type)+" "+c.EventID)
		}
		want := []string{"calendar.created ", "event.created " + ev.ID, "event.responded " + ev.ID, "event.deleted " + ev.ID}
		if !equal(got, want) {
			t.Errorf("changes = %q, want %q", got, want)
		}
		if _, ok, err := DecodeChange(store.Change{Kind: "chat", Data: []byte("{")}); ok || err != nil {
			t.Errorf("foreign change: ok %v, err %v; want false, nil", ok, err)
		}
	})
}

func TestDecodeChangeRefusesMalformedRecords(t *testing.T) {
	for _, data := range []string{"{", `{"type":"event.exploded"}`, `{"type":1}`} {
		_, ok, err := DecodeChange(store.Change{Kind: Kind, Data: []byte(data)})
		if !ok || !errors.Is(err, store.ErrInvalid) {
			t.Errorf("%s: ok %v, err %v; want true and an error wrapping store.ErrInvalid", data, ok, err)
		}
	}
}
