package workdays

import (
	"fmt"
	"time"
)

// MaxWorkdays bounds the count given to [Calendar.AddWorkdays], about ten
// years of working days.
const MaxWorkdays = 2600

// MaxTenantDays bounds the days a tenant may set with [WithDayOff] and
// [WithDayOn] together.
const MaxTenantDays = 10000

// maxScan bounds the days walked to find one working day: no official or
// tenant schedule has a longer run of days off (a calendar whose every day
// is off fails rather than loops).
const maxScan = 400

// Calendar says which days are working days. Build one with [New] or use
// [Official]; a nil *Calendar is the official calendar. (The zero
// Calendar has no weekend and no holidays: every day is a working day.)
type Calendar struct {
	holidays bool // follow the official schedule
	weekend  [7]bool
	off, on  map[civil]struct{}
}

// Option configures a Calendar built by [New].
type Option func(*options) error

type options struct {
	holidays bool
	weekend  [7]bool
	weekSet  bool
	off, on  []civil
}

// WithWeekend sets the weekly days off. The default is Saturday and
// Sunday; no days at all is allowed (a seven-day week).
func WithWeekend(days ...time.Weekday) Option {
	return func(o *options) error {
		var w [7]bool
		for _, d := range days {
			if d < time.Sunday || d > time.Saturday {
				return fmt.Errorf("workdays: weekend day %d: %w", int(d), ErrInvalid)
			}
			w[d] = true
		}
		o.weekend, o.weekSet = w, true
		return nil
	}
}

// WithDayOff marks days as days off for the tenant (a company outing, a
// local holiday), over any official working day, swapped or not.
func WithDayOff(days ...time.Time) Option {
	return tenantDays("day off", func(o *options) *[]civil { return &o.off }, days)
}

// WithDayOn marks days as working days for the tenant (a release weekend),
// over any weekend or official holiday. A day both on and off is refused.
func WithDayOn(days ...time.Time) Option {
	return tenantDays("day on", func(o *options) *[]civil { return &o.on }, days)
}

// tenantDays appends days to the list field picks, refusing a zero day.
func tenantDays(what string, field func(*options) *[]civil, days []time.Time) Option {
	return func(o *options) error {
		list := field(o)
		for _, d := range days {
			if d.IsZero() {
				return fmt.Errorf("workdays: %s: zero day: %w", what, ErrInvalid)
			}
			*list = append(*list, civilOf(d))
		}
		return nil
	}
}

// WithoutHolidays drops the official schedule: only the weekend and the
// tenant's days count, and every year from 1 to 9999 is covered.
func WithoutHolidays() Option {
	return func(o *options) error {
		o.holidays = false
		return nil
	}
}

// New returns a calendar following the official schedule with a Saturday
// and Sunday weekend, changed by opts (nil options are skipped). A bad
// option fails with an error wrapping [ErrInvalid].
func New(opts ...Option) (*Calendar, error) {
	o := options{holidays: true}
	o.weekend[time.Saturday], o.weekend[time.Sunday] = true, true
	for _, opt := range opts {
		if opt == nil {
			continue
		}
		if err := opt(&o); err != nil {
			return nil, err
		}
	}
	if len(o.off)+len(o.on) > MaxTenantDays {
		return nil, fmt.Errorf("workdays: %d tenant days, limit %d: %w", len(o.off)+len(o.on), MaxTenantDays, ErrInvalid)
	}
	c := &Calendar{holidays: o.holidays, weekend: o.weekend}
	if len(o.off) > 0 {
		c.off = make(map[civil]struct{}, len(o.off))
		for _, d := range o.off {
			c.off[d] = struct{}{}
		}
	}
	if len(o.on) > 0 {
		c.on = make(map[civil]struct{}, len(o.on))
		for _, d := range o.on {
			if _, both := c.off[d]; both {
				return nil, fmt.Errorf("workdays: day %s is both on and off: %w", d, ErrInvalid)
			}
			c.on[d] = struct{}{}
		}
	}
	if c.holidays {
		loadOfficial()
	}
	return c, nil
}

