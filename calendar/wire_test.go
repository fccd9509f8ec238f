package calendar

import (
	"encoding/json"
	"errors"
	"fmt"
	"github.com/workspace-go/workspace/internal/wiretest"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/workspace-go/workspace/store"
)

// wireValues holds one filled value of every exported type the API sends
// to or takes from an application's clients.
func wireValues() []any {
	t1 := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	t2 := t1.Add(time.Hour)
	tr := Transparent
	title := "changed"
	ev := Event{ID: "e", CalendarID: "c", UID: "u", Title: "t", Description: "d", Location: "l", Start: t1, End: t2,
		TimeZone: "Asia/Shanghai", AllDay: true, Visibility: Private, Transparency: Opaque, Organizer: "o",
		Attendees: []Attendee{{User: "a", Optional: true, Status: Accepted, Reminders: &[]Reminder{{Minutes: 5}}}}, Rooms: []string{"r"},
		Reminders:  &[]Reminder{{Minutes: 15}, {At: t2}},
		Recurrence: &Recurrence{RRule: "FREQ=WEEKLY", RDates: []time.Time{t2}, ExDates: []time.Time{t1}},
		Exceptions: []Exception{{OriginalStart: t1, Cancelled: true, InstanceChange: InstanceChange{Start: &t1, End: &t2, Title: &title, Transparency: &tr},
			Responses: map[string]RSVP{"a": Declined}}},
		Created: t1, Updated: t2, Revision: 3, ClientKey: "k", BusyOnly: true}
	cal := Calendar{ID: "c", Kind: Resource, Name: "n", Description: "d", Owner: "o", TimeZone: "UTC", Public: true, DefaultRole: Reader,
		Room: &Room{Name: "A", Building: "HQ", Floor: "3", Capacity: 8, Equipment: []string{"video"}}, Created: t1, ClientKey: "k",
		DefaultReminders: []Reminder{DefaultReminder}, DefaultAllDayReminders: []Reminder{DefaultAllDayReminder}}
	in := Instance{EventID: "e", CalendarID: "c", OriginalStart: t1, Start: t1, End: t2, AllDay: true, Title: "t", Description: "d",
		Location: "l", Organizer: "o", Attendees: []Attendee{{User: "a", Status: Tentative}}, Rooms: []string{"r"}, Visibility: Public,
		Transparency: Opaque, Recurring: true, Changed: true, BusyOnly: true}
	return []any{
		&ev, &cal, &in,
		&store.Page[Instance]{Items: []Instance{in}, Next: "n"},
		&EventPatch{Title: &title, Start: &t1, End: &t2, TimeZone: &title, AllDay: new(bool), Transparency: &tr,
			Attendees: &[]Attendee{{User: "a", Status: NeedsAction}}, Rooms: &[]string{"r"}, Recurrence: &Recurrence{RRule: "FREQ=DAILY"}, Reminders: &[]Reminder{{Minutes: 1}}, DefaultReminders: true, Revision: 2},
		&InstanceQuery{From: t1, To: t2, PageQuery: PageQuery{Limit: 5, Page: "p"}},
		&FreeBusyQuery{From: t1, To: t2, Users: []string{"a"}, Rooms: []string{"r"}},
		&Availability{Users: map[string][]Interval{"a": {{t1, t2}}}, Rooms: map[string][]Interval{"r": {}}},
		&FindTimeRequest{Required: []string{"a"}, Optional: []string{"b"}, Duration: time.Hour, From: t1, To: t2, Step: time.Minute,
			Room: &RoomNeed{MinCapacity: 2, Equipment: []string{"video"}, Building: "HQ", Rooms: []string{"r"}}, Limit: 3},
		&Candidate{Start: t1, End: t2, OptionalFree: []string{"b"}, OptionalBusy: []string{"c"}, Rooms: []string{"r"}},
		&ListEntry{Calendar: cal, Role: Writer, Subscribed: true},
		&WorkingHours{TimeZone: "UTC", Week: [7]Period{1: {9 * time.Hour, 18 * time.Hour}}},
		&ImportReport{Created: 1, Updated: 2, Skipped: []ImportProblem{{Line: 3, UID: "u", Reason: "bad", Code: "invalid"}}},
		&Change{Type: EventMoved, CalendarID: "c", FromCalendarID: "d", EventID: "e", User: "u", Role: "reader", Actor: "a", At: t1},
		&Change{Type: ReminderDue, CalendarID: "c", EventID: "e", User: "u", InstanceStart: t1, Title: "t", Minutes: 15, At: t1},
		&Reminder{Minutes: 10}, &Reminder{At: t1},
	}
}

