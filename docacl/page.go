package docacl

import (
	"encoding/base64"
	"fmt"
	"strings"

	"github.com/workspace-go/workspace/store"
)

// Page sizes of every listing (Grants, Links, Accessible, Who and the
// audit trails).
const (
	// DefaultPageSize is the size of a page when PageOptions.Limit is 0.
	DefaultPageSize = 100
	// MaxPageSize is the largest PageOptions.Limit; a larger one fails
	// with ErrTooLarge.
	MaxPageSize = 1000
)

// PageOptions select one page of a listing.
type PageOptions struct {
	// Limit is the most items on the page: 0 means DefaultPageSize; at
	// most MaxPageSize.
	Limit int `json:"limit,omitempty"`
	// Cursor is the Next of the previous page, passed back unchanged; ""
	// for the first page.
	Cursor string `json:"cursor,omitempty"`
}

// cursor is a decoded PageOptions: how many items, and the listing key of
// the last item of the previous page ("" for the first page).
type cursor struct {
	limit int
	after string
}

// parsePage validates po for the listing named list. A cursor is the
// listing's name and the last key, base64url-encoded: opaque to clients,
// and refused (ErrInvalid) by another listing or when forged.
func parsePage(list string, po PageOptions) (cursor, error) {
	c := cursor{limit: po.Limit}
	switch {
	case po.Limit < 0:
		return c, fmt.Errorf("docacl: %s: page limit %d: %w", list, po.Limit, ErrInvalid)
	case po.Limit > MaxPageSize:
		return c, fmt.Errorf("docacl: %s: page limit %d exceeds %d: %w", list, po.Limit, MaxPageSize, ErrTooLarge)
	case po.Limit == 0:
		c.limit = DefaultPageSize
	}
	if po.Cursor == "" {
		return c, nil
	}
	b, err := base64.RawURLEncoding.DecodeString(po.Cursor)
	name, after, ok := strings.Cut(string(b), "\x00")
	if err != nil || !ok || name != list || after == "" {
		return c, fmt.Errorf("docacl: %s: malformed page cursor: %w", list, ErrInvalid)
	}
	c.after = after
	return c, nil
}

// nextCursor returns the cursor of the page after the item with key last.
func nextCursor(list, last string) string {
	return base64.RawURLEncoding.EncodeToString([]byte(list + "\x00" + last))
}

// pageOf returns the page of items (sorted by key, ascending, with unique
// keys) that follows c.
func pageOf[T any](list string, items []T, key func(*T) string, c cursor) store.Page[T] {
	i := 0
	if c.after != "" {
		lo, hi := 0, len(items)
		for lo < hi { // the first item after c.after
			mid := int(uint(lo+hi) >> 1)
			if key(&items[mid]) <= c.after {
				lo = mid + 1
			} else {
				hi = mid
			}
		}
		i = lo
	}
	end := min(i+c.limit, len(items))
	pg := store.Page[T]{Items: items[i:end:end]}
	if pg.Items == nil {
		pg.Items = []T{}
	}
	if end < len(items) {
		pg.Next = nextCursor(list, key(&items[end-1]))
	}
	return pg
}
