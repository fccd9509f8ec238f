package recur

import (
	"fmt"

	"github.com/workspace-go/workspace/store"
)

// Errors returned (wrapped, with what and which) by this package. Each wraps
// [store.ErrInvalid], so callers may test for either.
var (
	// ErrInvalid reports a bad series: an unknown or repeated RRULE part, a
	// value out of range, COUNT with UNTIL, an UNTIL past year 9999, a rule
	// that can never produce an instance, a zero or out-of-range DTSTART.
	ErrInvalid = fmt.Errorf("invalid recurrence: %w", store.ErrInvalid)

	// ErrUnbounded reports that every instance of a series was asked for but
	// the series never ends or has more than [MaxInstances] instances.
	ErrUnbounded = fmt.Errorf("unbounded series: %w", ErrInvalid)
)
