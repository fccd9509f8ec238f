package directory

import (
	"encoding/base64"
	"fmt"
	"strings"
)

// Cursors are opaque to callers: "v1:" and the last id of the page, in
// base64url. They say where the next page starts, not what it filters.
const cursorTag = "v1:"

func encodeCursor(last string) string {
	return base64.RawURLEncoding.EncodeToString([]byte(cursorTag + last))
}

func decodeCursor(c string) (string, error) {
	if c == "" {
		return "", nil
	}
	b, err := base64.RawURLEncoding.DecodeString(c)
	if err != nil || !strings.HasPrefix(string(b), cursorTag) || len(b) == len(cursorTag) || len(b) > len(cursorTag)+MaxIDLen {
		return "", fmt.Errorf("cursor %q: %w", c, ErrInvalid)
	}
	return string(b[len(cursorTag):]), nil
}

func pageSize(n int) (int, error) {
	switch {
	case n < 0:
		return 0, fmt.Errorf("page size %d: %w", n, ErrInvalid)
	case n == 0:
		return DefaultPageSize, nil
	case n > MaxPageSize:
		return 0, fmt.Errorf("page size %d (max %d): %w", n, MaxPageSize, ErrTooLarge)
	}
	return n, nil
}
