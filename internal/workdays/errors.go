package workdays

import (
	"fmt"

	"github.com/workspace-go/workspace/store"
)

// Errors returned (wrapped, with the operation and the day) by this
// package. Each wraps [store.ErrInvalid].
var (
	// ErrInvalid reports a bad option or argument: a weekday out of range,
	// a zero day, a count of working days beyond [MaxWorkdays].
	ErrInvalid = fmt.Errorf("workdays: %w", store.ErrInvalid)

	// ErrOutOfRange reports a day in a year the official schedule does not
	// cover (see [FirstYear], [LastYear]) and the tenant has not set.
	ErrOutOfRange = fmt.Errorf("year outside the official holiday schedule: %w", ErrInvalid)
)
