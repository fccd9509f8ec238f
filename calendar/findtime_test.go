package calendar

import (
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/workspace-go/workspace/store"
)

func TestFindTime(t *testing.T) {
	forEachBackend(t, func(t *testing.T, f *fixture) {
		// ann works 09-18 in Shanghai (01:00-10:00 UTC), bob 09-18 in
		// London (09:00-18:00 UTC in March before the UK's DST change):
		// their overlap on 3 March is 09:00-10:00 UTC.
		annCal := f.calendar(t, "ann", Calendar{TimeZone: "Asia/Shanghai"})
		if err := f.svc.SetWorkingHours(f.ctx, "bob", DefaultWorkingHours("Europe/London")); err != nil {
			t.Fatal(err)
		}
		small := f.room(t, "Phone booth", 2)
		big := f.room(t, "Everest", 10, "video")
		f.event(t, "ann", Event{CalendarID: annCal.ID, Title: "busy", Start: at(3, 9, 0), End: at(3, 9, 30)})
		carolCal := f.calendar(t, "carol", Calendar{})
		f.event(t, "carol", Event{CalendarID: carolCal.ID, Title: "busy", Start: at(3, 9, 30), End: at(3, 10, 0)})

		got, err := f.svc.FindTime(f.ctx, "ann", FindTimeRequest{
			Required: []string{"ann", "bob"}, Optional: []string{"carol"}, Duration: 30 * time.Minute,
			From: at(3, 0, 0), To: at(4, 0, 0), Step: 15 * time.Minute, Room: &RoomNeed{},
		})
		if err != nil {
			t.Fatal(err)
		}
		want := []Candidate{{Start: at(3, 9, 30), End: at(3, 10, 0), Rooms: []string{big.ID}, OptionalFree: []string{}, OptionalBusy: []string{"carol"}}}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("candidates =\n%+v\nwant\n%+v", got, want)
		}
		// Without ann's meeting, 09:00 is free for everyone and ranks first.
		got, err = f.svc.FindTime(f.ctx, "ann", FindTimeRequest{
			Required: []string{"bob"}, Optional: []string{"carol", "ann"}, Duration: time.Hour,
			From: at(3, 0, 0), To: at(4, 0, 0), Room: &RoomNeed{MinCapacity: 2},
		})
		if err != nil {
			t.Fatal(err)
		}
		if len(got) == 0 || !got[0].Start.Equal(at(3, 10, 0)) || len(got[0].OptionalFree) != 1 {
			t.Errorf("best = %+v, want 10:00 with one optional free", got)
		} else if !reflect.DeepEqual(got[0].Rooms, []string{small.ID, big.ID}) {
			t.Errorf("rooms = %v, want the smallest fit first", got[0].Rooms)
		}
		// A booked room is not offered.
		f.event(t, "carol", Event{CalendarID: carolCal.ID, Title: "room", Start: at(5, 9, 0), End: at(5, 12, 0), Rooms: []string{big.ID}})
		got, err = f.svc.FindTime(f.ctx, "ann", FindTimeRequest{Required: []string{"bob"}, Duration: time.Hour,
			From: at(5, 9, 0), To: at(5, 12, 0), Room: &RoomNeed{Equipment: []string{"video"}}})
		if err != nil || len(got) != 0 {
			t.Errorf("with the only video room booked: %v, %v; want no candidates", got, err)
		}
		for _, bad := range []FindTimeRequest{
			{Required: []string{"bob"}, From: at(3, 0, 0), To: at(4, 0, 0)},
			{Required: []string{"bob"}, Duration: time.Hour, From: at(4, 0, 0), To: at(3, 0, 0)},
			{Duration: time.Hour, From: at(3, 0, 0), To: at(4, 0, 0)},
		} {
			if _, err := f.svc.FindTime(f.ctx, "ann", bad); !errors.Is(err, store.ErrInvalid) {
				t.Errorf("FindTime(%+v): err = %v, want ErrInvalid", bad, err)
			}
		}
		if err := f.svc.SetWorkingHours(f.ctx, "bob", WorkingHours{TimeZone: "UTC", Week: [7]Period{1: {10 * time.Hour, 9 * time.Hour}}}); !errors.Is(err, store.ErrInvalid) {
			t.Errorf("working hours ending before they start: err = %v, want ErrInvalid", err)
		}
		wh, err := f.svc.WorkingHours(f.ctx, "bob", "ann")
		if err != nil || wh.TimeZone != "Asia/Shanghai" {
			t.Errorf("ann's default hours = %+v, %v; want in Asia/Shanghai", wh, err)
		}
	})
}
