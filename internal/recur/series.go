package recur

import (
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/teambition/rrule-go"
)

// Series is a recurrence definition as in RFC 5545.
type Series struct {
	// Start is DTSTART, always the first instance. Its Location is the
	// series' zone; for an all-day series only its date in that zone counts.
	Start time.Time
	// AllDay marks a DTSTART;VALUE=DATE series: instances are dates, returned
	// as midnight (RFC 5545 rules for DST) in Start's Location.
	AllDay bool
	// RRule is the RRULE value, e.g. "FREQ=WEEKLY;BYDAY=MO,WE;COUNT=10"; an
	// "RRULE:" prefix, lower case and trailing ';' are accepted; "" means none.
	RRule string
	// RDates are extra instance starts (for all-day: their dates, each in its
	// own Location).
	RDates []time.Time
	// ExDates are excluded instance starts, matched by instant (for all-day:
	// by date, each in its own Location).
	ExDates []time.Time
}

// Set is a compiled Series: it answers which instances fall in a window
// without walking from DTSTART. A Set is immutable apart from internal
// caches and is safe for concurrent use; compile once and reuse it.
type Set struct {
	loc     *time.Location
	allDay  bool
	start   time.Time // the first instance, in loc
	startF  time.Time // its floating wall time (see zone.go)
	hasRule bool
	rule    *rule          // shared with parsedRules: read only
	opt     *rrule.ROption // the rule with DTSTART's implied BY* values made explicit; shared, read only
	sub     *subDaily      // HOURLY, MINUTELY and SECONDLY rules: this package's walker
	fast    *fastRule      // the common DAILY, WEEKLY and MONTHLY rules: arithmetic (fast.go)
	noFast  bool           // tests: expand with rrule-go even where fast could

	// ruleCount is the COUNT rrule-go must produce from DTSTART (COUNT-1
	// when DTSTART is off the rule: it counts too); 0 means no COUNT.
	ruleCount int
	ruleOff   bool      // the rule adds nothing to DTSTART (COUNT=1)
	untilF    time.Time // floating bound past which the rule yields nothing (UNTIL kinds)
	untilAt   time.Time // untilUTC: instances after this instant are dropped

	extras []time.Time  // DTSTART and RDATEs: sorted, unique instants in loc
	ex     []int64      // EXDATE keys (see exKey), sorted; nil: none
	one    [1]time.Time // extras' storage when there is no RDATE

	mu       sync.Mutex
	endF     time.Time // COUNT rules: floating time of the rule's last instance
	endKnown bool
	last     time.Time
	lastOK   bool
	lastDone bool
}

// Compile validates s and returns its expander. It refuses, with an error
// wrapping [ErrInvalid], a bad RRULE (unknown or repeated part, value out of
// range, COUNT with UNTIL, UNTIL past year 9999, COUNT above [MaxCount]), a
// rule that can never produce an instance, and a zero or out-of-range date.
func Compile(s Series) (*Set, error) {
	set, err := compile(s)
	if err != nil {
		return nil, fmt.Errorf("recur: series starting %s with rule %q: %v: %w",
			s.Start.Format(time.RFC3339), s.RRule, err, ErrInvalid)
	}
	return set, nil
}

func compile(s Series) (*Set, error) { return compileWith(s, false) }

