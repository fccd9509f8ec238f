package task

import (
	"encoding/json"
	"testing"
	"time"
)

func TestDue(t *testing.T) {
	london := mustZone("Europe/London")
	tests := []struct {
		name         string
		due          Due
		wantString   string
		wantDeadline time.Time
	}{
		{"a date is due by the end of that date in its zone", DueOn(2025, 3, 21, shanghai),
			"2025-03-21 Asia/Shanghai", time.Date(2025, 3, 22, 0, 0, 0, 0, shanghai)},
		{"an impossible date is normalised as time.Date does", DueOn(2025, 2, 30, shanghai),
			"2025-03-02 Asia/Shanghai", time.Date(2025, 3, 3, 0, 0, 0, 0, shanghai)},
		{"a minute is due at that minute", DueAt(time.Date(2025, 3, 13, 15, 0, 59, 0, shanghai)),
			"2025-03-13 15:00 Asia/Shanghai", time.Date(2025, 3, 13, 15, 0, 0, 0, shanghai)},
		{"a date across a DST change ends at the local midnight", DueOn(2025, 3, 30, london),
			"2025-03-30 Europe/London", time.Date(2025, 3, 31, 0, 0, 0, 0, london)},
		{"a UTC date has an empty location", DueOn(2025, 1, 1, nil),
			"2025-01-01 UTC", time.Date(2025, 1, 2, 0, 0, 0, 0, time.UTC)},
		{"the zero due is none", Due{}, "none", time.Time{}},
		{"a fixed zone with an IANA name keeps the name", DueOn(2025, 3, 21, time.FixedZone("Asia/Shanghai", 8*3600)),
			"2025-03-21 Asia/Shanghai", time.Date(2025, 3, 22, 0, 0, 0, 0, shanghai)},
		{"a fixed zone with no name keeps its offset and date", DueOn(2025, 3, 21, time.FixedZone("", 8*3600)),
			"2025-03-21 +08:00", time.Date(2025, 3, 22, 0, 0, 0, 0, shanghai)},
		{"a fixed zone with an unknown name keeps its offset", DueAt(time.Date(2025, 3, 21, 9, 30, 0, 0, time.FixedZone("IST", 5*3600+1800))),
			"2025-03-21 09:30 +05:30", time.Date(2025, 3, 21, 4, 0, 0, 0, time.UTC)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := tt.due.normal()
			if err != nil {
				t.Fatal(err)
			}
			if got := d.String(); got != tt.wantString {
				t.Errorf("String() = %q, want %q", got, tt.wantString)
			}
			if got := d.Deadline(); !got.Equal(tt.wantDeadline) {
				t.Errorf("Deadline() = %v, want %v", got, tt.wantDeadline)
			}
			b, err := json.Marshal(d)
			if err != nil {
				t.Fatal(err)
			}
			var back Due
			if err := json.Unmarshal(b, &back); err != nil || !back.Equal(d) {
				t.Errorf("JSON round trip of %s = %+v, %v; want %+v", b, back, err, d)
			}
			if !d.IsZero() && back.Local().Location().String() != d.Local().Location().String() {
				t.Errorf("zone after round trip = %v, want %v", back.Local().Location(), d.Local().Location())
			}
		})
	}
	t.Run("the local zone is refused by name", func(t *testing.T) {
		if _, err := (Due{Time: svcStart, Precision: PrecisionDay, Location: "Local"}).normal(); err == nil {
			t.Error("normal() of a Local due: no error")
		}
	})
	t.Run("a date given with a time of day keeps only the date", func(t *testing.T) {
		d, err := Due{Time: time.Date(2025, 3, 21, 23, 30, 0, 0, shanghai), Precision: PrecisionDay, Location: "Asia/Shanghai"}.normal()
		if err != nil || !d.Time.Equal(time.Date(2025, 3, 21, 0, 0, 0, 0, shanghai)) {
			t.Errorf("normal() = %v, %v; want midnight of the 21st", d.Time, err)
		}
	})
	t.Run("a date is read in its own zone, not the time's", func(t *testing.T) {
		// 20:00 UTC on the 21st is already the 22nd in Shanghai.
		d, err := Due{Time: time.Date(2025, 3, 21, 20, 0, 0, 0, time.UTC), Precision: PrecisionDay, Location: "Asia/Shanghai"}.normal()
		if err != nil || d.String() != "2025-03-22 Asia/Shanghai" {
			t.Errorf("normal() = %v, %v; want the 22nd", d, err)
		}
	})
}

func TestTaskOverdue(t *testing.T) {
	tk := Task{Status: StatusTodo, Due: DueOn(2025, 3, 21, shanghai)}
	tests := []struct {
		name   string
		status Status
		now    time.Time
		want   bool
	}{
		{"an open task is not overdue during its due date", StatusTodo, time.Date(2025, 3, 21, 23, 59, 0, 0, shanghai), false},
		{"an open task is overdue once its due date ends", StatusInProgress, time.Date(2025, 3, 22, 0, 0, 0, 0, shanghai), true},
		{"a done task is never overdue", StatusDone, time.Date(2025, 4, 1, 0, 0, 0, 0, shanghai), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tk.Status = tt.status
			if got := tk.Overdue(tt.now); got != tt.want {
				t.Errorf("Overdue(%v) = %v, want %v", tt.now, got, tt.want)
			}
		})
	}
}
