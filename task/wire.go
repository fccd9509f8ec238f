package task

import "fmt"

// The wire format: every exported type an application sends to its
// clients (Task, Activity, Change, Draft, Summary, pages of them) has
// snake_case JSON tags, enums encode as their names, times as RFC 3339 with
// their offset. Task records are stored in an encoding of their own
// (codec.go), which is not the wire format.

// MarshalText encodes k as "task" or "reminder".
func (k DraftKind) MarshalText() ([]byte, error) {
	if k != DraftTask && k != DraftReminder {
		return nil, fmt.Errorf("task: draft kind %d: %w", uint8(k), ErrInvalid)
	}
	return []byte(k.String()), nil
}

// UnmarshalText decodes "task" or "reminder".
func (k *DraftKind) UnmarshalText(b []byte) error {
	switch string(b) {
	case "task":
		*k = DraftTask
	case "reminder":
		*k = DraftReminder
	default:
		return fmt.Errorf("task: draft kind %q: %w", b, ErrInvalid)
	}
	return nil
}
