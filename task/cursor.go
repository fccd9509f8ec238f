package task

import (
	"bytes"
	"encoding/base64"
	"fmt"
)

// A cursor is the last index key a page returned, base64url-encoded: the
// next page starts after it (or, for a page in reverse order, before it).

func encodeCursor(key []byte) string { return base64.RawURLEncoding.EncodeToString(key) }

// decodeCursor reads a cursor and checks that it lies in [lo, hi), the
// keys of the listing it is passed to.
func decodeCursor(what, cursor string, lo, hi []byte) ([]byte, error) {
	c, err := base64.RawURLEncoding.DecodeString(cursor)
	if err != nil || bytes.Compare(c, lo) < 0 || bytes.Compare(c, hi) >= 0 {
		return nil, fmt.Errorf("task: %s: cursor does not belong to this listing: %w", what, ErrInvalid)
	}
	return c, nil
}
