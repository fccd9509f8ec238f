package wiretest

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

type good struct {
	Name  string    `json:"name"`
	When  time.Time `json:"when,omitempty"`
	Inner []inner   `json:"inner"`
	Skip  string    `json:"-"`
	inner
}

type inner struct {
	Count int `json:"count"`
}

type bad struct {
	Name  string
	Camel string `json:"camelCase"`
	Deep  *deep  `json:"deep"`
}

type deep struct{ Missing int }

// recorder records errors instead of failing, so the checker's own
// failures can be asserted.
type recorder struct {
	testing.TB
	errs []string
}

func (r *recorder) Errorf(format string, args ...any) {
	r.errs = append(r.errs, fmt.Sprintf(format, args...))
}
func (r *recorder) Helper() {}

func TestTagsAcceptsTaggedTypes(t *testing.T) {
	r := &recorder{TB: t}
	seen := Tags(r, good{})
	if len(r.errs) != 0 {
		t.Errorf("errors on a well-tagged type: %v", r.errs)
	}
	if len(seen) != 2 {
		t.Errorf("walked %d types, want good and inner", len(seen))
	}
}

func TestTagsFindsMissingAndCamelCaseTagsAtAnyDepth(t *testing.T) {
	r := &recorder{TB: t}
	Tags(r, &bad{})
	got := strings.Join(r.errs, "\n")
	for _, want := range []string{"bad.Name has no json tag", `"camelCase" is not snake_case`, "deep.Missing has no json tag"} {
		if !strings.Contains(got, want) {
			t.Errorf("errors %q, want one containing %q", got, want)
		}
	}
}

func TestRoundTripCatchesALossyType(t *testing.T) {
	type lossy struct {
		Kept string `json:"kept"`
		Lost string `json:"-"`
	}
	r := &recorder{TB: t}
	RoundTrip(r, nil, lossy{Kept: "a"}, good{Name: "x", Inner: []inner{{Count: 1}}})
	if len(r.errs) != 0 {
		t.Errorf("errors on values that survive: %v", r.errs)
	}
	RoundTrip(r, nil, lossy{Kept: "a", Lost: "b"})
	if len(r.errs) != 1 {
		t.Errorf("errors %v, want one for the lost field", r.errs)
	}
}
