package chat

import (
	"encoding/base64"
	"fmt"
	"slices"

	"github.com/workspace-go/workspace/store"
)

// Paging limits of every listing.
const (
	// DefaultLimit is the page size when a listing's limit is zero or
	// negative.
	DefaultLimit = 50
	// MaxLimit is the largest page: a larger limit is lowered to it.
	MaxLimit = 200
)

// ListOptions selects one page of a listing: the Next of the previous page
// (empty for the first) and the most items wanted (<= 0 means
// DefaultLimit, at most MaxLimit).
type ListOptions struct {
	Cursor string `json:"cursor,omitempty"`
	Limit  int    `json:"limit,omitempty"`
}

func pageLimit(n int) int {
	switch {
	case n <= 0:
		return DefaultLimit
	case n > MaxLimit:
		return MaxLimit
	}
	return n
}

// maxCursorLength bounds an opaque cursor, in bytes.
const maxCursorLength = 2048

// decodeCursor decodes an opaque cursor made by encodeCursor.
func decodeCursor(c string) ([]byte, error) {
	if len(c) > maxCursorLength {
		return nil, fmt.Errorf("cursor of %d bytes: %w", len(c), ErrInvalid)
	}
	b, err := base64.RawURLEncoding.DecodeString(c)
	if err != nil || len(b) == 0 {
		return nil, fmt.Errorf("cursor %q: malformed: %w", c, ErrInvalid)
	}
	return b, nil
}

func encodeCursor(b []byte) string { return base64.RawURLEncoding.EncodeToString(b) }

// listPage returns one page of the keys under prefix, in ascending key
// order (descending when reverse), made into items by item, which may skip
// a key by returning false. The cursor is the part of the last key after
// prefix: a page is one range scan, whatever came before.
func listPage[T any](tx store.Tx, prefix []byte, o ListOptions, reverse bool,
	item func(k, v []byte) (T, bool, error)) (store.Page[T], error) {
	limit := pageLimit(o.Limit)
	r := store.Prefix(prefix)
	r.Reverse = reverse
	if o.Cursor != "" {
		tail, err := decodeCursor(o.Cursor)
		if err != nil {
			return store.Page[T]{}, err
		}
		at := append(slices.Clone(prefix), tail...)
		if reverse {
			r.End = at
		} else {
			r.Start = append(at, 0) // the first key after it
		}
	}
	p := store.Page[T]{Items: []T{}}
	var last []byte
	for k, v := range tx.Scan(r) {
		it, ok, err := item(k, v)
		if err != nil {
			return store.Page[T]{}, err
		}
		if !ok {
			continue
		}
		if len(p.Items) == limit {
			p.Next = encodeCursor(last[len(prefix):])
			break
		}
		p.Items = append(p.Items, it)
		last = append(last[:0], k...)
	}
	return p, nil
}
