// Package keys builds ordered store keys from parts, so that the byte order
// of keys is the order of the tuples they encode.
//
// Each part is written with 0x00 escaped as 0x00 0xff and ends with the
// terminator 0x00 0x01. The encoding of a tuple is therefore a prefix of
// the encoding of every longer tuple that starts with it, and no part can
// forge a boundary, whatever bytes a user-supplied id contains. Numbers and
// times are fixed-width big-endian, so they sort numerically.
package keys

import (
	"encoding/binary"
	"errors"
	"math"
	"time"
)

// ErrMalformed reports a key that was not built by this package.
var ErrMalformed = errors.New("keys: malformed key")

// New returns the key made of parts.
func New(parts ...string) []byte {
	n := 0
	for _, p := range parts {
		n += len(p) + 2
	}
	b := make([]byte, 0, n+16)
	for _, p := range parts {
		b = Append(b, p)
	}
	return b
}

// Append appends one part to key and returns the extended key.
func Append(key []byte, part string) []byte {
	for i := 0; i < len(part); i++ {
		c := part[i]
		if c == 0 {
			key = append(key, 0, 0xff)
			continue
		}
		key = append(key, c)
	}
	return append(key, 0, 1)
}

// AppendBytes is Append for a byte-slice part.
func AppendBytes(key []byte, part []byte) []byte {
	for _, c := range part {
		if c == 0 {
			key = append(key, 0, 0xff)
			continue
		}
		key = append(key, c)
	}
	return append(key, 0, 1)
}

// AppendUint64 appends v as a part that sorts numerically.
func AppendUint64(key []byte, v uint64) []byte {
	var b [8]byte
	binary.BigEndian.PutUint64(b[:], v)
	return AppendBytes(key, b[:])
}

// AppendInt64 appends v as a part that sorts numerically, negatives first.
func AppendInt64(key []byte, v int64) []byte {
	return AppendUint64(key, uint64(v)^(1<<63))
}

// AppendTime appends t (to the nanosecond, time zone dropped) as a part
// that sorts chronologically. Times outside the years 1678 to 2262 are
// clamped to that range.
func AppendTime(key []byte, t time.Time) []byte {
	switch {
	case t.Before(minTime):
		t = minTime
	case t.After(maxTime):
		t = maxTime
	}
	return AppendInt64(key, t.UnixNano())
}

// The range of times UnixNano represents.
var (
	minTime = time.Unix(0, math.MinInt64)
	maxTime = time.Unix(0, math.MaxInt64)
)

// Split returns the parts of key. The slices alias a fresh copy, not key.
func Split(key []byte) ([][]byte, error) {
	var parts [][]byte
	cur := make([]byte, 0, len(key))
	for i := 0; i < len(key); i++ {
		c := key[i]
		if c != 0 {
			cur = append(cur, c)
			continue
		}
		if i+1 >= len(key) {
			return nil, ErrMalformed
		}
		i++
		switch key[i] {
		case 0xff:
			cur = append(cur, 0)
		case 1:
			parts = append(parts, cur)
			cur = cur[len(cur):]
		default:
			return nil, ErrMalformed
		}
	}
	if len(cur) != 0 {
		return nil, ErrMalformed
	}
	return parts, nil
}

// Last returns the last part of key as a string.
func Last(key []byte) (string, error) {
	parts, err := Split(key)
	if err != nil || len(parts) == 0 {
		return "", ErrMalformed
	}
	return string(parts[len(parts)-1]), nil
}

// Uint64 decodes a part written by AppendUint64.
func Uint64(part []byte) (uint64, error) {
	if len(part) != 8 {
		return 0, ErrMalformed
	}
	return binary.BigEndian.Uint64(part), nil
}

// Int64 decodes a part written by AppendInt64.
func Int64(part []byte) (int64, error) {
	u, err := Uint64(part)
	return int64(u ^ (1 << 63)), err
}

// Time decodes a part written by AppendTime, in UTC.
func Time(part []byte) (time.Time, error) {
	n, err := Int64(part)
	if err != nil {
		return time.Time{}, err
	}
	return time.Unix(0, n).UTC(), nil
}
