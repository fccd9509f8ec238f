package store

import "fmt"

// CheckKey reports whether key is one a backend accepts: not empty and at
// most MaxKeySize bytes. The error wraps ErrInvalid. Backends call it so
// that every backend rejects the same keys.
func CheckKey(key []byte) error {
	switch {
	case len(key) == 0:
		return fmt.Errorf("store: empty key: %w", ErrInvalid)
	case len(key) > MaxKeySize:
		return fmt.Errorf("store: key of %d bytes exceeds %d: %w", len(key), MaxKeySize, ErrTooLarge)
	}
	return nil
}

// CheckValue reports whether value is one a backend accepts: not nil and at
// most MaxValueSize bytes. An empty, non-nil value is allowed.
func CheckValue(value []byte) error {
	switch {
	case value == nil:
		return fmt.Errorf("store: nil value: %w", ErrInvalid)
	case len(value) > MaxValueSize:
		return fmt.Errorf("store: value of %d bytes exceeds %d: %w", len(value), MaxValueSize, ErrTooLarge)
	}
	return nil
}

// CheckChange reports whether a change record is one a backend accepts:
// a kind of 1 to MaxKindSize bytes and data of at most MaxValueSize bytes.
func CheckChange(kind string, data []byte) error {
	switch {
	case kind == "":
		return fmt.Errorf("store: empty change kind: %w", ErrInvalid)
	case len(kind) > MaxKindSize:
		return fmt.Errorf("store: change kind of %d bytes exceeds %d: %w", len(kind), MaxKindSize, ErrTooLarge)
	}
	return CheckChangeData(data)
}

// CheckChangeData reports whether data is a change record's data a backend
// accepts: at most MaxValueSize bytes (nil is empty). Append and Rewrite
// both check it.
func CheckChangeData(data []byte) error {
	if len(data) > MaxValueSize {
		return fmt.Errorf("store: change of %d bytes exceeds %d: %w", len(data), MaxValueSize, ErrTooLarge)
	}
	return nil
}

// CheckRange reports whether r is well formed: Start <= End when both are
// set. The error wraps ErrInvalid.
func CheckRange(r Range) error {
	if r.Start != nil && r.End != nil && string(r.Start) > string(r.End) {
		return fmt.Errorf("store: range start %q after end %q: %w", r.Start, r.End, ErrInvalid)
	}
	return nil
}