// compileWith is compile; noFast makes rrule-go expand every rule (tests
// compare the two).
func compileWith(s Series, noFast bool) (*Set, error) {
	if s.Start.IsZero() {
		return nil, fmt.Errorf("no start")
	}
	loc := s.Start.Location()
	set := &Set{loc: loc, allDay: s.AllDay, noFast: noFast}
	var err error
	if set.start, set.startF, err = set.point(s.Start); err != nil {
		return nil, fmt.Errorf("start: %v", err)
	}
	if norm := normalizeRule(s.RRule); norm != "" {
		if set.rule, err = parseRuleCached(norm); err != nil {
			return nil, err
		}
		set.hasRule = true
		if err := set.prepareRule(); err != nil {
			return nil, err
		}
	}
	set.extras = append(set.one[:0], set.start)
	for _, t := range s.RDates {
		inst, _, err := set.point(t)
		if err != nil {
			return nil, fmt.Errorf("RDATE %s: %v", t.Format(time.RFC3339), err)
		}
		set.extras = append(set.extras, inst)
	}
	slices.SortFunc(set.extras, time.Time.Compare)
	set.extras = slices.CompactFunc(set.extras, time.Time.Equal)
	if len(s.ExDates) > 0 {
		set.ex = make([]int64, 0, len(s.ExDates))
		for _, t := range s.ExDates {
			inst, f, err := set.point(t)
			if err != nil {
				return nil, fmt.Errorf("EXDATE %s: %v", t.Format(time.RFC3339), err)
			}
			set.ex = append(set.ex, set.exKey(f, inst))
		}
		slices.Sort(set.ex)
	}
	return set, nil
}

// point turns a Start, RDATE or EXDATE value into an instant in the series'
// zone and its floating wall time; all-day values become their date.
func (s *Set) point(t time.Time) (inst, f time.Time, err error) {
	if t.IsZero() {
		return inst, f, fmt.Errorf("zero time")
	}
	if s.allDay {
		y, m, d := t.Date()
		f = time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
		inst = resolve(f, s.loc)
	} else {
		inst = t.Truncate(time.Second).In(s.loc)
		f = floating(inst, s.loc)
	}
	if y := f.Year(); y < 1 || y > 9999 {
		return inst, f, fmt.Errorf("year %d outside 0001-9999", y)
	}
	return inst, f, nil
}

// exKey is the EXDATE key of an instance: its date for all-day series, its
// instant (Unix seconds) otherwise.
func (s *Set) exKey(f, inst time.Time) int64 {
	if s.allDay {
		return floorDiv(f.Unix(), 86400)
	}
	return inst.Unix()
}

// prepareRule makes DTSTART's implied values explicit, checks that the
// rule can produce an instance, and works out how COUNT and UNTIL apply.
func (s *Set) prepareRule() error {
	r := s.rule
	if s.allDay {
		if o := r.opt; o.Freq > rrule.DAILY || len(o.Byhour)+len(o.Byminute)+len(o.Bysecond) > 0 {
			return fmt.Errorf("an all-day series recurs by whole days")
		}
	}
	f := s.startF
	onRule := false // whether DTSTART is an instance of the rule; needed for COUNT
	if r.opt.Freq >= rrule.HOURLY {
		o := withDefaults(r.opt, f)
		s.opt = &o
		s.sub = newSubDaily(o, f)
		if err := s.checkFeasible(); err != nil {
			return err
		}
	} else {
		d := s.derive()
		if d.err != nil {
			return d.err
		}
		s.opt, s.fast = &d.opt, d.fast
	}
	sure := surelyProductive(r.opt)
	switch {
	case s.fast != nil && (sure || s.fast.productive()):
		onRule = r.count > 0 && s.fast.matches(f)
	case r.count > 0 || !sure:
		first, ok := s.firstRuleInstance()
		if !ok {
			return fmt.Errorf("the rule never produces an instance")
		}
		onRule = first.Equal(f)
	}
	if r.count > 0 {
		s.ruleCount = r.count
		if !onRule {
			s.ruleCount--
			s.ruleOff = s.ruleCount == 0
		}
	}
	switch r.untilKind {
	case untilUTC:
		s.untilAt = r.until
		s.untilF = floating(r.until, s.loc).Add(s.offsetSwing(r.until))
	case untilFloating:
		s.untilF = r.until
	case untilDate:
		s.untilF = r.until
		if !s.allDay {
			s.untilF = r.until.Add(24*time.Hour - time.Second)
		}
	}
	return nil
}

