package task

import (
	"fmt"
	"time"
	"unicode"
	"unicode/utf8"
)

// Limits on input, in bytes.
const (
	MaxTitle       = 1 << 10
	MaxDescription = 64 << 10
	MaxUser        = 256
	MaxID          = 128
	MaxPeople      = 200 // assignees, and separately followers, of one task
	MaxClientKey   = 128 // Spec.ClientKey
)

// Bounds on times. Every time a caller passes (a period's ends, Sweep's
// now) lies in years MinYear to MaxYear; a due lies in MinDueYear to
// MaxDueYear, which index keys can order. Others are refused with
// ErrInvalid.
const (
	MinYear    = 1
	MaxYear    = 9999
	MinDueYear = 1970
	MaxDueYear = 2200
)

// checkTime refuses a non-zero time outside years MinYear to MaxYear.
func checkTime(what string, t time.Time) error {
	if t.IsZero() {
		return nil
	}
	if y := t.Year(); y < MinYear || y > MaxYear {
		return fmt.Errorf("task: %s in year %d, outside %d..%d: %w", what, y, MinYear, MaxYear, ErrInvalid)
	}
	return nil
}

func checkUser(what, u string) error {
	if u == "" || len(u) > MaxUser || !utf8.ValidString(u) || hasControl(u) {
		return fmt.Errorf("task: %s %q: must be 1 to %d bytes of printable UTF-8: %w", what, clip(u), MaxUser, ErrInvalid)
	}
	return nil
}

func checkID(id string) error {
	if id == "" || len(id) > MaxID || !utf8.ValidString(id) || hasControl(id) {
		return fmt.Errorf("task: id %q: %w", clip(id), ErrInvalid)
	}
	return nil
}

func checkText(what, s string, minLen, maxLen int) error {
	switch {
	case len(s) < minLen:
		return fmt.Errorf("task: empty %s: %w", what, ErrInvalid)
	case len(s) > maxLen:
		return fmt.Errorf("task: %s of %d bytes exceeds %d: %w", what, len(s), maxLen, ErrTooLarge)
	case !utf8.ValidString(s):
		return fmt.Errorf("task: %s is not valid UTF-8: %w", what, ErrInvalid)
	}
	return nil
}

// checkPeople checks a list of users and returns it without duplicates, in
// first-seen order.
func checkPeople(what string, users []string) ([]string, error) {
	if len(users) > MaxPeople {
		return nil, fmt.Errorf("task: %d %s exceed %d: %w", len(users), what, MaxPeople, ErrTooLarge)
	}
	out := make([]string, 0, len(users))
	seen := make(map[string]bool, len(users))
	for _, u := range users {
		if err := checkUser(what, u); err != nil {
			return nil, err
		}
		if !seen[u] {
			seen[u] = true
			out = append(out, u)
		}
	}
	return out, nil
}

func hasControl(s string) bool {
	for _, r := range s {
		if unicode.IsControl(r) {
			return true
		}
	}
	return false
}

// clip shortens s for an error message.
func clip(s string) string {
	if len(s) <= 64 {
		return s
	}
	return s[:64] + "..."
}

// Permissions (see the package doc).

func canView(t *Task, user string) bool {
	return t.Creator == user || t.IsAssignee(user) || t.IsFollower(user)
}

func utf8Valid(ss ...string) bool {
	for _, s := range ss {
		if !utf8.ValidString(s) || hasControl(s) {
			return false
		}
	}
	return true
}
