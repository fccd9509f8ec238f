package recur

import (
	"encoding/json"
	"os"
	"strings"
	"testing"
	"time"
)

// parseProp parses an iCalendar DTSTART/RDATE/EXDATE line such as
// "DTSTART;TZID=America/New_York:19970902T090000" (a value without a zone
// is read in UTC) and reports whether it is a DATE.
func parseProp(t *testing.T, line string) (time.Time, bool) {
	t.Helper()
	head, value, ok := strings.Cut(line, ":")
	if !ok {
		t.Fatalf("property %q: no value", line)
	}
	loc := time.UTC
	allDay := false
	for _, p := range strings.Split(head, ";")[1:] {
		switch {
		case strings.HasPrefix(p, "TZID="):
			var err error
			if loc, err = time.LoadLocation(p[5:]); err != nil {
				t.Fatal(err)
			}
		case p == "VALUE=DATE":
			allDay = true
		}
	}
	value = strings.TrimSuffix(value, "Z")
	layout := "20060102T150405"
	if allDay {
		layout = "20060102"
	}
	w, err := time.Parse(layout, value)
	if err != nil {
		t.Fatalf("property %q: %v", line, err)
	}
	return LocalTime(w.Year(), w.Month(), w.Day(), w.Hour(), w.Minute(), w.Second(), loc), allDay
}

type rfcExample struct {
	Description      string   `json:"description"`
	DTStart          string   `json:"dtstart"`
	Rules            []string `json:"rrule_alternatives"`
	ExDate           []string `json:"exdate"`
	Expected         []string `json:"expected_instances_local"`
	ExpectedStrict   []string `json:"expected_strict"`
	ExpectedComplete bool     `json:"expected_is_complete"`
	TZ               string   `json:"tz"`
}

func TestRFC5545Examples(t *testing.T) {
	raw, err := os.ReadFile("testdata/rfc5545_examples.json")
	if err != nil {
		t.Fatal(err)
	}
	var examples []rfcExample
	if err := json.Unmarshal(raw, &examples); err != nil {
		t.Fatal(err)
	}
	if len(examples) != 39 {
		t.Fatalf("got %d examples, want 39", len(examples))
	}
	for _, ex := range examples {
		want := ex.Expected
		if ex.ExpectedStrict != nil {
			// The RFC's own text is inconsistent there; UNTIL is an instant.
			want = ex.ExpectedStrict
		}
		for _, rr := range ex.Rules {
			t.Run(ex.Description+" "+rr, func(t *testing.T) {
				start, _ := parseProp(t, ex.DTStart)
				s := Series{Start: start, RRule: rr}
				for _, e := range ex.ExDate {
					d, _ := parseProp(t, e)
					s.ExDates = append(s.ExDates, d)
				}
				set, err := Compile(s)
				if err != nil {
					t.Fatal(err)
				}
				var got []time.Time
				if ex.ExpectedComplete {
					if got, err = set.All(); err != nil {
						t.Fatal(err)
					}
				} else {
					got = set.Between(start, start.AddDate(100, 0, 0), len(want))
				}
				loc, _ := time.LoadLocation(ex.TZ)
				gotS := make([]string, len(got))
				for i, g := range got {
					gotS[i] = g.In(loc).Format("20060102T150405")
				}
				if strings.Join(gotS, " ") != strings.Join(want, " ") {
					t.Errorf("got  %v\nwant %v", gotS, want)
				}
				// The same instances come out of windows anywhere in the series.
				checkWindows(t, set, got)
			})
		}
	}
}

// checkWindows checks that Between over sub-windows and After agree with
// the instances got, the series' first instances in order.
func checkWindows(t *testing.T, set *Set, got []time.Time) {
	t.Helper()
	for i := range got {
		for j := i + 1; j <= len(got) && j <= i+5; j++ {
			to := got[len(got)-1].Add(time.Second)
			if j < len(got) {
				to = got[j]
			}
			w := set.Between(got[i], to, 0)
			if len(w) != j-i {
				t.Errorf("Between(%s, %s) got %d instances %v, want %d", got[i], to, len(w), w, j-i)
				continue
			}
			for k := range w {
				if !w[k].Equal(got[i+k]) {
					t.Errorf("Between(%s, %s)[%d] got %s, want %s", got[i], to, k, w[k], got[i+k])
				}
			}
		}
		if i+1 < len(got) {
			if a, ok := set.After(got[i]); !ok || !a.Equal(got[i+1]) {
				t.Errorf("After(%s) got %s %v, want %s", got[i], a, ok, got[i+1])
			}
		}
	}
}

type edgeVector struct {
	Name     string          `json:"name"`
	DTStart  string          `json:"dtstart"`
	RRule    *string         `json:"rrule"`
	ExDate   []string        `json:"exdate"`
	RDate    []string        `json:"rdate"`
	Expected json.RawMessage `json:"expected_rfc"`
}

func TestDSTAndEdgeVectors(t *testing.T) {
	raw, err := os.ReadFile("testdata/dst_and_edge_vectors.json")
	if err != nil {
		t.Fatal(err)
	}
	var vectors []edgeVector
	if err := json.Unmarshal(raw, &vectors); err != nil {
		t.Fatal(err)
	}
	// Vectors whose expectation is prose, with the answer this package picks.
	prose := map[string][]string{
		"DTSTART not matching the rule": {"2020-01-01T09:00:00Z", "2020-01-07T09:00:00Z", "2020-01-14T09:00:00Z"},
	}
	tested := 0
	for _, v := range vectors {
		t.Run(v.Name, func(t *testing.T) {
			if v.DTStart == "" {
				// The empty RRULE: the event does not recur.
				start := time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
				set, err := Compile(Series{Start: start, RRule: *v.RRule})
				if err != nil {
					t.Fatal(err)
				}
				got, err := set.All()
				if err != nil || len(got) != 1 || !got[0].Equal(start) {
					t.Errorf("got %v, %v; want only the start", got, err)
				}
				tested++
				return
			}
			var want []string
			if err := json.Unmarshal(v.Expected, &want); err != nil {
				if want = prose[v.Name]; want == nil {
					t.Fatalf("no expectation for %q", v.Name)
				}
			}
			start, allDay := parseProp(t, v.DTStart)
			s := Series{Start: start, AllDay: allDay, RRule: *v.RRule}
			for _, e := range v.ExDate {
				d, _ := parseProp(t, e)
				s.ExDates = append(s.ExDates, d)
			}
			for _, r := range v.RDate {
				d, _ := parseProp(t, r)
				s.RDates = append(s.RDates, d)
			}
			set, err := Compile(s)
			if err != nil {
				t.Fatal(err)
			}
			got, err := set.All()
			if err != nil {
				t.Fatal(err)
			}
			gotS := make([]string, len(got))
			for i, g := range got {
				gotS[i] = formatLike(g, want[0])
			}
			if strings.Join(gotS, " ") != strings.Join(want, " ") {
				t.Errorf("got  %v\nwant %v", gotS, want)
			}
			checkWindows(t, set, got)
			tested++
		})
	}
	if tested != len(vectors) {
		t.Errorf("tested %d vectors, want %d", tested, len(vectors))
	}
}

// formatLike formats t the way the expected value like is written.
func formatLike(t time.Time, like string) string {
	switch {
	case len(like) == len("2006-01-02"):
		return t.Format("2006-01-02")
	case len(like) == len("2006-01-02T15:04:05"):
		return t.Format("2006-01-02T15:04:05")
	}
	return t.Format(time.RFC3339)
}
