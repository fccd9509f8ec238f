package docacl

import (
	"fmt"
	"time"
)

// MinYear and MaxYear bound every time the Service takes (expiries, the
// time of a Sweep) and every time its clock gives: a time whose year, in
// its own zone or in UTC, is outside 1–9999 is refused with [ErrInvalid]
// before anything else is done, because RFC 3339 (the wire format and the
// stored encoding) cannot write it.
const (
	MinYear = 1
	MaxYear = 9999
)

// maxZoneOffset is the largest zone offset RFC 3339 can write (±23:59).
const maxZoneOffset = 24*60*60 - 60

// checkTime reports whether t can be stored and sent: its year, in its
// own zone and in UTC, within MinYear–MaxYear, and its zone offset one
// RFC 3339 can write. The zero time is refused too; callers that give it
// a meaning ("never") test for it first.
func checkTime(t time.Time) error {
	_, off := t.Zone()
	switch y, uy := t.Year(), t.UTC().Year(); {
	case y < MinYear || y > MaxYear || uy < MinYear || uy > MaxYear:
		return fmt.Errorf("time %s: year outside %d–%d: %w", t.UTC().Format(time.RFC3339), MinYear, MaxYear, ErrInvalid)
	case off < -maxZoneOffset || off > maxZoneOffset:
		return fmt.Errorf("time %s: zone offset %ds: %w", t.UTC().Format(time.RFC3339), off, ErrInvalid)
	}
	return nil
}

// checkExpiry is checkTime for an optional expiry, where zero means never.
func checkExpiry(t time.Time) error {
	if t.IsZero() {
		return nil
	}
	return checkTime(t)
}