var official0 = &Calendar{holidays: true, weekend: [7]bool{time.Sunday: true, time.Saturday: true}}

// Official returns the calendar of the official schedule with a Saturday
// and Sunday weekend and no tenant days. It is shared and immutable.
func Official() *Calendar {
	loadOfficial()
	return official0
}

// IsWorkday reports whether day (its date in its own location) is a
// working day. It fails with an error wrapping [ErrOutOfRange] for a day
// of a year the official schedule does not cover, unless the tenant set
// that day.
func (c *Calendar) IsWorkday(day time.Time) (bool, error) {
	if day.IsZero() {
		return false, fmt.Errorf("workdays: is workday: zero day: %w", ErrInvalid)
	}
	if c == nil {
		c = Official()
	}
	return c.is(civilOf(day))
}

func (c *Calendar) is(d civil) (bool, error) {
	if _, ok := c.off[d]; ok {
		return false, nil
	}
	if _, ok := c.on[d]; ok {
		return true, nil
	}
	if d.y < 1 || d.y > 9999 {
		return false, fmt.Errorf("workdays: day %s: %w", d, ErrInvalid)
	}
	if c.holidays {
		if d.y < FirstYear || d.y > LastYear {
			return false, fmt.Errorf("workdays: day %s (covered: %d-%d): %w", d, FirstYear, LastYear, ErrOutOfRange)
		}
		if h, ok := loadOfficial()[d]; ok {
			return h.work, nil
		}
	}
	wd := time.Date(d.y, d.m, d.d, 0, 0, 0, 0, time.UTC).Weekday()
	return !c.weekend[wd], nil
}

// Holiday returns the name of the official holiday day falls on (春节,
// 国庆中秋, ...; a swapped working day is named for its holiday with
// "调休" after it), or "" when it is none or the calendar has no holidays.
func (c *Calendar) Holiday(day time.Time) string {
	if c == nil {
		c = Official()
	}
	if !c.holidays || day.IsZero() {
		return ""
	}
	h, ok := loadOfficial()[civilOf(day)]
	if !ok {
		return ""
	}
	if h.work {
		return h.name + "调休"
	}
	return h.name
}

// NextWorkday returns the first working day after day (day itself not
// included), at midnight in day's location.
func (c *Calendar) NextWorkday(day time.Time) (time.Time, error) {
	return c.AddWorkdays(day, 1)
}

// AddWorkdays returns the n-th working day after day (n > 0) or before it
// (n < 0), day itself not counted, at midnight in day's location. With n ==
// 0 it returns day when that is a working day, else the next one. |n| is at
// most [MaxWorkdays].
func (c *Calendar) AddWorkdays(day time.Time, n int) (time.Time, error) {
	if day.IsZero() {
		return time.Time{}, fmt.Errorf("workdays: add workdays: zero day: %w", ErrInvalid)
	}
	if n > MaxWorkdays || n < -MaxWorkdays {
		return time.Time{}, fmt.Errorf("workdays: add %d workdays, limit %d: %w", n, MaxWorkdays, ErrInvalid)
	}
	if c == nil {
		c = Official()
	}
	loc := day.Location()
	t := civilOf(day).time(time.UTC)
	step := 1
	if n < 0 {
		step, n = -1, -n
	}
	if n == 0 {
		ok, err := c.is(civilOf(t))
		if err != nil || ok {
			return civilOf(t).time(loc), err
		}
		n = 1
	}
	for gap := 0; n > 0; {
		t = t.AddDate(0, 0, step)
		ok, err := c.is(civilOf(t))
		if err != nil {
			return time.Time{}, err
		}
		if ok {
			n, gap = n-1, 0
			continue
		}
		if gap++; gap > maxScan {
			return time.Time{}, fmt.Errorf("workdays: no working day within %d days of %s: %w", maxScan, civilOf(t), ErrInvalid)
		}
	}
	return civilOf(t).time(loc), nil
}
