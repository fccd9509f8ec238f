package file

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Limits on names and ids.
const (
	// MaxNameLen is the longest file name, in bytes of UTF-8: 255, the
	// limit of most file systems, so a downloaded file can be saved.
	MaxNameLen = 255
	// MaxIDLen is the longest container, id, client key or blob prefix,
	// in bytes.
	MaxIDLen = 256
	// MaxVersions is the most versions one file keeps; an upload or
	// restore beyond it is refused with ErrTooLarge (delete the file or
	// start a new one).
	MaxVersions = 1000
	// MaxPageSize is the largest page of a listing; 0 asks for DefaultPageSize.
	MaxPageSize = 1000
	// DefaultPageSize is the page size when the caller passes 0.
	DefaultPageSize = 100
)

// ValidName reports whether name may name a file, and why not: it must be
// valid UTF-8, 1 to MaxNameLen bytes, without path separators ('/', '\'),
// NUL or other control characters, not "." or "..", and without leading or
// trailing spaces. The error wraps ErrInvalid (ErrTooLarge for length).
func ValidName(name string) error {
	switch {
	case name == "":
		return fmt.Errorf("file: name: empty: %w", ErrInvalid)
	case len(name) > MaxNameLen:
		return fmt.Errorf("file: name of %d bytes (limit %d): %w", len(name), MaxNameLen, ErrTooLarge)
	case !utf8.ValidString(name):
		return fmt.Errorf("file: name %q: not UTF-8: %w", name, ErrInvalid)
	case name == "." || name == "..":
		return fmt.Errorf("file: name %q: %w", name, ErrInvalid)
	case strings.TrimSpace(name) != name:
		return fmt.Errorf("file: name %q: leading or trailing space: %w", name, ErrInvalid)
	}
	for _, r := range name {
		switch {
		case r == '/' || r == '\\':
			return fmt.Errorf("file: name %q: path separator: %w", name, ErrInvalid)
		case r == 0 || unicode.IsControl(r) || r == '\u2028' || r == '\u2029' || r == '\ufeff':
			return fmt.Errorf("file: name %q: control character %U: %w", name, r, ErrInvalid)
		}
	}
	return nil
}

func validID(what, id string) error {
	if id == "" {
		return fmt.Errorf("file: %s: empty: %w", what, ErrInvalid)
	}
	if len(id) > MaxIDLen {
		return fmt.Errorf("file: %s of %d bytes: %w", what, len(id), ErrTooLarge)
	}
	return nil
}

func ext(name string) string {
	i := strings.LastIndexByte(name, '.')
	if i < 0 {
		return ""
	}
	return strings.ToLower(name[i+1:])
}
