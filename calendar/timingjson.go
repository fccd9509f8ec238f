package calendar

import (
	"encoding/json"
	"math"
	"sync"
	"unicode/utf8"
)

// decodeTiming decodes a timing record. A cold free/busy query decodes
// one per series, so the records this package writes without exceptions
// (flat JSON objects of integers, plain strings, booleans and integer
// arrays, no spaces) are read by hand, several times faster than
// encoding/json; anything else goes to encoding/json, which gives the same
// answer for what the hand decoder reads (FuzzDecodeTiming checks).
func decodeTiming(b []byte, tm *timing) error {
	if decodeFlatTiming(b, tm) {
		return nil
	}
	*tm = timing{}
	return json.Unmarshal(b, tm)
}

// decodeFlatTiming decodes b into tm when b is a timing record in the flat
// form decodeTiming reads by hand; false means it is not (tm is then
// partly written).
func decodeFlatTiming(b []byte, tm *timing) bool {
	d := flatDecoder{b: b}
	if !d.eat('{') {
		return false
	}
	if d.eat('}') {
		return d.i == len(b)
	}
	for {
		key, ok := d.str(false)
		if !ok || !d.eat(':') {
			return false
		}
		switch key {
		case "s":
			tm.Start, ok = d.int()
		case "e":
			tm.End, ok = d.int()
		case "v":
			var n int64
			if d.i < len(b) && b[d.i] == '-' {
				return false // encoding/json refuses even -0 for a uint64
			}
			n, ok = d.int()
			tm.Rev = uint64(n)
		case "z":
			tm.Zone, ok = d.str(true)
		case "r":
			tm.RRule, ok = d.str(true)
		case "a":
			tm.AllDay, ok = d.bool()
		case "f":
			tm.Free, ok = d.bool()
		case "rd":
			tm.RDates, ok = d.ints()
		case "xd":
			tm.ExDate, ok = d.ints()
		default:
			return false // exceptions, or a key encoding/json would match otherwise
		}
		if !ok {
			return false
		}
		if d.eat('}') {
			return d.i == len(b)
		}
		if !d.eat(',') {
			return false
		}
	}
}

type flatDecoder struct {
	b []byte
	i int
}

func (d *flatDecoder) eat(c byte) bool {
	if d.i < len(d.b) && d.b[d.i] == c {
		d.i++
		return true
	}
	return false
}

// str reads a string without escapes, control characters or invalid UTF-8;
// shared says to take it from the interned strings (see intern).
func (d *flatDecoder) str(shared bool) (string, bool) {
	if !d.eat('"') {
		return "", false
	}
	start := d.i
	ascii := true
	for ; d.i < len(d.b); d.i++ {
		switch c := d.b[d.i]; {
		case c == '"':
			s := d.b[start:d.i]
			d.i++
			if !ascii && !utf8.Valid(s) {
				return "", false
			}
			if shared {
				return intern(s), true
			}
			return string(s), true
		case c == '\\' || c < 0x20:
			return "", false
		case c >= utf8.RuneSelf:
			ascii = false
		}
	}
	return "", false
}

// int reads a JSON integer that fits an int64 (no fraction or exponent).
func (d *flatDecoder) int() (int64, bool) {
	neg := d.eat('-')
	start := d.i
	var n uint64
	for ; d.i < len(d.b) && d.b[d.i] >= '0' && d.b[d.i] <= '9'; d.i++ {
		if n > (math.MaxUint64-9)/10 {
			return 0, false
		}
		n = n*10 + uint64(d.b[d.i]-'0')
	}
	digits := d.i - start
	if digits == 0 || digits > 1 && d.b[start] == '0' {
		return 0, false
	}
	if d.i < len(d.b) && (d.b[d.i] == '.' || d.b[d.i] == 'e' || d.b[d.i] == 'E') {
		return 0, false
	}
	if neg {
		if n > 1<<63 {
			return 0, false
		}
		return -int64(n), true
	}
	if n > math.MaxInt64 {
		return 0, false
	}
	return int64(n), true
}

func (d *flatDecoder) bool() (bool, bool) {
	rest := d.b[d.i:]
	switch {
	case len(rest) >= 4 && string(rest[:4]) == "true":
		d.i += 4
		return true, true
	case len(rest) >= 5 && string(rest[:5]) == "false":
		d.i += 5
		return false, true
	}
	return false, false
}

// ints reads a non-empty array of integers (an empty one decodes to a
// non-nil slice in encoding/json; this package never writes one).
func (d *flatDecoder) ints() ([]int64, bool) {
	if !d.eat('[') || d.eat(']') {
		return nil, false
	}
	var out []int64
	for {
		n, ok := d.int()
		if !ok {
			return nil, false
		}
		out = append(out, n)
		if d.eat(']') {
			return out, true
		}
		if !d.eat(',') {
			return nil, false
		}
	}
}

// interned holds the zone names and rules of timing records, which repeat
// across a tenant's events, so that decoding one allocates no string for
// them. It is bounded: when full, new strings are not interned.
var interned struct {
	sync.Mutex
	m map[string]string
}

const (
	maxInterned    = 4096
	maxInternedLen = 256
)

// intern returns b as a string, shared with earlier calls for the same
// bytes when possible.
func intern(b []byte) string {
	if len(b) > maxInternedLen {
		return string(b)
	}
	interned.Lock()
	defer interned.Unlock()
	if s, ok := interned.m[string(b)]; ok {
		return s
	}
	s := string(b)
	if interned.m == nil {
		interned.m = make(map[string]string)
	}
	if len(interned.m) < maxInterned {
		interned.m[s] = s
	}
	return s
}
