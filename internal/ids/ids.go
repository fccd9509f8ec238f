// Package ids generates time-ordered identifiers: UUIDv7 in canonical
// lowercase form, so that the string order of ids is their creation order
// and keys built from them sort by time.
package ids

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"sync"
	"time"
)

// Generator returns a new id on each call. Generators returned by this
// package are safe for concurrent use.
type Generator func() string

// New returns a UUIDv7 generator reading time from now (time.Now when nil).
// Ids from one generator are strictly increasing, even within one
// millisecond or when the clock steps back.
func New(now func() time.Time) Generator {
	if now == nil {
		now = time.Now
	}
	var (
		mu     sync.Mutex
		lastMS int64
		seq    uint16 // 12-bit counter in rand_a
	)
	return func() string {
		var b [16]byte
		_, _ = rand.Read(b[:])
		mu.Lock()
		ms := now().UnixMilli()
		if ms <= lastMS {
			ms = lastMS
			seq++
			if seq >= 1<<12 {
				ms++
				seq = 0
			}
		} else {
			seq = uint16(b[6]&0x01)<<8 | uint16(b[7]) // random start, room to count
		}
		lastMS = ms
		s := seq
		mu.Unlock()
		b[0], b[1], b[2], b[3], b[4], b[5] = byte(ms>>40), byte(ms>>32), byte(ms>>24), byte(ms>>16), byte(ms>>8), byte(ms)
		b[6] = 0x70 | byte(s>>8)&0x0f
		b[7] = byte(s)
		b[8] = b[8]&0x3f | 0x80
		return format(b)
	}
}

func format(b [16]byte) string {
	var s [36]byte
	hex.Encode(s[0:8], b[0:4])
	s[8] = '-'
	hex.Encode(s[9:13], b[4:6])
	s[13] = '-'
	hex.Encode(s[14:18], b[6:8])
	s[18] = '-'
	hex.Encode(s[19:23], b[8:10])
	s[23] = '-'
	hex.Encode(s[24:], b[10:])
	return string(s[:])
}

// Sequential returns a deterministic generator for tests: prefix followed
// by a zero-padded counter starting at 1 ("m_000001", "m_000002", ...), so
// ids still sort in creation order.
func Sequential(prefix string) Generator {
	var (
		mu sync.Mutex
		n  uint64
	)
	return func() string {
		mu.Lock()
		n++
		v := n
		mu.Unlock()
		return fmt.Sprintf("%s%09d", prefix, v)
	}
}
