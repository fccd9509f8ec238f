package task

import (
	"context"
	"fmt"
	"time"

	"github.com/workspace-go/workspace/internal/ids"
)

// Option configures a Service. New applies options in order and skips nil
// ones; an option with a bad argument makes New fail with an error wrapping
// ErrInvalid. The zero configuration (no options) is useful.
type Option func(*options) error

type options struct {
	now       func() time.Time
	newID     func() string
	nudgeGap  time.Duration
	leadTime  time.Duration
	morningAt time.Duration
	org       Org
	admins    map[string]bool
	// actorCheck admits acting users (WithActorCheck); nil: any.
	actorCheck func(ctx context.Context, actor string) error
}

// Defaults used when no option says otherwise.
const (
	// DefaultNudgeInterval is the least time between two nudges on one task.
	DefaultNudgeInterval = 5 * time.Minute
	// DefaultReminderLead is how long before a timed due the due-soon
	// reminder fires.
	DefaultReminderLead = time.Hour
	// DefaultDayReminder is the time of day, in the task's time zone, at
	// which the due-soon reminder of a date-only due fires on its date.
	DefaultDayReminder = 9 * time.Hour
)

func defaultOptions() options {
	return options{
		now:       time.Now,
		nudgeGap:  DefaultNudgeInterval,
		leadTime:  DefaultReminderLead,
		morningAt: DefaultDayReminder,
	}
}

// WithClock makes the Service read the time from now instead of
// time.Now. Tests pass a fake clock's Now method.
func WithClock(now func() time.Time) Option {
	return func(o *options) error {
		if now == nil {
			return fmt.Errorf("task: WithClock(nil): %w", ErrInvalid)
		}
		o.now = now
		return nil
	}
}

// WithIDs makes the Service name new tasks with gen instead of the default
// time-ordered UUIDv7 generator. Ids must be unique, non-empty and at most
// 128 bytes; ids that sort in creation order keep keys compact in order.
func WithIDs(gen func() string) Option {
	return func(o *options) error {
		if gen == nil {
			return fmt.Errorf("task: WithIDs(nil): %w", ErrInvalid)
		}
		o.newID = gen
		return nil
	}
}

// WithNudgeInterval sets the least time between two nudges on one task.
// The default is DefaultNudgeInterval (5 minutes); zero allows a nudge at
// any time.
func WithNudgeInterval(d time.Duration) Option {
	return func(o *options) error {
		if d < 0 {
			return fmt.Errorf("task: nudge interval %v: %w", d, ErrInvalid)
		}
		o.nudgeGap = d
		return nil
	}
}

// WithReminderLead sets how long before a timed due (minute precision) the
// due-soon reminder becomes pending for Sweep. The default is
// DefaultReminderLead (one hour); zero reminds at the due time itself.
func WithReminderLead(d time.Duration) Option {
	return func(o *options) error {
		if d < 0 {
			return fmt.Errorf("task: reminder lead %v: %w", d, ErrInvalid)
		}
		o.leadTime = d
		return nil
	}
}

// WithDayReminder sets the time of day, in the task's time zone, at which
// the due-soon reminder of a date-only due becomes pending on its date. The
// default is DefaultDayReminder (09:00).
func WithDayReminder(sinceMidnight time.Duration) Option {
	return func(o *options) error {
		if sinceMidnight < 0 || sinceMidnight >= 24*time.Hour {
			return fmt.Errorf("task: day reminder %v: must be within a day: %w", sinceMidnight, ErrInvalid)
		}
		o.morningAt = sinceMidnight
		return nil
	}
}

// WithOrg gives the Service the organisation for team reports
// (ScopeTeam). Without it, a team report is refused with ErrInvalid.
func WithOrg(org Org) Option {
	return func(o *options) error {
		if org == nil {
			return fmt.Errorf("task: WithOrg(nil): %w", ErrInvalid)
		}
		o.org = org
		return nil
	}
}

// WithAdmins names the tenant's admins, who may see the report of every
// task (ScopeAll). None by default.
func WithAdmins(users ...string) Option {
	return func(o *options) error {
		if o.admins == nil {
			o.admins = map[string]bool{}
		}
		for _, u := range users {
			if err := checkUser("admin", u); err != nil {
				return err
			}
			o.admins[u] = true
		}
		return nil
	}
}

func (o *options) finish() {
	if o.newID == nil {
		o.newID = ids.New(o.now)
	}
}
