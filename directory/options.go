package directory

import (
	"fmt"
	"time"

	"github.com/workspace-go/workspace/internal/ids"
)

// Option configures a Service. Options are applied in order by New; nil
// options are skipped.
type Option func(*options) error

type options struct {
	now    func() time.Time
	newID  func() string
	admins map[string]bool
}

// WithClock makes the Service read the time from now instead of time.Now.
// Tests pass a fake clock's Now method.
func WithClock(now func() time.Time) Option {
	return func(o *options) error {
		if now == nil {
			return fmt.Errorf("WithClock(nil): %w", ErrInvalid)
		}
		o.now = now
		return nil
	}
}

// WithIDs makes the Service name new users, departments and groups that
// come without an id with gen instead of the default time-ordered UUIDv7
// generator. Ids must be unique, non-empty and at most MaxIDLen bytes.
func WithIDs(gen func() string) Option {
	return func(o *options) error {
		if gen == nil {
			return fmt.Errorf("WithIDs(nil): %w", ErrInvalid)
		}
		o.newID = gen
		return nil
	}
}

// WithAdmins names the actors who may change the directory: create and
// update users, departments and groups, and import an org chart. They
// need not be users of the directory (an application may act as
// "system"). The default is none, which makes the directory read-only;
// options add up.
func WithAdmins(ids ...string) Option {
	return func(o *options) error {
		for _, id := range ids {
			if err := checkID("admin", id); err != nil {
				return err
			}
			o.admins[id] = true
		}
		return nil
	}
}

func newOptions(opts []Option) (options, error) {
	o := options{now: time.Now, admins: map[string]bool{}}
	for _, opt := range opts {
		if opt == nil {
			continue
		}
		if err := opt(&o); err != nil {
			return options{}, err
		}
	}
	if o.newID == nil {
		o.newID = ids.New(o.now)
	}
	return o, nil
}