func TestWireTypesRoundTripThroughJSON(t *testing.T) {
	for _, v := range wireValues() {
		name := reflect.TypeOf(v).Elem().String()
		b, err := json.Marshal(v)
		if err != nil {
			t.Errorf("%s: marshal: %v", name, err)
			continue
		}
		back := reflect.New(reflect.TypeOf(v).Elem())
		if err := json.Unmarshal(b, back.Interface()); err != nil {
			t.Errorf("%s: unmarshal %s: %v", name, b, err)
			continue
		}
		if !reflect.DeepEqual(back.Interface(), v) {
			t.Errorf("%s: round trip\n got %+v\nwant %+v\njson %s", name, back.Elem().Interface(), reflect.ValueOf(v).Elem().Interface(), b)
		}
	}
}

func TestRoleEncodesAsItsName(t *testing.T) {
	b, err := json.Marshal(struct{ R Role }{FreeBusy})
	if err != nil || string(b) != `{"R":"freebusy"}` {
		t.Errorf("got %s, %v", b, err)
	}
	var c Calendar
	if err := json.Unmarshal([]byte(`{"default_role":2}`), &c); err != nil || c.DefaultRole != Reader {
		t.Errorf("a stored numeric role: got %v, %v; want reader", c.DefaultRole, err)
	}
}

// TestWireTypesHaveSnakeCaseJSONTags fails when an exported type crossing
// the API has an exported field without a json tag, or a tag that is not
// snake_case.
func TestWireTypesHaveSnakeCaseJSONTags(t *testing.T) {
	seen := wiretest.Tags(t, append(wireValues(), &Service{}, &System{})...)
	if !seen[reflect.TypeFor[Instance]()] || !seen[reflect.TypeFor[Event]()] {
		t.Errorf("walked %d types, want at least Event and Instance", len(seen))
	}
}

func TestCreatesWithAClientKeyAreIdempotent(t *testing.T) {
	forEachBackend(t, func(t *testing.T, f *fixture) {
		c1 := f.calendar(t, "ann", Calendar{Name: "Team", ClientKey: "k1"})
		before := changeCount(t, f)
		c2 := f.calendar(t, "ann", Calendar{Name: "Team again", ClientKey: "k1"})
		if c2.ID != c1.ID || c2.Name != "Team" {
			t.Errorf("calendar retried: got %q %q, want the first, %q %q", c2.ID, c2.Name, c1.ID, c1.Name)
		}
		e1 := f.event(t, "ann", Event{CalendarID: c1.ID, Title: "Standup", Start: at(3, 9, 0), End: at(3, 10, 0), ClientKey: "k1"})
		mid := changeCount(t, f)
		e2 := f.event(t, "ann", Event{CalendarID: c1.ID, Title: "Standup?", Start: at(4, 9, 0), End: at(4, 10, 0), ClientKey: "k1"})
		if e2.ID != e1.ID || e2.Title != "Standup" || !e2.Start.Equal(e1.Start) {
			t.Errorf("event retried: got %q %q, want the first, %q %q", e2.ID, e2.Title, e1.ID, e1.Title)
		}
		if got := changeCount(t, f); got != mid || mid != before+1 {
			t.Errorf("change records: %d, %d, %d; a retry writes none", before, mid, got)
		}
		other := f.calendar(t, "bob", Calendar{Name: "Bob's", ClientKey: "k1"})
		if other.ID == c1.ID {
			t.Error("another actor's key is their own")
		}
		if err := f.svc.DeleteEvent(f.ctx, "ann", e1.ID); err != nil {
			t.Fatal(err)
		}
		e3 := f.event(t, "ann", Event{CalendarID: c1.ID, Title: "Again", Start: at(4, 9, 0), End: at(4, 10, 0), ClientKey: "k1"})
		if e3.ID == e1.ID {
			t.Error("a key whose event was deleted creates anew")
		}
		if _, err := f.svc.CreateEvent(f.ctx, "ann", Event{CalendarID: c1.ID, Title: "x", Start: at(4, 9, 0), End: at(4, 10, 0), ClientKey: strings.Repeat("k", MaxClientKey+1)}); !errors.Is(err, store.ErrTooLarge) {
			t.Errorf("a long client key: got %v, want ErrTooLarge", err)
		}
	})
}

