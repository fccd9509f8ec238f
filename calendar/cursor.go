package calendar

import (
	"encoding/base64"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// cursor is where a page of instances ended: after the instance with
// this start, event id and original start (Unix ns), or, when all is set,
// after every instance starting at start. The zero cursor is before
// everything.
type cursor struct {
	set   bool
	start int64
	id    string
	orig  int64
	all   bool
}

// String encodes c as an opaque page token.
func (c cursor) String() string {
	v := "i1." + strconv.FormatInt(c.start, 10) + "."
	if c.all {
		v += "*"
	} else {
		v += strconv.FormatInt(c.orig, 10) + "." + c.id
	}
	return base64.RawURLEncoding.EncodeToString([]byte(v))
}

// parseCursor decodes a page token; "" is the first page.
func parseCursor(tok string) (cursor, error) {
	if tok == "" {
		return cursor{}, nil
	}
	bad := fmt.Errorf("page %q: not a page of instances: %w", tok, ErrInvalid)
	parts, ok := tokenParts(tok, 4)
	if !ok {
		return cursor{}, bad
	}
	if len(parts) < 3 || parts[0] != "i1" {
		return cursor{}, bad
	}
	c := cursor{set: true}
	var err error
	if c.start, err = strconv.ParseInt(parts[1], 10, 64); err != nil {
		return cursor{}, bad
	}
	if parts[2] == "*" && len(parts) == 3 {
		c.all = true
		return c, nil
	}
	if len(parts) != 4 || parts[3] == "" {
		return cursor{}, bad
	}
	if c.orig, err = strconv.ParseInt(parts[2], 10, 64); err != nil {
		return cursor{}, bad
	}
	c.id = parts[3]
	return c, nil
}

// tokenParts decodes a page token into at most n "."-separated parts;
// ok is false when it does not decode.
func tokenParts(tok string, n int) (parts []string, ok bool) {
	if len(tok) > 1024 {
		return nil, false
	}
	b, err := base64.RawURLEncoding.DecodeString(tok)
	if err != nil {
		return nil, false
	}
	return strings.SplitN(string(b), ".", n), true
}

// before reports whether c comes before the instance (start, id, orig),
// which then belongs after the page c ended.
func (c cursor) before(start time.Time, id string, orig time.Time) bool {
	if !c.set {
		return true
	}
	s := start.UnixNano()
	if s != c.start {
		return s > c.start
	}
	if c.all {
		return false
	}
	if id != c.id {
		return id > c.id
	}
	return orig.UnixNano() > c.orig
}

// startTime is the earliest start a series is expanded from after c.
func (c cursor) startTime() time.Time {
	if !c.set {
		return time.Time{}
	}
	return time.Unix(0, c.start)
}