// withDefaults returns o with the BY* values DTSTART (floating f) implies
// made explicit.
func withDefaults(o rrule.ROption, f time.Time) rrule.ROption {
	if len(o.Byweekno)+len(o.Byyearday)+len(o.Bymonthday)+len(o.Byweekday) == 0 {
		switch o.Freq {
		case rrule.YEARLY:
			if len(o.Bymonth) == 0 {
				o.Bymonth = []int{int(f.Month())}
			}
			o.Bymonthday = []int{f.Day()}
		case rrule.MONTHLY:
			o.Bymonthday = []int{f.Day()}
		case rrule.WEEKLY:
			o.Byweekday = []rrule.Weekday{rruleWeekday(f.Weekday())}
		}
	}
	if len(o.Byhour) == 0 && o.Freq < rrule.HOURLY {
		o.Byhour = []int{f.Hour()}
	}
	if len(o.Byminute) == 0 && o.Freq < rrule.MINUTELY {
		o.Byminute = []int{f.Minute()}
	}
	if len(o.Bysecond) == 0 && o.Freq < rrule.SECONDLY {
		o.Bysecond = []int{f.Second()}
	}
	return o
}

// A derivation is what a YEARLY to DAILY rule becomes for a DTSTART: its
// options with the implied values explicit, its arithmetic expander, and
// whether checkFeasible refuses it. These depend on the rule and on
// DTSTART's month, day, weekday and time of day only, so derivations are
// shared (read only) between sets, through a bounded cache.
type derivation struct {
	opt  rrule.ROption
	fast *fastRule
	err  error
}

type derivationKey struct {
	rule                *rule
	noFast              bool
	month, day, weekday int
	clock               int // seconds into the day
}

var derivations struct {
	sync.Mutex
	m map[derivationKey]*derivation
}

// maxDerivations bounds derivations; it starts over when full.
const maxDerivations = 4096

// derive returns the derivation of the set's YEARLY to DAILY rule.
func (s *Set) derive() *derivation {
	f := s.startF
	h, m, sec := f.Clock()
	key := derivationKey{rule: s.rule, noFast: s.noFast, month: int(f.Month()), day: f.Day(),
		weekday: int(f.Weekday()), clock: h*3600 + m*60 + sec}
	derivations.Lock()
	d := derivations.m[key]
	derivations.Unlock()
	if d != nil {
		return d
	}
	d = &derivation{opt: withDefaults(s.rule.opt, f)}
	if !s.noFast {
		d.fast = newFastRule(d.opt)
	}
	s.opt = &d.opt
	d.err = s.checkFeasible()
	if !s.rule.shared {
		return d
	}
	derivations.Lock()
	if derivations.m == nil || len(derivations.m) >= maxDerivations {
		derivations.m = make(map[derivationKey]*derivation)
	}
	derivations.m[key] = d
	derivations.Unlock()
	return d
}

// surelyProductive reports rules, as written (before DTSTART's defaults),
// that obviously match again and again, so that the search for a first
// instance can be skipped when COUNT does not need it.
func surelyProductive(u rrule.ROption) bool {
	if u.Freq >= rrule.HOURLY || len(u.Bysetpos)+len(u.Byweekno)+len(u.Byyearday)+len(u.Bymonthday) > 0 {
		return false
	}
	for _, w := range u.Byweekday {
		if w.N() != 0 {
			return false
		}
	}
	switch {
	case (u.Freq == rrule.YEARLY || u.Freq == rrule.MONTHLY) && len(u.Bymonth) > 0 && len(u.Byweekday) == 0:
		return false // DTSTART's day of the month may not exist in those months
	case u.Interval > 1 && len(u.Bymonth)+len(u.Byweekday) > 0:
		return false // the INTERVAL may never land on them
	}
	return true
}

func rruleWeekday(d time.Weekday) rrule.Weekday {
	return [...]rrule.Weekday{rrule.SU, rrule.MO, rrule.TU, rrule.WE, rrule.TH, rrule.FR, rrule.SA}[d]
}
