package recur

import (
	"hash/fnv"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/teambition/rrule-go"
)

// windowRules covers every FREQ with the BY* parts that shape its periods.
var windowRules = []string{
	"FREQ=DAILY",
	"FREQ=DAILY;INTERVAL=3",
	"FREQ=DAILY;INTERVAL=10;COUNT=500",
	"FREQ=DAILY;BYHOUR=8,13;BYMINUTE=0,30",
	"FREQ=DAILY;BYMONTH=2;BYMONTHDAY=29",
	"FREQ=DAILY;BYDAY=MO,FR;BYMONTH=1,7",
	"FREQ=WEEKLY",
	"FREQ=WEEKLY;INTERVAL=2;BYDAY=TU,TH;WKST=SU",
	"FREQ=WEEKLY;INTERVAL=2;BYDAY=TU,SU;WKST=MO",
	"FREQ=WEEKLY;INTERVAL=3;BYDAY=MO,WE,FR;COUNT=200",
	"FREQ=WEEKLY;BYDAY=SA;BYHOUR=2;BYMINUTE=30",
	"FREQ=MONTHLY",
	"FREQ=MONTHLY;BYMONTHDAY=31",
	"FREQ=MONTHLY;BYMONTHDAY=-1,1,15",
	"FREQ=MONTHLY;INTERVAL=5;BYDAY=2TU,-1FR",
	"FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-2",
	"FREQ=MONTHLY;BYDAY=FR;BYMONTHDAY=13",
	"FREQ=MONTHLY;INTERVAL=18;COUNT=60;BYMONTHDAY=10,11,12",
	"FREQ=YEARLY",
	"FREQ=YEARLY;INTERVAL=3;BYYEARDAY=1,100,200,-1",
	"FREQ=YEARLY;BYWEEKNO=1,20,53;BYDAY=MO,SU",
	"FREQ=YEARLY;BYWEEKNO=-1;BYDAY=TH;WKST=SU",
	"FREQ=YEARLY;BYDAY=20MO",
	"FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU",
	"FREQ=YEARLY;BYMONTH=11;BYDAY=TU;BYMONTHDAY=2,3,4,5,6,7,8;INTERVAL=4",
	"FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29",
	"FREQ=HOURLY;INTERVAL=7",
	"FREQ=HOURLY;INTERVAL=5;BYHOUR=1,2,3,10;BYDAY=SU",
	"FREQ=HOURLY;BYMINUTE=0,45;BYSETPOS=-1",
	"FREQ=MINUTELY;INTERVAL=97;BYHOUR=1,2,3",
	"FREQ=MINUTELY;INTERVAL=20;BYHOUR=9,10;BYDAY=MO",
	"FREQ=SECONDLY;INTERVAL=7919;BYMINUTE=0,1,2",
	"FREQ=HOURLY;INTERVAL=5;BYMONTHDAY=1,-1;BYMONTH=3,4",
	"FREQ=MINUTELY;INTERVAL=13;BYYEARDAY=60,-300;BYSECOND=5,10",
	"FREQ=SECONDLY;INTERVAL=30;BYHOUR=5;BYDAY=TU,FR;BYSETPOS=1",
	"FREQ=HOURLY;COUNT=3000;BYHOUR=1,13",
	"FREQ=DAILY;UNTIL=20300101T000000Z",
	"FREQ=WEEKLY;BYMONTH=1,7;BYDAY=MO,SU;WKST=SU",
	"FREQ=MONTHLY;BYDAY=MO;BYHOUR=9,17;BYSETPOS=1,-1",
	"FREQ=YEARLY;BYYEARDAY=-1,60;BYMONTH=2,12;BYHOUR=23;BYMINUTE=59",
	"FREQ=YEARLY;INTERVAL=2;BYWEEKNO=1,-1;WKST=TH",
	"FREQ=MONTHLY;INTERVAL=7;BYMONTHDAY=-31,31;COUNT=40",
	"FREQ=WEEKLY;BYDAY=MO,TU;UNTIL=20290315",
}