func TestListingsComeInPages(t *testing.T) {
	forEachBackend(t, func(t *testing.T, f *fixture) {
		var want []string
		for i := range 5 {
			want = append(want, f.room(t, fmt.Sprintf("R%d", i), 4+i).ID)
		}
		pub := f.calendar(t, "ann", Calendar{Kind: Shared, Name: "Trips", Public: true})
		var rooms, found, list []string
		for q := (RoomQuery{PageQuery: PageQuery{Limit: 2}}); ; {
			p, err := f.svc.Rooms(f.ctx, "bob", q)
			if err != nil {
				t.Fatal(err)
			}
			if len(p.Items) > 2 {
				t.Fatalf("page of %d", len(p.Items))
			}
			for _, c := range p.Items {
				rooms = append(rooms, c.ID)
			}
			if q.Page = p.Next; q.Page == "" {
				break
			}
		}
		for q := (PageQuery{Limit: 4}); ; {
			p, err := f.svc.Discover(f.ctx, "bob", q)
			if err != nil {
				t.Fatal(err)
			}
			for _, c := range p.Items {
				found = append(found, c.ID)
			}
			if q.Page = p.Next; q.Page == "" {
				break
			}
		}
		for _, id := range append([]string{pub.ID}, want...) {
			if err := f.svc.Subscribe(f.ctx, "bob", id); err != nil {
				t.Fatal(err)
			}
		}
		for q := (PageQuery{Limit: 1}); ; {
			p, err := f.svc.CalendarList(f.ctx, "bob", q)
			if err != nil {
				t.Fatal(err)
			}
			for _, e := range p.Items {
				list = append(list, e.Calendar.ID)
			}
			if q.Page = p.Next; q.Page == "" {
				break
			}
		}
		if !equal(rooms, want) {
			t.Errorf("rooms: got %v, want %v", rooms, want)
		}
		if wantFound := append([]string{pub.ID}, want...); !equal(found, wantFound) {
			t.Errorf("discover: got %v, want %v", found, wantFound)
		}
		if len(list) != 6 {
			t.Errorf("bob's list over pages: %v, want 6 calendars", list)
		}
		if _, err := f.svc.Rooms(f.ctx, "bob", RoomQuery{PageQuery: PageQuery{Page: "!"}}); !errors.Is(err, store.ErrInvalid) {
			t.Errorf("a forged page: got %v, want ErrInvalid", err)
		}
	})
}

func TestWhatTheActorMayNotSeeIsNotFound(t *testing.T) {
	forEachBackend(t, func(t *testing.T, f *fixture) {
		secret := f.calendar(t, "lead", Calendar{Kind: Shared, Name: "Secret"})
		hidden := f.event(t, "lead", Event{CalendarID: secret.ID, Title: "Layoffs", Start: at(4, 9, 0), End: at(4, 10, 0)})
		own := f.calendar(t, "lead", Calendar{})
		seen := f.event(t, "lead", Event{CalendarID: own.ID, Title: "1:1", Start: at(4, 9, 0), End: at(4, 10, 0)})
		for _, tc := range []struct {
			name string
			err  error
			want error
		}{
			{"answering a hidden event", f.svc.Respond(f.ctx, "bob", hidden.ID, Accepted), ErrNotFound},
			{"answering a visible event one is not invited to", f.svc.Respond(f.ctx, "bob", seen.ID, Accepted), ErrNotAttendee},
			{"editing a visible event without writer", func() error {
				_, err := f.svc.UpdateEvent(f.ctx, "bob", seen.ID, EventPatch{Title: new(string)})
				return err
			}(), ErrPermission},
			{"editing a hidden event", func() error {
				_, err := f.svc.UpdateEvent(f.ctx, "bob", hidden.ID, EventPatch{Title: new(string)})
				return err
			}(), ErrNotFound},
			{"exporting a hidden calendar", f.svc.ExportCalendar(f.ctx, "bob", secret.ID, &strings.Builder{}), ErrNotFound},
		} {
			if !errors.Is(tc.err, tc.want) {
				t.Errorf("%s: got %v, want %v", tc.name, tc.err, tc.want)
			}
		}
	})
}
