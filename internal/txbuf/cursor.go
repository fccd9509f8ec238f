package txbuf

import "bytes"

// Cursor walks pairs in a scan's order. It is not safe for concurrent use.
type Cursor interface {
	// Next returns the next pair, or ok == false at the end or after an
	// error.
	Next() (k, v []byte, ok bool)
	// Err returns the error that ended the walk early, or nil.
	Err() error
}

// Merge returns a cursor over stored, which walks in scan order
// (descending when reverse), with over (in the same order) laid on top:
// an overlay pair comes in its place, and replaces (or, with a nil V,
// deletes) the stored pair with its key. It reads stored no further than
// the pair it returns next needs.
func Merge(over []Pair, stored Cursor, reverse bool) Cursor {
	if len(over) == 0 {
		return stored
	}
	return &merged{over: over, c: stored, reverse: reverse}
}

type merged struct {
	over    []Pair
	i       int
	c       Cursor
	reverse bool
	k, v    []byte // stored's pair not yet returned, when have
	ok      bool   // stored had a pair
	have    bool
}

func (m *merged) Next() ([]byte, []byte, bool) {
	for {
		if !m.have {
			m.k, m.v, m.ok = m.c.Next()
			m.have = true
		}
		if m.i < len(m.over) && (!m.ok || before(m.over[m.i].K, m.k, m.reverse)) {
			p := m.over[m.i]
			m.i++
			if p.V != nil {
				return p.K, p.V, true
			}
			continue
		}
		if !m.ok {
			return nil, nil, false
		}
		m.have = false
		if m.i < len(m.over) && bytes.Equal(m.over[m.i].K, m.k) {
			p := m.over[m.i]
			m.i++
			if p.V == nil {
				continue
			}
			return p.K, p.V, true
		}
		return m.k, m.v, true
	}
}

func (m *merged) Err() error { return m.c.Err() }

func before(a, b []byte, reverse bool) bool {
	if reverse {
		return bytes.Compare(a, b) > 0
	}
	return bytes.Compare(a, b) < 0
}