// TestBetweenFarWindowsMatchAWalkFromStart checks the jump to a window: any
// window must give exactly the instances a walk from DTSTART finds there.
func TestBetweenFarWindowsMatchAWalkFromStart(t *testing.T) {
	zones := []string{"America/New_York", "Australia/Lord_Howe", "UTC", "Pacific/Apia"}
	for _, zone := range zones {
		loc, err := time.LoadLocation(zone)
		if err != nil {
			t.Fatal(err)
		}
		for _, rr := range windowRules {
			t.Run("a window of "+rr+" in "+zone+" matches the walk", func(t *testing.T) {
				rng := seeded(t)
				start := time.Date(2020+rng.IntN(3), time.Month(1+rng.IntN(12)), 1+rng.IntN(28), rng.IntN(24), rng.IntN(60), 0, 0, loc)
				set, err := Compile(Series{Start: start, RRule: rr, ExDates: []time.Time{start.AddDate(0, 0, 7)}})
				if err != nil {
					t.Fatal(err)
				}
				subDaily := set.sub != nil
				for range 8 {
					// The walk from DTSTART is the slow part: keep it short
					// for rules with many instances a day.
					from := start.Add(time.Duration(rng.Int64N(int64(12 * 365 * 24 * time.Hour))))
					to := from.Add(time.Duration(rng.Int64N(int64(90 * 24 * time.Hour))))
					if subDaily {
						from = start.Add(time.Duration(rng.Int64N(int64(90 * 24 * time.Hour))))
						to = from.Add(time.Duration(rng.Int64N(int64(5 * 24 * time.Hour))))
					}
					walk := walkFromStart(t, set, start, from, to)
					got := set.Between(from, to, 0)
					if !slices.EqualFunc(got, walk, time.Time.Equal) {
						t.Errorf("Between(%s, %s):\n got %v\nwant %v", from, to, got, walk)
					}
					if len(walk) > 1 {
						if got := set.Between(from, to, 1); len(got) != 1 || !got[0].Equal(walk[0]) {
							t.Errorf("Between(%s, %s, 1) got %v, want %v", from, to, got, walk[:1])
						}
					}
				}
			})
		}
	}
}

// walkFromStart returns the instances in [from, to) by expanding the rule
// from DTSTART with rrule-go and no jump.
func walkFromStart(t *testing.T, set *Set, start, from, to time.Time) []time.Time {
	t.Helper()
	o := *set.opt
	o.Dtstart, o.Count, o.Until = set.startF, set.ruleCount, lastFloating
	if !set.untilF.IsZero() {
		o.Until = set.untilF
	}
	r, err := rrule.NewRRule(o)
	if err != nil {
		t.Fatal(err)
	}
	var out []time.Time
	if !start.Before(from) && start.Before(to) && !set.excluded(set.startF, start) {
		out = append(out, start)
	}
	next := r.Iterator()
	for f, ok := next(); ok; f, ok = next() {
		if f.Equal(set.startF) {
			continue
		}
		inst := resolve(f, set.loc)
		if f.After(floating(to, set.loc).Add(72 * time.Hour)) {
			break
		}
		if inst.Before(from) || !inst.Before(to) || set.excluded(f, inst) ||
			!set.untilAt.IsZero() && inst.After(set.untilAt) {
			continue
		}
		out = append(out, inst)
	}
	slices.SortFunc(out, time.Time.Compare)
	return slices.CompactFunc(out, time.Time.Equal)
}

// TestRulesAgreeWithRRuleGo checks, in UTC where rrule-go has no DST gap,
// that the explicit BY* defaults change nothing: the instances are rrule-go's
// plus DTSTART.
func TestRulesAgreeWithRRuleGo(t *testing.T) {
	for _, rr := range windowRules {
		t.Run(rr+" gives rrule-go's instances plus DTSTART", func(t *testing.T) {
			rng := seeded(t)
			start := time.Date(2020+rng.IntN(3), time.Month(1+rng.IntN(12)), 1+rng.IntN(28), rng.IntN(24), rng.IntN(60), 0, 0, time.UTC)
			set, err := Compile(Series{Start: start, RRule: rr})
			if err != nil {
				t.Fatal(err)
			}
			peer, err := rrule.StrToRRule("DTSTART:" + start.Format("20060102T150405Z") + "\nRRULE:" + rr)
			if err != nil {
				t.Fatal(err)
			}
			to := start.AddDate(6, 0, 0)
			if rr[:10] == "FREQ=SECON" || rr[:10] == "FREQ=MINUT" || rr[:10] == "FREQ=HOURL" {
				to = start.AddDate(0, 0, 20)
			}
			want := peer.Between(start, to.Add(-time.Second), true)
			if set.rule.count > 0 && !slices.ContainsFunc(want, start.Equal) {
				// DTSTART off the rule counts toward COUNT.
				want = append([]time.Time{start}, peer.Between(start, to, true)...)
				all := peer.All()
				want = slices.DeleteFunc(want, func(x time.Time) bool { return !x.Equal(start) && x.After(all[len(all)-2]) })
			} else if !slices.ContainsFunc(want, start.Equal) {
				want = append([]time.Time{start}, want...)
			}
			got := set.Between(start, to, 0)
			if !slices.EqualFunc(got, want, time.Time.Equal) {
				t.Errorf("got  %v\nwant %v", got, want)
			}
		})
	}
}

// seeded returns a generator seeded from the test's name.
func seeded(t *testing.T) *rand.Rand {
	h := fnv.New64a()
	h.Write([]byte(t.Name()))
	return rand.New(rand.NewPCG(h.Sum64(), 1))
}
